// MultiArchImage with mocks. What mocks cannot prove: that BuildKit accepts the build (the real-engine
// e2e does), or the order the engine runs things in beyond the declared dependencies.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { MultiArchImage, scratchRecipe } from "../../components/multiArchImage";
import { planRelease } from "../../plan/releasePlan";
import { Registration, dependencyNames, named, ofType, parentName, recordRegistrations, settle, valueOf } from "../support/mocks";
import { publishedAt, releaseInput } from "../support/release";

const DIGEST = "sha256:" + "d".repeat(64);
/** What the mocked per-platform builds report: a digest per platform. */
const PLATFORM_DIGEST = (platforms: unknown) => "sha256:" + (JSON.stringify(platforms).includes("arm64") ? "a" : "e").repeat(64);
/** A project's own Dockerfile (slipway:dockerfile), as opposed to slipway's built-in recipe. */
const DOCKERFILE = join(mkdtempSync(join(tmpdir(), "slipway-dockerfile-")), "Dockerfile");
writeFileSync(
  DOCKERFILE,
  "ARG BASE_IMAGE=scratch\nFROM ${BASE_IMAGE}\nARG TARGETOS\nARG TARGETARCH\nCOPY bin/${TARGETOS}_${TARGETARCH}/hello /usr/bin/hello\n",
);
let registrations: Registration[];

describe("MultiArchImage", () => {
  before(async () => {
    registrations = await recordRegistrations({
      outputs: (r) =>
        r.type === "docker-build:index:Image"
          ? { digest: PLATFORM_DIGEST(r.inputs.platforms) }
          : r.type.endsWith(":ImageIndex")
            ? { digest: DIGEST }
            : r.type.endsWith("RegistryTag")
              ? { platforms: { "linux/amd64": "sha256:" + "1".repeat(64) } }
              : {},
    });
  });

  it("builds each platform once, pushes by digest to every registry, joins them by an index in each, then tags immutable before floating", async () => {
    const plan = planRelease(releaseInput({ version: "1.3.9", published: publishedAt("1.3.8", "1.4.0") }));
    const image = new MultiArchImage("hello", {
      plan,
      context: "/tmp/ctx",
      dockerfile: DOCKERFILE,
      registries: [
        { name: "local", repositoryUrl: "127.0.0.1:5000/hello" },
        {
          name: "ghcr.io",
          repositoryUrl: "ghcr.io/acme/hello",
          credentials: { address: "ghcr.io", username: "bot", password: pulumi.secret("t0ken") } as never,
        },
      ],
      baseImage: "127.0.0.1:5000/base@sha256:" + "b".repeat(64),
      builder: "slipway",
      cacheRepositoryUrl: "127.0.0.1:5000/hello-cache",
    });
    await settle();
    const mine = registrations.filter((r) => r.name.startsWith("hello"));
    assert.deepEqual(mine.map((r) => `${r.type} ${r.name}`).sort(), [
      "docker-build:index:Image hello-build-linux-amd64",
      "docker-build:index:Image hello-build-linux-arm64",
      "pulumi-nodejs:dynamic/slipway:ImageIndex hello-ghcr.io-index",
      "pulumi-nodejs:dynamic/slipway:ImageIndex hello-local-index",
      "pulumi-nodejs:dynamic/slipway:RegistryTag hello-ghcr.io-immutable-0",
      "pulumi-nodejs:dynamic/slipway:RegistryTag hello-ghcr.io-immutable-1",
      "pulumi-nodejs:dynamic/slipway:RegistryTag hello-ghcr.io-v1.3",
      "pulumi-nodejs:dynamic/slipway:RegistryTag hello-local-immutable-0",
      "pulumi-nodejs:dynamic/slipway:RegistryTag hello-local-immutable-1",
      "pulumi-nodejs:dynamic/slipway:RegistryTag hello-local-v1.3",
      "slipway:image:MultiArchImage hello",
    ]);
    for (const platform of ["linux/amd64", "linux/arm64"]) {
      const slug = platform.replace("/", "-");
      const build = named(registrations, `hello-build-${slug}`).inputs;
      assert.equal(build.push, false);
      assert.deepEqual(build.platforms, [platform], "one platform per build");
      assert.deepEqual(build.exports, [
        { registry: { names: ["127.0.0.1:5000/hello", "ghcr.io/acme/hello"], pushByDigest: true, ociMediaTypes: true, push: true } },
      ]);
      assert.equal((build.buildArgs as Record<string, string>).BASE_IMAGE, "127.0.0.1:5000/base@sha256:" + "b".repeat(64));
      assert.equal((build.buildArgs as Record<string, string>).SOURCE_DATE_EPOCH, String(plan.commit.sourceDateEpoch));
      assert.deepEqual(build.builder, { name: "slipway" });
      assert.deepEqual(build.dockerfile, { inline: readFileSync(DOCKERFILE, "utf8") });
      assert.equal(build.buildOnPreview, false);
      // Each platform's cache is read and written in the cache's own repository, never as a tag among the release's.
      const ref = `127.0.0.1:5000/hello-cache:buildkit-${slug}`;
      assert.deepEqual(build.cacheFrom, [{ registry: { ref } }]);
      assert.deepEqual(build.cacheTo, [{ registry: { ref, mode: "max", imageManifest: true, ociMediaTypes: true, ignoreError: true } }]);
    }
    const builds = ["hello-build-linux-amd64", "hello-build-linux-arm64"];
    for (const [name, repository] of [
      ["hello-local-index", "hello"],
      ["hello-ghcr.io-index", "acme/hello"],
    ] as const) {
      const index = named(registrations, name);
      assert.equal(index.inputs.repository, repository);
      assert.deepEqual(
        index.inputs.manifests,
        [
          { platform: "linux/amd64", digest: "sha256:" + "e".repeat(64) },
          { platform: "linux/arm64", digest: "sha256:" + "a".repeat(64) },
        ],
        `${name} joins every platform's image, in the plan's order`,
      );
      assert.deepEqual(dependencyNames(index), builds);
      assert.deepEqual(index.options.additionalSecretOutputs, ["credentials"]);
    }
    assert.deepEqual(named(registrations, "hello-ghcr.io-index").inputs.credentials, {
      [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
      value: { username: "bot", password: "t0ken" },
    });
    assert.equal(named(registrations, "hello-local-index").inputs.credentials, undefined);
    assert.equal(await valueOf(image.digest), DIGEST);
    assert.deepEqual(
      await valueOf(image.platformDigests),
      { "linux/amd64": "sha256:" + "e".repeat(64), "linux/arm64": "sha256:" + "a".repeat(64) },
      "each platform's digest comes from its build, not from a tag read back after the index",
    );

    const immutable = ["hello-ghcr.io-immutable-0", "hello-ghcr.io-immutable-1", "hello-local-immutable-0", "hello-local-immutable-1"];
    for (const name of immutable) {
      const registry = name.startsWith("hello-local") ? "hello-local-index" : "hello-ghcr.io-index";
      assert.deepEqual(dependencyNames(named(registrations, name)), [registry], `${name} tags its own registry's index`);
    }
    for (const name of ["hello-local-v1.3", "hello-ghcr.io-v1.3"]) {
      const registry = name.startsWith("hello-local") ? "hello-local-index" : "hello-ghcr.io-index";
      assert.deepEqual(
        dependencyNames(named(registrations, name)).sort(),
        [registry, ...immutable].sort(),
        `${name} waits for every immutable tag in every registry`,
      );
    }
    for (const r of mine.filter((r) => r.custom)) {
      assert.equal(r.options.retainOnDelete, true, `${r.name}: published, so retained when it leaves the stack`);
      assert.equal(parentName(r), "hello", r.name);
      assert.notEqual(r.options.protect, true, r.name);
    }
    assert.deepEqual(named(registrations, "hello-local-immutable-0").options.additionalSecretOutputs, ["credentials"]);

    const floating = named(registrations, "hello-local-v1.3").inputs;
    assert.equal(floating.mutable, true);
    assert.equal(floating.digest, DIGEST);
    assert.equal(named(registrations, "hello-local-immutable-0").inputs.mutable, false);
    assert.equal(named(registrations, "hello-ghcr.io-immutable-0").inputs.repository, "acme/hello");
    assert.deepEqual(await valueOf(image.tags), {
      local: { "sha-5a8b7c3": DIGEST, "v1.3": DIGEST, "v1.3.9": DIGEST },
      "ghcr.io": { "sha-5a8b7c3": DIGEST, "v1.3": DIGEST, "v1.3.9": DIGEST },
    });
    assert.equal(
      ofType(mine, "pulumi-nodejs:dynamic/slipway:RegistryTag").filter((r) => r.inputs.tag === "latest").length,
      0,
      "a hotfix does not move latest",
    );
  });

  it("defaults to scratch, slipway's own recipe for the image build's binary, and no cache", async () => {
    new MultiArchImage("plain", {
      plan: planRelease(
        releaseInput({
          builds: [{ main: "cmd/tool" }, { main: "cmd/hello", binary: "hello", platforms: ["linux/arm/v7", "linux/amd64"] }],
          imagePlatforms: ["linux/arm/v7"],
        }),
      ),
      context: "/tmp/ctx",
      registries: [{ name: "local", repositoryUrl: "127.0.0.1:5000/hello" }],
    });
    await settle();
    assert.deepEqual(
      ofType(registrations, "docker-build:index:Image")
        .filter((r) => r.name.startsWith("plain-"))
        .map((r) => r.name),
      ["plain-build-linux-arm-v7"],
    );
    const build = named(registrations, "plain-build-linux-arm-v7").inputs;
    assert.equal((build.buildArgs as Record<string, string>).BASE_IMAGE, "scratch");
    assert.deepEqual(build.platforms, ["linux/arm/v7"]);
    assert.deepEqual(build.dockerfile, { inline: scratchRecipe("hello") });
    assert.match(
      scratchRecipe("hello"),
      /^COPY bin\/\$\{TARGETOS\}_\$\{TARGETARCH\}\$\{TARGETVARIANT\}\/hello \/hello\nUSER 65534:65534\nENTRYPOINT \["\/hello"\]$/m,
    );
    assert.deepEqual(build.cacheTo, []);
    assert.deepEqual(build.cacheFrom, []);
    assert.equal(build.builder, undefined);
    assert.deepEqual(
      ofType(registrations, "pulumi-nodejs:dynamic/slipway:RegistryTag")
        .filter((r) => r.name.startsWith("plain-"))
        .map((r) => r.inputs.tag),
      ["v1.4.0", "sha-5a8b7c3", "v1.4", "v1", "latest"],
    );
  });

  it("refuses an unpinned base image and duplicate registry names before declaring anything", async () => {
    const args = {
      plan: planRelease(releaseInput()),
      context: "/c",
      dockerfile: DOCKERFILE,
      registries: [{ name: "local", repositoryUrl: "127.0.0.1:5000/hello" }],
    };
    assert.throws(
      () => new MultiArchImage("bad1", { ...args, baseImage: "debian:12" }),
      /slipway:baseImage = "debian:12": base images are pinned by digest/,
    );
    assert.throws(
      () => new MultiArchImage("bad2", { ...args, registries: [...args.registries, ...args.registries] }),
      /registry names must be distinct/,
    );
    assert.throws(
      () => new MultiArchImage("bad3", { ...args, dockerfile: "/nonexistent/Dockerfile" }),
      /slipway:dockerfile = "\/nonexistent\/Dockerfile": cannot be read/,
    );
    await settle();
    assert.equal(registrations.filter((r) => r.name.startsWith("bad")).length, 0);
  });
});
