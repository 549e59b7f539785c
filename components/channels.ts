import * as pulumi from "@pulumi/pulumi";
import { join, resolve } from "node:path";
import { ChannelSettings } from "../plan/channels";
import { homebrewPath, renderCask, renderFormula } from "../plan/homebrew";
import { ReleasePlan } from "../plan/releasePlan";
import { renderScoopManifest, scoopPath } from "../plan/scoop";
import { BuiltFile } from "../providers/goBuild";
import { LinuxPackages } from "./linuxPackages";
import { TapFile } from "./tapFile";
import { TapSettings } from "../plan/taps";

export interface ChannelsInput {
  readonly plan: ReleasePlan;
  readonly channels: ChannelSettings | undefined;
  readonly moduleDir: string;
  readonly buildDir: string;
  /** The Go build's release files. */
  readonly files: pulumi.Output<Record<string, BuiltFile>>;
  /** Where a release asset is downloaded from: `<downloadBase>/<asset>`. */
  readonly downloadBase: string;
  readonly secret: (name: string) => pulumi.Output<string>;
}

/**
 * The channels besides the release itself, as children of `parent`: packages and install.sh (release files,
 * returned), then the Homebrew tap and Scoop bucket, which need only the archives' sha256s and so do not wait
 * for, or fail with, the release upload.
 */
export function declareChannels(
  name: string,
  input: ChannelsInput,
  parent: pulumi.Resource,
): { files: pulumi.Output<Record<string, BuiltFile>>; assetNames: readonly string[] } {
  const { plan, channels } = input;
  let files = input.files;
  let assetNames: readonly string[] = [];
  if (channels !== undefined && (channels.packages !== undefined || channels.installScript)) {
    const packages = new LinuxPackages(
      `${name}-packages`,
      {
        plan,
        packages: channels.packages,
        installScriptUrl: channels.installScript ? input.downloadBase : undefined,
        moduleDir: input.moduleDir,
        binaryDir: resolve(input.buildDir, plan.name),
        files: input.files,
        outputDir: join(resolve(input.buildDir), `${plan.name}-packages`),
        nfpm: process.env.SLIPWAY_NFPM,
      },
      { parent },
    );
    files = packages.files;
    assetNames = packages.assetNames;
  }
  const url = (asset: string) => `${input.downloadBase}/${asset}`;
  const sha256 = input.files.apply((built) => Object.fromEntries(Object.entries(built).map(([k, f]) => [k, f.sha256])));
  const publishToTap = (channel: string, tap: TapSettings, path: string, render: (digests: Record<string, string>) => string) =>
    new TapFile(
      `${name}-${channel}`,
      {
        tap,
        path,
        content: sha256.apply(render),
        message: `${plan.name} ${plan.version}`,
        commitEpoch: plan.commit.sourceDateEpoch,
        token: tap.repository.kind === "github" ? input.secret(tap.repository.tokenSecret) : undefined,
      },
      { parent },
    );
  const homebrew = channels?.homebrew;
  if (homebrew !== undefined) {
    const render = homebrew.cask ? renderCask : renderFormula;
    publishToTap("homebrew", homebrew, homebrewPath(plan, homebrew), (digests) => render(plan, homebrew, url, digests));
  }
  const scoop = channels?.scoop;
  if (scoop !== undefined) {
    publishToTap("scoop", scoop, scoopPath(plan, scoop), (digests) => renderScoopManifest(plan, scoop, url, digests));
  }
  return { files, assetNames };
}
