// Release notes from the commits since the previous published version, grouped by Conventional Commit
// type and filtered like GoReleaser's changelog.filters. Pure: commits in, Markdown out.
import { SlipwayInputError } from "./errors";
import { rejectUnknownFields } from "./fields";
import { PublishedInput, parsePublished } from "./releasePlan";
import { compareVersions, parseVersion } from "./version";

export interface CommitInfo {
  readonly sha: string;
  /** The first line of the message. */
  readonly subject: string;
  /** The rest of the message. */
  readonly body: string;
}

export interface CommitNotesSettings {
  /** Regular expressions; when any is given, only subjects matching one are kept. */
  readonly include: readonly RegExp[];
  /** Regular expressions; subjects matching any are dropped (after `include`). */
  readonly exclude: readonly RegExp[];
}

/** Group titles in the order they appear; a type not listed goes to "Other changes". */
const GROUPS = [
  ["breaking", "Breaking changes"],
  ["feat", "Features"],
  ["fix", "Bug fixes"],
  ["perf", "Performance"],
  ["other", "Other changes"],
] as const;
type Group = (typeof GROUPS)[number][0];
const CONVENTIONAL = /^([a-z]+)(?:\(([^)]+)\))?(!)?: (.+)$/;

function regexps(raw: unknown, key: string): RegExp[] {
  const list = raw ?? [];
  if (!Array.isArray(list)) throw new SlipwayInputError(key, list, "must be a list of regular expressions", `e.g. ${key}: ["^docs:"]`);
  return list.map((pattern: unknown, index) => {
    if (typeof pattern !== "string" || pattern === "") {
      throw new SlipwayInputError(`${key}[${index}]`, pattern, "must be a regular expression", 'e.g. "^docs:"');
    }
    try {
      // Go's leading (?i), as GoReleaser filters are written, is JavaScript's i flag.
      const insensitive = pattern.startsWith("(?i)");
      return new RegExp(insensitive ? pattern.slice(4) : pattern, insensitive ? "iu" : "u");
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SlipwayInputError(`${key}[${index}]`, pattern, `not a regular expression (${reason})`, "escape ( [ { with a backslash");
    }
  });
}

/** `slipway:releaseNotes`: `{include, exclude}`, lists of regular expressions over commit subjects. */
export function parseCommitNotesSettings(raw: unknown): CommitNotesSettings {
  if (raw === undefined) return { include: [], exclude: [] };
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new SlipwayInputError("releaseNotes", raw, "must be an object", 'e.g. releaseNotes: {exclude: ["^docs:", "^test:"]}');
  }
  const entry = raw as Record<string, unknown>;
  rejectUnknownFields(entry, ["include", "exclude"], "releaseNotes");
  return { include: regexps(entry.include, "releaseNotes.include"), exclude: regexps(entry.exclude, "releaseNotes.exclude") };
}

interface Entry {
  readonly group: Group;
  readonly line: string;
}

function classify(commit: CommitInfo): Entry {
  const short = commit.sha.slice(0, 7);
  const match = CONVENTIONAL.exec(commit.subject.trim());
  if (match === null) return { group: "other", line: `- ${commit.subject.trim()} (${short})` };
  const [, type = "", scope, bang, description = ""] = match;
  const breaking = bang !== undefined || /^BREAKING[ -]CHANGE: /m.test(commit.body);
  const group: Group = breaking ? "breaking" : type === "feat" || type === "fix" || type === "perf" ? type : "other";
  const prefix = scope === undefined ? "" : `**${scope}:** `;
  return { group, line: `- ${prefix}${description} (${short})` };
}

/**
 * The notes: one `### <group>` section per group that has commits, groups in a fixed order and commits
 * in the order given (newest first, as `git log` lists them). Empty when no commit is left.
 */
export function renderCommitNotes(commits: readonly CommitInfo[], settings: CommitNotesSettings): string {
  const kept = commits.filter(
    (c) =>
      (settings.include.length === 0 || settings.include.some((r) => r.test(c.subject))) &&
      !settings.exclude.some((r) => r.test(c.subject)),
  );
  const entries = kept.map(classify);
  return GROUPS.flatMap(([group, title]) => {
    const lines = entries.filter((e) => e.group === group).map((e) => e.line);
    return lines.length === 0 ? [] : [`### ${title}\n\n${lines.join("\n")}\n`];
  }).join("\n");
}

/**
 * The commit of the highest published version below `version`, where the notes start; `undefined`
 * when none is known (the notes then cover the whole history up to the release commit).
 */
export function previousReleaseCommit(version: string, published: readonly PublishedInput[]): string | undefined {
  const current = parseVersion(version, "version");
  const earlier = parsePublished(published)
    .filter((p) => p.commit !== undefined && compareVersions(p.version, current) < 0)
    .sort((a, b) => compareVersions(a.version, b.version));
  return earlier[earlier.length - 1]?.commit;
}

/** Parses `git log --format=%H%x1f%s%x1f%b%x1e` output. */
export function parseGitLog(output: string): CommitInfo[] {
  return output
    .split("\x1e")
    .map((record) => record.replace(/^\n/, ""))
    .filter((record) => record.trim() !== "")
    .map((record) => {
      const [sha = "", subject = "", body = ""] = record.split("\x1f");
      return { sha, subject, body: body.trim() };
    });
}
