import * as pulumi from "@pulumi/pulumi";
import { isAbsolute } from "node:path";
import { SlipwayInputError } from "../plan/errors";
import { ReleasePlan } from "../plan/releasePlan";
import { BuiltFile } from "../providers/goBuild";
import { LocalReleaseDirectory } from "../providers/localRelease";

export interface LocalReleaseArgs {
  /** The release plan: version and the asset names to publish. Required. */
  readonly plan: ReleasePlan;
  /** Built files by asset name (from GoBinaries). Required. */
  readonly files: pulumi.Input<Record<string, BuiltFile>>;
  /** Absolute root of local releases; the release lands in `<root>/<version>/`. Required. */
  readonly root: string;
  /** Assets beyond the plan's (packages, install.sh, signatures, SBOMs, provenance), also in `files`. Defaults to none. */
  readonly extraAssets?: readonly string[];
}

/**
 * The `local` stack's release: binaries, archives and SHA256SUMS published to `<root>/<version>/`,
 * filled as a draft and published last in one step; never overwritten once published.
 */
export class LocalRelease extends pulumi.ComponentResource {
  /** The published directory. */
  public readonly directory: pulumi.Output<string>;
  /** Asset name → sha256 of the published files. */
  public readonly assets: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: LocalReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!isAbsolute(args.root)) {
      throw new SlipwayInputError(
        "releaseDir",
        args.root,
        "must be an absolute path by the time it reaches LocalRelease",
        "resolve it against the project directory",
      );
    }
    super("slipway:release:LocalRelease", name, {}, opts);
    const names = [...args.plan.assets.checksums.order, args.plan.assets.checksums.file, ...(args.extraAssets ?? [])];
    const files = pulumi.output(args.files).apply((built) =>
      names.map((assetName) => {
        const file = built[assetName];
        if (file === undefined) throw new Error(`the build produced no ${assetName}`);
        return { name: assetName, source: file.path, sha256: file.sha256 };
      }),
    );
    const release = new LocalReleaseDirectory(
      `${name}-publication`,
      { root: args.root, version: args.plan.version, files, slipwayPublished: true },
      { parent: this },
    );
    this.directory = release.directory;
    this.assets = release.published;
    this.registerOutputs({ directory: this.directory, assets: this.assets });
  }
}
