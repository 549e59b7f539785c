import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { SlipwayInputError } from "../plan/errors";
import { INSTALL_SCRIPT, renderInstallScript } from "../plan/installScript";
import { nfpmConfig, stagedPackageFiles } from "../plan/nfpmConfig";
import { PackagesPlan, SCRIPT_KINDS, packageSources } from "../plan/packages";
import { ReleasePlan } from "../plan/releasePlan";
import { BuiltFile } from "../providers/goBuild";
import { ReleaseExtras, stagingDirectory } from "../providers/releaseExtras";

export interface LinuxPackagesArgs {
  /** The release plan. Required. */
  readonly plan: ReleasePlan;
  /** The packages to build (`slipway:packages`). Defaults to none. */
  readonly packages?: PackagesPlan;
  /** Where the release's assets are downloaded from; set, install.sh is published. Defaults to unset (no install.sh). */
  readonly installScriptUrl?: string;
  /** The Go module; extra files and scripts are relative to it. Required. */
  readonly moduleDir: string;
  /** Directory the Go build wrote the binaries to. Required. */
  readonly binaryDir: string;
  /** The Go build's release files (GoBinaries `files`). Required. */
  readonly files: pulumi.Input<Record<string, BuiltFile>>;
  /** Where packages and the new checksums file are written. Required. */
  readonly outputDir: string;
  /** The nfpm binary. Defaults to `nfpm` on PATH (scripts/toolchain.sh puts it there). */
  readonly nfpm?: string;
}

/** Content hash of the module files the packages carry. */
function sourcesHash(moduleDir: string, packages: PackagesPlan | undefined): string {
  const hash = createHash("sha256");
  for (const { key, path } of packages === undefined ? [] : packageSources(packages)) {
    let content: Buffer;
    try {
      content = readFileSync(join(moduleDir, path));
    } catch {
      throw new SlipwayInputError(key, path, `${join(moduleDir, path)} cannot be read`, "point it at a file inside the module");
    }
    hash.update(path).update("\0").update(content).update("\0");
  }
  return hash.digest("hex");
}

/**
 * The release files made after the Go build: one Linux package per format and platform (nfpm), install.sh,
 * and the checksums file over all release files. `files` is the Go build's files with these added.
 */
export class LinuxPackages extends pulumi.ComponentResource {
  /** Every release file by asset name: the Go build's, the packages, install.sh and the new checksums file. */
  public readonly files: pulumi.Output<Record<string, BuiltFile>>;
  /** Asset names this component adds (the checksums file, replaced, not included). */
  public readonly assetNames: readonly string[];

  constructor(name: string, args: LinuxPackagesArgs, opts?: pulumi.ComponentResourceOptions) {
    const moduleDir = resolve(args.moduleDir);
    const hash = sourcesHash(moduleDir, args.packages);
    super("slipway:packages:LinuxPackages", name, {}, opts);
    const plan = args.plan;
    const outputDir = resolve(args.outputDir);
    const packages = args.packages;
    const checksumsFile = plan.assets.checksums.file;
    const paths = (binary: string) => ({
      binary: join(resolve(args.binaryDir), binary),
      moduleDir,
      stagingDir: stagingDirectory(outputDir),
    });
    const staged: Record<string, string> = packages === undefined ? {} : stagedPackageFiles(plan, packages);
    for (const kind of SCRIPT_KINDS) {
      const path = packages?.scripts[kind];
      if (path !== undefined) staged[kind] = readFileSync(join(moduleDir, path), "utf8");
    }
    const texts: Record<string, string> =
      args.installScriptUrl === undefined ? {} : { [INSTALL_SCRIPT]: renderInstallScript(plan, args.installScriptUrl) };
    this.assetNames = [...(packages?.assets.map((a) => a.name) ?? []), ...Object.keys(texts)];
    const built = pulumi.output(args.files);
    const extras = new ReleaseExtras(
      `${name}-build`,
      {
        nfpm: args.nfpm ?? "nfpm",
        outputDir,
        commitEpoch: plan.commit.sourceDateEpoch,
        packages: (packages?.assets ?? []).map((asset) => ({
          name: asset.name,
          format: asset.format,
          config: nfpmConfig(plan, packages as PackagesPlan, asset, paths(asset.binary)),
        })),
        staged,
        sourcesHash: hash,
        texts,
        baseChecksums: built.apply((files) => {
          const file = files[checksumsFile];
          if (file === undefined) throw new Error(`the build produced no ${checksumsFile}`);
          return file;
        }),
        checksumsFile,
      },
      { parent: this },
    );
    this.files = pulumi.all([built, extras.files]).apply(([base, added]) => ({ ...base, ...added }));
    this.registerOutputs({ files: this.files });
  }
}
