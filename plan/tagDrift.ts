// Tags a registry no longer serves as the stack recorded them (drift: someone re-pointed `latest` by hand),
// and the tag moves a release must refuse: an immutable tag only ever goes from (none) to a digest.
import { byteOrder } from "./assets";
import { details, mdTable, shortDigest } from "./markdown";

export interface TagRef {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
}

/** A tag as the stack's state records it. */
export interface RecordedTag extends TagRef {
  readonly mutable: boolean;
  readonly digest: string;
}

export interface TagDrift extends RecordedTag {
  /** What the registry serves for the tag now; null: the tag is gone. */
  readonly served: string | null;
}

/** A tag move as the preview lists it (structurally previewMarkdown's TagMove). */
export interface TagMoveLike extends TagRef {
  readonly mutable: boolean;
  readonly from: string | null | undefined;
  readonly to: string | undefined;
  /** `from` is the stack's record: the registry could not be read. Defaults to false. */
  readonly fromRecord?: boolean;
}

/** `registry/repository:tag`, the key under which callers pass what a registry says a tag is now. */
export function tagKey(t: TagRef): string {
  return `${t.registry}/${t.repository}:${t.tag}`;
}

function byKey(a: TagRef, b: TagRef): number {
  return byteOrder(tagKey(a), tagKey(b));
}

/** The tag a tag resource's old state (outputs) records, with its digest; undefined for none. */
export function recordedTag(olds: Readonly<Record<string, unknown>> | undefined): RecordedTag | undefined {
  const text = (key: string) => (typeof olds?.[key] === "string" ? olds[key] : "");
  const ref = { registry: text("registry"), repository: text("repository"), tag: text("tag") };
  const digest = text("digest");
  if (ref.registry === "" || ref.repository === "" || ref.tag === "" || digest === "") return undefined;
  return { ...ref, mutable: olds?.mutable === true, digest };
}

/** Recorded tags that the registry serves at another digest, or not at all; a tag it could not be asked about is not drift. */
export function findDrift(recorded: readonly RecordedTag[], served: Readonly<Record<string, string | null>>): TagDrift[] {
  const drift = new Map<string, TagDrift>();
  for (const tag of recorded) {
    const now = served[tagKey(tag)];
    if (now !== undefined && now !== tag.digest) drift.set(tagKey(tag), { ...tag, served: now });
  }
  return [...drift.values()].sort(byKey);
}

/**
 * What stops a release before its update: an immutable tag that the update would move although it already
 * points at a digest (drifted or not). One line each, naming the tag, the digests and the fix.
 */
export function tagMoveErrors(tags: readonly TagMoveLike[], drift: readonly TagDrift[]): string[] {
  const errors: string[] = [];
  for (const t of tags) {
    if (t.mutable || typeof t.from !== "string") continue;
    const drifted = drift.find((d) => tagKey(d) === tagKey(t));
    // A rebuild's digest is known only to the update: an existing tag is adopted if it is the same (a resumed release).
    if (drifted === undefined && t.to === undefined) continue;
    errors.push(
      drifted === undefined
        ? `${tagKey(t)} is immutable and already points at ${t.from}; it cannot move to ${t.to ?? "a new build"}; fix: release a new version`
        : `${tagKey(t)} is immutable and drifted: the stack recorded ${drifted.digest}, the registry serves ${drifted.served ?? "no such tag"}; fix: point it back at ${drifted.digest} (e.g. skopeo copy docker://${t.registry}/${t.repository}@${drifted.digest} docker://${tagKey(t)}), or release a new version`,
    );
  }
  return errors;
}

/**
 * What the update overwrites: for each drifted floating tag it moves, what the registry serves now and what
 * it will serve; and each existing immutable tag whose new digest only the build will tell.
 */
export function driftOverwrites(tags: readonly TagMoveLike[], drift: readonly TagDrift[]): string[] {
  return tags.flatMap((t) => {
    const drifted = drift.find((d) => tagKey(d) === tagKey(t));
    if (!t.mutable && drifted === undefined && typeof t.from === "string" && t.to === undefined)
      return [`${tagKey(t)} already points at ${t.from}: the update keeps it if the build gives that digest, and stops otherwise`];
    if (!t.mutable || drifted === undefined) return [];
    return [
      `${tagKey(t)} was re-pointed outside slipway: this update overwrites ${drifted.served ?? "(none)"} (recorded ${drifted.digest}) with ${t.to ?? "the new build"}`,
    ];
  });
}

/** One plain-text line per drifted tag. */
export function driftLines(drift: readonly TagDrift[]): string[] {
  return drift.map(
    (d) => `drift ${tagKey(d)} (${d.mutable ? "floating" : "immutable"}): recorded ${d.digest}, served ${d.served ?? "(none)"}`,
  );
}

/** The comment's "Drift" section; empty when there is none. */
export function renderDriftMarkdown(drift: readonly TagDrift[]): string {
  if (drift.length === 0) return "";
  const table = mdTable(
    ["tag", "kind", "recorded", "served"],
    drift.map((d) => [
      `\`${tagKey(d)}\``,
      d.mutable ? "floating" : "immutable",
      `\`${shortDigest(d.digest)}\``,
      `\`${shortDigest(d.served)}\``,
    ]),
  );
  const note =
    "> [!WARNING]\n> These tags were re-pointed outside slipway since the stack recorded them; `slipway verify` fails until they are put back.";
  return details(`Drift (${drift.length})`, `${note}\n\n${table}`, true);
}

/** Lines of the comment's head: the refusal (a caution block) and what the update overwrites; none when neither. */
export function tagWarningsMarkdown(refused: readonly string[], overwrites: readonly string[]): string[] {
  const caution = [
    "> [!CAUTION]",
    "> `slipway release` refuses this update: immutable tags only ever go from (none) to a digest.",
    ...refused.map((e) => `> - ${e}`),
  ];
  return [
    ...(refused.length > 0 ? ["", caution.join("\n")] : []),
    ...(overwrites.length > 0 ? ["", ...overwrites.map((o) => `- ${o}`)] : []),
  ];
}

/** `tag r/h:latest: sha256:… -> (new build)`, the plain-text line of a move. */
export function tagMoveLine(t: TagMoveLike): string {
  const from = t.from === undefined ? "(unknown)" : `${t.from ?? "(none)"}${t.fromRecord === true ? " (stack record)" : ""}`;
  return `tag ${tagKey(t)}: ${from} -> ${t.to ?? "(new build)"}`;
}
