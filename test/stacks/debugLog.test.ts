// The program's filter on the SDK's debug lines: a line carrying a secret value never reaches the engine.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { dropSecretDebugLines, secretFreeDebug } from "../../stacks/debugLog";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const SIGNATURE = (require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string }).specialSigKey;

describe("secret-free debug lines", () => {
  it("drops a line with a secret value in it and forwards the others unchanged", async () => {
    const sent: unknown[][] = [];
    const debug = secretFreeDebug((...args) => {
      sent.push(args);
      return Promise.resolve();
    }, SIGNATURE);
    // What runtime/resource.js logs for a key pair: the RPC answer, secret outputs serialised with the signature.
    await debug(`RegisterResource RPC finished: k; err: null, resp: urn,privateKey,,,,,${SIGNATURE},,,1b47,value,,,-----BEGIN …`);
    await debug("Registering resource: t=slipway:signing:SigningKeys, name=hello-signing-keys", undefined, 3);
    assert.deepEqual(sent, [["Registering resource: t=slipway:signing:SigningKeys, name=hello-signing-keys", undefined, 3]]);
  });

  it("is installed on the log module the SDK's resource code calls, once", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const log = require("@pulumi/pulumi/log") as { debug: unknown };
    const original = log.debug;
    dropSecretDebugLines();
    const filtered = log.debug;
    assert.notEqual(filtered, original);
    assert.equal(pulumi.log.debug, filtered, "pulumi.log is the same module object");
    dropSecretDebugLines();
    assert.equal(log.debug, filtered, "a second call wraps nothing again");
  });
});

/** Runs `body` while `require(id)` answers `exports` (the cached module's exports swapped, then restored). */
function withModule<T>(id: string, exports: unknown, body: () => T): T {
  const cached = require.cache[require.resolve(id)];
  assert.ok(cached !== undefined, `${id} is loaded`);
  const original: unknown = cached.exports;
  cached.exports = exports;
  try {
    return body();
  } finally {
    cached.exports = original;
  }
}

describe("dropSecretDebugLines on an SDK it does not know", () => {
  const debug = () => Promise.resolve();
  const CHANGED = "@pulumi/pulumi changed its log or rpc module; pin the version in package.json";
  const cases: readonly (readonly [string, object, object])[] = [
    ["log.debug is not a function", { debug: "debug", __esModule: true }, { specialSigKey: SIGNATURE }],
    ["the log module is not an ES module", { debug }, { specialSigKey: SIGNATURE }],
    ["the log module's __esModule is not exactly true", { debug, __esModule: 1 }, { specialSigKey: SIGNATURE }],
    ["the rpc module has no signature key", { debug, __esModule: true }, {}],
    ["the signature key is not a string", { debug, __esModule: true }, { specialSigKey: 42 }],
  ];
  for (const [title, log, rpc] of cases) {
    it(`refuses to run when ${title}, and changes nothing`, () => {
      const before = { ...log };
      assert.throws(
        () => withModule("@pulumi/pulumi/log", log, () => withModule("@pulumi/pulumi/runtime/rpc", rpc, dropSecretDebugLines)),
        { name: "Error", message: CHANGED },
      );
      assert.deepEqual(log, before);
    });
  }

  it("wraps a log module's debug once, however often it is called", async () => {
    const sent: unknown[] = [];
    const log = {
      debug: (message: string) => {
        sent.push(message);
        return Promise.resolve();
      },
      __esModule: true,
    };
    const original = log.debug;
    withModule("@pulumi/pulumi/log", log, () => withModule("@pulumi/pulumi/runtime/rpc", { specialSigKey: "SIG" }, dropSecretDebugLines));
    const filtered = log.debug;
    assert.notEqual(filtered, original);
    assert.deepEqual(log, { debug: filtered, __esModule: true, __slipwayFiltered: true });
    withModule("@pulumi/pulumi/log", log, () => withModule("@pulumi/pulumi/runtime/rpc", { specialSigKey: "SIG" }, dropSecretDebugLines));
    assert.equal(log.debug, filtered);
    await log.debug("resp: SIG,value");
    await log.debug("plain");
    assert.deepEqual(sent, ["plain"]);
  });
});
