// `slipway:archives`: a format name, or an object with GoReleaser's archive options.
import { ArchiveFilePattern, DEFAULT_ARCHIVE_FILES } from "./archiveFiles";
import { ARCHIVE_FORMATS, ArchiveFormat, ArchiveSettings, DEFAULT_ARCHIVE_NAME, DEFAULT_BINARY_NAME } from "./assets";
import { SlipwayInputError } from "./errors";

const KEY = "archives";
const FIELDS = ["format", "formatOverrides", "nameTemplate", "binaryNameTemplate", "replacements", "files", "wrapInDirectory", "binaries"];

function parseFormat(value: unknown, key: string): ArchiveFormat {
  if (typeof value !== "string" || !(ARCHIVE_FORMATS as readonly string[]).includes(value)) {
    throw new SlipwayInputError(key, value, "unknown archive format", `use one of ${ARCHIVE_FORMATS.join(", ")}`);
  }
  return value as ArchiveFormat;
}

function stringMap(value: unknown, key: string, example: string): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new SlipwayInputError(key, value, "must be a map", `e.g. ${key}: ${example}`);
  }
  for (const [name, text] of Object.entries(value)) {
    if (typeof text !== "string") throw new SlipwayInputError(`${key}.${name}`, text, "must be a string", "quote the value");
  }
  return value as Record<string, string>;
}

function template(value: unknown, key: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || value.trim() === "") {
    throw new SlipwayInputError(key, value, "must be a non-empty template", `e.g. ${fallback}`);
  }
  return value;
}

function parseFiles(value: unknown): ArchiveFilePattern[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new SlipwayInputError(`${KEY}.files`, value, "must be a list", 'e.g. files: [LICENSE, "docs/*.1"]');
  return value.map((item: unknown, index): ArchiveFilePattern => {
    const key = `${KEY}.files[${index}]`;
    if (typeof item === "string" && item !== "") return item;
    if (item !== null && typeof item === "object" && !Array.isArray(item)) {
      const { src, dst, ...rest } = item as Record<string, unknown>;
      const extra = Object.keys(rest)[0];
      if (extra !== undefined) throw new SlipwayInputError(`${key}.${extra}`, rest[extra], "unknown field", "use only src and dst");
      if (typeof src !== "string" || src === "")
        throw new SlipwayInputError(`${key}.src`, src, "must be a glob", "e.g. {src: docs/*.1, dst: man}");
      if (dst !== undefined && (typeof dst !== "string" || dst === "" || dst.split("/").includes(".."))) {
        throw new SlipwayInputError(`${key}.dst`, dst, "must be a relative directory inside the archive", "e.g. man");
      }
      return dst === undefined ? { src } : { src, dst };
    }
    throw new SlipwayInputError(key, item, "must be a glob or {src, dst}", "e.g. LICENSE or {src: docs/*.1, dst: man}");
  });
}

function parseWrap(value: unknown): string | null {
  if (value === undefined || value === false) return null;
  if (value === true) return "";
  if (typeof value === "string" && value.trim() !== "") return value;
  throw new SlipwayInputError(`${KEY}.wrapInDirectory`, value, "must be true, false or a directory template", "e.g. wrapInDirectory: true");
}

/** Parses `slipway:archives`; the JSON text of an object, or a bare format name. */
export function parseArchiveSettings(value: unknown): ArchiveSettings {
  const entry: Record<string, unknown> =
    value === undefined ? {} : typeof value === "string" ? { format: value } : (value as Record<string, unknown>);
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    throw new SlipwayInputError(KEY, value, "must be a format or an object", "e.g. archives: tar.gz or archives: {format: tar.xz}");
  }
  for (const field of Object.keys(entry)) {
    if (!FIELDS.includes(field))
      throw new SlipwayInputError(`${KEY}.${field}`, entry[field], "unknown field", `use only ${FIELDS.join(", ")}`);
  }
  const format = entry.format === undefined ? "tar.gz" : parseFormat(entry.format, typeof value === "string" ? KEY : `${KEY}.format`);
  const overrides =
    entry.formatOverrides === undefined ? { windows: "zip" } : stringMap(entry.formatOverrides, `${KEY}.formatOverrides`, "{windows: zip}");
  const formatOverrides = Object.fromEntries(
    Object.entries(overrides).map(([os, f]) => [os, parseFormat(f, `${KEY}.formatOverrides.${os}`)]),
  );
  // A bare binary is the whole release of a platform without archives: "none" for every os.
  if (format === "none" && entry.formatOverrides === undefined) delete formatOverrides.windows;
  const replacements = entry.replacements === undefined ? {} : (entry.replacements as Record<string, unknown>);
  if (replacements === null || typeof replacements !== "object" || Array.isArray(replacements)) {
    throw new SlipwayInputError(
      `${KEY}.replacements`,
      replacements,
      "must be {os: {...}, arch: {...}}",
      "e.g. replacements: {arch: {amd64: x86_64}}",
    );
  }
  for (const field of Object.keys(replacements)) {
    if (field !== "os" && field !== "arch")
      throw new SlipwayInputError(`${KEY}.replacements.${field}`, replacements[field], "unknown field", "use only os and arch");
  }
  if (entry.binaries !== undefined && typeof entry.binaries !== "boolean") {
    throw new SlipwayInputError(`${KEY}.binaries`, entry.binaries, "must be true or false", "binaries: false publishes archives only");
  }
  const files = parseFiles(entry.files);
  return {
    format,
    formatOverrides,
    nameTemplate: template(entry.nameTemplate, `${KEY}.nameTemplate`, DEFAULT_ARCHIVE_NAME),
    binaryNameTemplate: template(entry.binaryNameTemplate, `${KEY}.binaryNameTemplate`, DEFAULT_BINARY_NAME),
    replacements: {
      os: stringMap(replacements.os, `${KEY}.replacements.os`, "{darwin: Darwin}"),
      arch: stringMap(replacements.arch, `${KEY}.replacements.arch`, "{amd64: x86_64}"),
    },
    files: files ?? DEFAULT_ARCHIVE_FILES,
    defaultFiles: files === undefined,
    wrapInDirectory: parseWrap(entry.wrapInDirectory),
    binaries: entry.binaries ?? true,
  };
}
