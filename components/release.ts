import * as pulumi from "@pulumi/pulumi";
import { resolve } from "node:path";
import { DEFAULT_LOCAL_STATE_DIR, DEFAULT_LOCAL_STORAGE_DIR } from "../plan/athens";
import { StackSettings } from "../plan/stackConfig";
import { BuiltFile } from "../providers/goBuild";
import { SlipwayInputError } from "../plan/errors";
import { AthensProxy, AthensProxyArgs, checkAthensProxyArgs } from "./athensProxy";
import { BaseImage } from "./baseImage";
import { ContainerRegistry } from "./containerRegistry";
import { GithubRelease } from "./githubRelease";
import { GoBinaries } from "./goBinaries";
import { LocalRelease } from "./localRelease";
import { MultiArchImage } from "./multiArchImage";
import { CiRegistry, StackSecrets } from "./stackSecrets";

export interface ReleaseArgs {
  /** Validated stack settings with the release plan. Required. */
  readonly settings: StackSettings;
  /** Directory relative settings are resolved against (the Pulumi project). Required. */
  readonly projectDir: string;
  /** Reads a secret setting (e.g. `ghcrToken`) as a Pulumi secret. Required. */
  readonly secret: (name: string) => pulumi.Output<string>;
  /** Release notes for the version, from the changelog. Defaults to none. */
  readonly notes?: string;
  /** Clock for time-based rotation. Defaults to `() => new Date()`. */
  readonly now?: () => Date;
}

/** What one release published, as the stack remembers it. */
export interface ReleaseRecord {
  readonly commit: string;
  /** Asset name → sha256. */
  readonly assets: Record<string, string>;
  /** Registry name → tag → digest. */
  readonly tags: Record<string, Record<string, string>>;
  /** Where the release can be found: the GitHub release page or the local directory. */
  readonly location: string;
}

function builtFile(files: Record<string, BuiltFile>, assetName: string): BuiltFile {
  const file = files[assetName];
  if (file === undefined) throw new Error(`the build produced no ${assetName}`);
  return file;
}

function athensArgs(settings: StackSettings, projectDir: string, athensPassword: pulumi.Output<string>): AthensProxyArgs {
  const athens = settings.athens;
  if (athens.kind === "aws") {
    return { ...(athens as unknown as AthensProxyArgs & { kind: "aws" }), basicAuthPassword: athensPassword };
  }
  if (athens.source === "endpoint") return athens as unknown as AthensProxyArgs;
  const local = athens as Record<string, unknown>;
  return {
    ...(local as unknown as AthensProxyArgs),
    storageDir: resolve(projectDir, (local.storageDir as string | undefined) ?? DEFAULT_LOCAL_STORAGE_DIR),
    stateDir: resolve(projectDir, (local.stateDir as string | undefined) ?? DEFAULT_LOCAL_STATE_DIR),
  } as AthensProxyArgs;
}

/**
 * One release, composed from the plan: secrets, the module proxy, the registries and the hermetic Go
 * build; then two independent branches — the release (GitHub, or a local directory) and the images —
 * so that one failing (with `pulumi up --continue-on-error`) never stops the other.
 */
export class Release extends pulumi.ComponentResource {
  /** Asset name → sha256 of the published release files. */
  public readonly assets: pulumi.Output<Record<string, string>>;
  /** Registry name → tag → digest. Empty when the plan has no image. */
  public readonly tags: pulumi.Output<Record<string, Record<string, string>>>;
  /** GitHub release page, or the local release directory. */
  public readonly location: pulumi.Output<string>;
  /** The GOPROXY the build used (secret when it carries credentials). */
  public readonly goproxy: pulumi.Output<string>;
  /** Modules the build fetched through the proxy. */
  public readonly modules: pulumi.Output<string[]>;
  /** The record the stack keeps of this release once both branches finished. */
  public readonly record: pulumi.Output<ReleaseRecord>;

  constructor(name: string, args: ReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    // The proxy settings are checked before anything is declared: the password is not needed to check them.
    checkAthensProxyArgs(athensArgs(args.settings, args.projectDir, pulumi.output("")));
    super("slipway:release:Release", name, {}, opts);
    const { settings, projectDir } = args;
    const plan = settings.plan;
    const child = { parent: this };
    const path = (relative: string) => resolve(projectDir, relative);

    const registries = settings.registries.map(
      (registry) =>
        new ContainerRegistry(
          `${name}-${registry.name}`,
          {
            settings: registry,
            repositoryName: settings.imageName,
            password: registry.passwordSecret === undefined ? undefined : args.secret(registry.passwordSecret),
            floatingTags: Object.keys(plan.floating),
          },
          child,
        ),
    );

    // CI push credentials rotate for the registries whose credentials the stack controls: ECR (IAM keys)
    // and local ones; tokens issued by GHCR or Docker Hub are rotated at their issuer.
    const ciRegistries: CiRegistry[] = settings.registries.flatMap((registry, index): CiRegistry[] => {
      const repository = registries[index]?.repository;
      if (registry.kind === "ecr" && repository !== undefined) return [{ kind: "ecr", name: registry.name, repositoryArns: [repository.arn] }];
      if (registry.kind === "local") return [{ kind: "local", name: registry.name }];
      return [];
    });
    const secrets = new StackSecrets(
      `${name}-secrets`,
      {
        rotation: { generation: settings.rotation.generation, rotationDays: settings.rotation.rotationDays },
        now: args.now,
        registries: ciRegistries,
        github:
          settings.github === undefined
            ? undefined
            : { owner: settings.github.owner, repo: settings.github.repo, token: args.secret(settings.github.tokenSecret) },
      },
      child,
    );
    const athens = new AthensProxy(`${name}-athens`, athensArgs(settings, projectDir, secrets.athensPassword), child);

    const binaries = new GoBinaries(
      `${name}-binaries`,
      {
        moduleDir: path(settings.build.module),
        mainPackage: settings.build.mainPackage,
        plan,
        goproxy: athens.goproxy,
        outputDir: path(`${settings.build.buildDir}/${plan.name}`),
        cacheDir: path(`${settings.build.buildDir}/.cache`),
      },
      child,
    );

    const releaseFiles = [...plan.assets.checksums.order, plan.assets.checksums.file];
    if (settings.github !== undefined) {
      const github = settings.github;
      const built = binaries.files;
      const release = new GithubRelease(
        `${name}-github`,
        {
          owner: github.owner,
          repo: github.repo,
          tagName: plan.tags[0] ?? `v${plan.version}`,
          commit: plan.commit.sha,
          prerelease: plan.prerelease,
          makeLatest: plan.latest.moves,
          notes: args.notes,
          assets: releaseFiles.map((assetName) => ({
            name: assetName,
            path: built.apply((files) => builtFile(files, assetName).path),
            sha256: built.apply((files) => builtFile(files, assetName).sha256),
          })),
          token: args.secret(github.tokenSecret),
        },
        child,
      );
      this.assets = release.assets;
      this.location = release.url;
    } else {
      const release = new LocalRelease(`${name}-local`, { plan, files: binaries.files, root: path(settings.build.releaseDir) }, child);
      this.assets = release.assets;
      this.location = release.directory;
    }

    const baseImage = this.baseImage(name, settings, registries);
    if (plan.image.platforms.length > 0 && registries.length > 0) {
      const image = new MultiArchImage(
        `${name}-image`,
        {
          plan,
          context: binaries.imageContext,
          dockerfile: path(settings.build.dockerfile),
          registries: registries.map((registry, index) => ({
            name: settings.registries[index]?.name ?? String(index),
            repositoryUrl: registry.repositoryUrl,
            credentials: registry.credentials,
          })),
          baseImage: baseImage?.ref,
          builder: settings.build.builder,
        },
        child,
      );
      this.tags = image.tags;
    } else {
      this.tags = pulumi.output<Record<string, Record<string, string>>>({});
    }

    this.goproxy = athens.goproxy;
    this.modules = binaries.modules;
    this.record = pulumi.all([this.assets, this.tags, this.location]).apply(([assets, tags, location]) => ({
      commit: plan.commit.sha,
      assets,
      tags,
      location,
    }));
    this.registerOutputs({
      assets: this.assets,
      tags: this.tags,
      location: this.location,
      goproxy: this.goproxy,
      modules: this.modules,
      record: this.record,
    });
  }

  /** The configured base image, copied into the first registry of the stack's own that is not ECR. */
  private baseImage(name: string, settings: StackSettings, registries: readonly ContainerRegistry[]): BaseImage | undefined {
    const source = settings.build.baseImage;
    if (source === undefined) return undefined;
    const ownAddresses = settings.registries.flatMap((r) => (r.address === undefined ? [] : [r.address.split("/")[0] ?? r.address]));
    const mirrorIndex = settings.registries.findIndex((r) => r.kind !== "ecr");
    const mirror = mirrorIndex < 0 ? undefined : registries[mirrorIndex];
    const sourceRepository = source.replace(/^[^/]+\//, "").replace(/@.*$/, "");
    if (mirror === undefined && !ownAddresses.includes(source.split("/")[0] ?? "")) {
      throw new SlipwayInputError(
        "baseImage",
        source,
        "is not in a registry of the stack's own, and ECR repositories are not mirror targets",
        "copy it into ECR with a pull-through cache rule and set slipway:baseImage to the ECR copy",
      );
    }
    return new BaseImage(
      `${name}-base`,
      {
        source,
        ownRegistries: ownAddresses,
        mirrorRepositoryUrl: `${settings.registries[mirrorIndex]?.address ?? ""}/mirror/${sourceRepository}`,
        credentials: mirror?.credentials,
      },
      { parent: this },
    );
  }

}
