import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_ARCHIVE_FILES } from "../../plan/archiveFiles";
import { parseArchiveSettings } from "../../plan/archiveSettings";
import { ArchiveSettings, NameContext, checksumsFileName, planAssets } from "../../plan/assets";
import { BuildPlan } from "../../plan/builds";
import { SlipwayInputError } from "../../plan/errors";
import { parsePlatforms } from "../../plan/platforms";

const CONTEXT: NameContext = { name: "hello", version: "1.4.0", shortCommit: "5a8b7c3" };
const DEFAULT_NAME = "{{name}}_{{version}}_{{os}}_{{arch}}{{armv}}";
const DEFAULT_BINARY = "{{binary}}_{{version}}_{{os}}_{{arch}}{{armv}}";
const FIELDS = "format, formatOverrides, nameTemplate, binaryNameTemplate, replacements, files, wrapInDirectory, binaries";
const FILE_FIX = "fix: use letters, digits and . _ - + ~ only, no slashes";
const DEFAULTS: ArchiveSettings = {
  format: "tar.gz",
  formatOverrides: { windows: "zip" },
  nameTemplate: DEFAULT_NAME,
  binaryNameTemplate: DEFAULT_BINARY,
  replacements: { os: {}, arch: {} },
  files: DEFAULT_ARCHIVE_FILES,
  defaultFiles: true,
  wrapInDirectory: null,
  binaries: true,
};

function build(id: string, binary: string, platforms: string[]): BuildPlan {
  return { id, main: ".", binary, ldflags: "-buildid=", flags: [], tags: [], env: {}, platforms: parsePlatforms(platforms, "platforms") };
}

function refuses(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof SlipwayInputError, String(error));
    assert.equal(error.message, message);
    return true;
  });
}

describe("parseArchiveSettings", () => {
  const rows: [string, unknown, Partial<ArchiveSettings>][] = [
    ["unset", undefined, {}],
    ["empty object", {}, {}],
    ["tar.xz", "tar.xz", { format: "tar.xz" }],
    ["zip", "zip", { format: "zip" }],
    ["none drops the windows zip", "none", { format: "none", formatOverrides: {} }],
    ["{format: none}", { format: "none" }, { format: "none", formatOverrides: {} }],
    ["none keeps explicit overrides", { format: "none", formatOverrides: { windows: "zip" } }, { format: "none" }],
    ["tar.gz with explicit empty overrides", { formatOverrides: {} }, { formatOverrides: {} }],
    [
      "overrides replace the default",
      { formatOverrides: { darwin: "zip", linux: "none" } },
      { formatOverrides: { darwin: "zip", linux: "none" } },
    ],
    [
      "templates",
      { nameTemplate: "{{name}}-{{os}}", binaryNameTemplate: "{{binary}}-{{arch}}" },
      { nameTemplate: "{{name}}-{{os}}", binaryNameTemplate: "{{binary}}-{{arch}}" },
    ],
    [
      "replacements",
      { replacements: { os: { darwin: "Darwin" }, arch: { amd64: "x86_64" } } },
      { replacements: { os: { darwin: "Darwin" }, arch: { amd64: "x86_64" } } },
    ],
    ["replacements of os only", { replacements: { os: { linux: "Linux" } } }, { replacements: { os: { linux: "Linux" }, arch: {} } }],
    [
      "files",
      { files: ["LICENSE", { src: "docs/*.1", dst: "man" }, { src: "NOTICE" }] },
      { files: ["LICENSE", { src: "docs/*.1", dst: "man" }, { src: "NOTICE" }], defaultFiles: false },
    ],
    ["no files", { files: [] }, { files: [], defaultFiles: false }],
    ["wrap true", { wrapInDirectory: true }, { wrapInDirectory: "" }],
    ["wrap false", { wrapInDirectory: false }, { wrapInDirectory: null }],
    ["wrap template", { wrapInDirectory: "{{name}}-{{version}}" }, { wrapInDirectory: "{{name}}-{{version}}" }],
    ["binaries false", { binaries: false }, { binaries: false }],
    ["binaries true", { binaries: true }, { binaries: true }],
  ];
  for (const [title, value, expected] of rows) {
    it(title, () => assert.deepEqual(parseArchiveSettings(value), { ...DEFAULTS, ...expected }));
  }

  it("keeps {src} without a dst key", () => {
    assert.deepEqual(Object.keys(parseArchiveSettings({ files: [{ src: "x" }] }).files[0] as object), ["src"]);
  });

  const bad: [string, unknown, string][] = [
    ["bad string format", "rar", 'slipway:archives = "rar": unknown archive format; fix: use one of tar.gz, tar.xz, zip, none'],
    [
      "bad object format",
      { format: "tgz" },
      'slipway:archives.format = "tgz": unknown archive format; fix: use one of tar.gz, tar.xz, zip, none',
    ],
    ["non-string format", { format: 1 }, "slipway:archives.format = 1: unknown archive format; fix: use one of tar.gz, tar.xz, zip, none"],
    ["a number", 5, "slipway:archives = 5: must be a format or an object; fix: e.g. archives: tar.gz or archives: {format: tar.xz}"],
    ["null", null, "slipway:archives = null: must be a format or an object; fix: e.g. archives: tar.gz or archives: {format: tar.xz}"],
    [
      "a list",
      ["zip"],
      'slipway:archives = ["zip"]: must be a format or an object; fix: e.g. archives: tar.gz or archives: {format: tar.xz}',
    ],
    ["unknown field", { format: "zip", fromat: "zip" }, `slipway:archives.fromat = "zip": unknown field; fix: use only ${FIELDS}`],
    [
      "overrides not a map",
      { formatOverrides: "zip" },
      'slipway:archives.formatOverrides = "zip": must be a map; fix: e.g. archives.formatOverrides: {windows: zip}',
    ],
    [
      "override not a string",
      { formatOverrides: { windows: 1 } },
      "slipway:archives.formatOverrides.windows = 1: must be a string; fix: quote the value",
    ],
    [
      "override bad format",
      { formatOverrides: { windows: "rar" } },
      'slipway:archives.formatOverrides.windows = "rar": unknown archive format; fix: use one of tar.gz, tar.xz, zip, none',
    ],
    [
      "replacements a string",
      { replacements: "x" },
      'slipway:archives.replacements = "x": must be {os: {...}, arch: {...}}; fix: e.g. replacements: {arch: {amd64: x86_64}}',
    ],
    [
      "replacements null",
      { replacements: null },
      "slipway:archives.replacements = null: must be {os: {...}, arch: {...}}; fix: e.g. replacements: {arch: {amd64: x86_64}}",
    ],
    [
      "replacements a list",
      { replacements: [] },
      "slipway:archives.replacements = []: must be {os: {...}, arch: {...}}; fix: e.g. replacements: {arch: {amd64: x86_64}}",
    ],
    [
      "replacements unknown field",
      { replacements: { goos: {} } },
      "slipway:archives.replacements.goos = {}: unknown field; fix: use only os and arch",
    ],
    [
      "replacements.os a list",
      { replacements: { os: [] } },
      "slipway:archives.replacements.os = []: must be a map; fix: e.g. archives.replacements.os: {darwin: Darwin}",
    ],
    [
      "replacements.arch null",
      { replacements: { arch: null } },
      "slipway:archives.replacements.arch = null: must be a map; fix: e.g. archives.replacements.arch: {amd64: x86_64}",
    ],
    [
      "replacement not a string",
      { replacements: { arch: { amd64: 64 } } },
      "slipway:archives.replacements.arch.amd64 = 64: must be a string; fix: quote the value",
    ],
    [
      "binaries a string",
      { binaries: "false" },
      'slipway:archives.binaries = "false": must be true or false; fix: binaries: false publishes archives only',
    ],
    [
      "empty nameTemplate",
      { nameTemplate: "" },
      `slipway:archives.nameTemplate = "": must be a non-empty template; fix: e.g. ${DEFAULT_NAME}`,
    ],
    [
      "blank binaryNameTemplate",
      { binaryNameTemplate: "  " },
      `slipway:archives.binaryNameTemplate = "  ": must be a non-empty template; fix: e.g. ${DEFAULT_BINARY}`,
    ],
    [
      "non-string nameTemplate",
      { nameTemplate: true },
      `slipway:archives.nameTemplate = true: must be a non-empty template; fix: e.g. ${DEFAULT_NAME}`,
    ],
    ["files a string", { files: "LICENSE" }, 'slipway:archives.files = "LICENSE": must be a list; fix: e.g. files: [LICENSE, "docs/*.1"]'],
    [
      "files empty glob",
      { files: ["LICENSE", ""] },
      'slipway:archives.files[1] = "": must be a glob or {src, dst}; fix: e.g. LICENSE or {src: docs/*.1, dst: man}',
    ],
    [
      "files a number",
      { files: [7] },
      "slipway:archives.files[0] = 7: must be a glob or {src, dst}; fix: e.g. LICENSE or {src: docs/*.1, dst: man}",
    ],
    [
      "files null",
      { files: [null] },
      "slipway:archives.files[0] = null: must be a glob or {src, dst}; fix: e.g. LICENSE or {src: docs/*.1, dst: man}",
    ],
    [
      "files a list",
      { files: [["a"]] },
      'slipway:archives.files[0] = ["a"]: must be a glob or {src, dst}; fix: e.g. LICENSE or {src: docs/*.1, dst: man}',
    ],
    [
      "files unknown field",
      { files: [{ src: "a", into: "b" }] },
      'slipway:archives.files[0].into = "b": unknown field; fix: use only src and dst',
    ],
    [
      "files no src",
      { files: [{ dst: "man" }] },
      "slipway:archives.files[0].src = (unset): must be a glob; fix: e.g. {src: docs/*.1, dst: man}",
    ],
    [
      "files empty src",
      { files: [{ src: "" }] },
      'slipway:archives.files[0].src = "": must be a glob; fix: e.g. {src: docs/*.1, dst: man}',
    ],
    [
      "files empty dst",
      { files: [{ src: "a", dst: "" }] },
      'slipway:archives.files[0].dst = "": must be a relative directory inside the archive; fix: e.g. man',
    ],
    [
      "files dst ..",
      { files: ["x", { src: "a", dst: "doc/../.." }] },
      'slipway:archives.files[1].dst = "doc/../..": must be a relative directory inside the archive; fix: e.g. man',
    ],
    [
      "files dst a number",
      { files: [{ src: "a", dst: 1 }] },
      "slipway:archives.files[0].dst = 1: must be a relative directory inside the archive; fix: e.g. man",
    ],
    [
      "wrap empty",
      { wrapInDirectory: "" },
      'slipway:archives.wrapInDirectory = "": must be true, false or a directory template; fix: e.g. wrapInDirectory: true',
    ],
    [
      "wrap a number",
      { wrapInDirectory: 1 },
      "slipway:archives.wrapInDirectory = 1: must be true, false or a directory template; fix: e.g. wrapInDirectory: true",
    ],
    [
      "wrap null",
      { wrapInDirectory: null },
      "slipway:archives.wrapInDirectory = null: must be true, false or a directory template; fix: e.g. wrapInDirectory: true",
    ],
  ];
  for (const [title, value, message] of bad) {
    it(`refuses ${title}`, () => refuses(() => parseArchiveSettings(value), message));
  }
});

function settings(value: unknown): ArchiveSettings {
  return parseArchiveSettings(value);
}

describe("planAssets", () => {
  it("default names: a binary per platform, .exe and zip on windows, checksums in byte order", () => {
    assert.deepEqual(planAssets([build("hello", "hello", ["linux/arm/v7", "windows/amd64"])], DEFAULTS, CONTEXT, undefined), {
      binaries: [
        {
          build: "hello",
          platform: "linux/arm/v7",
          os: "linux",
          arch: "arm",
          arm: "7",
          executable: "hello",
          file: "hello_1.4.0_linux_armv7",
          published: true,
        },
        {
          build: "hello",
          platform: "windows/amd64",
          os: "windows",
          arch: "amd64",
          arm: undefined,
          executable: "hello.exe",
          file: "hello_1.4.0_windows_amd64.exe",
          published: true,
        },
      ],
      archives: [
        {
          platform: "linux/arm/v7",
          os: "linux",
          arch: "arm",
          arm: "7",
          name: "hello_1.4.0_linux_armv7.tar.gz",
          format: "tar.gz",
          directory: null,
          binaries: ["hello_1.4.0_linux_armv7"],
        },
        {
          platform: "windows/amd64",
          os: "windows",
          arch: "amd64",
          arm: undefined,
          name: "hello_1.4.0_windows_amd64.zip",
          format: "zip",
          directory: null,
          binaries: ["hello_1.4.0_windows_amd64.exe"],
        },
      ],
      archiveFiles: { patterns: DEFAULT_ARCHIVE_FILES, defaults: true },
      checksums: {
        file: "SHA256SUMS",
        order: [
          "hello_1.4.0_linux_armv7",
          "hello_1.4.0_linux_armv7.tar.gz",
          "hello_1.4.0_windows_amd64.exe",
          "hello_1.4.0_windows_amd64.zip",
        ],
      },
    });
  });

  it("renders every placeholder with os and arch replacements, {{arm}} and {{armv}}", () => {
    const plan = planAssets(
      [build("hello", "hi", ["linux/amd64", "linux/arm/v6", "darwin/arm64"])],
      settings({
        replacements: { os: { linux: "Linux", darwin: "macOS" }, arch: { amd64: "x86_64", arm: "armhf" } },
        nameTemplate: "{{name}}-{{tag}}-{{os}}-{{arch}}{{arm}}-{{shortCommit}}",
        binaryNameTemplate: "{{binary}}.{{version}}.{{os}}.{{arch}}{{armv}}.{{name}}",
      }),
      CONTEXT,
      undefined,
    );
    assert.deepEqual(
      plan.binaries.map((b) => [b.file, b.executable]),
      [
        ["hi.1.4.0.Linux.x86_64.hello", "hi"],
        ["hi.1.4.0.Linux.armhfv6.hello", "hi"],
        ["hi.1.4.0.macOS.arm64.hello", "hi"],
      ],
    );
    assert.deepEqual(
      plan.archives.map((a) => a.name),
      ["hello-v1.4.0-Linux-x86_64-5a8b7c3.tar.gz", "hello-v1.4.0-Linux-armhf6-5a8b7c3.tar.gz", "hello-v1.4.0-macOS-arm64-5a8b7c3.tar.gz"],
    );
  });

  it("one archive per platform, in first-seen order, holding every build's binary for it in build order", () => {
    const plan = planAssets(
      [build("srv", "srv", ["linux/amd64", "darwin/arm64"]), build("cli", "cli", ["windows/amd64", "linux/amd64"])],
      DEFAULTS,
      CONTEXT,
      undefined,
    );
    assert.deepEqual(
      plan.binaries.map((b) => [b.build, b.file]),
      [
        ["srv", "srv_1.4.0_linux_amd64"],
        ["srv", "srv_1.4.0_darwin_arm64"],
        ["cli", "cli_1.4.0_windows_amd64.exe"],
        ["cli", "cli_1.4.0_linux_amd64"],
      ],
    );
    assert.deepEqual(
      plan.archives.map((a) => [a.name, a.binaries]),
      [
        ["hello_1.4.0_linux_amd64.tar.gz", ["srv_1.4.0_linux_amd64", "cli_1.4.0_linux_amd64"]],
        ["hello_1.4.0_darwin_arm64.tar.gz", ["srv_1.4.0_darwin_arm64"]],
        ["hello_1.4.0_windows_amd64.zip", ["cli_1.4.0_windows_amd64.exe"]],
      ],
    );
  });

  it("orders checksums by bytes (upper case before lower case, a name before its extensions)", () => {
    const plan = planAssets([build("b", "beta", ["linux/amd64"]), build("z", "Zed", ["linux/amd64"])], DEFAULTS, CONTEXT, undefined);
    assert.deepEqual(plan.checksums.order, ["Zed_1.4.0_linux_amd64", "beta_1.4.0_linux_amd64", "hello_1.4.0_linux_amd64.tar.gz"]);
  });

  it("applies formatOverrides per os; none leaves a platform without archive", () => {
    const plan = planAssets(
      [build("hello", "hello", ["linux/amd64", "darwin/arm64", "windows/arm64"])],
      settings({ format: "tar.xz", formatOverrides: { darwin: "zip", windows: "none" } }),
      CONTEXT,
      undefined,
    );
    assert.deepEqual(
      plan.archives.map((a) => [a.name, a.format]),
      [
        ["hello_1.4.0_linux_amd64.tar.xz", "tar.xz"],
        ["hello_1.4.0_darwin_arm64.zip", "zip"],
      ],
    );
    const bare = planAssets([build("hello", "hello", ["linux/amd64", "windows/arm64"])], settings("none"), CONTEXT, undefined);
    assert.deepEqual([bare.archives, bare.checksums.order], [[], ["hello_1.4.0_linux_amd64", "hello_1.4.0_windows_arm64.exe"]]);
    const onlyLinux = planAssets(
      [build("hello", "hello", ["linux/amd64", "darwin/arm64"])],
      settings({ format: "none", formatOverrides: { linux: "tar.gz" } }),
      CONTEXT,
      undefined,
    );
    assert.deepEqual(
      onlyLinux.archives.map((a) => a.name),
      ["hello_1.4.0_linux_amd64.tar.gz"],
    );
  });

  it("wrapInDirectory: true wraps in the archive's stem, a template is rendered per platform", () => {
    const builds = [build("hello", "hello", ["linux/arm/v7", "windows/amd64"])];
    assert.deepEqual(
      planAssets(builds, settings({ wrapInDirectory: true }), CONTEXT, undefined).archives.map((a) => a.directory),
      ["hello_1.4.0_linux_armv7", "hello_1.4.0_windows_amd64"],
    );
    assert.deepEqual(
      planAssets(builds, settings({ wrapInDirectory: "{{name}}-{{tag}}-{{os}}{{armv}}" }), CONTEXT, undefined).archives.map(
        (a) => a.directory,
      ),
      ["hello-v1.4.0-linuxv7", "hello-v1.4.0-windows"],
    );
    refuses(
      () => planAssets(builds, settings({ wrapInDirectory: "{{name}}/{{os}}" }), CONTEXT, undefined),
      `slipway:archives.wrapInDirectory = "{{name}}/{{os}}": renders "hello/linux", not a usable file name; ${FILE_FIX}`,
    );
    refuses(
      () => planAssets(builds, settings({ wrapInDirectory: "{{binary}}" }), CONTEXT, undefined),
      'slipway:archives.wrapInDirectory = "{{binary}}": unknown placeholder {{binary}}; fix: use {{name}}, {{version}}, {{tag}}, {{shortCommit}}, {{os}}, {{arch}}, {{arm}}, {{armv}}',
    );
  });

  it("binaries: false publishes only archives; files pass through", () => {
    const plan = planAssets(
      [build("hello", "hello", ["linux/amd64", "windows/amd64"])],
      settings({ binaries: false, files: ["NOTICE"] }),
      CONTEXT,
      undefined,
    );
    assert.deepEqual(
      plan.binaries.map((b) => [b.file, b.published]),
      [
        ["hello_1.4.0_linux_amd64", false],
        ["hello_1.4.0_windows_amd64.exe", false],
      ],
    );
    assert.deepEqual(plan.checksums.order, ["hello_1.4.0_linux_amd64.tar.gz", "hello_1.4.0_windows_amd64.zip"]);
    assert.deepEqual(plan.archiveFiles, { patterns: ["NOTICE"], defaults: false });
  });

  it("refuses a release with nothing to publish", () => {
    const message =
      'slipway:archives = "none": with archives none and binaries false nothing would be published; fix: set archives.binaries to true or choose an archive format';
    refuses(
      () => planAssets([build("hello", "hello", ["linux/amd64"])], settings({ format: "none", binaries: false }), CONTEXT, undefined),
      message,
    );
    refuses(
      () =>
        planAssets(
          [build("hello", "hello", ["linux/amd64"])],
          settings({ format: "none", formatOverrides: { windows: "zip" }, binaries: false }),
          CONTEXT,
          undefined,
        ),
      message,
    );
    assert.deepEqual(
      planAssets(
        [build("hello", "hello", ["windows/amd64"])],
        settings({ format: "none", formatOverrides: { windows: "zip" }, binaries: false }),
        CONTEXT,
        undefined,
      ).checksums.order,
      ["hello_1.4.0_windows_amd64.zip"],
    );
  });

  const FIX = "fix: add {{os}}, {{arch}}{{armv}} or {{binary}} so every asset has its own name";
  const collisions: [string, BuildPlan[], unknown, string | undefined, string][] = [
    [
      "binary names without {{arch}}",
      [build("hello", "hello", ["linux/amd64", "linux/arm64"])],
      { binaryNameTemplate: "{{binary}}_{{os}}" },
      undefined,
      `slipway:archives.binaryNameTemplate = "{{binary}}_{{os}}": names both the hello binary for linux/amd64 and the hello binary for linux/arm64 "hello_linux"; ${FIX}`,
    ],
    [
      "binary names without {{armv}}",
      [build("hello", "hello", ["linux/arm/v6", "linux/arm/v7"])],
      { binaryNameTemplate: "{{binary}}_{{os}}_{{arch}}" },
      undefined,
      `slipway:archives.binaryNameTemplate = "{{binary}}_{{os}}_{{arch}}": names both the hello binary for linux/arm/v6 and the hello binary for linux/arm/v7 "hello_linux_arm"; ${FIX}`,
    ],
    [
      "binary names without {{binary}}",
      [build("a", "a", ["linux/amd64"]), build("b", "b", ["linux/amd64"])],
      { binaryNameTemplate: "{{name}}_{{os}}_{{arch}}" },
      undefined,
      `slipway:archives.binaryNameTemplate = "{{name}}_{{os}}_{{arch}}": names both the a binary for linux/amd64 and the b binary for linux/amd64 "hello_linux_amd64"; ${FIX}`,
    ],
    [
      "archive names without {{arch}}",
      [build("hello", "hello", ["linux/amd64", "linux/arm64"])],
      { nameTemplate: "{{name}}_{{os}}" },
      undefined,
      `slipway:archives.nameTemplate = "{{name}}_{{os}}": names both the archive for linux/amd64 and the archive for linux/arm64 "hello_linux.tar.gz"; ${FIX}`,
    ],
    [
      "an archive named like a binary",
      [build("hello", "x", ["linux/amd64"])],
      { binaryNameTemplate: "x_{{os}}.tar.gz", nameTemplate: "x_{{os}}" },
      undefined,
      `slipway:archives.nameTemplate = "x_{{os}}": names both the hello binary for linux/amd64 and the archive for linux/amd64 "x_linux.tar.gz"; ${FIX}`,
    ],
    [
      "the checksums file named like an asset",
      [build("hello", "hello", ["linux/amd64"])],
      "none",
      "{{name}}_{{version}}_linux_amd64",
      `slipway:checksums = "{{name}}_{{version}}_linux_amd64": names both the hello binary for linux/amd64 and the checksums file "hello_1.4.0_linux_amd64"; ${FIX}`,
    ],
    [
      "two builds putting one executable into one archive",
      [build("a", "hello", ["linux/amd64"]), build("b", "hello", ["linux/amd64"])],
      {},
      undefined,
      `slipway:archives.binaryNameTemplate = "${DEFAULT_BINARY}": names both the a binary for linux/amd64 and the b binary for linux/amd64 "hello_1.4.0_linux_amd64"; ${FIX}`,
    ],
  ];
  for (const [title, builds, value, checksums, message] of collisions) {
    it(`refuses ${title}`, () => refuses(() => planAssets(builds, settings(value), CONTEXT, checksums), message));
  }

  it("refuses a name template that renders an unusable file name", () => {
    refuses(
      () => planAssets([build("hello", "hello", ["linux/amd64"])], settings({ nameTemplate: "{{os}}/{{arch}}" }), CONTEXT, undefined),
      `slipway:archives.nameTemplate = "{{os}}/{{arch}}": renders "linux/amd64", not a usable file name; ${FILE_FIX}`,
    );
    refuses(
      () => planAssets([build("hello", "hello", ["linux/amd64"])], settings({ binaryNameTemplate: "_{{binary}}" }), CONTEXT, undefined),
      `slipway:archives.binaryNameTemplate = "_{{binary}}": renders "_hello", not a usable file name; ${FILE_FIX}`,
    );
    refuses(
      () =>
        planAssets(
          [build("hello", "hello", ["linux/amd64"])],
          settings({ replacements: { os: { linux: "Linux OS" } } }),
          CONTEXT,
          undefined,
        ),
      `slipway:archives.binaryNameTemplate = "${DEFAULT_BINARY}": renders "hello_1.4.0_Linux OS_amd64", not a usable file name; ${FILE_FIX}`,
    );
  });

  it("names the checksums file from its template", () => {
    assert.equal(
      planAssets([build("hello", "hello", ["linux/amd64"])], DEFAULTS, CONTEXT, "{{name}}_{{tag}}_checksums.txt").checksums.file,
      "hello_v1.4.0_checksums.txt",
    );
  });
});

describe("checksumsFileName", () => {
  const rows: [string | undefined, string][] = [
    [undefined, "SHA256SUMS"],
    ["SHA256SUMS.txt", "SHA256SUMS.txt"],
    ["{{name}}_{{version}}_checksums.txt", "hello_1.4.0_checksums.txt"],
    ["{{name}}-{{tag}}.sha256", "hello-v1.4.0.sha256"],
  ];
  for (const [template, expected] of rows) {
    it(`${String(template)} → ${expected}`, () => assert.equal(checksumsFileName(template, CONTEXT), expected));
  }

  it("refuses an unknown placeholder and an unusable name", () => {
    refuses(
      () => checksumsFileName("{{os}}.sums", CONTEXT),
      'slipway:checksums = "{{os}}.sums": unknown placeholder {{os}}; fix: use {{name}}, {{version}}, {{tag}}',
    );
    refuses(
      () => checksumsFileName("sums/{{version}}", CONTEXT),
      `slipway:checksums = "sums/{{version}}": renders "sums/1.4.0", not a usable file name; ${FILE_FIX}`,
    );
    refuses(() => checksumsFileName(".sums", CONTEXT), `slipway:checksums = ".sums": renders ".sums", not a usable file name; ${FILE_FIX}`);
  });
});
