import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Migration, migrateGoreleaser } from "../../plan/goreleaser";

const CONTEXT = { moduleName: "github.com/acme/tool", defaultName: "tool" };
const BUILD = "builds:\n  - id: tool\n    goos: [linux]\n    goarch: [amd64, arm64, arm]\n    goarm: [7]\n";
const RECIPE = "slipway builds images from the release binaries with its own recipe (slipway:dockerfile for your own)";

/** The image settings, the release stack's registries and the dockers report lines (`line key -> to` or `line key !: note`). */
function images(m: Migration): unknown[] {
  const dockers = (key: string): boolean => key.startsWith("dockers");
  return [
    {
      tagTemplates: m.settings.tagTemplates,
      imageName: m.settings.imageName,
      imageBinary: m.settings.imageBinary,
      imagePlatforms: m.settings.imagePlatforms,
    },
    m.releaseSettings.registries,
    [
      ...m.mapped.filter((e) => dockers(e.key)).map((e) => `${e.line} ${e.key} -> ${e.to}${e.note === undefined ? "" : `: ${e.note}`}`),
      ...m.unmapped.filter((e) => dockers(e.key)).map((e) => `${e.line} ${e.key} !: ${e.note}`),
    ],
  ];
}

const GHCR = { kind: "external", address: "ghcr.io/acme", username: "acme", passwordSecret: "ghcrToken" };
const HUB = { kind: "external", address: "docker.io/acme", username: "acme", passwordSecret: "dockerhubToken" };

describe("GoReleaser dockers_v2", () => {
  const rows: { name: string; yaml: string; want: unknown[] }[] = [
    {
      name: "images × tags × platforms become the registries, tag templates and image platforms",
      yaml:
        "dockers_v2:\n  - id: img\n    ids: [tool]\n    images: [ghcr.io/acme/tool, 'acme/{{ .ProjectName }}']\n" +
        "    tags: [latest, '{{ .Tag }}', 'v{{ .Major }}.{{ .Minor }}', '{{ .Version }}', latest]\n" +
        "    platforms: [linux/amd64, linux/arm/v7]\n    dockerfile: Dockerfile\n    sbom: true\n    disable: false\n",
      want: [
        {
          tagTemplates: ["latest", "v{{version}}", "v{{major}}.{{minor}}", "{{version}}"],
          imageName: "tool",
          imageBinary: "tool",
          imagePlatforms: ["linux/amd64", "linux/arm/v7"],
        },
        [GHCR, HUB],
        [
          "7 dockers_v2[0].id -> (always): slipway builds with BuildKit",
          "8 dockers_v2[0].ids -> imageBinary",
          "9 dockers_v2[0].images[0] -> registries",
          "9 dockers_v2[0].images[1] -> registries: Docker Hub (docker.io)",
          ...[0, 1, 2, 3, 4].map((i) => `10 dockers_v2[0].tags[${i}] -> tagTemplates`),
          "11 dockers_v2[0].platforms[0] -> imagePlatforms",
          "11 dockers_v2[0].platforms[1] -> imagePlatforms",
          "13 dockers_v2[0].sbom -> sbom: a CycloneDX attestation per image platform",
          "14 dockers_v2[0].disable -> (always)",
          `12 dockers_v2[0].dockerfile !: ${RECIPE}`,
        ],
      ],
    },
    {
      name: "platforms default to GoReleaser's linux/amd64 and linux/arm64; the image binary is left to slipway",
      yaml: "dockers_v2:\n  - images: [ghcr.io/acme/tool]\n    tags: ['{{ .ShortCommit }}']\n",
      want: [
        { tagTemplates: ["sha-{{sha}}"], imageName: "tool", imageBinary: undefined, imagePlatforms: ["linux/amd64", "linux/arm64"] },
        [GHCR],
        ["7 dockers_v2[0].images[0] -> registries", "8 dockers_v2[0].tags[0] -> tagTemplates"],
      ],
    },
    {
      name: "repositories with a tag, without an owner, with an unknown template or another name are reported",
      yaml:
        "dockers_v2:\n  - images:\n      - ghcr.io/acme/tool\n      - ghcr.io/acme/tool:edge\n      - docker.io/acme/tool:latest\n" +
        "      - tool\n      - 'ghcr.io/{{ .Env.OWNER }}/tool'\n      - ghcr.io/acme/other\n      - quay.io/acme/tool\n    platforms: [linux/amd64]\n",
      want: [
        { tagTemplates: undefined, imageName: "tool", imageBinary: undefined, imagePlatforms: ["linux/amd64"] },
        [GHCR, { kind: "external", address: "quay.io/acme", username: "acme", passwordSecret: "quayToken" }],
        [
          "8 dockers_v2[0].images[0] -> registries",
          "14 dockers_v2[0].images[6] -> registries",
          "15 dockers_v2[0].platforms[0] -> imagePlatforms",
          "9 dockers_v2[0].images[1] !: ghcr.io/acme/tool:edge: slipway needs <registry>/<owner>/<name> with no tag (tags come from tags:)",
          "10 dockers_v2[0].images[2] !: docker.io/acme/tool:latest: slipway needs <registry>/<owner>/<name> with no tag (tags come from tags:)",
          "11 dockers_v2[0].images[3] !: tool: slipway needs <registry>/<owner>/<name> with no tag (tags come from tags:)",
          "12 dockers_v2[0].images[4] !: template {{ .Env.OWNER }} in the image repository has no slipway equivalent",
          "13 dockers_v2[0].images[5] !: image name other besides tool: slipway pushes one image name to every registry",
        ],
      ],
    },
    {
      name: "an untranslatable tag, a non-linux platform, two binaries and unknown keys are reported",
      yaml:
        "dockers_v2:\n  - images: [ghcr.io/acme/tool]\n    tags: ['{{ .Env.TAG }}', latest]\n    platforms: [windows/amd64, linux/arm64]\n" +
        "    ids: [a, b]\n    labels: {a: b}\n    annotations: {a: b}\n    build_args: {A: b}\n    flags: [--pull]\n    extra_files: [x]\n" +
        "    retry: {attempts: 3}\n    sbom: false\n    frob: 1\n",
      want: [
        { tagTemplates: ["latest"], imageName: "tool", imageBinary: undefined, imagePlatforms: ["linux/arm64"] },
        [GHCR],
        [
          "7 dockers_v2[0].images[0] -> registries",
          "8 dockers_v2[0].tags[1] -> tagTemplates",
          "9 dockers_v2[0].platforms[1] -> imagePlatforms",
          "8 dockers_v2[0].tags[0] !: tag template {{ .Env.TAG }} has no metadata-action equivalent",
          "9 dockers_v2[0].platforms[0] !: windows/amd64: slipway builds linux images only",
          "10 dockers_v2[0].ids !: builds a, b: slipway images run one binary (slipway:imageBinary)",
          "11 dockers_v2[0].labels !: slipway sets OCI labels from slipway:description, source and licenses",
          "12 dockers_v2[0].annotations !: slipway sets OCI annotations from slipway:description, source and licenses",
          `13 dockers_v2[0].build_args !: ${RECIPE}`,
          `14 dockers_v2[0].flags !: ${RECIPE}`,
          `15 dockers_v2[0].extra_files !: ${RECIPE}`,
          "16 dockers_v2[0].retry !: slipway retries pushes itself",
          "17 dockers_v2[0].sbom !: slipway:sbom (on by default) attests a CycloneDX SBOM on each image platform; set it false for none",
          "18 dockers_v2[0].frob !: unknown GoReleaser dockers_v2 key; not mapped",
        ],
      ],
    },
    {
      name: "values are read trimmed, a platform listed twice is kept once, disable '' and sbom 'false' are read as written",
      yaml:
        "dockers_v2:\n  - images: [' ghcr.io/acme/tool ']\n    platforms: [' linux/amd64 ', linux/amd64, xlinux/arm64, linux/arm/v7x]\n" +
        "    disable: ''\n    sbom: 'false'\n",
      want: [
        { tagTemplates: undefined, imageName: "tool", imageBinary: undefined, imagePlatforms: ["linux/amd64"] },
        [GHCR],
        [
          "7 dockers_v2[0].images[0] -> registries",
          "8 dockers_v2[0].platforms[0] -> imagePlatforms",
          "8 dockers_v2[0].platforms[1] -> imagePlatforms",
          "9 dockers_v2[0].disable -> (always)",
          "8 dockers_v2[0].platforms[2] !: xlinux/arm64: slipway builds linux images only",
          "8 dockers_v2[0].platforms[3] !: linux/arm/v7x: slipway builds linux images only",
          "10 dockers_v2[0].sbom !: slipway:sbom (on by default) attests a CycloneDX SBOM on each image platform; set it false for none",
        ],
      ],
    },
    {
      name: "disable: ' false ' (padded) still builds the image",
      yaml: "dockers_v2:\n  - images: [ghcr.io/acme/tool]\n    platforms: [linux/amd64]\n    disable: ' false '\n",
      want: [
        { tagTemplates: undefined, imageName: "tool", imageBinary: undefined, imagePlatforms: ["linux/amd64"] },
        [GHCR],
        [
          "7 dockers_v2[0].images[0] -> registries",
          "8 dockers_v2[0].platforms[0] -> imagePlatforms",
          "9 dockers_v2[0].disable -> (always)",
        ],
      ],
    },
    {
      name: "a disabled entry carries no image over",
      yaml: "dockers_v2:\n  - images: [ghcr.io/acme/tool]\n    disable: true\n",
      want: [
        { tagTemplates: undefined, imageName: undefined, imageBinary: undefined, imagePlatforms: [] },
        undefined,
        ["7 dockers_v2[0] !: disable: true: no image is carried over (set slipway:imagePlatforms to [] for none)"],
      ],
    },
    {
      name: "only the first entry is the image; a variant entry is reported",
      yaml: "dockers_v2:\n  - images: [ghcr.io/acme/tool]\n    platforms: [linux/amd64]\n  - images: [ghcr.io/acme/tool]\n    tags: [alpine]\n",
      want: [
        { tagTemplates: undefined, imageName: "tool", imageBinary: undefined, imagePlatforms: ["linux/amd64"] },
        [GHCR],
        [
          "7 dockers_v2[0].images[0] -> registries",
          "8 dockers_v2[0].platforms[0] -> imagePlatforms",
          "9 dockers_v2[1] !: slipway publishes one image per release; only the first dockers_v2 entry is carried over",
        ],
      ],
    },
    {
      name: "beside dockers, dockers_v2 is reported and dockers is carried over",
      yaml: "dockers:\n  - image_templates: ['ghcr.io/acme/tool:{{ .Version }}']\ndockers_v2:\n  - images: [quay.io/acme/other]\n",
      want: [
        { tagTemplates: ["{{version}}"], imageName: "tool", imageBinary: undefined, imagePlatforms: ["linux/amd64"] },
        [GHCR],
        [
          "7 dockers[0] -> imagePlatforms",
          "7 dockers[0].image_templates[0] -> tagTemplates",
          "8 dockers_v2 !: slipway publishes one image; dockers is carried over",
        ],
      ],
    },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(images(migrateGoreleaser(`${BUILD}${row.yaml}`, CONTEXT)), row.want));
});
