// AthensLocalEndpoint under Pulumi mocks: one checked (never started) endpoint resource whose URL is kept
// secret in state; goproxy is secret only when the URL carries credentials.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AthensLocalEndpoint } from "../../components/athensLocalEndpoint";
import { SlipwayInputError } from "../../plan/errors";
import { T, mockOutputs } from "../support/athensMocks";
import { Registration, named, recordRegistrations, settle, valueOf } from "../support/mocks";

describe("AthensLocalEndpoint", () => {
  let registrations: Registration[];

  before(async () => {
    registrations = await recordRegistrations({ outputs: mockOutputs });
  });

  it("checks an existing endpoint; its goproxy is secret only when it embeds credentials", async () => {
    const plain = new AthensLocalEndpoint("e1", { kind: "local", source: "endpoint", url: "http://127.0.0.1:3000/" });
    const withCredentials = new AthensLocalEndpoint("e2", {
      kind: "local",
      source: "endpoint",
      url: "https://ci:pw@athens.example.com",
    });
    assert.equal(await valueOf(plain.goproxy), "http://127.0.0.1:3000");
    assert.equal(await pulumi.isSecret(plain.goproxy), false);
    assert.equal(await valueOf(withCredentials.goproxy), "https://ci:pw@athens.example.com");
    assert.equal(await pulumi.isSecret(withCredentials.goproxy), true);
    assert.equal(await valueOf(withCredentials.url), "https://athens.example.com");
    assert.equal(await pulumi.isSecret(withCredentials.url), false);
    await settle();
    assert.deepEqual(
      registrations
        .filter((r) => r.name.startsWith("e"))
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
      [`${T.localEndpoint} e1`, `${T.localEndpoint} e2`, `${T.dynamic} e1-endpoint`, `${T.dynamic} e2-endpoint`].sort(),
    );
    const inputs = named(registrations, "e2-endpoint").inputs;
    assert.equal(inputs.source, "endpoint");
    assert.deepEqual(inputs.url, {
      [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
      value: "https://ci:pw@athens.example.com",
    });
  });

  it("refuses an endpoint that is not a URL before declaring anything", async () => {
    await settle();
    const before = registrations.length;
    assert.throws(
      () => new AthensLocalEndpoint("r3", { kind: "local", source: "endpoint", url: "athens:3000" }),
      (error: unknown) =>
        error instanceof SlipwayInputError && /^slipway:athens\.local\.url = "athens:3000": not an http\(s\) URL;/.test(error.message),
    );
    await settle();
    assert.equal(registrations.length, before);
  });
});
