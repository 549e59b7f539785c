import { SlipwayInputError } from "./errors";

/** The GOOS/GOARCH pairs slipway builds; a subset of `go tool dist list` that Go supports as first class. */
export const KNOWN_PLATFORMS = [
  "darwin/amd64",
  "darwin/arm64",
  "freebsd/amd64",
  "freebsd/arm64",
  "linux/386",
  "linux/amd64",
  "linux/arm64",
  "linux/ppc64le",
  "linux/riscv64",
  "linux/s390x",
  "windows/386",
  "windows/amd64",
  "windows/arm64",
] as const;
export type PlatformId = (typeof KNOWN_PLATFORMS)[number];

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
  readonly id: PlatformId;
  readonly os: string;
  readonly arch: string;
}

export function parsePlatform(text: unknown, key: string): Platform {
  if (typeof text !== "string" || !(KNOWN_PLATFORMS as readonly string[]).includes(text)) {
    throw new SlipwayInputError(
      key,
      text,
      "unknown platform",
      `use os/arch, one of ${KNOWN_PLATFORMS.join(", ")}`,
    );
  }
  const [os = "", arch = ""] = text.split("/");
  return { id: text as PlatformId, os, arch };
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
