// The Scoop manifest of a release: the windows zip archives with their sha256s. Pure.
import { ArchiveAsset } from "./assets";
import { canonicalJson } from "./canonicalJson";
import { SlipwayInputError } from "./errors";
import { DownloadUrl } from "./homebrew";
import { ReleasePlan } from "./releasePlan";
import { TapSettings } from "./taps";

/** Scoop's architecture names for Go's. */
const ARCHITECTURES: Record<string, string> = { amd64: "64bit", "386": "32bit", arm64: "arm64" };

/** The windows zip archives Scoop installs, by Scoop architecture; refuses a release without any. */
export function scoopArchives(plan: ReleasePlan): [string, ArchiveAsset][] {
  const archives = plan.assets.archives.flatMap((archive): [string, ArchiveAsset][] => {
    const arch = ARCHITECTURES[archive.arch];
    return archive.os === "windows" && archive.format === "zip" && arch !== undefined ? [[arch, archive]] : [];
  });
  if (archives.length === 0) {
    throw new SlipwayInputError(
      "scoop",
      plan.assets.archives.map((a) => a.name),
      "Scoop installs from windows zip archives, and the release has none",
      "add windows platforms with the zip archive format",
    );
  }
  return archives;
}

/** The manifest's text (`bucket/hello.json`): version, metadata and a url, hash and bin per architecture. */
export function renderScoopManifest(
  plan: ReleasePlan,
  bucket: TapSettings,
  url: DownloadUrl,
  sha256: Readonly<Record<string, string>>,
): string {
  const architecture: Record<string, unknown> = {};
  for (const [arch, archive] of scoopArchives(plan)) {
    const hash = sha256[archive.name];
    if (hash === undefined) throw new Error(`no sha256 for ${archive.name}`);
    architecture[arch] = {
      url: url(archive.name),
      hash,
      bin: archive.binaries.map((file) => plan.assets.binaries.find((b) => b.file === file)?.executable ?? file),
      extract_dir: archive.directory ?? undefined,
    };
  }
  const manifest = {
    version: plan.version,
    description: bucket.description ?? plan.labels["org.opencontainers.image.description"],
    homepage: bucket.homepage ?? plan.labels["org.opencontainers.image.source"],
    license: bucket.license ?? plan.labels["org.opencontainers.image.licenses"],
    architecture,
  };
  return `${canonicalJson(manifest)}\n`;
}

/** The manifest's path inside the bucket: `bucket/hello.json`. */
export function scoopPath(plan: ReleasePlan, bucket: TapSettings): string {
  return `${bucket.directory === "" ? "" : `${bucket.directory}/`}${plan.name.toLowerCase()}.json`;
}
