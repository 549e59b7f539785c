// `slipway verify` for the install channels: the packages and install.sh are in the release and listed in its
// checksums file, and each tap's committed formula or manifest is the one rendered from the published
// archives' sha256s. Pure: observations in, one check per channel out, failing with the channel's name.
import { ChannelSettings } from "./channels";
import { homebrewPath, renderCask, renderFormula } from "./homebrew";
import { INSTALL_SCRIPT } from "./installScript";
import { ReleasePlan } from "./releasePlan";
import { renderScoopManifest, scoopPath } from "./scoop";
import { TapKind, TapSettings } from "./taps";
import { CheckItem } from "./verifyChecklist";

/** What was read from one tap: the file at the head of its branch. */
export interface TapObservation {
  /** The committed file; undefined when the branch does not hold it. */
  readonly committed?: string;
  /** The commit read; undefined when none. */
  readonly commit?: string;
  /** Why the tap could not be read (a GitHub tap, an unreadable repository); undefined when it was. */
  readonly notCheckable?: string;
}

export interface ChannelVerifyInput {
  readonly plan: ReleasePlan;
  readonly channels: ChannelSettings;
  /** Asset name → sha256 of the published files (the checksums file excluded). */
  readonly files: Readonly<Record<string, string>>;
  /** The published checksums file, parsed; undefined when absent. */
  readonly sums: Readonly<Record<string, string>> | undefined;
  /** Where an asset is downloaded from, as the release rendered it into the formula and manifest. */
  readonly url: (asset: string) => string;
  readonly taps: Partial<Readonly<Record<TapKind, TapObservation>>>;
  /** Channels that may go unchecked (`homebrew`, `scoop`): skipped instead of failed. Defaults to none. */
  readonly allowUnchecked?: readonly string[];
}

function listed(input: ChannelVerifyInput, names: readonly string[]): string[] {
  const problems: string[] = [];
  for (const name of names) {
    const sha256 = input.files[name];
    const sum = input.sums?.[name];
    if (sha256 === undefined) problems.push(`${name} is not in the release`);
    else if (sum === undefined) problems.push(`${name} is not listed in ${input.plan.assets.checksums.file}`);
    else if (sum !== sha256) problems.push(`${name} has sha256 ${sha256}, ${input.plan.assets.checksums.file} lists ${sum}`);
  }
  return problems;
}

function assetCheck(input: ChannelVerifyInput, channel: string, names: readonly string[]): CheckItem {
  const problems = listed(input, names);
  const title = `${channel}: ${names.join(", ")} published and listed in ${input.plan.assets.checksums.file}`;
  return problems.length === 0
    ? { id: `channel:${channel}`, status: "pass", title, detail: `${names.length} file(s)` }
    : { id: `channel:${channel}`, status: "fail", title, detail: problems.join("; ") };
}

function tapCheck(input: ChannelVerifyInput, kind: TapKind, tap: TapSettings, path: string, render: () => string): CheckItem {
  const id = `channel:${kind}`;
  const title = `${kind}: the tap's ${path} is the one for the published archives`;
  const observed = input.taps[kind];
  if (observed === undefined || observed.notCheckable !== undefined) {
    const reason = observed?.notCheckable ?? "the tap was not read";
    return (input.allowUnchecked ?? []).includes(kind)
      ? { id, status: "skip", title, detail: `not checked (--allow-unchecked ${kind}): ${reason}` }
      : { id, status: "fail", title, detail: `cannot be checked: ${reason}; --allow-unchecked ${kind} accepts that` };
  }
  if (observed.committed === undefined) {
    return { id, status: "fail", title, detail: `branch ${tap.repository.branch} holds no ${path}` };
  }
  let expected: string;
  try {
    expected = render();
  } catch (error) {
    return { id, status: "fail", title, detail: `the release lacks an archive the ${kind} file points to (${(error as Error).message})` };
  }
  if (observed.committed === expected) {
    return { id, status: "pass", title, detail: `commit ${observed.commit ?? "(unknown)"}` };
  }
  const want = new Set(expected.match(/\b[0-9a-f]{64}\b/g) ?? []);
  const foreign = [...new Set(observed.committed.match(/\b[0-9a-f]{64}\b/g) ?? [])].filter((sha) => !want.has(sha));
  const detail =
    foreign.length > 0
      ? `sha256 ${foreign.join(", ")} in ${path} is not a published archive's`
      : `${path} at commit ${observed.commit ?? "(unknown)"} differs from the one rendered for ${input.plan.version}`;
  return { id, status: "fail", title, detail };
}

/** One check per configured channel, in a fixed order: packages, install.sh, homebrew, scoop. */
export function evaluateChannels(input: ChannelVerifyInput): CheckItem[] {
  const { plan, channels } = input;
  const items: CheckItem[] = [];
  if (channels.packages !== undefined)
    items.push(
      assetCheck(
        input,
        "packages",
        channels.packages.assets.map((a) => a.name),
      ),
    );
  if (channels.installScript) items.push(assetCheck(input, "installScript", [INSTALL_SCRIPT]));
  const digests = input.files;
  if (channels.homebrew !== undefined) {
    const tap = channels.homebrew;
    const render = tap.cask ? renderCask : renderFormula;
    items.push(tapCheck(input, "homebrew", tap, homebrewPath(plan, tap), () => render(plan, tap, input.url, digests)));
  }
  if (channels.scoop !== undefined) {
    const bucket = channels.scoop;
    items.push(tapCheck(input, "scoop", bucket, scoopPath(plan, bucket), () => renderScoopManifest(plan, bucket, input.url, digests)));
  }
  return items;
}
