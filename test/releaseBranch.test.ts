// GoBinaries and LocalRelease with mocks: what they declare. The real build and publication are covered
// by goBuild.test.ts and localRelease.test.ts; the engine run by the e2e test.
import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { GoBinaries } from "../components/goBinaries";
import { LocalRelease } from "../components/localRelease";
import { planRelease } from "../plan/releasePlan";
import { Registration, named, recordRegistrations, settle, valueOf } from "./support/mocks";
import { releaseInput } from "./support/release";

const MODULE = join(__dirname, "..", "examples", "hello-go");
const plan = planRelease(releaseInput({ platforms: ["linux/amd64", "windows/amd64"], archives: "none" }));
let registrations: Registration[];

describe("GoBinaries and LocalRelease", () => {
  before(async () => {
    registrations = await recordRegistrations({
      outputs: (r) =>
        r.type.endsWith(":GoBuild")
          ? {
              files: Object.fromEntries(
                [...plan.assets.checksums.order, "SHA256SUMS"].map((n) => [n, { path: `/out/${n}`, sha256: "a".repeat(64), size: 1 }]),
              ),
              imageContext: "/out/image",
              modules: ["github.com/google/uuid@v1.6.0"],
            }
          : r.type.endsWith(":LocalRelease")
            ? { directory: "/releases/1.4.0", published: { SHA256SUMS: "a".repeat(64) } }
            : {},
    });
  });

  it("declares one hermetic build with the plan's targets and a secret proxy URL", async () => {
    const binaries = new GoBinaries("hello", { moduleDir: MODULE, plan, goproxy: pulumi.secret("http://u:p@127.0.0.1:3000") });
    await settle();
    const build = named(registrations, "hello-build");
    assert.equal(build.type, "pulumi-nodejs:dynamic/slipway:GoBuild");
    assert.equal(build.inputs.moduleDir, MODULE);
    assert.equal(build.inputs.outputDir, join(MODULE, "dist", "hello"));
    assert.equal(build.inputs.version, "1.4.0");
    assert.match(build.inputs.sourceHash as string, /^[0-9a-f]{64}$/);
    assert.match(build.inputs.goVersion as string, /^go1\.\d+/);
    assert.deepEqual((build.inputs.targets as { binary: string }[]).map((t) => t.binary), ["hello_1.4.0_linux_amd64", "hello_1.4.0_windows_amd64.exe"]);
    assert.deepEqual(build.inputs.imagePlatforms, ["linux/amd64"]);
    assert.equal(await valueOf(binaries.imageContext), "/out/image");
    assert.equal((await valueOf(binaries.sha256))["SHA256SUMS"], "a".repeat(64));
  });

  it("refuses a directory without go.mod before declaring anything", () => {
    assert.throws(() => new GoBinaries("nomod", { moduleDir: __dirname, plan, goproxy: "http://127.0.0.1:3000" }), /slipway:module = ".*": no go.mod and go.sum there/);
    assert.equal(registrations.filter((r) => r.name.startsWith("nomod")).length, 0);
  });

  it("publishes every planned asset plus SHA256SUMS to <root>/<version>", async () => {
    const files = Object.fromEntries([...plan.assets.checksums.order, "SHA256SUMS"].map((n) => [n, { path: `/out/${n}`, sha256: "b".repeat(64), size: 1 }]));
    const release = new LocalRelease("hello", { plan, files, root: "/releases" });
    await settle();
    const publication = named(registrations, "hello-publication");
    assert.equal(publication.type, "pulumi-nodejs:dynamic/slipway:LocalRelease");
    assert.equal(publication.inputs.version, "1.4.0");
    assert.deepEqual((publication.inputs.files as { name: string }[]).map((f) => f.name), ["hello_1.4.0_linux_amd64", "hello_1.4.0_windows_amd64.exe", "SHA256SUMS"]);
    assert.equal(await valueOf(release.directory), "/releases/1.4.0");
  });

  it("refuses a relative release root", () => {
    assert.throws(() => new LocalRelease("rel", { plan, files: {}, root: "dist/releases" }), /must be an absolute path/);
    assert.equal(registrations.filter((r) => r.name.startsWith("rel")).length, 0);
  });
});
