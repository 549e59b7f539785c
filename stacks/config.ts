import * as pulumi from "@pulumi/pulumi";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_LOCAL_STATE_DIR, DEFAULT_LOCAL_STORAGE_DIR } from "../plan/athens";
import { missingFromDiskStorage } from "../plan/athensSealedStorage";
import { AthensSettings } from "../plan/athensSettings";
import { AthensProxySettings } from "../components/athensProxy";
import { ReleaseArgs } from "../components/release";
import { SlipwayInputError } from "../plan/errors";
import { PublishedInput } from "../plan/releasePlan";
import { RawStackConfig, StackSettings, parseStackConfig } from "../plan/stackConfig";
import { ArchiveFileMatch, matchExtraFiles } from "../plan/archiveFiles";
import { readModuleFiles } from "../providers/archiveWriter";
import { changelogSection, channelArgs, checkPackageFiles, notesFromCommits } from "./channelFiles";

const NAMESPACE = "slipway:";
/** The stack output in which a stack remembers every release it published. */
export const RELEASES_OUTPUT = "releases";
/** The stack output holding the plan the last update applied. */
export const PLAN_OUTPUT = "releasePlan";

interface RuntimeConfigInternals {
  isConfigSecret?: (key: string) => boolean;
}

// The public SDK can read a secret but cannot say whether a value was stored as one; the runtime's
// internal isConfigSecret can, and slipway must refuse credentials kept in plain text.
function isStoredAsSecret(key: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const internals = require("@pulumi/pulumi/runtime/config") as RuntimeConfigInternals;
  if (typeof internals.isConfigSecret !== "function") {
    throw new Error("@pulumi/pulumi no longer exposes runtime isConfigSecret; pin the version in package.json");
  }
  return internals.isConfigSecret(key);
}

/** Reads the stack's `slipway:*` settings as plain data. */
export function readRawStackConfig(): RawStackConfig {
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!key.startsWith(NAMESPACE)) continue;
    const name = key.slice(NAMESPACE.length);
    values[name] = value;
    if (isStoredAsSecret(key)) secretKeys.add(name);
  }
  return { values, secretKeys, project: pulumi.getProject() };
}

/** `version@commit` of every release recorded in a `releases` stack output. */
export function rememberedFrom(releases: unknown): PublishedInput[] {
  if (releases === null || typeof releases !== "object") return [];
  return Object.entries(releases as Record<string, { commit?: unknown }>)
    .filter(([, record]) => typeof record?.commit === "string")
    .map(([version, record]) => `${version}@${String(record.commit)}`);
}

/**
 * What this stack published before, from its own last outputs: the stack remembers its releases, so
 * floating tags and immutability are decided against them without anyone maintaining a list, and the plan
 * it last applied (`applied`, undefined before the first update), which a re-release declares again.
 */
export async function rememberedReleases(): Promise<{ releases: Record<string, unknown>; published: PublishedInput[]; applied: unknown }> {
  const self = new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`);
  const details = await self.getOutputDetails(RELEASES_OUTPUT);
  const releases = (details.value ?? details.secretValue ?? {}) as Record<string, unknown>;
  const applied = await self.getOutputDetails(PLAN_OUTPUT);
  return { releases, published: rememberedFrom(releases), applied: applied.value };
}

/** Validates the stack's settings and plans the release; throws before any resource exists. */
export function loadStackConfig(remembered: readonly PublishedInput[] = []): StackSettings {
  return parseStackConfig(readRawStackConfig(), remembered);
}

/** What the file system adds to the plan: release notes and the archives' extra files. */
export interface ProjectFiles {
  /** The version's section of the changelog, if it has one. */
  readonly notes: string | undefined;
  /** Extra archive files, sources relative to the module. */
  readonly extraFiles: readonly ArchiveFileMatch[];
}

/**
 * The checks that need the file system, made before any resource is declared: the Go module and each
 * build's package, every module it needs when the proxy is sealed, the Dockerfile when an image is built,
 * the archives' extra files, and the changelog section when release notes are required.
 */
export function checkProjectFiles(settings: StackSettings, projectDir: string): ProjectFiles {
  const build = settings.build;
  const moduleDir = resolve(projectDir, build.module);
  for (const file of ["go.mod", "go.sum"]) {
    if (!existsSync(resolve(moduleDir, file))) {
      throw new SlipwayInputError(
        "module",
        build.module,
        `${resolve(moduleDir, file)} does not exist`,
        "point slipway:module at a Go module with go.mod and a complete go.sum",
      );
    }
  }
  checkSealedProxyHasModules(settings, projectDir, resolve(moduleDir, "go.sum"));
  const moduleFiles = readModuleFiles(moduleDir);
  settings.plan.builds.forEach((b, index) => {
    const dir = b.main === "." ? "" : `${b.main.slice(2)}/`;
    if (!moduleFiles.some((f) => f.startsWith(dir) && !f.slice(dir.length).includes("/") && f.endsWith(".go"))) {
      throw new SlipwayInputError(
        `builds[${index}].main`,
        b.main,
        `no Go files in the package directory ${b.main} of the module`,
        "point main at a package directory of the module, e.g. ./cmd/hello",
      );
    }
  });
  const patterns = settings.plan.assets.archiveFiles;
  const extraFiles =
    settings.plan.assets.archives.length === 0
      ? []
      : matchExtraFiles(patterns.patterns, moduleFiles, { caseInsensitive: patterns.defaults, allowUnmatched: patterns.defaults });
  if (build.dockerfile !== undefined && settings.plan.image.platforms.length > 0 && settings.registries.length > 0) {
    const dockerfile = resolve(projectDir, build.dockerfile);
    try {
      accessSync(dockerfile, constants.R_OK);
    } catch {
      throw new SlipwayInputError(
        "dockerfile",
        build.dockerfile,
        `${dockerfile} cannot be read`,
        "point slipway:dockerfile at a readable Dockerfile, or set slipway:imagePlatforms to [] for no image",
      );
    }
  }
  checkPackageFiles(settings, moduleDir);
  const changelog = resolve(projectDir, build.changelog);
  const notes = changelogSection(settings, projectDir);
  if (notes === undefined && build.requireReleaseNotes) {
    throw new SlipwayInputError(
      "changelog",
      build.changelog,
      existsSync(changelog) ? `has no section for ${settings.plan.version}` : "does not exist",
      `add a "## [${settings.plan.version}]" section, or set slipway:requireReleaseNotes false`,
    );
  }
  // A changelog section wins; without one, the commits since the previous release.
  return { notes: notes ?? notesFromCommits(settings, moduleDir), extraFiles };
}

/**
 * A sealed local Athens serves its disk storage only, so a module missing there would fail the build
 * mid-update; say so before anything is created.
 */
function checkSealedProxyHasModules(settings: StackSettings, projectDir: string, goSum: string): void {
  const athens = settings.athens;
  if (athens.kind !== "local" || athens.source !== "process" || athens.mode !== "sealed") return;
  const storageRoot = resolve(projectDir, athens.storageDir ?? DEFAULT_LOCAL_STORAGE_DIR);
  const missing = missingFromDiskStorage(readFileSync(goSum, "utf8"), storageRoot, existsSync);
  if (missing.length === 0) return;
  const more = missing.length > 1 ? ` and ${missing.length - 1} more` : "";
  throw new SlipwayInputError(
    "athens.mode",
    "sealed",
    `${missing[0]}${more} needed by ${goSum} is not in the proxy's storage ${storageRoot}, and a sealed proxy never downloads`,
    "release once with athens.mode warm to fill the storage, then seal it",
  );
}

/** The Athens settings as the AthensProxy component takes them, directories resolved against the project. */
export function athensProxyArgs(athens: AthensSettings, projectDir: string): AthensProxySettings {
  if (athens.kind === "aws" || athens.source === "endpoint") return athens;
  return {
    ...athens,
    storageDir: resolve(projectDir, athens.storageDir ?? DEFAULT_LOCAL_STORAGE_DIR),
    stateDir: resolve(projectDir, athens.stateDir ?? DEFAULT_LOCAL_STATE_DIR),
  };
}

/** The Release component's arguments from the validated stack settings; relative paths are the project's. */
export function releaseArgs(settings: StackSettings, projectDir: string, files: ProjectFiles): ReleaseArgs {
  const build = settings.build;
  const path = (relative: string) => resolve(projectDir, relative);
  return {
    plan: settings.plan,
    moduleDir: path(build.module),
    buildDir: path(build.buildDir),
    releaseDir: path(build.releaseDir),
    secret: secretSetting,
    athens: athensProxyArgs(settings.athens, projectDir),
    registries: settings.registries,
    imageName: settings.imageName,
    cacheRepository: settings.cacheRepository,
    github: settings.github,
    dockerfile: build.dockerfile === undefined ? undefined : path(build.dockerfile),
    baseImage: build.baseImage,
    builder: build.builder,
    rotation: settings.rotation,
    supplyChain: settings.supplyChain,
    releasedBy: releasedBy(process.env),
    extraFiles: files.extraFiles,
    notes: files.notes,
    channels: channelArgs(settings.channels, projectDir),
  };
}

/** Who runs the release, for provenance: the GitHub workflow in Actions, else a workstation. */
export function releasedBy(env: NodeJS.ProcessEnv): { id: string; version: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version = (require("slipway/package.json") as { version: string }).version;
  const workflow = env.GITHUB_ACTIONS === "true" ? env.GITHUB_WORKFLOW_REF : undefined;
  return { id: workflow === undefined ? "urn:slipway:local" : `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${workflow}`, version };
}

/** A secret setting's value as a Pulumi secret, for the settings {@link StackSettings.secretSettings} names. */
export function secretSetting(name: string): pulumi.Output<string> {
  return new pulumi.Config("slipway").requireSecret(name);
}
