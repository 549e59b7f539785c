// GoReleaser's nfpms, brews, homebrew_casks, scoops and changelog → slipway:packages, homebrew, scoop and
// releaseNotes. The first entry of each list is carried over; a template or a key slipway has no counterpart
// for is reported with its line.
import { Field, Source } from "./goreleaserSource";
import { MAINTAINER } from "./packages";

const TEMPLATE = /\{\{/;
const NFPM_FORMATS = ["deb", "rpm", "apk", "archlinux"];
/** GoReleaser nfpm content types slipway keeps (`config|noreplace` included). */
const CONTENT_TYPES = ["config", "config|noreplace", "doc"];

/**
 * GoReleaser reads `0644` as octal (YAML 1.1); the YAML 1.2 parser here reads 644: keep the digits as written.
 * `0o644` (`written` in octal) the parser already read as 420.
 */
function octalMode(mode: number, written: "octal" | "other"): string {
  const digits = written === "other" && /^[0-7]{3,4}$/.test(String(mode)) ? String(mode) : mode.toString(8);
  return digits.padStart(4, "0");
}

/** How the node of `file_info.mode` was written: `0o…` is YAML 1.2 octal. */
function modeSpelling(src: Source, item: Field): "octal" | "other" {
  const info = src.fields(item.node, item.path).find((field) => field.key === "file_info");
  const mode = info === undefined ? undefined : src.fields(info.node, info.path).find((field) => field.key === "mode");
  return /^0o/i.test(src.source(mode?.node)) ? "octal" : "other";
}

type Handler = (field: Field, out: Record<string, unknown>) => void;

function literal(src: Source, field: Field, to: string, out: Record<string, unknown>, name: string): void {
  const text = src.text(field.node);
  if (TEMPLATE.test(text)) return src.unmap(field, `template ${text}: slipway needs a literal value`);
  out[name] = text;
  src.map(field, to);
}

function mapFields(src: Source, node: unknown, path: string, handlers: Record<string, Handler>, out: Record<string, unknown>): void {
  for (const field of src.fields(node, path)) {
    const handler = handlers[field.key];
    if (handler === undefined) src.unmap(field, "no slipway counterpart; not mapped");
    else handler(field, out);
  }
}

/** Only the first entry is carried over: slipway has one of each channel. */
function firstEntry(src: Source, field: Field, what: string): Field | undefined {
  const items = src.items(field.node, field.key);
  items.slice(1).forEach((item) => src.unmap(item, `slipway has one ${what}; only the first entry is carried over`));
  return items[0];
}

function nfpmContents(src: Source, field: Field, out: Record<string, unknown>): void {
  const files: Record<string, unknown>[] = [];
  for (const item of src.items(field.node, field.path)) {
    const entry = src.value(item.node) as Record<string, unknown> | null;
    const type = typeof entry?.type === "string" ? entry.type : undefined;
    const mode = (entry?.file_info as { mode?: unknown } | undefined)?.mode;
    const src_ = entry?.src;
    if (
      typeof src_ !== "string" ||
      typeof entry?.dst !== "string" ||
      TEMPLATE.test(src_ + entry.dst) ||
      (type !== undefined && !CONTENT_TYPES.includes(type))
    ) {
      src.unmap(item, "slipway packages files of the module by literal src and dst (no templates, dirs, symlinks or globs)");
      continue;
    }
    files.push({
      src: src_.replace(/^\.\//, ""),
      dst: entry.dst,
      ...(type === undefined ? {} : { type }),
      ...(typeof mode === "number" ? { mode: octalMode(mode, modeSpelling(src, item)) } : {}),
    });
    src.map(item, `packages.files[${files.length - 1}]`);
  }
  if (files.length > 0) out.files = files;
}

/** `nfpms` → `slipway:packages`. */
export function mapNfpms(src: Source, field: Field | undefined): Record<string, unknown> | undefined {
  if (field === undefined) return undefined;
  const first = firstEntry(src, field, "package set");
  if (first === undefined) return undefined;
  const out: Record<string, unknown> = {};
  const text = (name: string) => (f: Field, o: Record<string, unknown>) => literal(src, f, `packages.${name}`, o, name);
  mapFields(
    src,
    first.node,
    first.path,
    {
      formats: (f, o) => {
        const formats = src.strings(f.node).filter((format) => NFPM_FORMATS.includes(format));
        o.formats = formats;
        src.map(f, "packages.formats", formats.length < src.strings(f.node).length ? "only deb, rpm, apk and archlinux" : undefined);
      },
      maintainer: text("maintainer"),
      vendor: text("vendor"),
      homepage: text("homepage"),
      description: text("description"),
      license: text("license"),
      bindir: text("bindir"),
      dependencies: (f, o) => {
        o.dependencies = src.strings(f.node);
        src.map(f, "packages.dependencies");
      },
      contents: (f, o) => nfpmContents(src, f, o),
      scripts: (f, o) => {
        const scripts: Record<string, string> = {};
        for (const script of src.fields(f.node, f.path)) {
          const path = src.text(script.node);
          if (["preinstall", "postinstall", "preremove", "postremove"].includes(script.key) && !TEMPLATE.test(path)) {
            scripts[script.key] = path.replace(/^\.\//, "");
            src.map(script, `packages.scripts.${script.key}`);
          } else src.unmap(script, "slipway runs preinstall, postinstall, preremove and postremove scripts only");
        }
        o.scripts = scripts;
      },
      id: (f) => src.map(f, "(always)", "slipway names packages itself"),
      ids: (f) => src.map(f, "packages.build", "the image's build is packaged; set packages.build to choose another"),
    },
    out,
  );
  if (typeof out.maintainer !== "string" || !MAINTAINER.test(out.maintainer)) {
    src.unmap(first, "packages need a maintainer written Name <e-mail>; nfpms not carried over (set slipway:packages by hand)");
    return undefined;
  }
  return out;
}

/** `brews` / `homebrew_casks` / `scoops` → `slipway:homebrew` / `scoop` (committed with the token `tapToken`). */
export function mapTap(
  src: Source,
  field: Field | undefined,
  kind: "homebrew" | "scoop",
  cask: boolean,
): Record<string, unknown> | undefined {
  if (field === undefined) return undefined;
  const first = firstEntry(src, field, kind === "homebrew" ? "Homebrew tap" : "Scoop bucket");
  if (first === undefined) return undefined;
  const out: Record<string, unknown> = { tokenSecret: "tapToken", ...(cask ? { cask: true } : {}) };
  const text = (name: string) => (f: Field, o: Record<string, unknown>) => literal(src, f, `${kind}.${name}`, o, name);
  const repository = (f: Field, o: Record<string, unknown>) => {
    const value = src.value(f.node) as { owner?: unknown; name?: unknown; branch?: unknown } | null;
    const owner = typeof value?.owner === "string" ? value.owner : "";
    const name = typeof value?.name === "string" ? value.name : "";
    if (owner === "" || name === "" || TEMPLATE.test(owner + name)) return src.unmap(f, "slipway needs a literal owner and name");
    o.repository = `${owner}/${name}`;
    if (typeof value?.branch === "string") o.branch = value.branch;
    src.map(f, `${kind}.repository`, "the token is read from the secret setting tapToken");
  };
  mapFields(
    src,
    first.node,
    first.path,
    {
      repository,
      tap: repository,
      bucket: repository,
      description: text("description"),
      homepage: text("homepage"),
      license: text("license"),
      directory: text("directory"),
      folder: text("directory"),
      ...(kind === "homebrew" && !cask ? { test: text("test") } : {}),
      commit_author: (f, o) => {
        const author = src.value(f.node) as { name?: unknown; email?: unknown } | null;
        if (typeof author?.name !== "string" || typeof author.email !== "string" || TEMPLATE.test(author.name + author.email)) {
          return src.unmap(f, "slipway needs a literal name and email");
        }
        o.author = { name: author.name, email: author.email };
        src.map(f, `${kind}.author`);
      },
    },
    out,
  );
  if (out.directory === undefined && !cask) {
    out.directory = "";
    src.map(
      { line: first.line, path: `${first.path}.directory` },
      `${kind}.directory`,
      "absent: GoReleaser's default, the repository root",
    );
  }
  return out;
}

/** `changelog` → `slipway:releaseNotes` (its filters); a CHANGELOG.md section still wins. */
export function mapChangelog(src: Source, field: Field | undefined): Record<string, unknown> | undefined {
  if (field === undefined) return undefined;
  const out: Record<string, unknown> = {};
  mapFields(
    src,
    field.node,
    field.path,
    {
      filters: (f, o) => {
        for (const filter of src.fields(f.node, f.path)) {
          if (filter.key !== "include" && filter.key !== "exclude") {
            src.unmap(filter, "slipway filters with include and exclude only");
            continue;
          }
          o[filter.key] = src.strings(filter.node);
          src.map(filter, `releaseNotes.${filter.key}`);
        }
      },
      sort: (f) => src.map(f, "(always)", "slipway keeps git log order (newest first) within each group"),
      use: (f) =>
        src.text(f.node) === "git" ? src.map(f, "(always)") : src.unmap(f, "slipway reads commits from git; GitHub's API is not used"),
      groups: (f) => src.unmap(f, "slipway groups by Conventional Commit type (breaking, feat, fix, perf, other)"),
      disable: (f) =>
        ["false", ""].includes(src.text(f.node))
          ? src.map(f, "(always)")
          : src.unmap(f, "slipway always writes notes; remove releaseNotes to keep every commit"),
    },
    out,
  );
  return out;
}
