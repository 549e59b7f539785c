import * as pulumi from "@pulumi/pulumi";
import { join, resolve } from "node:path";
import { ChannelSettings } from "../plan/channels";
import { ReleasePlan } from "../plan/releasePlan";
import { tapFiles } from "../plan/tapFiles";
import { BuiltFile } from "../providers/goBuild";
import { LinuxPackages } from "./linuxPackages";
import { TapFile } from "./tapFile";

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
  for (const file of tapFiles(plan, channels, url)) {
    const repository = file.tap.repository;
    new TapFile(
      `${name}-${file.channel}`,
      {
        tap: file.tap,
        path: file.path,
        content: sha256.apply(file.render),
        message: `${plan.name} ${plan.version}`,
        commitEpoch: plan.commit.sourceDateEpoch,
        token: repository.kind === "github" ? input.secret(repository.tokenSecret) : undefined,
      },
      { parent },
    );
  }
  return { files, assetNames };
}
