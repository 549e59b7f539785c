import { SlipwayInputError } from "./errors";
import { registryHost } from "./registry";

/** Where a configured base image comes from and where it is mirrored: the first registry of the stack's own that is not ECR. */
export interface BaseImagePlan {
  readonly source: string;
  /** `host[:port]` of the stack's own registries with a known address. */
  readonly ownRegistries: readonly string[];
  readonly mirrorRepositoryUrl: string;
  /** Index of the mirror registry among the stack's registries (-1: none, the source is already in an own registry). */
  readonly mirrorIndex: number;
}

/** Plans the base image's mirror before anything is declared; an image that cannot be mirrored is refused. */
export function planBaseImage(
  source: string | undefined,
  registries: readonly { readonly kind: string; readonly address: string | undefined }[],
): BaseImagePlan | undefined {
  if (source === undefined) return undefined;
  const ownRegistries = registries.flatMap((r) => (r.address === undefined ? [] : [registryHost(r.address)]));
  const mirrorIndex = registries.findIndex((r) => r.kind !== "ecr");
  const sourceHost = source.split("/")[0] ?? "";
  if (mirrorIndex < 0 && !ownRegistries.includes(sourceHost)) {
    throw new SlipwayInputError(
      "baseImage",
      source,
      "is not in a registry of the stack's own, and ECR repositories are not mirror targets",
      "copy it into ECR with a pull-through cache rule and set slipway:baseImage to the ECR copy",
    );
  }
  const sourceRepository = source.replace(/^[^/]+\//, "").replace(/@.*$/, "");
  return {
    source,
    ownRegistries,
    mirrorRepositoryUrl: `${registries[mirrorIndex]?.address ?? ""}/mirror/${sourceRepository}`,
    mirrorIndex,
  };
}
