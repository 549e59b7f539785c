// GoBinaries and LocalRelease with mocks: what they declare. The real build and publication are covered
// by goBuild.test.ts and localRelease.test.ts; the engine run by the e2e test.
import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { GoBinaries } from "../../components/goBinaries";
import { LocalRelease } from "../../components/localRelease";
import { compileIsolationWarning } from "../../plan/goBuild";
import { planRelease } from "../../plan/releasePlan";
import { Registration, named, parentName, recordRegistrations, settle, valueOf } from "../support/mocks";
import { releaseInput } from "../support/release";

const MODULE = join(__dirname, "..", "..", "examples", "hello-go");
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
              // What an earlier update recorded: not the Go on PATH now.
              goVersion: "go1.21.0",
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
    assert.deepEqual(build.options.additionalSecretOutputs, ["goproxy"], "the proxy URL may carry credentials");
    assert.equal(parentName(build), "hello");
    assert.equal(build.inputs.outputDir, join(MODULE, "dist", "hello"));
    assert.deepEqual(
      (build.inputs.targets as { ldflags: string }[]).map((t) => t.ldflags),
      [0, 1].map(() => `-buildid= -s -w -X main.version=1.4.0 -X main.commit=${plan.commit.sha} -X main.date=${plan.commit.time}`),
    );
    assert.match(build.inputs.sourceHash as string, /^[0-9a-f]{64}$/);
    assert.match(build.inputs.goVersion as string, /^go1\.\d+/);
    assert.deepEqual(
      (build.inputs.targets as { file: string }[]).map((t) => t.file),
      ["hello_1.4.0_linux_amd64", "hello_1.4.0_windows_amd64.exe"],
    );
    assert.deepEqual(build.inputs.archives, [], "archives: none");
    assert.deepEqual(build.inputs.imagePlatforms, ["linux/amd64"]);
    assert.equal(await valueOf(binaries.imageContext), "/out/image");
    assert.equal((await valueOf(binaries.sha256))["SHA256SUMS"], "a".repeat(64));
    assert.equal(await valueOf(binaries.goVersion), "go1.21.0", "the Go the build recorded");
  });

  it("keeps the recorded build of a re-released version whatever the working tree's source; a release tracks it", async () => {
    new GoBinaries("again", { moduleDir: MODULE, plan, goproxy: "http://127.0.0.1:3000", republished: true });
    new GoBinaries("fresh", { moduleDir: MODULE, plan, goproxy: "http://127.0.0.1:3000" });
    await settle();
    assert.deepEqual(named(registrations, "again-build").options.ignoreChanges, ["sourceHash", "goVersion"]);
    assert.deepEqual(named(registrations, "fresh-build").options.ignoreChanges, []);
  });

  it("warns once, with the fix, when the compile step cannot get a network namespace, and not otherwise", (t) => {
    const warn = t.mock.method(pulumi.log, "warn", () => Promise.resolve());
    const refusal = "unshare: unshare failed: Operation not permitted";
    new GoBinaries("nonroot", { moduleDir: MODULE, plan, goproxy: "http://127.0.0.1:3000", unshareProbe: () => refusal });
    assert.equal(warn.mock.callCount(), 1);
    const [message, resource] = warn.mock.calls[0]?.arguments ?? [];
    assert.equal(message, compileIsolationWarning(refusal));
    assert.match(
      String(message),
      /unshare --net is not permitted here \(unshare: unshare failed: Operation not permitted\); .*fix: run the release as root/,
    );
    assert.ok(resource instanceof GoBinaries);
    new GoBinaries("root", { moduleDir: MODULE, plan, goproxy: "http://127.0.0.1:3000", unshareProbe: () => undefined });
    assert.equal(warn.mock.callCount(), 1, "no warning where unshare is permitted");
  });

  it("refuses a directory without go.mod before declaring anything", () => {
    assert.throws(
      () => new GoBinaries("nomod", { moduleDir: __dirname, plan, goproxy: "http://127.0.0.1:3000" }),
      /slipway:module = ".*": no go.mod and go.sum there/,
    );
    assert.equal(registrations.filter((r) => r.name.startsWith("nomod")).length, 0);
  });

  it("publishes every planned asset plus SHA256SUMS to <root>/<version>", async () => {
    const files = Object.fromEntries(
      [...plan.assets.checksums.order, "SHA256SUMS"].map((n) => [n, { path: `/out/${n}`, sha256: "b".repeat(64), size: 1 }]),
    );
    const release = new LocalRelease("hello", { plan, files, root: "/releases" });
    await settle();
    const publication = named(registrations, "hello-publication");
    assert.equal(publication.type, "pulumi-nodejs:dynamic/slipway:LocalRelease");
    assert.equal(publication.inputs.version, "1.4.0");
    assert.equal(publication.options.retainOnDelete, true, "a published directory outlives the stack");
    assert.equal(parentName(publication), "hello");
    assert.deepEqual(
      (publication.inputs.files as { name: string }[]).map((f) => f.name),
      ["hello_1.4.0_linux_amd64", "hello_1.4.0_windows_amd64.exe", "SHA256SUMS"],
    );
    assert.equal(await valueOf(release.directory), "/releases/1.4.0");
  });

  it("refuses a relative release root", () => {
    assert.throws(() => new LocalRelease("rel", { plan, files: {}, root: "dist/releases" }), /must be an absolute path/);
    assert.equal(registrations.filter((r) => r.name.startsWith("rel")).length, 0);
  });
});

describe("BaseImage", () => {
  const pinned = "registry.example.com/library/static@sha256:" + "c".repeat(64);

  it("mirrors an image from elsewhere into the stack's own registry under the same digest", async () => {
    const { BaseImage } = await import("../../components/baseImage.js");
    const base = new BaseImage("mirrored", {
      source: pinned,
      ownRegistries: ["127.0.0.1:5000"],
      mirrorRepositoryUrl: "127.0.0.1:5000/mirror/library/static",
    });
    await settle();
    const mirror = named(registrations, "mirrored-mirror");
    assert.equal(mirror.type, "pulumi-nodejs:dynamic/slipway:ImageMirror");
    assert.equal(mirror.options.retainOnDelete, true, "a mirrored image outlives the stack");
    assert.deepEqual(mirror.options.additionalSecretOutputs, ["targetCredentials"], "the registry credentials are secret in state");
    assert.equal(parentName(mirror), "mirrored");
    assert.deepEqual(
      [mirror.inputs.sourceRegistry, mirror.inputs.targetRegistry, mirror.inputs.targetRepository, mirror.inputs.digest],
      ["registry.example.com", "127.0.0.1:5000", "mirror/library/static", "sha256:" + "c".repeat(64)],
    );
    assert.ok(base.ref !== undefined);
  });

  it("uses an image already in an own registry as it is, and refuses an unpinned one", async () => {
    const { BaseImage } = await import("../../components/baseImage.js");
    const own = new BaseImage("own", {
      source: pinned.replace("registry.example.com", "127.0.0.1:5000"),
      ownRegistries: ["127.0.0.1:5000"],
      mirrorRepositoryUrl: "unused",
    });
    assert.equal(await valueOf(own.ref), pinned.replace("registry.example.com", "127.0.0.1:5000"));
    await settle();
    assert.equal(registrations.filter((r) => r.name === "own-mirror").length, 0);
    assert.throws(
      () => new BaseImage("loose", { source: "alpine:3", ownRegistries: [], mirrorRepositoryUrl: "x" }),
      /slipway:baseImage = "alpine:3": base images are pinned by digest/,
    );
  });
});
