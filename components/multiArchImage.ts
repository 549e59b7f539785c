import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { parsePinnedImage } from "../plan/baseImage";
import { SlipwayInputError } from "../plan/errors";
import { BUILD_CACHE_TAG } from "../plan/registry";
import { ReleasePlan } from "../plan/releasePlan";
import { RegistryCredentials, splitRepositoryUrl } from "../providers/registryClient";
import { ImageIndex } from "../providers/imageIndex";
import { RegistryTag } from "../providers/registryTag";

export interface RegistryCredentialsInput {
  readonly address: string;
  readonly username: string;
  readonly password: string;
}

export interface ImageRegistryTarget {
  /** Stable short name used in resource names, e.g. `local`, `ecr`, `ghcr.io`. Required. */
  readonly name: string;
  /** Repository URL `host[:port]/path`, e.g. `127.0.0.1:5000/hello`. Required. */
  readonly repositoryUrl: pulumi.Input<string>;
  /** Login for pushes; the password is a secret. Defaults to none (an open registry). */
  readonly credentials?: pulumi.Input<RegistryCredentialsInput | undefined>;
}

export interface MultiArchImageArgs {
  /** The release plan: tags, floating decisions, platforms, labels and build args. Required. */
  readonly plan: ReleasePlan;
  /** Build context holding `bin/<os>_<arch>/<executable>` (the release binaries). Required. */
  readonly context: pulumi.Input<string>;
  /** Dockerfile that copies the prebuilt binary from `bin/${TARGETOS}_${TARGETARCH}${TARGETVARIANT}/`. Defaults to {@link scratchRecipe} for the plan's image binary. */
  readonly dockerfile?: string;
  /** Registries to push to, each getting every planned tag. Required, at least one. */
  readonly registries: readonly ImageRegistryTarget[];
  /** Base image from a registry of the stack's own, pinned by digest (see BaseImage). Defaults to `scratch`. */
  readonly baseImage?: pulumi.Input<string>;
  /** buildx builder to use (a remote BuildKit). Defaults to the current buildx builder. */
  readonly builder?: string;
  /**
   * Repository `host[:port]/path` the BuildKit cache is read from and written to (tag `buildkit`; never
   * written during a preview), never one of `registries`. Defaults to none (no build cache).
   */
  readonly cacheRepositoryUrl?: pulumi.Input<string | undefined>;
  /** Declares what must exist before the floating tags move (the index signatures), given the pushed index. Defaults to nothing. */
  readonly beforeFloatingTags?: (index: PushedIndex) => pulumi.Resource[];
}

/** A repository an index was pushed to, and the login that reads and writes it. */
export interface PushedRepository {
  /** Repository URL `host[:port]/path`. */
  readonly url: pulumi.Input<string>;
  /** Login for its registry (secret). Defaults to none (an open registry). */
  readonly credentials?: pulumi.Input<RegistryCredentials | undefined>;
}

/** The pushed index, once its immutable tags exist. */
export interface PushedIndex {
  readonly digest: pulumi.Output<string>;
  /** Platform (`linux/amd64`) → manifest digest. */
  readonly platformDigests: pulumi.Output<Record<string, string>>;
  /** The repositories, in the order of the registries. */
  readonly repositories: readonly PushedRepository[];
}

/**
 * slipway's own image recipe: the release binary on the base image (scratch unless `slipway:baseImage`),
 * run as nobody. Nothing is compiled in the image: the binary is the release asset, byte for byte.
 */
export function scratchRecipe(executable: string): string {
  return [
    "ARG BASE_IMAGE=scratch",
    "FROM ${BASE_IMAGE}",
    "ARG TARGETOS",
    "ARG TARGETARCH",
    "ARG TARGETVARIANT",
    `COPY bin/\${TARGETOS}_\${TARGETARCH}\${TARGETVARIANT}/${executable} /${executable}`,
    "USER 65534:65534",
    `ENTRYPOINT ["/${executable}"]`,
    "",
  ].join("\n");
}

/**
 * A multi-platform image built from the release binaries: one build per platform, pushed by digest to
 * every registry and joined there by an index (byte for byte the index BuildKit would write); then the
 * immutable tags (exact version, commit) in every registry; then, only after all of those exist, the
 * floating tags the plan moves. Tags are copies of the index manifest, so every tag has the same digest.
 */
export class MultiArchImage extends pulumi.ComponentResource {
  /** Digest of the image index, the same in every registry. */
  public readonly digest: pulumi.Output<string>;
  /** Platform → the digest of its image, as pushed by its build. */
  public readonly platformDigests: pulumi.Output<Record<string, string>>;
  /** Registry name → tag → digest, for every tag this release publishes. */
  public readonly tags: pulumi.Output<Record<string, Record<string, string>>>;

  constructor(name: string, args: MultiArchImageArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = args.plan;
    if (args.registries.length === 0) {
      throw new SlipwayInputError(
        "registries",
        [],
        "an image needs at least one registry",
        "add a registry, or set slipway:imagePlatforms to [] for no image",
      );
    }
    if (typeof args.baseImage === "string") parsePinnedImage(args.baseImage);
    const names = new Set(args.registries.map((r) => r.name));
    if (names.size !== args.registries.length) {
      throw new SlipwayInputError(
        "registries",
        args.registries.map((r) => r.name),
        "registry names must be distinct",
        "name each registry differently",
      );
    }
    let dockerfile = scratchRecipe(plan.image.executable);
    if (args.dockerfile !== undefined) {
      try {
        dockerfile = readFileSync(args.dockerfile, "utf8");
      } catch {
        throw new SlipwayInputError("dockerfile", args.dockerfile, "cannot be read", "point slipway:dockerfile at a readable Dockerfile");
      }
    }
    super("slipway:image:MultiArchImage", name, {}, opts);

    const repositories = args.registries.map((r) => pulumi.output(r.repositoryUrl));
    const logins = args.registries.map((target) =>
      target.credentials === undefined
        ? undefined
        : pulumi
            .output(target.credentials)
            .apply((c): RegistryCredentials | undefined => (c === undefined ? undefined : { username: c.username, password: c.password })),
    );
    const cacheUrl = pulumi.output(args.cacheRepositoryUrl);
    const buildArgs = pulumi.output(args.baseImage ?? "scratch").apply((base) => ({ ...plan.image.buildArgs, BASE_IMAGE: base }));
    const pushLogins = pulumi
      .all(args.registries.map((r) => pulumi.output(r.credentials)))
      .apply((list) => list.filter((c): c is RegistryCredentialsInput => c !== undefined));
    // One cached build per platform, joined by an index of slipway's own: BuildKit's registry cache is not
    // reliable for a multi-platform build, and a platform whose inputs did not change is not built again.
    const builds = plan.image.platforms.map((platform) => {
      const slug = platform.replace(/\//g, "-");
      const cacheRef = cacheUrl.apply((url) => (url === undefined ? undefined : `${url}:${BUILD_CACHE_TAG}-${slug}`));
      const build = new dockerBuild.Image(
        `${name}-build-${slug}`,
        {
          push: false,
          platforms: [platform as dockerBuild.Platform],
          context: { location: args.context },
          // Inline, so a checkout's file mode (umask 002 vs 022) cannot change the context hash and force a rebuild.
          dockerfile: { inline: dockerfile },
          buildArgs,
          labels: { ...plan.labels },
          exports: [{ registry: { names: repositories, pushByDigest: true, ociMediaTypes: true, push: true } }],
          registries: pushLogins,
          cacheFrom: cacheRef.apply((ref) => (ref === undefined ? [] : [{ registry: { ref } }])),
          cacheTo: cacheRef.apply((ref) =>
            ref === undefined
              ? []
              : [{ registry: { ref, mode: dockerBuild.CacheMode.Max, imageManifest: true, ociMediaTypes: true, ignoreError: true } }],
          ),
          builder: args.builder === undefined ? undefined : { name: args.builder },
          // Previews never build, so they never write the registry cache (and need no push credentials).
          buildOnPreview: false,
        },
        { parent: this, retainOnDelete: true },
      );
      return build.digest.apply((digest) => ({ platform, digest }));
    });
    const manifests = pulumi.all(builds);
    const indexes = args.registries.map((target, index) => {
      const where = (repositories[index] as pulumi.Output<string>).apply(splitRepositoryUrl);
      return new ImageIndex(
        `${name}-${target.name}-index`,
        { registry: where.registry, repository: where.repository, credentials: logins[index], manifests, slipwayPublished: true },
        { parent: this },
      );
    });
    // The same platform images make the same index bytes, so every registry's index has this digest.
    this.digest = (indexes[0] as ImageIndex).digest;

    const immutableTags: RegistryTag[] = [];
    const floatingTags: { registry: string; tag: string; resource: RegistryTag }[] = [];
    // Immutable tags are named by their place in the plan's template order (`immutable-0` is the first
    // immutable template's tag, e.g. the exact version with the default templates), not by the tag: a new version replaces the resource under the same URN, so the floating tags that depend on it
    // never point at a resource that a later, partly failed update (--continue-on-error) has deleted.
    const tagResource = (
      index: number,
      repository: pulumi.Output<string>,
      role: string,
      tag: string,
      mutable: boolean,
      dependsOn: pulumi.Resource[],
    ) => {
      const where = repository.apply(splitRepositoryUrl);
      return new RegistryTag(
        `${name}-${args.registries[index]?.name ?? index}-${role}`,
        {
          registry: where.registry,
          repository: where.repository,
          tag,
          digest: (indexes[index] as ImageIndex).digest,
          mutable,
          version: plan.version,
          prerelease: plan.prerelease,
          credentials: logins[index],
          slipwayPublished: true,
        },
        { parent: this, dependsOn },
      );
    };

    const immutableByRegistry: Record<string, Record<string, RegistryTag>> = {};
    args.registries.forEach((target, index) => {
      const repository = repositories[index] as pulumi.Output<string>;
      immutableByRegistry[target.name] = {};
      for (const [position, tag] of plan.immutableTags.entries()) {
        const resource = tagResource(index, repository, `immutable-${position}`, tag, false, [indexes[index] as ImageIndex]);
        immutableTags.push(resource);
        (immutableByRegistry[target.name] as Record<string, RegistryTag>)[tag] = resource;
      }
    });
    // Straight from the builds, so what waits on a platform's image (its SBOM attestation) need not wait for the index or tags.
    this.platformDigests = manifests.apply((list) => Object.fromEntries(list.map(({ platform, digest }) => [platform, digest])));
    const pushed = repositories.map((url, index): PushedRepository => ({ url, credentials: logins[index] }));
    const gates = args.beforeFloatingTags?.({ digest: this.digest, platformDigests: this.platformDigests, repositories: pushed }) ?? [];
    const moving = plan.tags.filter((tag) => !plan.immutableTags.includes(tag));
    args.registries.forEach((target, index) => {
      const repository = repositories[index] as pulumi.Output<string>;
      for (const tag of moving) {
        floatingTags.push({
          registry: target.name,
          tag,
          resource: tagResource(index, repository, tag, tag, true, [...immutableTags, ...gates]),
        });
      }
    });
    const entries: pulumi.Output<[string, string, string]>[] = [
      ...Object.entries(immutableByRegistry).flatMap(([registry, tags]) =>
        Object.entries(tags).map(([tag, resource]) => resource.digest.apply((d): [string, string, string] => [registry, tag, d])),
      ),
      ...floatingTags.map(({ registry, tag, resource }) => resource.digest.apply((d): [string, string, string] => [registry, tag, d])),
    ];
    this.tags = pulumi.all(entries).apply((rows) => {
      const result: Record<string, Record<string, string>> = {};
      for (const [registry, tag, digest] of rows) (result[registry] ??= {})[tag] = digest;
      return result;
    });
    this.registerOutputs({ digest: this.digest, platformDigests: this.platformDigests, tags: this.tags });
  }
}
