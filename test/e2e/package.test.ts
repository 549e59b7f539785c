// slipway as users get it: the npm tarball installed into Go repositories it has never seen, `slipway init`
// (from their .goreleaser.yml where they have one), `slipway release` on the local stack with the real engine,
// BuildKit, a registry and Athens. The real projects come from the Go module proxy exactly as `go install`
// gets them, pinned by version and h1 sum, and are never stored in this repository. Assertions go through
// independent means: sha256sum, tar/unzip listings, running the binaries (arm64 and arm under qemu), the
// registry's HTTP API.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SERIALIZED_PROVIDERS_FILE, SerializedProviders, libDigest } from "../../providers/dynamicResource";
import { fetchGoModule } from "../support/goModule";
import { REGISTRY_BINARY, TestRegistry, freePort, startRegistry } from "../support/registry";
import { indexPlatforms, releaseTagList } from "./support/oci";
import { REPO, Run } from "./support/project";
import { UserRepo, packSlipway } from "./support/userRepo";

interface RealProject {
  readonly name: string;
  readonly path: string;
  readonly version: string;
  readonly sum: string;
  /** What the project's own release does before GoReleaser runs (its `before` hooks), done by hand. */
  readonly prepare?: (dir: string) => void;
  /** The asset platforms released here: a subset of the project's, to keep the run short on 2 cores. */
  readonly platforms: readonly string[];
  readonly imagePlatforms: readonly string[];
  /** Binary → arguments that print its version, and what the output must match for the released version. */
  readonly versionCheck: Readonly<Record<string, { readonly args: readonly string[]; readonly output: RegExp }>>;
  readonly shape: string;
}

const PROJECTS: readonly RealProject[] = [
  {
    name: "fzf",
    path: "github.com/junegunn/fzf",
    version: "v0.65.2",
    sum: "h1:Uz6Qey1K4JoGNMskYlwRDnGuCEu/sAh+NxQ4YdX3yn0=",
    platforms: ["linux/amd64", "linux/arm64", "linux/arm/v7", "openbsd/amd64", "windows/amd64"],
    imagePlatforms: ["linux/amd64", "linux/arm64", "linux/arm/v7"],
    versionCheck: { fzf: { args: ["--version"], output: /^0\.65\.2 \([0-9a-f]{7}\)\n$/ } },
    shape: "arm v5-v7 and openbsd, main.version and main.revision, zip on windows, a name template of its own",
  },
  {
    name: "go-jsonnet",
    path: "github.com/google/go-jsonnet",
    version: "v0.22.0",
    sum: "h1:o0bOAIE+9SIfRZ7FXQPuta0mHLLE0AwbY/L5GTH5CH8=",
    platforms: ["linux/amd64", "linux/arm64", "linux/arm/v6", "windows/amd64"],
    imagePlatforms: ["linux/amd64", "linux/arm64"],
    versionCheck: {
      jsonnet: { args: ["--version"], output: /^Jsonnet commandline interpreter \(Go implementation\) v0\.22\.0\n$/ },
      jsonnetfmt: { args: ["--version"], output: /^Jsonnet reformatter v0\.22\.0\n$/ },
      "jsonnet-lint": { args: ["--version"], output: /^Jsonnet linter v0\.22\.0\n$/ },
      "jsonnet-deps": { args: ["--version"], output: /^Jsonnet static dependency parser v0\.22\.0\n$/ },
    },
    shape: "four binaries from cmd/*, checksums.txt",
  },
  {
    name: "actionlint",
    path: "github.com/rhysd/actionlint",
    version: "v1.7.12",
    sum: "h1:vQ4GeJN86C0QH+gTUQcs8McmK62OLT3kmakPMtEWYnY=",
    // Its release generates the man page from man/actionlint.1.ronn first.
    prepare: (dir) =>
      writeFileSync(
        join(dir, "man", "actionlint.1"),
        '.TH "ACTIONLINT" "1"\n.SH "NAME"\nactionlint - static checker for GitHub Actions workflow files\n',
      ),
    platforms: ["linux/amd64", "linux/arm64", "linux/arm/v6", "freebsd/amd64", "windows/amd64"],
    imagePlatforms: ["linux/amd64", "linux/arm/v6"],
    versionCheck: { actionlint: { args: ["-version"], output: /^1\.7\.12\ninstalled by downloading from release page\n/ } },
    shape: "version in github.com/rhysd/actionlint.version, a build per OS, docs/ and a man page in the archives",
  },
];

/** How the host runs a linux binary of `platform`: natively, or through qemu's binfmt handlers. */
const RUNNABLE = new Set(["linux/amd64", "linux/arm64", "linux/arm/v6", "linux/arm/v7"]);

function listArchive(path: string): string[] {
  const listing = path.endsWith(".zip")
    ? execFileSync("python3", ["-c", "import sys,zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", path], {
        encoding: "utf8",
      })
    : execFileSync("tar", [path.endsWith(".tar.xz") ? "-tJf" : "-tzf", path], { encoding: "utf8" });
  return listing.split("\n").filter((l) => l !== "" && !l.endsWith("/"));
}

function extract(archive: string, member: string, into: string): string {
  mkdirSync(into, { recursive: true });
  if (archive.endsWith(".zip"))
    execFileSync("python3", [
      "-c",
      "import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])",
      archive,
      member,
      into,
    ]);
  else execFileSync("tar", ["-xzf", archive, "-C", into, member]);
  return join(into, member);
}

describe("the installed package in repositories slipway has never seen", { concurrency: false }, () => {
  let tarball: string;
  let registry: TestRegistry;
  const repos: UserRepo[] = [];

  const releaseOk = (run: Run) => assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`.slice(-6000));

  /** Points a stack at the test's registry and a free Athens port. */
  const localServices = async (repo: UserRepo) => {
    const port = await freePort();
    repo.editStack("local", (config) => {
      config["slipway:registries"] = [{ kind: "local", address: registry.address }];
      config["slipway:athens"] = { kind: "local", source: "process", port };
    });
  };

  before(async () => {
    assert.ok(existsSync(REGISTRY_BINARY), "scripts/toolchain.sh install provides docker-registry");
    tarball = packSlipway();
    registry = await startRegistry();
  });

  after(async () => {
    // Stops each stack's Athens; published files, tags and images are retained, never deleted.
    for (const repo of repos) repo.pulumi(["destroy", "--stack", "local", "--yes"]);
    await registry?.stop();
  });

  it("hello: npm install, slipway init, release, verify, and a second update changes nothing", async () => {
    const repo = new UserRepo("hello", join(REPO, "examples", "hello-go"));
    repos.push(repo);
    repo.install(tarball);
    const init = await repo.slipway(["init"]);
    assert.equal(init.code, 0, init.stderr);
    assert.deepEqual(init.stdout.split("\n").slice(0, 4), [
      "wrote Pulumi.yaml",
      "wrote stacks/Pulumi.local.yaml",
      "wrote stacks/Pulumi.release.yaml",
      "wrote .gitignore",
    ]);
    assert.equal(
      (await repo.slipway(["init"])).stdout.split("\n").filter((l) => l.startsWith("unchanged ")).length,
      4,
      "init is idempotent",
    );
    await localServices(repo);

    releaseOk(await repo.slipway(["release", "0.1.0", "--stack", "local", "--yes"]));
    const dir = join(repo.dir, "dist", "releases", "0.1.0");
    assert.match(
      execFileSync("sha256sum", ["--check", "SHA256SUMS"], { cwd: dir, encoding: "utf8" }),
      /hello-go_0\.1\.0_linux_amd64\.tar\.gz: OK/,
    );
    assert.deepEqual(listArchive(join(dir, "hello-go_0.1.0_linux_amd64.tar.gz")).sort(), ["CHANGELOG.md", "hello-go"]);
    assert.equal(execFileSync(join(dir, "hello-go_0.1.0_linux_amd64"), ["-version"], { encoding: "utf8" }), "0.1.0\n");
    // Release tags (and cosign's signature tags) only: the BuildKit cache lives in hello-go-cache.
    const releaseTags = await releaseTagList(registry.address, "hello-go");
    assert.deepEqual(
      releaseTags,
      [
        "latest",
        `sha-${execFileSync("git", ["rev-parse", "--short=7", "HEAD"], { cwd: repo.dir, encoding: "utf8" }).trim()}`,
        "v0",
        "v0.1",
        "v0.1.0",
      ].sort(),
    );
    // State, passphrase and build output live in the user's repository, nothing in the installed package.
    assert.ok(existsSync(join(repo.dir, ".slipway", "state", ".pulumi", "stacks")));
    assert.ok(existsSync(join(repo.dir, ".slipway", "passphrase")));
    assert.deepEqual(readdirSync(join(repo.dir, "node_modules", "slipway")).sort(), [
      "README.md",
      "bin",
      "lib",
      "package.json",
      "scripts",
      "tools",
    ]);
    // Every dynamic resource ran in the installed launcher that init's Pulumi.yaml names: the engine stops with
    // "no folder at path" when a named plugin directory is missing.
    assert.match(readFileSync(join(repo.dir, "Pulumi.yaml"), "utf8"), /\n {6}path: node_modules\/slipway\/bin\/dynamic-provider\n/);
    accessSync(join(repo.dir, "node_modules", "slipway", "bin", "dynamic-provider", "pulumi-resource-pulumi-nodejs"), constants.X_OK);
    // And node loaded the installed preload before the run harness: node stops with "Cannot find module" when a
    // --require of nodeargs is missing.
    assert.match(readFileSync(join(repo.dir, "Pulumi.yaml"), "utf8"), /\n {4}nodeargs: --require \.\.\/bin\/program-preload\.cjs\n/);
    accessSync(join(repo.dir, "node_modules", "slipway", "bin", "program-preload.cjs"), constants.R_OK);
    // The installed package's build serialised its providers, and this update stored those texts: no provider
    // was serialised at run time (providers/dynamicResource.ts).
    const installedLib = join(repo.dir, "node_modules", "slipway", "lib");
    const serialized = JSON.parse(readFileSync(join(installedLib, "providers", SERIALIZED_PROVIDERS_FILE), "utf8")) as SerializedProviders;
    assert.equal(serialized.libDigest, libDigest(installedLib));
    const texts = new Set(serialized.providers.map((p) => p.text));
    const state = JSON.parse(repo.pulumi(["stack", "export", "--stack", "local"])) as {
      deployment: { resources: { type: string; inputs?: { __provider?: unknown } }[] };
    };
    const dynamic = state.deployment.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
    assert.ok(dynamic.length > 10, `${dynamic.length} dynamic resources`);
    for (const resource of dynamic)
      assert.ok(texts.has(String(resource.inputs?.__provider)), `${resource.type} stored a text the build did not write`);

    const verify = await repo.slipway(["verify", "0.1.0", "--stack", "local"]);
    assert.equal(verify.code, 0, verify.stdout);
    const again = await repo.slipway(["preview", "--stack", "local", "--markdown"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /0 to create · 0 to update · 0 to replace · 0 to delete/);
  });

  for (const project of PROJECTS) {
    it(`${project.name} ${project.version}: init --from-goreleaser, release, verify (${project.shape})`, async () => {
      const repo = new UserRepo(project.name, fetchGoModule(project.path, project.version, project.sum), project.prepare);
      repos.push(repo);
      repo.install(tarball);
      const init = await repo.slipway(["init", "--from-goreleaser"]);
      assert.ok(init.code === 0 || init.code === 3, `init exited ${init.code}: ${init.stderr}`);
      assert.match(init.stdout, /GoReleaser settings mapped/);
      await localServices(repo);
      repo.editStack("local", (config) => {
        const keep = (list: unknown) => (list as string[]).filter((p) => project.platforms.includes(p));
        if (Array.isArray(config["slipway:platforms"])) config["slipway:platforms"] = keep(config["slipway:platforms"]);
        const builds = config["slipway:builds"] as { platforms?: string[] }[] | undefined;
        if (builds !== undefined) {
          config["slipway:builds"] = builds
            .map((b) => (b.platforms === undefined ? b : { ...b, platforms: keep(b.platforms) }))
            .filter((b) => b.platforms === undefined || b.platforms.length > 0);
        }
        config["slipway:imagePlatforms"] = [...project.imagePlatforms];
      });

      const version = project.version.slice(1);
      releaseOk(await repo.slipway(["release", version, "--stack", "local", "--yes"]));
      const verify = await repo.slipway(["verify", version, "--stack", "local", "--json"]);
      assert.equal(verify.code, 0, verify.stdout);
      assert.equal((JSON.parse(verify.stdout) as { ok: boolean }).ok, true, "slipway verify passes");

      const dir = join(repo.dir, "dist", "releases", version);
      // The supply chain's files (SBOMs, keys, the checksums bundle, provenance) are outside the checksums file.
      const files = readdirSync(dir).filter((f) => !/\.cdx\.json$|\.cosign\.bundle$|^cosign\.pub$|^provenance\.intoto\.jsonl$/.test(f));
      const checksums = files.find((f) => /checksums|SHA256SUMS/.test(f)) ?? "";
      const sums = execFileSync("sha256sum", ["--check", checksums], { cwd: dir, encoding: "utf8" });
      assert.equal(sums.trim().split("\n").length, files.length - 1, "every other file is listed and matches");

      const plan = JSON.parse(repo.pulumi(["stack", "output", "releasePlan", "--stack", "local", "--json"])) as {
        assets: {
          archives: { name: string; platform: string; directory: string | null; binaries: string[] }[];
          binaries: { file: string; executable: string; platform: string }[];
        };
      };
      const extraFiles =
        (
          JSON.parse(repo.pulumi(["stack", "export", "--stack", "local"])) as {
            deployment: { resources: { type: string; inputs?: { extraFiles?: { target: string }[] } }[] };
          }
        ).deployment.resources
          .find((r) => r.type.endsWith("GoBuild"))
          ?.inputs?.extraFiles?.map((f) => f.target) ?? [];
      for (const archive of plan.assets.archives) {
        const prefix = archive.directory === null ? "" : `${archive.directory}/`;
        const executables = archive.binaries.map((file) => plan.assets.binaries.find((b) => b.file === file)?.executable ?? file);
        assert.deepEqual(
          listArchive(join(dir, archive.name)).sort(),
          [...executables, ...extraFiles].map((f) => `${prefix}${f}`).sort(),
          archive.name,
        );
        if (!RUNNABLE.has(archive.platform)) continue;
        for (const [binary, check] of Object.entries(project.versionCheck)) {
          const executable = extract(
            join(dir, archive.name),
            `${prefix}${binary}`,
            join(dir, "..", "..", "run", archive.platform.replace(/\//g, "_")),
          );
          assert.match(execFileSync(executable, [...check.args], { encoding: "utf8" }), check.output, `${binary} on ${archive.platform}`);
        }
      }
      assert.ok(plan.assets.archives.length >= project.platforms.length - 1, "one archive per released platform");
      assert.deepEqual(
        Object.keys(await indexPlatforms(registry.address, project.name, `v${version}`)).sort(),
        [...project.imagePlatforms].sort(),
      );

      const noop = await repo.slipway(["preview", "--stack", "local", "--markdown"]);
      assert.equal(noop.code, 0, noop.stderr);
      assert.match(noop.stdout, /0 to create · 0 to update · 0 to replace · 0 to delete/);
    });
  }
});
