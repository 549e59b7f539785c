import { SlipwayInputError } from "./errors";
import { ReleaseVersion, compareVersions, sameRelease } from "./version";

/** docker/metadata-action's placeholders, so users can bring their patterns. */
export const PLACEHOLDERS = ["version", "major", "minor", "patch", "raw", "sha"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export const DEFAULT_TAG_TEMPLATES: readonly string[] = ["v{{version}}", "v{{major}}.{{minor}}", "v{{major}}", "latest", "sha-{{sha}}"];

/**
 * What a template's tag means over time. `exact` and `commit` tags name one release and never move;
 * `minor`, `major` and `global` tags float to the highest stable version of their line.
 */
export type TagKind = "exact" | "commit" | "minor" | "major" | "global";
export const FLOATING_KINDS: readonly TagKind[] = ["minor", "major", "global"];

/** The OCI distribution spec's tag grammar. */
export const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const NOT_IN_TAG = /[^A-Za-z0-9_.-]+/g;
const PLACEHOLDER_TOKEN = /\{\{\s*([A-Za-z_]+)\s*\}\}/g;
const SEMVER_PLACEHOLDERS: ReadonlySet<Placeholder> = new Set(["version", "major", "minor", "patch"]);

interface TemplateToken {
  readonly name: Placeholder;
  readonly start: number;
  readonly end: number;
}

export interface ParsedTemplate {
  readonly template: string;
  readonly kind: TagKind;
  readonly tokens: readonly TemplateToken[];
}

export function parseTagTemplate(template: string, key: string): ParsedTemplate {
  const fix = `use text and the placeholders ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}, e.g. v{{major}}.{{minor}}`;
  if (typeof template !== "string" || template.trim() === "") {
    throw new SlipwayInputError(key, template, "a tag template must not be empty", fix);
  }
  const tokens: TemplateToken[] = [];
  for (const match of template.matchAll(PLACEHOLDER_TOKEN)) {
    const name = match[1] as Placeholder;
    if (!PLACEHOLDERS.includes(name)) {
      throw new SlipwayInputError(key, template, `unknown placeholder {{${match[1]}}}`, fix);
    }
    tokens.push({ name, start: match.index, end: match.index + match[0].length });
  }
  if (template.replace(PLACEHOLDER_TOKEN, "").match(/[{}]/)) {
    throw new SlipwayInputError(key, template, "unbalanced braces", fix);
  }
  return { template, kind: classify(new Set(tokens.map((t) => t.name))), tokens };
}

function classify(names: ReadonlySet<Placeholder>): TagKind {
  if (names.has("raw") || names.has("version") || names.has("patch")) return "exact";
  if (names.has("sha")) return "commit";
  if (names.has("minor")) return "minor";
  if (names.has("major")) return "major";
  return "global";
}

function valueOf(name: Placeholder, version: ReleaseVersion, shortSha: string): string {
  switch (name) {
    case "version":
      return version.version;
    case "major":
      return String(version.major);
    case "minor":
      return String(version.minor);
    case "patch":
      return String(version.patch);
    case "raw":
      return version.raw;
    case "sha":
      return shortSha;
  }
}

function substitute(template: string, tokens: readonly TemplateToken[], version: ReleaseVersion, shortSha: string): string {
  let out = "";
  let at = 0;
  for (const token of tokens) {
    out += template.slice(at, token.start) + valueOf(token.name, version, shortSha);
    at = token.end;
  }
  return out + template.slice(at);
}

/**
 * metadata-action's prerelease rule: a semver template renders as `{{version}}`, so `v{{major}}.{{minor}}`
 * of 1.5.0-rc.1 is `v1.5.0-rc.1`, never `v1.5`. The text before the first and after the last semver
 * placeholder stays, as metadata-action's `prefix`/`suffix` attributes do.
 */
function asExactVersionTemplate(parsed: ParsedTemplate): ParsedTemplate {
  if (parsed.tokens.some((t) => t.name === "raw")) return parsed;
  const semverTokens = parsed.tokens.filter((t) => SEMVER_PLACEHOLDERS.has(t.name));
  const first = semverTokens[0];
  const last = semverTokens[semverTokens.length - 1];
  if (first === undefined || last === undefined) return parsed;
  const template = parsed.template.slice(0, first.start) + "{{version}}" + parsed.template.slice(last.end);
  const shift = "{{version}}".length - (last.end - first.start);
  const tokens: TemplateToken[] = [
    ...parsed.tokens.filter((t) => t.end <= first.start),
    { name: "version", start: first.start, end: first.start + "{{version}}".length },
    ...parsed.tokens.filter((t) => t.start >= last.end).map((t) => ({ ...t, start: t.start + shift, end: t.end + shift })),
  ];
  return { template, kind: "exact", tokens };
}

/** Build metadata (`+build.7` via `{{raw}}`) and other stray characters become `-`, as in metadata-action. */
export function sanitizeTag(text: string): string {
  return text.replace(NOT_IN_TAG, "-");
}

export function renderTag(parsed: ParsedTemplate, version: ReleaseVersion, shortSha: string, key: string): string {
  const tag = sanitizeTag(substitute(parsed.template, parsed.tokens, version, shortSha));
  if (!OCI_TAG.test(tag)) {
    throw new SlipwayInputError(
      key,
      parsed.template,
      `renders as ${JSON.stringify(tag)} for ${version.raw}, which is not a valid OCI tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})`,
      "start the template with a letter, digit or _ and keep the tag within 128 characters",
    );
  }
  return tag;
}

export interface FloatingTagDecision {
  readonly tag: string;
  readonly kind: TagKind;
  /** The line the tag follows: `1.4.x`, `1.x` or `*` (every stable version). */
  readonly line: string;
  readonly moves: boolean;
  /** The published version that holds the tag before this release, if any. */
  readonly holder: string | null;
  readonly reason: string;
}

export interface TagPlan {
  /** Every tag this release publishes, in template order: the immutable ones and the floating ones that move. */
  readonly tags: readonly string[];
  /** Tags that name this release for ever (exact version, commit). */
  readonly immutable: readonly string[];
  readonly floating: Readonly<Record<string, FloatingTagDecision>>;
}

function inLine(kind: TagKind, of: ReleaseVersion): (candidate: ReleaseVersion) => boolean {
  switch (kind) {
    case "minor":
      return (c) => c.major === of.major && c.minor === of.minor;
    case "major":
      return (c) => c.major === of.major;
    default:
      return () => true;
  }
}

function lineName(kind: TagKind, of: ReleaseVersion): string {
  if (kind === "minor") return `${of.major}.${of.minor}.x`;
  if (kind === "major") return `${of.major}.x`;
  return "*";
}

/**
 * Decides whether a floating tag moves to `version`: only when it is the highest stable version of the
 * tag's line among everything published. A hotfix 1.3.9 after 1.4.0 therefore moves `v1.3` only.
 */
export function decideFloating(
  tag: string,
  kind: TagKind,
  version: ReleaseVersion,
  published: readonly ReleaseVersion[],
): FloatingTagDecision {
  const line = lineName(kind, version);
  const belongs = inLine(kind, version);
  const holder = published
    .filter((p) => !p.isPrerelease && belongs(p) && !sameRelease(p, version))
    .reduce<ReleaseVersion | undefined>((best, p) => (best === undefined || compareVersions(p, best) > 0 ? p : best), undefined);
  const holderName = holder?.version ?? null;
  const lineText = line === "*" ? "stable versions" : line;
  if (version.isPrerelease) {
    const reason =
      kind === "global"
        ? `${version.version} is a prerelease; ${tag} is never produced for a prerelease`
        : `${version.version} is a prerelease; prereleases never move floating tags`;
    return { tag, kind, line, moves: false, holder: holderName, reason };
  }
  if (holder === undefined) {
    return { tag, kind, line, moves: true, holder: null, reason: `first stable release of ${lineText}` };
  }
  if (compareVersions(version, holder) > 0) {
    return {
      tag,
      kind,
      line,
      moves: true,
      holder: holderName,
      reason: `${version.version} is higher than ${holder.version}, the highest published of ${lineText}`,
    };
  }
  return {
    tag,
    kind,
    line,
    moves: false,
    holder: holderName,
    reason: `${holder.version} stays: it is higher than ${version.version} among ${lineText}`,
  };
}

/**
 * Who decides whether this release becomes `latest` (the image tag and GitHub's "Latest release"):
 * `auto` moves it when earned; `false` keeps it where it is (a backport line); `true` asserts that this
 * release earns it and refuses to plan otherwise, since `latest` never goes to a prerelease or backwards.
 */
export const LATEST_POLICIES = ["auto", "true", "false"] as const;
export type LatestPolicy = (typeof LATEST_POLICIES)[number];

export function parseLatestPolicy(value: unknown, key: string): LatestPolicy {
  if (value === undefined) return "auto";
  const text = typeof value === "boolean" ? String(value) : value;
  if (typeof text === "string" && (LATEST_POLICIES as readonly string[]).includes(text)) return text as LatestPolicy;
  throw new SlipwayInputError(
    key,
    value,
    "must be auto, true or false",
    "use auto to move latest only when this release is the highest stable version",
  );
}

/**
 * Whether this release becomes the overall latest, decided like the `latest` tag but whatever the tag
 * templates are: GitHub's "Latest release" follows it even when no image carries a `latest` tag.
 */
export function decideLatest(
  version: ReleaseVersion,
  published: readonly ReleaseVersion[],
  policy: LatestPolicy,
  tag = "latest",
): FloatingTagDecision {
  const key = "latest";
  const earned = decideFloating(tag, "global", version, published);
  if (policy === "auto") return earned;
  if (policy === "false") {
    if (!earned.moves) return earned;
    const keeper = earned.holder === null ? `${tag} is not set` : `${tag} stays on ${earned.holder}`;
    return { ...earned, moves: false, reason: `${key} is set to false: ${keeper}` };
  }
  if (!earned.moves) {
    const [why, fix] = version.isPrerelease
      ? [
          `${version.version} is a prerelease, and a prerelease is never latest`,
          `use auto (the prerelease gets its exact and commit tags only), or release a stable version`,
        ]
      : [
          `${earned.holder ?? "a higher version"} is published and higher, and latest never moves back`,
          `use auto to release ${version.version} without moving latest`,
        ];
    throw new SlipwayInputError(key, policy, why, fix);
  }
  return earned;
}

export function planTags(
  templates: readonly ParsedTemplate[],
  version: ReleaseVersion,
  shortSha: string,
  published: readonly ReleaseVersion[],
  templateKey: (index: number) => string,
  latestPolicy: LatestPolicy = "auto",
): TagPlan {
  const immutable: string[] = [];
  const floating: Record<string, FloatingTagDecision> = {};
  const order: string[] = [];
  templates.forEach((parsed, index) => {
    const key = templateKey(index);
    const floats = FLOATING_KINDS.includes(parsed.kind);
    if (floats) {
      const tag = renderTag(parsed, version, shortSha, key);
      floating[tag] ??=
        parsed.kind === "global"
          ? decideLatest(version, published, latestPolicy, tag)
          : decideFloating(tag, parsed.kind, version, published);
      pushOnce(order, tag);
    }
    if (version.isPrerelease && parsed.kind !== "global") {
      const tag = renderTag(asExactVersionTemplate(parsed), version, shortSha, key);
      pushOnce(immutable, tag);
      pushOnce(order, tag);
    } else if (!floats) {
      const tag = renderTag(parsed, version, shortSha, key);
      pushOnce(immutable, tag);
      pushOnce(order, tag);
    }
  });
  const tags = order.filter((tag) => immutable.includes(tag) || floating[tag]?.moves === true);
  return { tags, immutable, floating };
}

function pushOnce(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}
