// `slipway init --from-goreleaser`: a GoReleaser config (v1 or v2) → slipway stack settings, with every key
// accounted for as mapped or unmapped (with its line). Pure: the caller reads the file and writes the stack.
import { mapArchives, mapChecksum } from "./goreleaserArchives";
import { BuildContext, MappedBuild, defaultBuild, mapBuild } from "./goreleaserBuilds";
import { mapChangelog, mapNfpms, mapTap } from "./goreleaserChannels";
import { mapDockersV2 } from "./goreleaserDockersV2";
import { mapImages, mapRelease } from "./goreleaserImages";
import { SIGNING_KEYS, mapSigning } from "./goreleaserSigning";
import { Field, MappedKey, Source, UnmappedKey, byLine } from "./goreleaserSource";
import { translateFields } from "./goreleaserTemplates";

export type { MappedKey, UnmappedKey } from "./goreleaserSource";

/** The result of mapping a GoReleaser config. */
export interface Migration {
  /** slipway settings without the `slipway:` prefix, ready to be written as YAML (every stack). */
  readonly settings: Record<string, unknown>;
  /** Settings for the release stack only: `github`, `registries`. */
  readonly releaseSettings: Record<string, unknown>;
  /** One entry per key that could not be mapped, sorted by line. */
  readonly unmapped: UnmappedKey[];
  /** One entry per key carried over, sorted by line. */
  readonly mapped: MappedKey[];
}

/** What the config does not say: the module path and the project name GoReleaser would default to. */
export interface MigrationContext {
  readonly moduleName: string;
  readonly defaultName: string;
}

const PACKAGES = "slipway publishes archives, deb/rpm/apk packages, Homebrew and Scoop manifests, images and a GitHub release";
/** Top-level GoReleaser keys slipway has no counterpart for, with what slipway does instead. */
export const UNMAPPED_TOP_LEVEL: Readonly<Record<string, string>> = {
  npms: `${PACKAGES}; no npm package`,
  snapcraft: `${PACKAGES}; no snaps`,
  snapcrafts: `${PACKAGES}; no snaps`,
  aurs: `${PACKAGES}; no AUR package`,
  aur_sources: `${PACKAGES}; no AUR package`,
  krews: `${PACKAGES}; no krew manifest`,
  nix: `${PACKAGES}; no Nix derivation`,
  winget: `${PACKAGES}; no winget manifest`,
  chocolateys: `${PACKAGES}; no Chocolatey package`,
  msi: `${PACKAGES}; no installers`,
  dmg: `${PACKAGES}; no installers`,
  app_bundles: `${PACKAGES}; no installers`,
  notarize: "slipway does not notarize macOS binaries or sign them with an Apple certificate",
  upx: "slipway publishes go build output as is (no compression)",
  before: "slipway runs no hooks; run generators before tagging and commit their output",
  before_publish: "slipway runs no hooks",
  universal_binaries: "slipway publishes darwin/amd64 and darwin/arm64 separately",
  announce: "slipway does not announce releases",
  env: "slipway builds in a fixed environment; set per-build env in slipway:builds[].env",
  gomod: "slipway downloads modules through its own proxy (slipway:athens)",
  snapshot: "slipway releases versions only; preview with pulumi preview",
  nightly: "slipway releases versions only",
  source: "slipway publishes no source archive (Go users fetch the module through a proxy)",
  blobs: "slipway publishes to GitHub or a local release directory",
  publishers: "slipway runs no custom publishers",
  uploads: "slipway publishes to GitHub or a local release directory",
  artifactories: "slipway publishes to GitHub or a local release directory",
  furies: "slipway publishes to GitHub or a local release directory",
  cloudsmiths: "slipway publishes to GitHub or a local release directory",
  dist: "slipway:buildDir sets where artifacts are built (relative to the project)",
  report_sizes: "slipway does not report sizes",
  metadata: "slipway sets OCI labels from slipway:description, source and licenses",
  git: "slipway releases slipway:version at slipway:commit",
  milestones: "slipway does not close milestones",
  kos: "slipway builds images from the release binaries, not with ko",
  partial: "slipway builds every platform in one run",
  includes: "slipway settings are one stack file",
  variables: "slipway settings have no template variables",
  template_files: "slipway renders no template files",
};

function topLevel(src: Source): Map<string, Field> {
  return new Map(src.fields(src.root(), "").map((field) => [field.key, field]));
}

function projectName(src: Source, fields: Map<string, Field>, context: MigrationContext): string {
  const field = fields.get("project_name");
  if (field === undefined) return context.defaultName;
  const name = translateFields(String(src.value(field.node)), {});
  if (!name.ok) {
    src.unmap(field, `template ${name.template}: slipway needs a literal name`);
    return context.defaultName;
  }
  src.map(field, "name");
  return name.text;
}

function isV2(src: Source, fields: Map<string, Field>): boolean {
  const field = fields.get("version");
  if (field === undefined) return false;
  const version = src.value(field.node);
  if (version === 2 || version === "2") src.map(field, "(always)", "GoReleaser v2 spelling");
  else if (version === 1 || version === "1") src.map(field, "(always)", "GoReleaser v1 spelling");
  else src.unmap(field, `config version ${String(version)}: slipway reads GoReleaser v1 and v2 configs`);
  return version === 2 || version === "2";
}

function builds(src: Source, field: Field | undefined, context: BuildContext): MappedBuild[] {
  if (field === undefined) return [defaultBuild(src, context)];
  const mapped = src.items(field.node, field.path).map((item) => mapBuild(src, item, context));
  return mapped.filter((build): build is MappedBuild => build !== undefined);
}

/** A list key or its old singular spelling (`build:`, `brew:`, `scoop:`: one map, read as a list of one). */
function pluralOrSingular(src: Source, fields: Map<string, Field>, plural: string, singular: string): Field | undefined {
  const old = fields.get(singular);
  const field = fields.get(plural);
  if (old === undefined) return field;
  if (field !== undefined) src.unmap(old, `${plural} is set too, and GoReleaser then ignores ${singular}`);
  else src.map(old, plural, `old spelling of ${plural}`);
  return field ?? old;
}

/** `platforms` once when every build has the same list, else on each build. */
function placePlatforms(mapped: readonly MappedBuild[]): { builds: Record<string, unknown>[]; platforms?: string[] } {
  const lists = mapped.map((build) => JSON.stringify(build.platforms));
  const shared = lists.every((list) => list === lists[0]);
  const builds = mapped.map((build) => (shared ? build.build : { ...build.build, platforms: [...build.platforms] }));
  return shared && mapped[0] !== undefined ? { builds, platforms: [...mapped[0].platforms] } : { builds };
}

function imageSettings(
  src: Source,
  fields: Map<string, Field>,
  name: string,
  settings: Record<string, unknown>,
  release: Record<string, unknown>,
): void {
  const dockers = fields.get("dockers");
  const dockersV2 = fields.get("dockers_v2");
  if (dockers !== undefined && dockersV2 !== undefined) src.unmap(dockersV2, "slipway publishes one image; dockers is carried over");
  const images =
    dockersV2 !== undefined && dockers === undefined
      ? mapDockersV2(src, dockersV2, name)
      : mapImages(src, dockers, fields.get("docker_manifests"), name);
  if (images.tagTemplates.length > 0) settings.tagTemplates = images.tagTemplates;
  if (images.imageName !== undefined) settings.imageName = images.imageName;
  if (images.imageBinary !== undefined) settings.imageBinary = images.imageBinary;
  settings.imagePlatforms = images.imagePlatforms;
  if (images.registries.length > 0) release.registries = images.registries;
}

const HANDLED = new Set([
  "version",
  "project_name",
  "build",
  "builds",
  "archives",
  "checksum",
  "dockers",
  "docker_manifests",
  "dockers_v2",
  "release",
  "nfpms",
  "brews",
  "brew",
  "homebrew_casks",
  "scoops",
  "scoop",
  "changelog",
  ...SIGNING_KEYS,
]);

/** Packages, taps and release notes; taps commit to GitHub, so they belong to the release stack. */
function channelSettings(
  src: Source,
  fields: Map<string, Field>,
  settings: Record<string, unknown>,
  release: Record<string, unknown>,
): void {
  const packages = mapNfpms(src, fields.get("nfpms"));
  if (packages !== undefined) settings.packages = packages;
  const brews = pluralOrSingular(src, fields, "brews", "brew");
  const casks = fields.get("homebrew_casks");
  if (brews !== undefined && casks !== undefined) src.unmap(casks, "slipway has one Homebrew channel; brews is carried over");
  const homebrew = brews !== undefined ? mapTap(src, brews, "homebrew", false) : mapTap(src, casks, "homebrew", true);
  if (homebrew !== undefined) release.homebrew = homebrew;
  const scoop = mapTap(src, pluralOrSingular(src, fields, "scoops", "scoop"), "scoop", false);
  if (scoop !== undefined) release.scoop = scoop;
  const notes = mapChangelog(src, fields.get("changelog"));
  if (notes !== undefined && Object.keys(notes).length > 0) settings.releaseNotes = notes;
}

/** Top-level `env`: CGO_ENABLED=0 is what slipway does anyway; anything else is reported per entry. */
function topLevelEnv(src: Source, field: Field): void {
  for (const item of src.items(field.node, field.path)) {
    if (src.text(item.node) === "CGO_ENABLED=0") src.map(item, "(always)", "slipway builds with cgo off");
    else src.unmap(item, UNMAPPED_TOP_LEVEL.env as string);
  }
}

function reportTopLevel(src: Source, fields: Map<string, Field>): void {
  for (const field of fields.values()) {
    if (HANDLED.has(field.key)) continue;
    if (field.key === "env") {
      topLevelEnv(src, field);
      continue;
    }
    src.unmap(field, UNMAPPED_TOP_LEVEL[field.key] ?? "unknown GoReleaser key; not mapped");
  }
}

/** Maps a GoReleaser config (v1 or v2) to slipway settings; a YAML syntax error is a `SlipwayInputError` for `goreleaser`. */
export function migrateGoreleaser(text: string, context: MigrationContext): Migration {
  const src = Source.parse(text);
  const fields = topLevel(src);
  const v2 = isV2(src, fields);
  const name = projectName(src, fields, context);
  const settings: Record<string, unknown> = { name };
  const releaseSettings: Record<string, unknown> = {};
  const mapped = builds(src, pluralOrSingular(src, fields, "builds", "build"), {
    projectName: name,
    moduleName: context.moduleName,
    v2,
    droppedSeen: new Set(),
  });
  const all = [...new Set(mapped.flatMap((build) => build.platforms))];
  const placed = placePlatforms(mapped);
  settings.builds = placed.builds;
  if (placed.platforms !== undefined) settings.platforms = placed.platforms;
  const ids = mapped.map((build) => String(build.build.id));
  settings.archives = mapArchives(src, fields.get("archives"), {
    v2,
    platforms: all,
    buildIds: ids,
    projectName: name,
    binaries: mapped.map((build) => String(build.build.binary)),
  });
  settings.checksums = mapChecksum(src, fields.get("checksum"));
  imageSettings(src, fields, name, settings, releaseSettings);
  const release = mapRelease(src, fields.get("release"), name, context.moduleName);
  if (release.latest !== undefined) settings.latest = release.latest;
  if (release.github !== undefined) releaseSettings.github = release.github;
  channelSettings(src, fields, settings, releaseSettings);
  const signing = mapSigning(src, fields, releaseSettings.github !== undefined);
  if (signing.keyless) releaseSettings.keyless = true;
  reportTopLevel(src, fields);
  return { settings, releaseSettings, unmapped: byLine(src.unmapped), mapped: byLine(src.mapped) };
}
