import * as pulumi from "@pulumi/pulumi";
import { ArchiveFileMatch } from "../plan/archiveFiles";
import { resolve } from "node:path";
import { DEFAULT_LOCAL_STATE_DIR, DEFAULT_LOCAL_STORAGE_DIR } from "../plan/athens";
import { downloadBase } from "../plan/tapFiles";
import { ReleasePlan } from "../plan/releasePlan";
import { releaseTag } from "../plan/version";
import { buildsAnImage, planBaseImage } from "../plan/baseImage";
import { ReleaseRecord } from "../plan/releaseRecord";
import { GithubSettings, RegistrySettings, RotationSettings } from "../plan/stackConfig";
import { redactGoproxy } from "../plan/provenance";
import { slotKeys } from "../plan/rotation";
import { DEFAULT_SUPPLY_CHAIN, SupplyChainSettings, planSupplyChain, workflowIdentityPattern } from "../plan/supplyChain";
import { BuiltFile } from "../providers/goBuild";
import { AthensProxy, AthensProxySettings, checkAthensProxyArgs } from "./athensProxy";
import { BaseImage } from "./baseImage";
import { ChannelSettings } from "../plan/channels";
import { declareChannels } from "./channels";
import { ContainerRegistry } from "./containerRegistry";
import { GithubRelease } from "./githubRelease";
import { GoBinaries } from "./goBinaries";
import { LocalRelease } from "./localRelease";
import { MultiArchImage, PushedIndex } from "./multiArchImage";
import { SigningKeys } from "./signingKeys";
import { SupplyChain } from "./supplyChain";
import { CiRegistry, StackSecrets } from "./stackSecrets";

export interface ReleaseArgs {
  /** The release plan (`planRelease`): version, builds, assets, tags, image platforms. Required. */
  readonly plan: ReleasePlan;
  /** `plan` is the stack's last applied plan declared again for a published version (`planToDeclare`). Defaults to false. */
  readonly republished?: boolean;
  /** The Go module to release (absolute, or relative to the working directory). Required. */
  readonly moduleDir: string;
  /** Where binaries, archives and the checksums file are built; a `.cache` beside them holds Go's caches. Required. */
  readonly buildDir: string;
  /** Reads a secret setting (e.g. `ghcrToken`) as a Pulumi secret. Required. */
  readonly secret: (name: string) => pulumi.Output<string>;
  /** The module proxy the build fetches through; for `kind: aws` the basic-auth password is the stack's rotating secret. Defaults to a local Athens process with storage in `.slipway/athens`. */
  readonly athens?: AthensProxySettings;
  /** Registries the image is pushed to. Defaults to none (no image). */
  readonly registries?: readonly RegistrySettings[];
  /** Repository name of the image inside each registry. Defaults to the plan's name. */
  readonly imageName?: string;
  /** Repository of the BuildKit cache in the first registry, never the image's own. Defaults to none (no build cache). */
  readonly cacheRepository?: string;
  /** The GitHub release; unset publishes to `releaseDir`. Defaults to unset. */
  readonly github?: GithubSettings;
  /** Local release root when there is no GitHub release. Defaults to `dist/releases` below the working directory. */
  readonly releaseDir?: string;
  /** Dockerfile for the image. Defaults to slipway's scratch recipe. */
  readonly dockerfile?: string;
  /** Base image pinned by digest, from a registry of the stack's own. Defaults to scratch. */
  readonly baseImage?: string;
  /** buildx builder for image builds. Defaults to the current one. */
  readonly builder?: string;
  /** Secret rotation. Defaults to generation 1, no time-based rotation. */
  readonly rotation?: RotationSettings;
  /** Extra files every archive carries (see `checkProjectFiles`). Defaults to none. */
  readonly extraFiles?: readonly ArchiveFileMatch[];
  /** Release notes for the version, from the changelog. Defaults to none. */
  readonly notes?: string;
  /** Packages, taps and install.sh (`slipway:packages`, `homebrew`, `scoop`, `installScript`); local tap paths absolute. Defaults to none. */
  readonly channels?: ChannelSettings;
  /** Clock for time-based rotation. Defaults to `() => new Date()`. */
  readonly now?: () => Date;
  /** Signatures, SBOMs and provenance. Defaults to all on ({@link DEFAULT_SUPPLY_CHAIN}). */
  readonly supplyChain?: SupplyChainSettings;
  /** Who runs the release, recorded in provenance. Defaults to `{id: "urn:slipway:local", version: "0"}`. */
  readonly releasedBy?: { readonly id: string; readonly version: string };
}

function builtFile(files: Record<string, BuiltFile>, assetName: string): BuiltFile {
  const file = files[assetName];
  if (file === undefined) throw new Error(`the build produced no ${assetName}`);
  return file;
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
  /** Both signing slots' public keys (PEM, current first): what the next release's `cosign.pub` holds. Empty when signing is off. */
  public readonly publicKeys: pulumi.Output<string>;

  constructor(name: string, args: ReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    const athensArgs: AthensProxySettings = args.athens ?? {
      kind: "local",
      source: "process",
      storageDir: resolve(DEFAULT_LOCAL_STORAGE_DIR),
      stateDir: resolve(DEFAULT_LOCAL_STATE_DIR),
    };
    // Everything is checked before anything is declared: the proxy (its password is not needed to check
    // it) and the base image (see planBaseImage).
    checkAthensProxyArgs(athensArgs);
    const registrySettings = args.registries ?? [];
    const baseImagePlan = planBaseImage(args.baseImage, registrySettings, args.plan.image.platforms);
    const chainPlan = planSupplyChain(args.plan, args.supplyChain ?? DEFAULT_SUPPLY_CHAIN);
    // One clock reading for every rotating secret, so the signing keys and the other slots never straddle a window.
    const clock = args.now ?? (() => new Date());
    let instant: Date | undefined;
    const now = () => (instant ??= clock());
    const rotation = { generation: args.rotation?.generation ?? 1, rotationDays: args.rotation?.rotationDays };
    const signingSlots = chainPlan.settings.signing ? slotKeys({ ...rotation, now }) : undefined;
    super("slipway:release:Release", name, {}, opts);
    const plan = args.plan;
    const child = { parent: this };

    const registries = registrySettings.map(
      (registry, index) =>
        new ContainerRegistry(
          `${name}-${registry.name}`,
          {
            settings: registry,
            repositoryName: args.imageName ?? plan.name,
            cacheRepositoryName: index === 0 ? args.cacheRepository : undefined,
            password: registry.passwordSecret === undefined ? undefined : args.secret(registry.passwordSecret),
            floatingTags: Object.keys(plan.floating),
          },
          child,
        ),
    );

    // CI push credentials rotate for the registries whose credentials the stack controls: ECR (IAM keys)
    // and local ones; tokens issued by GHCR or Docker Hub are rotated at their issuer.
    const ciRegistries: CiRegistry[] = registrySettings.flatMap((registry, index): CiRegistry[] => {
      const repository = registries[index]?.repository;
      const cacheRepository = registries[index]?.cacheRepository;
      if (registry.kind === "ecr" && repository !== undefined)
        return [
          {
            kind: "ecr",
            name: registry.name,
            repositoryArns: [repository.arn, ...(cacheRepository === undefined ? [] : [cacheRepository.arn])],
          },
        ];
      if (registry.kind === "local") return [{ kind: "local", name: registry.name }];
      return [];
    });
    const secrets = new StackSecrets(
      `${name}-secrets`,
      {
        rotation,
        now,
        registries: ciRegistries,
        github:
          args.github === undefined
            ? undefined
            : { owner: args.github.owner, repo: args.github.repo, token: args.secret(args.github.tokenSecret) },
      },
      child,
    );
    const athens = new AthensProxy(
      `${name}-athens`,
      athensArgs.kind === "aws" ? { ...athensArgs, basicAuthPassword: secrets.athensPassword } : athensArgs,
      child,
    );

    const binaries = new GoBinaries(
      `${name}-binaries`,
      {
        moduleDir: args.moduleDir,
        plan,
        goproxy: athens.goproxy,
        outputDir: resolve(args.buildDir, plan.name),
        cacheDir: resolve(args.buildDir, ".cache"),
        extraFiles: args.extraFiles,
        republished: args.republished,
      },
      child,
    );

    const releaseRoot = resolve(args.releaseDir ?? "dist/releases");
    const channels = declareChannels(
      name,
      {
        plan,
        channels: args.channels,
        moduleDir: args.moduleDir,
        buildDir: args.buildDir,
        files: binaries.files,
        downloadBase: downloadBase(plan, args.github, releaseRoot),
        secret: args.secret,
      },
      this,
    );
    const keys = signingSlots === undefined ? undefined : new SigningKeys(`${name}-signing-keys`, { slots: signingSlots }, child);
    const supplyChain = (image: PushedIndex | undefined) =>
      new SupplyChain(
        `${name}-supply-chain`,
        {
          plan,
          chain: chainPlan,
          files: channels.files,
          binaries: binaries.binaries,
          extraAssets: channels.assetNames,
          // Hidden, so the module's source hash never covers it even when buildDir is inside the module.
          outputDir: resolve(args.buildDir, ".supply-chain", plan.name),
          key: keys?.current,
          publicKey: keys?.currentPublicKey,
          publicKeys: keys?.publicKeys,
          image,
          build: pulumi
            .all([pulumi.unsecret(athens.goproxy.apply(redactGoproxy)), binaries.modules, binaries.goVersion])
            .apply(([goproxy, modules, goVersion]) => ({ goVersion, goproxy, modules })),
          builder: args.releasedBy,
          republished: args.republished,
          keylessIdentity: args.github === undefined ? undefined : workflowIdentityPattern(args.github.owner, args.github.repo),
        },
        child,
      );
    let chain: SupplyChain | undefined;

    const baseImage =
      baseImagePlan === undefined
        ? undefined
        : new BaseImage(
            `${name}-base`,
            { ...baseImagePlan, credentials: registries[baseImagePlan.mirrorIndex]?.credentials },
            { parent: this },
          );
    if (buildsAnImage(plan.image.platforms, registries)) {
      const image = new MultiArchImage(
        `${name}-image`,
        {
          plan,
          context: binaries.imageContext,
          dockerfile: args.dockerfile,
          registries: registries.map((registry, index) => ({
            name: registrySettings[index]?.name ?? String(index),
            repositoryUrl: registry.repositoryUrl,
            credentials: registry.credentials,
          })),
          baseImage: baseImage?.ref,
          builder: args.builder,
          cacheRepositoryUrl: registries[0]?.cacheRepositoryUrl,
          beforeFloatingTags: (index) => {
            chain = chainPlan.assets.length > 0 || chainPlan.signIndex ? supplyChain(index) : undefined;
            return chain === undefined ? [] : [chain];
          },
        },
        child,
      );
      this.tags = image.tags;
    } else {
      this.tags = pulumi.output<Record<string, Record<string, string>>>({});
    }

    if (chain === undefined && chainPlan.assets.length > 0) chain = supplyChain(undefined);
    const chainFiles = chain?.files;
    const releaseFiles = [...plan.assets.checksums.order, ...channels.assetNames, plan.assets.checksums.file, ...chainPlan.assets];
    const allFiles =
      chainFiles === undefined
        ? channels.files
        : pulumi.all([channels.files, chainFiles]).apply(([built, added]) => ({ ...built, ...added }));
    if (args.github !== undefined) {
      const github = args.github;
      const built = allFiles;
      const release = new GithubRelease(
        `${name}-github`,
        {
          owner: github.owner,
          repo: github.repo,
          tagName: releaseTag(plan.version),
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
      const release = new LocalRelease(
        `${name}-local`,
        { plan, files: allFiles, root: releaseRoot, extraAssets: [...channels.assetNames, ...chainPlan.assets] },
        child,
      );
      this.assets = release.assets;
      this.location = release.directory;
    }

    this.goproxy = athens.goproxy;
    this.modules = binaries.modules;
    this.record = pulumi.all([this.assets, this.tags, this.location]).apply(([assets, tags, location]) => ({
      commit: plan.commit.sha,
      assets,
      tags,
      location,
    }));
    this.publicKeys = keys?.publicKeys ?? pulumi.output("");
    this.registerOutputs({
      assets: this.assets,
      tags: this.tags,
      location: this.location,
      goproxy: this.goproxy,
      modules: this.modules,
      record: this.record,
      publicKeys: this.publicKeys,
    });
  }
}
