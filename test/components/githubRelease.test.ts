// GithubRelease with Pulumi mocks: exact children, the draft → assets → publication ordering, and secrets.
// Resource options are observed through a `transformations` hook on the component, which Pulumi applies to
// every child. What mocks cannot prove: that the engine honours dependsOn/ignoreChanges/retainOnDelete
// (it does; we only check they are asked for), that GitHub accepts the inputs (test/providers/githubApi.test.ts
// covers the providers' HTTP), and that outputs listed in additionalSecretOutputs come back as secrets.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { GithubRelease, GithubReleaseArgs } from "../../components/githubRelease";
import { Registration, named, ofType, recordRegistrations, settle, valueOf } from "../support/mocks";
import { COMMIT } from "../support/release";

const SHA = { linux: "1".repeat(64), darwin: "2".repeat(64), sums: "3".repeat(64) };
const TOKEN = "ghp_componentTestToken";
const ASSET = "pulumi-nodejs:dynamic/slipway:GithubReleaseAsset";
const PUBLICATION = "pulumi-nodejs:dynamic/slipway:GithubReleasePublication";

function baseArgs(overrides: Partial<GithubReleaseArgs> = {}): GithubReleaseArgs {
  return {
    owner: "acme",
    repo: "hello",
    tagName: "v1.4.0",
    commit: COMMIT,
    prerelease: false,
    makeLatest: true,
    token: pulumi.secret(TOKEN),
    assets: [
      // Files come from the build: paths and digests are outputs there, so they are outputs here too.
      {
        name: "hello_1.4.0_linux_amd64.tar.gz",
        path: pulumi.output("/build/linux.tar.gz"),
        sha256: pulumi.output(SHA.linux),
        contentType: "application/gzip",
      },
      { name: "hello_1.4.0_darwin_arm64.tar.gz", path: "/build/darwin.tar.gz", sha256: SHA.darwin, contentType: "application/gzip" },
      { name: "SHA256SUMS", path: "/build/SHA256SUMS", sha256: SHA.sums },
    ],
    ...overrides,
  };
}

function mockOutputs(r: Registration): Record<string, unknown> {
  if (r.type === "github:index/release:Release")
    return { releaseId: 4242, htmlUrl: "https://github.com/acme/hello/releases/tag/untagged-1" };
  if (r.type === PUBLICATION) {
    return {
      published: true,
      htmlUrl: "https://github.com/acme/hello/releases/tag/v1.4.0",
      publishedAt: "2026-11-20T10:05:00Z",
      adopted: false,
    };
  }
  if (r.type === ASSET) return { assetId: 7, size: 10, downloadUrl: "https://example.invalid/download" };
  return {};
}

interface Observed {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly opts: pulumi.CustomResourceOptions;
  readonly resource: pulumi.Resource;
}

/** Builds the component with a transformation that records every child's props and options. */
async function build(name: string, args: GithubReleaseArgs): Promise<{ release: GithubRelease; children: Observed[] }> {
  const children: Observed[] = [];
  const release = new GithubRelease(name, args, {
    transformations: [
      (t: pulumi.ResourceTransformationArgs) => {
        children.push({ type: t.type, name: t.name, props: t.props, opts: t.opts, resource: t.resource });
        return undefined;
      },
    ],
  });
  await settle();
  return { release, children };
}

function child(children: readonly Observed[], name: string): Observed {
  const found = children.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no child ${name}; have ${children.map((c) => c.name).join(", ")}`);
  return found;
}

const ASSET_NAMES = ["hello_1.4.0_linux_amd64.tar.gz", "hello_1.4.0_darwin_arm64.tar.gz", "SHA256SUMS"];

describe("GithubRelease", () => {
  let registrations: Registration[];
  let built: { release: GithubRelease; children: Observed[] };

  before(async () => {
    registrations = await recordRegistrations({ outputs: mockOutputs });
    built = await build("rel", baseArgs());
  });

  it("registers exactly the component, a GitHub provider, the release, one resource per asset and the publication", () => {
    const mine = registrations.filter((r) => r.name.startsWith("rel"));
    assert.deepEqual(mine.map((r) => `${r.type} ${r.name}`).sort(), [
      "github:index/release:Release rel-release",
      `${ASSET} rel-asset-SHA256SUMS`,
      `${ASSET} rel-asset-hello_1.4.0_darwin_arm64.tar.gz`,
      `${ASSET} rel-asset-hello_1.4.0_linux_amd64.tar.gz`,
      `${PUBLICATION} rel-publication`,
      "pulumi:providers:github rel-github",
      "slipway:github:GithubRelease rel",
    ]);
    assert.equal(ofType(registrations, "github:index/release:Release").length, 1);
    assert.equal(ofType(registrations, ASSET).length, 3);
    assert.equal(ofType(registrations, PUBLICATION).length, 1);
  });

  it("creates the release as an explicit draft of the full commit, with prerelease set, on its own provider", () => {
    const release = named(registrations, "rel-release");
    assert.deepEqual(
      { ...release.inputs },
      {
        repository: "hello",
        tagName: "v1.4.0",
        targetCommitish: COMMIT,
        name: "v1.4.0",
        draft: true,
        prerelease: false,
        generateReleaseNotes: false,
      },
    );
    const provider = named(registrations, "rel-github");
    assert.equal(provider.inputs.owner, "acme");
    assert.equal(provider.inputs.baseUrl, "https://api.github.com/");
    const opts = child(built.children, "rel-release").opts;
    assert.deepEqual(opts.ignoreChanges, ["draft", "name", "body", "prerelease", "generateReleaseNotes"]);
    assert.equal(opts.retainOnDelete, true);
    assert.equal(opts.provider, child(built.children, "rel-github").resource);
  });

  it("uploads every asset after the release exists and publishes only after every asset", () => {
    const releaseResource = child(built.children, "rel-release").resource;
    const assets = ASSET_NAMES.map((n) => child(built.children, `rel-asset-${n}`));
    for (const asset of assets) {
      assert.deepEqual(asset.opts.dependsOn, [releaseResource], asset.name);
      assert.equal(asset.opts.retainOnDelete, true);
      assert.deepEqual(asset.opts.additionalSecretOutputs, ["token"]);
    }
    const publication = child(built.children, "rel-publication");
    assert.deepEqual(publication.opts.dependsOn, [releaseResource, ...assets.map((a) => a.resource)]);
    assert.equal(publication.opts.retainOnDelete, true);
    assert.deepEqual(publication.opts.additionalSecretOutputs, ["token"]);
  });

  it("gives each asset its name, content type, digest and the release id and upload host", () => {
    const linux = named(registrations, "rel-asset-hello_1.4.0_linux_amd64.tar.gz").inputs;
    assert.equal(linux.name, "hello_1.4.0_linux_amd64.tar.gz");
    assert.equal(linux.path, "/build/linux.tar.gz");
    assert.equal(linux.sha256, SHA.linux);
    assert.equal(linux.contentType, "application/gzip");
    assert.equal(linux.releaseId, 4242);
    assert.equal(linux.uploadUrl, "https://uploads.github.com");
    assert.equal(linux.apiUrl, "https://api.github.com");
    assert.equal(linux.slipwayPublished, true);
    assert.equal(named(registrations, "rel-asset-SHA256SUMS").inputs.contentType, "application/octet-stream");
    const publication = named(registrations, "rel-publication").inputs;
    assert.deepEqual(publication.assets, {
      "hello_1.4.0_linux_amd64.tar.gz": SHA.linux,
      "hello_1.4.0_darwin_arm64.tar.gz": SHA.darwin,
      SHA256SUMS: SHA.sums,
    });
    assert.equal(publication.makeLatest, true);
    assert.equal(publication.releaseId, 4242);
  });

  it("passes the token as a secret to the provider, every asset and the publication", async () => {
    const bearers = built.children.filter((c) => "token" in c.props);
    assert.deepEqual(bearers.map((c) => c.name).sort(), [
      "rel-asset-SHA256SUMS",
      "rel-asset-hello_1.4.0_darwin_arm64.tar.gz",
      "rel-asset-hello_1.4.0_linux_amd64.tar.gz",
      "rel-github",
      "rel-publication",
    ]);
    for (const bearer of bearers) {
      assert.equal(await pulumi.isSecret(pulumi.output(bearer.props.token)), true, bearer.name);
    }
  });

  it("outputs the release id, the published URL, the assets and published", async () => {
    assert.equal(await valueOf(built.release.releaseId), 4242);
    assert.equal(await valueOf(built.release.url), "https://github.com/acme/hello/releases/tag/v1.4.0");
    assert.deepEqual(await valueOf(built.release.assets), {
      "hello_1.4.0_linux_amd64.tar.gz": SHA.linux,
      "hello_1.4.0_darwin_arm64.tar.gz": SHA.darwin,
      SHA256SUMS: SHA.sums,
    });
    assert.equal(await valueOf(built.release.published), true);
    const outputs: pulumi.Output<unknown>[] = [built.release.releaseId, built.release.url, built.release.assets, built.release.published];
    for (const output of outputs) {
      assert.equal(await pulumi.isSecret(output), false);
    }
  });

  it("sets the notes as the body, and a title, when given", async () => {
    await build(
      "noted",
      baseArgs({
        notes: pulumi.output("### Added\n- x"),
        title: "hello 1.4.0",
        apiUrl: "https://ghe.example/api/v3/",
        uploadUrl: "https://ghe.example/api/uploads",
      }),
    );
    const release = named(registrations, "noted-release").inputs;
    assert.equal(release.body, "### Added\n- x");
    assert.equal(release.name, "hello 1.4.0");
    assert.equal(named(registrations, "noted-github").inputs.baseUrl, "https://ghe.example/api/v3/");
    assert.equal(named(registrations, "noted-asset-SHA256SUMS").inputs.uploadUrl, "https://ghe.example/api/uploads");
    assert.ok(!("body" in named(registrations, "rel-release").inputs), "no notes, no body");
  });

  it("rejects bad arguments with one line naming the setting, before declaring any child", async () => {
    const asset = { name: "a.txt", path: "/a", sha256: SHA.linux };
    const cases: [Partial<GithubReleaseArgs>, string][] = [
      [{ owner: "ac me" }, 'slipway:github.owner = "ac me": not a GitHub owner name; fix: e.g. github: {owner: acme, repo: hello}'],
      [{ tagName: "v1..4" }, 'slipway:github.tagName = "v1..4": not a usable tag name; fix: use the version tag, e.g. v1.4.0'],
      [
        { commit: "main" },
        'slipway:commit = "main": not a full commit sha (40 hex digits); fix: give the full sha, e.g. from git rev-parse HEAD',
      ],
      [
        { prerelease: true, makeLatest: true },
        "slipway:github.makeLatest = true: GitHub never makes a prerelease the latest release; fix: set makeLatest only when the plan moves `latest`",
      ],
      [{ assets: [asset, asset] }, 'slipway:github.assets[1].name = "a.txt": listed twice; fix: attach each file once'],
      [
        { assets: [{ ...asset, name: "my file.txt" }] },
        `slipway:github.assets[0].name = "my file.txt": GitHub would rename this asset; fix: use letters, digits, '.', '_', '-' or '+', starting with a letter or digit`,
      ],
      [
        { assets: [{ ...asset, contentType: "gzip" }] },
        'slipway:github.assets[0].contentType = "gzip": not a media type; fix: e.g. application/gzip, or leave it unset',
      ],
      [
        { apiUrl: "http://api.github.com" },
        'slipway:github.apiUrl = "http://api.github.com": not an https URL without query or credentials (http only on loopback); fix: e.g. https://api.github.com',
      ],
      [{ title: " " }, 'slipway:github.title = " ": an empty title; fix: leave it unset to use the tag name'],
    ];
    cases.forEach(([overrides, message], index) => {
      assert.throws(() => new GithubRelease(`bad${index}`, baseArgs(overrides)), { name: "SlipwayInputError", message }, message);
    });
    await settle();
    const children = registrations.filter((r) => r.name.startsWith("bad") && r.type !== "slipway:github:GithubRelease");
    assert.deepEqual(children, []);
  });
});

describe("GithubRelease in preview", () => {
  let registrations: Registration[];
  after(async () => settle());

  it("declares the same resources during `pulumi preview`", async () => {
    registrations = await recordRegistrations({ outputs: mockOutputs, preview: true });
    await build("pre", baseArgs());
    assert.deepEqual(
      registrations
        .filter((r) => r.name.startsWith("pre"))
        .map((r) => r.name)
        .sort(),
      [
        "pre",
        "pre-asset-SHA256SUMS",
        "pre-asset-hello_1.4.0_darwin_arm64.tar.gz",
        "pre-asset-hello_1.4.0_linux_amd64.tar.gz",
        "pre-github",
        "pre-publication",
        "pre-release",
      ],
    );
    assert.equal(named(registrations, "pre-release").inputs.draft, true);
  });
});
