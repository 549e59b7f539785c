import * as pulumi from "@pulumi/pulumi";
import { DynamicResource } from "./dynamicResource";
import { InputsOf } from "./inputs";
import { UNKNOWN } from "./toolkit";
import { RegistryCredentials, RegistryError, RepositoryRef, getManifest, imagePlatforms, putManifest } from "./registryClient";

/** What a registry tag resource is given; `credentials` arrives as a secret. */
export interface RegistryTagInputs {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
  /** The manifest (usually an index) digest the tag must point at. */
  readonly digest: string;
  /** Floating tags (`latest`, `v1`, `v1.4`) move; immutable ones (exact version, commit) never do. */
  readonly mutable: boolean;
  /** For policy checks: the release version and whether it is a prerelease. */
  readonly version: string;
  readonly prerelease: boolean;
  readonly credentials?: RegistryCredentials | undefined;
  /** Marks a published artifact, for the policy pack. */
  readonly slipwayPublished: true;
}

export interface RegistryTagOutputs extends RegistryTagInputs {
  /** What the tag pointed at before this stack last moved it; null if it did not exist. */
  readonly previousDigest: string | null;
  /** Platform → manifest digest inside the index the tag points at. */
  readonly platforms: Record<string, string>;
}

function refOf(inputs: RegistryTagInputs): RepositoryRef {
  return { registry: inputs.registry, repository: inputs.repository, credentials: inputs.credentials };
}

function where(inputs: RegistryTagInputs): string {
  return `${inputs.registry}/${inputs.repository}:${inputs.tag}`;
}

/**
 * Points `tag` at `digest` by copying the manifest bytes (so the digest is exactly the same). An
 * immutable tag that already points elsewhere is never overwritten; an existing tag with the right
 * digest is adopted without a write, so a re-run finishes a half-done release with no duplicates.
 */
export async function pointTag(inputs: RegistryTagInputs, attempts = 3): Promise<RegistryTagOutputs> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await pointTagOnce(inputs);
    } catch (error) {
      // A registry that is briefly unreachable or answers 5xx gets two more tries; anything else is final.
      const transient = error instanceof RegistryError && error.transient;
      if (!transient || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

async function pointTagOnce(inputs: RegistryTagInputs): Promise<RegistryTagOutputs> {
  const ref = refOf(inputs);
  const current = await getManifest(ref, inputs.tag);
  const source = await getManifest(ref, inputs.digest);
  if (source === undefined) {
    throw new Error(`${inputs.registry}/${inputs.repository}@${inputs.digest} does not exist; push the image first`);
  }
  if (current !== undefined && current.digest !== inputs.digest && !inputs.mutable) {
    throw new Error(
      `${where(inputs)} already points at ${current.digest}; published tags are never overwritten (release a new version instead)`,
    );
  }
  if (current?.digest !== inputs.digest) await putManifest(ref, inputs.tag, source);
  return { ...inputs, previousDigest: current?.digest ?? null, platforms: await imagePlatforms(ref, source) };
}

const IDENTITY_FIELDS = ["registry", "repository", "tag"] as const;

export const registryTagProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: RegistryTagInputs) {
    const outs = await pointTag(inputs);
    return { id: `${inputs.registry}/${inputs.repository}:${inputs.tag}`, outs };
  },

  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id: string, olds: RegistryTagOutputs, news: RegistryTagInputs) {
    const replaces = IDENTITY_FIELDS.filter((field) => olds[field] !== news[field]);
    const changes = [...replaces];
    if (olds.digest !== news.digest) {
      // An unknown digest (the image may be rebuilt) is judged when it is known: pointTag refuses then.
      if (!news.mutable && replaces.length === 0 && news.digest !== UNKNOWN) {
        throw new Error(
          `${where(news)} is published as ${olds.digest}; it cannot move to ${news.digest} (published tags are never overwritten)`,
        );
      }
      changes.push("digest" as never);
    }
    if (olds.mutable !== news.mutable) changes.push("mutable" as never);
    // A tag is never deleted (delete does nothing, the resource is retained), so the old one is let go at once
    // rather than in a step of its own at the end of the update.
    return { changes: changes.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async update(_id: string, _olds: RegistryTagOutputs, news: RegistryTagInputs) {
    return { outs: await pointTag(news) };
  },

  async read(id: string, props: RegistryTagOutputs) {
    const current = await getManifest(refOf(props), props.tag);
    if (current === undefined) return { id, props: { ...props, digest: "" } };
    return { id, props: { ...props, digest: current.digest, platforms: await imagePlatforms(refOf(props), current) } };
  },

  // Deleting the resource never deletes the tag: published tags outlive the stack's memory of them.
  async delete() {},
};

export class RegistryTag extends DynamicResource {
  declare public readonly digest: pulumi.Output<string>;
  declare public readonly previousDigest: pulumi.Output<string | null>;
  declare public readonly platforms: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: InputsOf<RegistryTagInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      registryTagProvider,
      name,
      { ...args, previousDigest: undefined, platforms: undefined },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["credentials"], retainOnDelete: true }),
      "slipway",
      "RegistryTag",
    );
  }
}
