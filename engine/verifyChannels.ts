// What `slipway verify` reads for the install channels: each local tap's file at the head of its branch.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { ChannelSettings } from "../plan/channels";
import { homebrewPath } from "../plan/homebrew";
import { ReleasePlan } from "../plan/releasePlan";
import { scoopPath } from "../plan/scoop";
import { TapKind, TapSettings } from "../plan/taps";
import { StackSettings } from "../plan/stackConfig";
import { TapObservation, evaluateChannels } from "../plan/verifyChannels";
import { CheckItem, ReleaseObservation } from "../plan/verifyChecklist";

function git(repository: string, args: string[]): string {
  return execFileSync("git", ["-C", repository, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The tap's file at the head of its branch; a GitHub tap is not read. */
export function observeTap(tap: TapSettings, path: string, projectDir: string | undefined): TapObservation {
  const repository = tap.repository;
  if (repository.kind === "github") return { notCheckable: `verify does not read the GitHub tap ${repository.owner}/${repository.repo}` };
  if (projectDir === undefined) return { notCheckable: "no project directory to resolve the tap's path against" };
  const dir = resolve(projectDir, repository.path);
  let commit: string;
  try {
    commit = git(dir, ["rev-parse", "--verify", "--quiet", `refs/heads/${repository.branch}`]).trim();
  } catch {
    return { notCheckable: `${dir} is not a git repository with a branch ${repository.branch}` };
  }
  try {
    return { commit, committed: git(dir, ["show", `${commit}:${path}`]) };
  } catch {
    return { commit };
  }
}

/** Each configured tap, observed. */
export function observeTaps(
  plan: ReleasePlan,
  channels: ChannelSettings,
  projectDir: string | undefined,
): Partial<Record<TapKind, TapObservation>> {
  const taps: Partial<Record<TapKind, TapObservation>> = {};
  if (channels.homebrew !== undefined) taps.homebrew = observeTap(channels.homebrew, homebrewPath(plan, channels.homebrew), projectDir);
  if (channels.scoop !== undefined) taps.scoop = observeTap(channels.scoop, scoopPath(plan, channels.scoop), projectDir);
  return taps;
}

/** The channel checks of a local release (a GitHub release's assets are checked by the release checks). */
export function channelChecks(
  settings: StackSettings,
  release: ReleaseObservation,
  projectDir: string | undefined,
  allowUnchecked: readonly string[] | undefined,
): CheckItem[] {
  if (release.kind !== "local" || !release.exists) return [];
  const { plan, channels } = settings;
  return evaluateChannels({
    plan,
    channels,
    files: release.files,
    sums: release.sums,
    url: (asset) => `file://${release.directory}/${asset}`,
    taps: observeTaps(plan, channels, projectDir),
    allowUnchecked,
  });
}
