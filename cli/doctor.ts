// `slipway doctor`: is this machine ready to release? Checks the pulumi CLI and its version, the plugins,
// the buildx builder and its BuildKit, the registry, Athens, the state backend and the passphrase, and
// prints the fix for each failure. The probes (commands, files, HTTP) are injected, so the checks are
// tested without the machine.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import YAML from "yaml";
import { canonicalJson } from "../plan/canonicalJson";
import { findOnPath } from "../providers/childProcess";
import { CommandIo, guarded, projectDirFor } from "./io";
import { EXIT, UsageError, parseCommandArgs } from "./usage";

export const PULUMI_VERSION = "3.248.0";
export const DOCKER_BUILD_VERSION = "0.0.22";
export const BUILDER = "slipway";
/** A throwaway Athens: disk storage in its working directory, on the probe's free port. */
const ATHENS_PROBE_ENV = {
  ATHENS_PORT: ":{port}",
  ATHENS_STORAGE_TYPE: "disk",
  ATHENS_DISK_STORAGE_ROOT: "{dir}/storage",
  ATHENS_LOG_LEVEL: "error",
};
const TOOLCHAIN_FIX = 'run scripts/toolchain.sh install, then eval "$(scripts/toolchain.sh env)"';

export const DOCTOR_HELP = `Usage: slipway doctor [--json]

Checks that this machine can release: the pulumi CLI (${PULUMI_VERSION}) and plugins
(docker-build ${DOCKER_BUILD_VERSION} in the plugin cache, pulumi-resource-pulumi-nodejs: the launcher Pulumi.yaml
names, else the one on PATH), the buildx builder
"${BUILDER}" and its BuildKit, the registry of the local stack, Athens (started once, it must answer
/healthz), the state backend (its stacks must be readable) and the secrets passphrase, and reports which
network isolation the compile step gets (unshare --net or not). Prints the fix for each failure.

Options:
  --json       print the checks as JSON
  -h, --help   show this help

Exit codes: 0 everything is ready, 1 something is not, 2 bad input.
`;

export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** What to do about a failure; empty when ok. */
  readonly fix: string;
}

export interface CommandRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** What doctor may look at; the real one touches the machine, tests pass a fake. */
export interface DoctorProbe {
  readonly env: Readonly<Record<string, string | undefined>>;
  which(binary: string): string | undefined;
  run(command: string, args: readonly string[]): CommandRun;
  readFile(path: string): string | undefined;
  /** HTTP status of a GET, or an error message. */
  httpGet(url: string): Promise<number | string>;
  /**
   * Starts `command` with `env` (plus `PORT`: a free loopback port, also substituted for `{port}` in env
   * values; `{dir}` is a fresh directory with an empty `storage` in it), waits until GET http://127.0.0.1:{port}{healthPath} answers, stops it,
   * and returns the status, or why it never answered.
   */
  serve(command: string, env: Readonly<Record<string, string>>, healthPath: string): Promise<number | string>;
}

export function machineProbe(env: Readonly<Record<string, string | undefined>>): DoctorProbe {
  const clean = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  return {
    env,
    which: (binary) => findOnPath(binary, env.PATH),
    run: (command, args) => {
      const result = spawnSync(command, [...args], { env: clean, encoding: "utf8", timeout: 20_000 });
      return { code: result.status, stdout: result.stdout ?? "", stderr: result.error?.message ?? result.stderr ?? "" };
    },
    readFile: (path) => (existsSync(path) ? readFileSync(path, "utf8") : undefined),
    serve: (command, extraEnv, healthPath) => serveOnce(command, { ...clean, ...extraEnv }, healthPath),
    httpGet: async (url) => {
      try {
        return (await fetch(url, { signal: AbortSignal.timeout(5000) })).status;
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause;
        return cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
      }
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function serveOnce(command: string, env: Record<string, string>, healthPath: string): Promise<number | string> {
  const port = await freePort();
  const work = mkdtempSync(join(tmpdir(), "slipway-doctor-"));
  mkdirSync(join(work, "storage"));
  const withPort = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v.replaceAll("{port}", String(port)).replaceAll("{dir}", work)]),
  );
  const child = spawn(command, [], { cwd: work, env: { ...withPort, PORT: String(port) }, stdio: "ignore" });
  let exited: string | undefined;
  child.once("exit", (code, signal) => (exited = signal === null ? `exited with status ${code}` : `stopped by ${signal}`));
  child.once("error", (error) => (exited = error.message));
  try {
    let last: number | string = "no answer";
    for (let attempt = 0; attempt < 75 && exited === undefined; attempt++) {
      try {
        last = (await fetch(`http://127.0.0.1:${port}${healthPath}`, { signal: AbortSignal.timeout(2000) })).status;
        if (last === 200) return last;
      } catch (error) {
        last = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return exited === undefined ? `no answer within 15s (${last})` : `${command} ${exited} before answering`;
  } finally {
    if (exited === undefined) child.kill("SIGKILL");
    rmSync(work, { recursive: true, force: true });
  }
}

function check(name: string, ok: boolean, detail: string, fix: string): DoctorCheck {
  return { name, ok, detail, fix: ok ? "" : fix };
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}

/** The registry address of the `local` stack (its first registry), from stacks/Pulumi.local.yaml. */
export function localRegistryAddress(stackFile: string | undefined): string | undefined {
  if (stackFile === undefined) return undefined;
  const block = /^\s*slipway:registries:\s*\n((?:\s+.*\n?)+)/m.exec(stackFile)?.[1] ?? "";
  return /address:\s*["']?([^"'\s]+)/.exec(block)?.[1];
}

/** The directory the project's Pulumi.yaml names for the `pulumi-nodejs` provider plugin, if it names one. */
export function dynamicProviderPluginDir(pulumiYaml: string | undefined): string | undefined {
  try {
    const project = YAML.parse(pulumiYaml ?? "") as { plugins?: { providers?: { name?: string; path?: string }[] } } | null;
    return project?.plugins?.providers?.find((plugin) => plugin.name === "pulumi-nodejs")?.path;
  } catch {
    return undefined;
  }
}

/** The host of dynamic resources: the launcher Pulumi.yaml names (what `slipway init` writes), else the CLI's own on PATH. */
function dynamicProviderCheck(probe: DoctorProbe, projectDir: string): DoctorCheck {
  const pluginDir = dynamicProviderPluginDir(probe.readFile(join(projectDir, "Pulumi.yaml")));
  if (pluginDir === undefined) {
    const nodejs = probe.which("pulumi-resource-pulumi-nodejs");
    return check("dynamic provider plugin", nodejs !== undefined, nodejs ?? "pulumi-resource-pulumi-nodejs is not on PATH", TOOLCHAIN_FIX);
  }
  const launcher = join(resolve(projectDir, pluginDir), "pulumi-resource-pulumi-nodejs");
  const found = probe.readFile(launcher) !== undefined;
  return check(
    "dynamic provider plugin",
    found,
    found ? `${launcher} (named in Pulumi.yaml)` : `${launcher} is missing (Pulumi.yaml names ${pluginDir} for pulumi-nodejs)`,
    "run npm install (slipway ships the launcher in bin/dynamic-provider), or correct plugins.providers in Pulumi.yaml",
  );
}

export async function runDoctorChecks(probe: DoctorProbe, projectDir: string): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const pulumi = probe.which("pulumi");
  if (pulumi === undefined) {
    checks.push(check("pulumi CLI", false, "pulumi is not on PATH", TOOLCHAIN_FIX));
  } else {
    const run = probe.run(pulumi, ["version"]);
    const version = firstLine(run.stdout).replace(/^v/, "");
    checks.push(
      check(
        "pulumi CLI",
        run.code === 0 && version === PULUMI_VERSION,
        run.code === 0 ? `${pulumi} is v${version}` : `${pulumi} version failed: ${firstLine(run.stderr)}`,
        `slipway needs pulumi v${PULUMI_VERSION} (the version @pulumi/pulumi is pinned to); ${TOOLCHAIN_FIX}`,
      ),
    );
    if (!/\/bin\/pulumi$/.test(pulumi)) {
      checks.push(
        check(
          "pulumi CLI layout",
          false,
          `${pulumi} is not in a directory named bin`,
          "put pulumi in <dir>/bin: the Automation API runs <root>/bin/pulumi",
        ),
      );
    }
  }

  // The engine runs with PULUMI_IGNORE_AMBIENT_PLUGINS (no "from $PATH" warning), so docker-build is used from
  // the plugin cache only: that is where it must be.
  const listed = pulumi === undefined ? undefined : probe.run(pulumi, ["plugin", "ls", "--json"]);
  const installed = (() => {
    try {
      return (JSON.parse(listed?.stdout ?? "") as { name?: string; kind?: string; version?: string }[])
        .filter((p) => p.name === "docker-build" && p.kind === "resource")
        .map((p) => p.version ?? "");
    } catch {
      return undefined;
    }
  })();
  checks.push(
    installed === undefined
      ? check(
          "docker-build plugin",
          false,
          `the plugin cache cannot be read (pulumi plugin ls: ${firstLine(listed?.stderr ?? "") || "no pulumi CLI"})`,
          TOOLCHAIN_FIX,
        )
      : check(
          "docker-build plugin",
          installed.includes(DOCKER_BUILD_VERSION),
          installed.length === 0
            ? "docker-build is not in the plugin cache (pulumi plugin ls)"
            : `the plugin cache has docker-build v${installed.join(", v")}`,
          `@pulumi/docker-build requests v${DOCKER_BUILD_VERSION}; ${TOOLCHAIN_FIX}`,
        ),
  );
  checks.push(dynamicProviderCheck(probe, projectDir));

  const dockerConfig = probe.env.DOCKER_CONFIG ?? join(probe.env.HOME ?? homedir(), ".docker");
  const instancePath = join(dockerConfig, "buildx", "instances", BUILDER);
  const instance = probe.readFile(instancePath);
  let endpoint: string | undefined;
  try {
    endpoint = instance === undefined ? undefined : (JSON.parse(instance) as { Nodes?: { Endpoint?: string }[] }).Nodes?.[0]?.Endpoint;
  } catch {
    endpoint = undefined;
  }
  checks.push(
    check(
      "buildx builder",
      endpoint !== undefined,
      endpoint === undefined ? `${instancePath} is missing or names no endpoint` : `${BUILDER} → ${endpoint}`,
      `create it: scripts/toolchain.sh start (or docker buildx create --name ${BUILDER} --driver remote unix:///run/slipway/buildkitd.sock)`,
    ),
  );
  const buildkitHost = probe.env.BUILDKIT_HOST ?? endpoint;
  if (probe.which("buildctl") === undefined) {
    checks.push(check("BuildKit", false, "buildctl is not on PATH", TOOLCHAIN_FIX));
  } else {
    const workers = probe.run("buildctl", [...(buildkitHost === undefined ? [] : ["--addr", buildkitHost]), "debug", "workers"]);
    const count = workers.stdout
      .trim()
      .split("\n")
      .slice(1)
      .filter((l) => l.trim() !== "").length;
    checks.push(
      check(
        "BuildKit",
        workers.code === 0 && count > 0,
        workers.code === 0
          ? `${buildkitHost ?? "default socket"}: ${count} worker${count === 1 ? "" : "s"}`
          : `${buildkitHost ?? "default socket"}: ${firstLine(workers.stderr)}`,
        "start buildkitd: scripts/toolchain.sh start",
      ),
    );
  }

  const address = probe.env.SLIPWAY_REGISTRY ?? localRegistryAddress(probe.readFile(join(projectDir, "stacks", "Pulumi.local.yaml")));
  if (address === undefined) {
    checks.push(
      check(
        "registry",
        false,
        "no registry address (SLIPWAY_REGISTRY or stacks/Pulumi.local.yaml)",
        "set slipway:registries on the local stack",
      ),
    );
  } else {
    const status = await probe.httpGet(`http://${address}/v2/`);
    checks.push(
      check("registry", status === 200, `GET http://${address}/v2/ → ${status}`, "start the registry: scripts/toolchain.sh start"),
    );
  }

  const athens = probe.which("proxy");
  if (athens === undefined) {
    checks.push(check("Athens", false, "the Athens binary (proxy) is not on PATH", TOOLCHAIN_FIX));
  } else {
    const answer = await probe.serve(athens, ATHENS_PROBE_ENV, "/healthz");
    checks.push(
      check(
        "Athens",
        answer === 200,
        answer === 200 ? `${athens} started and answered /healthz` : `${athens} started but /healthz: ${answer}`,
        `see what ${athens} prints when started with ATHENS_PORT=:3000 ATHENS_STORAGE_TYPE=disk ATHENS_DISK_STORAGE_ROOT=<an existing directory>; ${TOOLCHAIN_FIX}`,
      ),
    );
  }

  const backend = probe.env.PULUMI_BACKEND_URL;
  const where = backend === undefined || backend === "" ? "the logged-in backend" : backend;
  if (pulumi === undefined) {
    checks.push(check("state backend", false, `${where}: pulumi is missing, so the state cannot be read`, TOOLCHAIN_FIX));
  } else {
    const listed = probe.run(pulumi, ["stack", "ls", "--all", "--json", "--non-interactive"]);
    let count: number | undefined;
    try {
      count = listed.code === 0 ? (JSON.parse(listed.stdout) as unknown[]).length : undefined;
    } catch {
      count = undefined;
    }
    checks.push(
      check(
        "state backend",
        count !== undefined,
        count !== undefined
          ? `${where} is readable: ${count} stack${count === 1 ? "" : "s"}`
          : `${where}: pulumi stack ls failed: ${firstLine(listed.stderr) || firstLine(listed.stdout)}`,
        "pulumi login file://<dir>, or export PULUMI_BACKEND_URL=file://<dir> (a directory this user can read and write)",
      ),
    );
  }

  const unshare = probe.run("unshare", ["--net", "true"]);
  checks.push(
    check(
      "compile isolation",
      true,
      unshare.code === 0
        ? "unshare --net works: the compile step runs in a network namespace without interfaces, with GOPROXY=off"
        : `unshare --net is unavailable (${firstLine(unshare.stderr) || "no user namespaces"}): the compile step gets GOPROXY=off and -mod=readonly only`,
      "",
    ),
  );

  const passphraseFile = probe.env.PULUMI_CONFIG_PASSPHRASE_FILE;
  const hasPassphrase = probe.env.PULUMI_CONFIG_PASSPHRASE !== undefined;
  const fileOk = passphraseFile !== undefined && passphraseFile !== "" && probe.readFile(passphraseFile) !== undefined;
  checks.push(
    check(
      "passphrase",
      hasPassphrase || fileOk,
      hasPassphrase
        ? "PULUMI_CONFIG_PASSPHRASE is set"
        : passphraseFile === undefined
          ? "neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set"
          : fileOk
            ? `PULUMI_CONFIG_PASSPHRASE_FILE=${passphraseFile}`
            : `${passphraseFile} cannot be read`,
      "export PULUMI_CONFIG_PASSPHRASE_FILE=<file holding the stack's passphrase> (or PULUMI_CONFIG_PASSPHRASE)",
    ),
  );
  return checks;
}

export function renderDoctor(checks: readonly DoctorCheck[]): string {
  const lines = checks.map((c) => `${c.ok ? "[ok]  " : "[FAIL]"} ${c.name}: ${c.detail}${c.ok ? "" : `\n       fix: ${c.fix}`}`);
  const failed = checks.filter((c) => !c.ok).length;
  return `${lines.join("\n")}\n${failed === 0 ? "ready to release" : `${failed} problem${failed === 1 ? "" : "s"} found`}\n`;
}

export async function runDoctor(argv: readonly string[], io: CommandIo, probe?: DoctorProbe): Promise<number> {
  return guarded(io, async () => {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: "boolean" }, help: { type: "boolean", short: "h" } }, "doctor");
    if (values.help === true) {
      io.stdout(DOCTOR_HELP);
      return EXIT.ok;
    }
    if (positionals.length > 0)
      throw new UsageError(`slipway doctor: unexpected argument ${JSON.stringify(positionals[0])}; see slipway doctor --help`);
    const checks = await runDoctorChecks(probe ?? machineProbe(io.env ?? process.env), projectDirFor(io.cwd));
    io.stdout(values.json === true ? `${canonicalJson({ ok: checks.every((c) => c.ok), checks })}\n` : renderDoctor(checks));
    return checks.every((c) => c.ok) ? EXIT.ok : EXIT.failed;
  });
}
