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
