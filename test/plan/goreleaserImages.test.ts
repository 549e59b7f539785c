import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { migrateGoreleaser } from "../../plan/goreleaser";
import { ImageSettings, githubFromModule, mapImages, mapRelease, registrySecret, splitImage } from "../../plan/goreleaserImages";
import { Field, Source } from "../../plan/goreleaserSource";

/** What a rule recorded: `<line> <key> → <to> (<note>)` per mapped key, `<line> <key>: <note>` per unmapped key. */
interface Recorded {
  readonly mapped: string[];
  readonly unmapped: string[];
}

function recorded(src: Source): Recorded {
  return {
    mapped: src.mapped.map((e) => `${e.line} ${e.key} → ${e.to}${e.note === undefined ? "" : ` (${e.note})`}`),
    unmapped: src.unmapped.map((e) => `${e.line} ${e.key}: ${e.note}`),
  };
}

function topLevel(src: Source, key: string): Field | undefined {
  return src.fields(src.root(), "").find((field) => field.key === key);
}

/** `mapImages` on a config's `dockers` / `docker_manifests`, for a project named hammer. */
function images(yaml: string): { images: ImageSettings } & Recorded {
  const src = Source.parse(yaml);
  const out = mapImages(src, topLevel(src, "dockers"), topLevel(src, "docker_manifests"), "hammer");
  return { images: out, ...recorded(src) };
}

/** `mapRelease` on a config's `release`, for a project named hammer. */
function release(yaml: string, moduleName = "github.com/acme/tool"): { release: unknown } & Recorded {
  const src = Source.parse(yaml);
  const out = mapRelease(src, topLevel(src, "release"), "hammer", moduleName);
  return { release: out, ...recorded(src) };
}

const GHCR = { kind: "external", address: "ghcr.io/acme", username: "acme", passwordSecret: "ghcrToken" };
const DOCKERHUB = { kind: "external", address: "docker.io/acme", username: "acme", passwordSecret: "dockerhubToken" };
const RECIPE = "slipway builds images from the release binaries with its own recipe (slipway:dockerfile for your own)";
const BUILDKIT = "slipway builds with BuildKit";

describe("registrySecret: a registry's conventional secret setting", () => {
  const rows: [string, string][] = [
    ["docker.io", "dockerhubToken"],
    ["ghcr.io", "ghcrToken"],
    ["quay.io", "quayToken"],
    ["my-registry.example.com", "myregistryToken"],
    ["localhost:5000", "localhost5000Token"],
  ];
  for (const [host, want] of rows) it(`${host} → ${want}`, () => assert.equal(registrySecret(host), want));
});

describe("splitImage: host, owner, name and tag of an image reference", () => {
  const rows: [string, ReturnType<typeof splitImage>][] = [
    ["ghcr.io/acme/tool:v1", { host: "ghcr.io", owner: "acme", name: "tool", tag: "v1" }],
    ["ghcr.io/acme/tool", { host: "ghcr.io", owner: "acme", name: "tool", tag: "latest" }],
    ["acme/tool", { host: "docker.io", owner: "acme", name: "tool", tag: "latest" }],
    ["acme/tool:edge", { host: "docker.io", owner: "acme", name: "tool", tag: "edge" }],
    ["index.docker.io/acme/tool:1", { host: "docker.io", owner: "acme", name: "tool", tag: "1" }],
    ["localhost/acme/tool", { host: "localhost", owner: "acme", name: "tool", tag: "latest" }],
    ["localhost:5000/acme/tool", { host: "localhost:5000", owner: "acme", name: "tool", tag: "latest" }],
    ["registry.example.com:5000/acme/tool:2", { host: "registry.example.com:5000", owner: "acme", name: "tool", tag: "2" }],
    ["ghcr.io/acme/team/tool:v1", { host: "ghcr.io", owner: "acme", name: "team/tool", tag: "v1" }],
    ["ghcr.io/tool:v1", undefined],
    ["tool:latest", undefined],
    ["tool", undefined],
  ];
  for (const [ref, want] of rows) it(`${ref}`, () => assert.deepEqual(splitImage(ref), want));
});

interface ImageRow {
  readonly name: string;
  readonly yaml: string;
  readonly want: { images: ImageSettings } & Recorded;
}

const AMD64: Pick<ImageSettings, "imagePlatforms"> = { imagePlatforms: ["linux/amd64"] };

const DOCKER_ROWS: ImageRow[] = [
  {
    name: "an image without a tag is pushed as latest",
    yaml: "dockers:\n  - image_templates: [ghcr.io/acme/tool]\n",
    want: {
      images: { tagTemplates: ["latest"], imageName: "tool", ...AMD64, registries: [GHCR] },
      mapped: ["2 dockers[0].image_templates[0] → tagTemplates", "2 dockers[0] → imagePlatforms"],
      unmapped: [],
    },
  },
  {
    name: "{{ .ProjectName }} in the repository is the project name; {{ .Tag }} is v{{version}}",
    yaml: 'dockers:\n  - image_templates: ["docker.io/acme/{{ .ProjectName }}:{{ .Tag }}"]\n',
    want: {
      images: { tagTemplates: ["v{{version}}"], imageName: "hammer", ...AMD64, registries: [DOCKERHUB] },
      mapped: ["2 dockers[0].image_templates[0] → tagTemplates", "2 dockers[0] → imagePlatforms"],
      unmapped: [],
    },
  },
  {
    name: "a template in the repository other than the project name is unmapped",
    yaml: 'dockers:\n  - image_templates: ["ghcr.io/{{ .Env.OWNER }}/tool:latest"]\n',
    want: {
      images: { tagTemplates: [], ...AMD64, registries: [] },
      mapped: ["2 dockers[0] → imagePlatforms"],
      unmapped: ["2 dockers[0].image_templates[0]: template {{ .Env.OWNER }} in the image repository has no slipway equivalent"],
    },
  },
  {
    name: "an image without an owner is unmapped",
    yaml: "dockers:\n  - image_templates: [tool:latest]\n",
    want: {
      images: { tagTemplates: [], ...AMD64, registries: [] },
      mapped: ["2 dockers[0] → imagePlatforms"],
      unmapped: ["2 dockers[0].image_templates[0]: tool:latest: slipway needs <registry>/<owner>/<name>"],
    },
  },
  {
    name: "an image that is only the project name is unmapped, named as written",
    yaml: 'dockers:\n  - image_templates: ["{{ .ProjectName }}"]\n',
    want: {
      images: { tagTemplates: [], ...AMD64, registries: [] },
      mapped: ["2 dockers[0] → imagePlatforms"],
      unmapped: ["2 dockers[0].image_templates[0]: {{ .ProjectName }}: slipway needs <registry>/<owner>/<name>"],
    },
  },
  {
    name: "a tag template metadata-action cannot render is unmapped",
    yaml: 'dockers:\n  - image_templates: ["ghcr.io/acme/tool:{{ .Env.CHANNEL }}"]\n',
    want: {
      images: { tagTemplates: [], ...AMD64, registries: [] },
      mapped: ["2 dockers[0] → imagePlatforms"],
      unmapped: ["2 dockers[0].image_templates[0]: tag template {{ .Env.CHANNEL }} has no metadata-action equivalent"],
    },
  },
  {
    name: "a second image name is unmapped: one image name for every registry",
    yaml: "dockers:\n  - image_templates:\n      - ghcr.io/acme/tool:latest\n      - ghcr.io/acme/other:edge\n",
    want: {
      images: { tagTemplates: ["latest"], imageName: "tool", ...AMD64, registries: [GHCR] },
      mapped: ["3 dockers[0].image_templates[0] → tagTemplates", "2 dockers[0] → imagePlatforms"],
      unmapped: ["4 dockers[0].image_templates[1]: image name other besides tool: slipway pushes one image name to every registry"],
    },
  },
  {
    name: "one registry per host and owner, one tag template per tag",
    yaml: "dockers:\n  - image_templates: [ghcr.io/acme/tool:latest, acme/tool:latest, ghcr.io/acme/tool:edge]\n",
    want: {
      images: { tagTemplates: ["latest", "edge"], imageName: "tool", ...AMD64, registries: [GHCR, DOCKERHUB] },
      mapped: [
        "2 dockers[0].image_templates[0] → tagTemplates",
        "2 dockers[0].image_templates[1] → tagTemplates",
        "2 dockers[0].image_templates[2] → tagTemplates",
        "2 dockers[0] → imagePlatforms",
      ],
      unmapped: [],
    },
  },
  {
    name: "ids with one build → imageBinary",
    yaml: "dockers:\n  - image_templates: [ghcr.io/acme/tool]\n    ids: [tool]\n",
    want: {
      images: { tagTemplates: ["latest"], imageName: "tool", ...AMD64, registries: [GHCR], imageBinary: "tool" },
      mapped: ["2 dockers[0].image_templates[0] → tagTemplates", "3 dockers[0].ids → imageBinary", "2 dockers[0] → imagePlatforms"],
      unmapped: [],
    },
  },
  {
    name: "binaries with two builds is unmapped: an image runs one binary",
    yaml: "dockers:\n  - binaries: [tool, helper]\n",
    want: {
      images: { tagTemplates: [], ...AMD64, registries: [] },
      mapped: ["2 dockers[0] → imagePlatforms"],
      unmapped: ["2 dockers[0].binaries: builds tool, helper: slipway images run one binary (slipway:imageBinary)"],
    },
  },
  {
    name: "the same build on every docker → one imageBinary",
    yaml: "dockers:\n  - ids: [tool]\n  - goarch: arm64\n    ids: tool\n",
    want: {
      images: { tagTemplates: [], imagePlatforms: ["linux/amd64", "linux/arm64"], registries: [], imageBinary: "tool" },
      mapped: [
        "2 dockers[0].ids → imageBinary",
        "2 dockers[0] → imagePlatforms",
        "4 dockers[1].ids → imageBinary",
        "3 dockers[1] → imagePlatforms",
      ],
      unmapped: [],
    },
  },
  {
    name: "another build on a second docker is unmapped",
    yaml: "dockers:\n  - ids: [tool]\n  - goarch: arm64\n    ids: [helper]\n",
    want: {
      images: { tagTemplates: [], imagePlatforms: ["linux/amd64", "linux/arm64"], registries: [], imageBinary: "tool" },
      mapped: ["2 dockers[0].ids → imageBinary", "2 dockers[0] → imagePlatforms", "3 dockers[1] → imagePlatforms"],
      unmapped: ["4 dockers[1].ids: builds helper: slipway images run one binary (slipway:imageBinary)"],
    },
  },
  {
    name: "goarch arm without goarm is arm v6; goos linux is accepted",
    yaml: "dockers:\n  - goos: linux\n    goarch: arm\n  - goarch: arm\n    goarm: 7\n",
    want: {
      images: { tagTemplates: [], imagePlatforms: ["linux/arm/v6", "linux/arm/v7"], registries: [] },
      mapped: ["2 dockers[0] → imagePlatforms", "4 dockers[1] → imagePlatforms"],
      unmapped: [],
    },
  },
  {
    name: "a platform built by two dockers is listed once",
    yaml: "dockers:\n  - goarch: amd64\n  - goarch: amd64\n",
    want: {
      images: { tagTemplates: [], ...AMD64, registries: [] },
      mapped: ["2 dockers[0] → imagePlatforms", "3 dockers[1] → imagePlatforms"],
      unmapped: [],
    },
  },
  {
    name: "a windows image is unmapped: linux images only",
    yaml: "dockers:\n  - goos: windows\n    image_templates: [ghcr.io/acme/tool]\n",
    want: {
      images: { tagTemplates: ["latest"], imageName: "tool", imagePlatforms: [], registries: [GHCR] },
      mapped: ["3 dockers[0].image_templates[0] → tagTemplates"],
      unmapped: ["2 dockers[0]: windows image: slipway builds linux images only"],
    },
  },
  {
    name: "use and id → BuildKit; skip_push false → always pushed",
    yaml: "dockers:\n  - use: buildx\n    id: img\n    skip_push: false\n  - skip_push: 'false'\n",
    want: {
      images: { tagTemplates: [], ...AMD64, registries: [] },
      mapped: [
        `2 dockers[0].use → (always) (${BUILDKIT})`,
        `3 dockers[0].id → (always) (${BUILDKIT})`,
        "4 dockers[0].skip_push → (always)",
        "2 dockers[0] → imagePlatforms",
        "5 dockers[1].skip_push → (always)",
        "5 dockers[1] → imagePlatforms",
      ],
      unmapped: [],
    },
  },
  {
    name: "skip_push true, recipe keys, push flags and unknown keys (whatever their value) are unmapped",
    yaml:
      "dockers:\n  - skip_push: true\n    dockerfile: Dockerfile\n    build_flag_templates: [--pull]\n    extra_files: [LICENSE]\n" +
      "    push_flags: [--tls-verify=false]\n    create_flags: [--insecure]\n    goamd64: v3\n    squash: false\n",
    want: {
      images: { tagTemplates: [], ...AMD64, registries: [] },
      mapped: ["2 dockers[0] → imagePlatforms"],
      unmapped: [
        "2 dockers[0].skip_push: slipway pushes every image it builds (set slipway:imagePlatforms to [] for no image)",
        `3 dockers[0].dockerfile: ${RECIPE}`,
        `4 dockers[0].build_flag_templates: ${RECIPE}`,
        `5 dockers[0].extra_files: ${RECIPE}`,
        "6 dockers[0].push_flags: slipway pushes by digest with its own options",
        "7 dockers[0].create_flags: slipway creates the multi-arch index itself",
        "8 dockers[0].goamd64: unknown GoReleaser docker key; not mapped",
        "9 dockers[0].squash: unknown GoReleaser docker key; not mapped",
      ],
    },
  },
  {
    name: "with docker_manifests, a docker's images are per-platform inputs",
    yaml: "dockers:\n  - image_templates: [ghcr.io/acme/tool:amd64]\ndocker_manifests:\n  - name_template: ghcr.io/acme/tool:latest\n",
    want: {
      images: { tagTemplates: ["latest"], imageName: "tool", ...AMD64, registries: [GHCR] },
      mapped: [
        "2 dockers[0].image_templates[0] → (omitted) (a per-platform image; slipway pushes one multi-arch index)",
        "2 dockers[0] → imagePlatforms",
        "4 docker_manifests[0].name_template → tagTemplates",
      ],
      unmapped: [],
    },
  },
  {
    name: "docker_manifests: image_templates, use, id and skip_push false are mapped",
    yaml:
      "docker_manifests:\n  - name_template: 'ghcr.io/acme/{{ .ProjectName }}:{{ .Version }}'\n    image_templates: [ghcr.io/acme/hammer:amd64]\n" +
      "    use: docker\n    id: manifest\n    skip_push: false\n  - name_template: ghcr.io/acme/hammer:edge\n    skip_push: 'false'\n",
    want: {
      images: { tagTemplates: ["{{version}}", "edge"], imageName: "hammer", imagePlatforms: [], registries: [GHCR] },
      mapped: [
        "2 docker_manifests[0].name_template → tagTemplates",
        "3 docker_manifests[0].image_templates → (omitted) (slipway indexes every image platform)",
        `4 docker_manifests[0].use → (always) (${BUILDKIT})`,
        `5 docker_manifests[0].id → (always) (${BUILDKIT})`,
        "6 docker_manifests[0].skip_push → (always)",
        "7 docker_manifests[1].name_template → tagTemplates",
        "8 docker_manifests[1].skip_push → (always)",
      ],
      unmapped: [],
    },
  },
  {
    name: "docker_manifests: skip_push true, flags and unknown keys (whatever their value) are unmapped",
    yaml: "docker_manifests:\n  - skip_push: true\n    create_flags: [--amend]\n    push_flags: [--purge]\n    retry: {attempts: 3}\n    insecure: false\n",
    want: {
      images: { tagTemplates: [], imagePlatforms: [], registries: [] },
      mapped: [],
      unmapped: [
        "2 docker_manifests[0].skip_push: slipway pushes every image it builds (set slipway:imagePlatforms to [] for no image)",
        "3 docker_manifests[0].create_flags: slipway creates the multi-arch index itself",
        "4 docker_manifests[0].push_flags: slipway pushes by digest with its own options",
        "5 docker_manifests[0].retry: unknown GoReleaser docker_manifests key; not mapped",
        "6 docker_manifests[0].insecure: unknown GoReleaser docker_manifests key; not mapped",
      ],
    },
  },
  {
    name: "no dockers and no manifests → no images",
    yaml: "project_name: hammer\n",
    want: { images: { tagTemplates: [], imagePlatforms: [], registries: [] }, mapped: [], unmapped: [] },
  },
];

describe("mapImages: dockers and docker_manifests → image settings", () => {
  for (const row of DOCKER_ROWS) it(row.name, () => assert.deepEqual(images(row.yaml), row.want));
});

describe("githubFromModule: owner and repository of a github.com module path", () => {
  const rows: [string, ReturnType<typeof githubFromModule>][] = [
    ["github.com/acme/tool", { owner: "acme", repo: "tool" }],
    ["github.com/acme/tool/v2", { owner: "acme", repo: "tool" }],
    ["gitlab.com/acme/tool", undefined],
    ["example.com/github.com/acme/tool", undefined],
    ["github.com/acme", undefined],
  ];
  for (const [moduleName, want] of rows) it(moduleName, () => assert.deepEqual(githubFromModule(moduleName), want));
});

const FROM_MODULE = { github: { owner: "acme", repo: "tool" } };
const NEEDS_LITERAL = "slipway needs a literal owner and name";

interface ReleaseRow {
  readonly name: string;
  readonly yaml: string;
  readonly moduleName?: string;
  readonly want: { release: unknown } & Recorded;
}

const RELEASE_ROWS: ReleaseRow[] = [
  {
    name: "no release: the repository comes from the module path",
    yaml: "project_name: hammer\n",
    want: { release: FROM_MODULE, mapped: [], unmapped: [] },
  },
  {
    name: "no release and a module outside github.com: no github setting at all",
    yaml: "project_name: hammer\n",
    moduleName: "example.com/tool",
    want: { release: {}, mapped: [], unmapped: [] },
  },
  {
    name: "release.github with {{ .ProjectName }} → github",
    yaml: "release:\n  github:\n    owner: acme\n    name: '{{ .ProjectName }}'\n",
    want: { release: { github: { owner: "acme", repo: "hammer" } }, mapped: ["2 release.github → github"], unmapped: [] },
  },
  {
    name: "release.github owner {{ .ProjectName }} → github",
    yaml: "release:\n  github: {owner: '{{ .ProjectName }}', name: tool}\n",
    want: { release: { github: { owner: "hammer", repo: "tool" } }, mapped: ["2 release.github → github"], unmapped: [] },
  },
  {
    name: "release.github without an owner is unmapped; the module path is used",
    yaml: "release:\n  github: {name: tool}\n",
    want: { release: FROM_MODULE, mapped: [], unmapped: [`2 release.github: ${NEEDS_LITERAL}`] },
  },
  {
    name: "release.github unmapped and a module outside github.com: no github setting at all",
    yaml: "release:\n  github: {name: tool}\n",
    moduleName: "example.com/tool",
    want: { release: {}, mapped: [], unmapped: [`2 release.github: ${NEEDS_LITERAL}`] },
  },
  {
    name: "release.github without a name is unmapped; the module path is used",
    yaml: "release:\n  github: {owner: acme}\n",
    want: { release: FROM_MODULE, mapped: [], unmapped: [`2 release.github: ${NEEDS_LITERAL}`] },
  },
  {
    name: "release.github with an empty owner is unmapped",
    yaml: "release:\n  github: {owner: '', name: tool}\n",
    want: { release: FROM_MODULE, mapped: [], unmapped: [`2 release.github: ${NEEDS_LITERAL}`] },
  },
  {
    name: "release.github with an empty name is unmapped",
    yaml: "release:\n  github: {owner: acme, name: ''}\n",
    want: { release: FROM_MODULE, mapped: [], unmapped: [`2 release.github: ${NEEDS_LITERAL}`] },
  },
  {
    name: "release.github with a templated owner is unmapped",
    yaml: "release:\n  github: {owner: '{{ .Env.OWNER }}', name: tool}\n",
    want: { release: FROM_MODULE, mapped: [], unmapped: [`2 release.github: ${NEEDS_LITERAL}`] },
  },
  {
    name: "release.github with a templated name is unmapped",
    yaml: "release:\n  github: {owner: acme, name: '{{ .Env.REPO }}'}\n",
    want: { release: FROM_MODULE, mapped: [], unmapped: [`2 release.github: ${NEEDS_LITERAL}`] },
  },
  {
    name: "draft false and prerelease auto are what slipway does",
    yaml: "release:\n  draft: false\n  prerelease: auto\n",
    want: {
      release: FROM_MODULE,
      mapped: ["2 release.draft → (always)", "3 release.prerelease → (always) (slipway marks prereleases from the version)"],
      unmapped: [],
    },
  },
  {
    name: "draft true is reported: slipway publishes the release, it never stays a draft",
    yaml: "release:\n  draft: true\n",
    want: {
      release: FROM_MODULE,
      mapped: [],
      unmapped: ["2 release.draft: slipway publishes the release once every asset is uploaded; it is never left a draft"],
    },
  },
  {
    name: "prerelease true is unmapped: slipway decides from the version",
    yaml: "release:\n  prerelease: true\n",
    want: { release: FROM_MODULE, mapped: [], unmapped: ["2 release.prerelease: slipway marks prereleases from the version"] },
  },
  {
    name: "make_latest auto → latest auto",
    yaml: "release:\n  make_latest: auto\n",
    want: { release: { latest: "auto", ...FROM_MODULE }, mapped: ["2 release.make_latest → latest"], unmapped: [] },
  },
  {
    name: "make_latest false → latest false",
    yaml: "release:\n  make_latest: false\n",
    want: { release: { latest: "false", ...FROM_MODULE }, mapped: ["2 release.make_latest → latest"], unmapped: [] },
  },
  {
    name: "make_latest 'false' (a string) → latest false",
    yaml: "release:\n  make_latest: 'false'\n",
    want: { release: { latest: "false", ...FROM_MODULE }, mapped: ["2 release.make_latest → latest"], unmapped: [] },
  },
  {
    name: "make_latest true is unmapped: slipway moves latest only when the release earns it",
    yaml: "release:\n  make_latest: true\n",
    want: {
      release: FROM_MODULE,
      mapped: [],
      unmapped: ["2 release.make_latest: slipway:latest true refuses unless the release earns it"],
    },
  },
  {
    name: "make_latest as a template is unmapped",
    yaml: "release:\n  make_latest: '{{ .Env.LATEST }}'\n",
    want: {
      release: FROM_MODULE,
      mapped: [],
      unmapped: ["2 release.make_latest: slipway:latest true refuses unless the release earns it"],
    },
  },
  {
    name: "disable false is what slipway does",
    yaml: "release:\n  disable: false\n",
    want: { release: FROM_MODULE, mapped: ["2 release.disable → (always)"], unmapped: [] },
  },
  {
    name: "disable 'false' as a string is what slipway does",
    yaml: "release:\n  disable: 'false'\n",
    want: { release: FROM_MODULE, mapped: ["2 release.disable → (always)"], unmapped: [] },
  },
  {
    name: "disable true is unmapped and no github repository is taken from the module path",
    yaml: "release:\n  disable: true\n",
    want: {
      release: {},
      mapped: [],
      unmapped: ["2 release.disable: slipway publishes a GitHub release whenever slipway:github is set (else a local release directory)"],
    },
  },
  {
    name: "another unmapped release key does not stop the module path's repository",
    yaml: "release:\n  name_template: 'v{{ .Version }}'\n",
    want: { release: FROM_MODULE, mapped: [], unmapped: ["2 release.name_template: slipway names the release after the tag"] },
  },
];

describe("mapRelease: release → github and latest", () => {
  for (const row of RELEASE_ROWS) it(row.name, () => assert.deepEqual(release(row.yaml, row.moduleName), row.want));

  it("disable true beside release.github: no GitHub release either", () =>
    assert.deepEqual(release("release:\n  disable: true\n  github: {owner: acme, name: hammer}\n").release, {}));
});

describe("release keys slipway has no counterpart for, each with its reason", () => {
  const rows: [string, string][] = [
    ["name_template", "slipway names the release after the tag"],
    ["header", "slipway takes release notes from CHANGELOG.md sections"],
    ["footer", "slipway takes release notes from CHANGELOG.md sections"],
    ["extra_files", "slipway publishes its own assets only"],
    ["skip_upload", "slipway always uploads its assets"],
    ["mode", "slipway creates the release; it never edits an existing one"],
    ["replace_existing_draft", "slipway adopts its own draft and never replaces a published release"],
    ["replace_existing_artifacts", "published assets are never replaced"],
    ["use_existing_draft", "slipway adopts its own draft and never replaces a published release"],
    ["target_commitish", "slipway releases slipway:commit"],
    ["discussion_category_name", "slipway does not open discussions"],
    ["include_meta", "slipway publishes its own assets only"],
    ["ids", "slipway publishes every build"],
    ["gitlab", "slipway publishes to GitHub or a local directory"],
    ["gitea", "slipway publishes to GitHub or a local directory"],
    ["discord", "unknown GoReleaser release key; not mapped"],
  ];
  for (const [key, note] of rows) {
    it(`release.${key}`, () =>
      assert.deepEqual(release(`release:\n  ${key}: x\n`), { release: FROM_MODULE, mapped: [], unmapped: [`2 release.${key}: ${note}`] }));
  }
});

describe("image and release settings in a migration", () => {
  it("images land in the settings, registries and github in the release stack's", () => {
    const m = migrateGoreleaser(
      "project_name: hammer\nbuilds:\n  - goos: [linux]\n    goarch: [amd64]\ndockers:\n  - image_templates: ['ghcr.io/acme/{{ .ProjectName }}:{{ .Tag }}']\n    ids: [hammer]\nrelease:\n  make_latest: auto\n",
      { moduleName: "github.com/acme/hammer", defaultName: "tool" },
    );
    assert.deepEqual(
      [
        m.settings.tagTemplates,
        m.settings.imageName,
        m.settings.imageBinary,
        m.settings.imagePlatforms,
        m.settings.latest,
        m.releaseSettings,
      ],
      [["v{{version}}"], "hammer", "hammer", ["linux/amd64"], "auto", { registries: [GHCR], github: { owner: "acme", repo: "hammer" } }],
    );
  });
});
