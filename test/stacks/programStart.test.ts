// What the program does first to make every update shorter: the dynamic-provider host asked for before the
// declarations, and stack traces formatted by Node.js instead of source-map-support.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { START_HOST_TOKEN, startDynamicProviderHost, useNodeStackTraces } from "../../stacks/programStart";
import { recordRegistrations } from "../support/mocks";

const SNAPSHOT = join(__dirname, "..", "support", "stackSnapshot.ts");

describe("startDynamicProviderHost", () => {
  it("has sent the request when it resolves, and drops the host's unknown-function answer", async () => {
    const sequence: string[] = [];
    // No answer for the token: the mock fails the invoke as the host does.
    await recordRegistrations({ sequence });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      await startDynamicProviderHost();
      assert.deepEqual(sequence, [`invoke ${START_HOST_TOKEN}`]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("is asked for by the program after it reads its record and before it declares anything else", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", SNAPSHOT, "local"], {
      encoding: "utf8",
      env: { ...process.env, SLIPWAY_SNAPSHOT_SEQUENCE: "1" },
    });
    assert.equal(run.status, 0, run.stderr);
    const line = run.stderr.split("\n").find((l) => l.startsWith("sequence: "));
    assert.ok(line !== undefined, run.stderr);
    const sequence = JSON.parse(line.slice("sequence: ".length)) as string[];
    assert.deepEqual(sequence.slice(0, 3), [
      "register pulumi:pulumi:StackReference organization/slipway/local",
      `invoke ${START_HOST_TOKEN}`,
      "register slipway:release:Release hello",
    ]);
    assert.equal(sequence.filter((s) => s === `invoke ${START_HOST_TOKEN}`).length, 1);
    // The engine starts the provider of the token's package: the one every dynamic resource's type names.
    assert.ok(sequence.filter((s) => s.startsWith("register pulumi-nodejs:dynamic/")).length > 10, "the stack declares dynamic resources");
    assert.match(START_HOST_TOKEN, /^pulumi-nodejs:dynamic:[A-Za-z]+$/);
  });
});

describe("useNodeStackTraces", () => {
  it("takes stack traces back from a formatter installed before it, to Node.js's own", () => {
    const saved = Object.getOwnPropertyDescriptor(Error, "prepareStackTrace");
    try {
      let formatted = 0;
      Error.prepareStackTrace = (error, frames) => {
        formatted++;
        return `${String(error)} (${frames.length} frames)`;
      };
      assert.match(String(new Error("before").stack), /frames\)$/);
      useNodeStackTraces();
      const stack = String(new Error("after").stack);
      assert.equal(formatted, 1);
      assert.match(stack, /^Error: after\n {4}at /);
      assert.match(stack, /programStart\.test\.ts:\d+:\d+/);
    } finally {
      if (saved === undefined) delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
      else Object.defineProperty(Error, "prepareStackTrace", saved);
    }
  });
});
