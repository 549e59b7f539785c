import { ArchiveFilePattern } from "./archiveFiles";
import { BuildPlan, renderTemplate } from "./builds";
import { SlipwayInputError } from "./errors";
import { Platform } from "./platforms";
import { releaseTag } from "./version";

export const ARCHIVE_FORMATS = ["tar.gz", "tar.xz", "zip", "none"] as const;
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];
export const DEFAULT_CHECKSUMS_FILE = "SHA256SUMS";
export const DEFAULT_ARCHIVE_NAME = "{{name}}_{{version}}_{{os}}_{{arch}}{{armv}}";
export const DEFAULT_BINARY_NAME = "{{binary}}_{{version}}_{{os}}_{{arch}}{{armv}}";

export interface ArchiveSettings {
  readonly format: ArchiveFormat;
  /** GOOS → format. */
  readonly formatOverrides: Readonly<Record<string, ArchiveFormat>>;
  readonly nameTemplate: string;
  readonly binaryNameTemplate: string;
  readonly replacements: { readonly os: Readonly<Record<string, string>>; readonly arch: Readonly<Record<string, string>> };
  readonly files: readonly ArchiveFilePattern[];
  /** Whether `files` is the default set (matched case-insensitively, and allowed to match nothing). */
  readonly defaultFiles: boolean;
  /** Template of the directory the archive's content is wrapped in, or null. */
  readonly wrapInDirectory: string | null;
  /** Whether each bare binary is also a release asset. */
  readonly binaries: boolean;
}

export interface BinaryAsset {
  /** The build this binary comes from. */
  readonly build: string;
  readonly platform: string;
  readonly os: string;
  readonly arch: string;
  readonly arm: string | undefined;
  /** File name inside archives and images: `hello` or `hello.exe`. */
  readonly executable: string;
  /** File name of the built binary, unique in the release: `hello_1.4.0_linux_amd64`. */
  readonly file: string;
  /** Whether the bare binary is itself a release asset. */
  readonly published: boolean;
}

export interface ArchiveAsset {
  readonly platform: string;
  readonly os: string;
  readonly arch: string;
  readonly arm: string | undefined;
  /** Release asset name with its extension. */
  readonly name: string;
  readonly format: Exclude<ArchiveFormat, "none">;
  /** Directory the content sits in inside the archive, or null. */
  readonly directory: string | null;
  /** `file` of each binary it holds (stored under its executable name), in build order. */
  readonly binaries: readonly string[];
}

export interface AssetPlan {
  readonly binaries: readonly BinaryAsset[];
  readonly archives: readonly ArchiveAsset[];
  /** Extra files for every archive (patterns; the file system resolves them before anything is declared). */
  readonly archiveFiles: { readonly patterns: readonly ArchiveFilePattern[]; readonly defaults: boolean };
  readonly checksums: {
    readonly file: string;
    /** The order of lines in the checksums file: asset names in byte order, as `sha256sum` of a sorted glob prints them. */
    readonly order: readonly string[];
  };
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+~-]{0,199}$/;
const EXTENSION: Record<Exclude<ArchiveFormat, "none">, string> = { "tar.gz": ".tar.gz", "tar.xz": ".tar.xz", zip: ".zip" };

export function checkProgramName(name: unknown, key: string): string {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new SlipwayInputError(
      key,
      name,
      "not a usable program name",
      "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. hello",
    );
  }
  return name;
}

export interface NameContext {
  readonly name: string;
  readonly version: string;
  readonly shortCommit: string;
}

function platformValues(settings: ArchiveSettings, context: NameContext, platform: Platform): Record<string, string> {
  return {
    name: context.name,
    version: context.version,
    tag: releaseTag(context.version),
    shortCommit: context.shortCommit,
    os: settings.replacements.os[platform.os] ?? platform.os,
    arch: settings.replacements.arch[platform.arch] ?? platform.arch,
    arm: platform.arm ?? "",
    armv: platform.arm === undefined ? "" : `v${platform.arm}`,
  };
}

function fileName(rendered: string, key: string, template: string): string {
  if (!FILE_NAME.test(rendered)) {
    throw new SlipwayInputError(
      key,
      template,
      `renders ${JSON.stringify(rendered)}, not a usable file name`,
      "use letters, digits and . _ - + ~ only, no slashes",
    );
  }
  return rendered;
}

/** The checksums file's name, from `slipway:checksums`. */
export function checksumsFileName(template: string | undefined, context: NameContext): string {
  if (template === undefined) return DEFAULT_CHECKSUMS_FILE;
  const values = { name: context.name, version: context.version, tag: releaseTag(context.version) };
  return fileName(renderTemplate(template, values, "checksums"), "checksums", template);
}

/**
 * Every release asset: the binaries of each build for each of its platforms (published bare when
 * `binaries` is on), one archive per platform holding every build's binary for it, and the checksums
 * file over all of them. Names must be unique: a template that renders two assets alike is refused.
 */
export function planAssets(
  builds: readonly BuildPlan[],
  settings: ArchiveSettings,
  context: NameContext,
  checksums: string | undefined,
): AssetPlan {
  const platforms: Platform[] = [];
  for (const build of builds) for (const p of build.platforms) if (!platforms.some((q) => q.id === p.id)) platforms.push(p);
  const owner = new Map<string, string>();
  const claim = (name: string, what: string, key: string, template: string) => {
    const earlier = owner.get(name);
    if (earlier !== undefined) {
      throw new SlipwayInputError(
        key,
        template,
        `names both ${earlier} and ${what} ${JSON.stringify(name)}`,
        "add {{os}}, {{arch}}{{armv}} or {{binary}} so every asset has its own name",
      );
    }
    owner.set(name, what);
  };

  const binaries = builds.flatMap((build) =>
    build.platforms.map((platform): BinaryAsset => {
      const values = { ...platformValues(settings, context, platform), binary: build.binary };
      const windows = platform.os === "windows";
      const file =
        fileName(
          renderTemplate(settings.binaryNameTemplate, values, "archives.binaryNameTemplate"),
          "archives.binaryNameTemplate",
          settings.binaryNameTemplate,
        ) + (windows ? ".exe" : "");
      claim(file, `the ${build.id} binary for ${platform.id}`, "archives.binaryNameTemplate", settings.binaryNameTemplate);
      return {
        build: build.id,
        platform: platform.id,
        os: platform.os,
        arch: platform.arch,
        arm: platform.arm,
        executable: windows ? `${build.binary}.exe` : build.binary,
        file,
        published: settings.binaries,
      };
    }),
  );

  const archives = platforms.flatMap((platform): ArchiveAsset[] => {
    const format = settings.formatOverrides[platform.os] ?? settings.format;
    if (format === "none") return [];
    const values = platformValues(settings, context, platform);
    const stem = fileName(
      renderTemplate(settings.nameTemplate, values, "archives.nameTemplate"),
      "archives.nameTemplate",
      settings.nameTemplate,
    );
    const name = stem + EXTENSION[format];
    claim(name, `the archive for ${platform.id}`, "archives.nameTemplate", settings.nameTemplate);
    const wrap =
      settings.wrapInDirectory === null
        ? null
        : settings.wrapInDirectory === ""
          ? stem
          : fileName(
              renderTemplate(settings.wrapInDirectory, values, "archives.wrapInDirectory"),
              "archives.wrapInDirectory",
              settings.wrapInDirectory,
            );
    // Two builds never put one executable into an archive: planBuilds refuses one binary name twice per platform.
    const members = binaries.filter((b) => b.platform === platform.id);
    return [
      {
        platform: platform.id,
        os: platform.os,
        arch: platform.arch,
        arm: platform.arm,
        name,
        format,
        directory: wrap,
        binaries: members.map((b) => b.file),
      },
    ];
  });

  const published = [...binaries.filter((b) => b.published).map((b) => b.file), ...archives.map((a) => a.name)];
  if (published.length === 0) {
    throw new SlipwayInputError(
      "archives",
      "none",
      "with archives none and binaries false nothing would be published",
      "set archives.binaries to true or choose an archive format",
    );
  }
  const checksumsFile = checksumsFileName(checksums, context);
  claim(checksumsFile, "the checksums file", "checksums", checksums ?? DEFAULT_CHECKSUMS_FILE);
  return {
    binaries,
    archives,
    archiveFiles: { patterns: settings.files, defaults: settings.defaultFiles },
    checksums: { file: checksumsFile, order: [...published].sort(byteOrder) },
  };
}

/** Code-unit order, independent of locale, matching `LC_ALL=C sort`. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
