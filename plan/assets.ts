import { SlipwayInputError } from "./errors";
import { Platform } from "./platforms";

export const ARCHIVE_FORMATS = ["tar.gz", "none"] as const;
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];
export const CHECKSUMS_FILE = "SHA256SUMS";

export interface PlatformAssets {
  readonly platform: string;
  readonly os: string;
  readonly arch: string;
  /** The file name of the binary inside an archive and inside the image: `hello` or `hello.exe`. */
  readonly executable: string;
  /** The release asset holding the bare binary: `hello_1.4.0_linux_amd64`. */
  readonly binary: string;
  /** The release asset holding the archive (`.tar.gz`, `.zip` on windows), or null when archives are off. */
  readonly archive: string | null;
}

export interface AssetPlan {
  readonly files: readonly PlatformAssets[];
  readonly checksums: {
    readonly file: string;
    /** The order of lines in SHA256SUMS: asset names in byte order, as `sha256sum` of a sorted glob prints them. */
    readonly order: readonly string[];
  };
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

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

export function planAssets(
  name: string,
  version: string,
  platforms: readonly Platform[],
  archives: ArchiveFormat,
): AssetPlan {
  const files = platforms.map((p): PlatformAssets => {
    const windows = p.os === "windows";
    const stem = `${name}_${version}_${p.os}_${p.arch}`;
    return {
      platform: p.id,
      os: p.os,
      arch: p.arch,
      executable: windows ? `${name}.exe` : name,
      binary: windows ? `${stem}.exe` : stem,
      archive: archives === "none" ? null : windows ? `${stem}.zip` : `${stem}.tar.gz`,
    };
  });
  const names = files.flatMap((f) => (f.archive === null ? [f.binary] : [f.binary, f.archive]));
  return { files, checksums: { file: CHECKSUMS_FILE, order: [...names].sort(byteOrder) } };
}

/** Code-unit order, independent of locale, matching `LC_ALL=C sort`. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
