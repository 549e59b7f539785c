// Mirroring a base image between two real registries: same digest, every platform, idempotent.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { getManifest, platformDigests } from "../../providers/registryClient";
import { ImageMirrorInputs, imageMirrorProvider, mirrorImage } from "../../providers/imageMirror";
import { REGISTRY_BINARY, TestRegistry, pushSyntheticImage, requireTool, startRegistry } from "../support/registry";

describe("base image mirror", () => {
  let hub: TestRegistry | undefined;
  let own: TestRegistry | undefined;
  let image: { index: string; platforms: Record<string, string> };
  const inputs = (): ImageMirrorInputs => ({
    sourceRegistry: hub?.address ?? "",
    sourceRepository: "library/static",
    digest: image.index,
    targetRegistry: own?.address ?? "",
    targetRepository: "mirror/library/static",
    slipwayPublished: true,
  });

  before(async () => {
    if (!existsSync(REGISTRY_BINARY)) return;
    hub = await startRegistry();
    own = await startRegistry();
    image = await pushSyntheticImage(hub.address, "library/static", "base");
  });
  after(async () => {
    await hub?.stop();
    await own?.stop();
  });

  it("copies the index, every platform manifest and their blobs under the same digest", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const outs = await mirrorImage(inputs());
    assert.equal(outs.ref, `${own?.address}/mirror/library/static@${image.index}`);
    assert.equal(outs.copiedBlobs, 4, "a config and a layer per platform");
    const copied = await getManifest({ registry: own?.address ?? "", repository: "mirror/library/static" }, image.index);
    assert.equal(copied?.digest, image.index);
    assert.deepEqual(platformDigests(copied), image.platforms);
  });

  it("creates a copy whose id and ref are the target reference", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const created = { ...inputs(), targetRepository: "mirror/created/static" };
    const ref = `${own?.address}/mirror/created/static@${image.index}`;
    assert.deepEqual(await imageMirrorProvider.create(created), { id: ref, outs: { ...created, ref, copiedBlobs: 4 } });
  });

  it("reads a copy gone from the target as one to create again", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const present = { ...inputs(), ref: "r", copiedBlobs: 4 };
    assert.deepEqual(await imageMirrorProvider.read?.("id", present), { id: "id", props: present });
    const gone = { ...present, targetRepository: "mirror/never/copied" };
    assert.deepEqual(await imageMirrorProvider.read?.("id", gone), { id: "id", props: { ...gone, ref: "" } });
  });

  it("copies nothing the second time, and builds keep working with the source gone", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    assert.equal((await mirrorImage(inputs())).copiedBlobs, 0);
    await hub?.stop();
    await assert.rejects(mirrorImage(inputs()), /unreachable/, "a new copy needs the source");
    const read = await imageMirrorProvider.read?.("id", { ...inputs(), ref: "r", copiedBlobs: 4 });
    assert.equal((read?.props as { ref: string }).ref, "r", "the copy is still there");
  });

  it("is replaced when source or target change, and only updated for new credentials", async () => {
    const old = { ...inputs(), ref: "r", copiedBlobs: 4 };
    assert.deepEqual(await imageMirrorProvider.diff?.("id", old, { ...inputs(), digest: "sha256:" + "e".repeat(64) }), {
      changes: true,
      replaces: ["digest"],
      deleteBeforeReplace: false,
    });
    assert.deepEqual(await imageMirrorProvider.diff?.("id", old, { ...inputs(), targetCredentials: { username: "u", password: "p" } }), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates only the credentials, keeping the copy it has", async () => {
    const olds = { ...inputs(), targetCredentials: { username: "u", password: "old" }, ref: "r", copiedBlobs: 4 };
    const news = { ...inputs(), targetCredentials: { username: "u", password: "new" } };
    assert.deepEqual(await imageMirrorProvider.update?.("id", olds, news), {
      outs: { ...inputs(), targetCredentials: { username: "u", password: "new" }, ref: "r", copiedBlobs: 4 },
    });
    assert.deepEqual(await imageMirrorProvider.update?.("id", olds, inputs()), {
      outs: { ...inputs(), targetCredentials: undefined, ref: "r", copiedBlobs: 4 },
    });
  });
});
