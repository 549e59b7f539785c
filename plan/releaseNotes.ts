// Release notes from a CHANGELOG: the section of one version, as keep-a-changelog and most generators
// write it. Pure: text in, text out.

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** A link reference definition, `[1.4.0]: https://…`, as changelogs list them at the end. */
const LINK_REFERENCE = /^ {0,3}\[[^\]]+\]:[ \t]*\S+/;

interface Heading {
  readonly line: number;
  readonly level: number;
  readonly text: string;
}

/** ATX headings outside fenced code blocks. Setext (underlined) headings are not recognised. */
function headings(lines: readonly string[]): Heading[] {
  const found: Heading[] = [];
  let fence: string | undefined;
  lines.forEach((line, index) => {
    const opener = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (opener !== undefined && opener[0] === fence[0] && opener.length >= fence.length && line.trim() === opener) fence = undefined;
      return;
    }
    if (opener !== undefined) {
      fence = opener;
      return;
    }
    const match = ATX_HEADING.exec(line);
    if (match?.[1] !== undefined) found.push({ line: index, level: match[1].length, text: (match[2] ?? "").trim() });
  });
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Whether a heading names `version`: `[1.4.0] - 2026-11-20`, `1.4.0`, `v1.4.0`, `[v1.4.0](compare-url)`,
 * `1.4.0 (2026-11-20)`. `1.4.0` does not match `1.4.0-rc.1` or `1.4.01`.
 */
function namesVersion(text: string, version: string): boolean {
  const v = escapeRegExp(version);
  return new RegExp(`^(?:\\[v?${v}\\]|v?${v})(?=$|[\\s(])`).test(text);
}

/**
 * The notes for `version` (with or without a leading `v`) from CHANGELOG.md text: the lines after its
 * heading up to the next heading of the same or a higher level, without link reference definitions at
 * its end and without leading or trailing blank lines. `undefined` when no heading names the version;
 * an empty string when the section is empty. The first matching heading wins.
 */
export function extractReleaseNotes(changelog: string, version: string): string | undefined {
  const wanted = version.trim().replace(/^v/, "");
  if (wanted === "") return undefined;
  const lines = changelog.replace(/\r\n?/g, "\n").split("\n");
  const all = headings(lines);
  const start = all.find((h) => namesVersion(h.text, wanted));
  if (start === undefined) return undefined;
  const next = all.find((h) => h.line > start.line && h.level <= start.level);
  const section = lines.slice(start.line + 1, next?.line ?? lines.length);
  let end = section.length;
  while (end > 0 && (section[end - 1]?.trim() === "" || LINK_REFERENCE.test(section[end - 1] ?? ""))) end--;
  let begin = 0;
  while (begin < end && section[begin]?.trim() === "") begin++;
  return section.slice(begin, end).join("\n");
}
