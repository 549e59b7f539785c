// A local Athens as a resource. `process`: starts the Athens binary detached (its own session, so it
// outlives `pulumi up` and is not a child of the engine), disk storage under a directory that survives
// delete, pid and log files under a state dir; adopts an Athens that already serves the address.
// `endpoint`: checks an existing Athens at deploy time and never starts anything.
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource } from "./dynamicResource";
import { InputsOf } from "./inputs";
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { redactUrl } from "../plan/athensValidate";
import { isAthens, processIdentity, resolveBinary, unhealthyReason } from "./athensProbes";

export interface LocalAthensProcessInputs {
  readonly source: "process";
  /** The Athens binary: a path, or a command name looked up on PATH at deploy time. */
  readonly binary: string;
  readonly host: string;
  readonly port: number;
  /** ATHENS_DISK_STORAGE_ROOT; created if missing, never deleted. */
  readonly storageRoot: string;
  /** Holds `athens.pid`, `athens.json` and `athens.log`; also the working directory (no stray athens.toml). */
  readonly stateDir: string;
  readonly downloadMode: string;
  readonly networkMode: string;
  /** The Athens environment, from plan/athensRender.ts `athensServerEnv`. */
  readonly env: Record<string, string>;
  /** How long to wait for /healthz after starting. */
  readonly startTimeoutMs: number;
}

export interface LocalAthensEndpointInputs {
  readonly source: "endpoint";
  /** Base URL of an existing Athens; may carry basic-auth credentials (then it arrives as a secret). */
  readonly url: string;
}

export type LocalAthensInputs = LocalAthensProcessInputs | LocalAthensEndpointInputs;

export interface LocalAthensProcessOutputs extends LocalAthensProcessInputs {
  readonly url: string;
  readonly binaryPath: string;
  /** The Athens process this resource started (or found recorded in the state dir); null when adopted from elsewhere. */
  readonly pid: number | null;
  /** Start time of `pid` as the OS reports it, so a recycled pid is never signalled. */
  readonly identity: string | null;
  /** Whether delete stops the process. */
  readonly managed: boolean;
  /** True when an Athens was already serving the address and no process was started. */
  readonly adopted: boolean;
  readonly healthy: boolean;
  readonly pidFile: string;
  readonly logFile: string;
}

export interface LocalAthensEndpointOutputs extends LocalAthensEndpointInputs {
  readonly healthy: boolean;
}

export type LocalAthensOutputs = LocalAthensProcessOutputs | LocalAthensEndpointOutputs;

/** What the start-up wait uses for time; tests may inject their own. */
export interface Clock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

const REAL_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const POLL_INTERVAL_MS = 200;
const STOP_TIMEOUT_MS = 15_000;

/** Environment Athens and its inner `go`/`git` may inherit; everything else (cloud credentials, tokens) stays out. */
const INHERITED_ENV = [
  "PATH",
  "HOME",
  "TMPDIR",
  "GOROOT",
  "SSH_AUTH_SOCK",
  "GIT_SSH",
  "GIT_SSH_COMMAND",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
];

interface RecordedProcess {
  readonly pid: number;
  readonly identity: string;
  readonly url: string;
  readonly storageRoot: string;
  readonly downloadMode: string;
  readonly networkMode: string;
}

function stateFiles(stateDir: string) {
  return { pidFile: join(stateDir, "athens.pid"), recordFile: join(stateDir, "athens.json"), logFile: join(stateDir, "athens.log") };
}

function readRecord(stateDir: string): RecordedProcess | undefined {
  try {
    return JSON.parse(readFileSync(stateFiles(stateDir).recordFile, "utf8")) as RecordedProcess;
  } catch {
    return undefined;
  }
}

function logTail(logFile: string): string {
  try {
    return readFileSync(logFile, "utf8").trim().split("\n").slice(-3).join(" | ");
  } catch {
    return "(no log)";
  }
}

function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

export function processUrl(inputs: Pick<LocalAthensProcessInputs, "host" | "port">): string {
  return `http://${inputs.host}:${inputs.port}`;
}

/** Starts Athens (or adopts the one already serving the address) and waits until /healthz answers. */
export async function startLocalAthens(inputs: LocalAthensProcessInputs, clock: Clock = REAL_CLOCK): Promise<LocalAthensProcessOutputs> {
  const url = processUrl(inputs);
  const files = stateFiles(inputs.stateDir);
  const binaryPath = resolveBinary(inputs.binary, process.env.PATH);
  const base = { ...inputs, url, binaryPath, pidFile: files.pidFile, logFile: files.logFile, healthy: true };

  if ((await unhealthyReason(url)) === undefined) {
    if (!(await isAthens(url))) {
      throw new Error(
        `${inputs.host}:${inputs.port} is served by something that is not Athens (GET /version); free the port or set athens.local.port`,
      );
    }
    const recorded = readRecord(inputs.stateDir);
    if (recorded !== undefined && recorded.url === url && processIdentity(recorded.pid) === recorded.identity) {
      const wanted = `${inputs.downloadMode}/${inputs.networkMode} on ${inputs.storageRoot}`;
      const running = `${recorded.downloadMode}/${recorded.networkMode} on ${recorded.storageRoot}`;
      if (wanted !== running) {
        throw new Error(
          `Athens at ${url} (pid ${recorded.pid}) runs ${running}, not ${wanted}; stop it (kill ${recorded.pid}) and run pulumi up again`,
        );
      }
      return { ...base, pid: recorded.pid, identity: recorded.identity, managed: true, adopted: true };
    }
    return { ...base, pid: null, identity: null, managed: false, adopted: true };
  }

  mkdirSync(inputs.storageRoot, { recursive: true, mode: 0o700 });
  mkdirSync(inputs.stateDir, { recursive: true, mode: 0o700 });
  const log = openSync(files.logFile, "a", 0o600);
  let child;
  try {
    // detached: setsid() in the child, so Athens leads its own session and process group: no terminal
    // signals from the engine reach it, and stopping the group also stops its `go`/`git` children.
    child = spawn(binaryPath, [], {
      cwd: inputs.stateDir,
      env: { ...inheritedEnv(), ...inputs.env },
      detached: true,
      stdio: ["ignore", log, log],
    });
  } finally {
    closeSync(log);
  }
  let exited: string | undefined;
  child.once("exit", (code, signal) => (exited = signal === null ? `exit status ${code}` : `signal ${signal}`));
  // A spawn failure (ENOENT, EACCES) leaves no pid and arrives as an 'error' event after spawn returns.
  const spawnError = new Promise<string>((resolve) => child.once("error", (error) => resolve(error.message)));
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Athens (${binaryPath}) could not be started: ${await spawnError}`);

  const deadline = clock.now() + inputs.startTimeoutMs;
  for (;;) {
    if (exited !== undefined) {
      signalGroup(pid, "SIGKILL"); // its go/git children, if Athens left any behind
      throw new Error(`Athens (${binaryPath}) stopped before it was healthy (${exited}): ${logTail(files.logFile)}`);
    }
    const reason = await unhealthyReason(url);
    if (reason === undefined) break;
    if (clock.now() >= deadline) {
      signalGroup(pid, "SIGKILL");
      throw new Error(`Athens at ${url} was not healthy within ${inputs.startTimeoutMs / 1000}s (${reason}): ${logTail(files.logFile)}`);
    }
    await clock.sleep(POLL_INTERVAL_MS);
  }
  const identity = processIdentity(pid);
  if (identity === undefined) throw new Error(`Athens at ${url} answered but pid ${pid} is gone: ${logTail(files.logFile)}`);
  const record: RecordedProcess = {
    pid,
    identity,
    url,
    storageRoot: inputs.storageRoot,
    downloadMode: inputs.downloadMode,
    networkMode: inputs.networkMode,
  };
  writeFileSync(files.pidFile, `${pid}\n`, { mode: 0o600 });
  writeFileSync(files.recordFile, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  return { ...base, pid, identity, managed: true, adopted: false };
}

/** Signals Athens and its `go`/`git` children: the group Athens leads since setsid. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** SIGTERM (Athens shuts down gracefully), then SIGKILL if it is still the same process after a bound. */
async function stopProcessGroup(pid: number, identity: string, clock: Clock): Promise<void> {
  signalGroup(pid, "SIGTERM");
  const deadline = clock.now() + STOP_TIMEOUT_MS;
  while (processIdentity(pid) === identity) {
    if (clock.now() >= deadline) {
      signalGroup(pid, "SIGKILL");
      return;
    }
    await clock.sleep(100);
  }
}

/** Stops the process this resource started, if it still is that process. Storage is kept. */
export async function stopLocalAthens(outputs: LocalAthensProcessOutputs, clock: Clock = REAL_CLOCK): Promise<void> {
  if (!outputs.managed || outputs.pid === null || outputs.identity === null) return;
  if (processIdentity(outputs.pid) === outputs.identity) await stopProcessGroup(outputs.pid, outputs.identity, clock);
  const files = stateFiles(outputs.stateDir);
  const recorded = readRecord(outputs.stateDir);
  if (recorded === undefined || recorded.pid === outputs.pid) {
    rmSync(files.pidFile, { force: true });
    rmSync(files.recordFile, { force: true });
  }
}

/** Healthy and, when this resource owns the process, still that process. */
export async function isRunning(outputs: LocalAthensProcessOutputs): Promise<boolean> {
  if ((await unhealthyReason(outputs.url)) !== undefined) return false;
  return !outputs.managed || outputs.pid === null || processIdentity(outputs.pid) === outputs.identity;
}

/** The endpoint check: /healthz must answer 200; the error names the URL (credentials redacted). */
export async function checkEndpoint(inputs: LocalAthensEndpointInputs): Promise<LocalAthensEndpointOutputs> {
  const reason = await unhealthyReason(inputs.url);
  if (reason !== undefined) {
    throw new Error(`Athens endpoint ${redactUrl(inputs.url)} is unreachable (${reason}); start it or fix athens.local.url`);
  }
  return { ...inputs, healthy: true };
}

/** Changing any of these means a different server: stop the old one first, then start anew. */
const REPLACE_KEYS = ["source", "host", "port", "storageRoot", "stateDir", "downloadMode", "networkMode"] as const;
const UPDATE_KEYS = { process: ["binary", "env", "startTimeoutMs"], endpoint: ["url"] } as const;

function differs(olds: LocalAthensOutputs, news: LocalAthensInputs, key: string): boolean {
  const a = (olds as unknown as Record<string, unknown>)[key];
  const b = (news as unknown as Record<string, unknown>)[key];
  return JSON.stringify(a) !== JSON.stringify(b);
}

/** The diff the engine sees; probes the live server so that `pulumi up` restarts a dead one. */
export async function diffLocalAthens(olds: LocalAthensOutputs, news: LocalAthensInputs): Promise<pulumi.dynamic.DiffResult> {
  const replaces: string[] = REPLACE_KEYS.filter((key) => differs(olds, news, key));
  // The endpoint's URL is only checked, never served by us: a new URL is an update (a new check).
  if (news.source === "endpoint" && olds.source === "endpoint") replaces.splice(0, replaces.length);
  const updates: readonly string[] = UPDATE_KEYS[news.source];
  const changes = [...replaces, ...updates.filter((key) => differs(olds, news, key))];
  if (changes.length === 0) {
    const alive = olds.source === "process" ? await isRunning(olds) : (await unhealthyReason(olds.url)) === undefined;
    if (!alive) changes.push("healthy");
  }
  return { changes: changes.length > 0, replaces, deleteBeforeReplace: true };
}

async function provision(inputs: LocalAthensInputs): Promise<LocalAthensOutputs> {
  return inputs.source === "process" ? startLocalAthens(inputs) : checkEndpoint(inputs);
}

export const localAthensProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: LocalAthensInputs) {
    const outs = await provision(inputs);
    return { id: outs.source === "process" ? outs.url : redactUrl(outs.url), outs };
  },

  async diff(_id: string, olds: LocalAthensOutputs, news: LocalAthensInputs) {
    return diffLocalAthens(olds, news);
  },

  async update(_id: string, olds: LocalAthensOutputs, news: LocalAthensInputs) {
    if (olds.source === "process") await stopLocalAthens(olds);
    return { outs: await provision(news) };
  },

  async read(id: string, props: LocalAthensOutputs) {
    const healthy = props.source === "process" ? await isRunning(props) : (await unhealthyReason(props.url)) === undefined;
    return { id, props: { ...props, healthy } };
  },

  async delete(_id: string, props: LocalAthensOutputs) {
    if (props.source === "process") await stopLocalAthens(props);
  },
};

/** A local Athens process or endpoint; see {@link localAthensProvider}. */
export class LocalAthens extends DynamicResource {
  declare public readonly url: pulumi.Output<string>;
  declare public readonly healthy: pulumi.Output<boolean>;
  declare public readonly adopted: pulumi.Output<boolean | undefined>;
  declare public readonly pid: pulumi.Output<number | null | undefined>;

  constructor(
    name: string,
    args: InputsOf<LocalAthensProcessInputs> | InputsOf<LocalAthensEndpointInputs>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    const outputs =
      args.source === "process"
        ? {
            url: undefined,
            binaryPath: undefined,
            pid: undefined,
            identity: undefined,
            managed: undefined,
            adopted: undefined,
            pidFile: undefined,
            logFile: undefined,
          }
        : {};
    super(
      localAthensProvider,
      name,
      { ...args, ...outputs, healthy: undefined },
      // An endpoint URL may embed basic-auth credentials.
      pulumi.mergeOptions(opts, { additionalSecretOutputs: args.source === "endpoint" ? ["url"] : [] }),
      "slipway",
      "LocalAthens",
    );
  }
}
