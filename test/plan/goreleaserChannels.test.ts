import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { migrateGoreleaser } from "../../plan/goreleaser";
import { mapChangelog, mapNfpms, mapTap } from "../../plan/goreleaserChannels";
import { Field, Source } from "../../plan/goreleaserSource";

/** What a rule recorded: `<line> <key> → <to> (<note>)` per mapped key, `<line> <key>: <note>` per unmapped key. */
interface Recorded {
  readonly mapped: string[];
  readonly unmapped: string[];
}

interface Result extends Recorded {
  readonly out: Record<string, unknown> | undefined;
}

function topLevel(src: Source, key: string): Field | undefined {
  return src.fields(src.root(), "").find((field) => field.key === key);
}

function run(yaml: string, rule: (src: Source) => Record<string, unknown> | undefined): Result {
  const src = Source.parse(yaml);
  const out = rule(src);
  return {
    out,
    mapped: src.mapped.map((e) => `${e.line} ${e.key} → ${e.to}${e.note === undefined ? "" : ` (${e.note})`}`),
    unmapped: src.unmapped.map((e) => `${e.line} ${e.key}: ${e.note}`),
  };
}

const nfpms = (yaml: string): Result => run(yaml, (src) => mapNfpms(src, topLevel(src, "nfpms")));
const brews = (yaml: string): Result => run(yaml, (src) => mapTap(src, topLevel(src, "brews"), "homebrew", false));
const casks = (yaml: string): Result => run(yaml, (src) => mapTap(src, topLevel(src, "homebrew_casks"), "homebrew", true));
const scoops = (yaml: string): Result => run(yaml, (src) => mapTap(src, topLevel(src, "scoops"), "scoop", false));
const changelog = (yaml: string): Result => run(yaml, (src) => mapChangelog(src, topLevel(src, "changelog")));

interface Row {
  readonly name: string;
  readonly got: () => Result;
  readonly want: Result;
}

const JANE = "Jane <j@example.com>";
const PACKAGE = `nfpms:\n  - maintainer: ${JANE}\n`;
const MAINTAINER_MAPPED = "2 nfpms[0].maintainer → packages.maintainer";
const NO_MAINTAINER = "packages need a maintainer written Name <e-mail>; nfpms not carried over (set slipway:packages by hand)";
const LITERAL_FILES = "slipway packages files of the module by literal src and dst (no templates, dirs, symlinks or globs)";
const SCRIPTS_ONLY = "slipway runs preinstall, postinstall, preremove and postremove scripts only";

const NFPM_ROWS: Row[] = [
  {
    name: "every literal key is carried over to packages",
    got: () =>
      nfpms(
        `${PACKAGE}    id: pkg\n    ids: [tool]\n    formats: [apk, archlinux, deb, rpm]\n    vendor: Acme\n    homepage: https://example.com\n` +
          "    description: A tool\n    license: MIT\n    bindir: /usr/local/bin\n    dependencies: [git, curl]\n",
      ),
    want: {
      out: {
        maintainer: JANE,
        formats: ["apk", "archlinux", "deb", "rpm"],
        vendor: "Acme",
        homepage: "https://example.com",
        description: "A tool",
        license: "MIT",
        bindir: "/usr/local/bin",
        dependencies: ["git", "curl"],
      },
      mapped: [
        MAINTAINER_MAPPED,
        "3 nfpms[0].id → (always) (slipway names packages itself)",
        "4 nfpms[0].ids → packages.build (the image's build is packaged; set packages.build to choose another)",
        "5 nfpms[0].formats → packages.formats",
        "6 nfpms[0].vendor → packages.vendor",
        "7 nfpms[0].homepage → packages.homepage",
        "8 nfpms[0].description → packages.description",
        "9 nfpms[0].license → packages.license",
        "10 nfpms[0].bindir → packages.bindir",
        "11 nfpms[0].dependencies → packages.dependencies",
      ],
      unmapped: [],
    },
  },
  {
    name: "formats slipway does not build are dropped, with a note",
    got: () => nfpms(`${PACKAGE}    formats: [deb, termux.deb, ipk]\n`),
    want: {
      out: { maintainer: JANE, formats: ["deb"] },
      mapped: [MAINTAINER_MAPPED, "3 nfpms[0].formats → packages.formats (only deb, rpm, apk and archlinux)"],
      unmapped: [],
    },
  },
  {
    name: "a template in a text key is unmapped",
    got: () => nfpms(`${PACKAGE}    homepage: 'https://{{ .ProjectName }}.dev'\n    foo: bar\n`),
    want: {
      out: { maintainer: JANE },
      mapped: [MAINTAINER_MAPPED],
      unmapped: [
        "3 nfpms[0].homepage: template https://{{ .ProjectName }}.dev: slipway needs a literal value",
        "4 nfpms[0].foo: no slipway counterpart; not mapped",
      ],
    },
  },
  {
    name: "no maintainer: nfpms is not carried over",
    got: () => nfpms("nfpms:\n  - vendor: Acme\n"),
    want: { out: undefined, mapped: ["2 nfpms[0].vendor → packages.vendor"], unmapped: [`2 nfpms[0]: ${NO_MAINTAINER}`] },
  },
  {
    name: "a maintainer without an e-mail: nfpms is not carried over",
    got: () => nfpms("nfpms:\n  - maintainer: Jane\n"),
    want: { out: undefined, mapped: ["2 nfpms[0].maintainer → packages.maintainer"], unmapped: [`2 nfpms[0]: ${NO_MAINTAINER}`] },
  },
  {
    name: "a templated maintainer: nfpms is not carried over",
    got: () => nfpms("nfpms:\n  - maintainer: '{{ .Env.MAINTAINER }}'\n"),
    want: {
      out: undefined,
      mapped: [],
      unmapped: ["2 nfpms[0].maintainer: template {{ .Env.MAINTAINER }}: slipway needs a literal value", `2 nfpms[0]: ${NO_MAINTAINER}`],
    },
  },
  {
    name: "an empty nfpms list → no packages",
    got: () => nfpms("nfpms: []\n"),
    want: { out: undefined, mapped: [], unmapped: [] },
  },
  {
    name: "a second package set is unmapped",
    got: () => nfpms(`${PACKAGE}  - maintainer: ${JANE}\n`),
    want: {
      out: { maintainer: JANE },
      mapped: [MAINTAINER_MAPPED],
      unmapped: ["3 nfpms[1]: slipway has one package set; only the first entry is carried over"],
    },
  },
  {
    name: "contents: literal files, config, config|noreplace and doc, a leading ./ dropped, mode kept",
    got: () =>
      nfpms(
        `${PACKAGE}    contents:\n      - src: ./LICENSE\n        dst: /usr/share/doc/tool/LICENSE\n` +
          "      - src: tool.conf\n        dst: /etc/tool.conf\n        type: config|noreplace\n        file_info: {mode: 0600}\n" +
          "      - {src: a.conf, dst: /etc/a.conf, type: config}\n      - {src: README, dst: /usr/share/doc/README, type: doc}\n" +
          "      - {src: ../NOTICE, dst: /usr/share/doc/NOTICE, type: }\n",
      ),
    want: {
      out: {
        maintainer: JANE,
        files: [
          { src: "LICENSE", dst: "/usr/share/doc/tool/LICENSE" },
          { src: "tool.conf", dst: "/etc/tool.conf", type: "config|noreplace", mode: "0600" },
          { src: "a.conf", dst: "/etc/a.conf", type: "config" },
          { src: "README", dst: "/usr/share/doc/README", type: "doc" },
          { src: "../NOTICE", dst: "/usr/share/doc/NOTICE" },
        ],
      },
      mapped: [
        MAINTAINER_MAPPED,
        "4 nfpms[0].contents[0] → packages.files[0]",
        "6 nfpms[0].contents[1] → packages.files[1]",
        "10 nfpms[0].contents[2] → packages.files[2]",
        "11 nfpms[0].contents[3] → packages.files[3]",
        "12 nfpms[0].contents[4] → packages.files[4]",
      ],
      unmapped: [],
    },
  },
  {
    name: "contents without src or dst, with templates, dirs or no entry at all are unmapped",
    got: () =>
      nfpms(
        `${PACKAGE}    contents:\n      - dst: /etc/x\n      - src: x\n      - {src: '{{ .Env.DIR }}/x', dst: /x}\n      - {src: x, dst: '/etc/{{ .ProjectName }}'}\n` +
          "      - {src: ./conf, dst: /etc/t, type: dir}\n      - {src: t, dst: /usr/bin/t, type: symlink}\n      - ~\n      - {src: t.1, dst: /usr/share/man/t.1}\n",
      ),
    want: {
      out: { maintainer: JANE, files: [{ src: "t.1", dst: "/usr/share/man/t.1" }] },
      mapped: [MAINTAINER_MAPPED, "11 nfpms[0].contents[7] → packages.files[0]"],
      unmapped: [4, 5, 6, 7, 8, 9, 10].map((line) => `${line} nfpms[0].contents[${line - 4}]: ${LITERAL_FILES}`),
    },
  },
  {
    name: "contents with no file slipway packages → no files",
    got: () => nfpms(`${PACKAGE}    contents:\n      - {src: ./conf, dst: /etc/t, type: dir}\n`),
    want: { out: { maintainer: JANE }, mapped: [MAINTAINER_MAPPED], unmapped: [`4 nfpms[0].contents[0]: ${LITERAL_FILES}`] },
  },
  {
    name: "scripts: the four install hooks, a leading ./ dropped; others and templates unmapped",
    got: () =>
      nfpms(
        `${PACKAGE}    scripts:\n      preinstall: ./scripts/pre.sh\n      postinstall: scripts/post.sh\n      preremove: ./scripts/prerm.sh\n` +
          "      postremove: ../postrm.sh\n      pretrans: scripts/pretrans.sh\n",
      ),
    want: {
      out: {
        maintainer: JANE,
        scripts: {
          preinstall: "scripts/pre.sh",
          postinstall: "scripts/post.sh",
          preremove: "scripts/prerm.sh",
          postremove: "../postrm.sh",
        },
      },
      mapped: [
        MAINTAINER_MAPPED,
        "4 nfpms[0].scripts.preinstall → packages.scripts.preinstall",
        "5 nfpms[0].scripts.postinstall → packages.scripts.postinstall",
        "6 nfpms[0].scripts.preremove → packages.scripts.preremove",
        "7 nfpms[0].scripts.postremove → packages.scripts.postremove",
      ],
      unmapped: [`8 nfpms[0].scripts.pretrans: ${SCRIPTS_ONLY}`],
    },
  },
  {
    name: "a templated script path is unmapped",
    got: () => nfpms(`${PACKAGE}    scripts:\n      postinstall: '{{ .Env.DIR }}/post.sh'\n`),
    want: {
      out: { maintainer: JANE, scripts: {} },
      mapped: [MAINTAINER_MAPPED],
      unmapped: [`4 nfpms[0].scripts.postinstall: ${SCRIPTS_ONLY}`],
    },
  },
];

describe("mapNfpms: nfpms → packages", () => {
  for (const row of NFPM_ROWS) it(row.name, () => assert.deepEqual(row.got(), row.want));
});

describe("nfpm file modes: the octal digits GoReleaser reads", () => {
  const mode = (written: string): unknown => {
    const out = nfpms(`${PACKAGE}    contents:\n      - {src: a, dst: /a, file_info: {mode: ${written}}}\n`).out as {
      files: { mode?: string }[];
    };
    return out.files[0]?.mode;
  };
  const rows: [string, string][] = [
    ["0644", "0644"],
    ["0755", "0755"],
    ["0600", "0600"],
    ["0o755", "0755"],
    ["0o600", "0600"],
    ["0o1760", "1760"],
  ];
  for (const [written, want] of rows) it(`${written} → ${want}`, () => assert.equal(mode(written), want));
  it("0o644 → 0644", () => assert.equal(mode("0o644"), "0644"));
});

const TAP_LITERAL = "slipway needs a literal owner and name";
const TOKEN = "the token is read from the secret setting tapToken";
const AUTHOR_LITERAL = "slipway needs a literal name and email";
const NOT_MAPPED = "no slipway counterpart; not mapped";
const ROOT = (key: string, kind: string): string =>
  `2 ${key}[0].directory → ${kind}.directory (absent: GoReleaser's default, the repository root)`;

const TAP_ROWS: Row[] = [
  {
    name: "brews: repository with branch, author and every text key → homebrew",
    got: () =>
      brews(
        "brews:\n  - repository:\n      owner: acme\n      name: homebrew-tap\n      branch: main\n    commit_author: {name: Bot, email: bot@example.com}\n" +
          "    description: Tool\n    homepage: https://example.com\n    license: MIT\n    directory: Formula\n    test: system bin/tool\n    goarm: 7\n",
      ),
    want: {
      out: {
        tokenSecret: "tapToken",
        repository: "acme/homebrew-tap",
        branch: "main",
        author: { name: "Bot", email: "bot@example.com" },
        description: "Tool",
        homepage: "https://example.com",
        license: "MIT",
        directory: "Formula",
        test: "system bin/tool",
      },
      mapped: [
        `2 brews[0].repository → homebrew.repository (${TOKEN})`,
        "6 brews[0].commit_author → homebrew.author",
        "7 brews[0].description → homebrew.description",
        "8 brews[0].homepage → homebrew.homepage",
        "9 brews[0].license → homebrew.license",
        "10 brews[0].directory → homebrew.directory",
        "11 brews[0].test → homebrew.test",
      ],
      unmapped: [`12 brews[0].goarm: ${NOT_MAPPED}`],
    },
  },
  {
    name: "brews: the v1 spellings tap and folder",
    got: () => brews("brews:\n  - tap: {owner: acme, name: homebrew-tap}\n    folder: Formula\n    description: '{{ .ProjectName }}'\n"),
    want: {
      out: { tokenSecret: "tapToken", repository: "acme/homebrew-tap", directory: "Formula" },
      mapped: [`2 brews[0].tap → homebrew.repository (${TOKEN})`, "3 brews[0].folder → homebrew.directory"],
      unmapped: ["4 brews[0].description: template {{ .ProjectName }}: slipway needs a literal value"],
    },
  },
  {
    name: "brews: a second tap is unmapped",
    got: () => brews("brews:\n  - tap: {owner: acme, name: homebrew-tap}\n  - tap: {owner: acme, name: other}\n"),
    want: {
      out: { tokenSecret: "tapToken", repository: "acme/homebrew-tap", directory: "" },
      mapped: [`2 brews[0].tap → homebrew.repository (${TOKEN})`, ROOT("brews", "homebrew")],
      unmapped: ["3 brews[1]: slipway has one Homebrew tap; only the first entry is carried over"],
    },
  },
  {
    name: "brews: an empty list → no homebrew",
    got: () => brews("brews: []\n"),
    want: { out: undefined, mapped: [], unmapped: [] },
  },
  {
    name: "homebrew_casks → a cask, without test",
    got: () => casks("homebrew_casks:\n  - repository: {owner: acme, name: homebrew-tap}\n    test: x\n"),
    want: {
      out: { tokenSecret: "tapToken", cask: true, repository: "acme/homebrew-tap" },
      mapped: [`2 homebrew_casks[0].repository → homebrew.repository (${TOKEN})`],
      unmapped: [`3 homebrew_casks[0].test: ${NOT_MAPPED}`],
    },
  },
  {
    name: "scoops: bucket → scoop; test is a Homebrew key; a second bucket is unmapped",
    got: () =>
      scoops(
        "scoops:\n  - bucket: {owner: acme, name: scoop-bucket}\n    license: MIT\n    commit_author: {name: Bot, email: bot@example.com}\n    test: x\n" +
          "  - bucket: {owner: acme, name: other}\n",
      ),
    want: {
      out: {
        tokenSecret: "tapToken",
        repository: "acme/scoop-bucket",
        license: "MIT",
        author: { name: "Bot", email: "bot@example.com" },
        directory: "",
      },
      mapped: [
        `2 scoops[0].bucket → scoop.repository (${TOKEN})`,
        "3 scoops[0].license → scoop.license",
        "4 scoops[0].commit_author → scoop.author",
        ROOT("scoops", "scoop"),
      ],
      unmapped: ["6 scoops[1]: slipway has one Scoop bucket; only the first entry is carried over", `5 scoops[0].test: ${NOT_MAPPED}`],
    },
  },
];

describe("mapTap: brews, homebrew_casks and scoops → homebrew and scoop", () => {
  for (const row of TAP_ROWS) it(row.name, () => assert.deepEqual(row.got(), row.want));
  it("no brews → no homebrew", () => assert.equal(mapTap(Source.parse("{}\n"), undefined, "homebrew", false), undefined));
});

describe("a tap repository needs a literal owner and name", () => {
  const rows: [string, string][] = [
    ["no owner", "{name: homebrew-tap}"],
    ["no name", "{owner: acme}"],
    ["an empty owner", "{owner: '', name: homebrew-tap}"],
    ["an empty name", "{owner: acme, name: ''}"],
    ["an owner that is not a string", "{owner: 42, name: homebrew-tap}"],
    ["a name that is not a string", "{owner: acme, name: [tap]}"],
    ["a templated owner", "{owner: '{{ .Env.OWNER }}', name: homebrew-tap}"],
    ["a templated name", "{owner: acme, name: 'homebrew-{{ .ProjectName }}'}"],
    ["no value at all", "~"],
  ];
  for (const [name, repository] of rows) {
    it(name, () =>
      assert.deepEqual(brews(`brews:\n  - repository: ${repository}\n`), {
        out: { tokenSecret: "tapToken", directory: "" },
        mapped: [ROOT("brews", "homebrew")],
        unmapped: [`2 brews[0].repository: ${TAP_LITERAL}`],
      }),
    );
  }
});

describe("a tap commit author needs a literal name and email", () => {
  const rows: [string, string][] = [
    ["no name", "{email: bot@example.com}"],
    ["no email", "{name: Bot}"],
    ["a templated name", "{name: '{{ .Env.USER }}', email: bot@example.com}"],
    ["a templated email", "{name: Bot, email: '{{ .Env.EMAIL }}'}"],
    ["no value at all", "~"],
  ];
  for (const [name, author] of rows) {
    it(name, () =>
      assert.deepEqual(brews(`brews:\n  - commit_author: ${author}\n`), {
        out: { tokenSecret: "tapToken", directory: "" },
        mapped: [ROOT("brews", "homebrew")],
        unmapped: [`2 brews[0].commit_author: ${AUTHOR_LITERAL}`],
      }),
    );
  }
});

const CHANGELOG_ROWS: Row[] = [
  {
    name: "filters include and exclude → releaseNotes; sort kept as git log order; the rest unmapped",
    got: () =>
      changelog(
        "changelog:\n  sort: asc\n  filters:\n    include: ['^feat', '^fix']\n    exclude: '^docs'\n    any: ['x']\n  groups:\n    - title: Features\n" +
          "  use: github\n  disable: true\n  abbrev: 7\n",
      ),
    want: {
      out: { include: ["^feat", "^fix"], exclude: ["^docs"] },
      mapped: [
        "2 changelog.sort → (always) (slipway keeps git log order (newest first) within each group)",
        "4 changelog.filters.include → releaseNotes.include",
        "5 changelog.filters.exclude → releaseNotes.exclude",
      ],
      unmapped: [
        "6 changelog.filters.any: slipway filters with include and exclude only",
        "7 changelog.groups: slipway groups by Conventional Commit type (breaking, feat, fix, perf, other)",
        "9 changelog.use: slipway reads commits from git; GitHub's API is not used",
        "10 changelog.disable: slipway always writes notes; remove releaseNotes to keep every commit",
        `11 changelog.abbrev: ${NOT_MAPPED}`,
      ],
    },
  },
  {
    name: "no filters → no release note settings",
    got: () => changelog("changelog:\n  sort: ''\n"),
    want: {
      out: {},
      mapped: ["2 changelog.sort → (always) (slipway keeps git log order (newest first) within each group)"],
      unmapped: [],
    },
  },
];

describe("mapChangelog: changelog → releaseNotes", () => {
  for (const row of CHANGELOG_ROWS) it(row.name, () => assert.deepEqual(row.got(), row.want));
  it("no changelog → undefined", () => assert.equal(mapChangelog(Source.parse("{}\n"), undefined), undefined));
  it("use: git is what slipway does", () => assert.deepEqual(changelog("changelog:\n  use: git\n").unmapped, []));
  it("disable: false is what slipway does", () => assert.deepEqual(changelog("changelog:\n  disable: false\n").unmapped, []));
});

describe("channels in a migration", () => {
  it("packages and release notes land in the settings, homebrew and scoop in the release stack's", () => {
    const m = migrateGoreleaser(
      `builds:\n  - goos: [linux]\n    goarch: [amd64]\n${PACKAGE}homebrew_casks:\n  - repository: {owner: acme, name: tap}\n` +
        "scoops:\n  - repository: {owner: acme, name: bucket}\nchangelog:\n  filters: {exclude: ['^chore']}\n",
      { moduleName: "github.com/acme/tool", defaultName: "tool" },
    );
    assert.deepEqual(
      [m.settings.packages, m.settings.releaseNotes, m.releaseSettings.homebrew, m.releaseSettings.scoop],
      [
        { maintainer: JANE },
        { exclude: ["^chore"] },
        { tokenSecret: "tapToken", cask: true, repository: "acme/tap" },
        { tokenSecret: "tapToken", repository: "acme/bucket", directory: "" },
      ],
    );
  });
});
