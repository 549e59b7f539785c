// The GitHub client and the release providers against a loopback stand-in that checks every request and
// response against GitHub's OpenAPI description. Time is injected, and the providers' own clock is only
// asked for zero waits: no test sleeps. What this cannot prove: GitHub's undocumented behaviour (the
// stand-in follows the description) and real rate-limit timing.
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
import {
  AssetFile,
  AssetInfo,
  Clock,
  GithubClient,
  RecordedAsset,
  downloadAsset,
  ensureAsset,
  getRelease,
  isSameAsset,
  listAssets,
  listReleases,
  publishRelease,
  uploadAsset,
} from "../../providers/githubApi";
import { UNKNOWN } from "../../providers/toolkit";
import {
  GithubReleaseAsset,
  GithubReleaseAssetInputs,
  GithubReleaseAssetOutputs,
  GithubReleasePublication,
  GithubReleasePublicationInputs,
  GithubReleasePublicationOutputs,
  assetMismatch,
  githubReleaseAssetProvider,
  githubReleasePublicationProvider,
} from "../../providers/githubReleaseAssets";
import { assertGolden } from "../support/golden";
import { GithubStandIn, Json } from "../support/githubStandIn";
import { Registration, named, recordRegistrations, settle } from "../support/mocks";

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
    await fetch(`${standIn.uploadUrl}/_storage/1?token=signed`, { headers });
    const violations = standIn.violations.splice(0);
    assert.deepEqual(violations, [
      "GET /repos/{owner}/{repo}/releases/{release_id} (repos/get-release): query parameter expand is not described",
      "PATCH /repos/{owner}/{repo}/releases/{release_id} (repos/update-release): body (root) must NOT have additional properties (drafts)",
      "PATCH /repos/{owner}/{repo}/releases/{release_id} (repos/update-release): body /make_latest must be string",
      "PATCH /repos/{owner}/{repo}/releases/{release_id} (repos/update-release): body /make_latest must be equal to one of the allowed values",
      "POST /repos/{owner}/{repo}/releases/{release_id}/assets (repos/upload-release-asset): sent to the api host, but the description serves it from the uploads host",
      `GET /repos/acme/hello/release/${id}: no such operation in GitHub's description`,
      "GET storage /_storage/1: the API token was sent to the storage host",
    ]);
  });

  it("downloads an asset's exact bytes through GitHub's redirect to its storage, which never sees the token", async () => {
    const id = standIn.addRelease("acme", "hello", "v1.4.0", { draft: false });
    const bytes = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x80, 0x00, 0x0a]);
    const assetId = standIn.addAsset(id, "hello_1.4.0_linux_amd64.tar.gz", bytes, "application/gzip");
    assert.deepEqual(await downloadAsset(client(), assetId), bytes);
    assert.deepEqual(calls(), ["api GET repos/get-release-asset 302", "uploads GET ? 200"]);
    // The stand-in records the token reaching its storage as a violation (checked after each test).
  });

  it("a download of an asset that is gone fails with one line naming the call", async () => {
    await assert.rejects(
      downloadAsset(client(), 987654),
      /^GithubApiError: GitHub GET \/repos\/acme\/hello\/releases\/assets\/987654 failed: HTTP 404: Not Found$/,
    );
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

  it("sends GitHub's media type, API version, a user agent and the token on every call; a body's type with its body", async () => {
    const id = standIn.addRelease("acme", "hello", "v1.5.0");
    await ensureAsset(client(), id, file("hello.zip", "zip", "application/zip"));
    await publishRelease(client(), id, false);
    await downloadAsset(client(), standIn.release(id).assets[0]?.id ?? 0);
    const sent = standIn.requests
      .filter((r) => r.operationId !== undefined)
      .map((r) => [
        `${r.method} ${r.operationId ?? "?"}`,
        r.headers.accept,
        r.headers.authorization,
        r.headers["user-agent"],
        r.headers["x-github-api-version"],
        r.headers["content-type"],
      ]);
    const common = [`Bearer ${TOKEN}`, "slipway", "2022-11-28"];
    assert.deepEqual(sent, [
      ["GET repos/get-release", "application/vnd.github+json", ...common, undefined],
      ["GET repos/list-release-assets", "application/vnd.github+json", ...common, undefined],
      ["POST repos/upload-release-asset", "application/vnd.github+json", ...common, "application/zip"],
      ["PATCH repos/update-release", "application/vnd.github+json", ...common, "application/json"],
      ["GET repos/get-release-asset", "application/octet-stream", ...common, undefined],
    ]);
    assert.deepEqual(
      standIn.requests.filter((r) => r.method === "PATCH").map((r) => r.json),
      [{ draft: false, make_latest: "false" }],
    );
    assert.equal(standIn.release(id).makeLatest, "false");
  });

  it("fails when GitHub answers the publication with a release that is still a draft", async () => {
    const id = standIn.addRelease("acme", "hello", "v1.5.1");
    standIn.script("repos/update-release", { status: 200, body: standIn.releaseBody(id) });
    await assert.rejects(publishRelease(client(), id, true), {
      name: "GithubApiError",
      status: 200,
      message: `GitHub kept release ${id} a draft after it was published`,
    });
  });

  describe("GitHub's error body in the one-line error", () => {
    const rows: [string, Json, string][] = [
      [
        "each error's message, else its code, after GitHub's message",
        {
          message: "Validation Failed",
          errors: [
            { resource: "Release", code: "custom", field: "body", message: "body is too long" },
            { resource: "Release", code: "already_exists", field: "tag_name" },
          ],
          documentation_url: "https://docs.github.com/rest",
        },
        ": Validation Failed (body is too long; already_exists)",
      ],
      [
        "plain-string errors kept; errors with neither a text message nor a text code left out",
        {
          message: "Validation Failed",
          errors: [
            "tag_name is invalid",
            { resource: "Release", field: "name", code: 42 },
            { resource: "Release", field: "body" },
            { code: "missing_field" },
          ],
        },
        ": Validation Failed (tag_name is invalid; missing_field)",
      ],
      ["no errors: GitHub's message alone", { message: "Validation Failed", errors: [] }, ": Validation Failed"],
      ["no message: the body is not GitHub's error, only the status is reported", { errors: [{ code: "invalid" }] }, ""],
      [
        "line breaks and the blanks around them become one space",
        { message: "Validation Failed\nname is invalid \r\n\r\n  body is too long\n" },
        ": Validation Failed name is invalid body is too long",
      ],
    ];
    rows.forEach(([title, body, rest], index) => {
      it(`[${index}] ${title}`, async () => {
        const id = standIn.addRelease("acme", "hello", `v1.5.${10 + index}`);
        standIn.script("repos/update-release", { status: 422, body });
        await assert.rejects(publishRelease(client(), id, true), {
          name: "GithubApiError",
          status: 422,
          message: `GitHub PATCH /repos/acme/hello/releases/${id} failed: HTTP 422${rest}`,
        });
        assert.deepEqual(calls(), ["api PATCH repos/update-release 422"]);
      });
    });
  });

  describe("lists every asset, 100 a page, until a page is not full", () => {
    const rows: [number, number[]][] = [
      [0, [1]],
      [99, [1]],
      [100, [1, 2]],
      [101, [1, 2]],
      [201, [1, 2, 3]],
    ];
    for (const [count, pages] of rows) {
      it(`${count} assets: pages ${pages.join(", ")}`, async () => {
        const id = standIn.addRelease("acme", "hello", `v1.6.${count}`);
        const names = Array.from({ length: count }, (_, i) => `asset-${String(i).padStart(3, "0")}.txt`);
        for (const name of names) standIn.addAsset(id, name, Buffer.from(name));
        const listed = await listAssets(client(), id);
        assert.deepEqual(
          listed.map((a) => a.name),
          names,
        );
        assert.deepEqual(
          standIn.requests.map((r) => r.url),
          pages.map((page) => `/repos/acme/hello/releases/${id}/assets?per_page=100&page=${page}`),
        );
      });
    }
  });

  it("lists a repository's releases, drafts included", async () => {
    const draft = standIn.addRelease("acme", "listed", "v0.2.0");
    const published = standIn.addRelease("acme", "listed", "v0.1.0", { draft: false });
    const prerelease = standIn.addRelease("acme", "listed", "v0.2.0-rc.1", { draft: false, prerelease: true });
    standIn.addRelease("acme", "unlisted", "v9.0.0");
    assert.deepEqual(await listReleases({ ...client(), repo: "listed" }), [
      {
        id: draft,
        tagName: "v0.2.0",
        draft: true,
        prerelease: false,
        htmlUrl: `https://github.com/acme/listed/releases/tag/untagged-${draft}`,
        publishedAt: null,
      },
      {
        id: published,
        tagName: "v0.1.0",
        draft: false,
        prerelease: false,
        htmlUrl: "https://github.com/acme/listed/releases/tag/v0.1.0",
        publishedAt: "2026-11-20T10:05:00Z",
      },
      {
        id: prerelease,
        tagName: "v0.2.0-rc.1",
        draft: false,
        prerelease: true,
        htmlUrl: "https://github.com/acme/listed/releases/tag/v0.2.0-rc.1",
        publishedAt: "2026-11-20T10:05:00Z",
      },
    ]);
    assert.deepEqual(
      standIn.requests.map((r) => `${r.method} ${r.url}`),
      ["GET /repos/acme/listed/releases?per_page=100&page=1"],
    );
  });

  describe("an upload answered 502 looks at the release again before it sends the file again", () => {
    const content = "hello bytes";
    const otherSha = createHash("sha256").update("other bytes").digest("hex");
    const rows: {
      readonly title: string;
      /** What GitHub holds after the failed attempt; returns the id of an asset that should be adopted. */
      readonly leave: (releaseId: number) => number | undefined;
      readonly calls: readonly string[];
      readonly assets: (sha256: string) => [string, string, string][];
    }[] = [
      {
        title: "nothing was left: sent again",
        leave: () => undefined,
        calls: ["api GET repos/list-release-assets 200", "uploads POST repos/upload-release-asset 201"],
        assets: (sha) => [["hello.bin", "uploaded", sha]],
      },
      {
        title: "the upload completed after all: that asset is taken, the file is not sent again",
        leave: (releaseId) => standIn.addAsset(releaseId, "hello.bin", Buffer.from(content)),
        calls: ["api GET repos/list-release-assets 200"],
        assets: (sha) => [["hello.bin", "uploaded", sha]],
      },
      {
        title: "every byte arrived but GitHub has not finished the asset: deleted, sent again",
        leave: (releaseId) => {
          standIn.addAsset(releaseId, "hello.bin", Buffer.from(content), "application/octet-stream", "open");
          return undefined;
        },
        calls: [
          "api GET repos/list-release-assets 200",
          "api DELETE repos/delete-release-asset 204",
          "uploads POST repos/upload-release-asset 201",
        ],
        assets: (sha) => [["hello.bin", "uploaded", sha]],
      },
      {
        title: "an uploaded asset of that name with other bytes: deleted, sent again",
        leave: (releaseId) => {
          standIn.addAsset(releaseId, "hello.bin", Buffer.from("other bytes"));
          return undefined;
        },
        calls: [
          "api GET repos/list-release-assets 200",
          "api DELETE repos/delete-release-asset 204",
          "uploads POST repos/upload-release-asset 201",
        ],
        assets: (sha) => [["hello.bin", "uploaded", sha]],
      },
      {
        title: "another asset of the release is left alone",
        leave: (releaseId) => {
          standIn.addAsset(releaseId, "notes.txt", Buffer.from("other bytes"));
          return undefined;
        },
        calls: ["api GET repos/list-release-assets 200", "uploads POST repos/upload-release-asset 201"],
        assets: (sha) => [
          ["notes.txt", "uploaded", otherSha],
          ["hello.bin", "uploaded", sha],
        ],
      },
    ];
    rows.forEach((row, index) => {
      it(`[${index}] ${row.title}`, async () => {
        const id = standIn.addRelease("acme", "hello", `v1.7.${index}`);
        const f = file("hello.bin", content);
        // The stand-in answers the scripted 502 before it looks at the release, so what it holds
        // now is what GitHub holds after the failed attempt.
        const adopted = row.leave(id);
        standIn.script("repos/upload-release-asset", { status: 502, message: "Server Error" });
        const asset = await uploadAsset(client(), id, f, Buffer.from(content));
        const stored = standIn.release(id).assets.find((a) => a.name === "hello.bin");
        assert.equal(asset.id, adopted ?? stored?.id);
        assert.deepEqual([asset.name, asset.state, asset.digest], ["hello.bin", "uploaded", `sha256:${f.sha256}`]);
        assert.deepEqual(calls(), ["uploads POST repos/upload-release-asset 502", ...row.calls]);
        assert.deepEqual(
          standIn.release(id).assets.map((a) => [a.name, a.state, a.sha256]),
          row.assets(f.sha256),
        );
        assert.deepEqual(clock.slept, [1000]);
      });
    });
  });

  it("refuses an upload GitHub answers with another digest than the bytes sent", async () => {
    const id = standIn.addRelease("acme", "hello", "v1.8.0");
    const other = standIn.addRelease("acme", "hello", "v1.8.1");
    const storedId = standIn.addAsset(other, "hello.bin", Buffer.from("other bytes"));
    const f = file("hello.bin", "sent bytes");
    standIn.script("repos/upload-release-asset", { status: 201, body: standIn.assetBody(storedId) });
    await assert.rejects(uploadAsset(client(), id, f, Buffer.from("sent bytes")), {
      name: "GithubApiError",
      status: 201,
      message: `GitHub stored hello.bin as sha256:${createHash("sha256").update("other bytes").digest("hex")}, but sha256:${f.sha256} was sent`,
    });
    assert.deepEqual(calls(), ["uploads POST repos/upload-release-asset 201"]);
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

    describe("an asset's sha256 must be 64 lower-case hex digits, checked before GitHub is called", () => {
      const rows: [string, string][] = [
        ["65 digits", "a".repeat(65)],
        ["a character before 64 digits", `x${"a".repeat(64)}`],
        ["upper case", "A".repeat(64)],
        ["empty", ""],
      ];
      for (const [title, sha256] of rows) {
        it(title, async () => {
          const id = standIn.addRelease("acme", "hello", "v2.1.0");
          await assert.rejects(githubReleaseAssetProvider.create({ ...assetInputs(id, file("bad.bin", "bad")), sha256 }), {
            message: `bad.bin: sha256 ${JSON.stringify(sha256)} is not 64 lower-case hex digits`,
          });
          assert.deepEqual(standIn.requests, []);
        });
      }
    });

    it("update without GitHub digests trusts the recorded sha256 only for the asset recorded on the same release", async () => {
      standIn.setDigests(false);
      const id = standIn.addRelease("acme", "hello", "v2.2.0");
      const otherRelease = standIn.addRelease("acme", "hello", "v2.2.1");
      const f = file("u.bin", "update me");
      const olds = (await githubReleaseAssetProvider.create(assetInputs(id, f))).outs as GithubReleaseAssetOutputs;
      const update = githubReleaseAssetProvider.update;
      assert.ok(update !== undefined);
      standIn.requests.length = 0;
      assert.deepEqual(await update("id", olds, assetInputs(id, f)), { outs: olds });
      assert.deepEqual(calls(), ["api GET repos/get-release 200", "api GET repos/list-release-assets 200"]);
      standIn.requests.length = 0;
      const fromElsewhere = await update("id", { ...olds, releaseId: otherRelease }, assetInputs(id, f));
      assert.deepEqual(calls(), [
        "api GET repos/get-release 200",
        "api GET repos/list-release-assets 200",
        "api DELETE repos/delete-release-asset 204",
        "uploads POST repos/upload-release-asset 201",
      ]);
      assert.deepEqual(fromElsewhere, { outs: { ...olds, assetId: standIn.release(id).assets[0]?.id } });
    });

    describe("asset diff once the release is published", () => {
      const rows: {
        readonly title: string;
        readonly news: (id: number, otherRelease: number, f: AssetFile) => GithubReleaseAssetInputs;
        readonly expected?: { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean };
        readonly error?: string;
      }[] = [
        {
          title: "new credentials: an update, and GitHub is not asked",
          news: (id, _other, f) => ({ ...assetInputs(id, f), token: "rotated" }),
          expected: { changes: true, replaces: [], deleteBeforeReplace: false },
        },
        {
          title: "another upload host: an update, and GitHub is not asked",
          news: (id, _other, f) => ({ ...assetInputs(id, f), uploadUrl: "https://uploads.ghe.example" }),
          expected: { changes: true, replaces: [], deleteBeforeReplace: false },
        },
        {
          title: "another release with other bytes: a replacement, and GitHub is not asked",
          news: (_id, other) => assetInputs(other, file("a.bin", "two")),
          expected: { changes: true, replaces: ["releaseId"], deleteBeforeReplace: false },
        },
        {
          title: "other bytes and another content type: refused, naming both",
          news: (id) => assetInputs(id, file("a.bin", "two", "text/plain")),
          error:
            "acme/hello release v2.3.0 is published, so changing sha256, contentType of asset a.bin is refused: published releases are never modified (release a new version instead)",
        },
      ];
      rows.forEach((row, index) => {
        it(`[${index}] ${row.title}`, async () => {
          const id = standIn.addRelease("acme", "hello", "v2.3.0");
          const otherRelease = standIn.addRelease("acme", "hello", "v2.3.1", { draft: false });
          const f = file("a.bin", "one");
          const olds = (await githubReleaseAssetProvider.create(assetInputs(id, f))).outs as GithubReleaseAssetOutputs;
          await githubReleasePublicationProvider.create(publicationInputs(id, { "a.bin": f.sha256 }));
          const diff = githubReleaseAssetProvider.diff;
          assert.ok(diff !== undefined);
          standIn.requests.length = 0;
          const news = row.news(id, otherRelease, f);
          if (row.error !== undefined) {
            await assert.rejects(
              Promise.resolve().then(() => diff("id", olds, news)),
              { message: row.error },
            );
          } else {
            assert.deepEqual(await diff("id", olds, news), row.expected);
            assert.deepEqual(standIn.requests, []);
          }
        });
      });
    });

    describe("refresh takes the sha256 from GitHub's sha256 digest, else keeps the recorded one", () => {
      const stale = "0".repeat(64);
      const rows: [string, (first: number, asset: number) => void, (f: AssetFile) => string][] = [
        ["a sha256 digest: GitHub's", () => undefined, (f) => f.sha256],
        ["no digest: the recorded one", () => standIn.setDigests(false), () => stale],
        [
          "a digest of another algorithm: the recorded one",
          (first, asset) =>
            standIn.script("repos/list-release-assets", {
              status: 200,
              body: [standIn.assetBody(first), { ...standIn.assetBody(asset), digest: `sha512:${"c".repeat(128)}` }],
            }),
          () => stale,
        ],
      ];
      rows.forEach(([title, arrange, expected], index) => {
        it(`[${index}] ${title}; the asset of that name, not the first one listed`, async () => {
          const id = standIn.addRelease("acme", "hello", "v2.4.0");
          const first = standIn.addAsset(id, "0-first.txt", Buffer.from("first"));
          const f = file("r.bin", "refresh me");
          const olds = (await githubReleaseAssetProvider.create(assetInputs(id, f))).outs as GithubReleaseAssetOutputs;
          arrange(first, olds.assetId);
          const read = githubReleaseAssetProvider.read;
          assert.ok(read !== undefined);
          assert.deepEqual(await read("asset", { ...olds, sha256: stale }), { id: "asset", props: { ...olds, sha256: expected(f) } });
        });
      });
    });

    describe("a publication's outputs: GitHub's page and publication time, and whether it was adopted", () => {
      const sha = createHash("sha256").update("a").digest("hex");
      const rows: {
        readonly title: string;
        readonly arrange: (id: number) => void;
        readonly draft: boolean;
        readonly publishedAt: string;
        readonly adopted: boolean;
      }[] = [
        { title: "published now", arrange: () => undefined, draft: true, publishedAt: "2026-11-20T10:05:00Z", adopted: false },
        { title: "found published: adopted", arrange: () => undefined, draft: false, publishedAt: "2026-11-20T10:05:00Z", adopted: true },
        {
          title: "published now, GitHub's answer has no publication time",
          arrange: (id) =>
            standIn.script("repos/update-release", {
              status: 200,
              body: {
                ...standIn.releaseBody(id),
                draft: false,
                published_at: null,
                html_url: "https://github.com/acme/hello/releases/tag/v2.5.0",
              },
            }),
          draft: true,
          publishedAt: "",
          adopted: false,
        },
        {
          title: "found published, GitHub lists no publication time",
          arrange: (id) => standIn.script("repos/get-release", { status: 200, body: { ...standIn.releaseBody(id), published_at: null } }),
          draft: false,
          publishedAt: "",
          adopted: true,
        },
      ];
      rows.forEach((row, index) => {
        it(`[${index}] ${row.title}`, async () => {
          const id = standIn.addRelease("acme", "hello", "v2.5.0", { draft: row.draft });
          standIn.addAsset(id, "a.txt", Buffer.from("a"));
          row.arrange(id);
          const inputs = publicationInputs(id, { "a.txt": sha });
          assert.deepEqual(await githubReleasePublicationProvider.create(inputs), {
            id: `acme/hello/releases/${id}`,
            outs: {
              ...inputs,
              published: true,
              htmlUrl: "https://github.com/acme/hello/releases/tag/v2.5.0",
              publishedAt: row.publishedAt,
              adopted: row.adopted,
            },
          });
        });
      });
    });

    describe("publication diff refuses every change to what was published, naming each", () => {
      const a = "a".repeat(64);
      const b = "b".repeat(64);
      const c = "c".repeat(64);
      // The stand-in's address is known only once it runs: inputs are made in the tests.
      const olds = (): GithubReleasePublicationOutputs => ({
        ...publicationInputs(7, { "c.txt": c, "a.txt": a, "b.txt": b }),
        published: true,
        htmlUrl: "https://github.com/acme/hello/releases/tag/v2.0.0",
        publishedAt: "2026-11-20T10:05:00Z",
        adopted: false,
      });
      const rows: [string, () => GithubReleasePublicationInputs, string | undefined][] = [
        ["the tag", () => ({ ...publicationInputs(7, olds().assets), tagName: "v2.0.1" }), "tagName"],
        [
          "the tag, make_latest and the assets",
          () => ({ ...publicationInputs(7, { "a.txt": a }, false), tagName: "v2.0.1" }),
          "tagName, makeLatest, assets",
        ],
        [
          "the same assets listed in another order: no change",
          () => publicationInputs(7, { "b.txt": b, "c.txt": c, "a.txt": a }),
          undefined,
        ],
      ];
      rows.forEach(([title, news, changed], index) => {
        it(`[${index}] ${title}`, async () => {
          const diff = githubReleasePublicationProvider.diff;
          assert.ok(diff !== undefined);
          if (changed === undefined) {
            assert.deepEqual(await diff("id", olds(), news()), { changes: false, replaces: [], deleteBeforeReplace: false });
          } else {
            await assert.rejects(
              Promise.resolve().then(() => diff("id", olds(), news())),
              {
                message: `acme/hello release v2.0.0 is published, so changing its ${changed} is refused: published releases are never modified (release a new version instead)`,
              },
            );
          }
        });
      });
    });

    describe("as the engine runs them, with their own clock and retry policy", () => {
      const outputs = (releaseId: number): GithubReleaseAssetOutputs => ({
        ...assetInputs(releaseId, file("c.bin", "clock")),
        assetId: 1,
        size: 5,
        downloadUrl: "https://github.com/acme/hello/releases/download/v2.6.0/c.bin",
      });
      const read = (props: GithubReleaseAssetOutputs) => {
        const readIt = githubReleaseAssetProvider.read;
        assert.ok(readIt !== undefined);
        return readIt("asset", props);
      };

      it("a failed call is GitHub's one line", async () => {
        await assert.rejects(read(outputs(999_999)), {
          name: "GithubApiError",
          message: "GitHub GET /repos/acme/hello/releases/999999/assets?per_page=100&page=1 failed: HTTP 404: Not Found",
        });
      });

      it("a rate limit that resets after the longest wait is reported at once, with when it resets", async () => {
        const id = standIn.addRelease("acme", "hello", "v2.6.0");
        standIn.script("repos/list-release-assets", {
          status: 429,
          // 2100-01-01T00:00:00Z: whatever the real clock says, the wait is longer than the policy's 5 minutes.
          headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "4102444800" },
          message: "API rate limit exceeded",
        });
        await assert.rejects(read(outputs(id)), {
          message: `GitHub GET /repos/acme/hello/releases/${id}/assets?per_page=100&page=1 failed: HTTP 429: API rate limit exceeded (rate limited until 2100-01-01T00:00:01.000Z, longer than the 300s this run waits; run again after that)`,
        });
        assert.deepEqual(calls(), ["api GET repos/list-release-assets 429"]);
      });

      // The timeout only turns a sleep that never ends into a failure; nothing here measures time.
      it("a secondary rate limit with retry-after 0 is retried at once on the real timer", { timeout: 20_000 }, async () => {
        const id = standIn.addRelease("acme", "hello", "v2.6.1");
        const assetId = standIn.addAsset(id, "c.bin", Buffer.from("clock"));
        const props = outputs(id);
        standIn.script("repos/list-release-assets", {
          status: 403,
          headers: { "retry-after": "0" },
          message: "You have exceeded a secondary rate limit.",
        });
        assert.deepEqual(await read(props), {
          id: "asset",
          props: { ...props, assetId, downloadUrl: "https://github.com/acme/hello/releases/download/v2.6.1/c.bin" },
        });
        assert.deepEqual(calls(), ["api GET repos/list-release-assets 403", "api GET repos/list-release-assets 200"]);
      });
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
    [
      "missing, in name order",
      { d: a, b: a, e: a, a: a, c: a },
      [],
      "a is missing; b is missing; c is missing; d is missing; e is missing",
    ],
    [
      "every problem, in name order whatever the order listed",
      { "z.txt": a, "m.txt": a, "b.txt": a },
      [
        { name: "z.txt", state: "open", digest: null },
        { name: "m.txt", state: "uploaded", digest: "sha256:b" },
      ],
      `b.txt is missing; m.txt is sha256:b, not sha256:${a}; z.txt is only partly uploaded`,
    ],
  ];
  rows.forEach(([title, expected, actual, result], index) => {
    it(`[${index}] ${title}`, () => assert.equal(assetMismatch(expected, actual), result));
  });
});

describe("isSameAsset", () => {
  const sha = "a".repeat(64);
  const asset: AssetInfo = {
    id: 7,
    name: "a.tar.gz",
    state: "uploaded",
    contentType: "application/gzip",
    size: 5,
    digest: `sha256:${sha}`,
    downloadUrl: "https://github.com/acme/hello/releases/download/v1.0.0/a.tar.gz",
  };
  const wanted: AssetFile = { name: "a.tar.gz", path: "/build/a.tar.gz", sha256: sha, contentType: "application/gzip" };
  const rows: [string, Partial<AssetInfo>, Partial<AssetFile>, number, RecordedAsset | undefined, boolean][] = [
    ["GitHub's digest, size and type agree", {}, {}, 5, undefined, true],
    ["a partial upload, even with the right digest", { state: "open" }, {}, 5, undefined, false],
    ["another size", {}, {}, 6, undefined, false],
    ["another content type", {}, { contentType: "application/zip" }, 5, undefined, false],
    ["another digest, whatever was recorded", { digest: `sha256:${"b".repeat(64)}` }, {}, 5, { assetId: 7, sha256: sha }, false],
    ["no digest: the record of this very asset", { digest: null }, {}, 5, { assetId: 7, sha256: sha }, true],
    ["no digest and no record", { digest: null }, {}, 5, undefined, false],
    ["no digest, a record of another asset", { digest: null }, {}, 5, { assetId: 8, sha256: sha }, false],
    ["no digest, a record of other bytes", { digest: null }, {}, 5, { assetId: 7, sha256: "b".repeat(64) }, false],
  ];
  rows.forEach(([title, existing, file, size, recorded, same], index) => {
    it(`[${index}] ${title}`, () => assert.equal(isSameAsset({ ...asset, ...existing }, { ...wanted, ...file }, size, recorded), same));
  });
});

describe("GithubReleaseAsset and GithubReleasePublication as registered", () => {
  let registrations: Registration[];
  before(async () => {
    registrations = await recordRegistrations();
  });
  const secretToken = { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: TOKEN };
  const ref = { owner: "acme", repo: "hello", releaseId: 42, token: TOKEN, apiUrl: "https://api.github.com" };

  it("an asset: its inputs with the token as a secret, no outputs yet, and the token secret in state", async () => {
    const args: GithubReleaseAssetInputs = {
      ...ref,
      uploadUrl: "https://uploads.github.com",
      name: "a.tar.gz",
      path: "/build/a.tar.gz",
      sha256: "a".repeat(64),
      contentType: "application/gzip",
      slipwayPublished: true,
    };
    new GithubReleaseAsset("asset", args);
    await settle();
    const registered = named(registrations, "asset");
    assert.equal(registered.type, "pulumi-nodejs:dynamic/slipway:GithubReleaseAsset");
    assert.equal(typeof registered.inputs.__provider, "string");
    assert.deepEqual({ ...registered.inputs, __provider: undefined }, { ...args, token: secretToken, __provider: undefined });
    assert.deepEqual(registered.options.additionalSecretOutputs, ["token"]);
  });

  it("a publication: its inputs with the token as a secret, no outputs yet, and the token secret in state", async () => {
    const args: GithubReleasePublicationInputs = {
      ...ref,
      tagName: "v1.0.0",
      makeLatest: true,
      assets: { "a.tar.gz": "a".repeat(64) },
      slipwayPublished: true,
    };
    new GithubReleasePublication("publication", args);
    await settle();
    const registered = named(registrations, "publication");
    assert.equal(registered.type, "pulumi-nodejs:dynamic/slipway:GithubReleasePublication");
    assert.equal(typeof registered.inputs.__provider, "string");
    assert.deepEqual({ ...registered.inputs, __provider: undefined }, { ...args, token: secretToken, __provider: undefined });
    assert.deepEqual(registered.options.additionalSecretOutputs, ["token"]);
  });
});
