import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CHECKSUM_FIELDS,
  NameContext,
  buildFields,
  lexTemplate,
  translateFields,
  translateImageTag,
  translateNameTemplate,
} from "../../plan/goreleaserTemplates";

describe("lexTemplate", () => {
  const rows: [string, string, unknown][] = [
    [
      "text around actions is kept, leading whitespace included",
      "  a {{ .Version }} b ",
      [
        { kind: "text", text: "  a " },
        { kind: "action", body: ".Version", raw: "{{ .Version }}" },
        { kind: "text", text: " b " },
      ],
    ],
    [
      "{{- trims all whitespace before the action",
      "a \n {{- .Version }}",
      [
        { kind: "text", text: "a" },
        { kind: "action", body: ".Version", raw: "{{- .Version }}" },
      ],
    ],
    [
      "-}} trims all leading whitespace of the next text, nothing inside it",
      "{{ .Version -}} \n x y",
      [
        { kind: "action", body: ".Version", raw: "{{ .Version -}}" },
        { kind: "text", text: "x y" },
      ],
    ],
    [
      "-}} with no whitespace after it leaves the text alone",
      "{{ .Version -}}x y",
      [
        { kind: "action", body: ".Version", raw: "{{ .Version -}}" },
        { kind: "text", text: "x y" },
      ],
    ],
    [
      "a - without a space before }} is not a trim marker",
      "{{ .A -b-}} x",
      [
        { kind: "action", body: ".A -b-", raw: "{{ .A -b-}}" },
        { kind: "text", text: " x" },
      ],
    ],
    [
      "runs of whitespace in an action are one space; none inside parentheses",
      '{{ if  not ( eq .Amd64  "v1" ) }}',
      [{ kind: "action", body: 'if not (eq .Amd64 "v1")', raw: '{{ if  not ( eq .Amd64  "v1" ) }}' }],
    ],
    [
      "}} before the first {{ is text",
      "}}{{ .Tag }}",
      [
        { kind: "text", text: "}}" },
        { kind: "action", body: ".Tag", raw: "{{ .Tag }}" },
      ],
    ],
    ["an unterminated action is not a template", "a {{ .Version", undefined],
    ["the empty template has no tokens", "", []],
  ];
  for (const [name, template, want] of rows) it(name, () => assert.deepEqual(lexTemplate(template), want));
});

describe("translateFields", () => {
  const fields = buildFields("example.com/m");
  const rows: [string, unknown][] = [
    ["{{ .RawVersion }}", { ok: true, text: "{{version}}" }],
    ["a {{ .Version", { ok: false, template: "a {{ .Version" }],
    ["{{ x.Version }}", { ok: false, template: "{{ x.Version }}" }],
    ["}}{{ .Version }}", { ok: true, text: "}}{{version}}" }],
  ];
  for (const [template, want] of rows) it(JSON.stringify(template), () => assert.deepEqual(translateFields(template, fields), want));

  it("checksum names know the project name, version and tag", () =>
    assert.deepEqual(translateFields("{{ .ProjectName }}_{{ .Version }}_{{ .Tag }}.sha", CHECKSUM_FIELDS), {
      ok: true,
      text: "{{name}}_{{version}}_{{tag}}.sha",
    }));
});

describe("translateImageTag", () => {
  const rows: [string, unknown][] = [
    ["{{ .Patch }}", { ok: true, text: "{{patch}}" }],
    [" {{ .ShortCommit }} ", { ok: true, text: "sha-{{sha}}" }],
    [" {{ .Version }} ", { ok: true, text: "{{version}}" }],
    ["{{ .Tag", { ok: false, template: "{{ .Tag" }],
  ];
  for (const [template, want] of rows) it(JSON.stringify(template), () => assert.deepEqual(translateImageTag(template), want));
});

describe("translateNameTemplate", () => {
  const context: NameContext = { oses: ["linux", "darwin"], hasMips: false, binary: false };
  const plain = (text: string, extra: Record<string, unknown> = {}): unknown => ({
    text,
    os: undefined,
    arch: undefined,
    rawOs: false,
    rawArch: false,
    notes: [],
    ...extra,
  });
  const TITLE = { linux: "Linux", darwin: "Darwin" };
  const rows: [string, string, NameContext, unknown][] = [
    ["lower .Os is the os", "{{ lower .Os }}", context, plain("{{os}}", { rawOs: true })],
    ["tolower .Os is the os", "{{ tolower .Os }}", context, plain("{{os}}", { rawOs: true })],
    [".Os | lower is the os", "{{ .Os | lower }}", context, plain("{{os}}", { rawOs: true })],
    [".Os | tolower is the os", "{{ .Os | tolower }}", context, plain("{{os}}", { rawOs: true })],
    [".Os | title is the titled os", "{{ .Os | title }}", context, plain("{{os}}", { os: TITLE })],
    ["lower .Os piped on is refused", "{{ lower .Os | title }}", context, { template: "{{ lower .Os | title }}" }],
    ["a function of lower .Os is refused", "{{ upper lower .Os }}", context, { template: "{{ upper lower .Os }}" }],
    ["the same title .Os twice is one replacement", "{{ title .Os }}-{{ title .Os }}", context, plain("{{os}}-{{os}}", { os: TITLE })],
    [
      "two different os replacements are refused",
      '{{ title .Os }}_{{ if eq .Os "darwin" }}mac{{ else }}{{ .Os }}{{ end }}',
      context,
      { template: '{{ if eq .Os "darwin" }}' },
    ],
    [
      ".Arch beside a replaced arch is refused, even with a raw .Os",
      '{{ .Os }}_{{ if eq .Arch "amd64" }}x86_64{{ else }}{{ .Arch }}{{ end }}_{{ .Arch }}',
      context,
      { template: "{{ .Arch }} beside a replaced arch" },
    ],
    ["Arm and ShortCommit fields", "{{ .Arm }}-{{ .ShortCommit }}", context, plain("{{arm}}-{{shortCommit}}")],
    ["a field with a prefix is refused", "{{ x.Version }}", context, { template: "{{ x.Version }}" }],
    ["a piped field is refused", "{{ .Version | upper }}", context, { template: "{{ .Version | upper }}" }],
    [
      "bare binaries: only .Binary becomes {{binary}}",
      "{{ .Binary }}_{{ .Version }}",
      { ...context, binary: true },
      plain("{{binary}}_{{version}}"),
    ],
    [
      "the one binary name of an archive, spelled out",
      "{{ .Binary }}_{{ .Os }}",
      { ...context, archiveBinary: "hammer" },
      plain("hammer_{{os}}", { rawOs: true, notes: ["{{ .Binary }} is the one binary name, hammer"] }),
    ],
    ["an unterminated action", "{{ .Os", context, { template: "{{ .Os" }],
    ["a block without end names its head", "{{ .Os }}{{ with .Arm }}v{{ . }}", context, { template: "{{ with .Arm }}" }],
    ["an else branch without end names the else", '{{ if eq .Os "darwin" }}mac{{ else }}{{ .Os }}', context, { template: "{{ else }}" }],
    ["if .Arm with the level", "{{ if .Arm }}{{ .Arm }}{{ end }}", context, plain("{{arm}}")],
    ["with .Arm with text around the level is refused", "{{ with .Arm }}arm{{ . }}{{ end }}", context, { template: "{{ with .Arm }}" }],
    ["with .Arm with another action is refused", "{{ with .Arm }}{{ .Os }}v{{ . }}{{ end }}", context, { template: "{{ with .Arm }}" }],
    ["with .Arm rendering another field is refused", "{{ with .Arm }}v{{ .Os }}{{ end }}", context, { template: "{{ with .Arm }}" }],
    ["with .Arm64 is not with .Arm", "{{ with .Arm64 }}v{{ . }}{{ end }}", context, { template: "{{ with .Arm64 }}" }],
    ["with .Arm and an else is refused", "{{ with .Arm }}v{{ . }}{{ else }}x{{ end }}", context, { template: "{{ with .Arm }}" }],
    ["with .Mips and an else is refused", "{{ with .Mips }}_{{ . }}{{ else }}x{{ end }}", context, { template: "{{ with .Mips }}" }],
    ["with .Mips64 is not with .Mips", "{{ with .Mips64 }}_{{ . }}{{ end }}", context, { template: "{{ with .Mips64 }}" }],
    [
      "an action merely containing if is not a block",
      '{{ .Os }}{{ with .Mips }}_{{ .Mips | printf "if %s" }}{{ end }}',
      context,
      plain("{{os}}", { rawOs: true, notes: ["{{ with .Mips }} dropped: it renders empty for slipway's platforms (no mips)"] }),
    ],
    [
      'ne .Amd64 "v1" renders empty',
      '{{ .Os }}{{ if ne .Amd64 "v1" }}{{ .Amd64 }}{{ end }}',
      context,
      plain("{{os}}", { rawOs: true, notes: ['{{ if ne .Amd64 "v1" }} dropped: it renders empty (slipway builds amd64 as v1)'] }),
    ],
    [
      "a negated .Amd64 check renders v1: it is refused, not dropped",
      '{{ if ne .Amd64 "v1" | not }}{{ .Amd64 }}{{ end }}',
      context,
      { template: '{{ if ne .Amd64 "v1" | not }}' },
    ],
    [
      "the .Amd64 block with an else is refused",
      '{{ if ne .Amd64 "v1" }}{{ .Amd64 }}{{ else }}x{{ end }}',
      context,
      { template: '{{ if ne .Amd64 "v1" }}' },
    ],
    [
      "an os chain with several values per branch; the first branch wins",
      '{{ if eq .Os "darwin" "ios" }}apple{{ else if eq .Os "linux" "darwin" }}tux{{ else }}{{ .Os }}{{ end }}',
      context,
      plain("{{os}}", { os: { darwin: "apple", ios: "apple", linux: "tux" } }),
    ],
    [
      "a chain's else must be the field itself, alone",
      '{{ if eq .Os "darwin" }}mac{{ else }}{{ .Os }}x{{ end }}',
      context,
      { template: '{{ if eq .Os "darwin" }}' },
    ],
    [
      "a chain's else of text is refused",
      '{{ if eq .Os "darwin" }}mac{{ else }}other{{ end }}',
      context,
      { template: '{{ if eq .Os "darwin" }}' },
    ],
    [
      "a chain's else of the other field is refused",
      '{{ if eq .Os "darwin" }}mac{{ else }}{{ .Arch }}{{ end }}',
      context,
      { template: '{{ if eq .Os "darwin" }}' },
    ],
    [
      "a chain's empty else is refused",
      '{{ if eq .Os "darwin" }}mac{{ else }}{{ end }}',
      context,
      { template: '{{ if eq .Os "darwin" }}' },
    ],
    [
      "a chain branch comparing with an unquoted value is refused",
      '{{ if eq .Os "darwin" }}mac{{ else if eq .Os linux }}lin{{ else }}{{ .Os }}{{ end }}',
      context,
      { template: '{{ if eq .Os "darwin" }}' },
    ],
    [
      "a chain branch on another field is refused",
      '{{ if eq .Os "darwin" }}mac{{ else if eq .Arch "arm64" }}x{{ else }}{{ .Os }}{{ end }}',
      context,
      { template: '{{ if eq .Os "darwin" }}' },
    ],
    [
      "a chain branch rendering more than one text is refused",
      '{{ if eq .Os "darwin" }}mac{{ .Arch }}{{ else }}{{ .Os }}{{ end }}',
      context,
      { template: '{{ if eq .Os "darwin" }}' },
    ],
    [
      "a chain branch rendering an action is refused",
      '{{ if eq .Os "darwin" }}{{ .Arch }}{{ else }}{{ .Os }}{{ end }}',
      context,
      { template: '{{ if eq .Os "darwin" }}' },
    ],
  ];
  for (const [name, template, ctx, want] of rows) it(name, () => assert.deepEqual(translateNameTemplate(template, ctx), want));
});
