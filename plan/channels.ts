// Where users install from besides the release itself: Linux packages, the Homebrew tap, the Scoop bucket,
// install.sh, and the release notes' source. Parsed together, before any resource exists.
import { CommitNotesSettings, parseCommitNotesSettings } from "./commitNotes";
import { SlipwayInputError } from "./errors";
import { homebrewVariants } from "./homebrew";
import { PackagesPlan, planPackages } from "./packages";
import { ReleasePlan } from "./releasePlan";
import { scoopArchives } from "./scoop";
import { TapSettings, parseTapSettings, tapTokenSecret } from "./taps";

export interface ChannelSettings {
  readonly packages: PackagesPlan | undefined;
  readonly homebrew: TapSettings | undefined;
  readonly scoop: TapSettings | undefined;
  /** Whether install.sh is a release asset. */
  readonly installScript: boolean;
  readonly releaseNotes: CommitNotesSettings;
}

/** The settings this file reads, with their README rows (type, default, meaning). */
export const CHANNEL_SETTINGS = {
  packages: {
    type: "object",
    default: "unset (no packages)",
    meaning:
      "Linux packages built with nfpm: `{formats, maintainer, build, vendor, homepage, description, license, bindir, files, dependencies, scripts}` (see Packages below).",
  },
  homebrew: {
    type: "object",
    default: "unset",
    meaning:
      'Homebrew formula (or `cask: true`) committed to `{repository: owner/repo, tokenSecret}` or a local git repository `{path}`; also `branch`, `directory` (default `Formula`, `Casks` for a cask; `""` for the repository root), `author`, `description`, `homepage`, `license`, `test`.',
  },
  scoop: {
    type: "object",
    default: "unset",
    meaning: 'Scoop manifest, committed like `homebrew` (no `test`, `cask`); `directory` defaults to `bucket` (`""`: the repository root).',
  },
  installScript: {
    type: "string",
    default: "`false`",
    meaning: "`true`: publish install.sh, which verifies the archive against the checksums file.",
  },
  releaseNotes: {
    type: "object",
    default: "all commits",
    meaning:
      "Notes from the commits since the previous published version when the changelog has no section: `{include, exclude}` regular expressions over subjects.",
  },
} as const;

function parseObject(values: Readonly<Record<string, string>>, key: keyof typeof CHANNEL_SETTINGS): unknown {
  const text = values[key];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SlipwayInputError(key, text, "must be an object", `set it with pulumi config set --path 'slipway:${key}.<field>' <value>`);
  }
}

/** The taps' settings and the secret settings they need (checked with the stack's other secrets). */
export function parseTaps(values: Readonly<Record<string, string>>): {
  homebrew: TapSettings | undefined;
  scoop: TapSettings | undefined;
  secrets: string[];
} {
  const homebrew = parseTapSettings(parseObject(values, "homebrew"), "homebrew");
  const scoop = parseTapSettings(parseObject(values, "scoop"), "scoop");
  const secrets = [tapTokenSecret(homebrew), tapTokenSecret(scoop)].filter((s): s is string => s !== undefined);
  return { homebrew, scoop, secrets: [...new Set(secrets)] };
}

/** Every channel, checked against the release plan (a tap needs archives it can install). */
export function planChannels(values: Readonly<Record<string, string>>, plan: ReleasePlan): ChannelSettings {
  const { homebrew, scoop } = parseTaps(values);
  if (homebrew !== undefined) homebrewVariants(plan);
  if (scoop !== undefined) scoopArchives(plan);
  const installScript = values.installScript ?? "false";
  if (installScript !== "true" && installScript !== "false") {
    throw new SlipwayInputError("installScript", installScript, "must be true or false", "pulumi config set slipway:installScript true");
  }
  return {
    packages: planPackages(parseObject(values, "packages"), plan),
    homebrew,
    scoop,
    installScript: installScript === "true",
    releaseNotes: parseCommitNotesSettings(parseObject(values, "releaseNotes")),
  };
}
