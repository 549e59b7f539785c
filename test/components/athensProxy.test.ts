// AthensProxy under Pulumi mocks: it checks every kind's settings before declaring anything, declares
// exactly the kind's child component under its own name, and gives builds the Go environment (secret
// whenever the GOPROXY carries credentials). The children's resources are tested in
// test/components/athens{Aws,LocalProcess,LocalEndpoint}.test.ts.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AthensProxy, checkAthensProxyArgs } from "../../components/athensProxy";
import { SlipwayInputError } from "../../plan/errors";
import { PASSWORD, T, awsArgs, mockOutputs } from "../support/athensMocks";
import { Registration, recordRegistrations, settle, valueOf } from "../support/mocks";

/** The components (not the cloud resources) registered under names starting with `prefix`. */
function components(registrations: readonly Registration[], prefix: string): string[] {
  return registrations
    .filter((r) => r.name.startsWith(prefix) && r.type.startsWith("slipway:athens:"))
    .map((r) => `${r.type} ${r.name}`)
    .sort();
}

describe("AthensProxy", () => {
  let registrations: Registration[];

  before(async () => {
    registrations = await recordRegistrations({ outputs: mockOutputs });
  });

  it("aws: declares AthensAws under its own name; goproxy and goEnv carry the credentials as secrets", async () => {
    const proxy = new AthensProxy("a", awsArgs({ privatePatterns: ["github.com/b/*", "github.com/a/*"] }));
    const goEnv = await valueOf(proxy.goEnv);
    await settle();
    assert.deepEqual(components(registrations, "a"), [`${T.aws} a`, `${T.component} a`]);
    const goproxy = `https://ci:${encodeURIComponent(PASSWORD)}@athens.build.example.com`;
    assert.deepEqual(goEnv, {
      CGO_ENABLED: "0",
      GOFLAGS: "-mod=readonly",
      GONOPROXY: "none",
      GONOSUMDB: "github.com/a/*,github.com/b/*",
      GOPRIVATE: "github.com/a/*,github.com/b/*",
      GOPROXY: goproxy,
      GOTOOLCHAIN: "local",
      GOVCS: "*:off",
    });
    assert.equal(await valueOf(proxy.goproxy), goproxy);
    assert.equal(await pulumi.isSecret(proxy.goproxy), true);
    assert.equal(await pulumi.isSecret(proxy.goEnv), true);
    assert.equal(await valueOf(proxy.url), "https://athens.build.example.com");
    assert.equal(await valueOf(proxy.bucketName!), "a-modules-bucket");
    assert.equal((await valueOf(proxy.loadBalancer!)).zoneId, "Z32O12XQLNTSW2");
    assert.equal(proxy.adopted, undefined);
  });

  it("local process: declares AthensLocalProcess; goproxy is the loopback URL, not secret", async () => {
    const proxy = new AthensProxy("l", { kind: "local", source: "process", port: 3111, storageDir: "/srv/athens/storage" });
    const goEnv = await valueOf(proxy.goEnv);
    await settle();
    assert.deepEqual(components(registrations, "l"), [`${T.localProcess} l`, `${T.component} l`]);
    assert.equal(goEnv.GOPROXY, "http://127.0.0.1:3111");
    assert.equal(goEnv.GOPRIVATE, undefined);
    assert.equal(await pulumi.isSecret(proxy.goEnv), false);
    assert.equal(await valueOf(proxy.adopted!), false);
    assert.equal(proxy.bucketName, undefined);
    assert.equal(proxy.loadBalancer, undefined);
  });

  it("local endpoint: declares AthensLocalEndpoint; goEnv is secret only when the URL carries credentials", async () => {
    const plain = new AthensProxy("e1", { kind: "local", source: "endpoint", url: "http://127.0.0.1:3000/", gosumdb: "sum.golang.org" });
    const withCredentials = new AthensProxy("e2", { kind: "local", source: "endpoint", url: "https://ci:pw@athens.example.com" });
    const plainEnv = await valueOf(plain.goEnv);
    assert.deepEqual([plainEnv.GOPROXY, plainEnv.GOSUMDB], ["http://127.0.0.1:3000", "sum.golang.org"]);
    assert.equal(await pulumi.isSecret(plain.goEnv), false);
    assert.equal((await valueOf(withCredentials.goEnv)).GOPROXY, "https://ci:pw@athens.example.com");
    assert.equal(await pulumi.isSecret(withCredentials.goEnv), true);
    assert.equal(await valueOf(withCredentials.url), "https://athens.example.com");
    await settle();
    assert.deepEqual(components(registrations, "e"), [
      `${T.localEndpoint} e1`,
      `${T.localEndpoint} e2`,
      `${T.component} e1`,
      `${T.component} e2`,
    ]);
    assert.equal(plain.adopted, undefined);
  });

  it("checks every kind and returns what the Go clients need", () => {
    const aws = awsArgs({ privatePatterns: ["github.com/b/*", "github.com/a/*"] });
    assert.deepEqual(checkAthensProxyArgs(aws).privatePatterns, ["github.com/a/*", "github.com/b/*"]);
    assert.deepEqual(checkAthensProxyArgs({ kind: "local", source: "process", gosumdb: "sum.golang.org" }).gosumdb, "sum.golang.org");
    assert.deepEqual(checkAthensProxyArgs({ kind: "local", source: "endpoint", url: "http://127.0.0.1:3000" }), {
      privatePatterns: [],
      gosumdb: undefined,
    });
  });

  const REFUSED: readonly [string, () => unknown, RegExp][] = [
    [
      "an aws proxy with one subnet",
      () => new AthensProxy("r1", awsArgs({ subnetIds: ["subnet-a"] })),
      /^slipway:athens\.aws\.subnetIds = \["subnet-a"\]: an application load balancer needs subnets in two availability zones;/,
    ],
    [
      "a local process listening beyond loopback",
      () => new AthensProxy("r2", { kind: "local", source: "process", host: "0.0.0.0" }),
      /^slipway:athens\.local\.host = "0\.0\.0\.0": a local Athens listens on loopback only;/,
    ],
    [
      "an endpoint with a private pattern matching every module",
      () => new AthensProxy("r3", { kind: "local", source: "endpoint", url: "http://127.0.0.1:3000", privatePatterns: ["*"] }),
      /^slipway:athens\.privatePatterns\[0\] = "\*": matches public modules too/,
    ],
  ];
  REFUSED.forEach(([title, run, message], index) => {
    it(`[${index}] refuses ${title} before declaring anything`, async () => {
      await settle();
      const before = registrations.length;
      assert.throws(run, (error: unknown) => error instanceof SlipwayInputError && message.test(error.message));
      await settle();
      assert.equal(registrations.length, before);
    });
  });
});
