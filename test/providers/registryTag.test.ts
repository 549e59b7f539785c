// Against a real registry process: the tag provider's HTTP behaviour (adopt, move, refuse to overwrite).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { getManifest } from "../../providers/registryClient";
import { RegistryTagInputs, pointTag, registryTagProvider } from "../../providers/registryTag";
import { REGISTRY_BINARY, TestRegistry, pushSyntheticImage, requireTool, startRegistry } from "../support/registry";

describe("registry tags against a real registry", () => {
  let registry: TestRegistry | undefined;
  let first: { index: string; platforms: Record<string, string> };
  let second: { index: string; platforms: Record<string, string> };

  const inputs = (tag: string, digest: string, mutable: boolean): RegistryTagInputs => ({
    registry: registry?.address ?? "",
    repository: "acme/hello",
    tag,
    digest,
    mutable,
    version: "1.4.0",
    prerelease: false,
    slipwayPublished: true,
  });

  before(async () => {
    if (!existsSync(REGISTRY_BINARY)) return;
    registry = await startRegistry();
    first = await pushSyntheticImage(registry.address, "acme/hello", "one");
    second = await pushSyntheticImage(registry.address, "acme/hello", "two");
  });
  after(async () => registry?.stop());

  it("creates a tag that resolves to exactly the given digest and reports platform digests", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const outs = await pointTag(inputs("v1.4.0", first.index, false));
    assert.equal(outs.previousDigest, null);
    assert.deepEqual(outs.platforms, first.platforms);
    const manifest = await getManifest({ registry: registry?.address ?? "", repository: "acme/hello" }, "v1.4.0");
    assert.equal(manifest?.digest, first.index);
  });

  it("adopts an immutable tag that already points at the digest", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const outs = await pointTag(inputs("v1.4.0", first.index, false));
    assert.equal(outs.previousDigest, first.index);
  });

  it("never overwrites an immutable tag that points elsewhere", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    await assert.rejects(
      pointTag(inputs("v1.4.0", second.index, false)),
      /already points at sha256:[0-9a-f]{64}; published tags are never overwritten/,
    );
    const manifest = await getManifest({ registry: registry?.address ?? "", repository: "acme/hello" }, "v1.4.0");
    assert.equal(manifest?.digest, first.index);
  });

  it("moves a floating tag and remembers where it came from", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    await pointTag(inputs("latest", first.index, true));
    const outs = await pointTag(inputs("latest", second.index, true));
    assert.equal(outs.previousDigest, first.index);
    const read = await registryTagProvider.read?.("id", { ...outs, digest: "stale" });
    assert.equal((read?.props as { digest: string }).digest, second.index);
  });

  it("refuses at diff time to move an immutable tag, before anything is written", async () => {
    const old = { ...inputs("v1.4.0", "sha256:" + "a".repeat(64), false), previousDigest: null, platforms: {} };
    await assert.rejects(
      Promise.resolve().then(() => registryTagProvider.diff?.("id", old, inputs("v1.4.0", "sha256:" + "b".repeat(64), false))),
      /is published as sha256:a+; it cannot move to sha256:b+/,
    );
    const moving = await registryTagProvider.diff?.("id", { ...old, mutable: true }, inputs("v1.4.0", "sha256:" + "b".repeat(64), true));
    assert.deepEqual(moving, { changes: true, replaces: [], deleteBeforeReplace: false });
    const same = await registryTagProvider.diff?.("id", old, inputs("v1.4.0", "sha256:" + "a".repeat(64), false));
    assert.deepEqual(same, { changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("fails with the registry's address when it is unreachable", async () => {
    await assert.rejects(
      pointTag({ ...inputs("v9", first.index, true), registry: "127.0.0.1:1" }),
      /registry 127\.0\.0\.1:1 is unreachable/,
    );
  });
});

describe("registry tags in preview", () => {
  it("leave an unknown digest to be judged when it is known, instead of failing the preview", async () => {
    const old = {
      registry: "127.0.0.1:5000",
      repository: "acme/hello",
      tag: "v1.4.0",
      digest: "sha256:" + "a".repeat(64),
      mutable: false,
      version: "1.4.0",
      prerelease: false,
      slipwayPublished: true as const,
      previousDigest: null,
      platforms: {},
    };
    const diff = await registryTagProvider.diff?.("id", old, { ...old, digest: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
    assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false });
  });
});
