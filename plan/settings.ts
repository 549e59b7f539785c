// Every `slipway:*` setting with its type, default and meaning (the README's config table is checked
// against it), and the "did you mean" for a misspelt one.

import { CHANNEL_SETTINGS } from "./channels";

type SettingType = "string" | "list" | "object" | "string or object";

interface SettingSpec {
  readonly type: SettingType;
  readonly default: string;
  readonly meaning: string;
}

/** Every `slipway:*` setting; the README's config table is checked against this list. */
export const SETTINGS = {
  version: { type: "string", default: "required", meaning: "Version to release, semver with or without a leading `v`." },
  commit: { type: "string", default: "required", meaning: "Full 40-hex commit sha the release is built from." },
  commitTime: {
    type: "string",
    default: "required",
    meaning: "Commit time, ISO 8601 with a zone (`git show -s --format=%cI`); sets `created` and SOURCE_DATE_EPOCH.",
  },
  published: {
    type: "list",
    default: "`[]`",
    meaning: "Versions already published, as `1.4.0@<sha>`; floating tags and immutability are decided against them.",
  },
  name: { type: "string", default: "project name", meaning: "Program name used in asset names and the image title." },
  platforms: { type: "list", default: "linux, darwin, windows × amd64, arm64", meaning: "Asset platforms (`os/arch`)." },
  imagePlatforms: {
    type: "list",
    default: "`linux/amd64`, `linux/arm64` (those in `platforms`)",
    meaning: "Image platforms; each needs a binary in `platforms`; `[]` builds no image.",
  },
  tagTemplates: {
    type: "list",
    default: "`v{{version}}`, `v{{major}}.{{minor}}`, `v{{major}}`, `latest`, `sha-{{sha}}`",
    meaning: "Image tag templates (metadata-action placeholders); replaces the default set.",
  },
  latest: {
    type: "string",
    default: "`auto`",
    meaning:
      "`auto`: `latest` (tag and GitHub's Latest release) moves when this is the highest stable version; `false`: it stays; `true`: refuse unless this release earns it.",
  },
  builds: {
    type: "list",
    default: "one build of `mainPackage` named `name`",
    meaning: "Go builds: `{id, main, binary, ldflags, flags, tags, env, platforms}` each (see Builds below).",
  },
  archives: {
    type: "string or object",
    default: "`tar.gz`",
    meaning:
      "An archive format (`tar.gz`, `tar.xz`, `zip`, `none`; zip on windows) or `{format, formatOverrides, nameTemplate, binaryNameTemplate, replacements, files, wrapInDirectory, binaries}` (see Archives below).",
  },
  checksums: {
    type: "string",
    default: "`SHA256SUMS`",
    meaning: "Name of the checksums file; placeholders `{{name}}`, `{{version}}`, `{{tag}}`.",
  },
  title: { type: "string", default: "name", meaning: "`org.opencontainers.image.title`." },
  description: { type: "string", default: "unset", meaning: "`org.opencontainers.image.description`." },
  source: { type: "string", default: "unset", meaning: "https URL of the source repository (`org.opencontainers.image.source`)." },
  licenses: { type: "string", default: "unset", meaning: "SPDX expression (`org.opencontainers.image.licenses`)." },
  imageName: { type: "string", default: "name", meaning: "Repository name of the image inside each registry." },
  cacheRepository: {
    type: "string",
    default: "`<imageName>-cache`",
    meaning:
      "Repository of the BuildKit cache (one tag per image platform, `buildkit-linux-amd64`) in the first registry, never the image's own; `none`: no cache.",
  },
  registries: {
    type: "list",
    default: "`[]`",
    meaning:
      "Registries to push to: `{kind: ecr, region}`, `{kind: external, address, username, passwordSecret}` or `{kind: local, address}`.",
  },
  github: {
    type: "object",
    default: "unset (no GitHub release)",
    meaning: "`{owner, repo, tokenSecret}`; `tokenSecret` names the secret setting holding the token (defaults to `githubToken`).",
  },
  module: {
    type: "string",
    default: "`.`",
    meaning: "Go module to release (the directory with go.mod and go.sum), relative to the project.",
  },
  mainPackage: { type: "string", default: "`.`", meaning: "Package to build, relative to the module, when `builds` is not set." },
  imageBinary: {
    type: "string",
    default: "the linux build named like `name`, else the first linux build",
    meaning: "Id of the build whose binary the image runs.",
  },
  dockerfile: {
    type: "string",
    default: "slipway's scratch recipe",
    meaning: "Dockerfile, relative to the project, that copies the prebuilt binary from `bin/${TARGETOS}_${TARGETARCH}${TARGETVARIANT}/`.",
  },
  baseImage: {
    type: "string",
    default: "`scratch`",
    meaning:
      "Image base, pinned by digest with the registry named (`<registry>/<name>@sha256:…`). Used as it is when in one of the stack's registries (ECR: the stack's ECR region), otherwise copied once into the first registry that is not ECR (an ECR-only stack takes an ECR copy, e.g. from a pull-through cache rule). Refused when no image is built.",
  },
  builder: { type: "string", default: "current buildx builder", meaning: "buildx builder (a remote BuildKit) for image builds." },
  buildDir: {
    type: "string",
    default: "`dist/build`",
    meaning: "Where binaries, archives and SHA256SUMS are built, relative to the project.",
  },
  releaseDir: {
    type: "string",
    default: "`dist/releases`",
    meaning: "Local release root when no `github` is set; each version lands in `<releaseDir>/<version>/`.",
  },
  changelog: { type: "string", default: "`<module>/CHANGELOG.md`", meaning: "Release notes come from the version's section of this file." },
  requireReleaseNotes: {
    type: "string",
    default: "`false`",
    meaning: "`true`: refuse to release a version without a section in the changelog.",
  },
  athens: {
    type: "object",
    default: "`{kind: local, source: process}`",
    meaning:
      "The private Go module proxy: `{kind: local, source: process, port, storageDir, binary, upstream, mode}`, `{kind: local, source: endpoint, url}` or `{kind: aws, …}`.",
  },
  rotation: {
    type: "object",
    default: "`{generation: 1}`",
    meaning: "Secret rotation: `generation` (bump to rotate now) and optional `rotationDays`.",
  },
  ...CHANNEL_SETTINGS,
  signing: {
    type: "string",
    default: "`true`",
    meaning:
      "Sign the image index and the checksums file with the stack's cosign key pair (rotated with `rotation`); publishes `cosign.pub`.",
  },
  sbom: {
    type: "string",
    default: "`true`",
    meaning: "A CycloneDX SBOM per binary (`<binary>.cdx.json`), attested on each image platform when signing.",
  },
  provenance: {
    type: "string",
    default: "`true`",
    meaning: "SLSA v1 provenance (`provenance.intoto.jsonl`), attested on the image; needs `signing`.",
  },
  keyless: {
    type: "string",
    default: "`false`",
    meaning:
      "Also sign keyless in GitHub Actions (Sigstore: a Fulcio certificate for the workflow's OIDC identity, logged in Rekor): the image index, and `SHA256SUMS.sigstore.json`; needs `github` and `id-token: write`.",
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;

/** The closest known setting, for a "did you mean" on typos. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.MAX_SAFE_INTEGER;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}
