import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CommitInfo, parseCommitNotesSettings, parseGitLog, previousReleaseCommit, renderCommitNotes } from "../../plan/commitNotes";
import { SlipwayInputError } from "../../plan/errors";
import { COMMIT, OTHER_COMMIT } from "../support/release";

function commit(subject: string, body = "", n = 1): CommitInfo {
  return { sha: `${String(n).repeat(7)}${"0".repeat(33)}`, subject, body };
}

describe("renderCommitNotes", () => {
  const rows: [string, CommitInfo[], unknown, string][] = [
    ["no commits", [], undefined, ""],
    ["a feature", [commit("feat: greet in French")], undefined, "### Features\n\n- greet in French (1111111)\n"],
    [
      "a scoped fix",
      [commit("fix(cli): exit 2 on bad flags", "", 2)],
      undefined,
      "### Bug fixes\n\n- **cli:** exit 2 on bad flags (2222222)\n",
    ],
    ["a breaking change by !", [commit("feat(api)!: drop v1")], undefined, "### Breaking changes\n\n- **api:** drop v1 (1111111)\n"],
    [
      "a breaking change by footer",
      [commit("refactor: rename flags", "BREAKING CHANGE: --name is now --who")],
      undefined,
      "### Breaking changes\n\n- rename flags (1111111)\n",
    ],
    [
      "a non-conventional subject",
      [commit("Merge pull request #4")],
      undefined,
      "### Other changes\n\n- Merge pull request #4 (1111111)\n",
    ],
    [
      "groups in fixed order, commits in the given order",
      [commit("docs: readme", "", 1), commit("fix: b", "", 2), commit("feat: a", "", 3), commit("fix: c", "", 4), commit("perf: d", "", 5)],
      undefined,
      "### Features\n\n- a (3333333)\n\n### Bug fixes\n\n- b (2222222)\n- c (4444444)\n\n### Performance\n\n- d (5555555)\n\n### Other changes\n\n- readme (1111111)\n",
    ],
    [
      "exclude filters",
      [commit("docs: readme", "", 1), commit("fix: b", "", 2)],
      { exclude: ["^docs:"] },
      "### Bug fixes\n\n- b (2222222)\n",
    ],
    [
      "include filters",
      [commit("chore: bump", "", 1), commit("feat: x", "", 2)],
      { include: ["^(feat|fix)"] },
      "### Features\n\n- x (2222222)\n",
    ],
    [
      "Go's (?i) flag",
      [commit("Docs: readme", "", 1), commit("fix: b", "", 2)],
      { exclude: ["(?i)^docs?:"] },
      "### Bug fixes\n\n- b (2222222)\n",
    ],
    ["exclude wins over include", [commit("feat: wip", "", 1)], { include: ["^feat"], exclude: ["wip"] }, ""],
    [
      "a commit matching one of two includes",
      [commit("fix: b", "", 2)],
      { include: ["^feat", "^fix"] },
      "### Bug fixes\n\n- b (2222222)\n",
    ],
    ["a subject with blanks around it", [commit("  feat: trimmed  ", "", 3)], undefined, "### Features\n\n- trimmed (3333333)\n"],
    [
      "a plain subject with blanks around it",
      [commit("  Merge branch x  ", "", 3)],
      undefined,
      "### Other changes\n\n- Merge branch x (3333333)\n",
    ],
    [
      "a type after other words is not conventional",
      [commit("wip feat: x", "", 4)],
      undefined,
      "### Other changes\n\n- wip feat: x (4444444)\n",
    ],
    [
      "BREAKING CHANGE only at the start of a body line",
      [commit("fix: y", "This is not a BREAKING CHANGE: really", 5)],
      undefined,
      "### Bug fixes\n\n- y (5555555)\n",
    ],
  ];
  for (const [title, commits, settings, expected] of rows) {
    it(`[${title}] renders ${JSON.stringify(expected)}`, () => {
      assert.equal(renderCommitNotes(commits, parseCommitNotesSettings(settings)), expected);
    });
  }
});

describe("parseCommitNotesSettings", () => {
  const refused: [unknown, string][] = [
    [null, 'slipway:releaseNotes = null: must be an object; fix: e.g. releaseNotes: {exclude: ["^docs:", "^test:"]}'],
    ["^docs", 'slipway:releaseNotes = "^docs": must be an object; fix: e.g. releaseNotes: {exclude: ["^docs:", "^test:"]}'],
    [{ include: [5] }, 'slipway:releaseNotes.include[0] = 5: must be a regular expression; fix: e.g. "^docs:"'],
    [{ exclude: ["^docs", ""] }, 'slipway:releaseNotes.exclude[1] = "": must be a regular expression; fix: e.g. "^docs:"'],
    [["^docs"], 'slipway:releaseNotes = ["^docs"]: must be an object; fix: e.g. releaseNotes: {exclude: ["^docs:", "^test:"]}'],
    [{ filters: [] }, "slipway:releaseNotes.filters = []: unknown field; fix: use only include, exclude"],
    [
      { exclude: "^docs" },
      'slipway:releaseNotes.exclude = "^docs": must be a list of regular expressions; fix: e.g. releaseNotes.exclude: ["^docs:"]',
    ],
    [
      { include: ["(feat"] },
      'slipway:releaseNotes.include[0] = "(feat": not a regular expression (Invalid regular expression: /(feat/u: Unterminated group); fix: escape ( [ { with a backslash',
    ],
  ];
  for (const [raw, message] of refused) {
    it(`refuses ${JSON.stringify(raw)} in one line`, () => {
      assert.throws(
        () => parseCommitNotesSettings(raw),
        (e: unknown) => e instanceof SlipwayInputError && e.message === message,
      );
    });
  }
});

describe("previousReleaseCommit", () => {
  const rows: [string, string[], string | undefined][] = [
    ["nothing published", [], undefined],
    ["the highest lower version", [`1.2.0@${OTHER_COMMIT}`, `1.3.0@${COMMIT}`, `1.5.0@${OTHER_COMMIT}`], COMMIT],
    ["a version without commit is no start", ["1.3.0", `1.2.0@${OTHER_COMMIT}`], OTHER_COMMIT],
    ["prereleases of this version count", [`1.4.0-rc.1@${COMMIT}`], COMMIT],
    ["in any order", [`1.3.0@${COMMIT}`, `1.2.0@${OTHER_COMMIT}`], COMMIT],
    ["never this version itself", [`1.3.0@${COMMIT}`, `1.4.0@${OTHER_COMMIT}`], COMMIT],
  ];
  for (const [title, published, expected] of rows) {
    it(`[${title}] starts at ${String(expected)}`, () => {
      assert.equal(previousReleaseCommit("1.4.0", published), expected);
    });
  }

  it("refuses a version that is not one, naming slipway:version", () => {
    assert.throws(
      () => previousReleaseCommit("v-one", []),
      (e: unknown) => e instanceof SlipwayInputError && e.key === "version",
    );
  });
});

describe("parseGitLog", () => {
  it("skips blank records", () => {
    assert.deepEqual(parseGitLog(`${COMMIT}\x1ffeat: a\x1f\x1e  \n\x1e\n`), [{ sha: COMMIT, subject: "feat: a", body: "" }]);
  });
  it("reads git log records with multi-line bodies", () => {
    const output = `${COMMIT}\x1ffeat: a\x1fline 1\nline 2\n\x1e\n${OTHER_COMMIT}\x1ffix: b\x1f\x1e\n`;
    assert.deepEqual(parseGitLog(output), [
      { sha: COMMIT, subject: "feat: a", body: "line 1\nline 2" },
      { sha: OTHER_COMMIT, subject: "fix: b", body: "" },
    ]);
  });
});
