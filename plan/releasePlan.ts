import { AssetPlan, checkProgramName, planAssets } from "./assets";
import { parseArchiveSettings } from "./archiveSettings";
import { BuildPlan, planBuilds } from "./builds";
import { SlipwayInputError } from "./errors";
import { checkLicenses, checkSourceUrl, parseCommit, parseCommitTime, planImageMetadata } from "./metadata";
import { DEFAULT_ASSET_PLATFORMS, DEFAULT_IMAGE_PLATFORMS, Platform, parsePlatforms } from "./platforms";
import { DEFAULT_TAG_TEMPLATES, FloatingTagDecision, decideLatest, parseLatestPolicy, parseTagTemplate, planTags } from "./tags";
import { ReleaseVersion, compareVersions, parseVersion, sameRelease } from "./version";

/** A version already published, optionally with the commit it was built from: `1.4.0` or `1.4.0@<sha>`. */
export type PublishedInput = string | { readonly version: string; readonly commit?: string | undefined };

export interface ReleaseInput {
  /** Program name used in asset names and the image title. */
  readonly name: string;
  /** Semantic version, with or without a leading `v`. */
  readonly version: string;
  /** Full 40-hex commit sha the release is built from. */
  readonly commit: string;
  /** Commit time, ISO 8601 with a zone; it becomes `created` and SOURCE_DATE_EPOCH. */
  readonly commitTime: string;
  /** Versions already published. Defaults to none. */
  readonly published?: readonly PublishedInput[] | undefined;
  /** Asset platforms (os/arch). Defaults to linux, darwin, windows × amd64, arm64. */
  readonly platforms?: readonly string[] | undefined;
  /** Image platforms; each must also be an asset platform; empty for no image. Defaults to those of linux/amd64, linux/arm64 among the asset platforms. */
  readonly imagePlatforms?: readonly string[] | undefined;
  /** Tag templates; replaces the default set entirely. Defaults to {@link DEFAULT_TAG_TEMPLATES}. */
  readonly tagTemplates?: readonly string[] | undefined;
  /** The Go builds (`slipway:builds` entries). Defaults to one build of `mainPackage` named `name`. */
  readonly builds?: readonly unknown[] | undefined;
  /** Package of the default build, relative to the module. Defaults to `.`. */
  readonly mainPackage?: string | undefined;
  /** Archive format name, or the archive settings object. Defaults to `tar.gz` (zip on windows). */
  readonly archives?: unknown;
  /** Checksums file name template. Defaults to `SHA256SUMS`. */
  readonly checksums?: string | undefined;
  /** Id of the build whose binary the image runs. Defaults to the build named like the program, else the first. */
  readonly imageBinary?: string | undefined;
  /** Image title. Defaults to the name. */
  readonly title?: string | undefined;
  /** Image description. Defaults to none. */
  readonly description?: string | undefined;
  /** https URL of the source repository. Defaults to none. */
  readonly source?: string | undefined;
  /** SPDX license expression. Defaults to none. */
  readonly licenses?: string | undefined;
  /** `auto`, `true` (assert this release becomes latest) or `false` (leave latest where it is). Defaults to `auto`. */
  readonly latest?: string | undefined;
}

export interface ReleasePlan {
  readonly name: string;
  /** MAJOR.MINOR.PATCH[-PRERELEASE]. */
  readonly version: string;
  /** The version as given. */
  readonly raw: string;
  readonly prerelease: boolean;
  readonly build: readonly string[];
  /** `new`: this release is to be published; `published`: it already is, from this commit, so nothing is to do. */
  readonly status: "new" | "published";
  readonly commit: {
    readonly sha: string;
    readonly short: string;
    readonly time: string;
    readonly sourceDateEpoch: number;
  };
  readonly tags: readonly string[];
  readonly immutableTags: readonly string[];
  readonly floating: Readonly<Record<string, FloatingTagDecision>>;
  /** Whether this release becomes the overall latest (GitHub's "Latest release"), whatever the tag templates. */
  readonly latest: FloatingTagDecision;
  readonly builds: readonly BuildPlan[];
  readonly assets: AssetPlan;
  readonly image: {
    readonly platforms: readonly string[];
    /** The build whose binary the image runs, and that binary's file name. */
    readonly build: string;
    readonly executable: string;
    readonly buildArgs: Readonly<Record<string, string>>;
  };
  readonly labels: Readonly<Record<string, string>>;
  /** Versions already published, normalised and sorted by precedence. */
  readonly published: readonly string[];
}

interface PublishedRelease {
  readonly version: ReleaseVersion;
  readonly commit: string | undefined;
}

export function parsePublished(list: readonly PublishedInput[], key = "published"): PublishedRelease[] {
  const releases: PublishedRelease[] = [];
  list.forEach((entry, index) => {
    const entryKey = `${key}[${index}]`;
    const [versionText, commitText] = typeof entry === "string" ? splitPublished(entry) : [entry.version, entry.commit];
    const release: PublishedRelease = {
      version: parseVersion(versionText, entryKey),
      commit: commitText === undefined ? undefined : parseCommit(commitText, entryKey),
    };
    const twin = releases.find((r) => sameRelease(r.version, release.version));
    if (twin !== undefined && twin.commit !== release.commit) {
      throw new SlipwayInputError(
        entryKey,
        entry,
        `${release.version.version} is listed twice with different commits`,
        "keep the one entry that matches what was published",
      );
    }
    if (twin === undefined) releases.push(release);
  });
  return releases;
}

function splitPublished(text: string): [string, string | undefined] {
  const at = text.indexOf("@");
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function parseImagePlatforms(list: readonly unknown[] | undefined, assetPlatforms: readonly Platform[], build: string): Platform[] {
  if (list === undefined) {
    return assetPlatforms.filter((a) => DEFAULT_IMAGE_PLATFORMS.includes(a.id));
  }
  if (list.length === 0) return [];
  const platforms = parsePlatforms(list, "imagePlatforms");
  platforms.forEach((platform, index) => {
    const key = `imagePlatforms[${index}]`;
    if (platform.os !== "linux") {
      throw new SlipwayInputError(key, platform.id, "images run on linux only", "list linux/<arch> platforms");
    }
    if (!assetPlatforms.some((a) => a.id === platform.id)) {
      throw new SlipwayInputError(
        key,
        platform.id,
        `images are built from the release binaries, but the ${build} build has no binary for this platform`,
        `add ${platform.id} to that build's platforms, or drop it from imagePlatforms`,
      );
    }
  });
  return platforms;
}

/**
 * The release plan: a pure function of its input. It reads no clock, no environment and no files, and
 * equal inputs give plans that serialise to identical JSON.
 */
export function planRelease(input: ReleaseInput): ReleasePlan {
  const name = checkProgramName(input.name, "name");
  const version = parseVersion(input.version, "version");
  const commit = parseCommit(input.commit, "commit");
  const commitTime = parseCommitTime(input.commitTime, "commitTime");
  const published = parsePublished(input.published ?? []);
  const platforms = parsePlatforms(input.platforms ?? DEFAULT_ASSET_PLATFORMS, "platforms");
  if (input.builds !== undefined && input.mainPackage !== undefined) {
    throw new SlipwayInputError(
      "mainPackage",
      input.mainPackage,
      "is replaced by builds when builds are listed",
      "set main on each build and remove mainPackage",
    );
  }
  const builds = planBuilds(
    input.builds,
    { name, mainPackage: input.mainPackage, platforms },
    {
      name,
      version: version.version,
      commit,
      commitIso: commitTime.iso,
      commitEpoch: commitTime.epoch,
    },
  );
  const imageBuild = pickImageBuild(builds, input.imageBinary, name);
  const imagePlatforms = parseImagePlatforms(input.imagePlatforms, imageBuild.platforms, imageBuild.id);
  const templates = (input.tagTemplates ?? DEFAULT_TAG_TEMPLATES).map((t, i) => parseTagTemplate(t, `tagTemplates[${i}]`));
  if (templates.length === 0) {
    throw new SlipwayInputError("tagTemplates", [], "no tag templates", "list at least one, e.g. v{{version}}");
  }
  const latestPolicy = parseLatestPolicy(input.latest, "latest");
  const archives = parseArchiveSettings(input.archives);
  const source = input.source === undefined ? undefined : checkSourceUrl(input.source, "source");
  const licenses = input.licenses === undefined ? undefined : checkLicenses(input.licenses, "licenses");

  const status = publishedStatus(version, commit, published);
  const short = commit.slice(0, 7);
  const publishedVersions = published.map((p) => p.version);
  const tagPlan = planTags(templates, version, short, publishedVersions, (i) => `tagTemplates[${i}]`, latestPolicy);
  const latest = decideLatest(version, publishedVersions, latestPolicy);
  const metadata = planImageMetadata({
    name,
    version: version.version,
    commit,
    commitTime,
    title: input.title,
    description: input.description,
    source,
    licenses,
  });
  return {
    name,
    version: version.version,
    raw: version.raw,
    prerelease: version.isPrerelease,
    build: version.build,
    status,
    commit: { sha: commit, short, time: commitTime.iso, sourceDateEpoch: commitTime.epoch },
    tags: tagPlan.tags,
    immutableTags: tagPlan.immutable,
    floating: tagPlan.floating,
    latest,
    builds,
    assets: planAssets(builds, archives, { name, version: version.version, shortCommit: short }, input.checksums),
    image: {
      platforms: imagePlatforms.map((p) => p.id),
      build: imageBuild.id,
      executable: imageBuild.binary,
      buildArgs: metadata.buildArgs,
    },
    labels: metadata.labels,
    published: published
      .map((p) => p.version)
      .sort(compareVersions)
      .map((v) => v.version),
  };
}

function pickImageBuild(builds: readonly BuildPlan[], id: string | undefined, name: string): BuildPlan {
  if (id !== undefined) {
    const chosen = builds.find((b) => b.id === id);
    if (chosen === undefined) {
      throw new SlipwayInputError("imageBinary", id, "no build has this id", `use one of ${builds.map((b) => b.id).join(", ")}`);
    }
    return chosen;
  }
  // GoReleaser configs often split one program into a build per OS: take the one that builds for linux.
  const forLinux = (b: BuildPlan) => b.platforms.some((p) => p.os === "linux");
  const named = builds.filter((b) => b.binary === name);
  return named.find(forLinux) ?? builds.find(forLinux) ?? named[0] ?? (builds[0] as BuildPlan);
}

/** Published versions are never rewritten: the same commit is a no-op, another commit an error. */
function publishedStatus(version: ReleaseVersion, commit: string, published: readonly PublishedRelease[]): "new" | "published" {
  const earlier = published.find((p) => sameRelease(p.version, version));
  if (earlier === undefined) return "new";
  if (earlier.commit === undefined) {
    throw new SlipwayInputError(
      "published",
      earlier.version.raw,
      `${version.version} is already published, but with no commit recorded, so a re-release cannot be checked`,
      `record it as ${earlier.version.version}@<commit sha>, or release a new version`,
    );
  }
  if (earlier.commit !== commit) {
    throw new SlipwayInputError(
      "commit",
      commit,
      `${version.version} is already published from commit ${earlier.commit.slice(0, 12)}; published versions are never rewritten`,
      `release a new version, or build ${version.version} from ${earlier.commit}`,
    );
  }
  return "published";
}
