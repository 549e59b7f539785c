// Linux packages (`slipway:packages`): which formats, for which platforms, with which metadata and files.
// Parsed and checked here, before any resource exists; plan/nfpmConfig.ts renders what nfpm reads.
import { byteOrder } from "./assets";
import { SlipwayInputError } from "./errors";
import { rejectUnknownFields } from "./fields";
import { PlatformTarget, contextDirectory } from "./platforms";
import { ReleasePlan } from "./releasePlan";

export const PACKAGE_FORMATS = ["deb", "rpm", "apk", "archlinux"] as const;
export type PackageFormat = (typeof PACKAGE_FORMATS)[number];
export const EXTRA_FILE_TYPES = ["file", "config", "config|noreplace", "doc"] as const;
export type ExtraFileType = (typeof EXTRA_FILE_TYPES)[number];
export const SCRIPT_KINDS = ["preinstall", "postinstall", "preremove", "postremove"] as const;
export type ScriptKind = (typeof SCRIPT_KINDS)[number];

const PACKAGE_FIELDS = [
  "formats",
  "build",
  "maintainer",
  "vendor",
  "homepage",
  "description",
  "license",
  "bindir",
  "files",
  "dependencies",
  "scripts",
] as const;
const FILE_FIELDS = ["src", "dst", "type", "mode"] as const;
const EXTENSION: Record<PackageFormat, string> = { deb: "deb", rpm: "rpm", apk: "apk", archlinux: "pkg.tar.zst" };
/** `Jane Doe <jane@example.com>`: Debian policy and rpm both want a name and an e-mail address. */
export const MAINTAINER = /^[^<>\n]+ <[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>$/;
const ABSOLUTE_PATH = /^\/(?:[A-Za-z0-9._+-]+\/)*[A-Za-z0-9._+-]+$/;
const MODULE_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._+/-]+$/;
const MODE = /^0?[0-7]{3}$/;
/** A dependency as deb, rpm and apk all read it: a name, optionally with one version constraint. */
const DEPENDENCY = /^[a-z0-9][a-z0-9.+-]*(?: \((?:<<|<=|=|>=|>>) [A-Za-z0-9.:~+-]+\))?$/;

export interface PackageFile {
  /** Source, relative to the module. */
  readonly src: string;
  /** Absolute path on the installed system. */
  readonly dst: string;
  readonly type: ExtraFileType;
  /** Octal permission bits, e.g. `0644`. */
  readonly mode: string;
}

export interface PackageAsset {
  readonly format: PackageFormat;
  /** Go platform: `linux/amd64`. */
  readonly platform: string;
  /** nfpm's arch: GOARCH plus the arm level (`arm7`). */
  readonly arch: string;
  /** `file` of the binary the package installs (a `BinaryAsset.file`). */
  readonly binary: string;
  /** The binary's name once installed. */
  readonly executable: string;
  /** Release asset name. */
  readonly name: string;
}

export interface PackagesPlan {
  readonly formats: readonly PackageFormat[];
  readonly build: string;
  readonly maintainer: string;
  readonly vendor: string | undefined;
  readonly homepage: string | undefined;
  readonly description: string;
  readonly license: string | undefined;
  readonly bindir: string;
  readonly files: readonly PackageFile[];
  readonly dependencies: readonly string[];
  /** Script kind → source relative to the module. */
  readonly scripts: Readonly<Partial<Record<ScriptKind, string>>>;
  /** One package per format and linux platform of the build, in format then platform order. */
  readonly assets: readonly PackageAsset[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function objectOf(value: unknown, key: string, example: string): Record<string, unknown> {
  if (!isObject(value)) throw new SlipwayInputError(key, value, "must be an object", `e.g. ${example}`);
  return value;
}

function text(entry: Record<string, unknown>, name: string, key: string): string | undefined {
  const value = entry[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw new SlipwayInputError(`${key}.${name}`, value, "must be a non-empty string", "quote the value, or remove the field");
  }
  return value;
}

function list(entry: Record<string, unknown>, name: string, key: string): unknown[] {
  const value = entry[name] ?? [];
  if (!Array.isArray(value)) {
    throw new SlipwayInputError(`${key}.${name}`, value, "must be a list", `write ${name}: [ ... ]`);
  }
  return value;
}

function parseFormats(entry: Record<string, unknown>): PackageFormat[] {
  const formats = list(entry, "formats", "packages");
  if (formats.length === 0) {
    throw new SlipwayInputError("packages.formats", formats, "no package formats", `list some of ${PACKAGE_FORMATS.join(", ")}`);
  }
  formats.forEach((format, index) => {
    if (!(PACKAGE_FORMATS as readonly unknown[]).includes(format)) {
      throw new SlipwayInputError(`packages.formats[${index}]`, format, "unknown package format", `use ${PACKAGE_FORMATS.join(", ")}`);
    }
    if (formats.indexOf(format) !== index) {
      throw new SlipwayInputError(`packages.formats[${index}]`, format, "listed twice", "list each format once");
    }
  });
  return PACKAGE_FORMATS.filter((f) => formats.includes(f));
}

function modulePath(value: unknown, key: string): string {
  if (typeof value !== "string" || !MODULE_PATH.test(value)) {
    throw new SlipwayInputError(key, value, "not a path inside the module", "use a relative path without '..', e.g. docs/hello.1");
  }
  return value.replace(/^\.\//, "");
}

function absolutePath(value: unknown, key: string, example: string): string {
  if (typeof value !== "string" || !ABSOLUTE_PATH.test(value)) {
    throw new SlipwayInputError(key, value, "not an absolute path on the installed system", `e.g. ${example}`);
  }
  return value;
}

function parseFile(raw: unknown, index: number): PackageFile {
  const key = `packages.files[${index}]`;
  const entry = objectOf(raw, key, "{src: docs/hello.1, dst: /usr/share/man/man1/hello.1}");
  rejectUnknownFields(entry, FILE_FIELDS, key);
  const type = entry.type ?? "file";
  if (!(EXTRA_FILE_TYPES as readonly unknown[]).includes(type)) {
    throw new SlipwayInputError(`${key}.type`, type, "unknown file type", `use ${EXTRA_FILE_TYPES.join(", ")}`);
  }
  const mode = entry.mode ?? "0644";
  if (typeof mode !== "string" || !MODE.test(mode)) {
    throw new SlipwayInputError(`${key}.mode`, mode, "not an octal file mode", 'quote it, e.g. mode: "0644"');
  }
  return {
    src: modulePath(entry.src, `${key}.src`),
    dst: absolutePath(entry.dst, `${key}.dst`, "/usr/share/man/man1/hello.1"),
    type: type as ExtraFileType,
    mode: mode.padStart(4, "0"),
  };
}

function parseScripts(raw: unknown): Partial<Record<ScriptKind, string>> {
  if (raw === undefined) return {};
  const entry = objectOf(raw, "packages.scripts", "{postinstall: packaging/postinstall.sh}");
  rejectUnknownFields(entry, SCRIPT_KINDS, "packages.scripts");
  const scripts: Partial<Record<ScriptKind, string>> = {};
  for (const kind of SCRIPT_KINDS) {
    if (entry[kind] !== undefined) scripts[kind] = modulePath(entry[kind], `packages.scripts.${kind}`);
  }
  return scripts;
}

function parseDependencies(entry: Record<string, unknown>): string[] {
  const dependencies = list(entry, "dependencies", "packages");
  dependencies.forEach((dependency, index) => {
    if (typeof dependency !== "string" || !DEPENDENCY.test(dependency)) {
      throw new SlipwayInputError(
        `packages.dependencies[${index}]`,
        dependency,
        "not a package dependency",
        "write a package name, optionally with one constraint, e.g. ca-certificates or git (>= 2.30)",
      );
    }
  });
  return [...new Set(dependencies as string[])].sort(byteOrder);
}

/** The package's file name: `hello_1.4.0_linux_amd64.deb`, one per format and platform. */
export function packageFileName(name: string, version: string, target: PlatformTarget, format: PackageFormat): string {
  return `${name}_${version}_${contextDirectory(target)}.${EXTENSION[format]}`;
}

/**
 * The Linux packages of a release, from `slipway:packages`; `undefined` when the setting is unset.
 * Metadata left out falls back to the release's own (`description`, `source`, `licenses`).
 */
export function planPackages(raw: unknown, plan: ReleasePlan): PackagesPlan | undefined {
  if (raw === undefined) return undefined;
  const entry = objectOf(raw, "packages", "{formats: [deb, rpm], maintainer: Jane Doe <jane@example.com>}");
  rejectUnknownFields(entry, PACKAGE_FIELDS, "packages");
  const formats = parseFormats(entry);
  const maintainer = text(entry, "maintainer", "packages");
  if (maintainer === undefined || !MAINTAINER.test(maintainer)) {
    throw new SlipwayInputError(
      "packages.maintainer",
      maintainer,
      "packages need a maintainer with an e-mail address",
      "write it as Name <e-mail>, e.g. Jane Doe <jane@example.com>",
    );
  }
  const homepage = text(entry, "homepage", "packages") ?? plan.labels["org.opencontainers.image.source"];
  if (homepage !== undefined && !/^https?:\/\/\S+$/.test(homepage)) {
    throw new SlipwayInputError("packages.homepage", homepage, "not an http(s) URL", "e.g. https://example.com/hello");
  }
  const buildId = text(entry, "build", "packages") ?? plan.image.build;
  const build = plan.builds.find((b) => b.id === buildId);
  if (build === undefined) {
    throw new SlipwayInputError("packages.build", buildId, "no build has this id", `use one of ${plan.builds.map((b) => b.id).join(", ")}`);
  }
  const binaries = plan.assets.binaries.filter((b) => b.build === build.id && b.os === "linux");
  if (binaries.length === 0) {
    throw new SlipwayInputError("packages.build", build.id, "builds no linux binary to package", "add linux platforms to that build");
  }
  const files = list(entry, "files", "packages").map(parseFile);
  const bindir = absolutePath(entry.bindir ?? "/usr/bin", "packages.bindir", "/usr/bin");
  const destinations = new Set(binaries.map((b) => `${bindir}/${b.executable}`));
  files.forEach((file, index) => {
    if (destinations.has(file.dst)) {
      throw new SlipwayInputError(`packages.files[${index}].dst`, file.dst, "two files install to this path", "give each file its own dst");
    }
    destinations.add(file.dst);
  });
  const assets = formats.flatMap((format) =>
    binaries.map((binary): PackageAsset => ({
      format,
      platform: binary.platform,
      arch: `${binary.arch}${binary.arm ?? ""}`,
      binary: binary.file,
      executable: binary.executable,
      name: packageFileName(plan.name, plan.version, binary, format),
    })),
  );
  return {
    formats,
    build: build.id,
    maintainer,
    vendor: text(entry, "vendor", "packages"),
    homepage,
    description: text(entry, "description", "packages") ?? plan.labels["org.opencontainers.image.description"] ?? plan.name,
    license: text(entry, "license", "packages") ?? plan.labels["org.opencontainers.image.licenses"],
    bindir,
    files,
    dependencies: parseDependencies(entry),
    scripts: parseScripts(entry.scripts),
    assets,
  };
}

/** Every file of the module the packages read (extra files and scripts), for the file-system check. */
export function packageSources(packages: PackagesPlan): { key: string; path: string }[] {
  return [
    ...packages.files.map((f, index) => ({ key: `packages.files[${index}].src`, path: f.src })),
    ...SCRIPT_KINDS.flatMap((kind) => {
      const path = packages.scripts[kind];
      return path === undefined ? [] : [{ key: `packages.scripts.${kind}`, path }];
    }),
  ];
}
