// GoReleaser's `dockers_v2:` (one multi-platform image per entry: images × tags × platforms) → slipway image settings.
import { ImageSettings, RECIPE, addRepository, splitImage } from "./goreleaserImages";
import { Field, Source } from "./goreleaserSource";
import { translateFields, translateImageTag } from "./goreleaserTemplates";

const NOTES: Readonly<Record<string, string>> = {
  dockerfile: RECIPE,
  extra_files: RECIPE,
  build_args: RECIPE,
  flags: RECIPE,
  labels: "slipway sets OCI labels from slipway:description, source and licenses",
  annotations: "slipway sets OCI annotations from slipway:description, source and licenses",
  retry: "slipway retries pushes itself",
  sbom: "slipway:sbom (on by default) attests a CycloneDX SBOM on each image platform; set it false for none",
};

function images(src: Source, field: Field, out: ImageSettings, projectName: string): void {
  for (const item of src.items(field.node, field.path)) {
    const repo = translateFields(src.text(item.node).trim(), { ProjectName: projectName });
    if (!repo.ok) {
      src.unmap(item, `template ${repo.template} in the image repository has no slipway equivalent`);
      continue;
    }
    const image = splitImage(repo.text);
    if (image === undefined || image.tag !== "latest" || repo.text.endsWith(":latest")) {
      src.unmap(item, `${repo.text}: slipway needs <registry>/<owner>/<name> with no tag (tags come from tags:)`);
      continue;
    }
    const refused = addRepository(image, out);
    if (refused !== undefined) src.unmap(item, refused);
    else src.map(item, "registries", image.host === "docker.io" ? "Docker Hub (docker.io)" : undefined);
  }
}

function tags(src: Source, field: Field, out: ImageSettings): void {
  for (const item of src.items(field.node, field.path)) {
    const tag = translateImageTag(src.text(item.node));
    if (!tag.ok) {
      src.unmap(item, `tag template ${tag.template} has no metadata-action equivalent`);
      continue;
    }
    if (!out.tagTemplates.includes(tag.text)) out.tagTemplates.push(tag.text);
    src.map(item, "tagTemplates");
  }
}

function platforms(src: Source, field: Field, out: ImageSettings): void {
  for (const item of src.items(field.node, field.path)) {
    const platform = src.text(item.node).trim();
    if (!/^linux\/[a-z0-9]+(\/v[0-9]+)?$/.test(platform)) {
      src.unmap(item, `${platform}: slipway builds linux images only`);
      continue;
    }
    if (!out.imagePlatforms.includes(platform)) out.imagePlatforms.push(platform);
    src.map(item, "imagePlatforms");
  }
}

function mapEntry(src: Source, item: Field, out: ImageSettings, projectName: string): void {
  const fields = src.fields(item.node, item.path);
  const disable = fields.find((field) => field.key === "disable");
  if (disable !== undefined && !["false", ""].includes(src.text(disable.node).trim())) {
    return src.unmap(item, `disable: ${src.text(disable.node)}: no image is carried over (set slipway:imagePlatforms to [] for none)`);
  }
  let platformsSeen = false;
  for (const field of fields) {
    const value = src.value(field.node);
    if (field.key === "images") images(src, field, out, projectName);
    else if (field.key === "tags") tags(src, field, out);
    else if (field.key === "platforms") {
      platformsSeen = true;
      platforms(src, field, out);
    } else if (field.key === "ids") {
      const ids = src.strings(field.node);
      if (ids.length === 1) {
        out.imageBinary = ids[0];
        src.map(field, "imageBinary");
      } else src.unmap(field, `builds ${ids.join(", ")}: slipway images run one binary (slipway:imageBinary)`);
    } else if (field.key === "id") src.map(field, "(always)", "slipway builds with BuildKit");
    else if (field.key === "sbom" && value !== false && value !== "false")
      src.map(field, "sbom", "a CycloneDX attestation per image platform");
    else if (field.key === "disable") src.map(field, "(always)");
    else src.unmap(field, NOTES[field.key] ?? "unknown GoReleaser dockers_v2 key; not mapped");
  }
  if (!platformsSeen) {
    for (const platform of ["linux/amd64", "linux/arm64"]) if (!out.imagePlatforms.includes(platform)) out.imagePlatforms.push(platform);
  }
}

/** Maps `dockers_v2`: the first entry is the image; another entry (a variant such as `-alpine`) is reported. */
export function mapDockersV2(src: Source, field: Field, projectName: string): ImageSettings {
  const out: ImageSettings = { tagTemplates: [], imagePlatforms: [], registries: [] };
  src.items(field.node, field.path).forEach((item, index) => {
    if (index === 0) return mapEntry(src, item, out, projectName);
    src.unmap(item, "slipway publishes one image per release; only the first dockers_v2 entry is carried over");
  });
  return out;
}
