import { SemVer, compare } from "semver";
import { SlipwayInputError } from "./errors";

/** A release version, parsed once and carried around in every spelling the plan needs. */
export interface ReleaseVersion {
  /** The version exactly as given, e.g. `v1.4.0+build.7`. */
  readonly raw: string;
  /** MAJOR.MINOR.PATCH[-PRERELEASE], without a leading `v` and without build metadata. */
  readonly version: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Prerelease identifiers, e.g. `["rc", 1]`; empty for a stable version. */
  readonly prerelease: readonly (string | number)[];
  /** Build metadata identifiers (after `+`); they never take part in ordering or identity. */
  readonly build: readonly string[];
  readonly isPrerelease: boolean;
}

// semver itself trims spaces and accepts `=v1.2.3` and `vv`-less spellings loosely; a release version must
// be exactly one optional lowercase `v` followed by the version.
const RELEASE_VERSION_SHAPE = /^v?[0-9]/;

/**
 * Parses a semantic version, with or without a leading `v`. Strict: `1.4`, `01.4.0` and surrounding
 * spaces are rejected rather than guessed at.
 */
export function parseVersion(raw: string, key = "version"): ReleaseVersion {
  const fix = "use MAJOR.MINOR.PATCH with an optional -PRERELEASE and +BUILD, e.g. 1.4.0 or v1.5.0-rc.1";
  if (typeof raw !== "string" || raw.length === 0) {
    throw new SlipwayInputError(key, raw, "a release version is required", fix);
  }
  let parsed: SemVer;
  try {
    if (!RELEASE_VERSION_SHAPE.test(raw) || raw.trim() !== raw) throw new TypeError(raw);
    parsed = new SemVer(raw, { loose: false });
  } catch {
    throw new SlipwayInputError(key, raw, "not a semantic version", fix);
  }
  return {
    raw,
    version: parsed.version,
    major: parsed.major,
    minor: parsed.minor,
    patch: parsed.patch,
    prerelease: [...parsed.prerelease],
    build: [...parsed.build],
    isPrerelease: parsed.prerelease.length > 0,
  };
}

/** Semver precedence; build metadata is ignored, so `1.4.0+a` and `1.4.0+b` are the same release. */
export function compareVersions(a: ReleaseVersion, b: ReleaseVersion): number {
  return compare(a.version, b.version);
}

export function sameRelease(a: ReleaseVersion, b: ReleaseVersion): boolean {
  return compareVersions(a, b) === 0;
}

/**
 * The release's git tag, by definition `v<version>` (the Go modules convention; build metadata is not part
 * of it): the GitHub release's tag and `{{tag}}` in names and linker flags, whatever the image tag templates.
 */
export function releaseTag(version: string): string {
  return `v${version}`;
}
