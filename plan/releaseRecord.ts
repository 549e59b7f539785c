import { ReleasePlan } from "./releasePlan";

/** What one release published, as the stack remembers it (the `releases` output, keyed by version). */
export interface ReleaseRecord {
  readonly commit: string;
  /** Asset name → sha256. */
  readonly assets: Readonly<Record<string, string>>;
  /** Registry name → tag → digest. */
  readonly tags: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Where the release can be found: the GitHub release page or the local directory. */
  readonly location: string;
}

/** The minimum a stack's `releasePlan` output must hold to be declared again. */
function isAppliedPlan(value: unknown): value is ReleasePlan {
  if (value === null || typeof value !== "object") return false;
  const plan = value as Partial<Record<keyof ReleasePlan, unknown>>;
  const commit = plan.commit as { sha?: unknown } | null | undefined;
  return (
    typeof plan.name === "string" &&
    typeof plan.version === "string" &&
    typeof commit?.sha === "string" &&
    Array.isArray(plan.tags) &&
    Array.isArray(plan.builds) &&
    typeof plan.assets === "object" &&
    plan.assets !== null &&
    typeof plan.image === "object" &&
    plan.image !== null
  );
}

/**
 * The plan an update declares. A version already published from this commit (status `published`) declares
 * again the plan the stack last applied (its `releasePlan` output): every resource keeps its inputs, so the
 * update builds, publishes, replaces and deletes nothing, whichever version the stack last released.
 */
export function planToDeclare(plan: ReleasePlan, applied: unknown): ReleasePlan {
  return plan.status === "published" && isAppliedPlan(applied) ? applied : plan;
}

/**
 * The digests the stack already knows for the tags of `version` built from `commit`: the record of that
 * same release (same commit, so the same deterministic build), keyed `address/repository:tag` like
 * previewMarkdown's tagKey. Registries without a fixed address (ECR) are left out.
 */
export function knownDigests(
  releases: Readonly<Record<string, ReleaseRecord>>,
  version: string,
  commit: string,
  registries: readonly { readonly name: string; readonly address: string | undefined }[],
  repository: string,
): Record<string, string> {
  const record = releases[version];
  if (record?.commit !== commit) return {};
  const known: Record<string, string> = {};
  for (const registry of registries) {
    if (registry.address === undefined) continue;
    for (const [tag, digest] of Object.entries(record.tags[registry.name] ?? {}))
      known[`${registry.address}/${repository}:${tag}`] = digest;
  }
  return known;
}
