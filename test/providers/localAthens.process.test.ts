// The local Athens provider's process management against a stand-in Athens: a small Node script given as
// the binary, whose behaviour the test picks through the environment the provider hands it. What it is
// started with (arguments, working directory, environment, log), how the start-up wait ends (healthy,
// exited, killed, never started, timed out, gone), how it is stopped (SIGTERM to the process group,
// SIGKILL after the bound) and which processes and state files it leaves alone. Time is an injected
// clock except where the default one is the subject. What this cannot prove: the real Athens binary
// (localAthens.test.ts runs it).
import assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { processIdentity } from "../../providers/athensProbes";
import {
  Clock,
  LocalAthensProcessInputs,
  LocalAthensProcessOutputs,
  localAthensProvider,
  startLocalAthens,
  stopLocalAthens,
} from "../../providers/localAthens";
import { close, fakeAthens, serve } from "../support/fakeAthens";
import { freePort } from "../support/registry";

const ROOT = mkdtempSync(join(tmpdir(), "slipway-athens-process-"));
const STAND_IN = join(ROOT, "bin", "athens-stand-in");

/**
 * The stand-in: STAND_IN lists what it does, in this order. `lines` prints four lines (stdout and stderr);
 * `rmlog` deletes its log; `child` starts a child of its own (same process group); `graceful` answers
 * SIGTERM with two log lines 300 ms apart, then exits; `ignore-term` notes SIGTERM and SIGWINCH in
 * `signals` and carries on; then it records itself (stand-in.json: arguments, directory, environment, pid,
 * the child's pid); `exit0`, `exit1`, `exit3` exit with that status, `self-term` kills itself with
 * SIGTERM; else `serve` answers /healthz and /version as Athens does on ATHENS_PORT, and anything else
 * sleeps. Stand-ins and their children end by themselves after two minutes.
 */
const SCRIPT = `#!${process.execPath}
const fs = require("node:fs");
const http = require("node:http");
const { spawn } = require("node:child_process");
// Whatever happens to the test (a hung run is killed before its clean-up), no stand-in outlives two minutes.
setTimeout(() => process.exit(70), 120_000).unref();
const words = (process.env.STAND_IN ?? "").split(",");
const has = (word) => words.includes(word);
const note = (line) => fs.appendFileSync("signals", line + "\\n");
if (has("lines")) {
  process.stdout.write("out 1\\n");
  process.stderr.write("err 2\\n");
  process.stdout.write("out 3\\n");
  process.stderr.write("err 4\\n\\n");
}
if (has("rmlog")) fs.rmSync("athens.log");
let grandchild = null;
if (has("child")) grandchild = spawn(process.execPath, ["-e", "setTimeout(() => {}, 120_000)"], { stdio: "ignore" }).pid;
if (has("graceful")) {
  process.on("SIGTERM", () => {
    process.stdout.write("SIGTERM received\\n");
    setTimeout(() => {
      process.stdout.write("clean exit\\n");
      process.exit(0);
    }, 300);
  });
}
if (has("ignore-term")) {
  process.on("SIGTERM", () => note("SIGTERM"));
  process.on("SIGWINCH", () => note("SIGWINCH"));
}
const record = { argv: process.argv.slice(2), cwd: process.cwd(), env: process.env, pid: process.pid, grandchild };
fs.writeFileSync("stand-in.json.tmp", JSON.stringify(record));
fs.renameSync("stand-in.json.tmp", "stand-in.json");
if (has("exit0")) process.exit(0);
if (has("exit1")) process.exit(1);
if (has("exit3")) process.exit(3);
if (has("self-term")) process.kill(process.pid, "SIGTERM");
if (has("serve")) {
  const port = Number((process.env.ATHENS_PORT ?? "").split(":").pop());
  http
    .createServer((request, response) => {
      if (request.url === "/healthz") return void response.end("");
      if (request.url === "/version") return void response.end(JSON.stringify({ version: "v0.18.0" }));
      response.statusCode = 404;
      response.end("not found");
    })
    .listen(port, "127.0.0.1");
} else {
  setInterval(() => {}, 1 << 30);
}
`;

interface StandInRecord {
  readonly argv: string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly pid: number;
  readonly grandchild: number | null;
}

/** Every pid a stand-in reported or the test started: killed (with its group) when the suite ends. */
const started: number[] = [];
let dirs = 0;

function freshDir(): string {
  const dir = join(ROOT, `case-${++dirs}`);
  mkdirSync(dir);
  return dir;
}

function inputs(port: number, dir: string, standIn: string, overrides: Partial<LocalAthensProcessInputs> = {}): LocalAthensProcessInputs {
  return {
    source: "process",
    binary: STAND_IN,
    host: "127.0.0.1",
    port,
    storageRoot: join(dir, "storage"),
    stateDir: join(dir, "run"),
    downloadMode: "none",
    networkMode: "offline",
    env: { ATHENS_PORT: `127.0.0.1:${port}`, STAND_IN: standIn },
    startTimeoutMs: 60_000,
    ...overrides,
  };
}

/** Virtual time: `sleep` advances it by `ms` and yields to the event loop for `realMs` real milliseconds. */
function fakeClock(realMs: number): { clock: Clock; sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
        await new Promise((resolve) => setTimeout(resolve, realMs));
      },
    },
  };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), `gave up waiting: ${what}`);
}

async function waitGone(pid: number): Promise<void> {
  await waitFor(() => processIdentity(pid) === undefined, `pid ${pid} to be gone`);
}

function standInRecord(stateDir: string): StandInRecord {
  const record = JSON.parse(readFileSync(join(stateDir, "stand-in.json"), "utf8")) as StandInRecord;
  started.push(record.pid);
  if (record.grandchild !== null) started.push(record.grandchild);
  return record;
}

async function standInStarted(stateDir: string): Promise<StandInRecord> {
  await waitFor(() => existsSync(join(stateDir, "stand-in.json")), `the stand-in in ${stateDir} to record itself`);
  return standInRecord(stateDir);
}

/**
 * A server on the address that is up but not healthy (/healthz 503). The first probe (before the start) is
 * answered at once; later ones once the stand-in has recorded itself, so that its pids are known.
 */
async function notYetHealthy(stateDir: string) {
  let probes = 0;
  return serve((_request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      if (++probes > 1) await standInStarted(stateDir);
      response.statusCode = 503;
      response.end("starting");
    })();
  });
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

/** The files the test process holds open. */
function openFiles(): string[] {
  return readdirSync("/proc/self/fd").map((fd) => {
    try {
      return readlinkSync(join("/proc/self/fd", fd));
    } catch {
      return "";
    }
  });
}

/** A stand-in the test starts itself (its own process group), noting signals in `<dir>/signals`. */
async function sleepingStandIn(dir: string): Promise<{ pid: number; identity: string; child: ChildProcess }> {
  const child = spawn(STAND_IN, [], { cwd: dir, detached: true, stdio: "ignore", env: { STAND_IN: "ignore-term" } });
  child.unref();
  const { pid } = await standInStarted(dir);
  const identity = processIdentity(pid);
  assert.ok(identity !== undefined);
  return { pid, identity, child };
}

/** What signals a stand-in from {@link sleepingStandIn} has had: SIGWINCH, sent now, comes last (after any SIGTERM). */
async function signalsHad(dir: string, pid: number): Promise<string> {
  process.kill(pid, "SIGWINCH");
  const file = join(dir, "signals");
  await waitFor(
    () => (existsSync(file) && readFileSync(file, "utf8").endsWith("SIGWINCH\n")) || processIdentity(pid) === undefined,
    "SIGWINCH to be noted",
  );
  const signals = readFileSync(file, "utf8");
  rmSync(file);
  return signals;
}

before(() => {
  mkdirSync(join(ROOT, "bin"));
  writeFileSync(STAND_IN, SCRIPT);
  chmodSync(STAND_IN, 0o755);
});

after(() => {
  // Every stand-in that recorded itself, whether or not its test got as far as reading the record.
  for (const dir of readdirSync(ROOT).filter((name) => name.startsWith("case-"))) {
    for (const stateDir of [join(ROOT, dir), join(ROOT, dir, "run")]) {
      if (existsSync(join(stateDir, "stand-in.json"))) standInRecord(stateDir);
    }
  }
  for (const pid of started) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  rmSync(ROOT, { recursive: true, force: true });
});

describe("local Athens process: start", () => {
  it("starts the binary in the state dir with no arguments, only the allowed environment and its output in the log", async () => {
    const dir = freshDir();
    const port = await freePort();
    const given = inputs(port, dir, "lines,child,serve");
    const names = [
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
    const secrets = ["GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "PULUMI_CONFIG_PASSPHRASE"];
    const saved = new Map([...names, ...secrets].map((name) => [name, process.env[name]]));
    const umask = process.umask(0o022);
    let outs: LocalAthensProcessOutputs;
    try {
      for (const name of names) process.env[name] = `/inherited/${name}`;
      for (const name of secrets) process.env[name] = "s3cret";
      outs = await startLocalAthens(given, fakeClock(20).clock);
    } finally {
      process.umask(umask);
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    const standIn = standInRecord(given.stateDir);
    const url = `http://127.0.0.1:${port}`;
    const pidFile = join(given.stateDir, "athens.pid");
    const recordFile = join(given.stateDir, "athens.json");
    const logFile = join(given.stateDir, "athens.log");
    assert.deepEqual(outs, {
      ...given,
      url,
      binaryPath: STAND_IN,
      pidFile,
      logFile,
      healthy: true,
      pid: standIn.pid,
      identity: processIdentity(standIn.pid),
      managed: true,
      adopted: false,
    });
    assert.deepEqual(standIn.argv, []);
    assert.equal(standIn.cwd, given.stateDir);
    assert.deepEqual(standIn.env, {
      PATH: process.env.PATH,
      ...Object.fromEntries(names.map((name) => [name, `/inherited/${name}`])),
      ...given.env,
    });
    assert.equal(readFileSync(logFile, "utf8"), "out 1\nerr 2\nout 3\nerr 4\n\n");
    assert.equal(readFileSync(pidFile, "utf8"), `${standIn.pid}\n`);
    assert.equal(
      readFileSync(recordFile, "utf8"),
      `${JSON.stringify(
        { pid: standIn.pid, identity: outs.identity, url, storageRoot: given.storageRoot, downloadMode: "none", networkMode: "offline" },
        null,
        2,
      )}\n`,
    );
    assert.deepEqual([given.storageRoot, given.stateDir, logFile, pidFile, recordFile].map(mode), [0o700, 0o700, 0o600, 0o600, 0o600]);
    if (existsSync("/proc/self/fd")) assert.ok(!openFiles().includes(logFile), "the log is closed in the provider's process");
    assert.ok(standIn.grandchild !== null);
    await stopLocalAthens(outs, fakeClock(0).clock);
    await waitGone(standIn.grandchild);
  });

  const failures: readonly [string, string, (bin: string) => string][] = [
    ["lines,exit3", "exits", (bin) => `Athens (${bin}) stopped before it was healthy (exit status 3): err 2 | out 3 | err 4`],
    ["lines,exit0", "exits cleanly", (bin) => `Athens (${bin}) stopped before it was healthy (exit status 0): err 2 | out 3 | err 4`],
    ["self-term", "is killed", (bin) => `Athens (${bin}) stopped before it was healthy (signal SIGTERM): `],
    ["lines,rmlog,exit1", "exits and leaves no log", (bin) => `Athens (${bin}) stopped before it was healthy (exit status 1): (no log)`],
  ];
  for (const [standIn, what, message] of failures) {
    it(`reports a binary that ${what} before it is healthy, with the end of its log`, { timeout: 20_000 }, async () => {
      const dir = freshDir();
      const given = inputs(await freePort(), dir, standIn);
      await assert.rejects(startLocalAthens(given, fakeClock(20).clock), (error: Error) => {
        assert.equal(error.message, message(STAND_IN));
        return true;
      });
      await waitGone(standInRecord(given.stateDir).pid);
      assert.equal(existsSync(join(given.stateDir, "athens.pid")), false);
      assert.equal(existsSync(join(given.stateDir, "athens.json")), false);
    });
  }

  it("reports a binary that cannot be started at all", async () => {
    const dir = freshDir();
    const binary = join(dir, "no-interpreter");
    writeFileSync(binary, "#!/nonexistent/interpreter\n");
    chmodSync(binary, 0o755);
    const given = inputs(await freePort(), dir, "", { binary });
    await assert.rejects(startLocalAthens(given, fakeClock(20).clock), (error: Error) => {
      assert.equal(error.message, `Athens (${binary}) could not be started: spawn ${binary} ENOENT`);
      return true;
    });
  });

  it(
    "kills (SIGKILL) the whole process group when it is not healthy by the deadline, polling every 200 ms until then",
    { timeout: 20_000 },
    async () => {
      const dir = freshDir();
      const stateDir = join(dir, "run");
      const { url, server, hits } = await notYetHealthy(stateDir);
      try {
        const given = inputs(Number(new URL(url).port), dir, "child,ignore-term", { startTimeoutMs: 400 });
        const { clock, sleeps } = fakeClock(0);
        await assert.rejects(startLocalAthens(given, clock), (error: Error) => {
          assert.equal(error.message, `Athens at ${url} was not healthy within 0.4s (GET /healthz answered 503): `);
          return true;
        });
        assert.deepEqual(sleeps, [200, 200]);
        assert.equal(hits.length, 4, "one probe before the start, one at 0, 200 and 400 ms");
        const standIn = standInRecord(stateDir);
        assert.ok(standIn.grandchild !== null);
        await waitGone(standIn.pid);
        await waitGone(standIn.grandchild);
        assert.equal(existsSync(join(stateDir, "athens.pid")), false);
      } finally {
        await close(server);
      }
    },
  );

  it("by default waits in real time: gives up after startTimeoutMs, probing at most every 200 ms", { timeout: 10_000 }, async () => {
    const dir = freshDir();
    const { url, server, hits } = await serve((_request, response) => {
      response.statusCode = 503;
      response.end("starting");
    });
    try {
      const given = inputs(Number(new URL(url).port), dir, "", { startTimeoutMs: 400 });
      await assert.rejects(startLocalAthens(given), (error: Error) => {
        assert.equal(error.message, `Athens at ${url} was not healthy within 0.4s (GET /healthz answered 503): `);
        return true;
      });
      // Within 400 ms at 200 ms apart: at most 3 polls after the first probe (4 if a timer fires a little early).
      assert.ok(hits.length >= 2 && hits.length <= 5, `${hits.length} probes`);
      // The group was killed, maybe before the stand-in could record itself.
      if (existsSync(join(given.stateDir, "stand-in.json"))) await waitGone(standInRecord(given.stateDir).pid);
    } finally {
      await close(server);
    }
  });

  it("fails when the process that answered is already gone", { timeout: 20_000 }, async () => {
    const dir = freshDir();
    const stateDir = join(dir, "run");
    let probes = 0;
    const { url, server } = await serve((_request, response) => {
      void (async () => {
        if (++probes === 1) {
          response.statusCode = 503;
          return void response.end("not yet");
        }
        await waitGone((await standInStarted(stateDir)).pid);
        response.end("");
      })();
    });
    try {
      const given = inputs(Number(new URL(url).port), dir, "lines,exit0");
      await assert.rejects(startLocalAthens(given, fakeClock(20).clock), (error: Error) => {
        const { pid } = standInRecord(stateDir);
        assert.equal(error.message, `Athens at ${url} answered but pid ${pid} is gone: err 2 | out 3 | err 4`);
        return true;
      });
      assert.equal(existsSync(join(stateDir, "athens.pid")), false);
      assert.equal(existsSync(join(stateDir, "athens.json")), false);
    } finally {
      await close(server);
    }
  });
});

describe("local Athens process: stop", () => {
  it("sends SIGTERM to the group and waits until the process is gone; state files go, storage stays", async () => {
    const dir = freshDir();
    const given = inputs(await freePort(), dir, "child,graceful,serve");
    const outs = await startLocalAthens(given, fakeClock(20).clock);
    const standIn = standInRecord(given.stateDir);
    assert.ok(outs.pid !== null && standIn.grandchild !== null);
    const { clock, sleeps } = fakeClock(10);
    await stopLocalAthens(outs, clock);
    assert.equal(processIdentity(outs.pid), undefined, "stop returns once the process is gone");
    assert.ok(sleeps.length > 0 && sleeps.length < 150 && sleeps.every((ms) => ms === 100), `sleeps ${sleeps.join(",")}`);
    assert.equal(readFileSync(outs.logFile, "utf8"), "SIGTERM received\nclean exit\n");
    await waitGone(standIn.grandchild);
    assert.deepEqual(readdirSync(given.stateDir).sort(), ["athens.log", "stand-in.json"]);
    assert.ok(existsSync(given.storageRoot));
  });

  it("sends SIGKILL after 15 s (of the clock) to a process that ignores SIGTERM", { timeout: 20_000 }, async () => {
    const dir = freshDir();
    const given = inputs(await freePort(), dir, "ignore-term,serve");
    const outs = await startLocalAthens(given, fakeClock(20).clock);
    assert.ok(outs.pid !== null);
    const { clock, sleeps } = fakeClock(0);
    await stopLocalAthens(outs, clock);
    assert.deepEqual(
      sleeps,
      Array.from({ length: 150 }, () => 100),
    );
    await waitGone(outs.pid);
    assert.equal(existsSync(outs.pidFile), false);
  });

  it("leaves alone a process it does not own or that is no longer the one it started", { timeout: 20_000 }, async () => {
    const dir = freshDir();
    const live = await sleepingStandIn(dir);
    const stateDir = join(dir, "run");
    const outputs = { ...inputs(1, dir, ""), url: "http://127.0.0.1:1", binaryPath: STAND_IN, pidFile: "", logFile: "", healthy: true };
    const cases: readonly [string, Partial<LocalAthensProcessOutputs>, boolean][] = [
      ["adopted from elsewhere", { managed: false, pid: live.pid, identity: live.identity }, true],
      ["no pid", { managed: true, pid: null, identity: live.identity }, true],
      ["no identity", { managed: true, pid: live.pid, identity: null }, true],
      ["pid recycled", { managed: true, pid: live.pid, identity: "another start time" }, false],
    ];
    for (const [what, fields, keepsPidFile] of cases) {
      mkdirSync(stateDir, { recursive: true });
      writeFileSync(join(stateDir, "athens.pid"), `${live.pid}\n`);
      await stopLocalAthens({ ...outputs, adopted: false, pid: null, identity: null, managed: true, ...fields }, fakeClock(0).clock);
      assert.equal(await signalsHad(dir, live.pid), "SIGWINCH\n", `${what}: not signalled`);
      assert.equal(existsSync(join(stateDir, "athens.pid")), keepsPidFile, `${what}: pid file`);
    }
  });

  it("removes the state files only when they still describe its process", async () => {
    // A pid above the kernel's maximum: never a live process, so nothing is signalled.
    const pid = 2 ** 22 + 1;
    const other = { pid: pid + 1, identity: "1", url: "", storageRoot: "", downloadMode: "none", networkMode: "offline" };
    const mine = JSON.stringify({ ...other, pid });
    const cases: readonly [string, { pid?: string; record?: string }, string[]][] = [
      ["no state files", {}, []],
      ["both files, its record", { pid: `${pid}\n`, record: mine }, []],
      ["only the pid file", { pid: `${pid}\n` }, []],
      ["only its record", { record: mine }, []],
      ["a newer process's files", { pid: `${other.pid}\n`, record: JSON.stringify(other) }, ["athens.json", "athens.pid"]],
      ["an unreadable record", { pid: `${pid}\n`, record: "{" }, []],
    ];
    for (const [what, files, left] of cases) {
      const dir = freshDir();
      const stateDir = join(dir, "run");
      mkdirSync(stateDir);
      if (files.pid !== undefined) writeFileSync(join(stateDir, "athens.pid"), files.pid);
      if (files.record !== undefined) writeFileSync(join(stateDir, "athens.json"), files.record);
      const outputs: LocalAthensProcessOutputs = {
        ...inputs(1, dir, ""),
        url: "http://127.0.0.1:1",
        binaryPath: STAND_IN,
        pidFile: join(stateDir, "athens.pid"),
        logFile: join(stateDir, "athens.log"),
        healthy: true,
        pid,
        identity: "1",
        managed: true,
        adopted: false,
      };
      await stopLocalAthens(outputs, fakeClock(0).clock);
      assert.deepEqual(readdirSync(stateDir).sort(), left, what);
    }
  });

  it("stops the old process before an update to an endpoint", { timeout: 20_000 }, async () => {
    const dir = freshDir();
    const given = inputs(await freePort(), dir, "serve");
    const outs = await startLocalAthens(given, fakeClock(20).clock);
    assert.ok(outs.pid !== null);
    standInRecord(given.stateDir);
    const endpoint = await serve(fakeAthens);
    try {
      const updated = await localAthensProvider.update!(outs.url, outs, { source: "endpoint", url: endpoint.url });
      assert.deepEqual(updated, { outs: { source: "endpoint", url: endpoint.url, healthy: true } });
      assert.equal(processIdentity(outs.pid), undefined);
      assert.equal(existsSync(outs.pidFile), false);
    } finally {
      await close(endpoint.server);
    }
  });
});
