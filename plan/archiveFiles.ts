// Which module files go into every release archive beside the binaries (`slipway:archives` `files`).
// Pure: the caller lists the module's files; globs are compiled here to anchored regular expressions.
import { byteOrder } from "./assets";
import { SlipwayInputError } from "./errors";

/** A glob relative to the module root, or `{src: <glob>, dst: <directory in the archive>}`. */
export type ArchiveFilePattern = string | { readonly src: string; readonly dst?: string | undefined };

/** One module file and where it goes in the archive. */
export interface ArchiveFileMatch {
  /** Path relative to the module root, `/`-separated. */
  readonly source: string;
  /** Path inside the archive, `/`-separated. */
  readonly target: string;
}

export interface MatchExtraFilesOptions {
  /** Match letters regardless of case (the defaults do). Defaults to false. */
  readonly caseInsensitive?: boolean;
  /** A pattern that matches nothing is fine (the defaults); else it is an error. Defaults to false. */
  readonly allowUnmatched?: boolean;
}

/** The files every archive gets when `files` is not set; matched case-insensitively, at the module root only. */
export const DEFAULT_ARCHIVE_FILES: readonly string[] = ["LICENSE*", "README*", "CHANGELOG*"];

const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;
const CLASS_SYNTAX = /[\\\]^[-]/g;

function escapeRegExp(text: string): string {
  return text.replace(REGEXP_SYNTAX, "\\$&");
}

/** A syntax problem in a glob; {@link matchExtraFiles} turns it into a SlipwayInputError. */
class GlobSyntaxError extends Error {}

/** `[...]` starting at `glob[start]`: the regular-expression class and the index after the closing `]`. */
function parseBracket(glob: string, start: number): { source: string; end: number } {
  let i = start + 1;
  const negated = glob[i] === "!" || glob[i] === "^";
  if (negated) i++;
  let body = "";
  let first = true;
  while (i < glob.length && (glob[i] !== "]" || first)) {
    const low = glob[i] ?? "";
    if (low === "/") throw new GlobSyntaxError(`"/" inside [...] at position ${i + 1}`);
    const high = glob[i + 2];
    if (glob[i + 1] === "-" && high !== undefined && high !== "]") {
      if (high < low) throw new GlobSyntaxError(`range [${low}-${high}] is reversed`);
      body += `${low.replace(CLASS_SYNTAX, "\\$&")}-${high.replace(CLASS_SYNTAX, "\\$&")}`;
      i += 3;
    } else {
      body += low.replace(CLASS_SYNTAX, "\\$&");
      i++;
    }
    first = false;
  }
  if (i >= glob.length) throw new GlobSyntaxError(`"[" at position ${start + 1} is not closed`);
  return { source: negated ? `[^/${body}]` : `[${body}]`, end: i + 1 };
}

/** Whether `**` at `glob[at]` is a whole path segment (or a whole brace alternative). */
function isGlobstar(glob: string, at: number): boolean {
  const before = at === 0 ? "/" : (glob[at - 1] ?? "/");
  const after = glob[at + 2] ?? "/";
  return "/{,".includes(before) && "/},".includes(after);
}

/** The regular-expression source for `glob[start..]` up to an unmatched `}` or `,` when `inBraces`. */
function parseSequence(glob: string, start: number, inBraces: boolean): { source: string; end: number } {
  let source = "";
  let i = start;
  while (i < glob.length) {
    const c = glob[i] ?? "";
    if (inBraces && (c === "," || c === "}")) return { source, end: i };
    if (c === "\\") {
      if (i + 1 >= glob.length) throw new GlobSyntaxError("ends with a lone \\");
      source += escapeRegExp(glob[i + 1] ?? "");
      i += 2;
    } else if (c === "*" && glob[i + 1] === "*" && isGlobstar(glob, i)) {
      const slash = glob[i + 2] === "/";
      source += slash ? "(?:[^/]+/)*" : ".*";
      i += slash ? 3 : 2;
    } else if (c === "*") {
      while (glob[i] === "*") i++;
      source += "[^/]*";
    } else if (c === "?") {
      source += "[^/]";
      i++;
    } else if (c === "[") {
      const bracket = parseBracket(glob, i);
      source += bracket.source;
      i = bracket.end;
    } else if (c === "{") {
      const alternatives: string[] = [];
      let j = i + 1;
      for (;;) {
        const alternative = parseSequence(glob, j, true);
        alternatives.push(alternative.source);
        if (alternative.end >= glob.length) throw new GlobSyntaxError(`"{" at position ${i + 1} is not closed`);
        j = alternative.end + 1;
        if (glob[alternative.end] === "}") break;
      }
      source += `(?:${alternatives.join("|")})`;
      i = j;
    } else {
      source += escapeRegExp(c);
      i++;
    }
  }
  return { source, end: i };
}

/**
 * An anchored regular expression for a glob over `/`-separated relative paths: `*` and `?` never match `/`,
 * `**` as a whole segment matches any depth (including none), `[abc]`, `[a-z]`, `[!a]`, `{a,b}` (nestable),
 * `\` escapes. Leading dots get no special treatment. Throws an Error on bad syntax.
 */
export function globToRegExp(glob: string, caseInsensitive = false): RegExp {
  return new RegExp(`^${parseSequence(glob, 0, false).source}$`, caseInsensitive ? "iu" : "u");
}

const PARENT_SEGMENT = /(^|[/{,])\.\.($|[/},])/;

function isAbsolute(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path);
}

function stripDotSlash(path: string): string {
  return path.replace(/^(\.\/+)+/, "");
}

interface NormalisedPattern {
  readonly key: string;
  readonly src: string;
  readonly dst: string | undefined;
  readonly regexp: RegExp;
}

function checkRelative(key: string, value: string, what: string): void {
  if (isAbsolute(value)) {
    throw new SlipwayInputError(key, value, `${what} is absolute`, 'write it relative to the module root, e.g. "docs/*.md"');
  }
  if (PARENT_SEGMENT.test(value)) {
    throw new SlipwayInputError(key, value, `${what} reaches outside with ".."`, "name only files inside the module");
  }
}

/** `dst` without `./` and trailing `/`; undefined keeps the file's own path, "" is the archive root. */
function normaliseDst(key: string, dst: string | undefined): string | undefined {
  if (dst === undefined) return undefined;
  if (typeof dst !== "string")
    throw new SlipwayInputError(`${key}.dst`, dst, "is not a string", 'give a directory inside the archive, e.g. "docs"');
  checkRelative(`${key}.dst`, dst, "the destination");
  const trimmed = stripDotSlash(dst).replace(/\/+$/, "");
  return trimmed === "." ? "" : trimmed;
}

function normalisePattern(pattern: ArchiveFilePattern, index: number, caseInsensitive: boolean): NormalisedPattern {
  const key = `archives.files[${index}]`;
  const src = typeof pattern === "string" ? pattern : (pattern as { src?: unknown } | null)?.src;
  if (typeof src !== "string") {
    throw new SlipwayInputError(
      key,
      pattern,
      "is neither a glob nor {src, dst}",
      'write a glob such as "docs/*.md" or {src: "docs/*.md", dst: "docs"}',
    );
  }
  if (src.trim() === "") throw new SlipwayInputError(key, src, "is empty", "write a glob relative to the module root, or remove the entry");
  checkRelative(key, src, "the pattern");
  const dst = typeof pattern === "string" ? undefined : normaliseDst(key, pattern.dst);
  try {
    return { key, src, dst, regexp: globToRegExp(stripDotSlash(src), caseInsensitive) };
  } catch (e) {
    const detail = e instanceof GlobSyntaxError ? e.message : "is not a valid glob";
    throw new SlipwayInputError(key, src, `is not a valid glob (${detail})`, "fix the glob: * ? ** [a-z] {a,b}, \\ escapes");
  }
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function targetFor(source: string, dst: string | undefined): string {
  if (dst === undefined) return source;
  return dst === "" ? basename(source) : `${dst}/${basename(source)}`;
}

/** Refuses a target that another target needs as its directory (`docs` the file and `docs/a`). */
function checkFileDirectoryClash(matches: readonly ArchiveFileMatch[], owners: ReadonlyMap<string, NormalisedPattern>): void {
  for (const { target } of matches) {
    for (let slash = target.indexOf("/"); slash > 0; slash = target.indexOf("/", slash + 1)) {
      const directory = target.slice(0, slash);
      // Every target has an owner (the first pattern that put a file there); a directory with an owner is a file.
      const owner = owners.get(directory);
      if (owner !== undefined) {
        throw new SlipwayInputError(
          owner.key,
          owner.src,
          `puts a file at "${directory}", which "${target}" needs as its directory`,
          "give one of them a different dst",
        );
      }
    }
  }
}

/**
 * The module files (`files`: sorted relative paths of regular files) that `patterns` select, with their
 * place in the archive: the file's own path, or `dst/<basename>` when the pattern has a `dst`. Sorted by
 * target, each target once (a plain path naming a directory takes the files below it); a file matched twice for one target counts once. Throws SlipwayInputError for
 * an absolute pattern or one with `..`, bad glob syntax, two files with one target, and (unless
 * `allowUnmatched`) a pattern that matches nothing.
 */
export function matchExtraFiles(
  patterns: readonly ArchiveFilePattern[],
  files: readonly string[],
  options: MatchExtraFilesOptions = {},
): ArchiveFileMatch[] {
  const byTarget = new Map<string, ArchiveFileMatch>();
  const owners = new Map<string, NormalisedPattern>();
  patterns.forEach((pattern, index) => {
    const normalised = normalisePattern(pattern, index, options.caseInsensitive ?? false);
    // A plain path naming a directory (`docs`) takes every file below it, as GoReleaser's `files` does.
    const directory = !/[*?[{\\]/.test(normalised.src);
    const matched = files.filter(
      (file) => normalised.regexp.test(file) || (directory && parentDirectories(file).some((dir) => normalised.regexp.test(dir))),
    );
    if (matched.length === 0 && options.allowUnmatched !== true) {
      throw new SlipwayInputError(
        normalised.key,
        normalised.src,
        "matches no file in the module",
        "check the glob against the module's files (paths are relative to the module root, matching is case-sensitive), or remove it",
      );
    }
    for (const source of matched) {
      const target = targetFor(source, normalised.dst);
      const existing = byTarget.get(target);
      if (existing !== undefined && existing.source !== source) {
        throw new SlipwayInputError(
          normalised.key,
          normalised.src,
          `puts "${source}" at "${target}" in the archive, where "${existing.source}" already is`,
          "give one of the patterns a different dst, or narrow it to one file",
        );
      }
      byTarget.set(target, { source, target });
      if (!owners.has(target)) owners.set(target, normalised);
    }
  });
  const matches = [...byTarget.values()].sort((a, b) => byteOrder(a.target, b.target));
  checkFileDirectoryClash(matches, owners);
  return matches;
}

/** `a/b/c.txt` → `a`, `a/b`. */
function parentDirectories(file: string): string[] {
  const parts = file.split("/").slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

/** {@link DEFAULT_ARCHIVE_FILES} over `files`: case-insensitive, and matching nothing is fine. */
export function matchDefaultArchiveFiles(files: readonly string[]): ArchiveFileMatch[] {
  return matchExtraFiles(DEFAULT_ARCHIVE_FILES, files, { caseInsensitive: true, allowUnmatched: true });
}
