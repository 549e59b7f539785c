// The PR comment body of `slipway preview --markdown`, computed from the engine's structured events
// (resourcePreEvent, resOutputsEvent, summaryEvent), never from its text output. Pure: the registry
// lookups (tagsToLookUp) are made by the caller and passed in.
import { byteOrder } from "./assets";
import { details, mdTable, shortDigest } from "./markdown";
import { TapFileChange, tapFileDiff } from "./tapFiles";
import {
  RecordedTag,
  TagDrift,
  TagRef,
  driftOverwrites,
  findDrift,
  recordedTag,
  renderDriftMarkdown,
  tagWarningsMarkdown,
  tagKey,
  tagMoveErrors,
} from "./tagDrift";

export { tagKey } from "./tagDrift";

/** The part of a Pulumi engine event slipway reads (structurally the Automation API's EngineEvent). */
export interface StepState {
  readonly type: string;
  readonly urn: string;
  readonly retainOnDelete?: boolean;
  readonly inputs?: Readonly<Record<string, unknown>> | null;
  readonly outputs?: Readonly<Record<string, unknown>> | null;
}

export interface StepMetadata {
  readonly op: string;
  readonly urn: string;
  readonly type: string;
  readonly old?: StepState | null;
  readonly new?: StepState | null;
  readonly diffs?: readonly string[] | null;
}

export interface RecordedEvent {
  readonly sequence?: number;
  readonly timestamp?: number;
  readonly preludeEvent?: { readonly config: Readonly<Record<string, string>> };
  readonly resourcePreEvent?: { readonly metadata: StepMetadata; readonly planning?: boolean };
  readonly resOutputsEvent?: { readonly metadata: StepMetadata; readonly planning?: boolean };
  readonly resOpFailedEvent?: { readonly metadata: StepMetadata };
  readonly summaryEvent?: {
    readonly resourceChanges?: Readonly<Record<string, number>> | null;
    readonly durationSeconds?: number;
    readonly maybeCorrupt?: boolean;
  };
  readonly diagnosticEvent?: { readonly urn?: string; readonly message: string; readonly severity: string };
  readonly cancelEvent?: object;
}

export const REGISTRY_TAG_TYPE = "pulumi-nodejs:dynamic/slipway:RegistryTag";
export const RANDOM_SECRET_TYPE = "pulumi-nodejs:dynamic/slipway:RandomSecret";
export const LOCAL_RELEASE_TYPE = "pulumi-nodejs:dynamic/slipway:LocalRelease";
export const GITHUB_ASSET_TYPE = "pulumi-nodejs:dynamic/slipway:GithubReleaseAsset";
export const STACK_TYPE = "pulumi:pulumi:Stack";
/** Provider resources, default or explicit: `pulumi:providers:<package>`. */
export const PROVIDER_TYPE_PREFIX = "pulumi:providers:";
/** A tap file committed through GitHub's API (release stack) or into a local git repository (local stack). */
export const TAP_FILE_TYPES = ["github:index/repositoryFile:RepositoryFile", "pulumi-nodejs:dynamic/slipway:LocalGitFile"];
/** What the engine shows for a value not known until the update runs (runtime/rpc.ts unknownValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** GitHub refuses issue comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65536;
/** Finds slipway's one PR comment among the others. */
export const PREVIEW_MARKER = "<!-- slipway-preview -->";

/** Operations that change something, in the order they are listed. */
export const CHANGE_OPS = ["create", "update", "replace", "delete"] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

/** The engine's step ops folded into the four a reviewer cares about; undefined for no change. */
export function changeOf(op: string): ChangeOp | undefined {
  switch (op) {
    case "create":
    case "import":
      return "create";
    case "update":
      return "update";
    case "replace":
    case "create-replacement":
    case "delete-replaced":
    case "discard-replaced":
    case "replace-replaced":
      return "replace";
    case "delete":
    case "discard":
    case "remove-pending-replace":
      return "delete";
    default:
      return undefined;
  }
}

/** The resource name: the last `::` part of its URN. */
export function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** The resource type as written in slipway (`slipway:RegistryTag`, `slipway:image:MultiArchImage`). */
export function shortType(type: string): string {
  return type.replace(/^pulumi-nodejs:dynamic\//, "");
}

export interface ResourceChange {
  readonly op: ChangeOp;
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Properties that differ, when the engine says. */
  readonly diffs: readonly string[];
  /** A delete that only forgets the resource: it is published and kept (retainOnDelete). */
  readonly retained: boolean;
}

export interface TagMove {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
  readonly mutable: boolean;
  /** The digest the registry serves for the tag now (null: absent); the stack's record when the registry could not be read. */
  readonly from: string | null | undefined;
  /** `from` is the stack's record: the registry could not be read. */
  readonly fromRecord: boolean;
  /** The digest it will point at; undefined when only the update knows it (a new build). */
  readonly to: string | undefined;
}

export interface AssetChange {
  readonly name: string;
  readonly change: "added" | "replaced";
}

export interface PreviewFacts {
  readonly stack: string | undefined;
  readonly version: string | undefined;
  /** Every resource that changes, sorted by URN. */
  readonly changes: readonly ResourceChange[];
  /** The engine's own counts per op (summaryEvent.resourceChanges), provider updates counted as unchanged. */
  readonly counts: Readonly<Record<string, number>>;
  readonly tags: readonly TagMove[];
  readonly assets: readonly AssetChange[];
  /** Names of secrets that are generated anew. */
  readonly rotating: readonly string[];
  readonly failed: boolean;
  /** The version is already published from this commit: the update declares the stack's last plan again. */
  readonly republished: boolean;
  /** Tags the stack records that a registry serves at another digest. */
  readonly drift: readonly TagDrift[];
  /** Why the update must not run: immutable tags that would move (see tagMoveErrors). */
  readonly refused: readonly string[];
  /** Drifted floating tags the update overwrites, one line each. */
  readonly overwrites: readonly string[];
  /** The release notes the release will carry (changelog section, else from the commits); unset when none. */
  readonly notes?: string;
  /** Homebrew and Scoop files the update commits, with what the stack last committed there. Defaults to none. */
  readonly tapFiles?: readonly TapFileChange[];
}

/** A tap file the preview creates or updates: its path, the content the stack recorded, and the new content when known. */
export interface TapFileStep {
  readonly path: string;
  readonly before: string | undefined;
  /** Undefined while it depends on the build (the archives' sha256s): the caller renders it. */
  readonly after: string | undefined;
}

/** The tap files the preview would commit (create, update or replace), by path. */
export function tapFileSteps(events: readonly RecordedEvent[]): TapFileStep[] {
  const steps = new Map<string, TapFileStep>();
  for (const event of events) {
    const step = event.resourcePreEvent?.metadata;
    if (step === undefined || !TAP_FILE_TYPES.includes(step.type)) continue;
    const op = changeOf(step.op);
    if (op === undefined || op === "delete") continue;
    const news = step.new?.inputs ?? {};
    const path = str(news.file) ?? str(news.path);
    if (path === undefined) continue;
    steps.set(path, { path, before: str(step.old?.inputs?.content), after: str(news.content) });
  }
  return [...steps.values()].sort((a, b) => byteOrder(a.path, b.path));
}

/** What the caller knows besides the events. */
export interface PreviewContext {
  /** The plan's status is `published` (the version is already out from this commit). Defaults to false. */
  readonly republished?: boolean;
  /** Digests already known for tags whose new digest only the update computes (see releaseRecord's knownDigests). Defaults to none. */
  readonly known?: Readonly<Record<string, string>>;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== UNKNOWN ? value : undefined;
}

function stackOf(urn: string): string | undefined {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

interface PlanLike {
  readonly assets?: { readonly checksums?: { readonly file?: string; readonly order?: readonly string[] } };
}

function plannedAssets(outputs: Readonly<Record<string, unknown>> | null | undefined): string[] {
  const plan = outputs?.releasePlan as PlanLike | undefined;
  const order = plan?.assets?.checksums?.order;
  const file = plan?.assets?.checksums?.file;
  if (!Array.isArray(order)) return [];
  return [...order.filter((n): n is string => typeof n === "string"), ...(typeof file === "string" ? [file] : [])];
}

/**
 * Folds a preview's events into what a reviewer needs. `current` maps {@link tagKey} to the digest a
 * registry serves now (null: no such tag) for the tags of {@link tagsToLookUp}; a tag missing from it
 * could not be read, and the stack's record of it (if any) stands in.
 */
export function foldPreviewEvents(
  events: readonly RecordedEvent[],
  current: Readonly<Record<string, string | null>> = {},
  context: PreviewContext = {},
): PreviewFacts {
  const steps = new Map<string, StepMetadata>();
  let counts: Record<string, number> = {};
  let version: string | undefined;
  let stackOutputs: Readonly<Record<string, unknown>> | null | undefined;
  let oldStackOutputs: Readonly<Record<string, unknown>> | null | undefined;
  let failed = false;
  for (const event of events) {
    if (event.preludeEvent !== undefined) version = event.preludeEvent.config["slipway:version"];
    const pre = event.resourcePreEvent?.metadata;
    if (pre !== undefined) {
      // A replacement shows as create-replacement, replace and delete-replaced: keep the one that says replace.
      const known = steps.get(pre.urn);
      if (known === undefined || changeOf(known.op) !== "replace" || pre.op === "replace") steps.set(pre.urn, pre);
    }
    const out = event.resOutputsEvent?.metadata;
    if (out?.type === STACK_TYPE) {
      stackOutputs = out.new?.outputs ?? stackOutputs;
      oldStackOutputs = out.old?.outputs ?? oldStackOutputs;
    }
    if (pre?.type === STACK_TYPE) oldStackOutputs = pre.old?.outputs ?? oldStackOutputs;
    if (event.summaryEvent !== undefined) counts = { ...(event.summaryEvent.resourceChanges ?? {}) };
    if (event.resOpFailedEvent !== undefined) failed = true;
  }

  const all = [...steps.values()].sort((a, b) => byteOrder(a.urn, b.urn));
  const changes: ResourceChange[] = [];
  const tags: TagMove[] = [];
  const rotating: string[] = [];
  const recorded: RecordedTag[] = [];
  const assets = new Map<string, AssetChange["change"]>();
  let providerUpdates = 0;
  for (const step of all) {
    // A default provider's inputs follow the stack's config (slipway:version among them): its update
    // configures nothing that is built or published, so it is not a change a reviewer has to weigh.
    if (step.type.startsWith(PROVIDER_TYPE_PREFIX) && changeOf(step.op) === "update") {
      providerUpdates += 1;
      continue;
    }
    const record = step.type === REGISTRY_TAG_TYPE ? recordedTag(step.old?.outputs ?? step.old?.inputs ?? undefined) : undefined;
    if (record !== undefined) recorded.push(record);
    const op = changeOf(step.op);
    if (op === undefined) continue;
    const retained = op === "delete" && step.old?.retainOnDelete === true;
    changes.push({
      op,
      type: shortType(step.type),
      name: nameOf(step.urn),
      urn: step.urn,
      diffs: [...(step.diffs ?? [])].sort(),
      retained,
    });
    const news = step.new?.inputs ?? {};
    const olds = step.old?.outputs ?? step.old?.inputs ?? undefined;
    if (step.type === REGISTRY_TAG_TYPE && op !== "delete") {
      const move = { registry: str(news.registry) ?? "", repository: str(news.repository) ?? "", tag: str(news.tag) ?? nameOf(step.urn) };
      // The stack's record counts only for the same tag: a resource named by role (`immutable-0`) that is
      // replaced now names another tag, whose digest only the registry knows.
      const served = current[tagKey(move)];
      const fromRecord = served === undefined && recordsTag(olds, move.tag);
      const from = fromRecord ? (str(olds.digest) ?? null) : served;
      const to = str(news.digest) ?? context.known?.[tagKey(move)];
      if (from !== undefined && from === to) continue;
      tags.push({ ...move, mutable: news.mutable === true, from, fromRecord, to });
    }
    if (step.type === RANDOM_SECRET_TYPE && op === "replace") rotating.push(nameOf(step.urn));
    if (step.type === GITHUB_ASSET_TYPE && (op === "create" || op === "replace")) {
      const name = str(news.name) ?? nameOf(step.urn);
      assets.set(name, op === "create" ? "added" : "replaced");
    }
    if (step.type === LOCAL_RELEASE_TYPE && (op === "create" || op === "replace")) {
      // A local release is one directory per version: only the same version's files can be replaced.
      const sameVersion = olds !== undefined && olds.version === news.version;
      const before = new Set(sameVersion ? Object.keys((oldStackOutputs?.assets as Record<string, unknown> | undefined) ?? {}) : []);
      for (const name of plannedAssets(stackOutputs)) assets.set(name, before.has(name) ? "replaced" : "added");
    }
  }
  tags.sort((a, b) => byteOrder(tagKey(a), tagKey(b)));
  const stack = all[0] === undefined ? undefined : stackOf(all[0].urn);
  const drift = findDrift(recorded, current);
  return {
    stack,
    version,
    changes,
    counts: withoutProviderUpdates(counts, providerUpdates),
    tags,
    assets: [...assets.entries()].sort(([a], [b]) => byteOrder(a, b)).map(([name, change]) => ({ name, change })),
    rotating: rotating.sort(),
    failed,
    republished: context.republished === true,
    drift,
    refused: tagMoveErrors(tags, drift),
    overwrites: driftOverwrites(tags, drift),
  };
}

/** The engine's counts with provider updates moved to unchanged (see foldPreviewEvents). */
function withoutProviderUpdates(counts: Readonly<Record<string, number>>, providerUpdates: number): Record<string, number> {
  if (providerUpdates === 0 || counts.update === undefined) return { ...counts };
  const update = Math.max(0, counts.update - providerUpdates);
  return { ...counts, update, same: (counts.same ?? 0) + (counts.update - update) };
}

/** Whether a tag resource's old state is the record of `tag` (state without a tag name is taken as the same tag). */
function recordsTag(olds: Record<string, unknown> | undefined, tag: string): olds is Record<string, unknown> {
  return olds !== undefined && (str(olds.tag) ?? tag) === tag;
}

/**
 * Every tag whose digest must be asked of its registry: each tag the preview declares, and each tag the
 * stack records (to find drift), whether it changes or not.
 */
export function tagsToLookUp(events: readonly RecordedEvent[]): TagRef[] {
  const seen = new Map<string, TagRef>();
  const add = ({ registry, repository, tag }: TagRef) => {
    if (registry !== "" && repository !== "" && tag !== "") seen.set(tagKey({ registry, repository, tag }), { registry, repository, tag });
  };
  for (const event of events) {
    const step = event.resourcePreEvent?.metadata;
    if (step?.type !== REGISTRY_TAG_TYPE) continue;
    const record = recordedTag(step.old?.outputs ?? step.old?.inputs ?? undefined);
    if (record !== undefined) add(record);
    if (changeOf(step.op) === "delete") continue;
    const inputs = step.new?.inputs ?? {};
    add({ registry: str(inputs.registry) ?? "", repository: str(inputs.repository) ?? "", tag: str(inputs.tag) ?? "" });
  }
  return [...seen.values()].sort((a, b) => byteOrder(tagKey(a), tagKey(b)));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `2 to create · 1 to update · 0 to replace · 0 to delete · 30 unchanged`, from the engine's counts. */
export function countLine(counts: Readonly<Record<string, number>>, changes: readonly ResourceChange[]): string {
  const folded: Record<ChangeOp, number> = { create: 0, update: 0, replace: 0, delete: 0 };
  const engine = Object.keys(counts).length > 0;
  if (engine) {
    for (const [op, n] of Object.entries(counts)) {
      const change = changeOf(op);
      if (change !== undefined) folded[change] += n;
    }
  } else {
    for (const c of changes) folded[c.op] += 1;
  }
  const same = counts.same ?? 0;
  return [...CHANGE_OPS.map((op) => `${folded[op]} to ${op}`), `${same} unchanged`].join(" · ");
}

function section(title: string, count: number, body: string): string {
  return count === 0 ? "" : details(`${title} (${count})`, body, true);
}

/** Renders the comment; `maxLength` (GitHub's limit by default) trims the resource list with a note. */
export function renderPreviewMarkdown(facts: PreviewFacts, maxLength = GITHUB_COMMENT_LIMIT): string {
  const title = `### slipway preview${facts.stack === undefined ? "" : ` of \`${facts.stack}\``}${facts.version === undefined ? "" : ` for ${facts.version}`}`;
  const head = [PREVIEW_MARKER, title, "", `**${countLine(facts.counts, facts.changes)}**`];
  if (facts.failed) head.push("", "> [!WARNING]\n> The preview failed; the lists below are what the engine reached.");
  if (facts.republished)
    head.push("", `${facts.version ?? "This version"} is already published from this commit: nothing is built or published.`);
  if (facts.changes.length === 0 && !facts.failed) head.push("", "No changes: the stack already matches this release.");
  head.push(...tagWarningsMarkdown(facts.refused, facts.overwrites));

  const tagSection = section(
    "Tags that move",
    facts.tags.length,
    mdTable(
      ["tag", "kind", "from", "to"],
      facts.tags.map((t) => [
        `\`${t.registry}/${t.repository}:${t.tag}\``,
        t.mutable ? "floating" : "immutable",
        `\`${shortDigest(t.from, "(unknown)")}\`${t.fromRecord ? " (stack record; registry unreadable)" : ""}`,
        `\`${shortDigest(t.to)}\``,
      ]),
    ),
  );
  const added = facts.assets.filter((a) => a.change === "added").length;
  const assetSection = section(
    `Release assets: ${added} added, ${facts.assets.length - added} replaced`,
    facts.assets.length,
    mdTable(
      ["asset", "change"],
      facts.assets.map((a) => [`\`${a.name}\``, a.change]),
    ),
  ).replace(/ \(\d+\)<\/summary>/, "</summary>");
  const secretSection = section(
    "Secrets that rotate",
    facts.rotating.length,
    facts.rotating.map((name) => `- \`${name}\` (a new value is generated; values are never shown)`).join("\n"),
  );

  const notesSection = facts.notes === undefined ? "" : details("Release notes", facts.notes.trim(), true);
  const tapSections = (facts.tapFiles ?? []).map((change) => {
    const diff = tapFileDiff(change);
    const what = change.channel === "homebrew" ? "Homebrew" : "Scoop";
    return diff === "" ? "" : details(`${what}: \`${change.path}\` in ${change.repository}`, `\`\`\`diff\n${diff}\n\`\`\``, true);
  });
  const sections = [renderDriftMarkdown(facts.drift), tagSection, assetSection, notesSection, ...tapSections, secretSection];
  const fixed = [...head, ...sections.filter((s) => s !== "").flatMap((s) => ["", s])].join("\n");
  const rows = facts.changes.map((c) => [
    c.op,
    `\`${c.type}\``,
    `\`${c.name}\``,
    c.retained ? "removed from the stack only; stays published (retainOnDelete)" : c.diffs.join(", "),
  ]);
  const resources = (shown: number) => {
    const rest = rows.length - shown;
    const note =
      rest > 0
        ? `\n\n_${plural(rest, "more change")} not shown: the comment is trimmed to GitHub's ${maxLength}-character limit; run \`slipway preview\` locally for all._`
        : "";
    return details(`Resources (${plural(rows.length, "change")})`, mdTable(["op", "type", "name", "changed"], rows.slice(0, shown)) + note);
  };
  const body = (shown: number) => (rows.length === 0 ? `${fixed}\n` : `${fixed}\n\n${resources(shown)}\n`);
  let shown = rows.length;
  while (shown > 0 && body(shown).length > maxLength)
    shown = Math.max(0, Math.min(shown - 1, Math.floor(shown * (maxLength / body(shown).length))));
  const text = body(shown);
  if (text.length <= maxLength) return text;
  const note = `\n\n_Trimmed to GitHub's ${maxLength}-character limit; run \`slipway preview\` locally for the whole preview._\n`;
  return text.slice(0, Math.max(0, maxLength - note.length)) + note;
}
