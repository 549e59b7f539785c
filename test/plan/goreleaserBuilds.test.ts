import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { migrateGoreleaser } from "../../plan/goreleaser";
import { MappedBuild, defaultBuild, goFileDir, mapBuild, splitLdflags } from "../../plan/goreleaserBuilds";
import { Source } from "../../plan/goreleaserSource";

/** What the rules recorded: `<line> <key> → <to> (<note>)` per mapped key, `<line> <key>: <note>` per unmapped key. */
interface Result {
  readonly builds: (MappedBuild | undefined)[];
  readonly mapped: string[];
  readonly unmapped: string[];
}

/** Maps every `builds[]` entry (GoReleaser's default build when there is none) of a project named hammer. */
function builds(yaml: string, v2 = true): Result {
  const src = Source.parse(yaml);
  const field = src.fields(src.root(), "").find((entry) => entry.key === "builds");
  const context = { projectName: "hammer", moduleName: "github.com/acme/tool", v2, droppedSeen: new Set<string>() };
  const out =
    field === undefined ? [defaultBuild(src, context)] : src.items(field.node, field.path).map((item) => mapBuild(src, item, context));
  return {
    builds: out,
    mapped: src.mapped.map((e) => `${e.line} ${e.key} → ${e.to}${e.note === undefined ? "" : ` (${e.note})`}`),
    unmapped: src.unmapped.map((e) => `${e.line} ${e.key}: ${e.note}`),
  };
}

/** One linux/amd64 build at line 2; a row's keys start at line 4. */
const BASE = "builds:\n  - goos: [linux]\n    goarch: [amd64]\n";
const PLATFORMS = ["2 builds[0].goos → builds[0].platforms", "3 builds[0].goarch → builds[0].platforms"];
const NO_LDFLAGS =
  "2 builds[0].ldflags → builds[0].ldflags (absent: slipway's default ldflags are GoReleaser's without -X main.builtBy=goreleaser)";
const HAMMER = { id: "hammer", main: ".", binary: "hammer" };
const LINUX = ["linux/amd64"];
const PLACEHOLDERS = "has no slipway placeholder ({{version}}, {{tag}}, {{commit}}, {{shortCommit}}, {{date}}, {{timestamp}}, {{name}})";

interface Row {
  readonly name: string;
  /** Keys of the one build, each line indented by four spaces, appended to BASE. */
  readonly keys: string;
  readonly build: Record<string, unknown> | undefined;
  /** Mapped entries of the row's own keys (besides goos, goarch and absent ldflags). */
  readonly mapped: string[];
  readonly unmapped: string[];
  /** ldflags is set (no "absent" entry). */
  readonly ldflags?: boolean;
}

const ROWS: Row[] = [
  {
    name: "id, main (a package) and binary are carried over",
    keys: "id: cli\nmain: ./cmd/tool\nbinary: tool\n",
    build: { id: "cli", main: "./cmd/tool", binary: "tool" },
    mapped: ["4 builds[0].id → builds[0].id", "5 builds[0].main → builds[0].main", "6 builds[0].binary → builds[0].binary"],
    unmapped: [],
  },
  {
    name: "main naming a .go file → its package directory, with a note",
    keys: "main: ./cmd/tool/main.go\n",
    build: { ...HAMMER, main: "./cmd/tool" },
    mapped: ["4 builds[0].main → builds[0].main (./cmd/tool/main.go is a file; slipway builds its package ./cmd/tool)"],
    unmapped: [],
  },
  {
    name: "main.go → the module root",
    keys: "main: main.go\n",
    build: HAMMER,
    mapped: ["4 builds[0].main → builds[0].main (main.go is a file; slipway builds its package .)"],
    unmapped: [],
  },
  {
    name: "binary with {{ .ProjectName }} → the project name",
    keys: "binary: '{{ .ProjectName }}-cli'\n",
    build: { ...HAMMER, binary: "hammer-cli" },
    mapped: ["4 builds[0].binary → builds[0].binary"],
    unmapped: [],
  },
  {
    name: "binary with another template is unmapped; the project name is used",
    keys: "binary: '{{ .Os }}-tool'\n",
    build: HAMMER,
    mapped: [],
    unmapped: ["4 builds[0].binary: template {{ .Os }} in the binary name has no slipway equivalent"],
  },
  {
    name: "ldflags are translated and split",
    keys: "ldflags: -s -w -X main.version={{ .Version }}\n",
    build: { ...HAMMER, ldflags: ["-s", "-w", "-X main.version={{version}}"] },
    mapped: ["4 builds[0].ldflags → builds[0].ldflags"],
    unmapped: [],
    ldflags: true,
  },
  {
    name: "empty ldflags → no ldflags",
    keys: "ldflags: ''\n",
    build: { ...HAMMER, ldflags: [] },
    mapped: ["4 builds[0].ldflags → builds[0].ldflags"],
    unmapped: [],
    ldflags: true,
  },
  {
    name: "untranslatable ldflags are unmapped, not reported as absent",
    keys: "ldflags: ['-s', '-X main.user={{ .Env.USER }}']\n",
    build: HAMMER,
    mapped: [],
    unmapped: [`4 builds[0].ldflags: template {{ .Env.USER }} ${PLACEHOLDERS}`],
    ldflags: true,
  },
  {
    name: "tags: split on commas and spaces, empty pieces and repeats dropped",
    keys: "tags: ['netgo,osusergo,', 'netgo timetzdata']\n",
    build: { ...HAMMER, tags: ["netgo", "osusergo", "timetzdata"] },
    mapped: ["4 builds[0].tags → builds[0].tags"],
    unmapped: [],
  },
  {
    name: "flags: -trimpath is what slipway passes (spaces around it ignored)",
    keys: "flags: [-trimpath, ' -trimpath ']\n",
    build: HAMMER,
    mapped: [
      "4 builds[0].flags[0] → (always) (slipway always passes -trimpath)",
      "4 builds[0].flags[1] → (always) (slipway always passes -trimpath)",
    ],
    unmapped: [],
  },
  {
    name: "flags: -tags in any spelling folds into tags, quotes and empty pieces dropped",
    keys: "flags:\n  - -tags=netgo,\n  - -tags 'osusergo sqlite'\n  - --tags=\"timetzdata\"\n",
    build: { ...HAMMER, tags: ["netgo", "osusergo", "sqlite", "timetzdata"] },
    mapped: ["5 builds[0].flags[0] → builds[0].tags", "6 builds[0].flags[1] → builds[0].tags", "7 builds[0].flags[2] → builds[0].tags"],
    unmapped: [],
  },
  {
    name: "flags slipway owns are unmapped, in every spelling",
    keys: "flags: [-mod, --mod=vendor, -mod vendor, -modfile=alt.mod, -o=bin/tool, -ldflags=-s, -buildvcs=false, -pgo=auto]\n",
    build: HAMMER,
    mapped: [],
    unmapped: ["-mod", "-mod", "-mod", "-modfile", "-o", "-ldflags", "-buildvcs", "-pgo"].map(
      (flag, i) => `4 builds[0].flags[${i}]: slipway owns ${flag}`,
    ),
  },
  {
    name: "other flags are carried over, translated; an untranslatable one is unmapped",
    keys: "flags: [-v, '-gcflags=all=-N -l', '-gcflags=all={{ .Env.GC }}', '-X={{ .ProjectName }}']\n",
    build: { ...HAMMER, flags: ["-v", "-gcflags=all=-N -l", "-X={{name}}"] },
    mapped: ["4 builds[0].flags[0] → builds[0].flags", "4 builds[0].flags[1] → builds[0].flags", "4 builds[0].flags[3] → builds[0].flags"],
    unmapped: [`4 builds[0].flags[2]: template {{ .Env.GC }} ${PLACEHOLDERS}`],
  },
  {
    name: "env: CGO_ENABLED=0 kept, cgo and slipway's own variables unmapped, templates translated",
    keys: "env:\n  - CGO_ENABLED=0\n  - CGO_ENABLED=1\n  - GOFLAGS=-mod=mod\n  - GOOS=linux\n  - GOEXPERIMENT=loopvar\n  - V={{ .Version }}\n  - U={{ .Env.USER }}\n",
    build: { ...HAMMER, env: ["CGO_ENABLED=0", "GOEXPERIMENT=loopvar", "V={{version}}"] },
    mapped: ["5 builds[0].env[0] → builds[0].env", "9 builds[0].env[4] → builds[0].env", "10 builds[0].env[5] → builds[0].env"],
    unmapped: [
      "6 builds[0].env[1]: slipway builds with cgo off",
      "7 builds[0].env[2]: slipway sets GOFLAGS itself",
      "8 builds[0].env[3]: slipway sets GOOS itself",
      `11 builds[0].env[6]: template {{ .Env.USER }} ${PLACEHOLDERS}`,
    ],
  },
  {
    name: "skip false → the build is kept",
    keys: "skip: false\n",
    build: HAMMER,
    mapped: ["4 builds[0].skip → (omitted)"],
    unmapped: [],
  },
  {
    name: "skip 'false' as a string → the build is kept",
    keys: "skip: 'false'\n",
    build: HAMMER,
    mapped: ["4 builds[0].skip → (omitted)"],
    unmapped: [],
  },
  {
    name: "skip 'true' as a string → the build is omitted",
    keys: "skip: 'true'\n",
    build: undefined,
    mapped: [],
    unmapped: ["4 builds[0].skip: build skipped by GoReleaser; slipway omits it"],
  },
  {
    name: "skip as a template is unmapped; the build is kept",
    keys: "skip: '{{ .Env.SKIP }}'\n",
    build: HAMMER,
    mapped: [],
    unmapped: ["4 builds[0].skip: skip template {{ .Env.SKIP }} has no slipway equivalent"],
  },
  {
    name: "mod_timestamp and builder go are what slipway does",
    keys: "mod_timestamp: '{{ .CommitTimestamp }}'\nbuilder: go\n",
    build: HAMMER,
    mapped: [
      "4 builds[0].mod_timestamp → (always) (slipway always sets file times to the commit time)",
      "5 builds[0].builder → (always) (slipway builds with go)",
    ],
    unmapped: [],
  },
  {
    name: "another builder is unmapped",
    keys: "builder: rust\n",
    build: HAMMER,
    mapped: [],
    unmapped: ["4 builds[0].builder: slipway builds Go only"],
  },
  {
    name: "dir naming the module root is what slipway does",
    keys: "dir: .\n",
    build: HAMMER,
    mapped: ["4 builds[0].dir → (always) (slipway builds from slipway:module)"],
    unmapped: [],
  },
  {
    name: "dir ./ is the module root",
    keys: "dir: ./\n",
    build: HAMMER,
    mapped: ["4 builds[0].dir → (always) (slipway builds from slipway:module)"],
    unmapped: [],
  },
  {
    name: "an empty dir is the module root",
    keys: "dir: ''\n",
    build: HAMMER,
    mapped: ["4 builds[0].dir → (always) (slipway builds from slipway:module)"],
    unmapped: [],
  },
  {
    name: "another dir is unmapped",
    keys: "dir: cmd/tool\n",
    build: HAMMER,
    mapped: [],
    unmapped: [
      "4 builds[0].dir: slipway builds from slipway:module; set slipway:module to cmd/tool if it has its own go.mod, else prefix main with it",
    ],
  },
  {
    name: "ignore rules with slipway's variant are kept; other variants and keys never match",
    keys: "ignore:\n  - goos: windows\n    goamd64: v1\n  - goos: windows\n    goamd64: v3\n  - goos: windows\n    gofoo: x\n",
    build: HAMMER,
    mapped: ["4 builds[0].ignore → builds[0].platforms"],
    unmapped: [
      "8 builds[0].ignore[1].goamd64: slipway builds v1 only; this ignore rule never matches",
      "10 builds[0].ignore[2].gofoo: slipway builds Go's default only; this ignore rule never matches",
    ],
  },
  {
    name: "a variant key with Go's default is what slipway builds",
    keys: "goamd64: [v1]\n",
    build: HAMMER,
    mapped: ["4 builds[0].goamd64 → (always) (slipway builds v1)"],
    unmapped: [],
  },
  {
    name: "a variant key listing another variant besides Go's default is unmapped",
    keys: "goamd64: [v1, v3]\n",
    build: HAMMER,
    mapped: [],
    unmapped: ["4 builds[0].goamd64: slipway builds amd64 v1 only (Go's default)"],
  },
];

describe("mapBuild: one builds[] entry → a slipway build", () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const yaml = BASE + row.keys.replace(/^/gm, "    ");
      const mapped = [...PLATFORMS, ...row.mapped, ...(row.ldflags === true || row.build === undefined ? [] : [NO_LDFLAGS])];
      assert.deepEqual(builds(yaml), {
        builds: [row.build === undefined ? undefined : { build: row.build, platforms: LINUX }],
        mapped,
        unmapped: row.unmapped,
      });
    });
  }

  it("an ignore rule for a variant slipway does not build drops nothing", () =>
    assert.deepEqual(
      builds(`${BASE}    ignore:\n      - goos: linux\n        goamd64: v3\n`).builds.map((build) => build?.platforms),
      [LINUX],
    ));
});

describe("variant keys: slipway builds Go's default of each", () => {
  const rows: [string, string, string][] = [
    ["goamd64", "v1", "amd64"],
    ["gomips", "hardfloat", "mips"],
    ["goarm64", "v8.0", "arm64"],
    ["go386", "sse2", "386"],
    ["goppc64", "power8", "ppc64"],
    ["goriscv64", "rva20u64", "riscv64"],
  ];
  for (const [key, wanted, arch] of rows) {
    it(`${key}: ${wanted} mapped, another value unmapped`, () => {
      const m = builds(`${BASE}    ${key}: ${wanted}\n  - goos: [linux]\n    goarch: [amd64]\n    ${key}: other\n`);
      assert.deepEqual(
        [m.mapped.filter((entry) => entry.includes(key)), m.unmapped],
        [
          [`4 builds[0].${key} → (always) (slipway builds ${wanted})`],
          [`7 builds[1].${key}: slipway builds ${arch} ${wanted} only (Go's default)`],
        ],
      );
    });
  }
});

describe("build keys slipway has no counterpart for, each with its reason", () => {
  const rows: [string, string][] = [
    ["hooks", "slipway runs no build hooks; run generators before tagging and commit their output"],
    ["gobinary", "slipway builds with its pinned Go toolchain"],
    ["tool", "slipway builds with its pinned Go toolchain"],
    ["overrides", "slipway has no per-platform build overrides; split into builds with their own platforms"],
    ["no_unique_dist_dir", "slipway lays out its build directory itself (slipway:buildDir)"],
    ["no_main_check", "slipway always builds a main package"],
    ["command", "slipway always runs go build"],
    ["buildmode", "slipway builds default executables"],
    ["frobnicate", "unknown GoReleaser build key; not mapped"],
  ];
  for (const [key, note] of rows) {
    it(`builds[].${key}`, () => assert.deepEqual(builds(`${BASE}    ${key}: x\n`).unmapped, [`4 builds[0].${key}: ${note}`]));
  }
});

/** GoReleaser v2's default goos × goarch, darwin/386 dropped. */
const V2_DEFAULT_MATRIX = [
  "darwin/amd64",
  "darwin/arm64",
  "linux/386",
  "linux/amd64",
  "linux/arm64",
  "windows/386",
  "windows/amd64",
  "windows/arm64",
];

describe("platforms: goos × goarch × goarm or targets, GoReleaser's defaults noted", () => {
  it("v2 defaults are noted on the build's line; darwin/386 dropped there", () =>
    assert.deepEqual(builds("builds:\n  - id: a\n"), {
      builds: [
        {
          build: { ...HAMMER, id: "a" },
          platforms: V2_DEFAULT_MATRIX,
        },
      ],
      mapped: [
        "2 builds[0].id → builds[0].id",
        "2 builds[0].goos → builds[0].platforms (absent: GoReleaser v2 default darwin, linux, windows)",
        "2 builds[0].goarch → builds[0].platforms (absent: GoReleaser v2 default 386, amd64, arm64)",
        NO_LDFLAGS,
      ],
      unmapped: ["2 builds[0].goarch: darwin/386 is not a Go 1.26 platform; dropped"],
    }));

  it("v1 defaults are noted as assumed", () =>
    assert.deepEqual(builds("builds:\n  - goarch: [amd64]\n", false).mapped, [
      "2 builds[0].goarch → builds[0].platforms",
      "2 builds[0].goos → builds[0].platforms (absent: GoReleaser v1 (assumed; check the GoReleaser release you used) default darwin, linux, windows)",
      NO_LDFLAGS,
    ]));

  it("goarch arm without goarm: GoReleaser's default goarm 6 is noted", () =>
    assert.deepEqual(builds("builds:\n  - goos: [linux]\n    goarch: [arm]\n"), {
      builds: [{ build: HAMMER, platforms: ["linux/arm/v6"] }],
      mapped: [...PLATFORMS, "2 builds[0].goarm → builds[0].platforms (absent: GoReleaser v2 default 6)", NO_LDFLAGS],
      unmapped: [],
    }));

  it("goarm and targets land in platforms", () =>
    assert.deepEqual(builds("builds:\n  - goos: [linux]\n    goarch: [arm]\n    goarm: [7]\n  - targets: [linux_arm64]\n"), {
      builds: [
        { build: HAMMER, platforms: ["linux/arm/v7"] },
        { build: HAMMER, platforms: ["linux/arm64"] },
      ],
      mapped: [
        ...PLATFORMS,
        "4 builds[0].goarm → builds[0].platforms",
        NO_LDFLAGS,
        "5 builds[1].targets → builds[1].platforms",
        "5 builds[1].ldflags → builds[1].ldflags (absent: slipway's default ldflags are GoReleaser's without -X main.builtBy=goreleaser)",
      ],
      unmapped: [],
    }));

  it("a dropped pair is reported at the goarch line when goarch is set", () =>
    assert.deepEqual(builds("builds:\n  - goos: [darwin]\n    goarch: [386, amd64]\n").unmapped, [
      "3 builds[0].goarch: darwin/386 is not a Go 1.26 platform; dropped",
    ]));

  it("a dropped pair is reported at the goos line when only goos is set", () =>
    assert.deepEqual(builds("builds:\n  - id: a\n    goos: [darwin]\n").unmapped, [
      "3 builds[0].goos: darwin/386 is not a Go 1.26 platform; dropped",
    ]));

  it("a pair that is no Go platform is mapped as omitted: GoReleaser skips it too", () =>
    assert.deepEqual(builds("builds:\n  - goos: [linux]\n    goarch: [amd64, sparc]\n"), {
      builds: [{ build: HAMMER, platforms: LINUX }],
      mapped: [...PLATFORMS, "3 builds[0].goarch → (omitted) (linux/sparc is not a Go platform; GoReleaser skips it too)", NO_LDFLAGS],
      unmapped: [],
    }));
});

describe("which build a key lands in", () => {
  it("the eleventh build's keys land in builds[10]", () => {
    const yaml = `builds:\n${Array.from({ length: 11 }, (_, i) => `  - id: b${i}\n    goos: [linux]\n    goarch: [amd64]\n    ldflags: []\n`).join("")}`;
    const ids = builds(yaml).mapped.filter((entry) => entry.includes(".id "));
    assert.deepEqual(ids.slice(9), ["38 builds[9].id → builds[9].id", "42 builds[10].id → builds[10].id"]);
  });

  it("GoReleaser's default build is builds[0], at line 1", () =>
    assert.deepEqual(builds("project_name: hammer\n"), {
      builds: [
        {
          build: HAMMER,
          platforms: V2_DEFAULT_MATRIX,
        },
      ],
      mapped: [
        "1 builds[0].goos → builds[0].platforms (absent: GoReleaser v2 default darwin, linux, windows)",
        "1 builds[0].goarch → builds[0].platforms (absent: GoReleaser v2 default 386, amd64, arm64)",
        "1 builds[0].ldflags → builds[0].ldflags (absent: slipway's default ldflags are GoReleaser's without -X main.builtBy=goreleaser)",
      ],
      unmapped: ["1 builds[0].goarch: darwin/386 is not a Go 1.26 platform; dropped"],
    }));

  it("the pre-v1 build: map lands in builds[0]", () => {
    const m = migrateGoreleaser("build:\n  main: ./cmd/tool\n  binary: t\n  goos: [linux]\n  goarch: [amd64]\n", {
      moduleName: "github.com/acme/tool",
      defaultName: "tool",
    });
    assert.deepEqual(
      m.mapped.filter((e) => e.key.startsWith("build")).map((e) => `${e.line} ${e.key} → ${e.to}`),
      [
        "1 build → builds",
        "2 build.ldflags → builds[0].ldflags",
        "2 build.main → builds[0].main",
        "3 build.binary → builds[0].binary",
        "4 build.goos → builds[0].platforms",
        "5 build.goarch → builds[0].platforms",
      ],
    );
  });
});

describe("splitLdflags: one ldflags string → list entries, -X and -extldflags pairs kept together", () => {
  const rows: [string, string[]][] = [
    ["-s -w", ["-s", "-w"]],
    ["  -s   -w  ", ["-s", "-w"]],
    ["", []],
    ["-X main.version=1.0 -X main.commit=abc", ["-X main.version=1.0", "-X main.commit=abc"]],
    ['-X main.by="release page"', ['-X main.by="release page"']],
    ["-X main.by='release page'", ["-X main.by='release page'"]],
    ["-X 'main.by=release page'", ["-X 'main.by=release page'"]],
    ['-s -extldflags "-static -lm"', ["-s", '-extldflags "-static -lm"']],
    ["-extldflags -static", ["-extldflags -static"]],
    ["-s -X", ["-s", "-X"]],
  ];
  for (const [text, want] of rows) it(JSON.stringify(text), () => assert.deepEqual(splitLdflags(text), want));
});

describe("goFileDir: the package directory of a main .go file", () => {
  const rows: [string, string][] = [
    ["./cmd/foo/main.go", "./cmd/foo"],
    ["cmd/foo/main.go", "cmd/foo"],
    ["main.go", "."],
    ["./main.go", "."],
  ];
  for (const [path, want] of rows) it(`${path} → ${want}`, () => assert.equal(goFileDir(path), want));
});
