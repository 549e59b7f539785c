// The OCI image index that joins one release's per-platform images. Written byte for byte as BuildKit writes
// the index of a multi-platform build (2-space JSON, descriptor fields in the OCI structs' order, no trailing
// newline), so the same platform images give the same index digest whichever way they were built.

/** One platform's image as its registry holds it. */
export interface IndexManifest {
  /** `linux/amd64`, `linux/arm/v7`. */
  readonly platform: string;
  readonly mediaType: string;
  readonly digest: string;
  /** Bytes of the manifest. */
  readonly size: number;
}

export const OCI_INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

/** The index text for `manifests`, in their order (the plan's platform order). */
export function renderImageIndex(manifests: readonly IndexManifest[]): string {
  const entries = manifests.map((m) => {
    // split always yields a first element: only the architecture can be missing.
    const [os, architecture = "", variant] = m.platform.split("/") as [string, string?, string?];
    if (os === "" || architecture === "") {
      throw new Error(`platform "${m.platform}" is not os/arch[/variant]`);
    }
    return {
      mediaType: m.mediaType,
      digest: m.digest,
      size: m.size,
      // JSON.stringify leaves out a variant that is undefined, as BuildKit omits an empty one.
      platform: { architecture, os, variant },
    };
  });
  return JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX_MEDIA_TYPE, manifests: entries }, null, 2);
}
