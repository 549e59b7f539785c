// Every rule about slipway:baseImage, checked before anything is declared: the stack settings
// (parseStackConfig), the Release component and the image components all ask here.
import { SlipwayInputError } from "./errors";
import { registryHost } from "./registry";

/** A base image reference split into its parts. */
export interface PinnedImage {
  /** `host[:port]`. */
  readonly registry: string;
  readonly repository: string;
  /** `sha256:<64 hex>`. */
  readonly digest: string;
}

/** Where a configured base image comes from and where it is mirrored: the first registry of the stack's own that is not ECR. */
export interface BaseImagePlan {
  readonly source: string;
  /** `host[:port]` of the stack's own registries with a known address, and the source's ECR host when it is the stack's. */
  readonly ownRegistries: readonly string[];
  readonly mirrorRepositoryUrl: string;
  /** Index of the mirror registry among the stack's registries (-1: none, the source is already in an own registry). */
  readonly mirrorIndex: number;
}

/** What planBaseImage needs to know of a registry. */
export interface BaseImageRegistry {
  readonly kind: string;
  readonly address: string | undefined;
  /** AWS region, ECR only. */
  readonly region?: string | undefined;
}

const PINNED = /^([^/@\s]+)\/([^@\s]+)@(sha256:[0-9a-f]{64})$/;
/** Docker's rule: the first path component names a registry when it has a dot or a port, or is localhost. */
const REGISTRY_HOST = /[.:]|^localhost$/;
const ECR_HOST = /^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;
const PINNED_EXAMPLE = "use <registry>/<name>@sha256:<digest>, e.g. 127.0.0.1:5000/library/alpine@sha256:<digest>";

/** A base image must name its registry and be pinned by digest. */
export function parsePinnedImage(source: string): PinnedImage {
  const match = PINNED.exec(source);
  if (match === null || !REGISTRY_HOST.test(match[1] ?? "")) {
    throw new SlipwayInputError("baseImage", source, "base images are pinned by digest, with the registry named", PINNED_EXAMPLE);
  }
  const [, registry = "", repository = "", digest = ""] = match;
  return { registry, repository, digest };
}

/** Whether the stack builds an image at all: some image platform and some registry to push to. */
export function buildsAnImage(imagePlatforms: readonly string[], registries: readonly unknown[]): boolean {
  return imagePlatforms.length > 0 && registries.length > 0;
}

/**
 * Plans the base image before anything is declared: pinned, for an image that is built, and either in a
 * registry of the stack's own (an ECR registry of the stack's region counts) or mirrored into the first
 * registry that is not ECR. Anything else is refused with the fix.
 */
export function planBaseImage(
  source: string | undefined,
  registries: readonly BaseImageRegistry[],
  imagePlatforms: readonly string[],
): BaseImagePlan | undefined {
  if (source === undefined) return undefined;
  const { registry, repository } = parsePinnedImage(source);
  if (!buildsAnImage(imagePlatforms, registries)) {
    const why = registries.length === 0 ? "the stack has no registries" : "slipway:imagePlatforms is []";
    throw new SlipwayInputError(
      "baseImage",
      source,
      `${why}, so no image is built on it`,
      registries.length === 0 ? "remove slipway:baseImage, or add a registry to slipway:registries" : "remove slipway:baseImage",
    );
  }
  const ecrRegions = registries.flatMap((r) => (r.kind === "ecr" && r.region !== undefined ? [r.region] : []));
  const ecrRegion = ECR_HOST.exec(registry)?.[1];
  const ownRegistries = [
    ...registries.flatMap((r) => (r.address === undefined ? [] : [registryHost(r.address)])),
    ...(ecrRegion !== undefined && ecrRegions.includes(ecrRegion) ? [registry] : []),
  ];
  if (ownRegistries.includes(registry)) return { source, ownRegistries, mirrorRepositoryUrl: "", mirrorIndex: -1 };

  const mirrorIndex = registries.findIndex((r) => r.kind !== "ecr");
  const mirror = registries[mirrorIndex];
  if (mirror === undefined) {
    const region = ecrRegions[0] ?? "<region>";
    const copy = `<account>.dkr.ecr.${region}.amazonaws.com/${repository}@<digest>`;
    const why =
      ecrRegion === undefined
        ? "is not in a registry of the stack's own, and ECR repositories are not mirror targets"
        : `is in ECR of ${ecrRegion}, not of the stack's ECR region ${ecrRegions.join(", ")}, and ECR repositories are not mirror targets`;
    throw new SlipwayInputError(
      "baseImage",
      source,
      why,
      `copy it into ECR in ${region} (e.g. a pull-through cache rule) and set slipway:baseImage to the copy, ${copy}`,
    );
  }
  return { source, ownRegistries, mirrorRepositoryUrl: `${mirror.address ?? ""}/mirror/${repository}`, mirrorIndex };
}
