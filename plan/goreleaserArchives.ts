// GoReleaser `archives:` and `checksum:` → `slipway:archives` and `slipway:checksums`.
import { Field, Source } from "./goreleaserSource";
import {
  CHECKSUM_FIELDS,
  DEFAULT_ARCHIVE_NAME,
  DEFAULT_BINARY_NAME,
  NameContext,
  translateFields,
  translateNameTemplate,
} from "./goreleaserTemplates";

/** What the archive rules need from the builds. */
export interface ArchiveContext {
  readonly v2: boolean;
  /** Every platform id any build produces. */
  readonly platforms: readonly string[];
  readonly buildIds: readonly string[];
  readonly projectName: string;
  /** The binary names of the builds (archives name `.Binary` only when there is one). */
  readonly binaries: readonly string[];
}

interface Acc {
  format?: string;
  binary: boolean;
  readonly overrides: Record<string, string>;
  nameTemplate?: Field;
  wrap?: Field;
  readonly os: Record<string, string>;
  readonly arch: Record<string, string>;
  files?: unknown[];
}

const FORMATS: Readonly<Record<string, string>> = { "tar.gz": "tar.gz", tgz: "tar.gz", "tar.xz": "tar.xz", txz: "tar.xz", zip: "zip" };
const GOOS = new Set([
  "aix",
  "android",
  "darwin",
  "dragonfly",
  "freebsd",
  "illumos",
  "ios",
  "js",
  "linux",
  "netbsd",
  "openbsd",
  "plan9",
  "solaris",
  "wasip1",
  "windows",
]);
const GOARCH = new Set([
  "386",
  "amd64",
  "arm",
  "arm64",
  "loong64",
  "mips",
  "mips64",
  "mips64le",
  "mipsle",
  "ppc64",
  "ppc64le",
  "riscv64",
  "s390x",
  "wasm",
]);

type Rule = (src: Source, field: Field, acc: Acc, context: ArchiveContext) => void;

function formatOf(src: Source, field: Field, text: string): string | undefined {
  if (text === "binary") return "binary";
  const format = FORMATS[text];
  if (format === undefined) src.unmap(field, `format ${text}: slipway writes tar.gz, tar.xz or zip`);
  return format;
}

function formatList(src: Source, field: Field): string | undefined {
  const formats = src.strings(field.node);
  if (formats.length > 1)
    src.unmap(field, `formats ${formats.join(", ")}: slipway writes one format per platform; kept ${formats[0] ?? ""}`);
  return formats[0] === undefined ? undefined : formatOf(src, field, formats[0]);
}

function setFormat(src: Source, field: Field, acc: Acc): void {
  const format = field.key === "formats" ? formatList(src, field) : formatOf(src, field, String(src.value(field.node)));
  if (format === undefined) return;
  if (format === "binary") {
    acc.binary = true;
    return src.map(field, "archives.format", "binary: format none with bare binaries (archives.binaryNameTemplate)");
  }
  acc.format = format;
  src.map(field, "archives.format");
}

function override(src: Source, item: Field, acc: Acc): void {
  let goos: string | undefined;
  let format: string | undefined;
  for (const field of src.fields(item.node, item.path)) {
    if (field.key === "goos") goos = String(src.value(field.node));
    else if (field.key === "format" || field.key === "formats")
      format = field.key === "formats" ? formatList(src, field) : formatOf(src, field, String(src.value(field.node)));
    else src.unmap(field, "unknown GoReleaser format_overrides key; not mapped");
  }
  if (format === "binary") return src.unmap(item, `${goos ?? "?"}: slipway cannot publish bare binaries for some platforms only`);
  if (goos === undefined || format === undefined) return;
  acc.overrides[goos] = format;
  src.map(item, `archives.formatOverrides.${goos}`);
}

function replacement(src: Source, field: Field, acc: Acc): void {
  const value = String(src.value(field.node));
  if (GOOS.has(field.key)) acc.os[field.key] = value;
  else if (GOARCH.has(field.key)) acc.arch[field.key] = value;
  else return src.unmap(field, `replacement of ${field.key}: slipway replaces os and arch names only`);
  src.map(field, `archives.replacements.${GOOS.has(field.key) ? "os" : "arch"}.${field.key}`);
}

function fileEntry(src: Source, item: Field): unknown {
  const value = src.value(item.node);
  if (typeof value === "string") {
    if (value.includes("{{")) return src.unmap(item, `template in ${value}: slipway globs are plain`);
    return value;
  }
  const entry: Record<string, unknown> = {};
  for (const field of src.fields(item.node, item.path)) {
    const text = src.value(field.node);
    if (field.key === "src" || field.key === "dst") entry[field.key] = text;
    else if (field.key === "info") src.unmap(field, "slipway stores files as 0:0 with their mode and the commit time");
    else if (field.key === "strip_parent" && text !== true) continue;
    else src.unmap(field, field.key === "strip_parent" ? "slipway keeps paths (use dst)" : "unknown GoReleaser files key; not mapped");
  }
  if (typeof entry.src !== "string" || entry.src.trim() === "")
    return src.unmap(item, "a files entry needs src, a glob of the module's files");
  if (entry.src.includes("{{")) return src.unmap(item, `template in ${entry.src}: slipway globs are plain`);
  return entry;
}

function files(src: Source, field: Field, acc: Acc): void {
  const items = src.items(field.node, field.path);
  const out: unknown[] = [];
  for (const item of items) {
    const glob = src.text(item.node);
    if (/^(none|non-?existent)\*$/i.test(glob)) {
      src.map(item, "archives.files", `${glob}: GoReleaser's idiom for no extra files`);
      continue;
    }
    const entry = fileEntry(src, item);
    if (entry !== undefined) {
      out.push(entry);
      src.map(item, "archives.files");
    }
  }
  acc.files = out;
}

function selection(src: Source, field: Field, context: ArchiveContext): void {
  const ids = src.strings(field.node);
  if (context.buildIds.every((id) => ids.includes(id))) return src.map(field, "(always)", "every build is archived");
  src.unmap(field, `archives of builds ${ids.join(", ")} only: slipway archives every build of a platform together`);
}

const RULES: Readonly<Record<string, Rule>> = {
  format: (src, f, acc) => setFormat(src, f, acc),
  formats: (src, f, acc) => setFormat(src, f, acc),
  format_overrides: (src, f, acc) => src.items(f.node, f.path).forEach((item) => override(src, item, acc)),
  name_template: (src, f, acc) => void (acc.nameTemplate = f),
  wrap_in_directory: (src, f, acc) => void (acc.wrap = f),
  replacements: (src, f, acc) => src.fields(f.node, f.path).forEach((field) => replacement(src, field, acc)),
  files: (src, f, acc) => files(src, f, acc),
  builds: (src, f, _acc, context) => selection(src, f, context),
  ids: (src, f, _acc, context) => selection(src, f, context),
  id: (src, f) => src.map(f, "(omitted)", "slipway has one archive set"),
  rlcp: (src, f) => src.map(f, "(always)", "slipway archives files at their path relative to the module"),
  strip_binary_directory: (src, f) => src.map(f, "(always)", "slipway puts binaries at the archive root"),
};

/** The first name the template renders otherwise than the replacements gathered so far, as a report note. */
function replacementConflict(acc: Acc, kind: "os" | "arch", values: Readonly<Record<string, string>> | undefined): string | undefined {
  for (const [key, value] of Object.entries(values ?? {})) {
    const current = acc[kind][key];
    if (current !== undefined && current !== value) {
      return `${kind} ${key} renders as both ${current} and ${value}; slipway has one replacement per name`;
    }
  }
  return undefined;
}

/** Translates a name template field (or GoReleaser's default) and merges the replacements it relies on. */
function name(src: Source, at: Field, template: string, acc: Acc, context: NameContext): string | undefined {
  const result = translateNameTemplate(template, context);
  if (!("text" in result)) {
    src.unmap(at, `template ${result.template} has no slipway placeholder`);
    return undefined;
  }
  const conflict = replacementConflict(acc, "os", result.os) ?? replacementConflict(acc, "arch", result.arch);
  if (conflict !== undefined) {
    src.unmap(at, conflict);
    return undefined;
  }
  Object.assign(acc.os, result.os);
  Object.assign(acc.arch, result.arch);
  for (const note of result.notes) src.map(at, "archives", note);
  return result.text;
}

function wrap(src: Source, field: Field, acc: Acc, context: NameContext): unknown {
  const value = src.value(field.node);
  if (typeof value === "boolean" || value === "true" || value === "false") {
    src.map(field, "archives.wrapInDirectory");
    return value === true || value === "true";
  }
  const text = name(src, field, String(value), acc, context);
  if (text !== undefined) src.map(field, "archives.wrapInDirectory");
  return text;
}

function assemble(src: Source, at: Field, acc: Acc, context: ArchiveContext): Record<string, unknown> {
  const oses = [...new Set(context.platforms.map((id) => id.split("/")[0] as string))];
  const binaries = [...new Set(context.binaries)];
  const only = binaries.length === 1 ? binaries[0] : undefined;
  const archiveBinary = only === context.projectName ? "{{name}}" : only;
  const nameContext: NameContext = {
    oses,
    hasMips: context.platforms.some((id) => id.includes("/mips")),
    binary: acc.binary,
    archiveBinary,
  };
  const field = acc.nameTemplate ?? at;
  const template =
    acc.nameTemplate === undefined ? (acc.binary ? DEFAULT_BINARY_NAME : DEFAULT_ARCHIVE_NAME) : String(src.value(acc.nameTemplate.node));
  const text = name(src, field, template, acc, nameContext);
  if (text !== undefined && acc.nameTemplate !== undefined)
    src.map(acc.nameTemplate, acc.binary ? "archives.binaryNameTemplate" : "archives.nameTemplate");
  const wrapped = acc.wrap === undefined ? undefined : wrap(src, acc.wrap, acc, nameContext);
  const out: Record<string, unknown> = { format: acc.binary ? "none" : (acc.format ?? "tar.gz"), formatOverrides: acc.overrides };
  if (text !== undefined) out[acc.binary ? "binaryNameTemplate" : "nameTemplate"] = text;
  const replacements = {
    ...(Object.keys(acc.os).length > 0 ? { os: acc.os } : {}),
    ...(Object.keys(acc.arch).length > 0 ? { arch: acc.arch } : {}),
  };
  if (Object.keys(replacements).length > 0) out.replacements = replacements;
  if (acc.files !== undefined) out.files = acc.files;
  if (wrapped !== undefined && wrapped !== false) out.wrapInDirectory = wrapped;
  out.binaries = acc.binary;
  return out;
}

/** Maps `archives[0]` (later archives are reported); GoReleaser's defaults when `archives` is absent. */
export function mapArchives(src: Source, field: Field | undefined, context: ArchiveContext): Record<string, unknown> {
  const acc: Acc = { binary: false, overrides: {}, os: {}, arch: {} };
  const items = field === undefined ? [] : src.items(field.node, field.path);
  for (const extra of items.slice(1)) src.unmap(extra, "slipway builds one archive set; merge this archive into the first");
  const first = items[0];
  for (const entry of first === undefined ? [] : src.fields(first.node, first.path)) {
    const rule = RULES[entry.key];
    if (rule !== undefined) rule(src, entry, acc, context);
    else src.unmap(entry, "unknown GoReleaser archive key; not mapped");
  }
  return assemble(src, first ?? { key: "archives", path: "archives", line: field?.line ?? 1, node: null }, acc, context);
}

/** Maps `checksum:` to the checksum file name (GoReleaser's default name when absent); slipway always publishes one. */
export function mapChecksum(src: Source, field: Field | undefined): string {
  let name = "{{name}}_{{version}}_checksums.txt";
  for (const entry of field === undefined ? [] : src.fields(field.node, field.path)) {
    const value = src.value(entry.node);
    if (entry.key === "name_template") {
      const result = translateFields(String(value), CHECKSUM_FIELDS);
      if (result.ok) name = result.text;
      if (result.ok) src.map(entry, "checksums");
      else src.unmap(entry, `template ${result.template} has no slipway placeholder ({{name}}, {{version}}, {{tag}})`);
    } else if (entry.key === "algorithm") {
      if (value === "sha256") src.map(entry, "(always)", "slipway writes sha256");
      else src.unmap(entry, `${String(value)}: slipway writes sha256 only`);
    } else if (entry.key === "disable" && (value === true || value === "true")) {
      src.unmap(entry, "slipway always publishes a checksum file");
    } else if (entry.key === "disable") {
      src.map(entry, "(always)");
    } else {
      src.unmap(
        entry,
        entry.key === "extra_files"
          ? "slipway checksums its own assets only"
          : entry.key === "split"
            ? "slipway writes one checksum file"
            : "unknown GoReleaser checksum key; not mapped",
      );
    }
  }
  return name;
}
