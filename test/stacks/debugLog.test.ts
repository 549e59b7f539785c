// The program's filter on the SDK's debug lines: none reaches the engine unless SLIPWAY_SDK_DEBUG=1, and then
// never a line carrying a secret value.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { filterSdkDebugLines, secretFreeDebug } from "../../stacks/debugLog";

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
    filterSdkDebugLines();
    const filtered = log.debug;
    assert.notEqual(filtered, original);
    assert.equal(pulumi.log.debug, filtered, "pulumi.log is the same module object");
    filterSdkDebugLines();
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

describe("filterSdkDebugLines on an SDK it does not know", () => {
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
      assert.throws(() => withModule("@pulumi/pulumi/log", log, () => withModule("@pulumi/pulumi/runtime/rpc", rpc, filterSdkDebugLines)), {
        name: "Error",
        message: CHANGED,
      });
      assert.deepEqual(log, before);
    });
  }

  /** A stand-in log module recording what its debug sends, filtered as the program filters it under `env`. */
  function filtered(env: NodeJS.ProcessEnv): { log: { debug: (message: string) => Promise<void> }; sent: string[] } {
    const sent: string[] = [];
    const log = {
      debug: (message: string) => {
        sent.push(message);
        return Promise.resolve();
      },
      __esModule: true,
    };
    withModule("@pulumi/pulumi/log", log, () =>
      withModule("@pulumi/pulumi/runtime/rpc", { specialSigKey: "SIG" }, () => filterSdkDebugLines(env)),
    );
    return { log, sent };
  }

  it("wraps a log module's debug once, however often it is called", async () => {
    const { log, sent } = filtered({ SLIPWAY_SDK_DEBUG: "1" });
    const wrapped = log.debug;
    assert.deepEqual(log, { debug: wrapped, __esModule: true, __slipwayFiltered: true });
    withModule("@pulumi/pulumi/log", log, () =>
      withModule("@pulumi/pulumi/runtime/rpc", { specialSigKey: "SIG" }, () => filterSdkDebugLines({ SLIPWAY_SDK_DEBUG: "1" })),
    );
    assert.equal(log.debug, wrapped);
    await log.debug("resp: SIG,value");
    await log.debug("plain");
    assert.deepEqual(sent, ["plain"]);
  });

  const settings: readonly (readonly [string | undefined, boolean])[] = [
    ["1", true],
    [undefined, false],
    ["", false],
    ["0", false],
    ["true", false],
    [" 1", false],
  ];
  for (const [value, forwards] of settings) {
    it(`SLIPWAY_SDK_DEBUG=${JSON.stringify(value)}: ${forwards ? "forwards the lines without a secret" : "sends no line at all"}`, async () => {
      const { log, sent } = filtered(value === undefined ? {} : { SLIPWAY_SDK_DEBUG: value });
      await log.debug("Registering resource: t=slipway:release:Release, name=hello");
      await log.debug("resp: SIG,value");
      assert.deepEqual(sent, forwards ? ["Registering resource: t=slipway:release:Release, name=hello"] : []);
    });
  }
});
