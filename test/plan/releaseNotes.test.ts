import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { extractReleaseNotes } from "../../plan/releaseNotes";
import { assertGolden } from "../support/golden";

const KEEP_A_CHANGELOG = [
  "# Changelog",
  "",
  "## [Unreleased]",
  "- Work in progress.",
  "",
  "## [1.5.0-rc.1] - 2026-11-21",
  "### Added",
  "- Release candidate.",
  "",
  "## [1.4.0] - 2026-11-20",
  "### Added",
  "- `-version` prints the bare version.",
  "",
  "```sh",
  "# not a heading inside a fence",
  "## 9.9.9",
  "```",
  "",
  "### Fixed",
  "- Trailing newline.",
  "",
  "## [1.3.9] - 2026-11-20",
  "- Hotfix.",
  "",
  "[1.5.0-rc.1]: https://github.com/acme/hello/compare/v1.4.0...v1.5.0-rc.1",
  "[1.4.0]: https://github.com/acme/hello/compare/v1.3.9...v1.4.0",
  "[1.3.9]: https://github.com/acme/hello/releases/tag/v1.3.9",
  "",
].join("\n");

const NOTES_1_4_0 = [
  "### Added",
  "- `-version` prints the bare version.",
  "",
  "```sh",
  "# not a heading inside a fence",
  "## 9.9.9",
  "```",
  "",
  "### Fixed",
  "- Trailing newline.",
].join("\n");

describe("extractReleaseNotes", () => {
  const rows: [string, string, string, string | undefined][] = [
    ["keep-a-changelog heading with date, up to the next version", KEEP_A_CHANGELOG, "1.4.0", NOTES_1_4_0],
    ["the version may be given with a leading v", KEEP_A_CHANGELOG, "v1.4.0", NOTES_1_4_0],
    [
      "1.4.0 does not match the 1.5.0-rc.1 heading, and the prerelease has its own section",
      KEEP_A_CHANGELOG,
      "1.5.0-rc.1",
      "### Added\n- Release candidate.",
    ],
    ["link reference definitions at the end of the last section are dropped", KEEP_A_CHANGELOG, "1.3.9", "- Hotfix."],
    ["an absent version is undefined", KEEP_A_CHANGELOG, "1.4.1", undefined],
    ["a prefix of a version is not that version", "## 1.4.01\n- no\n", "1.4.0", undefined],
    ["a version inside a fence is not a heading", "```\n## 1.4.0\n```\n", "1.4.0", undefined],
    ["bare heading", "# Changes\n\n## 1.4.0\n\n- a\n\n## 1.3.0\n- b\n", "1.4.0", "- a"],
    ["v-prefixed heading", "## v1.4.0\n- a\n## v1.3.0\n", "1.4.0", "- a"],
    ["bracketed v heading with a compare link", "## [v1.4.0](https://x/compare) (2026-11-20)\n- a\n", "1.4.0", "- a"],
    ["conventional-changelog style: date in parentheses", "### 1.4.0 (2026-11-20)\n\n* fix\n\n### 1.3.0\n", "1.4.0", "* fix"],
    [
      "subheadings belong to the section; a higher-level heading ends it",
      "## 1.4.0\n### Added\n- a\n# Older\n## 1.3.0\n",
      "1.4.0",
      "### Added\n- a",
    ],
    ["closing hashes are allowed", "## 1.4.0 ##\n- a\n", "1.4.0", "- a"],
    ["CRLF line endings", "## 1.4.0\r\n- a\r\n\r\n## 1.3.0\r\n", "1.4.0", "- a"],
    ["an empty section is an empty string, not undefined", "## 1.4.0\n\n## 1.3.0\n- b\n", "1.4.0", ""],
    [
      "a link definition inside the notes stays; only trailing ones go",
      "## 1.4.0\n[x]: https://x\n- a\n\n[1.4.0]: https://y\n",
      "1.4.0",
      "[x]: https://x\n- a",
    ],
    ["indented code is not a heading (4 spaces)", "    ## 1.4.0\n", "1.4.0", undefined],
    ["the first of two headings for a version wins", "## 1.4.0\n- first\n## 1.4.0\n- second\n", "1.4.0", "- first"],
    ["an empty version matches nothing", "## 1.4.0\n- a\n", "", undefined],
  ];
  rows.forEach(([title, changelog, version, expected], index) => {
    it(`[${index}] ${title}`, () => {
      assert.equal(extractReleaseNotes(changelog, version), expected);
    });
  });

  it("renders the example program's notes for 1.4.0 (golden)", () => {
    const changelog = readFileSync(join(__dirname, "..", "..", "examples", "hello-go", "CHANGELOG.md"), "utf8");
    const notes = extractReleaseNotes(changelog, "v1.4.0");
    assert.ok(notes !== undefined);
    assertGolden("github-release-notes-1.4.0.md", `${notes}\n`);
  });

  it("renders the keep-a-changelog fixture's notes for 1.4.0 (golden)", () => {
    assertGolden("github-release-notes-fixture-1.4.0.md", `${extractReleaseNotes(KEEP_A_CHANGELOG, "1.4.0") ?? "(absent)"}\n`);
  });
});
