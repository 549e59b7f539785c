// The index that joins the per-platform images of one release, written into a repository by digest (no tag:
// the release's tags are RegistryTag's). Built from the manifests the registry holds, so each repository's
// index names exactly what that repository serves.
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource } from "./dynamicResource";
import { OCI_INDEX_MEDIA_TYPE, renderImageIndex } from "../plan/imageIndex";
import { InputsOf } from "./inputs";
import { RegistryCredentials, RegistryError, RepositoryRef, getManifest, putManifest, sha256Digest } from "./registryClient";

export interface ImageIndexInputs {
  /** `host[:port]`. */
  readonly registry: string;
  readonly repository: string;
  readonly credentials?: RegistryCredentials | undefined;
  /** Each platform's image digest, in the plan's platform order. */
  readonly manifests: readonly { readonly platform: string; readonly digest: string }[];
  readonly slipwayPublished: true;
}

export interface ImageIndexOutputs extends ImageIndexInputs {
  /** The index digest (`sha256:…`). */
  readonly digest: string;
}

/** Writes the index of `inputs.manifests` into the repository; every manifest must already be there. Exported for tests. */
export async function writeImageIndex(inputs: ImageIndexInputs): Promise<ImageIndexOutputs> {
  if (!builtManifests(inputs.manifests)) {
    throw new RegistryError(`no index for ${inputs.registry}/${inputs.repository}: not every platform's image was built`, undefined);
  }
  const ref: RepositoryRef = { registry: inputs.registry, repository: inputs.repository, credentials: inputs.credentials };
  const entries = [];
  for (const { platform, digest } of inputs.manifests) {
    const manifest = await getManifest(ref, digest);
    if (manifest === undefined) {
      throw new RegistryError(`the ${platform} image ${digest} is not in ${inputs.registry}/${inputs.repository}`, 404);
    }
    entries.push({ platform, digest, mediaType: manifest.mediaType, size: manifest.bytes.length });
  }
  const bytes = Buffer.from(renderImageIndex(entries));
  const digest = await putManifest(ref, sha256Digest(bytes), { digest: sha256Digest(bytes), mediaType: OCI_INDEX_MEDIA_TYPE, bytes });
  return { ...inputs, digest };
}

/** Whether every platform's image is known: a failed or pending build leaves its digest unknown (or absent). */
function builtManifests(manifests: unknown): manifests is ImageIndexInputs["manifests"] {
  return (
    Array.isArray(manifests) &&
    manifests.every(
      (m: { platform?: unknown; digest?: unknown } | undefined) =>
        typeof m?.platform === "string" && typeof m.digest === "string" && m.digest.startsWith("sha256:"),
    )
  );
}

/** The same platform images in the same order (the order is the index's bytes). */
const sameManifests = (a: unknown, b: unknown) => {
  const key = (manifests: ImageIndexInputs["manifests"]) => JSON.stringify(manifests.map((m) => [m.platform, m.digest]));
  return builtManifests(a) && builtManifests(b) && key(a) === key(b);
};

export const imageIndexProvider: pulumi.dynamic.ResourceProvider<ImageIndexInputs, ImageIndexOutputs> = {
  async create(inputs) {
    const outs = await writeImageIndex(inputs);
    return { id: `${inputs.registry}/${inputs.repository}@${outs.digest}`, outs };
  },
  // New platform images or another repository make another index; credentials alone change nothing.
  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id, olds, news) {
    const changed =
      olds.registry !== news.registry || olds.repository !== news.repository || !sameManifests(olds.manifests, news.manifests);
    return { changes: changed, replaces: [], deleteBeforeReplace: false };
  },
  async update(_id, _olds, news) {
    return { outs: await writeImageIndex(news) };
  },
  // A published index stays: tags of earlier releases point at it.
  async delete() {},
};

/** The image index of one release in one repository. */
export class ImageIndex extends DynamicResource {
  declare public readonly digest: pulumi.Output<string>;

  constructor(name: string, args: InputsOf<ImageIndexInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      imageIndexProvider,
      name,
      { ...args, digest: undefined },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["credentials"], retainOnDelete: true }),
      "slipway",
      "ImageIndex",
    );
  }
}
