// The files a release commits to its Homebrew tap and Scoop bucket, and how the pull-request preview shows
// them: a unified diff against what the stack last committed. Pure: equal inputs give equal text.
import { createPatch } from "diff";
import { ChannelSettings } from "./channels";
import { DownloadUrl, homebrewPath, renderCask, renderFormula } from "./homebrew";
import { ReleasePlan } from "./releasePlan";
import { renderScoopManifest, scoopPath } from "./scoop";
import { TapSettings, unbuiltSha256 } from "./taps";

export type TapChannel = "homebrew" | "scoop";

export interface TapFileRender {
  readonly channel: TapChannel;
  readonly tap: TapSettings;
  /** Path inside the tap repository (`Formula/hello.rb`, `bucket/hello.json`). */
  readonly path: string;
  /** The file's text from the archives' sha256s (asset name → hex). */
  readonly render: (sha256: Readonly<Record<string, string>>) => string;
}

/** The tap files the channels commit, in a fixed order (Homebrew, then Scoop); none when neither is set. */
export function tapFiles(plan: ReleasePlan, channels: ChannelSettings | undefined, url: DownloadUrl): TapFileRender[] {
  const files: TapFileRender[] = [];
  const homebrew = channels?.homebrew;
  if (homebrew !== undefined) {
    const render = homebrew.cask ? renderCask : renderFormula;
    files.push({
      channel: "homebrew",
      tap: homebrew,
      path: homebrewPath(plan, homebrew),
      render: (sha) => render(plan, homebrew, url, sha),
    });
  }
  const scoop = channels?.scoop;
  if (scoop !== undefined) {
    files.push({ channel: "scoop", tap: scoop, path: scoopPath(plan, scoop), render: (sha) => renderScoopManifest(plan, scoop, url, sha) });
  }
  return files;
}

/** Where the release's assets are downloaded from: the GitHub release, else the local release directory. */
export function downloadBase(
  plan: ReleasePlan,
  github: { readonly owner: string; readonly repo: string } | undefined,
  releaseRoot: string,
): string {
  return github === undefined
    ? `file://${releaseRoot}/${plan.version}`
    : `https://github.com/${github.owner}/${github.repo}/releases/download/v${plan.version}`;
}

/**
 * The sha256s a preview renders with: the recorded ones where the same commit's assets are already known,
 * a marker naming the asset elsewhere.
 */
export function previewSha256s(plan: ReleasePlan, known: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(plan.assets.archives.map((a) => [a.name, known[a.name] ?? unbuiltSha256(a.name)]));
}

/** A tap file the update commits: what the stack last committed there (undefined: none) and the new text. */
export interface TapFileChange {
  readonly channel: TapChannel;
  readonly repository: string;
  readonly path: string;
  readonly before: string | undefined;
  readonly after: string;
}

/** The unified diff of one tap file (3 lines of context), without the index header; empty when unchanged. */
export function tapFileDiff(change: TapFileChange): string {
  if (change.before === change.after) return "";
  const patch = createPatch(change.path, change.before ?? "", change.after, "", "", { context: 3 });
  // createPatch starts with "Index: <path>" and a "====" rule; the ---/+++ lines name the file already.
  return patch
    .split("\n")
    .slice(2)
    .map((line) => (line.startsWith("--- ") && change.before === undefined ? "--- /dev/null" : line.trimEnd()))
    .join("\n")
    .trimEnd();
}

/** Where a tap lives, for the preview: `owner/repo` on GitHub, the local repository's path. */
export function tapRepositoryName(tap: TapSettings): string {
  return tap.repository.kind === "github" ? `${tap.repository.owner}/${tap.repository.repo}` : tap.repository.path;
}
