// The per-platform images' index, compared byte for byte with an index BuildKit wrote for a multi-platform
// build of the same two images (test/golden/buildkit-index.json, read from the registry): same bytes, same digest.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { OCI_INDEX_MEDIA_TYPE, renderImageIndex } from "../../plan/imageIndex";

const BUILDKIT_INDEX = readFileSync(join(__dirname, "..", "golden", "buildkit-index.json"), "utf8");
const MANIFEST = "application/vnd.oci.image.manifest.v1+json";

describe("renderImageIndex", () => {
  it("writes BuildKit's bytes for the same manifests, so the index digest is BuildKit's", () => {
    const text = renderImageIndex([
      {
        platform: "linux/amd64",
        mediaType: MANIFEST,
        digest: "sha256:c590fff18d72bec8f0b0db6ba78644cbc3c825b65eb8c0e70217081a661cbc92",
        size: 481,
      },
      {
        platform: "linux/arm64",
        mediaType: MANIFEST,
        digest: "sha256:dd6e3977c9fde236466e938ecb7e48e4178429d48e098862a0b9608be13cba3a",
        size: 481,
      },
    ]);
    assert.equal(text, BUILDKIT_INDEX);
    assert.equal(
      createHash("sha256").update(text).digest("hex"),
      "1a0b491de8d3ff8e2147013976be7be7d40c3dcd7717d967f6a400a7580d7964",
      "the digest the registry reported for BuildKit's index",
    );
  });

  it("keeps the given order and writes a variant after os, as the OCI platform struct orders it", () => {
    const parsed = JSON.parse(
      renderImageIndex([
        { platform: "linux/arm/v7", mediaType: MANIFEST, digest: "sha256:b", size: 2 },
        { platform: "linux/amd64", mediaType: MANIFEST, digest: "sha256:a", size: 1 },
      ]),
    ) as { schemaVersion: number; mediaType: string; manifests: { digest: string; platform: object }[] };
    assert.equal(parsed.schemaVersion, 2);
    assert.equal(parsed.mediaType, OCI_INDEX_MEDIA_TYPE);
    assert.deepEqual(
      parsed.manifests.map((m) => [m.digest, JSON.stringify(m.platform)]),
      [
        ["sha256:b", '{"architecture":"arm","os":"linux","variant":"v7"}'],
        ["sha256:a", '{"architecture":"amd64","os":"linux"}'],
      ],
    );
  });

  for (const platform of ["linux", "", "/amd64", "linux/"]) {
    it(`refuses the platform "${platform}"`, () => {
      assert.throws(
        () => renderImageIndex([{ platform, mediaType: MANIFEST, digest: "sha256:a", size: 1 }]),
        /is not os\/arch\[\/variant\]/,
      );
    });
  }
});
