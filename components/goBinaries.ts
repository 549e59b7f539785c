import * as pulumi from "@pulumi/pulumi";
import { ArchiveFileMatch } from "../plan/archiveFiles";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { SlipwayInputError } from "../plan/errors";
import { ReleasePlan } from "../plan/releasePlan";
import { archiveTargets, buildTargets, compileIsolationWarning } from "../plan/goBuild";
import { BuiltFile, GoBuild, GoBuildInputs, probeUnshare } from "../providers/goBuild";
import { InputsOf } from "../providers/inputs";

export interface GoBinariesArgs {
  /** The Go module to release (the directory holding go.mod). Required. */
  readonly moduleDir: string;
  /** The release plan: version, commit, asset names and image platforms. Required. */
  readonly plan: ReleasePlan;
  /** GOPROXY of the private module proxy; no `direct`. Required. */
  readonly goproxy: pulumi.Input<string>;
  /** Extra files for every archive, as `checkProjectFiles` matches the plan's patterns (sources relative to the module). Defaults to none. */
  readonly extraFiles?: readonly ArchiveFileMatch[];
  /** Where binaries, archives and SHA256SUMS are written. Defaults to `<moduleDir>/dist/<name>`. */
  readonly outputDir?: string;
  /** Stack-private GOMODCACHE/GOCACHE root. Defaults to `<outputDir>/../.cache`. */
  readonly cacheDir?: string;
  /**
   * The plan is the stack's last applied one declared again (a re-release of a published version): the
   * recorded build stands, whatever source the working tree holds now. Defaults to false.
   */
  readonly republished?: boolean;
  /** Says why the compile step cannot get a network namespace here (undefined: it can). Defaults to trying `unshare --net true`. */
  readonly unshareProbe?: () => string | undefined;
}

const SKIPPED_DIRS = new Set(["dist", "node_modules"]);
/** Pulumi's project and stack files: `slipway release` writes the version into them, which is not a source change. */
const PULUMI_FILE = /^Pulumi(\.[^/]+)?\.ya?ml$/;

/**
 * Content hash of every file under the module (paths and bytes, not modes or times), so a checkout under
 * another umask or at another time does not rebuild, and any source change does. Hidden entries, `dist/`,
 * `node_modules/` and Pulumi's project and stack files are not sources.
 */
export function moduleSourceHash(moduleDir: string, skip: readonly string[] = []): string {
  const hash = createHash("sha256");
  const skipped = new Set(skip.map((p) => resolve(p)));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.name.startsWith(".") || skipped.has(path)) continue;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (entry.isFile() && !PULUMI_FILE.test(entry.name)) {
        hash.update(relative(moduleDir, path)).update("\0").update(readFileSync(path)).update("\0");
      }
    }
  };
  walk(moduleDir);
  return hash.digest("hex");
}

export function goVersion(): string {
  return execFileSync("go", ["env", "GOVERSION"], { encoding: "utf8", env: { ...process.env, GOTOOLCHAIN: "local" } }).trim();
}

/**
 * Cross-compiles the release binaries for every asset platform through the private module proxy, with
 * archives and SHA256SUMS, and lays out the image build context from the same binaries.
 */
export class GoBinaries extends pulumi.ComponentResource {
  /** Release files by asset name (binaries, archives, SHA256SUMS): path, sha256 and size. */
  public readonly files: pulumi.Output<Record<string, BuiltFile>>;
  /** Every compiled binary by file name, published or only archived. */
  public readonly binaries: pulumi.Output<Record<string, BuiltFile>>;
  /** Asset name → sha256. */
  public readonly sha256: pulumi.Output<Record<string, string>>;
  /** Directory with `bin/<os>_<arch>/<executable>` for each image platform. */
  public readonly imageContext: pulumi.Output<string>;
  /** Modules fetched through the proxy, `path@version`. */
  public readonly modules: pulumi.Output<string[]>;
  /** The Go that built the binaries (`go env GOVERSION`), as the build recorded it. */
  public readonly goVersion: pulumi.Output<string>;

  constructor(name: string, args: GoBinariesArgs, opts?: pulumi.ComponentResourceOptions) {
    const moduleDir = resolve(args.moduleDir);
    try {
      statSync(join(moduleDir, "go.mod"));
      statSync(join(moduleDir, "go.sum"));
    } catch {
      throw new SlipwayInputError(
        "module",
        args.moduleDir,
        "no go.mod and go.sum there",
        "point slipway:module at the Go module to release, with a complete go.sum",
      );
    }
    super("slipway:build:GoBinaries", name, {}, opts);
    const plan = args.plan;
    const outputDir = resolve(args.outputDir ?? join(moduleDir, "dist", plan.name));
    const cacheDir = resolve(args.cacheDir ?? join(outputDir, "..", ".cache"));
    const inputs: InputsOf<GoBuildInputs> = {
      moduleDir,
      outputDir,
      cacheDir,
      goVersion: goVersion(),
      sourceHash: moduleSourceHash(moduleDir, [outputDir, cacheDir]),
      commitEpoch: plan.commit.sourceDateEpoch,
      targets: buildTargets(plan),
      archives: archiveTargets(plan),
      extraFiles: [...(args.extraFiles ?? [])],
      publishedBinaries: plan.assets.binaries.filter((b) => b.published).map((b) => b.file),
      imagePlatforms: [...plan.image.platforms],
      checksumsFile: plan.assets.checksums.file,
      checksumOrder: [...plan.assets.checksums.order],
      goproxy: args.goproxy,
    };
    const unshareRefusal = (args.unshareProbe ?? probeUnshare)();
    if (unshareRefusal !== undefined) void pulumi.log.warn(compileIsolationWarning(unshareRefusal), this);
    // A re-release checks out the published commit, whose source is not that of the plan declared again.
    const keepRecorded = args.republished === true ? ["sourceHash", "goVersion"] : [];
    const build = new GoBuild(`${name}-build`, inputs, { parent: this, ignoreChanges: keepRecorded });
    this.files = build.files;
    this.binaries = build.binaries;
    this.sha256 = this.files.apply((files) => Object.fromEntries(Object.entries(files).map(([k, f]) => [k, f.sha256])));
    this.imageContext = build.imageContext;
    this.modules = build.modules;
    this.goVersion = build.goVersion;
    this.registerOutputs({
      files: this.files,
      binaries: this.binaries,
      sha256: this.sha256,
      imageContext: this.imageContext,
      modules: this.modules,
      goVersion: this.goVersion,
    });
  }
}
