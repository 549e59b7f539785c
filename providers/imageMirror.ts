// Keeps a copy of a base image in a registry of the stack's own, byte for byte and by digest, so builds
// never pull from a public hub at release time.
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource } from "./dynamicResource";
import { InputsOf } from "./inputs";
import { RegistryCredentials, copyImage, getManifest } from "./registryClient";

export interface ImageMirrorInputs {
  readonly sourceRegistry: string;
  readonly sourceRepository: string;
  readonly digest: string;
  readonly targetRegistry: string;
  readonly targetRepository: string;
  readonly targetCredentials?: RegistryCredentials | undefined;
  readonly slipwayPublished: true;
}

export interface ImageMirrorOutputs extends ImageMirrorInputs {
  /** `<target registry>/<repository>@<digest>`: the reference builds use. */
  readonly ref: string;
  readonly copiedBlobs: number;
}

export async function mirrorImage(inputs: ImageMirrorInputs): Promise<ImageMirrorOutputs> {
  const { copiedBlobs } = await copyImage(
    { registry: inputs.sourceRegistry, repository: inputs.sourceRepository },
    { registry: inputs.targetRegistry, repository: inputs.targetRepository, credentials: inputs.targetCredentials },
    inputs.digest,
  );
  return { ...inputs, ref: `${inputs.targetRegistry}/${inputs.targetRepository}@${inputs.digest}`, copiedBlobs };
}

const FIELDS = ["sourceRegistry", "sourceRepository", "digest", "targetRegistry", "targetRepository"] as const;

export const imageMirrorProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ImageMirrorInputs) {
    const outs = await mirrorImage(inputs);
    return { id: outs.ref, outs };
  },
  // A new source or target is another copy; credentials alone change nothing.
  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id: string, olds: ImageMirrorOutputs, news: ImageMirrorInputs) {
    const replaces = FIELDS.filter((f) => olds[f] !== news[f]);
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async update(_id: string, olds: ImageMirrorOutputs, news: ImageMirrorInputs) {
    return { outs: { ...olds, targetCredentials: news.targetCredentials } };
  },
  async read(id: string, props: ImageMirrorOutputs) {
    const present = await getManifest(
      { registry: props.targetRegistry, repository: props.targetRepository, credentials: props.targetCredentials },
      props.digest,
    );
    return { id, props: present === undefined ? { ...props, ref: "" } : props };
  },
  // The copy stays: other stacks' images may be built on it.
  async delete() {},
};

export class ImageMirror extends DynamicResource {
  declare public readonly ref: pulumi.Output<string>;
  declare public readonly copiedBlobs: pulumi.Output<number>;

  constructor(name: string, args: InputsOf<ImageMirrorInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      imageMirrorProvider,
      name,
      { ...args, ref: undefined, copiedBlobs: undefined },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["targetCredentials"], retainOnDelete: true }),
      "slipway",
      "ImageMirror",
    );
  }
}
