// ImageIndex against a real registry: the index of per-platform images is written by digest (no tag), names
// each manifest as the registry holds it, and is refused naming the platform whose image is missing.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { ImageIndexInputs, ImageIndexOutputs, imageIndexProvider, writeImageIndex } from "../../providers/imageIndex";
import { getManifest } from "../../providers/registryClient";
import { REGISTRY_BINARY, TestRegistry, pushSyntheticImage, requireTool, startRegistry } from "../support/registry";

describe("ImageIndex", () => {
  const login = { username: "release-bot", password: "s3cret-token" };
  let open: TestRegistry | undefined;
  let guarded: TestRegistry | undefined;
  let platforms: Record<string, string> = {};

  before(async () => {
    if (!requireToolQuietly()) return;
    open = await startRegistry();
    guarded = await startRegistry(undefined, login);
    platforms = (await pushSyntheticImage(open.address, "acme/hello", "index")).platforms;
    await pushSyntheticImage(guarded.address, "acme/hello", "index", login);
  });
  after(async () => {
    await open?.stop();
    await guarded?.stop();
  });

  const inputs = (registry: TestRegistry | undefined, extra: Partial<ImageIndexInputs> = {}): ImageIndexInputs => ({
    registry: registry?.address ?? "",
    repository: "acme/hello",
    manifests: Object.entries(platforms).map(([platform, digest]) => ({ platform, digest })),
    slipwayPublished: true,
    ...extra,
  });

  it("writes the index by digest: its bytes hash to the digest, and it lists each platform's manifest as the registry holds it", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const written = await writeImageIndex(inputs(open));
    const stored = await getManifest({ registry: open?.address ?? "", repository: "acme/hello" }, written.digest);
    assert.ok(stored !== undefined);
    assert.equal(`sha256:${createHash("sha256").update(stored.bytes).digest("hex")}`, written.digest);
    assert.equal(stored.mediaType, "application/vnd.oci.image.index.v1+json");
    const index = JSON.parse(stored.bytes.toString("utf8")) as {
      manifests: { digest: string; size: number; platform: { architecture: string } }[];
    };
    for (const entry of index.manifests) {
      const manifest = await getManifest({ registry: open?.address ?? "", repository: "acme/hello" }, entry.digest);
      assert.equal(entry.size, manifest?.bytes.length);
    }
    assert.deepEqual(
      index.manifests.map((m) => [m.platform.architecture, m.digest]),
      [
        ["amd64", platforms["linux/amd64"]],
        ["arm64", platforms["linux/arm64"]],
      ],
    );
    assert.equal((await writeImageIndex(inputs(open))).digest, written.digest, "the same images, the same index");
  });

  it("writes into a registry that needs a login with that login", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    await assert.rejects(writeImageIndex(inputs(guarded)), /HTTP 401/);
    const written = await writeImageIndex(inputs(guarded, { credentials: login }));
    assert.equal(written.digest, (await writeImageIndex(inputs(open))).digest);
  });

  it("refuses to write an index while any platform's image is not built, naming the repository", async () => {
    const built = { platform: "linux/amd64", digest: `sha256:${"1".repeat(64)}` };
    const pending: unknown[] = [
      undefined,
      [undefined],
      [built, { platform: "linux/arm64" }],
      [built, { platform: "linux/arm64", digest: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }],
      [built, { platform: "linux/arm64", digest: 42 }],
      [built, { digest: `sha256:${"2".repeat(64)}` }],
    ];
    for (const manifests of pending) {
      await assert.rejects(
        writeImageIndex({ registry: "127.0.0.1:1", repository: "acme/hello", manifests: manifests as never, slipwayPublished: true }),
        /^RegistryError: no index for 127\.0\.0\.1:1\/acme\/hello: not every platform's image was built$/,
        JSON.stringify(manifests),
      );
    }
  });

  it("creates and updates through the provider: the id names the repository and the index digest", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const created = await imageIndexProvider.create?.(inputs(open));
    assert.ok(created?.outs !== undefined);
    const digest = created.outs.digest;
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(created.id, `${open?.address}/acme/hello@${digest}`);
    const updated = await imageIndexProvider.update?.(created.id, created.outs, inputs(open));
    assert.equal(updated?.outs?.digest, digest);
  });

  it("refuses naming the platform whose image the repository does not hold", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const missing = `sha256:${"0".repeat(64)}`;
    await assert.rejects(
      writeImageIndex(
        inputs(open, {
          manifests: [
            { platform: "linux/amd64", digest: platforms["linux/amd64"] ?? "" },
            { platform: "linux/arm64", digest: missing },
          ],
        }),
      ),
      new RegExp(`the linux/arm64 image ${missing} is not in 127\\.0\\.0\\.1:\\d+/acme/hello`),
    );
  });

  it("changes only for other images or another repository; a new login (an ECR token) changes nothing", async () => {
    const manifests = [
      { platform: "linux/amd64", digest: `sha256:${"1".repeat(64)}` },
      { platform: "linux/arm64", digest: `sha256:${"2".repeat(64)}` },
    ];
    const base: ImageIndexInputs = { registry: "ghcr.io", repository: "acme/hello", manifests, slipwayPublished: true };
    const olds: ImageIndexOutputs = { ...base, credentials: login, digest: "sha256:x" };
    const diff = async (news: Partial<ImageIndexInputs>) => (await imageIndexProvider.diff?.("id", olds, { ...base, ...news }))?.changes;
    assert.deepEqual(await imageIndexProvider.diff?.("id", olds, { ...base, repository: "acme/other" }), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    assert.equal(await diff({ credentials: { ...login, password: "new-token" } }), false);
    assert.equal(await diff({ manifests: manifests.map((m) => ({ ...m })) }), false);
    assert.equal(await diff({ repository: "acme/other" }), true);
    assert.equal(await diff({ registry: "docker.io" }), true);
    assert.equal(await diff({ manifests: [...manifests].reverse() }), true, "another order is another index");
    assert.equal(await diff({ manifests: manifests.slice(1) }), true);
    assert.equal(await diff({ manifests: [...manifests, { platform: "linux/arm/v7", digest: `sha256:${"3".repeat(64)}` }] }), true);
    assert.equal(
      await diff({ manifests: manifests.map((m) => ({ ...m, platform: `${m.platform}/v8` })) }),
      true,
      "the same images under other platforms",
    );
    assert.equal(await diff({ manifests: [manifests[0] as (typeof manifests)[0], { platform: "linux/arm64", digest: "sha256:3" }] }), true);
    // A platform build that failed or is still to run (its digest unknown or absent) is a change, never a crash.
    for (const pending of [undefined, "04da6b54-80e4-46f7-96ec-b56ff0331ba9", [{ platform: "linux/amd64" }]]) {
      assert.equal(await diff({ manifests: pending as never }), true, JSON.stringify(pending));
    }
  });
});

function requireToolQuietly(): boolean {
  return existsSync(REGISTRY_BINARY);
}
