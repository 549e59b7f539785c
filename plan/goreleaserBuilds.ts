// GoReleaser `builds:` → `slipway:builds` entries and their platforms.
import { OWNED_ENV, OWNED_FLAGS } from "./builds";
import { Field, Source } from "./goreleaserSource";
import { buildFields, translateFields } from "./goreleaserTemplates";
import {
  DEFAULT_GOARCH,
  DEFAULT_GOARM,
  DEFAULT_GOOS,
  IgnoreRule,
  PlatformMatrix,
  expandMatrix,
  expandTargets,
} from "./goreleaserPlatforms";

/** What the build rules need to know about the whole config. */
export interface BuildContext {
  readonly projectName: string;
  readonly moduleName: string;
  readonly v2: boolean;
  /** Dropped `os/arch` pairs already reported (each is reported once per config). */
  readonly droppedSeen: Set<string>;
}

/** One mapped build: the slipway entry (without platforms) and its platform ids. */
export interface MappedBuild {
  readonly build: Record<string, unknown>;
  readonly platforms: readonly string[];
}

interface Acc {
  id?: string;
  main?: string;
  binary?: string;
  ldflags?: string[];
  readonly flags: string[];
  readonly tags: string[];
  readonly env: string[];
  goos?: string[];
  goarch?: string[];
  goarm?: string[];
  targets?: string[];
  ignore: IgnoreRule[];
  skipped: boolean;
  readonly lines: Map<string, Field>;
}

type Rule = (src: Source, field: Field, acc: Acc, context: BuildContext) => void;

/** The build settings slipway owns: a migrated config must not carry them (planBuilds would refuse it). */
const REFUSED_FLAGS = OWNED_FLAGS;
const REFUSED_ENV: ReadonlySet<string> = new Set(OWNED_ENV);
/** Variant keys and the value slipway builds with (Go's default). */
const VARIANT_DEFAULTS: Readonly<Record<string, string>> = {
  goamd64: "v1",
  gomips: "hardfloat",
  goarm64: "v8.0",
  go386: "sse2",
  goppc64: "power8",
  goriscv64: "rva20u64",
};
const UNMAPPED_BUILD_KEYS: Readonly<Record<string, string>> = {
  hooks: "slipway runs no build hooks; run generators before tagging and commit their output",
  gobinary: "slipway builds with its pinned Go toolchain",
  tool: "slipway builds with its pinned Go toolchain",
  overrides: "slipway has no per-platform build overrides; split into builds with their own platforms",
  no_unique_dist_dir: "slipway lays out its build directory itself (slipway:buildDir)",
  no_main_check: "slipway always builds a main package",
  command: "slipway always runs go build",
  buildmode: "slipway builds default executables",
};

/** The slipway setting a build key lands in: `builds[0].flags[2]` → `builds[0].<name>`. */
function to(field: Pick<Field, "path">, name: string): string {
  return `${/^builds\[\d+\]/.exec(field.path)?.[0] ?? "builds[0]"}.${name}`;
}

function translated(src: Source, field: Field, text: string, context: BuildContext): string | undefined {
  const result = translateFields(text, buildFields(context.moduleName));
  if (result.ok) return result.text;
  src.unmap(
    field,
    `template ${result.template} has no slipway placeholder ({{version}}, {{tag}}, {{commit}}, {{shortCommit}}, {{date}}, {{timestamp}}, {{name}})`,
  );
  return undefined;
}

const RULES: Readonly<Record<string, Rule>> = {
  id: (src, f, acc) => ((acc.id = String(src.value(f.node))), src.map(f, to(f, "id"))),
  main: (src, f, acc) => {
    const main = String(src.value(f.node));
    acc.main = main.endsWith(".go") ? goFileDir(main) : main;
    src.map(f, to(f, "main"), acc.main === main ? undefined : `${main} is a file; slipway builds its package ${acc.main}`);
  },
  binary: (src, f, acc, context) => {
    const result = translateFields(String(src.value(f.node)), { ProjectName: context.projectName });
    if (!result.ok) return src.unmap(f, `template ${result.template} in the binary name has no slipway equivalent`);
    if (result.text.includes("/")) return src.unmap(f, `binary ${result.text} contains "/"; slipway binaries are plain file names`);
    acc.binary = result.text;
    src.map(f, to(f, "binary"));
  },
  ldflags: (src, f, acc, context) => {
    const out: string[] = [];
    for (const text of src.strings(f.node)) {
      const flag = translated(src, f, text, context);
      if (flag === undefined) return;
      out.push(...splitLdflags(flag));
    }
    acc.ldflags = out;
    src.map(f, to(f, "ldflags"));
  },
  flags: (src, f, acc, context) => {
    for (const item of src.items(f.node, f.path)) mapFlag(src, item, String(src.value(item.node)), acc, context);
  },
  asmflags: (src, f, acc, context) => {
    for (const item of src.items(f.node, f.path)) mapFlag(src, item, `-asmflags=${String(src.value(item.node))}`, acc, context);
  },
  gcflags: (src, f, acc, context) => {
    for (const item of src.items(f.node, f.path)) mapFlag(src, item, `-gcflags=${String(src.value(item.node))}`, acc, context);
  },
  tags: (src, f, acc) => (
    acc.tags.push(
      ...src
        .strings(f.node)
        .flatMap((tag) => tag.split(/[\s,]+/))
        .filter((tag) => tag !== ""),
    ),
    src.map(f, to(f, "tags"))
  ),
  env: (src, f, acc, context) => {
    for (const item of src.items(f.node, f.path)) mapEnv(src, item, acc, context);
  },
  goos: (src, f, acc) => ((acc.goos = src.strings(f.node)), src.map(f, to(f, "platforms"))),
  goarch: (src, f, acc) => ((acc.goarch = src.strings(f.node)), src.map(f, to(f, "platforms"))),
  goarm: (src, f, acc) => ((acc.goarm = src.strings(f.node)), src.map(f, to(f, "platforms"))),
  targets: (src, f, acc) => ((acc.targets = src.strings(f.node)), src.map(f, to(f, "platforms"))),
  ignore: (src, f, acc) => {
    for (const item of src.items(f.node, f.path)) {
      const rule = ignoreRule(src, item);
      if (rule !== undefined) acc.ignore.push(rule);
    }
    src.map(f, to(f, "platforms"));
  },
  skip: (src, f, acc) => {
    const value = src.value(f.node);
    if (value === true || value === "true") {
      acc.skipped = true;
      return src.unmap(f, "build skipped by GoReleaser; slipway omits it");
    }
    if (value !== false && value !== "false") return src.unmap(f, `skip template ${String(value)} has no slipway equivalent`);
    src.map(f, "(omitted)");
  },
  mod_timestamp: (src, f) => src.map(f, "(always)", "slipway always sets file times to the commit time"),
  builder: (src, f) =>
    src.value(f.node) === "go" ? src.map(f, "(always)", "slipway builds with go") : src.unmap(f, "slipway builds Go only"),
  dir: (src, f) => {
    const dir = String(src.value(f.node));
    if (dir === "." || dir === "" || dir === "./") return src.map(f, "(always)", "slipway builds from slipway:module");
    src.unmap(f, `slipway builds from slipway:module; set slipway:module to ${dir} if it has its own go.mod, else prefix main with it`);
  },
};

function mapFlag(src: Source, item: Field, raw: string, acc: Acc, context: BuildContext): void {
  const flag = raw.trim();
  if (flag === "-trimpath") return src.map(item, "(always)", "slipway always passes -trimpath");
  const tags = /^--?tags[= ](.*)$/.exec(flag)?.[1];
  if (tags !== undefined) {
    acc.tags.push(
      ...tags
        .replace(/^["']|["']$/g, "")
        .split(/[\s,]+/)
        .filter((tag) => tag !== ""),
    );
    return src.map(item, to(item, "tags"));
  }
  const refused = REFUSED_FLAGS.find(
    (name) => flag === name || flag.startsWith(`${name}=`) || flag.startsWith(`-${name}`) || flag.startsWith(`${name} `),
  );
  if (refused !== undefined) return src.unmap(item, `slipway owns ${refused}`);
  const text = translated(src, item, flag, context);
  if (text === undefined) return;
  acc.flags.push(text);
  src.map(item, to(item, "flags"));
}

function mapEnv(src: Source, item: Field, acc: Acc, context: BuildContext): void {
  const entry = String(src.value(item.node));
  const name = entry.split("=")[0] ?? "";
  if (name === "CGO_ENABLED") {
    if (entry === "CGO_ENABLED=0") {
      acc.env.push(entry);
      return src.map(item, to(item, "env"));
    }
    return src.unmap(item, "slipway builds with cgo off");
  }
  if (REFUSED_ENV.has(name)) return src.unmap(item, `slipway sets ${name} itself`);
  const text = translated(src, item, entry, context);
  if (text === undefined) return;
  acc.env.push(text);
  src.map(item, to(item, "env"));
}

/** An `ignore` entry; undefined when it names a variant slipway does not build, so it matches nothing. */
function ignoreRule(src: Source, item: Field): IgnoreRule | undefined {
  const rule: { goos?: string; goarch?: string; goarm?: string } = {};
  let matches = true;
  for (const field of src.fields(item.node, item.path)) {
    const value = String(src.value(field.node));
    if (field.key === "goos" || field.key === "goarch" || field.key === "goarm") rule[field.key] = value;
    else if (VARIANT_DEFAULTS[field.key] !== value) {
      matches = false;
      src.unmap(field, `slipway builds ${VARIANT_DEFAULTS[field.key] ?? "Go's default"} only; this ignore rule never matches`);
    }
  }
  return matches ? rule : undefined;
}

/** `./cmd/foo/main.go` → `./cmd/foo`; `main.go` → `.`. */
export function goFileDir(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut < 0 ? "." : path.slice(0, cut) || ".";
}

/** Splits one ldflags string into slipway list entries, quotes kept: `-X name=value` pairs stay together. */
export function splitLdflags(text: string): string[] {
  const words = text.trim().match(/(?:"[^"]*"|'[^']*'|[^\s"']+)+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] as string;
    if ((word === "-X" || word === "-extldflags") && i + 1 < words.length) {
      out.push(`${word} ${words[i + 1] as string}`);
      i += 1;
    } else {
      out.push(word);
    }
  }
  return out;
}

function variantRule(src: Source, field: Field): void {
  const wanted = VARIANT_DEFAULTS[field.key] as string;
  const values = src.strings(field.node);
  if (values.every((value) => value === wanted)) return src.map(field, "(always)", `slipway builds ${wanted}`);
  src.unmap(field, `slipway builds ${field.key.slice(2)} ${wanted} only (Go's default)`);
}

function collect(src: Source, item: Field, context: BuildContext): Acc {
  const acc: Acc = { flags: [], tags: [], env: [], ignore: [], skipped: false, lines: new Map() };
  for (const field of src.fields(item.node, item.path)) {
    acc.lines.set(field.key, field);
    const rule = RULES[field.key];
    if (rule !== undefined) rule(src, field, acc, context);
    else if (field.key in VARIANT_DEFAULTS) variantRule(src, field);
    else src.unmap(field, UNMAPPED_BUILD_KEYS[field.key] ?? "unknown GoReleaser build key; not mapped");
  }
  return acc;
}

function matrix(src: Source, item: Field, acc: Acc, context: BuildContext): PlatformMatrix {
  if (acc.targets !== undefined) return expandTargets(acc.targets);
  const defaults: [keyof Acc & ("goos" | "goarch" | "goarm"), readonly string[]][] = [
    ["goos", DEFAULT_GOOS],
    ["goarch", DEFAULT_GOARCH],
    ["goarm", DEFAULT_GOARM],
  ];
  for (const [key, list] of defaults) {
    if (acc[key] !== undefined || (key === "goarm" && !(acc.goarch ?? [...DEFAULT_GOARCH]).includes("arm"))) continue;
    const version = context.v2 ? "v2" : "v1 (assumed; check the GoReleaser release you used)";
    src.map(
      { line: item.line, path: `${item.path}.${key}` },
      to(item, "platforms"),
      `absent: GoReleaser ${version} default ${list.join(", ")}`,
    );
  }
  return expandMatrix(acc.goos ?? DEFAULT_GOOS, acc.goarch ?? DEFAULT_GOARCH, acc.goarm ?? DEFAULT_GOARM, acc.ignore);
}

/** Maps one `builds[]` entry; undefined when GoReleaser skips it. */
export function mapBuild(src: Source, item: Field, context: BuildContext): MappedBuild | undefined {
  const acc = collect(src, item, context);
  if (acc.skipped) return undefined;
  const { platforms, dropped } = matrix(src, item, acc, context);
  const at = acc.lines.get("targets") ?? acc.lines.get("goarch") ?? acc.lines.get("goos") ?? item;
  for (const entry of dropped) {
    if (context.droppedSeen.has(entry.target)) continue;
    context.droppedSeen.add(entry.target);
    const field = { line: at.line, path: `${item.path}.${at === item ? "goarch" : at.key}` };
    if (entry.invalid) src.map(field, "(omitted)", entry.note);
    else src.unmap(field, entry.note);
  }
  const build: Record<string, unknown> = {
    id: acc.id ?? context.projectName,
    main: acc.main ?? ".",
    binary: acc.binary ?? context.projectName,
  };
  if (acc.ldflags !== undefined) build.ldflags = acc.ldflags;
  else if (!acc.lines.has("ldflags"))
    src.map(
      { line: item.line, path: `${item.path}.ldflags` },
      to(item, "ldflags"),
      "absent: slipway's default ldflags are GoReleaser's without -X main.builtBy=goreleaser",
    );
  if (acc.flags.length > 0) build.flags = acc.flags;
  if (acc.tags.length > 0) build.tags = [...new Set(acc.tags)];
  if (acc.env.length > 0) build.env = acc.env;
  return { build, platforms };
}

/** GoReleaser's build when `builds:` is absent: main ".", binary and id the project name, default platforms. */
export function defaultBuild(src: Source, context: BuildContext): MappedBuild {
  const item: Field = { key: "builds", path: "builds[0]", line: 1, node: null };
  const mapped = mapBuild(src, item, context);
  return mapped as MappedBuild;
}
