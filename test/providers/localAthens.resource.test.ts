// The LocalAthens resource under Pulumi mocks: its type token, the inputs it registers, the outputs it
// exposes for each source, and that only an endpoint's URL (which may embed credentials) is asked to be
// kept secret (additionalSecretOutputs). What mocks cannot prove: that the engine then stores it as a
// secret (mocks do not apply the option), and the real engine's serialisation of the provider.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { LocalAthens } from "../../providers/localAthens";
import { Registration, named, recordRegistrations, settle, valueOf } from "../support/mocks";

const TYPE = "pulumi-nodejs:dynamic/slipway:LocalAthens";

/** The resource's own output properties (besides the SDK's urn, id and __provider), sorted. */
function outputNames(resource: object): string[] {
  return Object.entries(resource)
    .filter(([name, value]) => pulumi.Output.isInstance(value) && !["urn", "id", "__provider"].includes(name))
    .map(([name]) => name)
    .sort();
}

describe("LocalAthens resource", () => {
  let registrations: Registration[];

  before(async () => {
    registrations = await recordRegistrations({
      outputs: (registration) =>
        registration.inputs.source === "process"
          ? { url: "http://127.0.0.1:3000", pid: 4242, adopted: false, healthy: true }
          : { healthy: true },
    });
  });

  it("declares a process with every output the provider returns, none of them secret in state", async () => {
    const athens = new LocalAthens("p1", {
      source: "process",
      binary: "proxy",
      host: "127.0.0.1",
      port: 3000,
      storageRoot: "/var/lib/athens",
      stateDir: "/run/athens",
      downloadMode: "none",
      networkMode: "offline",
      env: { ATHENS_PORT: "127.0.0.1:3000" },
      startTimeoutMs: 1000,
    });
    assert.deepEqual(outputNames(athens), [
      "adopted",
      "binary",
      "binaryPath",
      "downloadMode",
      "env",
      "healthy",
      "host",
      "identity",
      "logFile",
      "managed",
      "networkMode",
      "pid",
      "pidFile",
      "port",
      "source",
      "startTimeoutMs",
      "stateDir",
      "storageRoot",
      "url",
    ]);
    assert.equal(await valueOf(athens.pid), 4242);
    assert.equal(await valueOf(athens.url), "http://127.0.0.1:3000");
    await settle();
    const registration = named(registrations, "p1");
    assert.equal(registration.type, TYPE);
    assert.deepEqual(registration.options.additionalSecretOutputs, []);
    assert.equal(registration.inputs.source, "process");
    assert.equal(registration.inputs.storageRoot, "/var/lib/athens");
    assert.deepEqual(registration.inputs.env, { ATHENS_PORT: "127.0.0.1:3000" });
  });

  it("declares an endpoint with only its URL and health, the URL secret in state", async () => {
    const athens = new LocalAthens("e1", { source: "endpoint", url: "https://ci:pw@athens.example.com" });
    assert.deepEqual(outputNames(athens), ["healthy", "source", "url"]);
    assert.equal(await valueOf(athens.healthy), true);
    await settle();
    const registration = named(registrations, "e1");
    assert.equal(registration.type, TYPE);
    assert.deepEqual(registration.options.additionalSecretOutputs, ["url"]);
    assert.equal(registration.inputs.source, "endpoint");
    assert.equal(registration.inputs.url, "https://ci:pw@athens.example.com");
  });
});
