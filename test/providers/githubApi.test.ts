// The GitHub client and the release providers against a loopback stand-in that checks every request and
// response against GitHub's OpenAPI description. Time is injected: no test sleeps. What this cannot prove:
// GitHub's undocumented behaviour (the stand-in follows the description) and real rate-limit timing.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInThisContext } from "node:vm";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AssetFile, Clock, GithubClient, ensureAsset, getRelease, publishRelease } from "../../providers/githubApi";
import { UNKNOWN } from "../../providers/toolkit";
import {
  GithubReleaseAssetInputs,
  GithubReleaseAssetOutputs,
  GithubReleasePublicationInputs,
  GithubReleasePublicationOutputs,
  assetMismatch,
  githubReleaseAssetProvider,
  githubReleasePublicationProvider,
} from "../../providers/githubReleaseAssets";
import { assertGolden } from "../support/golden";
import { GithubStandIn } from "../support/githubStandIn";

const TOKEN = "ghs_standInToken0123456789";
const NOW = Date.UTC(2026, 10, 20, 10, 0, 0);
const dir = mkdtempSync(join(tmpdir(), "slipway-github-"));

function file(name: string, content: string, contentType = "application/octet-stream"): AssetFile {
  const path = join(dir, `${name}-${createHash("sha1").update(content).digest("hex").slice(0, 8)}`);
  writeFileSync(path, content);
  return { name, path, sha256: createHash("sha256").update(content).digest("hex"), contentType };
}

function fakeClock(): Clock & { slept: number[] } {
  let now = NOW;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms: number) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe("GitHub client against the OpenAPI-checked stand-in", () => {
  let standIn: GithubStandIn;
  let clock: Clock & { slept: number[] };
  const client = (): GithubClient => ({
    apiUrl: standIn.apiUrl,
    uploadUrl: standIn.uploadUrl,
    owner: "acme",
    repo: "hello",
    token: TOKEN,
    clock,
    retry: { maxAttempts: 3 },
  });
  const calls = () => standIn.requests.map((r) => `${r.host} ${r.method} ${r.operationId ?? "?"} ${r.status}`);

  before(async () => {
    standIn = await GithubStandIn.start({ token: TOKEN });
  });
  after(async () => standIn.stop());
  beforeEach(() => {
    clock = fakeClock();
    standIn.requests.length = 0;
    standIn.setDigests(true);
  });
  afterEach(() => {
    assert.deepEqual(standIn.violations.splice(0), [], "requests and responses must match GitHub's OpenAPI description");
  });

  it("the stand-in reports requests GitHub's description does not allow", async () => {
    const id = standIn.addRelease("acme", "hello", "v0.0.1");
    const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    await fetch(`${standIn.apiUrl}/repos/acme/hello/releases/${id}?expand=1`, { headers });
    await fetch(`${standIn.apiUrl}/repos/acme/hello/releases/${id}`, { method: "PATCH", headers, body: JSON.stringify({ drafts: false }) });
    await fetch(`${standIn.apiUrl}/repos/acme/hello/releases/${id}`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ make_latest: true }),
    });
    await fetch(`${standIn.apiUrl}/repos/acme/hello/releases/${id}/assets?name=x`, { method: "POST", headers, body: "x" });
    await fetch(`${standIn.apiUrl}/repos/acme/hello/release/${id}`, { headers });
    const violations = standIn.violations.splice(0);
    assert.deepEqual(violations, [
      "GET /repos/{owner}/{repo}/releases/{release_id} (repos/get-release): query parameter expand is not described",
      "PATCH /repos/{owner}/{repo}/releases/{release_id} (repos/update-release): body (root) must NOT have additional properties (drafts)",
      "PATCH /repos/{owner}/{repo}/releases/{release_id} (repos/update-release): body /make_latest must be string",
      "PATCH /repos/{owner}/{repo}/releases/{release_id} (repos/update-release): body /make_latest must be equal to one of the allowed values",
      "POST /repos/{owner}/{repo}/releases/{release_id}/assets (repos/upload-release-asset): sent to the api host, but the description serves it from the uploads host",
      `GET /repos/acme/hello/release/${id}: no such operation in GitHub's description`,
    ]);
  });

  it("uploads a missing asset to the uploads host and keeps an identical one without uploading again", async () => {
    const id = standIn.addRelease("acme", "hello", "v1.4.0");
    const asset = file("hello_1.4.0_linux_amd64.tar.gz", "binary one", "application/gzip");
    const first = await ensureAsset(client(), id, asset);
    assert.equal(first.action, "uploaded");
    assert.equal(first.asset.digest, `sha256:${asset.sha256}`);
    assert.deepEqual(calls(), [
      "api GET repos/get-release 200",
      "api GET repos/list-release-assets 200",
      "uploads POST repos/upload-release-asset 201",
    ]);
    standIn.requests.length = 0;
    const again = await ensureAsset(client(), id, asset);
    assert.equal(again.action, "kept");
    assert.equal(again.asset.id, first.asset.id);
    assert.deepEqual(calls(), ["api GET repos/get-release 200", "api GET repos/list-release-assets 200"]);
  });

  it("without GitHub digests, trusts only the sha256 recorded for the very same asset", async () => {
    const id = standIn.addRelease("acme", "hello", "v1.4.1");
    const asset = file("notes.txt", "same bytes");
    const first = await ensureAsset(client(), id, asset);
    standIn.setDigests(false);
    standIn.requests.length = 0;
    const kept = await ensureAsset(client(), id, asset, { assetId: first.asset.id, sha256: asset.sha256 });
    assert.equal(kept.action, "kept");
    assert.ok(!calls().some((c) => c.includes("upload")));
    const unverifiable = await ensureAsset(client(), id, asset, { assetId: first.asset.id + 999, sha256: asset.sha256 });
    assert.equal(unverifiable.action, "replaced");
  });

  it("replaces a different asset while the release is a draft: DELETE, then upload", async () => {
    const id = standIn.addRelease("acme", "hello", "v1.4.2");
    standIn.addAsset(id, "hello.tar.gz", Buffer.from("old build"));
    const asset = file("hello.tar.gz", "new build");
    const result = await ensureAsset(client(), id, asset);
    assert.equal(result.action, "replaced");
    assert.deepEqual(calls(), [
      "api GET repos/get-release 200",
      "api GET repos/list-release-assets 200",
      "api DELETE repos/delete-release-asset 204",
      "uploads POST repos/upload-release-asset 201",
    ]);
    assert.deepEqual(
      standIn.release(id).assets.map((a) => [a.name, a.sha256]),
      [["hello.tar.gz", asset.sha256]],
    );
  });

  it("refuses to replace or add an asset once the release is published, and sends nothing that would", async () => {
    const id = standIn.addRelease("acme", "hello", "v1.3.0", { draft: false });
    standIn.addAsset(id, "hello.tar.gz", Buffer.from("published build"));
    await assert.rejects(ensureAsset(client(), id, file("hello.tar.gz", "another build")), {
      message:
        "acme/hello release v1.3.0 is published, so replacing asset hello.tar.gz is refused: published releases are never modified (release a new version instead)",
    });
    await assert.rejects(
      ensureAsset(client(), id, file("extra.txt", "x")),
      /so adding asset extra\.txt is refused: published releases are never modified/,
    );
    assert.ok(
      calls().every((c) => c.includes(" GET ")),
      calls().join("\n"),
    );
    const kept = await ensureAsset(client(), id, file("hello.tar.gz", "published build"));
    assert.equal(kept.action, "kept");
  });

  it("retries an upload that failed with 502, cleaning up the partial asset GitHub left", async () => {
    const id = standIn.addRelease("acme", "hello", "v1.4.3");
    standIn.script("repos/upload-release-asset", { status: 502, message: "Server Error", leavePartialAsset: true });
    const asset = file("hello.zip", "zip bytes", "application/zip");
    const result = await ensureAsset(client(), id, asset);
    assert.equal(result.action, "uploaded");
    assert.deepEqual(clock.slept, [1000]);
    assert.deepEqual(calls(), [
      "api GET repos/get-release 200",
      "api GET repos/list-release-assets 200",
      "uploads POST repos/upload-release-asset 502",
      "api GET repos/list-release-assets 200",
      "api DELETE repos/delete-release-asset 204",
      "uploads POST repos/upload-release-asset 201",
    ]);
    assert.deepEqual(
      standIn.release(id).assets.map((a) => [a.name, a.state]),
      [["hello.zip", "uploaded"]],
    );
  });

  it("waits out a secondary rate limit (403 with retry-after), then succeeds", async () => {
    const id = standIn.addRelease("acme", "hello", "v1.4.4");
    standIn.script("repos/get-release", {
      status: 403,
      headers: { "retry-after": "3" },
      message: "You have exceeded a secondary rate limit.",
    });
    standIn.script("repos/list-release-assets", {
      status: 429,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 10) },
      message: "API rate limit exceeded",
    });
    const result = await ensureAsset(client(), id, file("a.txt", "a"));
    assert.equal(result.action, "uploaded");
    // 3 s from retry-after; then the reset is 10 s after the start, 3 s of which have passed, plus 1 s.
    assert.deepEqual(clock.slept, [3000, 8000]);
    assert.deepEqual(calls(), [
      "api GET repos/get-release 403",
      "api GET repos/get-release 200",
      "api GET repos/list-release-assets 429",
      "api GET repos/list-release-assets 200",
      "uploads POST repos/upload-release-asset 201",
    ]);
  });

  it("gives up after maxAttempts with one line naming the call, the status and GitHub's message", async () => {
    const id = standIn.addRelease("acme", "hello", "v1.4.5");
    standIn.script("repos/get-release", ...[1, 2, 3].map(() => ({ status: 502, message: "Server Error" })));
    await assert.rejects(getRelease(client(), id), (error: Error) => {
      assert.equal(error.message, `GitHub GET /repos/acme/hello/releases/${id} failed: HTTP 502: Server Error (gave up after 3 attempts)`);
      assert.ok(!error.message.includes(TOKEN));
      return true;
    });
    assert.deepEqual(clock.slept, [1000, 2000]);
    assert.equal(standIn.requests.length, 3);
  });

  it("fails fast on other 4xx with GitHub's message", async () => {
    await assert.rejects(getRelease(client(), 999_999), {
      message: "GitHub GET /repos/acme/hello/releases/999999 failed: HTTP 404: Not Found",
    });
    standIn.script("repos/get-release", { status: 403, message: "Resource not accessible by integration" });
    await assert.rejects(getRelease(client(), 999_999), /HTTP 403: Resource not accessible by integration$/);
    await assert.rejects(getRelease({ ...client(), token: "wrong" }, 999_999), /HTTP 401$/);
    assert.equal(standIn.requests.length, 3);
    assert.deepEqual(clock.slept, []);
  });

  it("reports an unreachable GitHub after the allowed attempts", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(getRelease({ ...client(), apiUrl: `http://127.0.0.1:${port}` }, 1), {
      message:
        /^GitHub GET \/repos\/acme\/hello\/releases\/1 failed: network error: fetch failed: .*ECONNREFUSED.* \(gave up after 3 attempts\)$/,
    });
    assert.deepEqual(clock.slept, [1000, 2000]);
  });

  it("refuses a file whose bytes no longer match the recorded sha256, before calling GitHub", async () => {
    const asset = { ...file("stale.bin", "rebuilt"), sha256: "0".repeat(64) };
    await assert.rejects(
      ensureAsset(client(), 1, asset),
      /^Error: stale\.bin: .+ has sha256 [0-9a-f]{64}, not the 0{64} the build recorded; rebuild before releasing$/,
    );
    assert.equal(standIn.requests.length, 0);
  });

  it("publishes by sending only draft and make_latest", async () => {
    const id = standIn.addRelease("acme", "hello", "v1.4.6");
    const published = await publishRelease(client(), id, true);
    assert.equal(published.draft, false);
    assert.equal(published.htmlUrl, "https://github.com/acme/hello/releases/tag/v1.4.6");
    assert.deepEqual(
      standIn.requests.map((r) => r.json),
      [{ draft: false, make_latest: "true" }],
    );
    assert.equal(standIn.release(id).makeLatest, "true");
  });

  describe("providers", () => {
    const ref = () => ({ owner: "acme", repo: "hello", token: TOKEN, apiUrl: standIn.apiUrl, uploadUrl: standIn.uploadUrl });
    const assetInputs = (releaseId: number, f: AssetFile): GithubReleaseAssetInputs => ({
      ...ref(),
      releaseId,
      name: f.name,
      path: f.path,
      sha256: f.sha256,
      contentType: f.contentType,
      slipwayPublished: true,
    });
    const publicationInputs = (releaseId: number, assets: Record<string, string>, makeLatest = true): GithubReleasePublicationInputs => ({
      owner: "acme",
      repo: "hello",
      token: TOKEN,
      apiUrl: standIn.apiUrl,
      releaseId,
      tagName: "v2.0.0",
      makeLatest,
      assets,
      slipwayPublished: true,
    });

    it("draft → every asset → publish, in that order (golden transcript)", async () => {
      const id = standIn.addRelease("acme", "hello", "v2.0.0");
      const files = [
        file("hello_2.0.0_linux_amd64", "linux"),
        file("hello_2.0.0_darwin_arm64", "darwin"),
        file("SHA256SUMS", "sums", "text/plain"),
      ];
      const outs: GithubReleaseAssetOutputs[] = [];
      for (const f of files) {
        const created = await githubReleaseAssetProvider.create(assetInputs(id, f));
        assert.equal(created.id, `acme/hello/releases/${id}/assets/${f.name}`);
        outs.push(created.outs as GithubReleaseAssetOutputs);
      }
      const expected = Object.fromEntries(files.map((f) => [f.name, f.sha256]));
      const publication = await githubReleasePublicationProvider.create(publicationInputs(id, expected));
      const published = publication.outs as GithubReleasePublicationOutputs;
      assert.equal(published.published, true);
      assert.equal(published.adopted, false);
      assert.equal(published.htmlUrl, "https://github.com/acme/hello/releases/tag/v2.0.0");
      assert.deepEqual(
        outs.map((o) => o.size),
        [5, 6, 4],
      );
      assertGolden("github-publish-transcript.txt", standIn.transcript().replaceAll(String(id), "{release_id}"));
    });

    it("adopts a release found already published with exactly the planned assets; refuses it otherwise", async () => {
      const id = standIn.addRelease("acme", "hello", "v2.0.0", { draft: false });
      standIn.addAsset(id, "a.txt", Buffer.from("a"));
      const sha = createHash("sha256").update("a").digest("hex");
      const adopted = await githubReleasePublicationProvider.create(publicationInputs(id, { "a.txt": sha }));
      assert.equal((adopted.outs as GithubReleasePublicationOutputs).adopted, true);
      await assert.rejects(
        githubReleasePublicationProvider.create(publicationInputs(id, { "a.txt": sha, "b.txt": sha })),
        /release v2\.0\.0 is published, so publishing it with other assets \(b\.txt is missing\) is refused: published releases are never modified/,
      );
      assert.ok(!standIn.requests.some((r) => r.method === "PATCH"));
    });

    it("does not publish a draft that lacks an asset or holds an unexpected one", async () => {
      const id = standIn.addRelease("acme", "hello", "v2.0.1");
      standIn.addAsset(id, "stray.txt", Buffer.from("stray"));
      await assert.rejects(githubReleasePublicationProvider.create(publicationInputs(id, { "a.txt": "a".repeat(64) })), {
        message:
          "acme/hello draft release v2.0.1 is not published: a.txt is missing; unexpected asset stray.txt (delete from the draft or add to the release)",
      });
      assert.equal(standIn.release(id).draft, true);
    });

    it("never modifies a published release again: changes are errors, credentials are only recorded", async () => {
      const olds: GithubReleasePublicationOutputs = {
        ...publicationInputs(7, { "a.txt": "a".repeat(64) }),
        published: true,
        htmlUrl: "https://github.com/acme/hello/releases/tag/v2.0.0",
        publishedAt: "2026-11-20T10:05:00Z",
        adopted: false,
      };
      const diff = githubReleasePublicationProvider.diff;
      assert.ok(diff !== undefined);
      await assert.rejects(
        Promise.resolve().then(() => diff("id", olds, publicationInputs(7, { "a.txt": "b".repeat(64) }))),
        {
          message:
            "acme/hello release v2.0.0 is published, so changing its assets is refused: published releases are never modified (release a new version instead)",
        },
      );
      await assert.rejects(
        Promise.resolve().then(() => diff("id", olds, publicationInputs(7, olds.assets, false))),
        /changing its makeLatest is refused/,
      );
      assert.deepEqual(await diff("id", olds, publicationInputs(7, olds.assets)), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
      assert.deepEqual(await diff("id", olds, { ...publicationInputs(7, olds.assets), token: "rotated" }), {
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
      assert.deepEqual(await diff("id", olds, publicationInputs(7, { "a.txt": UNKNOWN })), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
      assert.deepEqual(await diff("id", olds, publicationInputs(8, olds.assets)), {
        changes: true,
        replaces: ["releaseId"],
        deleteBeforeReplace: false,
      });
      standIn.requests.length = 0;
      const updated = await githubReleasePublicationProvider.update?.("id", olds, {
        ...publicationInputs(7, olds.assets),
        token: "rotated",
      });
      assert.deepEqual(updated?.outs, { ...olds, token: "rotated" });
      assert.equal(standIn.requests.length, 0);
    });

    it("asset diff: new path with the same bytes is no change; new bytes on a published release fail at preview", async () => {
      const id = standIn.addRelease("acme", "hello", "v2.0.2");
      const f = file("a.bin", "one");
      const created = await githubReleaseAssetProvider.create(assetInputs(id, f));
      const olds = created.outs as GithubReleaseAssetOutputs;
      const diff = githubReleaseAssetProvider.diff;
      assert.ok(diff !== undefined);
      assert.deepEqual(await diff("id", olds, { ...assetInputs(id, f), path: "/elsewhere/a.bin" }), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
      assert.deepEqual(await diff("id", olds, { ...assetInputs(id, f), releaseId: id + 1 }), {
        changes: true,
        replaces: ["releaseId"],
        deleteBeforeReplace: false,
      });
      const g = file("a.bin", "two");
      assert.deepEqual(await diff("id", olds, assetInputs(id, g)), { changes: true, replaces: [], deleteBeforeReplace: false });
      await githubReleasePublicationProvider.create(publicationInputs(id, { "a.bin": f.sha256 }));
      await assert.rejects(
        Promise.resolve().then(() => diff("id", olds, assetInputs(id, g))),
        /release v2\.0\.2 is published, so changing sha256 of asset a\.bin is refused: published releases are never modified/,
      );
      await assert.rejects(
        githubReleaseAssetProvider.update?.("id", olds, assetInputs(id, g)) ?? Promise.resolve(),
        /so replacing asset a\.bin is refused: published releases are never modified/,
      );
      await githubReleaseAssetProvider.delete?.("id", olds);
      assert.deepEqual(
        standIn.release(id).assets.map((a) => a.sha256),
        [f.sha256],
        "delete forgets, GitHub keeps the asset",
      );
    });

    it("refresh reads the asset back from GitHub, and reports it gone when it was deleted there", async () => {
      const id = standIn.addRelease("acme", "hello", "v2.0.4");
      const f = file("r.txt", "refresh me");
      const olds = (await githubReleaseAssetProvider.create(assetInputs(id, f))).outs as GithubReleaseAssetOutputs;
      const read = await githubReleaseAssetProvider.read?.("asset", { ...olds, assetId: 1, size: 0 });
      assert.deepEqual(read, { id: "asset", props: olds });
      standIn.release(id).assets = [];
      assert.deepEqual(await githubReleaseAssetProvider.read?.("asset", olds), { id: "", props: {} });
    });

    it("the asset provider works as Pulumi serialises it, and the serialised text holds no token", async () => {
      const serialized = await pulumi.runtime.serializeFunction(() => githubReleaseAssetProvider, { allowSecrets: false });
      assert.ok(!serialized.text.includes(TOKEN));
      assert.ok(serialized.text.length < 100_000, `serialised provider is ${serialized.text.length} bytes`);
      // The dynamic provider host compiles the text as a module of its own (require-from-string); so does this.
      const module = { exports: {} as { handler?: () => pulumi.dynamic.ResourceProvider } };
      const load = runInThisContext(`(function (exports, module, require) {\n${serialized.text}\n})`) as (
        e: object,
        m: object,
        r: NodeJS.Require,
      ) => void;
      load(module.exports, module, require);
      const revived = module.exports.handler?.();
      assert.ok(revived !== undefined);
      const id = standIn.addRelease("acme", "hello", "v2.0.3");
      const created = await revived.create(assetInputs(id, file("revived.txt", "revived")));
      assert.equal((created.outs as GithubReleaseAssetOutputs).name, "revived.txt");
    });
  });
});

describe("assetMismatch", () => {
  const a = "a".repeat(64);
  const rows: [string, Record<string, string>, { name: string; state: string; digest: string | null }[], string | undefined][] = [
    ["exact match", { x: a }, [{ name: "x", state: "uploaded", digest: `sha256:${a}` }], undefined],
    ["no digest recorded by GitHub counts on the upload check", { x: a }, [{ name: "x", state: "uploaded", digest: null }], undefined],
    ["missing", { x: a }, [], "x is missing"],
    ["partial", { x: a }, [{ name: "x", state: "open", digest: null }], "x is only partly uploaded"],
    ["other digest", { x: a }, [{ name: "x", state: "uploaded", digest: "sha256:b" }], `x is sha256:b, not sha256:${a}`],
    [
      "extras, sorted",
      {},
      [
        { name: "z", state: "uploaded", digest: null },
        { name: "y", state: "uploaded", digest: null },
      ],
      "unexpected assets y, z (delete from the draft or add to the release)",
    ],
  ];
  rows.forEach(([title, expected, actual, result], index) => {
    it(`[${index}] ${title}`, () => assert.equal(assetMismatch(expected, actual), result));
  });
});
