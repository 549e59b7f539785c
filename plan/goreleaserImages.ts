// GoReleaser `dockers:`, `docker_manifests:` and `release:` → slipway image and GitHub settings.
import { Field, Source } from "./goreleaserSource";
import { translateFields, translateImageTag } from "./goreleaserTemplates";

/** The image settings found in `dockers` / `docker_manifests`. */
export interface ImageSettings {
  readonly tagTemplates: string[];
  imageName?: string;
  readonly imagePlatforms: string[];
  readonly registries: Record<string, unknown>[];
  imageBinary?: string;
}

export const RECIPE = "slipway builds images from the release binaries with its own recipe (slipway:dockerfile for your own)";
const DOCKER_NOTES: Readonly<Record<string, string>> = {
  dockerfile: RECIPE,
  build_flag_templates: RECIPE,
  extra_files: RECIPE,
  push_flags: "slipway pushes by digest with its own options",
  create_flags: "slipway creates the multi-arch index itself",
  skip_push: "slipway pushes every image it builds (set slipway:imagePlatforms to [] for no image)",
};

/** A registry's conventional secret setting name: ghcr.io → ghcrToken, docker.io → dockerhubToken. */
export function registrySecret(host: string): string {
  if (host === "docker.io") return "dockerhubToken";
  const label = host.split(".")[0] ?? "registry";
  return `${label.replace(/[^A-Za-z0-9]/g, "")}Token`;
}

/** Splits an image reference into host, owner, image name and tag (`latest` when absent). */
export function splitImage(ref: string): { host: string; owner: string; name: string; tag: string } | undefined {
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  const repo = colon > slash ? ref.slice(0, colon) : ref;
  const tag = colon > slash ? ref.slice(colon + 1) : "latest";
  const parts = repo.split("/");
  const first = parts[0] ?? "";
  const hasHost = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  const host = hasHost ? (first === "index.docker.io" ? "docker.io" : first) : "docker.io";
  const path = hasHost ? parts.slice(1) : parts;
  if (path.length < 2) return undefined;
  return { host, owner: path[0] as string, name: path.slice(1).join("/"), tag };
}

/** Adds an image repository's registry (once) and name; the report note when it names another image. */
export function addRepository(image: { host: string; owner: string; name: string }, out: ImageSettings): string | undefined {
  if (out.imageName !== undefined && out.imageName !== image.name) {
    return `image name ${image.name} besides ${out.imageName}: slipway pushes one image name to every registry`;
  }
  out.imageName = image.name;
  const address = `${image.host}/${image.owner}`;
  if (!out.registries.some((registry) => registry.address === address)) {
    out.registries.push({ kind: "external", address, username: image.owner, passwordSecret: registrySecret(image.host) });
  }
  return undefined;
}

function addImage(src: Source, field: Field, ref: string, out: ImageSettings, projectName: string): void {
  const colon = ref.lastIndexOf(":");
  const slash = ref.lastIndexOf("/");
  const repoText = colon > slash ? ref.slice(0, colon) : ref;
  const repo = translateFields(repoText, { ProjectName: projectName });
  if (!repo.ok) return src.unmap(field, `template ${repo.template} in the image repository has no slipway equivalent`);
  const image = splitImage(repo.text + (colon > slash ? ref.slice(colon) : ""));
  if (image === undefined) return src.unmap(field, `${ref}: slipway needs <registry>/<owner>/<name>`);
  const tag = translateImageTag(image.tag);
  if (!tag.ok) return src.unmap(field, `tag template ${tag.template} has no metadata-action equivalent`);
  const refused = addRepository(image, out);
  if (refused !== undefined) return src.unmap(field, refused);
  if (!out.tagTemplates.includes(tag.text)) out.tagTemplates.push(tag.text);
  src.map(field, "tagTemplates");
}

function imageBinary(src: Source, field: Field, out: ImageSettings): void {
  const ids = src.strings(field.node);
  if (ids.length !== 1 || (out.imageBinary !== undefined && out.imageBinary !== ids[0])) {
    return src.unmap(field, `builds ${ids.join(", ")}: slipway images run one binary (slipway:imageBinary)`);
  }
  out.imageBinary = ids[0];
  src.map(field, "imageBinary");
}

function mapDocker(src: Source, item: Field, out: ImageSettings, projectName: string, hasManifests: boolean): void {
  let goos = "linux";
  let goarch = "amd64";
  let goarm = "6";
  for (const field of src.fields(item.node, item.path)) {
    const value = src.value(field.node);
    if (field.key === "image_templates") {
      for (const ref of src.items(field.node, field.path)) {
        if (hasManifests) src.map(ref, "(omitted)", "a per-platform image; slipway pushes one multi-arch index");
        else addImage(src, ref, String(src.value(ref.node)), out, projectName);
      }
    } else if (field.key === "goos") goos = String(value);
    else if (field.key === "goarch") goarch = String(value);
    else if (field.key === "goarm") goarm = String(value);
    else if (field.key === "ids" || field.key === "binaries") imageBinary(src, field, out);
    else if (field.key === "use" || field.key === "id") src.map(field, "(always)", "slipway builds with BuildKit");
    else if (field.key === "skip_push" && (value === false || value === "false")) src.map(field, "(always)");
    else src.unmap(field, DOCKER_NOTES[field.key] ?? "unknown GoReleaser docker key; not mapped");
  }
  if (goos !== "linux") return src.unmap(item, `${goos} image: slipway builds linux images only`);
  const platform = goarch === "arm" ? `linux/arm/v${goarm}` : `linux/${goarch}`;
  if (!out.imagePlatforms.includes(platform)) out.imagePlatforms.push(platform);
  src.map(item, "imagePlatforms");
}

function mapManifest(src: Source, item: Field, out: ImageSettings, projectName: string): void {
  for (const field of src.fields(item.node, item.path)) {
    const value = src.value(field.node);
    if (field.key === "name_template") addImage(src, field, String(value), out, projectName);
    else if (field.key === "image_templates") src.map(field, "(omitted)", "slipway indexes every image platform");
    else if (field.key === "use" || field.key === "id") src.map(field, "(always)", "slipway builds with BuildKit");
    else if (field.key === "skip_push" && (value === false || value === "false")) src.map(field, "(always)");
    else src.unmap(field, DOCKER_NOTES[field.key] ?? "unknown GoReleaser docker_manifests key; not mapped");
  }
}

/** Maps `dockers` and `docker_manifests`; manifests (when present) name the pushed tags, dockers the platforms. */
export function mapImages(src: Source, dockers: Field | undefined, manifests: Field | undefined, projectName: string): ImageSettings {
  const out: ImageSettings = { tagTemplates: [], imagePlatforms: [], registries: [] };
  const manifestItems = manifests === undefined ? [] : src.items(manifests.node, manifests.path);
  for (const item of dockers === undefined ? [] : src.items(dockers.node, dockers.path))
    mapDocker(src, item, out, projectName, manifestItems.length > 0);
  for (const item of manifestItems) mapManifest(src, item, out, projectName);
  return out;
}

/** What `release:` carries over: the GitHub repository and when `latest` moves. */
export interface ReleaseSettings {
  github?: { owner: string; repo: string };
  latest?: string;
}

const RELEASE_NOTES: Readonly<Record<string, string>> = {
  name_template: "slipway names the release after the tag",
  header: "slipway takes release notes from CHANGELOG.md sections",
  footer: "slipway takes release notes from CHANGELOG.md sections",
  extra_files: "slipway publishes its own assets only",
  disable: "slipway publishes a GitHub release whenever slipway:github is set (else a local release directory)",
  skip_upload: "slipway always uploads its assets",
  mode: "slipway creates the release; it never edits an existing one",
  replace_existing_draft: "slipway adopts its own draft and never replaces a published release",
  replace_existing_artifacts: "published assets are never replaced",
  use_existing_draft: "slipway adopts its own draft and never replaces a published release",
  target_commitish: "slipway releases slipway:commit",
  discussion_category_name: "slipway does not open discussions",
  include_meta: "slipway publishes its own assets only",
  ids: "slipway publishes every build",
  gitlab: "slipway publishes to GitHub or a local directory",
  gitea: "slipway publishes to GitHub or a local directory",
};

function githubRepo(src: Source, field: Field, projectName: string): { owner: string; repo: string } | undefined {
  const fields = Object.fromEntries(src.fields(field.node, field.path).map((entry) => [entry.key, entry]));
  const owner = translateFields(src.text(fields.owner?.node), { ProjectName: projectName });
  const repo = translateFields(src.text(fields.name?.node), { ProjectName: projectName });
  if (!owner.ok || !repo.ok || owner.text === "" || repo.text === "") {
    src.unmap(field, "slipway needs a literal owner and name");
    return undefined;
  }
  src.map(field, "github");
  return { owner: owner.text, repo: repo.text };
}

/** GitHub owner/repo from a module path `github.com/<owner>/<repo>[/…]`. */
export function githubFromModule(moduleName: string): { owner: string; repo: string } | undefined {
  const match = /^github\.com\/([^/]+)\/([^/]+)/.exec(moduleName);
  return match === null ? undefined : { owner: match[1] as string, repo: match[2] as string };
}

/** Maps `release:`; without `release.github` the repository comes from the module path (GoReleaser: the git remote). */
export function mapRelease(src: Source, field: Field | undefined, projectName: string, moduleName: string): ReleaseSettings {
  const out: ReleaseSettings = {};
  let disabled = false;
  for (const entry of field === undefined ? [] : src.fields(field.node, field.path)) {
    const value = src.value(entry.node);
    if (entry.key === "github") out.github = githubRepo(src, entry, projectName);
    else if (entry.key === "draft" && (value === false || value === "false")) src.map(entry, "(always)");
    else if (entry.key === "draft")
      src.unmap(entry, "slipway publishes the release once every asset is uploaded; it is never left a draft");
    else if (entry.key === "prerelease" && value === "auto") src.map(entry, "(always)", "slipway marks prereleases from the version");
    else if (entry.key === "prerelease") src.unmap(entry, "slipway marks prereleases from the version");
    else if (entry.key === "make_latest" && (value === "auto" || value === false || value === "false")) {
      out.latest = String(value);
      src.map(entry, "latest");
    } else if (entry.key === "disable" && (value === false || value === "false")) src.map(entry, "(always)");
    else {
      disabled ||= entry.key === "disable";
      src.unmap(
        entry,
        RELEASE_NOTES[entry.key] ??
          (entry.key === "make_latest"
            ? "slipway:latest true refuses unless the release earns it"
            : "unknown GoReleaser release key; not mapped"),
      );
    }
  }
  if (disabled) delete out.github;
  if (out.github === undefined && !disabled) {
    const github = githubFromModule(moduleName);
    if (github !== undefined) out.github = github;
  }
  if (out.github === undefined) delete out.github;
  return out;
}
