import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { SlipwayInputError } from "../../plan/errors";
import { assertGolden } from "../support/golden";
import { SETTINGS } from "../../plan/settings";
import { Migration, migrateGoreleaser } from "../../plan/goreleaser";
import { migrationExitCode, renderMigrationReport } from "../../plan/goreleaserReport";
import {
  DEFAULT_ARCHIVE_NAME,
  NameContext,
  buildFields,
  translateFields,
  translateImageTag,
  translateNameTemplate,
} from "../../plan/goreleaserTemplates";

const CONTEXT = { moduleName: "github.com/acme/tool", defaultName: "tool" };
const migrate = (yaml: string): Migration => migrateGoreleaser(yaml, CONTEXT);
const unmapped = (m: Migration): string[] => m.unmapped.map((entry) => `${entry.line} ${entry.key}: ${entry.note}`);
const build0 = (m: Migration): unknown => (m.settings.builds as unknown[])[0];

describe("build template translation", () => {
  const rows: [string, string][] = [
    ["-X main.version={{ .Version }}", "-X main.version={{version}}"],
    ["-X main.tag={{.Tag}}", "-X main.tag={{tag}}"],
    ["{{ .Commit }} {{ .FullCommit }}", "{{commit}} {{commit}}"],
    ["-X m.c={{.ShortCommit}}", "-X m.c={{shortCommit}}"],
    ["{{.Date}}/{{ .CommitDate }}", "{{date}}/{{date}}"],
    ["-X a= {{- .CommitTimestamp -}} !", "-X a={{timestamp}}!"],
    ["{{ .Timestamp }}", "{{timestamp}}"],
    ["-X main.name={{.ProjectName}}", "-X main.name={{name}}"],
    ["-X {{ .ModulePath }}/version.V={{ .Version }}", "-X github.com/acme/tool/version.V={{version}}"],
  ];
  for (const [template, want] of rows) {
    it(template, () => assert.deepEqual(translateFields(template, buildFields("github.com/acme/tool")), { ok: true, text: want }));
  }
  const failures: [string, string][] = [
    ["-X main.x={{ .Env.BUILD_USER }}", "{{ .Env.BUILD_USER }}"],
    ["{{ .Summary }}", "{{ .Summary }}"],
    ["{{.Branch}}", "{{.Branch}}"],
    ["{{ .Version | upper }}", "{{ .Version | upper }}"],
    ['{{ time "2006" }}', '{{ time "2006" }}'],
  ];
  for (const [template, bad] of failures) {
    it(`${template} is not translated`, () => assert.deepEqual(translateFields(template, buildFields("m")), { ok: false, template: bad }));
  }
});

describe("name template translation", () => {
  const context: NameContext = { oses: ["linux", "darwin"], hasMips: false, binary: false };
  const rows: [string, NameContext, unknown][] = [
    [
      DEFAULT_ARCHIVE_NAME,
      context,
      {
        text: "{{name}}_{{version}}_{{os}}_{{arch}}{{armv}}",
        os: undefined,
        arch: undefined,
        rawOs: true,
        rawArch: true,
        notes: [
          "{{ with .Mips }} dropped: it renders empty for slipway's platforms (no mips)",
          '{{ if not (eq .Amd64 "v1") }} dropped: it renders empty (slipway builds amd64 as v1)',
        ],
      },
    ],
    [
      "{{ .ProjectName }}-{{ .Tag }}-{{ .Os }}-{{ .Arch }}{{ if .Arm }}v{{ .Arm }}{{ end }}",
      context,
      { text: "{{name}}-{{tag}}-{{os}}-{{arch}}{{armv}}", os: undefined, arch: undefined, rawOs: true, rawArch: true, notes: [] },
    ],
    [
      "{{ .Os }}_{{ .Arch }}{{ with .Arm }}{{ . }}{{ end }}",
      context,
      { text: "{{os}}_{{arch}}{{arm}}", os: undefined, arch: undefined, rawOs: true, rawArch: true, notes: [] },
    ],
    [
      '{{ .ProjectName }}_\n{{- title .Os }}_\n{{- if eq .Arch "amd64" }}x86_64\n{{- else if eq .Arch "386" }}i386\n{{- else }}{{ .Arch }}{{ end }}',
      context,
      {
        text: "{{name}}_{{os}}_{{arch}}",
        os: { linux: "Linux", darwin: "Darwin" },
        arch: { amd64: "x86_64", "386": "i386" },
        rawOs: false,
        rawArch: false,
        notes: [],
      },
    ],
    [
      '{{ if eq .Os "darwin" }}macOS{{ else }}{{ .Os }}{{ end }}',
      context,
      { text: "{{os}}", os: { darwin: "macOS" }, arch: undefined, rawOs: false, rawArch: false, notes: [] },
    ],
    [
      "{{ .Binary }}_{{ .Os }}",
      { ...context, binary: true },
      { text: "{{binary}}_{{os}}", os: undefined, arch: undefined, rawOs: true, rawArch: false, notes: [] },
    ],
    [
      "{{ .Binary }}_{{ .Version }}",
      { ...context, archiveBinary: "{{name}}" },
      {
        text: "{{name}}_{{version}}",
        os: undefined,
        arch: undefined,
        rawOs: false,
        rawArch: false,
        notes: ["{{ .Binary }} is the one binary name, {{name}}"],
      },
    ],
    ["{{ .Arch }}{{ with .Mips }}_{{ . }}{{ end }}", { ...context, hasMips: true }, { template: "{{ with .Mips }}" }],
    ["{{ .Env.X }}_{{ .Os }}", context, { template: "{{ .Env.X }}" }],
    ["{{ .Binary }}", context, { template: "{{ .Binary }}" }],
    ["{{ title .Os }}-{{ .Os }}", context, { template: "{{ .Os }} beside a replaced os" }],
    ['{{ if eq .Arch "amd64" }}x86_64{{ end }}', context, { template: '{{ if eq .Arch "amd64" }}' }],
  ];
  for (const [template, ctx, want] of rows)
    it(JSON.stringify(template), () => assert.deepEqual(translateNameTemplate(template, ctx), want));
});

describe("image tag translation", () => {
  const rows: [string, unknown][] = [
    ["{{ .Tag }}", { ok: true, text: "v{{version}}" }],
    ["{{ .Version }}", { ok: true, text: "{{version}}" }],
    ["v{{ .Major }}", { ok: true, text: "v{{major}}" }],
    ["v{{ .Major }}.{{ .Minor }}", { ok: true, text: "v{{major}}.{{minor}}" }],
    ["latest", { ok: true, text: "latest" }],
    ["{{ .ShortCommit }}", { ok: true, text: "sha-{{sha}}" }],
    ["{{ .ShortCommit }}-debug", { ok: false, template: "{{ .ShortCommit }}" }],
    ["{{ .Env.CHANNEL }}", { ok: false, template: "{{ .Env.CHANNEL }}" }],
  ];
  for (const [template, want] of rows) it(template, () => assert.deepEqual(translateImageTag(template), want));
});

interface Row {
  readonly name: string;
  readonly yaml: string;
  readonly pick: (m: Migration) => unknown;
  readonly want: unknown;
}

const BUILD = "version: 2\nbuilds:\n  - id: tool\n    goos: [linux]\n    goarch: [amd64]\n";
const ROWS: Row[] = [
  { name: "project_name → name", yaml: "project_name: hammer\n", pick: (m) => m.settings.name, want: "hammer" },
  {
    name: "main .go file → its directory",
    yaml: `${BUILD}    main: ./cmd/tool/main.go\n`,
    pick: (m) => (build0(m) as { main: string }).main,
    want: "./cmd/tool",
  },
  {
    name: "binary with / → unmapped",
    yaml: `${BUILD}    binary: bin/tool\n`,
    pick: unmapped,
    want: ['6 builds[0].binary: binary bin/tool contains "/"; slipway binaries are plain file names'],
  },
  {
    name: "ldflags string: untranslatable template → that key unmapped, the build still maps",
    yaml: `${BUILD}    ldflags: -s -w -X main.v={{.Version}} -X main.b={{ .Branch }}\n    tags: [netgo]\n`,
    pick: (m) => [build0(m), unmapped(m)],
    want: [
      { id: "tool", main: ".", binary: "tool", tags: ["netgo"] },
      [
        "6 builds[0].ldflags: template {{ .Branch }} has no slipway placeholder ({{version}}, {{tag}}, {{commit}}, {{shortCommit}}, {{date}}, {{timestamp}}, {{name}})",
      ],
    ],
  },
  {
    name: "ldflags list, -X pairs kept together",
    yaml: `${BUILD}    ldflags:\n      - -s -w\n      - -X main.commit={{ .ShortCommit }} -X "main.by=release page"\n`,
    pick: (m) => (build0(m) as { ldflags: string[] }).ldflags,
    want: ["-s", "-w", "-X main.commit={{shortCommit}}", '-X "main.by=release page"'],
  },
  {
    name: "flags: -trimpath dropped, -tags folded, -mod refused",
    yaml: `${BUILD}    flags: [-trimpath, "-tags=netgo,osusergo", -v, -mod=vendor]\n    tags: [extra]\n`,
    pick: (m) => [build0(m), unmapped(m)],
    want: [
      { id: "tool", main: ".", binary: "tool", flags: ["-v"], tags: ["netgo", "osusergo", "extra"] },
      ["6 builds[0].flags[3]: slipway owns -mod"],
    ],
  },
  {
    name: "gcflags and asmflags → flags",
    yaml: `${BUILD}    gcflags: [all=-N -l]\n    asmflags: [all=-trimpath]\n`,
    pick: (m) => (build0(m) as { flags: string[] }).flags,
    want: ["-gcflags=all=-N -l", "-asmflags=all=-trimpath"],
  },
  {
    name: "env: CGO_ENABLED=1 unmapped, CGO_ENABLED=0 kept",
    yaml: `${BUILD}    env: [CGO_ENABLED=0, CGO_ENABLED=1, GOEXPERIMENT=loopvar]\n`,
    pick: (m) => [(build0(m) as { env: string[] }).env, unmapped(m)],
    want: [["CGO_ENABLED=0", "GOEXPERIMENT=loopvar"], ["6 builds[0].env[1]: slipway builds with cgo off"]],
  },
  {
    name: "goos × goarch × goarm minus ignore",
    yaml: "builds:\n  - goos: [linux, windows]\n    goarch: [amd64, arm]\n    goarm: [6, 7]\n    ignore:\n      - goos: windows\n        goarch: arm\n      - goarm: 6\n",
    pick: (m) => m.settings.platforms,
    want: ["linux/amd64", "linux/arm/v7", "windows/amd64"],
  },
  {
    name: "v2 defaults; darwin/386 dropped and noted once",
    yaml: "version: 2\nbuilds:\n  - id: a\n  - id: b\n",
    pick: (m) => [m.settings.platforms, unmapped(m)],
    want: [
      ["darwin/amd64", "darwin/arm64", "linux/386", "linux/amd64", "linux/arm64", "windows/386", "windows/amd64", "windows/arm64"],
      ["3 builds[0].goarch: darwin/386 is not a Go 1.26 platform; dropped"],
    ],
  },
  {
    name: "v1 defaults are noted as assumed",
    yaml: "builds:\n  - id: a\n    goos: [linux]\n",
    pick: (m) => m.mapped.filter((e) => e.key === "builds[0].goarch").map((e) => e.note),
    want: ["absent: GoReleaser v1 (assumed; check the GoReleaser release you used) default 386, amd64, arm64"],
  },
  {
    name: "android and windows/arm dropped as unmapped",
    yaml: "builds:\n  - goos: [android, windows]\n    goarch: [arm64, arm]\n",
    pick: (m) => [m.settings.platforms, unmapped(m).length],
    want: [["windows/arm64"], 3],
  },
  {
    name: "targets",
    yaml: "builds:\n  - targets: [linux_amd64_v1, linux_arm_7, darwin_arm64_v8.0, linux_amd64_v3]\n",
    pick: (m) => [m.settings.platforms, unmapped(m)],
    want: [
      ["linux/amd64", "linux/arm/v7", "darwin/arm64"],
      ["2 builds[0].targets: amd64 variant v3: slipway builds with Go's default (v1); dropped"],
    ],
  },
  {
    name: "skip: true → build omitted",
    yaml: `${BUILD}  - id: other\n    skip: true\n`,
    pick: (m) => [(m.settings.builds as unknown[]).length, unmapped(m)],
    want: [1, ["7 builds[1].skip: build skipped by GoReleaser; slipway omits it"]],
  },
  {
    name: "hooks and goamd64 v3 unmapped, mod_timestamp mapped",
    yaml: `${BUILD}    hooks: {post: [upx x]}\n    goamd64: [v3]\n    mod_timestamp: "{{ .CommitTimestamp }}"\n`,
    pick: (m) => [unmapped(m), m.mapped.find((e) => e.key === "builds[0].mod_timestamp")?.note],
    want: [
      [
        "6 builds[0].hooks: slipway runs no build hooks; run generators before tagging and commit their output",
        "7 builds[0].goamd64: slipway builds amd64 v1 only (Go's default)",
      ],
      "slipway always sets file times to the commit time",
    ],
  },
  {
    name: "nested unknown key → unmapped at its line",
    yaml: `${BUILD}    foo: bar\n`,
    pick: unmapped,
    want: ["6 builds[0].foo: unknown GoReleaser build key; not mapped"],
  },
  {
    name: "builds absent → GoReleaser's default build",
    yaml: "project_name: hammer\nversion: 2\n",
    pick: build0,
    want: { id: "hammer", main: ".", binary: "hammer" },
  },
  {
    name: "different platform lists → platforms on each build",
    yaml: "builds:\n  - id: a\n    goos: [linux]\n    goarch: [amd64]\n  - id: b\n    goos: [darwin]\n    goarch: [arm64]\n",
    pick: (m) => [m.settings.platforms, m.settings.builds],
    want: [
      undefined,
      [
        { id: "a", main: ".", binary: "tool", platforms: ["linux/amd64"] },
        { id: "b", main: ".", binary: "tool", platforms: ["darwin/arm64"] },
      ],
    ],
  },
  {
    name: "archives v1: format, overrides, replacements, files",
    yaml: `${BUILD}archives:\n  - format: tgz\n    format_overrides: [{goos: windows, format: zip}]\n    replacements: {linux: Linux, amd64: x86_64}\n    files: [LICENSE, {src: docs/*, dst: docs, info: {mode: 0644}}]\n`,
    pick: (m) => [m.settings.archives, unmapped(m)],
    want: [
      {
        format: "tar.gz",
        formatOverrides: { windows: "zip" },
        nameTemplate: "{{name}}_{{version}}_{{os}}_{{arch}}{{armv}}",
        replacements: { os: { linux: "Linux" }, arch: { amd64: "x86_64" } },
        files: ["LICENSE", { src: "docs/*", dst: "docs" }],
        binaries: false,
      },
      ["10 archives[0].files[1].info: slipway stores files as 0:0 with their mode and the commit time"],
    ],
  },
  {
    name: "archives v2: two formats → first kept, unmapped",
    yaml: `${BUILD}archives:\n  - formats: [tar.gz, zip]\n`,
    pick: (m) => [(m.settings.archives as { format: string }).format, unmapped(m)],
    want: ["tar.gz", ["7 archives[0].formats: formats tar.gz, zip: slipway writes one format per platform; kept tar.gz"]],
  },
  {
    name: "format binary → none with binaryNameTemplate",
    yaml: `${BUILD}archives:\n  - formats: [binary]\n    name_template: "{{ .Binary }}-{{ .Os }}-{{ .Arch }}"\n`,
    pick: (m) => m.settings.archives,
    want: { format: "none", formatOverrides: {}, binaryNameTemplate: "{{binary}}-{{os}}-{{arch}}", binaries: true },
  },
  {
    name: "wrap_in_directory template",
    yaml: `${BUILD}archives:\n  - wrap_in_directory: "{{ .ProjectName }}-{{ .Version }}"\n`,
    pick: (m) => (m.settings.archives as { wrapInDirectory: unknown }).wrapInDirectory,
    want: "{{name}}-{{version}}",
  },
  {
    name: "archives[1] and an id subset → unmapped",
    yaml: `${BUILD}archives:\n  - ids: [other]\n  - id: second\n`,
    pick: unmapped,
    want: [
      "7 archives[0].ids: archives of builds other only: slipway archives every build of a platform together",
      "8 archives[1]: slipway builds one archive set; merge this archive into the first",
    ],
  },
  {
    name: "files: [none*] → no extra files",
    yaml: `${BUILD}archives:\n  - files: [none*]\n`,
    pick: (m) => (m.settings.archives as { files: unknown }).files,
    want: [],
  },
  {
    name: "checksum absent → GoReleaser's default name",
    yaml: BUILD,
    pick: (m) => m.settings.checksums,
    want: "{{name}}_{{version}}_checksums.txt",
  },
  {
    name: "checksum name and sha512",
    yaml: `${BUILD}checksum:\n  name_template: "{{ .ProjectName }}_SHA256SUMS"\n  algorithm: sha512\n`,
    pick: (m) => [m.settings.checksums, unmapped(m)],
    want: ["{{name}}_SHA256SUMS", ["8 checksum.algorithm: sha512: slipway writes sha256 only"]],
  },
  {
    name: "dockers: tags, registries, image name and platforms; recipe keys unmapped",
    yaml: `${BUILD}dockers:\n  - image_templates: ["ghcr.io/acme/tool:{{ .Tag }}", "acme/tool:latest", "ghcr.io/acme/tool:v{{ .Major }}"]\n    dockerfile: Dockerfile\n  - goarch: arm64\n    image_templates: ["ghcr.io/acme/tool:{{ .Tag }}"]\n`,
    pick: (m) => [m.settings.tagTemplates, m.settings.imageName, m.settings.imagePlatforms, m.releaseSettings.registries, unmapped(m)],
    want: [
      ["v{{version}}", "latest", "v{{major}}"],
      "tool",
      ["linux/amd64", "linux/arm64"],
      [
        { kind: "external", address: "ghcr.io/acme", username: "acme", passwordSecret: "ghcrToken" },
        { kind: "external", address: "docker.io/acme", username: "acme", passwordSecret: "dockerhubToken" },
      ],
      ["8 dockers[0].dockerfile: slipway builds images from the release binaries with its own recipe (slipway:dockerfile for your own)"],
    ],
  },
  {
    name: "docker_manifests name the tags; per-arch images are inputs",
    yaml: `${BUILD}dockers:\n  - image_templates: ["ghcr.io/acme/tool:{{ .Version }}-amd64"]\n  - goarch: arm\n    goarm: 7\n    image_templates: ["ghcr.io/acme/tool:{{ .Version }}-armv7"]\ndocker_manifests:\n  - name_template: "ghcr.io/acme/tool:{{ .Version }}"\n    image_templates: ["ghcr.io/acme/tool:{{ .Version }}-amd64"]\n  - name_template: "ghcr.io/acme/tool:{{ .ShortCommit }}"\n`,
    pick: (m) => [m.settings.tagTemplates, m.settings.imagePlatforms, unmapped(m)],
    want: [["{{version}}", "sha-{{sha}}"], ["linux/amd64", "linux/arm/v7"], []],
  },
  { name: "no dockers → no images", yaml: BUILD, pick: (m) => m.settings.imagePlatforms, want: [] },
  {
    name: "release.github → releaseSettings.github",
    yaml: `${BUILD}release:\n  github: {owner: acme, name: hammer}\n  draft: false\n  prerelease: auto\n`,
    pick: (m) => [m.releaseSettings.github, unmapped(m)],
    want: [{ owner: "acme", repo: "hammer" }, []],
  },
  {
    name: "release without github → from the module path",
    yaml: BUILD,
    pick: (m) => m.releaseSettings.github,
    want: { owner: "acme", repo: "tool" },
  },
  {
    name: "release name_template and disable → unmapped",
    yaml: `${BUILD}release:\n  name_template: "v{{.Version}}"\n  disable: true\n`,
    pick: (m) => [m.releaseSettings.github, unmapped(m).length],
    want: [undefined, 2],
  },
  {
    name: "changelog filters → releaseNotes; use and groups unmapped",
    yaml: `${BUILD}changelog:\n  sort: asc\n  use: github\n  filters:\n    exclude: ["^docs:"]\n`,
    pick: (m) => [m.settings.releaseNotes, unmapped(m)],
    want: [{ exclude: ["^docs:"] }, ["8 changelog.use: slipway reads commits from git; GitHub's API is not used"]],
  },
  {
    name: "nfpms → packages (first entry; templates and extra entries reported)",
    yaml:
      "nfpms:\n  - id: pkg\n    formats: [deb, rpm, termux.deb]\n    maintainer: Jane <j@example.com>\n    vendor: '{{ .ProjectName }}'\n" +
      "    dependencies: [git]\n    contents:\n      - src: ./docs/t.1\n        dst: /usr/share/man/man1/t.1\n        file_info: {mode: 0644}\n" +
      "      - src: ./conf\n        dst: /etc/t\n        type: dir\n    scripts: {postinstall: ./post.sh}\n  - id: other\n",
    pick: (m) => [m.settings.packages, unmapped(m)],
    want: [
      {
        formats: ["deb", "rpm"],
        maintainer: "Jane <j@example.com>",
        dependencies: ["git"],
        files: [{ src: "docs/t.1", dst: "/usr/share/man/man1/t.1", mode: "0644" }],
        scripts: { postinstall: "post.sh" },
      },
      [
        "1 builds[0].goarch: darwin/386 is not a Go 1.26 platform; dropped",
        "5 nfpms[0].vendor: template {{ .ProjectName }}: slipway needs a literal value",
        "11 nfpms[0].contents[1]: slipway packages files of the module by literal src and dst (no templates, dirs, symlinks or globs)",
        "15 nfpms[1]: slipway has one package set; only the first entry is carried over",
      ],
    ],
  },
  {
    name: "brews → homebrew and scoops → scoop, for the release stack",
    yaml:
      "brews:\n  - repository: {owner: acme, name: homebrew-tap}\n    commit_author: {name: Bot, email: bot@example.com}\n    test: system bin/t\n    goarm: 7\n" +
      "homebrew_casks:\n  - name: t\nscoops:\n  - repository: {owner: acme, name: scoop-bucket}\n    description: Tool\n",
    pick: (m) => [m.releaseSettings.homebrew, m.releaseSettings.scoop, unmapped(m).filter((line) => !line.includes("goarch"))],
    want: [
      {
        tokenSecret: "tapToken",
        repository: "acme/homebrew-tap",
        author: { name: "Bot", email: "bot@example.com" },
        test: "system bin/t",
        directory: "",
      },
      { tokenSecret: "tapToken", repository: "acme/scoop-bucket", description: "Tool", directory: "" },
      ["5 brews[0].goarm: no slipway counterpart; not mapped", "6 homebrew_casks: slipway has one Homebrew channel; brews is carried over"],
    ],
  },
  {
    name: "unknown top-level key",
    yaml: `${BUILD}frobnicate: true\n`,
    pick: unmapped,
    want: ["6 frobnicate: unknown GoReleaser key; not mapped"],
  },
  {
    name: "snapcrafts and aurs → unmapped at their own lines",
    yaml: `snapcrafts:\n  - id: x\naurs:\n  - name: x\n`,
    pick: (m) => m.unmapped.map((e) => `${e.line} ${e.key}`),
    want: ["1 builds[0].goarch", "1 snapcrafts", "3 aurs"],
  },
  {
    name: "pre-v1 build: (one map) reads as builds",
    yaml: "build:\n  main: main.go\n  binary: t\n  goos: [linux]\n  goarch: [amd64]\n",
    pick: (m) => [m.settings.builds, m.unmapped],
    want: [[{ id: "tool", main: ".", binary: "t" }], []],
  },
  {
    name: "old singular build:, brew: and scoop: are mapped as their lists, with where they went",
    yaml:
      "build:\n  binary: t\n  goos: [linux]\n  goarch: [amd64]\nbrew:\n  tap: {owner: acme, name: homebrew-tap}\n" +
      "scoop:\n  bucket: {owner: acme, name: scoop-bucket}\n",
    pick: (m) => [
      m.releaseSettings.homebrew,
      m.releaseSettings.scoop,
      m.mapped.filter((e) => ["build", "brew", "scoop"].includes(e.key)),
      m.unmapped,
    ],
    want: [
      { tokenSecret: "tapToken", repository: "acme/homebrew-tap", directory: "" },
      { tokenSecret: "tapToken", repository: "acme/scoop-bucket", directory: "" },
      [
        { line: 1, key: "build", to: "builds", note: "old spelling of builds" },
        { line: 5, key: "brew", to: "brews", note: "old spelling of brews" },
        { line: 7, key: "scoop", to: "scoops", note: "old spelling of scoops" },
      ],
      [],
    ],
  },
  {
    name: "a singular key beside its list is reported as ignored (GoReleaser reads only the list)",
    yaml:
      `${BUILD}build:\n  binary: old\nbrews:\n  - repository: {owner: acme, name: tap}\nbrew:\n  tap: {owner: old, name: tap}\n` +
      "scoops:\n  - repository: {owner: acme, name: bucket}\nscoop:\n  bucket: {owner: old, name: bucket}\n",
    pick: (m) => [m.settings.builds, m.releaseSettings.homebrew, m.releaseSettings.scoop, unmapped(m)],
    want: [
      [{ id: "tool", main: ".", binary: "tool" }],
      { tokenSecret: "tapToken", repository: "acme/tap", directory: "" },
      { tokenSecret: "tapToken", repository: "acme/bucket", directory: "" },
      [
        "6 build: builds is set too, and GoReleaser then ignores build",
        "10 brew: brews is set too, and GoReleaser then ignores brew",
        "14 scoop: scoops is set too, and GoReleaser then ignores scoop",
      ],
    ],
  },
  {
    name: "top-level env: CGO_ENABLED=0 mapped, others unmapped",
    yaml: `${BUILD}env: [CGO_ENABLED=0, FOO=bar]\n`,
    pick: unmapped,
    want: ["6 env[1]: slipway builds in a fixed environment; set per-build env in slipway:builds[].env"],
  },
  {
    name: "version: 2 → mapped",
    yaml: "version: 2\n",
    pick: (m) => m.mapped.find((e) => e.key === "version"),
    want: { line: 1, key: "version", to: "(always)", note: "GoReleaser v2 spelling" },
  },
  {
    name: "merge keys (<<: *defaults) are expanded",
    yaml: "builds:\n  - <<: &d\n      main: ./cmd/tool\n      goos: [linux]\n      goarch: [arm64]\n    id: one\n  - <<: *d\n    id: two\n",
    pick: (m) => m.settings.builds,
    want: [
      { id: "one", main: "./cmd/tool", binary: "tool" },
      { id: "two", main: "./cmd/tool", binary: "tool" },
    ],
  },
];

describe("GoReleaser mapping rules", () => {
  for (const row of ROWS) it(row.name, () => assert.deepEqual(row.pick(migrate(row.yaml)), row.want));

  it("a YAML syntax error is a SlipwayInputError for goreleaser naming the line", () => {
    assert.throws(
      () => migrate("builds:\n  - id: a\n    goos: [linux\nchecksum: {}\n"),
      (error: unknown) =>
        error instanceof SlipwayInputError && error.key === "goreleaser" && /YAML syntax error at line 4:/.test(error.problem),
    );
  });

  it("unmapped and mapped lists are sorted by line", () => {
    const m = migrate(`changelog: {}\n${BUILD}    foo: 1\nannounce: {}\n`);
    for (const list of [m.unmapped, m.mapped])
      assert.deepEqual(
        list.map((e) => e.line),
        [...list.map((e) => e.line)].sort((a, b) => a - b),
      );
    assert.deepEqual(
      m.unmapped.map((e) => e.key),
      ["builds[0].foo", "announce"],
    );
  });

  it("every top-level key without a slipway counterpart says what slipway does instead (golden)", () => {
    const keys = [
      ...["npms", "snapcraft", "snapcrafts", "aurs", "aur_sources", "krews", "nix", "winget", "chocolateys", "msi", "dmg"],
      ...["app_bundles", "notarize", "upx", "before", "before_publish", "universal_binaries", "announce", "gomod", "snapshot"],
      ...["nightly", "source", "blobs", "publishers", "uploads", "artifactories", "furies", "cloudsmiths", "dist"],
      ...["report_sizes", "metadata", "git", "milestones", "kos", "partial", "includes", "variables"],
      ...["template_files", "env", "frobnicate"],
    ];
    const m = migrate(`${BUILD}${keys.map((key) => `${key}: [x]\n`).join("")}`);
    assertGolden("goreleaser/top-level-keys.txt", `${renderMigrationReport(m, ".goreleaser.yml").join("\n")}\n`);
  });

  const versions: [string, string, string][] = [
    ["version: 2", "1 version -> (always): GoReleaser v2 spelling", "v2"],
    ["version: '2'", "1 version -> (always): GoReleaser v2 spelling", "v2"],
    ["version: 1", "1 version -> (always): GoReleaser v1 spelling", "v1 (assumed; check the GoReleaser release you used)"],
    ["version: '1'", "1 version -> (always): GoReleaser v1 spelling", "v1 (assumed; check the GoReleaser release you used)"],
    [
      "version: 3",
      "1 version !: config version 3: slipway reads GoReleaser v1 and v2 configs",
      "v1 (assumed; check the GoReleaser release you used)",
    ],
    ["project_name: x", "", "v1 (assumed; check the GoReleaser release you used)"],
  ];
  for (const [line, report, defaults] of versions) {
    it(`${line}: the version key's report line and which GoReleaser defaults fill a build`, () => {
      const m = migrate(`${line}\nbuilds:\n  - goos: [linux]\n`);
      const version = [
        ...m.mapped.filter((e) => e.key === "version").map((e) => `${e.line} ${e.key} -> ${e.to}: ${e.note ?? ""}`),
        ...m.unmapped.filter((e) => e.key === "version").map((e) => `${e.line} ${e.key} !: ${e.note}`),
      ];
      assert.deepEqual(version, report === "" ? [] : [report]);
      assert.equal(m.mapped.find((e) => e.key === "builds[0].goarch")?.note, `absent: GoReleaser ${defaults} default 386, amd64, arm64`);
    });
  }

  it("a literal project_name is mapped to name; a template is reported and the module's name used", () => {
    const literal = migrate("project_name: hammer\n");
    assert.deepEqual(
      literal.mapped.find((e) => e.key === "project_name"),
      { line: 1, key: "project_name", to: "name" },
    );
    const template = migrate("project_name: '{{ .Env.NAME }}'\n");
    assert.equal(template.settings.name, "tool");
    assert.deepEqual(
      template.unmapped.filter((e) => e.key === "project_name"),
      [{ line: 1, key: "project_name", note: "template {{ .Env.NAME }}: slipway needs a literal name" }],
    );
  });

  it("a minimal config yields exactly the settings it implies, with no empty keys", () => {
    const m = migrate(`${BUILD}env: [CGO_ENABLED=0]\n`);
    assert.deepEqual(m.settings, {
      name: "tool",
      builds: [{ id: "tool", main: ".", binary: "tool" }],
      platforms: ["linux/amd64"],
      archives: m.settings.archives,
      checksums: "{{name}}_{{version}}_checksums.txt",
      imagePlatforms: [],
    });
    assert.deepEqual(m.releaseSettings, { github: { owner: "acme", repo: "tool" } });
    assert.deepEqual(
      m.mapped.find((e) => e.key === "env[0]"),
      { line: 6, key: "env[0]", to: "(always)", note: "slipway builds with cgo off" },
    );
    const off = migrateGoreleaser(BUILD, { moduleName: "example.com/tool", defaultName: "tool" });
    assert.equal("github" in off.releaseSettings, false);
  });

  it("a formula or manifest without a directory goes to the repository root, as GoReleaser puts it; a cask to Casks", () => {
    const m = migrate(
      `${BUILD}brews:\n  - repository: {owner: acme, name: tap}\nscoops:\n  - repository: {owner: acme, name: b}\n    directory: bucket\n`,
    );
    assert.equal((m.releaseSettings.homebrew as { directory?: string }).directory, "");
    assert.equal((m.releaseSettings.scoop as { directory?: string }).directory, "bucket");
    assert.deepEqual(
      m.mapped.find((e) => e.key === "brews[0].directory"),
      {
        line: 7,
        key: "brews[0].directory",
        to: "homebrew.directory",
        note: "absent: GoReleaser's default, the repository root",
      },
    );
    assert.equal(m.mapped.find((e) => e.key === "scoops[0].directory")?.note, undefined);
  });

  it("builds with different platforms keep them per build, with no shared platforms setting", () => {
    const m = migrate(
      "builds:\n  - id: a\n    goos: [linux]\n    goarch: [amd64]\n  - id: b\n    binary: b\n    goos: [darwin]\n    goarch: [arm64]\n",
    );
    assert.deepEqual(m.settings.builds, [
      { id: "a", main: ".", binary: "tool", platforms: ["linux/amd64"] },
      { id: "b", main: ".", binary: "b", platforms: ["darwin/arm64"] },
    ]);
    assert.equal("platforms" in m.settings, false);
  });

  it("the archives see every build's platforms, ids and binaries", () => {
    const m = migrate(
      "builds:\n  - id: a\n    goos: [linux]\n    goarch: [amd64]\n  - id: b\n    goos: [darwin]\n    goarch: [arm64]\n" +
        "archives:\n  - ids: [a, b]\n    name_template: '{{ .Binary }}_{{ title .Os }}_{{ .Arch }}'\n",
    );
    const archives = m.settings.archives as { nameTemplate?: string; replacements?: unknown };
    assert.equal(archives.nameTemplate, "{{name}}_{{os}}_{{arch}}");
    assert.deepEqual(archives.replacements, { os: { linux: "Linux", darwin: "Darwin" } });
    assert.deepEqual(
      m.mapped.find((e) => e.key === "archives[0].ids"),
      {
        line: 9,
        key: "archives[0].ids",
        to: "(always)",
        note: "every build is archived",
      },
    );
  });

  it("release.make_latest false → latest; a changelog without filters adds no releaseNotes", () => {
    const m = migrate(`${BUILD}release:\n  make_latest: false\nchangelog:\n  sort: asc\n`);
    assert.equal(m.settings.latest, "false");
    assert.equal("releaseNotes" in m.settings, false);
    assert.equal("latest" in migrate(BUILD).settings, false);
  });

  it("homebrew_casks alone are the Homebrew channel, as a cask, reported under homebrew", () => {
    const m = migrate(`${BUILD}homebrew_casks:\n  - repository: {owner: acme, name: tap}\n`);
    assert.deepEqual(m.unmapped, []);
    assert.deepEqual(m.releaseSettings.homebrew, { tokenSecret: "tapToken", cask: true, repository: "acme/tap" });
    assert.equal(m.mapped.find((e) => e.key === "homebrew_casks[0].repository")?.to, "homebrew.repository");
    const scoop = migrate(`${BUILD}scoops:\n  - repository: {owner: acme, name: bucket}\n`);
    assert.equal(scoop.mapped.find((e) => e.key === "scoops[0].repository")?.to, "scoop.repository");
  });

  it("renders the report and the exit code", () => {
    const m = migrate(`${BUILD}snapshot: {}\n`);
    assert.deepEqual(renderMigrationReport(m, ".goreleaser.yaml"), [
      ".goreleaser.yaml:6: snapshot: slipway releases versions only; preview with pulumi preview",
      ".goreleaser.yaml: 7 keys mapped, 1 key not mapped (review the lines above)",
    ]);
    assert.equal(migrationExitCode(m), 3);
    const clean = migrate(BUILD);
    assert.deepEqual(renderMigrationReport(clean, "g.yml"), ["g.yml: 7 keys mapped, nothing left unmapped"]);
    assert.equal(migrationExitCode(clean), 0);
  });
});

const SPEC = process.env.SLIPWAY_CONFIG_SCHEMA ?? "/work/spec/config-schema.md";

/** Top-level keys (`slipway:x`), build fields and archive object fields named by the schema document. */
function schemaKeys(text: string): { top: Set<string>; build: Set<string>; archive: Set<string> } {
  const section = (title: string): string => text.split(/^## /m).find((part) => part.startsWith(title)) ?? "";
  const fields = (part: string): Set<string> => new Set([...part.matchAll(/^- `(\w+)`:/gm)].map((match) => match[1] as string));
  return {
    top: new Set([...text.matchAll(/`slipway:(\w+)`/g)].map((match) => match[1] as string)),
    build: fields(section("`slipway:builds`")),
    archive: fields(section("`slipway:archives`")),
  };
}

describe("produced settings exist in the schema", { skip: existsSync(SPEC) ? false : `${SPEC} not found` }, () => {
  // The schema keeps every existing key ("Existing keys stay"): those are the README table's, SETTINGS.
  it("every setting, build field and archive field is one of the schema's keys", () => {
    const keys = schemaKeys(readFileSync(SPEC, "utf8"));
    const top = new Set([...keys.top, ...Object.keys(SETTINGS)]);
    assert.ok(keys.build.has("ldflags") && keys.archive.has("nameTemplate") && keys.top.has("builds"), "schema sections found");
    for (const row of ROWS) {
      const m = migrate(row.yaml);
      for (const key of [...Object.keys(m.settings), ...Object.keys(m.releaseSettings)])
        assert.ok(top.has(key), `${row.name}: slipway:${key}`);
      for (const build of m.settings.builds as Record<string, unknown>[])
        for (const key of Object.keys(build)) assert.ok(keys.build.has(key), `${row.name}: builds[].${key}`);
      for (const key of Object.keys(m.settings.archives as object)) assert.ok(keys.archive.has(key), `${row.name}: archives.${key}`);
    }
  });
});
