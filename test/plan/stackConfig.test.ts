import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SlipwayInputError } from "../../plan/errors";
import { RawStackConfig, parseStackConfig } from "../../plan/stackConfig";
import { COMMIT, COMMIT_TIME } from "../support/release";

const BASE: Readonly<Record<string, string>> = { version: "1.4.0", commit: COMMIT, commitTime: COMMIT_TIME };

function config(values: Record<string, string>, secretKeys: string[] = []): RawStackConfig {
  return { values: { ...BASE, ...values }, secretKeys: new Set(secretKeys), project: "hello" };
}

const GHCR = JSON.stringify([{ kind: "external", address: "ghcr.io/acme", username: "bot", passwordSecret: "ghcrToken" }]);

describe("stack config", () => {
  it("applies defaults: program name from the project, no registries, no GitHub release", () => {
    const settings = parseStackConfig(config({}));
    assert.equal(settings.plan.name, "hello");
    assert.equal(settings.imageName, "hello");
    assert.deepEqual(settings.registries, []);
    assert.equal(settings.github, undefined);
    assert.deepEqual(settings.secretSettings, []);
  });

  it("reads structured settings stored as JSON by pulumi config set --path", () => {
    const settings = parseStackConfig(
      config(
        {
          platforms: JSON.stringify(["linux/amd64", "darwin/arm64"]),
          published: JSON.stringify([`1.3.0@${COMMIT.replace(/^5/, "6")}`]),
          registries: JSON.stringify([
            { kind: "local", address: "127.0.0.1:5000" },
            { kind: "ecr", region: "eu-west-1" },
            { kind: "external", address: "ghcr.io/acme", username: "bot", passwordSecret: "ghcrToken" },
          ]),
          github: JSON.stringify({ owner: "acme", repo: "hello" }),
          ghcrToken: "t0ken",
          githubToken: "t0ken",
        },
        ["ghcrToken", "githubToken"],
      ),
    );
    assert.deepEqual(settings.plan.image.platforms, ["linux/amd64"]);
    assert.deepEqual(settings.plan.published, ["1.3.0"]);
    assert.deepEqual(
      settings.registries.map((r) => [r.name, r.kind, r.address ?? r.region]),
      [
        ["local", "local", "127.0.0.1:5000"],
        ["ecr", "ecr", "eu-west-1"],
        ["ghcr.io", "external", "ghcr.io/acme"],
      ],
    );
    assert.deepEqual(settings.github, { owner: "acme", repo: "hello", tokenSecret: "githubToken" });
    assert.deepEqual(settings.secretSettings, ["ghcrToken", "githubToken"]);
  });

  it("mutant 'registry port 0 accepted': ports 1 and 65535 are the ends of the range", () => {
    const settings = parseStackConfig(
      config({
        registries: JSON.stringify([
          { kind: "local", name: "low", address: "127.0.0.1:1" },
          { kind: "local", name: "high", address: "localhost:65535/ns" },
        ]),
      }),
    );
    assert.deepEqual(
      settings.registries.map((r) => r.address),
      ["127.0.0.1:1", "localhost:65535/ns"],
    );
  });

  const BAD: readonly { title: string; values: Record<string, string>; secrets?: string[]; message: string }[] = [
    {
      title: "missing version",
      values: { version: "" },
      message:
        'slipway:version = "": a release version is required; fix: use MAJOR.MINOR.PATCH with an optional -PRERELEASE and +BUILD, e.g. 1.4.0 or v1.5.0-rc.1',
    },
    {
      title: "invalid semver",
      values: { version: "1.4.0.1" },
      message:
        'slipway:version = "1.4.0.1": not a semantic version; fix: use MAJOR.MINOR.PATCH with an optional -PRERELEASE and +BUILD, e.g. 1.4.0 or v1.5.0-rc.1',
    },
    {
      title: "republishing with another commit",
      values: { published: JSON.stringify([`1.4.0@${"a".repeat(40)}`]) },
      message: `slipway:commit = "${COMMIT}": 1.4.0 is already published from commit aaaaaaaaaaaa; published versions are never rewritten; fix: release a new version, or build 1.4.0 from ${"a".repeat(40)}`,
    },
    {
      title: "unknown platform",
      values: { platforms: JSON.stringify(["linux/amd64", "solaris/sparc"]) },
      message:
        'slipway:platforms[1] = "solaris/sparc": unknown platform; fix: use os/arch from go tool dist list (cgo off), or os/arm/v5|v6|v7; e.g. linux/amd64, linux/arm/v7, openbsd/amd64',
    },
    {
      title: "a list given as a plain string",
      values: { platforms: "linux/amd64" },
      message: `slipway:platforms = "linux/amd64": must be a list; fix: set it with pulumi config set --path 'slipway:platforms[0]' <value>`,
    },
    {
      title: "registry address with a scheme",
      values: { registries: JSON.stringify([{ kind: "local", address: "http://127.0.0.1:5000" }]) },
      message:
        'slipway:registries[0].address = "http://127.0.0.1:5000": a registry address has no scheme; fix: write host[:port][/namespace] with no scheme, tag or trailing slash, e.g. ghcr.io/acme or 127.0.0.1:5000',
    },
    {
      title: "registry address with a tag",
      values: { registries: JSON.stringify([{ kind: "local", address: "127.0.0.1:5000/app:latest" }]) },
      message:
        'slipway:registries[0].address = "127.0.0.1:5000/app:latest": not a registry address; fix: write host[:port][/namespace] with no scheme, tag or trailing slash, e.g. ghcr.io/acme or 127.0.0.1:5000',
    },
    {
      title: "registry address with upper case namespace",
      values: { registries: JSON.stringify([{ kind: "local", address: "ghcr.io/Acme" }]) },
      message:
        'slipway:registries[0].address = "ghcr.io/Acme": not a registry address; fix: write host[:port][/namespace] with no scheme, tag or trailing slash, e.g. ghcr.io/acme or 127.0.0.1:5000',
    },
    {
      title: "registry port out of range",
      values: { registries: JSON.stringify([{ kind: "local", address: "127.0.0.1:70000" }]) },
      message: 'slipway:registries[0].address = "127.0.0.1:70000": port 70000 is out of range; fix: use a port from 1 to 65535',
    },
    {
      title: "mutant 'registry port 0 accepted'",
      values: { registries: JSON.stringify([{ kind: "local", address: "127.0.0.1:0" }]) },
      message: 'slipway:registries[0].address = "127.0.0.1:0": port 0 is out of range; fix: use a port from 1 to 65535',
    },
    {
      title: "unknown registry kind",
      values: { registries: JSON.stringify([{ kind: "quay" }]) },
      message: 'slipway:registries[0].kind = "quay": unknown registry kind; fix: use one of ecr, external, local',
    },
    {
      title: "ECR without a region",
      values: { registries: JSON.stringify([{ kind: "ecr" }]) },
      message: "slipway:registries[0].region = (unset): not an AWS region; fix: e.g. us-east-1",
    },
    {
      title: "unknown registry field",
      values: { registries: JSON.stringify([{ kind: "local", address: "127.0.0.1:5000", password: "x" }]) },
      message: 'slipway:registries[0].password = "x": unknown field; fix: use only kind, name, address',
    },
    {
      title: "mutant 'an address accepted on an ECR registry'",
      values: { registries: JSON.stringify([{ kind: "ecr", region: "eu-west-1", address: "ghcr.io/acme" }]) },
      message: 'slipway:registries[0].address = "ghcr.io/acme": unknown field; fix: use only kind, name, region',
    },
    {
      title: "two registries with one name",
      values: {
        registries: JSON.stringify([
          { kind: "local", address: "127.0.0.1:5000" },
          { kind: "local", address: "127.0.0.1:5001" },
        ]),
      },
      message: 'slipway:registries[1].name = "local": two registries have the same name; fix: give each registry a distinct name',
    },
    {
      title: "registry secret missing",
      values: { registries: GHCR },
      message:
        "slipway:ghcrToken = (unset): required by registries[0] (ghcr.io/acme) but not set; fix: pulumi config set --secret slipway:ghcrToken <value>",
    },
    {
      title: "registry secret in plain text",
      values: { registries: GHCR, ghcrToken: "hunter2" },
      message:
        'slipway:ghcrToken = "(value not shown)": stored in plain text, but it is a credential; fix: store it encrypted: pulumi config set --secret slipway:ghcrToken <value>',
    },
    {
      title: "GitHub token missing",
      values: { github: JSON.stringify({ owner: "acme", repo: "hello" }) },
      message:
        "slipway:githubToken = (unset): required by the GitHub release of acme/hello but not set; fix: pulumi config set --secret slipway:githubToken <value>",
    },
    {
      title: "GitHub repo missing",
      values: { github: JSON.stringify({ owner: "acme" }) },
      message: "slipway:github.repo = (unset): not a GitHub repo name; fix: e.g. github: {owner: acme, repo: hello}",
    },
    {
      title: "a secret setting named like a built-in one",
      values: { github: JSON.stringify({ owner: "acme", repo: "hello", tokenSecret: "version" }) },
      message:
        'slipway:github.tokenSecret = "version": must name a secret setting of this stack; fix: use a name of your own such as ghcrToken, then pulumi config set --secret slipway:ghcrToken <token>',
    },
    {
      title: "typo in a setting name",
      values: { platfroms: "[]" },
      message: 'slipway:platfroms = "[]": unknown setting; fix: did you mean slipway:platforms?',
    },
    {
      title: "unknown secret setting is not echoed",
      values: { apiKey: "s3cret" },
      secrets: ["apiKey"],
      message:
        'slipway:apiKey = "(value not shown)": unknown setting; fix: remove it; known settings are version, commit, commitTime, published, name, platforms, imagePlatforms, tagTemplates, latest, builds, archives, checksums, title, description, source, licenses, imageName, cacheRepository, registries, github, module, mainPackage, imageBinary, dockerfile, baseImage, builder, buildDir, releaseDir, changelog, requireReleaseNotes, athens, rotation, packages, homebrew, scoop, installScript, releaseNotes, signing, sbom, provenance, keyless',
    },
    {
      title: "image name with upper case",
      values: { imageName: "Hello" },
      message:
        'slipway:imageName = "Hello": not a repository name; fix: use lowercase letters, digits and . _ - separated by /, e.g. acme/hello',
    },
  ];

  for (const c of BAD) {
    it(`rejects ${c.title} with one line naming setting, value and fix`, () => {
      assert.throws(
        () => parseStackConfig(config(c.values, c.secrets)),
        (error: unknown) => error instanceof SlipwayInputError && error.message === c.message,
      );
    });
  }

  it("never prints a secret's value in any error", () => {
    for (const c of BAD) {
      try {
        parseStackConfig(config({ ...c.values }, c.secrets));
      } catch (error) {
        assert.equal(String(error).includes("hunter2") || String(error).includes("s3cret"), false, c.title);
      }
    }
  });
});

describe("build, proxy and rotation settings", () => {
  it("default to a local Athens process, generation 1, slipway's own image recipe and the module's changelog", () => {
    const settings = parseStackConfig(config({ module: "examples/hello-go" }));
    assert.deepEqual(settings.build, {
      module: "examples/hello-go",
      dockerfile: undefined,
      baseImage: undefined,
      builder: undefined,
      buildDir: "dist/build",
      releaseDir: "dist/releases",
      changelog: "examples/hello-go/CHANGELOG.md",
      requireReleaseNotes: false,
    });
    assert.deepEqual(settings.athens, { kind: "local", source: "process" });
    assert.deepEqual(settings.rotation, { generation: 1, rotationDays: undefined });
    assert.deepEqual(settings.supplyChain, { signing: true, sbom: true, provenance: true, keyless: false });
  });

  const ROTATIONS: readonly [object, { generation: number; rotationDays: number | undefined }][] = [
    [{ generation: 3 }, { generation: 3, rotationDays: undefined }],
    [{ rotationDays: 90 }, { generation: 1, rotationDays: 90 }],
    [
      { generation: 2, rotationDays: 30 },
      { generation: 2, rotationDays: 30 },
    ],
  ];
  for (const [rotation, expected] of ROTATIONS) {
    it(`reads rotation ${JSON.stringify(rotation)}, each field defaulted on its own`, () => {
      assert.deepEqual(parseStackConfig(config({ rotation: JSON.stringify(rotation) })).rotation, expected);
    });
  }

  it("reads signing, sbom and provenance as Pulumi stores them, and refuses provenance without signing", () => {
    const settings = parseStackConfig(config({ signing: "false", sbom: "true", provenance: "false" }));
    assert.deepEqual(settings.supplyChain, { signing: false, sbom: true, provenance: false, keyless: false });
    assert.throws(
      () => parseStackConfig(config({ signing: "false" })),
      /^SlipwayInputError: slipway:provenance = true: provenance is published as a signed attestation/,
    );
  });

  it("takes keyless signing only on a stack that publishes a GitHub release", () => {
    const github = JSON.stringify({ owner: "acme", repo: "hello" });
    assert.equal(parseStackConfig(config({ keyless: "true", github, githubToken: "t0ken" }, ["githubToken"])).supplyChain.keyless, true);
    assert.throws(
      () => parseStackConfig(config({ keyless: "true" })),
      /^SlipwayInputError: slipway:keyless = true: keyless signing carries the GitHub Actions workflow's identity .* this stack has no slipway:github; fix: set slipway:github, or slipway:keyless false$/,
    );
  });

  it("adds remembered published versions to the configured ones", () => {
    const settings = parseStackConfig(config({ version: "1.3.9" }), [`1.4.0@${COMMIT}`]);
    assert.deepEqual(settings.plan.published, ["1.4.0"]);
    assert.deepEqual(settings.plan.tags, ["v1.3.9", "v1.3", "sha-5a8b7c3"]);
  });

  const BAD: readonly { title: string; values: Record<string, string>; message: string }[] = [
    {
      title: "an unpinned base image",
      values: { baseImage: "debian:12" },
      message:
        'slipway:baseImage = "debian:12": base images are pinned by digest, with the registry named; fix: use <registry>/<name>@sha256:<digest>, e.g. 127.0.0.1:5000/library/alpine@sha256:<digest>',
    },
    {
      title: "a base image where no image is built (no registries)",
      values: { baseImage: `127.0.0.1:5000/base@sha256:${"b".repeat(64)}` },
      message: `slipway:baseImage = "127.0.0.1:5000/base@sha256:${"b".repeat(64)}": the stack has no registries, so no image is built on it; fix: remove slipway:baseImage, or add a registry to slipway:registries`,
    },
    {
      title: "mutant 'a shortened base-image digest accepted'",
      values: { baseImage: `127.0.0.1:5000/debian@sha256:${"a".repeat(63)}` },
      message: `slipway:baseImage = "127.0.0.1:5000/debian@sha256:${"a".repeat(63)}": base images are pinned by digest, with the registry named; fix: use <registry>/<name>@sha256:<digest>, e.g. 127.0.0.1:5000/library/alpine@sha256:<digest>`,
    },
    {
      title: "requireReleaseNotes that is not a boolean",
      values: { requireReleaseNotes: "yes" },
      message: 'slipway:requireReleaseNotes = "yes": must be true or false; fix: pulumi config set slipway:requireReleaseNotes true',
    },
    {
      title: "an empty module",
      values: { module: " " },
      message: 'slipway:module = " ": must not be empty; fix: remove the setting to use the default',
    },
    {
      title: "an unknown proxy kind",
      values: { athens: JSON.stringify({ kind: "gcp" }) },
      message: 'slipway:athens.kind = "gcp": unknown proxy kind; fix: use local or aws',
    },
    {
      title: "an unknown local proxy source",
      values: { athens: JSON.stringify({ kind: "local", source: "docker" }) },
      message:
        'slipway:athens.source = "docker": unknown local proxy source; fix: use process (slipway runs Athens) or endpoint (an Athens you run)',
    },
    {
      title: "generation zero",
      values: { rotation: JSON.stringify({ generation: 0 }) },
      message:
        "slipway:rotation.generation = 0: must be a whole number of at least 1; fix: start at 1 and bump by one to rotate, e.g. pulumi config set --path slipway:rotation.generation 2",
    },
    {
      title: "rotation every 1.5 days",
      values: { rotation: JSON.stringify({ rotationDays: 1.5 }) },
      message:
        "slipway:rotation.rotationDays = 1.5: must be a whole number of at least 1; fix: use a number of days such as 90, or unset it and rotate by bumping slipway:rotation.generation",
    },
    {
      title: "an unknown rotation field",
      values: { rotation: JSON.stringify({ every: "week" }) },
      message: 'slipway:rotation.every = "week": unknown field; fix: use only generation, rotationDays',
    },
  ];
  for (const c of BAD) {
    it(`rejects ${c.title}`, () => {
      assert.throws(
        () => parseStackConfig(config(c.values)),
        (error: unknown) => error instanceof SlipwayInputError && error.message === c.message,
      );
    });
  }
});
