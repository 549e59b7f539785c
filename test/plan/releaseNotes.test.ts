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
    ["a lone v matches nothing", "## v\n- a\n", "v", undefined],
    ["the version given with spaces around it", "## 1.4.0\n- a\n", " v1.4.0 ", "- a"],
    ["dots in the version are literal", "## 1a4b0\n- a\n", "1.4.0", undefined],
    ["a bracket that is not closed", "## [1.4.0 (2026-11-20)\n- a\n", "1.4.0", undefined],
    ["a parenthesis right after the version", "## 1.4.0(2026-11-20)\n- a\n", "1.4.0", "- a"],
    ["a tab after the version", "## 1.4.0\t2026-11-20\n- a\n", "1.4.0", "- a"],
    ["a hash right after the version is not a closing sequence", "## 1.4.0#\n- a\n", "1.4.0", undefined],
    ["a heading indented by three spaces", "   ## 1.4.0\n- a\n", "1.4.0", "- a"],
    ["a tab between the hashes and the text", "##\t1.4.0\n- a\n", "1.4.0", "- a"],
    ["no space after the hashes is not a heading", "##1.4.0\n- a\n", "1.4.0", undefined],
    ["seven hashes are not a heading", "####### 1.4.0\n- a\n", "1.4.0", undefined],
    ["six hashes are", "###### 1.4.0\n- a\n###### 1.3.0\n", "1.4.0", "- a"],
    ["an empty heading of the same level ends the section", "## 1.4.0\n- a\n##\n- b\n", "1.4.0", "- a"],
    ["CR line endings", "## 1.4.0\r- a\r## 1.3.0\r", "1.4.0", "- a"],
    ["blank lines of spaces around the notes", "## 1.4.0\n  \n- a\n\t\n## 1.3.0\n", "1.4.0", "- a"],
    ["a tilde fence hides a heading", "## 1.4.0\n~~~\n## 1.3.0\n~~~\n- a\n## 1.2.0\n", "1.4.0", "~~~\n## 1.3.0\n~~~\n- a"],
    ["a backtick fence is not closed by tildes", "```\n~~~\n## 1.4.0\n```\n", "1.4.0", undefined],
    ["a fence is not closed by a shorter one", "````\n```\n## 1.4.0\n````\n", "1.4.0", undefined],
    ["a fence is closed by a longer one", "```\n````\n## 1.4.0\n- a\n", "1.4.0", "- a"],
    ["a fence is not closed by a line with an info string", "```\n``` sh\n## 1.4.0\n```\n", "1.4.0", undefined],
    ["a fence indented by four spaces is code, not a fence", "    ```\n## 1.4.0\n- a\n", "1.4.0", "- a"],
    ["a link definition indented by four spaces stays", "## 1.4.0\n- a\n    [1.4.0]: https://y\n", "1.4.0", "- a\n    [1.4.0]: https://y"],
    ["a link label without a target stays", "## 1.4.0\n- a\n[1.4.0]:\n", "1.4.0", "- a\n[1.4.0]:"],
    ["a link definition with a tab before its target goes", "## 1.4.0\n- a\n[1.4.0]:\thttps://y\n", "1.4.0", "- a"],
    ["an empty link label is not a definition", "## 1.4.0\n- a\n[]: https://y\n", "1.4.0", "- a\n[]: https://y"],
    ["a link definition with no space before its target goes", "## 1.4.0\n- a\n[1.4.0]:https://y\n", "1.4.0", "- a"],
    ["a closing fence may end in spaces", "```\n## 1.3.0\n```  \n## 1.4.0\n- a\n", "1.4.0", "- a"],
    ["only a leading v is dropped from the version", "## 1.4.0-dev\n- a\n", "1.4.0-dev", "- a"],
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
