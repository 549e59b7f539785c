// The `files` globs of slipway:archives: which module files go into every archive, and where.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ArchiveFilePattern,
  DEFAULT_ARCHIVE_FILES,
  MatchExtraFilesOptions,
  globToRegExp,
  matchDefaultArchiveFiles,
  matchExtraFiles,
} from "../../plan/archiveFiles";
import { byteOrder } from "../../plan/assets";
import { SlipwayInputError } from "../../plan/errors";

const FILES = [
  "CHANGELOG.md",
  "LICENSE",
  "README.md",
  "cmd/hello/README.md",
  "cmd/hello/main.go",
  "docs/a.md",
  "docs/b.md",
  "docs/c.txt",
  "docs/deep/er/y.md",
  "docs/deep/x.md",
  "go.mod",
  "main.go",
  "man/hello.1",
  "man/hello.8",
  "man/hello.9",
  "notes[1].txt",
  "readme.txt",
  "scripts/install.sh",
].sort(byteOrder);

const DEFAULTS: MatchExtraFilesOptions = { caseInsensitive: true, allowUnmatched: true };

interface Row {
  readonly name: string;
  readonly patterns: readonly ArchiveFilePattern[];
  readonly options?: MatchExtraFilesOptions;
  /** `target` alone when the target is the source's own path, else `target <- source`. */
  readonly expected: readonly string[];
}

const ROWS: readonly Row[] = [
  {
    name: "defaults are case-insensitive and root-only",
    patterns: DEFAULT_ARCHIVE_FILES,
    options: DEFAULTS,
    expected: ["CHANGELOG.md", "LICENSE", "README.md", "readme.txt"],
  },
  { name: "the same globs case-sensitive", patterns: DEFAULT_ARCHIVE_FILES, expected: ["CHANGELOG.md", "LICENSE", "README.md"] },
  { name: "lower-case glob, case-sensitive", patterns: ["readme*"], expected: ["readme.txt"] },
  { name: "case-insensitive extension", patterns: ["docs/*.MD"], options: { caseInsensitive: true }, expected: ["docs/a.md", "docs/b.md"] },
  { name: "* stays in one directory", patterns: ["docs/*"], expected: ["docs/a.md", "docs/b.md", "docs/c.txt"] },
  { name: "a plain directory takes every file below it", patterns: ["docs/deep"], expected: ["docs/deep/er/y.md", "docs/deep/x.md"] },
  { name: "*.go only at the root", patterns: ["*.go"], expected: ["main.go"] },
  { name: "? is one character", patterns: ["docs/?.md"], expected: ["docs/a.md", "docs/b.md"] },
  {
    name: "**/ at any depth, including none",
    patterns: ["docs/**/*.md"],
    expected: ["docs/a.md", "docs/b.md", "docs/deep/er/y.md", "docs/deep/x.md"],
  },
  { name: "leading **/ matches the root too", patterns: ["**/README.md"], expected: ["README.md", "cmd/hello/README.md"] },
  {
    name: "trailing /** takes the whole tree",
    patterns: ["docs/**"],
    expected: ["docs/a.md", "docs/b.md", "docs/c.txt", "docs/deep/er/y.md", "docs/deep/x.md"],
  },
  { name: "**/ between fixed segments", patterns: ["docs/**/x.md"], expected: ["docs/deep/x.md"] },
  { name: "{a,b} alternatives", patterns: ["docs/{a,c}.*"], expected: ["docs/a.md", "docs/c.txt"] },
  { name: "{a,b} of whole names", patterns: ["{LICENSE,go.mod}"], expected: ["LICENSE", "go.mod"] },
  { name: "nested braces", patterns: ["{docs/{a,b},man/hello}.{md,1}"], expected: ["docs/a.md", "docs/b.md", "man/hello.1"] },
  { name: "[18] set", patterns: ["man/hello.[18]"], expected: ["man/hello.1", "man/hello.8"] },
  { name: "[1-8] range", patterns: ["man/hello.[1-8]"], expected: ["man/hello.1", "man/hello.8"] },
  { name: "[!1] negated set", patterns: ["man/hello.[!1]"], expected: ["man/hello.8", "man/hello.9"] },
  { name: "\\ escapes [ and ]", patterns: ["notes\\[1\\].txt"], expected: ["notes[1].txt"] },
  { name: "regular-expression characters are literal", patterns: ["go.mo?", "main.g*"], expected: ["go.mod", "main.go"] },
  {
    name: "dst puts the basename under a directory",
    patterns: [{ src: "man/*", dst: "share/man/" }],
    expected: ["share/man/hello.1 <- man/hello.1", "share/man/hello.8 <- man/hello.8", "share/man/hello.9 <- man/hello.9"],
  },
  {
    name: "dst . flattens to the root",
    patterns: [{ src: "docs/**/*.md", dst: "." }],
    expected: ["a.md <- docs/a.md", "b.md <- docs/b.md", "x.md <- docs/deep/x.md", "y.md <- docs/deep/er/y.md"],
  },
  { name: "object without dst keeps the path", patterns: [{ src: "scripts/*.sh" }], expected: ["scripts/install.sh"] },
  { name: "a file matched twice counts once", patterns: ["docs/a.md", "docs/*.md", "docs/{a,b}.md"], expected: ["docs/a.md", "docs/b.md"] },
  {
    name: "one file at two targets is kept twice",
    patterns: ["README.md", { src: "README.md", dst: "doc" }],
    expected: ["README.md", "doc/README.md <- README.md"],
  },
  {
    name: "sorted by target in byte order, not pattern order",
    patterns: ["main.go", { src: "scripts/install.sh", dst: "a" }, "LICENSE"],
    expected: ["LICENSE", "a/install.sh <- scripts/install.sh", "main.go"],
  },
  { name: "a leading ./ is ignored", patterns: ["./LICENSE"], expected: ["LICENSE"] },
  {
    name: "leading ./ repeated, or with doubled slashes, is ignored",
    patterns: ["././LICENSE", ".//README.md"],
    expected: ["LICENSE", "README.md"],
  },
  {
    name: "dst with trailing slashes",
    patterns: [{ src: "man/hello.1", dst: "share/man//" }],
    expected: ["share/man/hello.1 <- man/hello.1"],
  },
  { name: "defaults over a module without any", patterns: DEFAULT_ARCHIVE_FILES, options: DEFAULTS, expected: [] },
];

function show(match: { source: string; target: string }): string {
  return match.source === match.target ? match.target : `${match.target} <- ${match.source}`;
}

describe("matchExtraFiles", () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const files = row.expected.length === 0 ? ["go.mod", "main.go", "docs/LICENSE"] : FILES;
      assert.deepEqual(matchExtraFiles(row.patterns, files, row.options).map(show), row.expected);
    });
  }

  it("DEFAULT_ARCHIVE_FILES and matchDefaultArchiveFiles", () => {
    assert.deepEqual(DEFAULT_ARCHIVE_FILES, ["LICENSE*", "README*", "CHANGELOG*"]);
    assert.deepEqual(matchDefaultArchiveFiles(FILES).map(show), ["CHANGELOG.md", "LICENSE", "README.md", "readme.txt"]);
    assert.deepEqual(matchDefaultArchiveFiles(["license.md", "src/README"]).map(show), ["license.md"]);
  });
});

interface ErrorRow {
  readonly name: string;
  readonly patterns: readonly ArchiveFilePattern[];
  readonly key: string;
  readonly value: unknown;
  readonly message: string;
}

const NO_MATCH_FIX =
  "fix: check the glob against the module's files (paths are relative to the module root, matching is case-sensitive), or remove it";

const ERROR_ROWS: readonly ErrorRow[] = [
  {
    name: "an explicit pattern that matches nothing",
    patterns: ["docs/*.pdf"],
    key: "archives.files[0]",
    value: "docs/*.pdf",
    message: `slipway:archives.files[0] = "docs/*.pdf": matches no file in the module; ${NO_MATCH_FIX}`,
  },
  {
    name: "an explicit pattern that differs only in case",
    patterns: ["LICENSE", { src: "DOCS/*", dst: "x" }],
    key: "archives.files[1]",
    value: "DOCS/*",
    message: `slipway:archives.files[1] = "DOCS/*": matches no file in the module; ${NO_MATCH_FIX}`,
  },
  {
    name: "two sources, one target, from two patterns",
    patterns: [
      { src: "README.md", dst: "x" },
      { src: "cmd/hello/README.md", dst: "x" },
    ],
    key: "archives.files[1]",
    value: "cmd/hello/README.md",
    message:
      'slipway:archives.files[1] = "cmd/hello/README.md": puts "cmd/hello/README.md" at "x/README.md" in the archive, where "README.md" already is; fix: give one of the patterns a different dst, or narrow it to one file',
  },
  {
    name: "two sources, one target, from one pattern",
    patterns: [{ src: "**/README.md", dst: "." }],
    key: "archives.files[0]",
    value: "**/README.md",
    message:
      'slipway:archives.files[0] = "**/README.md": puts "cmd/hello/README.md" at "README.md" in the archive, where "README.md" already is; fix: give one of the patterns a different dst, or narrow it to one file',
  },
  {
    name: "a file where another needs a directory",
    patterns: [{ src: "docs/a.md", dst: "README.md" }, "README.md"],
    key: "archives.files[1]",
    value: "README.md",
    message:
      'slipway:archives.files[1] = "README.md": puts a file at "README.md", which "README.md/a.md" needs as its directory; fix: give one of them a different dst',
  },
  {
    name: "an absolute pattern",
    patterns: ["/etc/passwd"],
    key: "archives.files[0]",
    value: "/etc/passwd",
    message:
      'slipway:archives.files[0] = "/etc/passwd": the pattern is absolute; fix: write it relative to the module root, e.g. "docs/*.md"',
  },
  {
    name: "a leading ..",
    patterns: ["LICENSE", "../secrets/*"],
    key: "archives.files[1]",
    value: "../secrets/*",
    message: 'slipway:archives.files[1] = "../secrets/*": the pattern reaches outside with ".."; fix: name only files inside the module',
  },
  {
    name: "a .. in the middle",
    patterns: ["docs/../../x"],
    key: "archives.files[0]",
    value: "docs/../../x",
    message: 'slipway:archives.files[0] = "docs/../../x": the pattern reaches outside with ".."; fix: name only files inside the module',
  },
  {
    name: "a .. inside braces",
    patterns: ["{..,docs}/a.md"],
    key: "archives.files[0]",
    value: "{..,docs}/a.md",
    message: 'slipway:archives.files[0] = "{..,docs}/a.md": the pattern reaches outside with ".."; fix: name only files inside the module',
  },
  {
    name: "an absolute dst",
    patterns: [{ src: "LICENSE", dst: "/usr/share" }],
    key: "archives.files[0].dst",
    value: "/usr/share",
    message:
      'slipway:archives.files[0].dst = "/usr/share": the destination is absolute; fix: write it relative to the module root, e.g. "docs/*.md"',
  },
  {
    name: "a dst with ..",
    patterns: [{ src: "LICENSE", dst: "a/../.." }],
    key: "archives.files[0].dst",
    value: "a/../..",
    message: 'slipway:archives.files[0].dst = "a/../..": the destination reaches outside with ".."; fix: name only files inside the module',
  },
  {
    name: "an unclosed [",
    patterns: ["docs/[ab.md"],
    key: "archives.files[0]",
    value: "docs/[ab.md",
    message:
      'slipway:archives.files[0] = "docs/[ab.md": is not a valid glob ("[" at position 6 is not closed); fix: fix the glob: * ? ** [a-z] {a,b}, \\ escapes',
  },
  {
    name: "an unclosed {",
    patterns: ["docs/{a,b.md"],
    key: "archives.files[0]",
    value: "docs/{a,b.md",
    message:
      'slipway:archives.files[0] = "docs/{a,b.md": is not a valid glob ("{" at position 6 is not closed); fix: fix the glob: * ? ** [a-z] {a,b}, \\ escapes',
  },
  {
    name: "an empty pattern",
    patterns: ["LICENSE", ""],
    key: "archives.files[1]",
    value: "",
    message: 'slipway:archives.files[1] = "": is empty; fix: write a glob relative to the module root, or remove the entry',
  },
];

const GLOB_FIX = "fix: fix the glob: * ? ** [a-z] {a,b}, \\ escapes";
const MORE_ERROR_ROWS: readonly ErrorRow[] = [
  {
    name: "a / inside [...]",
    patterns: ["docs[/]a.md"],
    key: "archives.files[0]",
    value: "docs[/]a.md",
    message: `slipway:archives.files[0] = "docs[/]a.md": is not a valid glob ("/" inside [...] at position 6); ${GLOB_FIX}`,
  },
  {
    name: "a reversed range",
    patterns: ["man/hello.[8-1]"],
    key: "archives.files[0]",
    value: "man/hello.[8-1]",
    message: `slipway:archives.files[0] = "man/hello.[8-1]": is not a valid glob (range [8-1] is reversed); ${GLOB_FIX}`,
  },
  {
    name: "an unclosed range",
    patterns: ["man/hello.[1-"],
    key: "archives.files[0]",
    value: "man/hello.[1-",
    message: `slipway:archives.files[0] = "man/hello.[1-": is not a valid glob ("[" at position 11 is not closed); ${GLOB_FIX}`,
  },
  {
    name: "a lone \\ at the end",
    patterns: ["LICENSE\\"],
    key: "archives.files[0]",
    value: "LICENSE\\",
    message: `slipway:archives.files[0] = "LICENSE\\\\": is not a valid glob (ends with a lone \\); ${GLOB_FIX}`,
  },
  {
    name: "a pattern that is neither a glob nor {src, dst}",
    patterns: ["LICENSE", 42 as unknown as string],
    key: "archives.files[1]",
    value: 42,
    message:
      'slipway:archives.files[1] = 42: is neither a glob nor {src, dst}; fix: write a glob such as "docs/*.md" or {src: "docs/*.md", dst: "docs"}',
  },
  {
    name: "a null pattern",
    patterns: [null as unknown as string],
    key: "archives.files[0]",
    value: null,
    message:
      'slipway:archives.files[0] = null: is neither a glob nor {src, dst}; fix: write a glob such as "docs/*.md" or {src: "docs/*.md", dst: "docs"}',
  },
  {
    name: "a blank pattern",
    patterns: ["  "],
    key: "archives.files[0]",
    value: "  ",
    message: 'slipway:archives.files[0] = "  ": is empty; fix: write a glob relative to the module root, or remove the entry',
  },
  {
    name: "a dst that is not a string",
    patterns: [{ src: "LICENSE", dst: 5 as unknown as string }],
    key: "archives.files[0].dst",
    value: 5,
    message: 'slipway:archives.files[0].dst = 5: is not a string; fix: give a directory inside the archive, e.g. "docs"',
  },
  {
    name: "a trailing ..",
    patterns: ["docs/.."],
    key: "archives.files[0]",
    value: "docs/..",
    message: 'slipway:archives.files[0] = "docs/..": the pattern reaches outside with ".."; fix: name only files inside the module',
  },
  {
    name: "a Windows drive path",
    patterns: ["C:/Windows/x"],
    key: "archives.files[0]",
    value: "C:/Windows/x",
    message:
      'slipway:archives.files[0] = "C:/Windows/x": the pattern is absolute; fix: write it relative to the module root, e.g. "docs/*.md"',
  },
  {
    name: "a Windows drive path with a backslash",
    patterns: ["c:\\x"],
    key: "archives.files[0]",
    value: "c:\\x",
    message: 'slipway:archives.files[0] = "c:\\\\x": the pattern is absolute; fix: write it relative to the module root, e.g. "docs/*.md"',
  },
  {
    name: "a drive-like segment inside a relative path is only a name",
    patterns: ["docs/C:/x"],
    key: "archives.files[0]",
    value: "docs/C:/x",
    message: `slipway:archives.files[0] = "docs/C:/x": matches no file in the module; ${NO_MATCH_FIX}`,
  },
  {
    name: "a ./ inside the path is not skipped",
    patterns: ["docs/./a.md"],
    key: "archives.files[0]",
    value: "docs/./a.md",
    message: `slipway:archives.files[0] = "docs/./a.md": matches no file in the module; ${NO_MATCH_FIX}`,
  },
  {
    name: "a clash is blamed on the first pattern that put the file there",
    patterns: [{ src: "docs/a.md", dst: "README.md" }, "README.md", "*.md"],
    key: "archives.files[1]",
    value: "README.md",
    message:
      'slipway:archives.files[1] = "README.md": puts a file at "README.md", which "README.md/a.md" needs as its directory; fix: give one of them a different dst',
  },
];

describe("matchExtraFiles refuses", () => {
  for (const row of [...ERROR_ROWS, ...MORE_ERROR_ROWS]) {
    it(row.name, () => {
      assert.throws(
        () => matchExtraFiles(row.patterns, FILES),
        (error: unknown) => {
          assert.ok(error instanceof SlipwayInputError, `expected SlipwayInputError, got ${String(error)}`);
          assert.equal(error.key, row.key);
          assert.deepEqual(error.value, row.value);
          assert.equal(error.message, row.message);
          return true;
        },
      );
    });
  }

  it("an unmatched default is fine only with allowUnmatched", () => {
    assert.deepEqual(matchExtraFiles(["CHANGELOG*"], ["LICENSE"], { caseInsensitive: true, allowUnmatched: true }), []);
    assert.throws(() => matchExtraFiles(["CHANGELOG*"], ["LICENSE"], { caseInsensitive: true }), /matches no file in the module/);
  });
});

describe("globToRegExp", () => {
  const cases: readonly [string, string, boolean][] = [
    ["a*", "a/b", false],
    ["a?c", "a/c", false],
    ["[!x]", "/", false],
    ["[!x]", "!", true],
    ["[^x]", "x", false],
    ["[]a]", "]", true],
    ["[a-c]", "-", false],
    ["**", "a/b/c", true],
    ["a/**/b", "a/b", true],
    ["a/**/b", "ab", false],
    ["a**b", "a/b", false],
    ["x.y", "xzy", false],
    ["a+b", "a+b", true],
    ["(a|b)", "(a|b)", true],
    ["[a-a]", "a", true],
    ["[a-]", "-", true],
    ["[a-]", "b", false],
    ["[]-a]", "_", true],
    ["[A-^]", "Z", true],
    ["[A-^]", "-", false],
    ["a**", "a/b", false],
    ["a**", "abc", true],
    ["**b", "a/b", false],
    ["LICENSE", "license", false],
    ["a,b", "a,b", true],
    ["a}b", "a}b", true],
    ["?", "\u{1F600}", true],
    ["{a,b}", "c", false],
  ];
  for (const [glob, path, expected] of cases) {
    it(`${glob} ${expected ? "matches" : "does not match"} ${path}`, () => {
      assert.equal(globToRegExp(glob).test(path), expected);
    });
  }

  const sources: readonly [string, string][] = [
    ["{a,b}", "^(?:a|b)$"],
    ["docs/**/*.md", "^docs\\/(?:[^/]+\\/)*[^/]*\\.md$"],
    ["[!a-c]", "^[^/a-c]$"],
  ];
  for (const [glob, source] of sources) {
    it(`${glob} compiles to ${source}, case-sensitive unless asked`, () => {
      assert.equal(globToRegExp(glob).source, source);
      assert.equal(globToRegExp(glob).flags, "u");
      assert.equal(globToRegExp(glob, true).flags, "iu");
    });
  }
});
