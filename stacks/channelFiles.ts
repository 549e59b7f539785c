import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ChannelSettings } from "../plan/channels";
import { parseGitLog, previousReleaseCommit, renderCommitNotes } from "../plan/commitNotes";
import { SlipwayInputError } from "../plan/errors";
import { packageSources } from "../plan/packages";
import { extractReleaseNotes } from "../plan/releaseNotes";
import { StackSettings } from "../plan/stackConfig";
import { TapSettings } from "../plan/taps";

/** Every file the packages carry must be readable inside the module, before anything is declared. */
export function checkPackageFiles(settings: StackSettings, moduleDir: string): void {
  const packages = settings.channels.packages;
  if (packages === undefined) return;
  for (const { key, path } of packageSources(packages)) {
    try {
      accessSync(resolve(moduleDir, path), constants.R_OK);
    } catch {
      throw new SlipwayInputError(
        key,
        path,
        `${resolve(moduleDir, path)} does not exist or cannot be read`,
        "add the file to the module, or fix the path",
      );
    }
  }
}

function git(dir: string, args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
}

/**
 * Notes from the commits since the previous published version, when the module is in a git repository
 * holding the release commit; `undefined` otherwise (or when no commit is left after the filters).
 */
export function notesFromCommits(settings: StackSettings, moduleDir: string): string | undefined {
  const commit = settings.plan.commit.sha;
  try {
    git(moduleDir, ["cat-file", "-e", `${commit}^{commit}`]);
  } catch {
    return undefined;
  }
  const previous = previousReleaseCommit(settings.plan.version, settings.release.published ?? []);
  const range = previous === undefined ? commit : `${previous}..${commit}`;
  let log: string;
  try {
    log = git(moduleDir, ["log", "--no-merges", "--format=%H%x1f%s%x1f%b%x1e", range]);
  } catch {
    return undefined;
  }
  const notes = renderCommitNotes(parseGitLog(log), settings.channels.releaseNotes);
  return notes === "" ? undefined : notes;
}

function absoluteTap(tap: TapSettings | undefined, projectDir: string): TapSettings | undefined {
  if (tap?.repository.kind !== "local") return tap;
  return { ...tap, repository: { ...tap.repository, path: resolve(projectDir, tap.repository.path) } };
}

/** The channels as the Release component takes them: local tap repositories resolved against the project. */
export function channelArgs(channels: ChannelSettings, projectDir: string): ChannelSettings {
  return { ...channels, homebrew: absoluteTap(channels.homebrew, projectDir), scoop: absoluteTap(channels.scoop, projectDir) };
}

/** The version's section of the changelog (relative to the project), if it has one. */
export function changelogSection(settings: StackSettings, projectDir: string): string | undefined {
  const changelog = resolve(projectDir, settings.build.changelog);
  return existsSync(changelog) ? extractReleaseNotes(readFileSync(changelog, "utf8"), settings.plan.version) : undefined;
}

/** The release's notes: the changelog section, else the commits since the previous published version. */
export function releaseNotes(settings: StackSettings, projectDir: string): string | undefined {
  return changelogSection(settings, projectDir) ?? notesFromCommits(settings, resolve(projectDir, settings.build.module));
}
