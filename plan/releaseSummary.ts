// The summary `slipway release` ends with: each registry's tag → digest, each asset → sha256, where the
// release is, and what was left alone because it was already published. Pure: built from the engine's
// events and the stack outputs.
import { byteOrder } from "./assets";
import { table } from "./render";
import {
  CHANGE_OPS,
  ChangeOp,
  GITHUB_ASSET_TYPE,
  LOCAL_RELEASE_TYPE,
  REGISTRY_TAG_TYPE,
  RecordedEvent,
  StepMetadata,
  changeOf,
  nameOf,
} from "./previewMarkdown";

export type ReleaseOutcome = "succeeded" | "failed" | "cancelled" | "previewed" | "declined";

export interface ReleaseSummaryInput {
  readonly stack: string;
  readonly version: string;
  readonly commit: string;
  /** The plan's status: `published` when this version is already out from this commit. */
  readonly status: "new" | "published";
  readonly dryRun: boolean;
  readonly outcome: ReleaseOutcome;
  readonly events: readonly RecordedEvent[];
  /** The stack outputs after a successful update; undefined for a preview or a failed update. */
  readonly outputs:
    | {
        readonly assets: Readonly<Record<string, string>>;
        readonly tags: Readonly<Record<string, Readonly<Record<string, string>>>>;
        readonly location: string | undefined;
      }
    | undefined;
}

export interface ReleaseSummary extends Pick<ReleaseSummaryInput, "stack" | "version" | "commit" | "status" | "dryRun" | "outcome"> {
  readonly durationSeconds: number | undefined;
  /** create/update/replace/delete/same → count (the engine's). */
  readonly changes: Readonly<Record<ChangeOp | "same", number>>;
  /** registry → tag → digest (after an update), sorted. */
  readonly tags: readonly { readonly registry: string; readonly tag: string; readonly digest: string }[];
  readonly assets: readonly { readonly name: string; readonly sha256: string }[];
  readonly location: string | undefined;
  /** Published things the engine left as they were. */
  readonly skipped: readonly string[];
  /** Resources whose step failed, with the engine's error lines for them. */
  readonly failures: readonly { readonly resource: string; readonly message: string }[];
}

function byKey<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => byteOrder(key(a), key(b));
}

function skippedItem(step: StepMetadata): string | undefined {
  const inputs = step.old?.outputs ?? step.new?.inputs ?? {};
  if (step.type === REGISTRY_TAG_TYPE) {
    const { registry, repository, tag } = inputs as { registry?: unknown; repository?: unknown; tag?: unknown };
    return typeof tag === "string" ? `tag ${String(registry)}/${String(repository)}:${tag}` : `tag ${nameOf(step.urn)}`;
  }
  if (step.type === LOCAL_RELEASE_TYPE) {
    const directory = (inputs as { directory?: unknown }).directory;
    return `release ${typeof directory === "string" ? directory : nameOf(step.urn)}`;
  }
  if (step.type === GITHUB_ASSET_TYPE) {
    const name = (inputs as { name?: unknown }).name;
    return `asset ${typeof name === "string" ? name : nameOf(step.urn)}`;
  }
  return undefined;
}

export function summarizeRelease(input: ReleaseSummaryInput): ReleaseSummary {
  const changes: Record<ChangeOp | "same", number> = { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
  let durationSeconds: number | undefined;
  const lastStep = new Map<string, StepMetadata>();
  const failures = new Map<string, string[]>();
  for (const event of input.events) {
    const step = event.resourcePreEvent?.metadata;
    if (step !== undefined) lastStep.set(step.urn, step);
    if (event.summaryEvent !== undefined) {
      durationSeconds = event.summaryEvent.durationSeconds;
      for (const [op, n] of Object.entries(event.summaryEvent.resourceChanges ?? {})) {
        const change = op === "same" ? "same" : changeOf(op);
        if (change !== undefined) changes[change] += n;
      }
    }
    const failed = event.resOpFailedEvent?.metadata;
    if (failed !== undefined && !failures.has(failed.urn)) failures.set(failed.urn, []);
    const diagnostic = event.diagnosticEvent;
    if (diagnostic?.severity === "error" && diagnostic.urn !== undefined && diagnostic.urn !== "") {
      const lines = failures.get(diagnostic.urn) ?? [];
      lines.push(diagnostic.message.trim());
      failures.set(diagnostic.urn, lines);
    }
  }
  const skipped = [...lastStep.values()]
    .filter((s) => s.op === "same")
    .map(skippedItem)
    .filter((s): s is string => s !== undefined)
    .sort();
  const outputs = input.outputs;
  const tags = Object.entries(outputs?.tags ?? {})
    .flatMap(([registry, byTag]) => Object.entries(byTag).map(([tag, digest]) => ({ registry, tag, digest })))
    .sort(byKey((t) => `${t.registry}\u0000${t.tag}`));
  const assets = Object.entries(outputs?.assets ?? {})
    .map(([name, sha256]) => ({ name, sha256 }))
    .sort(byKey((a) => a.name));
  return {
    stack: input.stack,
    version: input.version,
    commit: input.commit,
    status: input.status,
    dryRun: input.dryRun,
    outcome: input.outcome,
    durationSeconds,
    changes,
    tags,
    assets,
    location: outputs?.location,
    skipped,
    failures: [...failures.entries()]
      .sort(([a], [b]) => byteOrder(a, b))
      .map(([urn, lines]) => ({ resource: nameOf(urn), message: lines.join(" ").replace(/\s+/g, " ").slice(0, 400) })),
  };
}

/** `3m 12s`, `45s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

const HEADLINE: Record<ReleaseOutcome, string> = {
  succeeded: "released",
  failed: "FAILED",
  cancelled: "CANCELLED",
  previewed: "dry run (nothing changed)",
  declined: "not released (declined at the prompt)",
};

/** The text table printed at the end of `slipway release`. */
export function renderReleaseSummary(summary: ReleaseSummary): string {
  const out: string[] = [];
  const took = summary.durationSeconds === undefined ? "" : ` in ${formatDuration(summary.durationSeconds)}`;
  out.push(
    `slipway release ${summary.version} on ${summary.stack} (commit ${summary.commit.slice(0, 12)}): ${HEADLINE[summary.outcome]}${took}`,
  );
  const changeText = CHANGE_OPS.map((op) => `${summary.changes[op]} ${summary.dryRun ? `to ${op}` : `${op}d`}`);
  out.push(`resources: ${changeText.join(", ")}, ${summary.changes.same} unchanged`);
  if (summary.status === "published") out.push(`${summary.version} is already published from this commit: there is nothing new to publish`);
  if (summary.tags.length > 0) {
    out.push(
      "",
      "tags",
      table(
        ["registry", "tag", "digest"],
        summary.tags.map((t) => [t.registry, t.tag, t.digest]),
      ),
    );
  }
  if (summary.assets.length > 0) {
    out.push(
      "",
      "assets",
      table(
        ["asset", "sha256"],
        summary.assets.map((a) => [a.name, a.sha256]),
      ),
    );
  }
  if (summary.location !== undefined) out.push("", `release: ${summary.location}`);
  if (summary.skipped.length > 0) {
    out.push("", `already published, left as it was (${summary.skipped.length})`, ...summary.skipped.map((s) => `  ${s}`));
  }
  if (summary.failures.length > 0) {
    out.push(
      "",
      "failed",
      table(
        ["resource", "error"],
        summary.failures.map((f) => [f.resource, f.message]),
      ),
    );
  }
  return `${out.join("\n")}\n`;
}
