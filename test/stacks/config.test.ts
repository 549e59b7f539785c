// Runs the Pulumi-side config loader against the SDK's real config store (no engine). What this cannot
// prove: how the engine fills that store from a stack file; the real-engine stack run covers that.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AthensSettings, AwsAthensSettings, LocalEndpointAthensSettings } from "../../plan/athensSettings";
import { RawStackConfig, StackSettings, parseStackConfig } from "../../plan/stackConfig";
import {
  PLAN_OUTPUT,
  ProjectFiles,
  RELEASES_OUTPUT,
  athensProxyArgs,
  checkProjectFiles,
  loadStackConfig,
  readRawStackConfig,
  releaseArgs,
  releasedBy,
  rememberedFrom,
  rememberedReleases,
  secretSetting,
} from "../../stacks/config";
import { BadInput, itRefusesEach, itReturnsEach } from "../support/inputTables";
import { COMMIT, COMMIT_TIME } from "../support/release";
import { writeFiles } from "../support/files";

const BASE = {
  "slipway:version": "v1.4.0",
  "slipway:commit": COMMIT,
  "slipway:commitTime": COMMIT_TIME,
  "slipway:registries": JSON.stringify([{ kind: "external", address: "ghcr.io/acme", username: "bot", passwordSecret: "ghcrToken" }]),
  "other:setting": "ignored",
};

/** The mocked stack's own outputs, as its StackReference reads them. */
let selfOutputs: { outputs: Record<string, unknown>; secretOutputNames: string[] } = { outputs: {}, secretOutputNames: [] };
/** The StackReferences the program read: resource name and referenced stack. */
const references: { name: string; stack: unknown }[] = [];

describe("loadStackConfig", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args: pulumi.runtime.MockResourceArgs) => {
          if (args.type === "pulumi:pulumi:StackReference") {
            references.push({ name: args.name, stack: (args.inputs as { name?: unknown }).name });
            return { id: args.id ?? args.name, state: selfOutputs };
          }
          return { id: `${args.name}-id`, state: {} };
        },
        call: (args: pulumi.runtime.MockCallArgs) => {
          throw new Error(`Mock call not implemented: ${args.token}`);
        },
      },
      "hello",
      "local",
      false,
      "acme",
    );
  });

  it("reads only slipway:* settings and knows which are stored as secrets", () => {
    pulumi.runtime.setAllConfig({ ...BASE, "slipway:ghcrToken": "t0ken" }, ["slipway:ghcrToken"]);
    const raw = readRawStackConfig();
    assert.deepEqual(Object.keys(raw.values).sort(), ["commit", "commitTime", "ghcrToken", "registries", "version"]);
    assert.deepEqual([...raw.secretKeys], ["ghcrToken"]);
    assert.equal(raw.project, "hello");
    const settings = loadStackConfig();
    assert.equal(settings.plan.version, "1.4.0");
    assert.equal(settings.plan.name, "hello");
    assert.deepEqual(settings.secretSettings, ["ghcrToken"]);
  });

  it("refuses a credential stored in plain text", () => {
    pulumi.runtime.setAllConfig({ ...BASE, "slipway:ghcrToken": "t0ken" }, []);
    assert.throws(() => loadStackConfig(), /^SlipwayInputError: slipway:ghcrToken = "\(value not shown\)": stored in plain text/);
  });

  it("refuses to read the config when the SDK no longer says which values are secrets", () => {
    pulumi.runtime.setAllConfig({ ...BASE, "slipway:ghcrToken": "t0ken" }, ["slipway:ghcrToken"]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const internals = require("@pulumi/pulumi/runtime/config") as { isConfigSecret: unknown };
    const original = internals.isConfigSecret;
    internals.isConfigSecret = undefined;
    try {
      assert.throws(() => readRawStackConfig(), {
        name: "Error",
        message: "@pulumi/pulumi no longer exposes runtime isConfigSecret; pin the version in package.json",
      });
    } finally {
      internals.isConfigSecret = original;
    }
    assert.deepEqual([...readRawStackConfig().secretKeys], ["ghcrToken"]);
  });

  it("a secret setting's value is a Pulumi secret read from slipway:*", async () => {
    pulumi.runtime.setAllConfig({ ...BASE, "slipway:ghcrToken": "t0ken" }, ["slipway:ghcrToken"]);
    const token = secretSetting("ghcrToken");
    assert.equal(await new Promise<string>((resolve) => token.apply(resolve)), "t0ken");
    assert.equal(await pulumi.isSecret(token), true);
  });

  it("names the outputs in which a stack remembers its releases and its last plan", () => {
    assert.deepEqual([RELEASES_OUTPUT, PLAN_OUTPUT], ["releases", "releasePlan"]);
  });

  it("remembers the releases and the plan from the stack's own outputs", async () => {
    const releases = { "1.3.0": { commit: COMMIT, tags: ["v1.3.0"] }, "1.2.0": { tags: [] } };
    selfOutputs = { outputs: { releases, releasePlan: { version: "1.3.0" } }, secretOutputNames: [] };
    references.length = 0;
    assert.deepEqual(await rememberedReleases(), { releases, published: [`1.3.0@${COMMIT}`], applied: { version: "1.3.0" } });
    assert.deepEqual(references, [{ name: "acme/hello/local", stack: "acme/hello/local" }]);
  });

  it("reads releases kept as a secret output, and none before the first update", async () => {
    const releases = { "1.3.0": { commit: COMMIT } };
    selfOutputs = { outputs: { releases }, secretOutputNames: ["releases"] };
    assert.deepEqual(await rememberedReleases(), { releases, published: [`1.3.0@${COMMIT}`], applied: undefined });
    selfOutputs = { outputs: {}, secretOutputNames: [] };
    assert.deepEqual(await rememberedReleases(), { releases: {}, published: [], applied: undefined });
  });
});

describe("rememberedFrom", () => {
  itReturnsEach([
    ["nothing from null", () => rememberedFrom(null), []],
    ["nothing from undefined", () => rememberedFrom(undefined), []],
    ["nothing from a number", () => rememberedFrom(42), []],
    ["nothing from a string", () => rememberedFrom("1.3.0"), []],
    [
      "version@commit of each record with a commit, in order",
      () =>
        rememberedFrom({
          "1.3.0": { commit: COMMIT },
          "1.2.0": { commit: 7 },
          "1.1.0": null,
          "1.0.0": {},
          "0.9.0": { commit: "0123456789abcdef0123456789abcdef01234567" },
        }),
      [`1.3.0@${COMMIT}`, "0.9.0@0123456789abcdef0123456789abcdef01234567"],
    ],
  ]);
});

describe("releasedBy", () => {
  const version = (JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
  const ref = "acme/hello/.github/workflows/release.yml@refs/tags/v1.4.0";
  itReturnsEach([
    ["a workstation", () => releasedBy({}), { id: "urn:slipway:local", version }],
    [
      "a GitHub workflow on github.com",
      () => releasedBy({ GITHUB_ACTIONS: "true", GITHUB_WORKFLOW_REF: ref }),
      { id: `https://github.com/${ref}`, version },
    ],
    [
      "a GitHub workflow on a GitHub Enterprise server",
      () => releasedBy({ GITHUB_ACTIONS: "true", GITHUB_WORKFLOW_REF: ref, GITHUB_SERVER_URL: "https://ghe.example.com" }),
      { id: `https://ghe.example.com/${ref}`, version },
    ],
    [
      "a workflow ref outside GitHub Actions",
      () => releasedBy({ GITHUB_ACTIONS: "false", GITHUB_WORKFLOW_REF: ref }),
      { id: "urn:slipway:local", version },
    ],
    [
      "GITHUB_ACTIONS other than true",
      () => releasedBy({ GITHUB_ACTIONS: "1", GITHUB_WORKFLOW_REF: ref }),
      { id: "urn:slipway:local", version },
    ],
    ["GitHub Actions without a workflow ref", () => releasedBy({ GITHUB_ACTIONS: "true" }), { id: "urn:slipway:local", version }],
  ]);
});

const AWS: AwsAthensSettings = {
  kind: "aws",
  mode: "sealed",
  region: "eu-west-1",
  vpcId: "vpc-1234",
  subnetIds: ["subnet-a", "subnet-b"],
  allowedCidrs: ["10.0.0.0/16"],
  imageRepositoryUrl: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/athens",
  imageDigest: `sha256:${"b".repeat(64)}`,
  basicAuthUser: "ci",
  tls: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1", hostname: "athens.build.example.com" },
};
const ENDPOINT: LocalEndpointAthensSettings = { kind: "local", source: "endpoint", url: "http://127.0.0.1:3000" };

describe("athensProxyArgs", () => {
  it("passes AWS and endpoint settings through unchanged", () => {
    assert.equal(athensProxyArgs(AWS, "/project"), AWS);
    assert.equal(athensProxyArgs(ENDPOINT, "/project"), ENDPOINT);
  });

  itReturnsEach([
    [
      "a local process: the default directories, under the project",
      () => athensProxyArgs({ kind: "local", source: "process" }, "/project"),
      { kind: "local", source: "process", storageDir: "/project/.slipway/athens/storage", stateDir: "/project/.slipway/athens/run" },
    ],
    [
      "a local process: relative directories resolved against the project, absolute ones kept",
      () =>
        athensProxyArgs(
          { kind: "local", source: "process", port: 3001, storageDir: "cache/athens", stateDir: "/var/run/athens" },
          "/project",
        ),
      { kind: "local", source: "process", port: 3001, storageDir: "/project/cache/athens", stateDir: "/var/run/athens" },
    ],
  ]);
});

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A project directory holding `files` (path → text). */
function project(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), "slipway-stack-config-"));
  roots.push(dir);
  return writeFiles(dir, files);
}

function settings(values: Readonly<Record<string, string>> = {}): StackSettings {
  const config: RawStackConfig = {
    values: { version: "1.4.0", commit: COMMIT, commitTime: COMMIT_TIME, ...values },
    secretKeys: new Set(),
    project: "hello",
  };
  return parseStackConfig(config);
}

const GO_MOD = "module example.com/hello\n\ngo 1.22\n";
const MAIN_GO = "package main\n\nfunc main() {}\n";
const MODULE = { "go.mod": GO_MOD, "go.sum": "", "main.go": MAIN_GO };
const LOCAL_REGISTRY = JSON.stringify([{ kind: "local", address: "127.0.0.1:5000" }]);
const MODULE_FIX = "fix: point slipway:module at a Go module with go.mod and a complete go.sum";
const MAIN_FIX = "fix: point main at a package directory of the module, e.g. ./cmd/hello";
const DOCKERFILE_FIX = "fix: point slipway:dockerfile at a readable Dockerfile, or set slipway:imagePlatforms to [] for no image";
const CHANGELOG_FIX = 'fix: add a "## [1.4.0]" section, or set slipway:requireReleaseNotes false';
const SEALED_FIX = "fix: release once with athens.mode warm to fill the storage, then seal it";
const TWO_BUILDS = (main: string) =>
  JSON.stringify([
    { id: "hello", main: "." },
    { id: "tool", main },
  ]);
/** go.sum of three dependencies, one listed by its go.mod only. */
const GO_SUM = [
  "example.com/a v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
  "example.com/a v1.0.0/go.mod h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=",
  "example.com/b v1.2.0/go.mod h1:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC=",
  "example.com/c v0.3.0 h1:DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD=",
  "",
].join("\n");
/** Athens disk storage holding some of GO_SUM's modules. */
function stored(root: string, ...modules: ("a" | "b" | "c")[]): Record<string, string> {
  const files: Record<string, string> = {};
  if (modules.includes("a")) files[`${root}/example.com/a/v1.0.0/source.zip`] = "zip";
  if (modules.includes("a")) files[`${root}/example.com/a/v1.0.0/go.mod`] = "module example.com/a\n";
  if (modules.includes("b")) files[`${root}/example.com/b/v1.2.0/go.mod`] = "module example.com/b\n";
  if (modules.includes("c")) files[`${root}/example.com/c/v0.3.0/source.zip`] = "zip";
  return files;
}
const SEALED = JSON.stringify({ kind: "local", mode: "sealed" });

/** A case of checkProjectFiles that must be refused: the project, the settings and the message (given the project). */
function refused(title: string, files: Record<string, string>, values: Record<string, string>, message: (dir: string) => string): BadInput {
  const dir = project(files);
  return { title, run: () => checkProjectFiles(settings(values), dir), message: message(dir) };
}

describe("checkProjectFiles refuses", () => {
  itRefusesEach([
    refused(
      "a module without go.mod",
      { "go.sum": "", "main.go": MAIN_GO },
      {},
      (dir) => `slipway:module = ".": ${dir}/go.mod does not exist; ${MODULE_FIX}`,
    ),
    refused(
      "a module without go.sum",
      { "sub/go.mod": GO_MOD, "sub/main.go": MAIN_GO },
      { module: "sub" },
      (dir) => `slipway:module = "sub": ${dir}/sub/go.sum does not exist; ${MODULE_FIX}`,
    ),
    refused(
      "a main package whose Go files are all in a subdirectory",
      { "go.mod": GO_MOD, "go.sum": "", "internal/x.go": "package x\n" },
      {},
      () => `slipway:builds[0].main = ".": no Go files in the package directory . of the module; ${MAIN_FIX}`,
    ),
    refused(
      "a main package with no .go file",
      { "go.mod": GO_MOD, "go.sum": "", "main.txt": MAIN_GO, "go.go.txt": MAIN_GO },
      {},
      () => `slipway:builds[0].main = ".": no Go files in the package directory . of the module; ${MAIN_FIX}`,
    ),
    refused(
      "a second build whose package has Go files only in a subdirectory",
      { ...MODULE, "cmd/tool/internal/x.go": "package internal\n", "cmd/tool/README.md": "tool" },
      { builds: TWO_BUILDS("./cmd/tool") },
      () => `slipway:builds[1].main = "./cmd/tool": no Go files in the package directory ./cmd/tool of the module; ${MAIN_FIX}`,
    ),
    refused(
      "a build whose package directory is empty while the module root has Go files",
      { ...MODULE, "cmd/tool/README.md": "tool", "cmd/toolbox/main.go": MAIN_GO },
      { builds: TWO_BUILDS("./cmd/tool") },
      () => `slipway:builds[1].main = "./cmd/tool": no Go files in the package directory ./cmd/tool of the module; ${MAIN_FIX}`,
    ),
    refused(
      "an archive file that matches nothing (when archives are built)",
      MODULE,
      { archives: JSON.stringify({ format: "tar.gz", files: ["docs/*"] }) },
      () =>
        `slipway:archives.files[0] = "docs/*": matches no file in the module; fix: check the glob against the module's files (paths are relative to the module root, matching is case-sensitive), or remove it`,
    ),
    refused(
      "a Dockerfile that cannot be read, with image platforms and a registry",
      MODULE,
      { dockerfile: "build/Dockerfile", registries: LOCAL_REGISTRY },
      (dir) => `slipway:dockerfile = "build/Dockerfile": ${dir}/build/Dockerfile cannot be read; ${DOCKERFILE_FIX}`,
    ),
    refused(
      "required release notes without a changelog",
      MODULE,
      { requireReleaseNotes: "true" },
      () => `slipway:changelog = "./CHANGELOG.md": does not exist; ${CHANGELOG_FIX}`,
    ),
    refused(
      "required release notes with a changelog that has no section for the version",
      { ...MODULE, "docs/CHANGES.md": "# Changes\n\n## [1.3.0]\n\n- Older.\n" },
      { requireReleaseNotes: "true", changelog: "docs/CHANGES.md" },
      () => `slipway:changelog = "docs/CHANGES.md": has no section for 1.4.0; ${CHANGELOG_FIX}`,
    ),
    refused(
      "a sealed proxy missing one module, in the default storage",
      { ...MODULE, "go.sum": GO_SUM, ...stored(".slipway/athens/storage", "a", "b") },
      { athens: SEALED },
      (dir) =>
        `slipway:athens.mode = "sealed": example.com/c@v0.3.0 needed by ${dir}/go.sum is not in the proxy's storage ${dir}/.slipway/athens/storage, and a sealed proxy never downloads; ${SEALED_FIX}`,
    ),
    refused(
      "a sealed proxy missing two modules, in a configured storage",
      { ...MODULE, "go.sum": GO_SUM, ...stored("cache/athens", "c") },
      { athens: JSON.stringify({ kind: "local", mode: "sealed", storageDir: "cache/athens" }) },
      (dir) =>
        `slipway:athens.mode = "sealed": example.com/a@v1.0.0 and 1 more needed by ${dir}/go.sum is not in the proxy's storage ${dir}/cache/athens, and a sealed proxy never downloads; ${SEALED_FIX}`,
    ),
    refused(
      "a sealed proxy with an empty storage",
      { ...MODULE, "sub/go.mod": GO_MOD, "sub/go.sum": GO_SUM, "sub/main.go": MAIN_GO },
      { athens: SEALED, module: "sub" },
      (dir) =>
        `slipway:athens.mode = "sealed": example.com/a@v1.0.0 and 2 more needed by ${dir}/sub/go.sum is not in the proxy's storage ${dir}/.slipway/athens/storage, and a sealed proxy never downloads; ${SEALED_FIX}`,
    ),
  ]);
});

const NO_NOTES: ProjectFiles = { notes: undefined, extraFiles: [] };

describe("checkProjectFiles accepts", () => {
  /** A case the check must pass: the project, the settings and what it returns. */
  function accepted(title: string, files: Record<string, string>, values: Record<string, string>, expected: ProjectFiles) {
    const dir = project(files);
    return [title, () => checkProjectFiles(settings(values), dir), expected] as const;
  }
  const license = { source: "LICENSE", target: "LICENSE" };
  itReturnsEach([
    accepted("a minimal module: no notes, no extra files", MODULE, {}, NO_NOTES),
    accepted(
      "a module with a license and a readme: extra files matched case-insensitively",
      { ...MODULE, LICENSE: "Apache-2.0", "readme.md": "# hello", "docs/README.md": "nested" },
      {},
      { notes: undefined, extraFiles: [license, { source: "readme.md", target: "readme.md" }] },
    ),
    accepted("no extra files when there are no archives", { ...MODULE, LICENSE: "Apache-2.0" }, { archives: "none" }, NO_NOTES),
    accepted(
      "packages in the module root and in ./cmd/x, each with Go files of its own",
      { ...MODULE, "cmd/x/x.go": MAIN_GO, "cmd/x/x_test.go": "package main\n", "cmd/x/testdata/a.txt": "a" },
      { builds: TWO_BUILDS("./cmd/x") },
      NO_NOTES,
    ),
    accepted("a module in a subdirectory", { "sub/go.mod": GO_MOD, "sub/go.sum": "", "sub/main.go": MAIN_GO }, { module: "sub" }, NO_NOTES),
    accepted(
      "a readable Dockerfile",
      { ...MODULE, Dockerfile: "FROM scratch\n" },
      { dockerfile: "Dockerfile", registries: LOCAL_REGISTRY },
      NO_NOTES,
    ),
    accepted("an unreadable Dockerfile without a registry", MODULE, { dockerfile: "build/Dockerfile" }, NO_NOTES),
    accepted(
      "an unreadable Dockerfile without image platforms",
      MODULE,
      { dockerfile: "build/Dockerfile", registries: LOCAL_REGISTRY, imagePlatforms: "[]" },
      NO_NOTES,
    ),
    accepted("no Dockerfile (slipway's recipe) with a registry", MODULE, { registries: LOCAL_REGISTRY }, NO_NOTES),
    accepted(
      "required release notes from the changelog's section",
      { ...MODULE, "CHANGELOG.md": "# Changelog\n\n## [1.4.0] - 2026-11-20\n\n- Greets.\n\n## [1.3.0]\n\n- Older.\n" },
      { requireReleaseNotes: "true" },
      { notes: "- Greets.", extraFiles: [{ source: "CHANGELOG.md", target: "CHANGELOG.md" }] },
    ),
    accepted(
      "a sealed proxy holding every module",
      { ...MODULE, "go.sum": GO_SUM, ...stored(".slipway/athens/storage", "a", "b", "c") },
      { athens: SEALED },
      NO_NOTES,
    ),
    accepted(
      "a warm proxy missing modules",
      { ...MODULE, "go.sum": GO_SUM },
      { athens: JSON.stringify({ kind: "local", mode: "warm" }) },
      NO_NOTES,
    ),
  ]);

  it("does not check the storage of a proxy that slipway does not run from disk", () => {
    const dir = project({ ...MODULE, "go.sum": GO_SUM });
    // The last two are settings the parser never produces (an AWS proxy has no source, an endpoint no
    // mode): each condition of the check must hold on its own.
    const proxies: [string, AthensSettings][] = [
      ["a sealed AWS proxy", AWS],
      ["a sealed AWS proxy claiming a process source", Object.assign({}, AWS, { source: "process" })],
      ["a sealed endpoint", Object.assign({}, ENDPOINT, { mode: "sealed" })],
    ];
    for (const [title, athens] of proxies) {
      assert.deepEqual(checkProjectFiles({ ...settings(), athens }, dir), NO_NOTES, title);
    }
  });
});

describe("checkProjectFiles release notes", () => {
  const dir = project({ ...MODULE, "CHANGELOG.md": "# Changelog\n" });
  function git(...args: string[]): string {
    return execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", ...args], {
      encoding: "utf8",
      env: { ...process.env, GIT_AUTHOR_DATE: COMMIT_TIME, GIT_COMMITTER_DATE: COMMIT_TIME },
    }).trim();
  }

  it("without a changelog section, the commits; with one, the section", () => {
    git("init", "--quiet");
    git("add", ".");
    git("commit", "--quiet", "-m", "feat: greet");
    const head = git("rev-parse", "HEAD");
    const s = settings({ commit: head });
    const changelog = [{ source: "CHANGELOG.md", target: "CHANGELOG.md" }];
    assert.deepEqual(checkProjectFiles(s, dir), { notes: `### Features\n\n- greet (${head.slice(0, 7)})\n`, extraFiles: changelog });
    writeFileSync(join(dir, "CHANGELOG.md"), "# Changelog\n\n## [1.4.0]\n\n- From the changelog.\n");
    assert.deepEqual(checkProjectFiles(s, dir), { notes: "- From the changelog.", extraFiles: changelog });
  });
});

describe("releaseArgs", () => {
  const files: ProjectFiles = { notes: "- Greets.", extraFiles: [{ source: "LICENSE", target: "LICENSE" }] };

  it("passes the settings on, relative paths resolved against the project", () => {
    const s = settings({
      module: "sub",
      buildDir: "out/build",
      releaseDir: "/srv/releases",
      dockerfile: "sub/Dockerfile",
      registries: LOCAL_REGISTRY,
      athens: JSON.stringify({ kind: "local", storageDir: "cache/athens" }),
      homebrew: JSON.stringify({ path: "dist/tap" }),
      rotation: JSON.stringify({ generation: 2 }),
    });
    const homebrew = s.channels.homebrew;
    assert.ok(homebrew !== undefined);
    assert.deepEqual(releaseArgs(s, "/project", files), {
      plan: s.plan,
      moduleDir: "/project/sub",
      buildDir: "/project/out/build",
      releaseDir: "/srv/releases",
      secret: secretSetting,
      athens: { ...s.athens, storageDir: "/project/cache/athens", stateDir: "/project/.slipway/athens/run" },
      registries: s.registries,
      imageName: "hello",
      cacheRepository: s.cacheRepository,
      github: undefined,
      dockerfile: "/project/sub/Dockerfile",
      baseImage: undefined,
      builder: undefined,
      rotation: { generation: 2, rotationDays: undefined },
      supplyChain: s.supplyChain,
      releasedBy: releasedBy(process.env),
      extraFiles: files.extraFiles,
      notes: "- Greets.",
      channels: { ...s.channels, homebrew: { ...homebrew, repository: { kind: "local", path: "/project/dist/tap", branch: "main" } } },
    });
  });

  it("leaves the Dockerfile unset when slipway's recipe builds the image", () => {
    const args = releaseArgs(settings(), "/project", NO_NOTES);
    assert.equal(args.dockerfile, undefined);
    assert.equal(args.moduleDir, "/project");
    assert.equal(args.notes, undefined);
  });
});
