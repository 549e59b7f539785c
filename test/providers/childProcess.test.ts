// How a dynamic provider runs a program: its output as text or bytes, its input, its environment and
// directory, a failure worded by the caller, a time limit, and never blocking the provider process.
import assert from "node:assert/strict";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ProgramFailure, lastLines, programBytes, programOutput } from "../../providers/childProcess";

const sh = (script: string) => ["-c", script] as const;
const failed = (failure: ProgramFailure) =>
  new Error(JSON.stringify({ timedOut: failure.timedOut, stderr: failure.stderr, code: failure.error.code }));

describe("running a program from a provider", () => {
  it("returns its standard output, with the directory, environment and input it was given", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "slipway-child-")));
    try {
      const output = await programOutput(
        "sh",
        sh('pwd; printf "%s\\n" "$GREETING"; cat'),
        { cwd: dir, env: { GREETING: "hello" }, input: "from stdin" },
        failed,
      );
      assert.equal(output, `${dir}\nhello\nfrom stdin`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("closes the standard input at once when there is none, so a program reading it ends", async () => {
    assert.equal(await programOutput("cat", [], {}, failed), "");
  });

  it("returns bytes unchanged in bytes mode", async () => {
    const input = Buffer.from([0, 255, 10, 13, 128, 1]);
    const output = await programBytes("cat", [], { input }, failed);
    assert.ok(Buffer.isBuffer(output));
    assert.deepEqual(output, input);
  });

  it("rejects with the caller's error, given the standard error and the exit", async () => {
    await assert.rejects(programOutput("sh", sh("echo one >&2; echo two >&2; exit 3"), {}, failed), {
      message: JSON.stringify({ timedOut: false, stderr: "one\ntwo\n", code: 3 }),
    });
    await assert.rejects(programOutput("/nonexistent/program", [], {}, failed), { message: /"code":"ENOENT"/ });
  });

  it("kills a program that runs past its time limit and says so", async () => {
    const started = Date.now();
    await assert.rejects(programOutput("sleep", ["30"], { timeoutMs: 200 }, failed), {
      message: JSON.stringify({ timedOut: true, stderr: "", code: null }),
    });
    assert.ok(Date.now() - started < 10_000, "killed, not waited for");
  });

  it("keeps output up to the limit it was given and fails past it", async () => {
    assert.equal((await programOutput("head", ["-c", "1000", "/dev/zero"], { maxBuffer: 1000 }, failed)).length, 1000);
    // A too-long output is no timeout, even with a time limit set.
    await assert.rejects(programOutput("head", ["-c", "1001", "/dev/zero"], { maxBuffer: 1000, timeoutMs: 60_000 }, failed), {
      message: /^\{"timedOut":false,.*"code":"ERR_CHILD_PROCESS_STDIO_MAXBUFFER"\}$/,
    });
    // The default keeps far more than Node's own 1 MiB.
    assert.equal((await programOutput("head", ["-c", String(3 * 1024 * 1024), "/dev/zero"], {}, failed)).length, 3 * 1024 * 1024);
  });

  it("survives a program that exits before reading the input it was given", async () => {
    await assert.rejects(programOutput("sh", sh("exit 4"), { input: Buffer.alloc(8 * 1024 * 1024) }, failed), { message: /"code":4/ });
  });

  it("runs programs side by side: the provider process is never blocked", async () => {
    const started = Date.now();
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(Date.now()), 20);
    try {
      await Promise.all([1, 2, 3].map(() => programOutput("sleep", ["0.6"], {}, failed)));
    } finally {
      clearInterval(timer);
    }
    assert.ok(Date.now() - started < 1_700, `three 0.6 s runs took ${Date.now() - started} ms`);
    assert.ok(ticks.length >= 10, `the event loop ran ${ticks.length} times meanwhile`);
  });

  it("keeps the last lines of a standard error, joined on one line", () => {
    const cases: [string, number, string][] = [
      ["a\nb\nc\n", 2, "b | c"],
      ["  only  \n", 4, "only"],
      ["", 3, ""],
      ["x\ny", 6, "x | y"],
    ];
    for (const [stderr, count, expected] of cases) assert.equal(lastLines(stderr, count), expected, JSON.stringify(stderr));
  });
});
