import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ArchiveContext, mapArchives, mapChecksum } from "../../plan/goreleaserArchives";
import { Source } from "../../plan/goreleaserSource";

const CONTEXT: ArchiveContext = {
  v2: true,
  platforms: ["darwin/arm64", "linux/amd64"],
  buildIds: ["tool"],
  projectName: "tool",
  binaries: ["tool"],
};
/** The notes of GoReleaser's default name template: its mips and amd64 parts render empty. */
const MIPS = "{{ with .Mips }} dropped: it renders empty for slipway's platforms (no mips)";
const AMD64 = '{{ if not (eq .Amd64 "v1") }} dropped: it renders empty (slipway builds amd64 as v1)';
const DEFAULT_NAME = "{{name}}_{{version}}_{{os}}_{{arch}}{{armv}}";

interface Result {
  readonly settings: Record<string, unknown>;
  /** `<line> <key> → <to>[: <note>]`, without the default name template's two notes. */
  readonly mapped: string[];
  /** `<line> <key>: <note>`. */
  readonly unmapped: string[];
  /** Every mapped entry, the default template's notes included. */
  readonly allMapped: string[];
}

function run(yaml: string, key: string, map: (src: Source, field: ReturnType<Source["fields"]>[number] | undefined) => unknown): Result {
  const src = Source.parse(yaml);
  const settings = map(
    src,
    src.fields(src.root(), "").find((field) => field.key === key),
  ) as Record<string, unknown>;
  const allMapped = src.mapped.map(
    (entry) => `${entry.line} ${entry.key} → ${entry.to}${entry.note === undefined ? "" : `: ${entry.note}`}`,
  );
  return {
    settings,
    allMapped,
    mapped: allMapped.filter((line) => !line.endsWith(MIPS) && !line.endsWith(AMD64)),
    unmapped: src.unmapped.map((entry) => `${entry.line} ${entry.key}: ${entry.note}`),
  };
}

const archives = (yaml: string, context: Partial<ArchiveContext> = {}): Result =>
  run(yaml, "archives", (src, field) => mapArchives(src, field, { ...CONTEXT, ...context }));
const checksum = (yaml: string): Result & { name: unknown } => {
  const result = run(yaml, "checksum", (src, field) => ({ name: mapChecksum(src, field) }));
  return { ...result, name: result.settings.name };
};

describe("archive format", () => {
  const spellings: [string, string][] = [
    ["tar.gz", "tar.gz"],
    ["tgz", "tar.gz"],
    ["tar.xz", "tar.xz"],
    ["txz", "tar.xz"],
    ["zip", "zip"],
  ];
  for (const [spelling, format] of spellings) {
    it(`format ${spelling} → ${format}`, () => {
      const result = archives(`archives:\n  - format: ${spelling}\n`);
      assert.equal(result.settings.format, format);
      assert.deepEqual(result.mapped, ["2 archives[0].format → archives.format"]);
      assert.deepEqual(result.unmapped, []);
    });
  }

  const rows: [string, string, string, string[], string[]][] = [
    // name, archive body, format, mapped, unmapped
    ["no format → tar.gz", "id: a", "tar.gz", ["2 archives[0].id → (omitted): slipway has one archive set"], []],
    [
      "an unknown format is reported and tar.gz kept",
      "format: rar",
      "tar.gz",
      [],
      ["2 archives[0].format: format rar: slipway writes tar.gz, tar.xz or zip"],
    ],
    ["formats with one entry", "formats: [zip]", "zip", ["2 archives[0].formats → archives.format"], []],
    ["formats: [] → tar.gz", "formats: []", "tar.gz", [], []],
    [
      "v1 format with a list is not one format",
      "format: [zip, tar.gz]",
      "tar.gz",
      [],
      ["2 archives[0].format: format zip,tar.gz: slipway writes tar.gz, tar.xz or zip"],
    ],
  ];
  for (const [name, body, format, mapped, unmapped] of rows) {
    it(name, () => {
      const result = archives(`archives:\n  - ${body}\n`);
      assert.deepEqual([result.settings.format, result.mapped, result.unmapped], [format, mapped, unmapped]);
    });
  }

  it("format binary → format none with GoReleaser's default bare-binary name", () => {
    const result = archives("archives:\n  - format: binary\n");
    assert.deepEqual(result.settings, {
      format: "none",
      formatOverrides: {},
      binaryNameTemplate: DEFAULT_NAME.replace("{{name}}", "{{binary}}"),
      binaries: true,
    });
    assert.deepEqual(result.mapped, [
      "2 archives[0].format → archives.format: binary: format none with bare binaries (archives.binaryNameTemplate)",
    ]);
  });

  it("a binary name template → binaryNameTemplate", () => {
    const result = archives('archives:\n  - formats: binary\n    name_template: "{{ .Binary }}_{{ .Os }}"\n');
    assert.equal(result.settings.binaryNameTemplate, "{{binary}}_{{os}}");
    assert.deepEqual(result.mapped, [
      "2 archives[0].formats → archives.format: binary: format none with bare binaries (archives.binaryNameTemplate)",
      "3 archives[0].name_template → archives.binaryNameTemplate",
    ]);
  });
});

describe("archive format_overrides", () => {
  it("maps goos → format; bare binaries, incomplete entries and unknown keys are not mapped", () => {
    const result = archives(
      [
        "archives:",
        "  - format_overrides:",
        "      - goos: windows",
        "        formats: [zip]",
        "      - goos: darwin",
        "        format: binary",
        "      - formats: binary",
        "      - format: zip",
        "      - goos: linux",
        "      - goos: freebsd",
        "        format: tgz",
        "        foo: bar",
        "",
      ].join("\n"),
    );
    assert.deepEqual(result.settings.formatOverrides, { windows: "zip", freebsd: "tar.gz" });
    assert.deepEqual(result.mapped, [
      "3 archives[0].format_overrides[0] → archives.formatOverrides.windows",
      "10 archives[0].format_overrides[5] → archives.formatOverrides.freebsd",
    ]);
    assert.deepEqual(result.unmapped, [
      "5 archives[0].format_overrides[1]: darwin: slipway cannot publish bare binaries for some platforms only",
      "7 archives[0].format_overrides[2]: ?: slipway cannot publish bare binaries for some platforms only",
      "12 archives[0].format_overrides[5].foo: unknown GoReleaser format_overrides key; not mapped",
    ]);
  });
});

describe("archive format_overrides lists", () => {
  it("formats (v2) keeps the first; format (v1) with a list is not a format", () => {
    const result = archives(
      "archives:\n  - format_overrides:\n      - goos: windows\n        formats: [zip, tgz]\n      - goos: darwin\n        format: [zip, tgz]\n",
    );
    assert.deepEqual(result.settings.formatOverrides, { windows: "zip" });
    assert.deepEqual(result.unmapped, [
      "4 archives[0].format_overrides[0].formats: formats zip, tgz: slipway writes one format per platform; kept zip",
      "6 archives[0].format_overrides[1].format: format zip,tgz: slipway writes tar.gz, tar.xz or zip",
    ]);
  });
});

describe("archive replacements", () => {
  const OSES = ["aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js", "linux", "netbsd", "openbsd", "plan9"];
  const MORE_OSES = ["solaris", "wasip1", "windows"];
  const ARCHES = ["386", "amd64", "arm", "arm64", "loong64", "mips", "mips64", "mips64le", "mipsle", "ppc64", "ppc64le", "riscv64"];
  const MORE_ARCHES = ["s390x", "wasm"];
  const all = [...OSES, ...MORE_OSES, ...ARCHES, ...MORE_ARCHES];

  it("every GOOS and GOARCH name can be replaced; anything else is reported", () => {
    const body = all.map((name) => `      "${name}": X${name}`).join("\n");
    const result = archives(`archives:\n  - replacements:\n${body}\n      x86_64: X\n`);
    const spelled = (names: string[]): Record<string, string> => Object.fromEntries(names.map((name) => [name, `X${name}`]));
    assert.deepEqual(result.settings.replacements, { os: spelled([...OSES, ...MORE_OSES]), arch: spelled([...ARCHES, ...MORE_ARCHES]) });
    assert.deepEqual(
      result.mapped,
      all.map(
        (name, i) =>
          `${i + 3} archives[0].replacements.${name} → archives.replacements.${OSES.includes(name) || MORE_OSES.includes(name) ? "os" : "arch"}.${name}`,
      ),
    );
    assert.deepEqual(result.unmapped, [
      `${all.length + 3} archives[0].replacements.x86_64: replacement of x86_64: slipway replaces os and arch names only`,
    ]);
  });

  it("a replacement the name template agrees with is kept once", () => {
    const result = archives(
      'archives:\n  - replacements: {darwin: Darwin, linux: Linux}\n    name_template: "{{ .ProjectName }}_{{ title .Os }}"\n',
    );
    assert.deepEqual(
      [result.settings.nameTemplate, result.settings.replacements, result.unmapped],
      ["{{name}}_{{os}}", { os: { darwin: "Darwin", linux: "Linux" } }, []],
    );
  });

  it("an os the name template renders otherwise than replacements: the template is not mapped", () => {
    const result = archives('archives:\n  - replacements: {darwin: macOS}\n    name_template: "{{ .ProjectName }}_{{ title .Os }}"\n');
    assert.deepEqual(result.settings, {
      format: "tar.gz",
      formatOverrides: {},
      replacements: { os: { darwin: "macOS" } },
      binaries: false,
    });
    assert.deepEqual(result.unmapped, [
      "3 archives[0].name_template: os darwin renders as both macOS and Darwin; slipway has one replacement per name",
    ]);
    assert.deepEqual(result.mapped, ["2 archives[0].replacements.darwin → archives.replacements.os.darwin"]);
  });

  it("a name template refused for a conflicting os adds none of its other replacements", () => {
    const result = archives('archives:\n  - replacements: {darwin: macOS}\n    name_template: "{{ .ProjectName }}_{{ title .Os }}"\n', {
      platforms: ["linux/amd64", "darwin/arm64"],
    });
    assert.deepEqual(result.settings.replacements, { os: { darwin: "macOS" } });
  });

  it("an arch the name template renders otherwise than replacements: the template is not mapped", () => {
    const result = archives(
      "archives:\n  - replacements: {amd64: x86_64}\n    name_template: '{{ .ProjectName }}_{{ if eq .Arch \"amd64\" }}x64{{ else }}{{ .Arch }}{{ end }}'\n",
    );
    assert.deepEqual(
      [result.settings.nameTemplate, result.settings.replacements, result.unmapped],
      [
        undefined,
        { arch: { amd64: "x86_64" } },
        ["3 archives[0].name_template: arch amd64 renders as both x86_64 and x64; slipway has one replacement per name"],
      ],
    );
  });
});

describe("archive files", () => {
  it("globs and src/dst entries; templates, info, strip_parent and unknown keys reported", () => {
    const result = archives(
      [
        "archives:",
        "  - files:",
        "      - LICENSE",
        '      - "{{ .Os }}/*"',
        "      - src: docs/*",
        "        dst: docs",
        "        strip_parent: false",
        "        foo: 1",
        "      - src: man/*",
        "        strip_parent: true",
        "        info: {owner: root}",
        "      - none*",
        "",
      ].join("\n"),
    );
    assert.deepEqual(result.settings.files, ["LICENSE", { src: "docs/*", dst: "docs" }, { src: "man/*" }]);
    assert.deepEqual(result.mapped, [
      "3 archives[0].files[0] → archives.files",
      "5 archives[0].files[2] → archives.files",
      "9 archives[0].files[3] → archives.files",
      "12 archives[0].files[4] → archives.files: none*: GoReleaser's idiom for no extra files",
    ]);
    assert.deepEqual(result.unmapped, [
      "4 archives[0].files[1]: template in {{ .Os }}/*: slipway globs are plain",
      "8 archives[0].files[2].foo: unknown GoReleaser files key; not mapped",
      "10 archives[0].files[3].strip_parent: slipway keeps paths (use dst)",
      "11 archives[0].files[3].info: slipway stores files as 0:0 with their mode and the commit time",
    ]);
  });

  it("an entry without src, with a blank src or with a template src is reported, not carried over", () => {
    const result = archives(
      "archives:\n  - files:\n      - dst: docs\n      - src: ' '\n      - src: '{{ .Env.DOCS }}/*'\n        dst: docs\n",
    );
    assert.deepEqual([result.settings.files, result.mapped], [[], []]);
    assert.deepEqual(result.unmapped, [
      "3 archives[0].files[0]: a files entry needs src, a glob of the module's files",
      "4 archives[0].files[1]: a files entry needs src, a glob of the module's files",
      "5 archives[0].files[2]: template in {{ .Env.DOCS }}/*: slipway globs are plain",
    ]);
  });

  const idioms: [string, unknown[]][] = [
    ["none*", []],
    ["NONE*", []],
    ["nonexistent*", []],
    ["non-existent*", []],
    ["none*.md", ["none*.md"]],
    ["docs/none*", ["docs/none*"]],
  ];
  for (const [glob, files] of idioms) {
    it(`files: [${glob}] → ${JSON.stringify(files)}`, () =>
      assert.deepEqual(archives(`archives:\n  - files: ["${glob}"]\n`).settings.files, files));
  }
});

describe("archive build selection and keys with nothing to map", () => {
  const rows: [string, string, readonly string[], string[], string[]][] = [
    // name, archive body, build ids, mapped, unmapped
    ["builds naming every build", "builds: [tool]", ["tool"], ["2 archives[0].builds → (always): every build is archived"], []],
    ["ids naming every build, in any order", "ids: [b, a]", ["a", "b"], ["2 archives[0].ids → (always): every build is archived"], []],
    [
      "ids naming some builds",
      "ids: [a, c]",
      ["a", "b"],
      [],
      ["2 archives[0].ids: archives of builds a, c only: slipway archives every build of a platform together"],
    ],
    ["id", "id: x", ["tool"], ["2 archives[0].id → (omitted): slipway has one archive set"], []],
    ["rlcp", "rlcp: true", ["tool"], ["2 archives[0].rlcp → (always): slipway archives files at their path relative to the module"], []],
    [
      "strip_binary_directory",
      "strip_binary_directory: true",
      ["tool"],
      ["2 archives[0].strip_binary_directory → (always): slipway puts binaries at the archive root"],
      [],
    ],
    ["an unknown key", "foo: 1", ["tool"], [], ["2 archives[0].foo: unknown GoReleaser archive key; not mapped"]],
  ];
  for (const [name, body, buildIds, mapped, unmapped] of rows) {
    it(name, () => {
      const result = archives(`archives:\n  - ${body}\n`, { buildIds });
      assert.deepEqual([result.mapped, result.unmapped], [mapped, unmapped]);
    });
  }
});

describe("archive name templates", () => {
  it("GoReleaser's default name, with its notes on the archive entry", () => {
    const result = archives("archives:\n  - format: zip\n");
    assert.deepEqual(result.settings, { format: "zip", formatOverrides: {}, nameTemplate: DEFAULT_NAME, binaries: false });
    assert.deepEqual(result.allMapped, [
      "2 archives[0].format → archives.format",
      `2 archives[0] → archives: ${MIPS}`,
      `2 archives[0] → archives: ${AMD64}`,
    ]);
  });

  it("archives absent: the default name's notes are on line 1, key archives", () => {
    const result = archives("version: 2\n");
    assert.deepEqual(result.allMapped, [`1 archives → archives: ${MIPS}`, `1 archives → archives: ${AMD64}`]);
  });

  it("archives: [] → the default name's notes are at the archives key", () => {
    const result = archives("version: 2\n\narchives: []\n");
    assert.deepEqual(result.allMapped, [`3 archives → archives: ${MIPS}`, `3 archives → archives: ${AMD64}`]);
  });

  it("a template slipway cannot express is reported and no nameTemplate is set", () => {
    const result = archives('archives:\n  - name_template: "{{ .Env.X }}"\n');
    assert.deepEqual(result.settings, { format: "tar.gz", formatOverrides: {}, binaries: false });
    assert.deepEqual(result.mapped, []);
    assert.deepEqual(result.unmapped, ["2 archives[0].name_template: template {{ .Env.X }} has no slipway placeholder"]);
  });

  it("a translated template → nameTemplate, title .Os over the builds' operating systems", () => {
    const result = archives('archives:\n  - name_template: "{{ .ProjectName }}_{{ title .Os }}_{{ .Arch }}"\n', {
      platforms: ["linux/amd64", "linux/arm64", "windows/amd64"],
    });
    assert.deepEqual(result.settings, {
      format: "tar.gz",
      formatOverrides: {},
      nameTemplate: "{{name}}_{{os}}_{{arch}}",
      replacements: { os: { linux: "Linux", windows: "Windows" } },
      binaries: false,
    });
    assert.deepEqual(result.mapped, ["2 archives[0].name_template → archives.nameTemplate"]);
  });

  const binaries: [string, Partial<ArchiveContext>, unknown, string[]][] = [
    // name, context, nameTemplate, unmapped
    ["one binary named like the project → {{name}}", { binaries: ["tool", "tool"] }, "{{name}}_{{os}}", []],
    ["one binary named otherwise → its name", { binaries: ["hammer", "hammer"] }, "hammer_{{os}}", []],
    [
      "two binary names → .Binary is not one name",
      { binaries: ["tool", "hammer"] },
      undefined,
      ["2 archives[0].name_template: template {{ .Binary }} has no slipway placeholder"],
    ],
    [
      "no binaries → .Binary is not one name",
      { binaries: [] },
      undefined,
      ["2 archives[0].name_template: template {{ .Binary }} has no slipway placeholder"],
    ],
  ];
  for (const [name, context, nameTemplate, unmapped] of binaries) {
    it(`.Binary in an archive name: ${name}`, () => {
      const result = archives('archives:\n  - name_template: "{{ .Binary }}_{{ .Os }}"\n', context);
      assert.deepEqual([result.settings.nameTemplate, result.unmapped], [nameTemplate, unmapped]);
    });
  }

  it("builds for mips: GoReleaser's default name keeps its mips part, which slipway cannot express", () => {
    const result = archives("archives:\n  - format: zip\n", { platforms: ["linux/amd64", "linux/mips"] });
    assert.equal(result.settings.nameTemplate, undefined);
    assert.deepEqual(result.unmapped, ["2 archives[0]: template {{ with .Mips }} has no slipway placeholder"]);
  });
});

describe("archive wrap_in_directory", () => {
  const rows: [string, unknown, string[], string[]][] = [
    // value, wrapInDirectory, mapped, unmapped
    ["true", true, ["2 archives[0].wrap_in_directory → archives.wrapInDirectory"], []],
    ['"true"', true, ["2 archives[0].wrap_in_directory → archives.wrapInDirectory"], []],
    ["false", undefined, ["2 archives[0].wrap_in_directory → archives.wrapInDirectory"], []],
    ['"false"', undefined, ["2 archives[0].wrap_in_directory → archives.wrapInDirectory"], []],
    ['"{{ .ProjectName }}_{{ .Os }}"', "{{name}}_{{os}}", ["2 archives[0].wrap_in_directory → archives.wrapInDirectory"], []],
    ['"{{ .Env.DIR }}"', undefined, [], ["2 archives[0].wrap_in_directory: template {{ .Env.DIR }} has no slipway placeholder"]],
  ];
  for (const [value, wrapInDirectory, mapped, unmapped] of rows) {
    it(`wrap_in_directory: ${value}`, () => {
      const result = archives(`archives:\n  - wrap_in_directory: ${value}\n`);
      assert.deepEqual(
        [result.settings.wrapInDirectory, "wrapInDirectory" in result.settings, result.mapped, result.unmapped],
        [wrapInDirectory, wrapInDirectory !== undefined, mapped, unmapped],
      );
    });
  }
});

describe("checksum", () => {
  it("absent → GoReleaser's default name, nothing reported", () => {
    const result = checksum("version: 2\n");
    assert.deepEqual([result.name, result.mapped, result.unmapped], ["{{name}}_{{version}}_checksums.txt", [], []]);
  });

  const rows: [string, string, unknown, string[], string[]][] = [
    // name, checksum body, file name, mapped, unmapped
    [
      "name_template with the project name, version and tag",
      'name_template: "{{ .ProjectName }}-{{ .Version }}-{{ .Tag }}.sums"',
      "{{name}}-{{version}}-{{tag}}.sums",
      ["2 checksum.name_template → checksums"],
      [],
    ],
    [
      "a name_template slipway cannot express keeps the default name",
      'name_template: "{{ .Env.SUMS }}"',
      "{{name}}_{{version}}_checksums.txt",
      [],
      ["2 checksum.name_template: template {{ .Env.SUMS }} has no slipway placeholder ({{name}}, {{version}}, {{tag}})"],
    ],
    [
      "algorithm sha256",
      "algorithm: sha256",
      "{{name}}_{{version}}_checksums.txt",
      ["2 checksum.algorithm → (always): slipway writes sha256"],
      [],
    ],
    [
      "disable: true is not followed",
      "disable: true",
      "{{name}}_{{version}}_checksums.txt",
      [],
      ["2 checksum.disable: slipway always publishes a checksum file"],
    ],
    [
      'disable: "true" is not followed',
      'disable: "true"',
      "{{name}}_{{version}}_checksums.txt",
      [],
      ["2 checksum.disable: slipway always publishes a checksum file"],
    ],
    ["disable: false", "disable: false", "{{name}}_{{version}}_checksums.txt", ["2 checksum.disable → (always)"], []],
    [
      "extra_files",
      "extra_files: [{glob: x}]",
      "{{name}}_{{version}}_checksums.txt",
      [],
      ["2 checksum.extra_files: slipway checksums its own assets only"],
    ],
    ["split", "split: true", "{{name}}_{{version}}_checksums.txt", [], ["2 checksum.split: slipway writes one checksum file"]],
    [
      "an unknown key",
      "foo: bar",
      "{{name}}_{{version}}_checksums.txt",
      [],
      ["2 checksum.foo: unknown GoReleaser checksum key; not mapped"],
    ],
  ];
  for (const [name, body, file, mapped, unmapped] of rows) {
    it(name, () => {
      const result = checksum(`checksum:\n  ${body}\n`);
      assert.deepEqual([result.name, result.mapped, result.unmapped], [file, mapped, unmapped]);
    });
  }
});
