import { SlipwayInputError } from "./errors";

/**
 * Every `go tool dist list` pair of Go 1.26 that builds with cgo off (android and ios need cgo). 32-bit
 * arm is listed separately: it needs its GOARM level (`linux/arm/v7`).
 */
export const GO_PLATFORMS = [
  "aix/ppc64",
  "darwin/amd64",
  "darwin/arm64",
  "dragonfly/amd64",
  "freebsd/386",
  "freebsd/amd64",
  "freebsd/arm64",
  "illumos/amd64",
  "js/wasm",
  "linux/386",
  "linux/amd64",
  "linux/arm64",
  "linux/loong64",
  "linux/mips",
  "linux/mips64",
  "linux/mips64le",
  "linux/mipsle",
  "linux/ppc64",
  "linux/ppc64le",
  "linux/riscv64",
  "linux/s390x",
  "netbsd/386",
  "netbsd/amd64",
  "netbsd/arm64",
  "openbsd/386",
  "openbsd/amd64",
  "openbsd/arm64",
  "openbsd/ppc64",
  "openbsd/riscv64",
  "plan9/386",
  "plan9/amd64",
  "solaris/amd64",
  "wasip1/wasm",
  "windows/386",
  "windows/amd64",
  "windows/arm64",
] as const;

/** Operating systems with a 32-bit arm port; their platform ids name the GOARM level. */
export const ARM_OPERATING_SYSTEMS = ["freebsd", "linux", "netbsd", "openbsd", "plan9"] as const;
export const ARM_LEVELS = ["5", "6", "7"] as const;

/** Every platform id slipway accepts: the pairs above and `<os>/arm/v5|v6|v7`. */
export const KNOWN_PLATFORMS: readonly string[] = [
  ...GO_PLATFORMS,
  ...ARM_OPERATING_SYSTEMS.flatMap((os) => ARM_LEVELS.map((level) => `${os}/arm/v${level}`)),
].sort();

export type PlatformId = string;

export const DEFAULT_ASSET_PLATFORMS: readonly PlatformId[] = [
  "linux/amd64",
  "linux/arm64",
  "darwin/amd64",
  "darwin/arm64",
  "windows/amd64",
  "windows/arm64",
];
export const DEFAULT_IMAGE_PLATFORMS: readonly PlatformId[] = ["linux/amd64", "linux/arm64"];

export interface Platform {
  /** `os/arch`, or `os/arm/vN` for 32-bit arm; also the OCI platform of an image built for it. */
  readonly id: PlatformId;
  readonly os: string;
  readonly arch: string;
  /** GOARM level for 32-bit arm (`"7"`), else undefined. */
  readonly arm: string | undefined;
}

function unknownPlatform(text: unknown, key: string): SlipwayInputError {
  if (typeof text === "string" && (ARM_OPERATING_SYSTEMS as readonly string[]).some((os) => text === `${os}/arm`)) {
    return new SlipwayInputError(key, text, "32-bit arm needs its GOARM level", `use ${text}/v6 or ${text}/v7`);
  }
  return new SlipwayInputError(
    key,
    text,
    "unknown platform",
    `use os/arch from go tool dist list (cgo off), or os/arm/v5|v6|v7; e.g. linux/amd64, linux/arm/v7, openbsd/amd64`,
  );
}

/** The GOOS, GOARCH and GOARM of a build target. */
export interface PlatformTarget {
  readonly os: string;
  readonly arch: string;
  readonly arm?: string | undefined;
}

export function parsePlatform(text: unknown, key: string): Platform {
  if (typeof text !== "string" || !KNOWN_PLATFORMS.includes(text)) throw unknownPlatform(text, key);
  const [os = "", arch = "", variant] = text.split("/");
  return { id: text, os, arch, arm: variant?.slice(1) };
}

/** Parses a platform list; order is kept (it is the user's), duplicates and empty lists are errors. */
export function parsePlatforms(list: readonly unknown[], key: string): Platform[] {
  if (list.length === 0) {
    throw new SlipwayInputError(key, list, "no platforms listed", "list at least one os/arch, e.g. linux/amd64");
  }
  const seen = new Set<string>();
  return list.map((item, index) => {
    const platform = parsePlatform(item, `${key}[${index}]`);
    if (seen.has(platform.id)) {
      throw new SlipwayInputError(`${key}[${index}]`, item, "listed twice", "list each platform once");
    }
    seen.add(platform.id);
    return platform;
  });
}

/** The directory name of a platform in the image build context: `linux_amd64`, `linux_armv7`. */
export function contextDirectory(platform: PlatformTarget): string {
  return `${platform.os}_${platform.arch}${platform.arm === undefined ? "" : `v${platform.arm}`}`;
}
