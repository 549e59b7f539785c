// Runs the Pulumi-side config loader against the SDK's real config store (no engine). What this cannot
// prove: how the engine fills that store from a stack file; the real-engine stack run covers that.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig, readRawStackConfig } from "../../stacks/config";
import { COMMIT, COMMIT_TIME } from "../support/release";

const BASE = {
  "slipway:version": "v1.4.0",
  "slipway:commit": COMMIT,
  "slipway:commitTime": COMMIT_TIME,
  "slipway:registries": JSON.stringify([{ kind: "external", address: "ghcr.io/acme", username: "bot", passwordSecret: "ghcrToken" }]),
  "other:setting": "ignored",
};

describe("loadStackConfig", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args: pulumi.runtime.MockResourceArgs) => ({ id: `${args.name}-id`, state: {} }),
        call: (args: pulumi.runtime.MockCallArgs) => {
          throw new Error(`Mock call not implemented: ${args.token}`);
        },
      },
      "hello",
      "local",
    );
  });

  it("reads only slipway:* settings and knows which are stored as secrets", () => {
    pulumi.runtime.setAllConfig({ ...BASE, "slipway:ghcrToken": "t0ken" }, ["slipway:ghcrToken"]);
    const raw = readRawStackConfig();
    assert.deepEqual(Object.keys(raw.values).sort(), ["commit", "commitTime", "ghcrToken", "registries", "version"]);
    assert.deepEqual([...raw.secretKeys], ["ghcrToken"]);
    assert.equal(raw.project, "hello");
    const settings = loadStackConfig();
    assert.equal(settings.plan.version, "1.4.0");
    assert.equal(settings.plan.name, "hello");
    assert.deepEqual(settings.secretSettings, ["ghcrToken"]);
  });

  it("refuses a credential stored in plain text", () => {
    pulumi.runtime.setAllConfig({ ...BASE, "slipway:ghcrToken": "t0ken" }, []);
    assert.throws(() => loadStackConfig(), /^SlipwayInputError: slipway:ghcrToken = "\(value not shown\)": stored in plain text/);
  });
});
