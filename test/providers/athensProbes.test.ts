// What the local Athens provider asks the machine (providers/athensProbes.ts): health and identity of an
// Athens at a URL (against loopback stand-ins), who a pid is, where the binary is.
import assert from "node:assert/strict";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import fs, { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import { isAthens, processIdentity, resolveBinary, unhealthyReason } from "../../providers/athensProbes";
import { close, fakeAthens, serve } from "../support/fakeAthens";
import { freePort } from "../support/registry";

const basic = (pair: string) => `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;

/** The state letter and the starttime field (22 in proc(5)) of `pid`, read with a pattern of its own. */
function procStat(pid: number): { state: string; starttime: string } {
  const match = /^\d+ \(.*\) (\S) ((?:\S+ ){18})(\d+) /s.exec(readFileSync(`/proc/${pid}/stat`, "utf8"));
  if (match?.[1] === undefined || match[3] === undefined) throw new Error(`unreadable /proc/${pid}/stat`);
  return { state: match[1], starttime: match[3] };
}

/** A process that stays alive until killed, started from a copy of `sleep` named `name` (its comm in /proc). */
function sleeper(dir: string, name: string): ChildProcess {
  const program = join(dir, name);
  copyFileSync(execFileSync("sh", ["-c", "command -v sleep"], { encoding: "utf8" }).trim(), program);
  chmodSync(program, 0o755);
  return spawn(program, ["300"], { stdio: "ignore" });
}

/**
 * A zombie: a child of `sleep` (which never waits for children) killed once its parent has become `sleep`.
 * Returns the parent, to kill at the end (init then reaps the zombie), and the zombie's pid once /proc
 * shows it as `Z`.
 */
async function zombie(children: ChildProcess[]): Promise<{ parent: ChildProcess; pid: number }> {
  const parent = spawn("sh", ["-c", "sleep 300 & echo $!; exec sleep 301"], { stdio: ["ignore", "pipe", "ignore"] });
  children.push(parent);
  const line = await new Promise<string>((resolve, reject) => {
    parent.stdout?.once("data", (chunk: Buffer) => resolve(chunk.toString("utf8").trim()));
    parent.once("error", reject);
  });
  const pid = Number(line);
  // Should the test fail before the kill below, the `sleep 300` must not outlive it.
  let killed = false;
  parent.once("exit", () => {
    if (killed) return;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  });
  const until = async (done: () => boolean, what: string) => {
    for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(done(), what);
  };
  await until(() => readFileSync(`/proc/${parent.pid ?? -1}/cmdline`, "utf8") === "sleep\u0000301\u0000", "the parent execs sleep");
  process.kill(pid, "SIGKILL");
  killed = true;
  await until(() => procStat(pid).state === "Z", "the child is a zombie");
  return { parent, pid };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

describe("Athens probes", () => {
  it("finds a healthy Athens, sending URL credentials as basic auth", async () => {
    const athens = await serve(fakeAthens);
    try {
      const withCredentials = athens.url.replace("http://", "http://ci:p%40ss@");
      assert.equal(await unhealthyReason(withCredentials), undefined);
      assert.equal(await isAthens(athens.url), true);
      assert.deepEqual(athens.hits, [`GET /healthz ${basic("ci:p@ss")}`, "GET /version"]);
    } finally {
      await close(athens.server);
    }
  });

  it("sends a user alone or a password alone as basic auth, and appends the probe path to the URL's path", async () => {
    const athens = await serve((_request, response) => response.end(""));
    try {
      const host = athens.url.slice("http://".length);
      const cases: [string, string][] = [
        [`http://ci@${host}`, `GET /healthz ${basic("ci:")}`],
        [`http://:s%3Acret@${host}`, `GET /healthz ${basic(":s:cret")}`],
        [`http://${host}`, "GET /healthz"],
        [`http://${host}/athens`, "GET /athens/healthz"],
        [`http://${host}/athens/`, "GET /athens/healthz"],
        [`http://${host}/athens///`, "GET /athens/healthz"],
        [`http://${host}/a//b/`, "GET /a//b/healthz"],
      ];
      for (const [url] of cases) assert.equal(await unhealthyReason(url), undefined, url);
      assert.deepEqual(
        athens.hits,
        cases.map(([, hit]) => hit),
      );
    } finally {
      await close(athens.server);
    }
  });

  it("says why an address is not a healthy Athens", async () => {
    const other = await serve((_request, response) => {
      response.statusCode = 503;
      response.end("{}");
    });
    try {
      assert.equal(await unhealthyReason(other.url), "GET /healthz answered 503");
      assert.equal(await isAthens(other.url), false);
    } finally {
      await close(other.server);
    }
    const nobody = `http://127.0.0.1:${await freePort()}`;
    assert.equal(await unhealthyReason(nobody), "ECONNREFUSED");
    assert.equal(await isAthens(nobody), false);
  });

  it("says why a URL cannot be probed: the error's own message when it has no code", async () => {
    const cases: [string, string][] = [
      // Only http and https are probed.
      ["ftp://127.0.0.1/", "unknown scheme ftp:"],
      // new URL fails with Node's own ERR_INVALID_URL, whose message says more than the code.
      ["not a url", "Invalid URL"],
    ];
    for (const [url, reason] of cases) {
      assert.equal(await unhealthyReason(url), reason, url);
      assert.equal(await isAthens(url), false, url);
    }
  });

  it("speaks TLS to an https URL: a plain-HTTP Athens there is a TLS failure, not a healthy answer", async () => {
    const athens = await serve(fakeAthens);
    try {
      const https = athens.url.replace("http://", "https://");
      assert.equal(await unhealthyReason(athens.url), undefined);
      assert.equal(await unhealthyReason(https), "EPROTO");
      assert.equal(await isAthens(https), false);
      assert.deepEqual(athens.hits, ["GET /healthz"]);
    } finally {
      await close(athens.server);
    }
  });

  it("gives up on an address that accepts the connection but never answers", async () => {
    const silent = await serve(() => undefined);
    try {
      assert.equal(await unhealthyReason(silent.url), "no answer within 2s");
      assert.deepEqual(silent.hits, ["GET /healthz"]);
    } finally {
      silent.server.closeAllConnections();
      await close(silent.server);
    }
  });

  it("gives up on an answer whose body never ends", async () => {
    const trickle = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"version":');
    });
    try {
      assert.equal(await unhealthyReason(trickle.url), "no answer within 2s");
      assert.equal(await isAthens(trickle.url), false);
      assert.deepEqual(trickle.hits, ["GET /healthz", "GET /version"]);
    } finally {
      trickle.server.closeAllConnections();
      await close(trickle.server);
    }
  });

  it("takes /version for Athens only when it answers 200 with a JSON object holding a version string", async () => {
    let answer = { status: 200, body: "" };
    const server = await serve((_request, response) => {
      response.statusCode = answer.status;
      response.end(answer.body);
    });
    try {
      const cases: [number, string, boolean][] = [
        [200, '{"version":"v0.18.0"}', true],
        [200, '{"Version":"v0.11.0","Date":"2021-06-01"}', true],
        [200, '{"version":"v0.18.0","Version":18}', true],
        [200, "{}", false],
        [200, '{"version":18}', false],
        [200, '{"name":"v0.18.0"}', false],
        [200, "null", false],
        [200, '"v0.18.0"', false],
        [200, "[]", false],
        [200, "v0.18.0", false],
        [404, '{"version":"v0.18.0"}', false],
        [204, "", false],
      ];
      for (const [status, body, expected] of cases) {
        answer = { status, body };
        assert.equal(await isAthens(server.url), expected, `${status} ${body}`);
      }
      assert.deepEqual(
        server.hits,
        cases.map(() => "GET /version"),
      );
    } finally {
      await close(server.server);
    }
  });
});

describe("processIdentity", () => {
  let dir: string;
  const children: ChildProcess[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "slipway-probes-"));
  });
  after(async () => {
    for (const child of children) await stop(child);
    rmSync(dir, { recursive: true, force: true });
  });

  it("is the start time from /proc, even when the command name holds parentheses and spaces", () => {
    const child = sleeper(dir, "a) b (c");
    children.push(child);
    const pid = child.pid ?? -1;
    assert.equal(readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[1], "(a)");
    assert.equal(processIdentity(pid), procStat(pid).starttime);
    assert.equal(processIdentity(process.pid), procStat(process.pid).starttime);
    assert.ok(Number(processIdentity(pid)) >= Number(processIdentity(process.pid)));
  });

  it("tells a live process from a pid nobody has and from a zombie", async () => {
    assert.equal(processIdentity(2 ** 22 + 1), undefined);
    const { parent, pid } = await zombie(children);
    assert.equal(processIdentity(pid), undefined);
    assert.equal(processIdentity(parent.pid ?? -1), procStat(parent.pid ?? -1).starttime);
  });

  it("asks ps where there is no /proc: the start time it prints, none for a zombie or a pid nobody has", async (t) => {
    const existsSync = fs.existsSync;
    const probed: string[] = [];
    t.mock.method(fs, "existsSync", (path: fs.PathLike) => {
      const name = String(path);
      probed.push(name);
      return name === "/proc/self/stat" ? false : existsSync(path);
    });
    const lstart = (pid: number) => execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8" }).trim();
    assert.match(lstart(process.pid), /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
    assert.equal(processIdentity(process.pid), lstart(process.pid));
    const { parent, pid } = await zombie(children);
    assert.equal(processIdentity(parent.pid ?? -1), lstart(parent.pid ?? -1));
    assert.equal(processIdentity(pid), undefined);
    assert.equal(processIdentity(2 ** 22 + 1), undefined);
    assert.deepEqual(probed, ["/proc/self/stat", "/proc/self/stat", "/proc/self/stat", "/proc/self/stat"]);
  });
});

describe("resolveBinary", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "slipway-binary-"));
    writeFileSync(join(dir, "proxy"), "#!/bin/sh\n");
    chmodSync(join(dir, "proxy"), 0o755);
    writeFileSync(join(dir, "data"), "");
    chmodSync(join(dir, "data"), 0o644);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const notOnPath =
    /^Error: Athens binary proxy is not on PATH; install it \(go install github\.com\/gomods\/athens\/cmd\/proxy@v0\.18\.0\) or set athens\.local\.binary$/;

  it("finds the binary on PATH or says how to get it", () => {
    assert.equal(resolveBinary("node", `/nonexistent:${join(process.execPath, "..")}`), process.execPath);
    assert.equal(resolveBinary("proxy", `/nonexistent:${dir}:${join(process.execPath, "..")}`), join(dir, "proxy"));
    assert.throws(() => resolveBinary("proxy", "/nonexistent"), notOnPath);
    assert.throws(() => resolveBinary("proxy", undefined), notOnPath);
    // A file that is not executable does not count.
    assert.throws(() => resolveBinary("data", dir), /^Error: Athens binary data is not on PATH; /);
  });

  it("never looks in the working directory for an empty PATH entry", () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      for (const path of ["", ":", `:${join(dir, "none")}`, `${join(dir, "none")}::`]) {
        assert.throws(() => resolveBinary("proxy", path), notOnPath, JSON.stringify(path));
      }
    } finally {
      process.chdir(cwd);
    }
  });

  it("takes a path only when it is absolute and executable", () => {
    assert.equal(resolveBinary(process.execPath, undefined), process.execPath);
    assert.equal(resolveBinary(join(dir, "proxy"), "/nonexistent"), join(dir, "proxy"));
    const refused = (binary: string) =>
      new RegExp(
        `^Error: Athens binary ${binary.replace(/[.()]/g, "\\$&")} is not an executable file given by absolute path; set athens\\.local\\.binary$`,
      );
    const executableButRelative = relative(process.cwd(), process.execPath);
    assert.ok(executableButRelative.includes("/") && !executableButRelative.startsWith("/"));
    for (const binary of ["bin/proxy", executableButRelative, join(dir, "data"), join(dir, "missing")]) {
      assert.throws(() => resolveBinary(binary, `${dir}:${join(process.execPath, "..")}`), refused(binary), binary);
    }
  });
});
