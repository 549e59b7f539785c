// End to end, as a user would: the real pulumi CLI on the `local` stack of a fresh checkout, a real
// registry, BuildKit and Athens. Every assertion goes through an independent means: the registry's HTTP
// API, sha256sum, running binaries and images (runc), the state file.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { REGISTRY_BINARY, TestRegistry, freePort, startRegistry } from "../support/registry";
import { digestOf, indexPlatforms, releaseTagList, runImage, sha256File, tagList, unpackImage } from "./support/oci";
import { Checkout, toolchainEnv } from "./support/project";

const COMMIT_140 = "5a8b7c3d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b";
const COMMIT_139 = "1394c0ffee1394c0ffee1394c0ffee1394c0ffee";
const COMMIT_RC = "15c0ffee15c0ffee15c0ffee15c0ffee15c0ffee";
const COMMIT_141 = "141c0ffee141c0ffee141c0ffee141c0ffee1410";
const REPOSITORY = "hello";
const PLATFORMS = ["darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64", "windows_amd64"];

describe("pulumi up --stack local", { concurrency: false }, () => {
  const passphrase = randomBytes(16).toString("hex");
  let project: Checkout;
  let registry: TestRegistry;
  let athensPort: number;
  const digests: Record<string, string> = {};

  const releaseDir = (version: string) => join(project.dir, "dist", "releases", version);
  const release = (version: string, commit: string, ...flags: string[]) => {
    project.ok("config", "set", "--stack", "local", "slipway:version", version);
    project.ok("config", "set", "--stack", "local", "slipway:commit", commit);
    return project.ok("up", "--stack", "local", "--yes", "--skip-preview", ...flags);
  };

  before(async () => {
    assert.ok(existsSync(REGISTRY_BINARY), "scripts/toolchain.sh install provides docker-registry");
    project = new Checkout(passphrase);
    registry = await startRegistry();
    athensPort = await freePort();
    project.ok("stack", "init", "local", "--secrets-provider", "passphrase");
    project.ok("config", "set", "--stack", "local", "--path", "slipway:registries[0].address", registry.address);
    project.ok("config", "set", "--stack", "local", "--path", "slipway:athens.port", String(athensPort), "--type", "int");
  });

  after(async () => {
    project?.pulumi("destroy", "--stack", "local", "--yes");
    await registry?.stop();
  });

  it("1. releases v1.4.0: assets with correct checksums, a two-platform image under every tag, runnable", async () => {
    release("1.4.0", COMMIT_140);
    const dir = releaseDir("1.4.0");
    assert.deepEqual(
      readdirSync(dir).sort(),
      [
        "SHA256SUMS",
        // Signing, SBOMs and provenance are on by default (test/e2e/supplyChain.test.ts checks them).
        "SHA256SUMS.cosign.bundle",
        "cosign.pub",
        "provenance.intoto.jsonl",
        ...PLATFORMS.flatMap((p) => {
          const stem = `hello_1.4.0_${p}`;
          return p.startsWith("windows")
            ? [`${stem}.exe`, `${stem}.exe.cdx.json`, `${stem}.zip`]
            : [stem, `${stem}.cdx.json`, `${stem}.tar.gz`];
        }),
      ].sort(),
    );
    const check = execFileSync("sha256sum", ["--check", "--strict", "SHA256SUMS"], { cwd: dir, encoding: "utf8" });
    assert.equal(check.trim().split("\n").length, 10);
    assert.equal(execFileSync(join(dir, "hello_1.4.0_linux_amd64"), ["-version"], { encoding: "utf8" }), "1.4.0\n");

    // Release tags and cosign's signature tags only: the build cache went to its own repository.
    assert.deepEqual(await releaseTagList(registry.address, REPOSITORY), ["latest", "sha-5a8b7c3", "v1", "v1.4", "v1.4.0"]);
    assert.deepEqual(
      await tagList(registry.address, `${REPOSITORY}-cache`),
      ["buildkit-linux-amd64", "buildkit-linux-arm64"],
      "one cache per image platform",
    );
    const index = await digestOf(registry.address, REPOSITORY, "v1.4.0");
    assert.ok(index !== undefined);
    assert.ok((await tagList(registry.address, REPOSITORY)).includes(`${index.replace(":", "-")}.sig`), "the index is signed");
    digests["1.4.0"] = index;
    for (const tag of ["latest", "sha-5a8b7c3", "v1", "v1.4"]) assert.equal(await digestOf(registry.address, REPOSITORY, tag), index, tag);
    const platforms = await indexPlatforms(registry.address, REPOSITORY, "v1.4.0");
    assert.deepEqual(Object.keys(platforms).sort(), ["linux/amd64", "linux/arm64"]);
    for (const [platform, manifest] of Object.entries(platforms)) {
      const image = await unpackImage(registry.address, REPOSITORY, manifest);
      const arch = platform.split("/")[1] ?? "";
      assert.equal(
        sha256File(join(image.rootfs, "hello")),
        sha256File(join(dir, `hello_1.4.0_linux_${arch}`)),
        `${platform} binary is the release asset`,
      );
      if (arch === "amd64" || existsSync(`/proc/sys/fs/binfmt_misc/qemu-${arch === "arm64" ? "aarch64" : arch}`)) {
        assert.equal(runImage(image, ["-version"]), "1.4.0\n", `${platform} image runs`);
      } else {
        process.stdout.write(`# ${platform} image not run: no user-mode emulation registered for it\n`);
      }
    }
  });

  it("2. a second pulumi up changes nothing and rebuilds nothing", () => {
    const before140 = sha256File(join(project.dir, "dist", "build", "hello", "hello_1.4.0_linux_amd64"));
    const output = project.ok("up", "--stack", "local", "--yes", "--skip-preview");
    assert.match(output, /Resources:\n\s+\d+ unchanged\n/);
    project.ok("preview", "--stack", "local", "--expect-no-changes");
    const policy = project.ok("preview", "--stack", "local", "--policy-pack", "policy");
    assert.match(policy, /✅ slipway@v0\.1\.0/, "the policy pack runs and passes");
    const history = JSON.parse(project.ok("stack", "history", "--stack", "local", "--json")) as {
      resourceChanges?: Record<string, number>;
    }[];
    // `read` is the stack reading its own record of earlier releases; nothing is created, updated or deleted.
    assert.deepEqual(Object.keys(history[0]?.resourceChanges ?? {}).sort(), ["read", "same"]);
    assert.equal(sha256File(join(project.dir, "dist", "build", "hello", "hello_1.4.0_linux_amd64")), before140);
  });

  it("3. a hotfix v1.3.9 after v1.4.0 moves v1.3 only", async () => {
    release("1.3.9", COMMIT_139);
    const hotfix = await digestOf(registry.address, REPOSITORY, "v1.3.9");
    assert.ok(hotfix !== undefined && hotfix !== digests["1.4.0"]);
    assert.equal(await digestOf(registry.address, REPOSITORY, "v1.3"), hotfix);
    for (const tag of ["latest", "v1", "v1.4", "v1.4.0"])
      assert.equal(await digestOf(registry.address, REPOSITORY, tag), digests["1.4.0"], tag);
    assert.ok(existsSync(join(releaseDir("1.4.0"), "SHA256SUMS")), "the earlier release is kept");
  });

  it("4. a prerelease 1.5.0-rc.1 publishes only its exact and commit tags", async () => {
    const before = await releaseTagList(registry.address, REPOSITORY);
    release("1.5.0-rc.1", COMMIT_RC);
    const added = (await releaseTagList(registry.address, REPOSITORY)).filter((t) => !before.includes(t));
    assert.deepEqual(added, ["sha-15c0ffe", "v1.5.0-rc.1"]);
    for (const tag of ["latest", "v1"]) assert.equal(await digestOf(registry.address, REPOSITORY, tag), digests["1.4.0"], tag);
  });

  it("5. is hermetic: modules come through Athens; with Athens stopped and caches cleared the build fails fast naming the proxy", () => {
    const storage = join(project.dir, ".slipway", "athens", "storage");
    assert.ok(existsSync(join(storage, "github.com", "google", "uuid", "v1.6.0", "source.zip")), "Athens stored the example's dependency");
    const state = JSON.parse(project.ok("stack", "export", "--stack", "local")) as {
      deployment: { resources: { type: string; urn: string; outputs?: Record<string, unknown> }[] };
    };
    const build = state.deployment.resources.find((r) => r.type.endsWith(":GoBuild"));
    assert.match(String(build?.outputs?.compileIsolation), /unshare --net/);

    const athens = state.deployment.resources.find((r) => r.type.endsWith(":LocalAthens"));
    const pid = Number((athens?.outputs as { pid?: number } | undefined)?.pid);
    assert.ok(pid > 0, "the stack runs its own Athens");
    process.kill(pid, "SIGTERM");
    rmSync(join(project.dir, "dist", "build", ".cache"), { recursive: true, force: true });
    project.ok("config", "set", "--stack", "local", "slipway:version", "1.5.0-rc.2");
    const started = Date.now();
    const run = project.pulumi("up", "--stack", "local", "--yes", "--skip-preview", "--target", build?.urn ?? "");
    assert.notEqual(run.code, 0);
    assert.match(run.output, new RegExp(`module download through the Go proxy http://127\\.0\\.0\\.1:${athensPort} failed`));
    assert.ok(Date.now() - started < 120_000, "fails fast");
    project.ok("config", "set", "--stack", "local", "slipway:version", "1.5.0-rc.1");
  });

  it("6. is deterministic: the same commit from empty caches gives identical binaries, per-platform image digests, SBOMs and provenance", async () => {
    const first = Object.fromEntries(
      PLATFORMS.map((p) => [p, sha256File(join(releaseDir("1.4.0"), `hello_1.4.0_${p}${p.startsWith("windows") ? ".exe" : ""}`))]),
    );
    const platforms140 = await indexPlatforms(registry.address, REPOSITORY, "v1.4.0");
    const twin = new Checkout(passphrase);
    twin.ok("stack", "init", "local", "--secrets-provider", "passphrase");
    twin.ok("config", "set", "--stack", "local", "--path", "slipway:registries[0].address", registry.address);
    twin.ok("config", "set", "--stack", "local", "slipway:imageName", "hello-twin");
    twin.ok("config", "set", "--stack", "local", "--path", "slipway:athens.port", String(await freePort()), "--type", "int");
    const pruned = spawnSync("buildctl", ["prune", "--all"], { env: { ...process.env, ...toolchainEnv() }, encoding: "utf8" });
    assert.equal(pruned.status, 0, `buildctl prune: ${pruned.stderr}`);
    twin.ok("up", "--stack", "local", "--yes", "--skip-preview");
    try {
      for (const p of PLATFORMS) {
        const file = `hello_1.4.0_${p}${p.startsWith("windows") ? ".exe" : ""}`;
        assert.equal(sha256File(join(twin.dir, "dist", "releases", "1.4.0", file)), first[p], file);
      }
      assert.deepEqual(await indexPlatforms(registry.address, "hello-twin", "v1.4.0"), platforms140);
      // The supply-chain evidence is reproducible too: the same SBOM bytes, and the same provenance but for the
      // address of each checkout's own Athens (a port of this machine).
      for (const p of PLATFORMS) {
        const sbom = `hello_1.4.0_${p}${p.startsWith("windows") ? ".exe" : ""}.cdx.json`;
        assert.equal(sha256File(join(twin.dir, "dist", "releases", "1.4.0", sbom)), sha256File(join(releaseDir("1.4.0"), sbom)), sbom);
      }
      const provenance = (dir: string) =>
        readFileSync(join(dir, "provenance.intoto.jsonl"), "utf8").replace(/http:\/\/127\.0\.0\.1:\d+/g, "http://127.0.0.1:<athens>");
      assert.equal(provenance(join(twin.dir, "dist", "releases", "1.4.0")), provenance(releaseDir("1.4.0")));
    } finally {
      twin.pulumi("destroy", "--stack", "local", "--yes");
    }
  });

  it("7. isolates failures: with the registry down the assets still publish; afterwards a re-run completes the images once", async () => {
    await registry.stop();
    project.ok("config", "set", "--stack", "local", "slipway:version", "1.4.1");
    project.ok("config", "set", "--stack", "local", "slipway:commit", COMMIT_141);
    const failed = project.pulumi("up", "--stack", "local", "--yes", "--skip-preview", "--continue-on-error");
    assert.notEqual(failed.code, 0, "the image branch fails");
    const failures = failed.output.split("\n").filter((line) => /error|fail|skipp/i.test(line));
    assert.ok(existsSync(join(releaseDir("1.4.1"), "SHA256SUMS")), `the release branch finished:\n${failures.join("\n")}`);
    execFileSync("sha256sum", ["--check", "--strict", "SHA256SUMS"], { cwd: releaseDir("1.4.1") });
    registry = await startRegistry(registry);
    project.ok("up", "--stack", "local", "--yes", "--skip-preview");
    assert.equal(await digestOf(registry.address, REPOSITORY, "latest"), await digestOf(registry.address, REPOSITORY, "v1.4.1"));
    // 1.4.1 has the commit time of 1.4.0, so its binaries match 1.4.0's in size, mode and time: the image
    // must still carry 1.4.1's own binary.
    const amd64 = (await indexPlatforms(registry.address, REPOSITORY, "v1.4.1"))["linux/amd64"] ?? "";
    const image = await unpackImage(registry.address, REPOSITORY, amd64);
    assert.equal(sha256File(join(image.rootfs, "hello")), sha256File(join(releaseDir("1.4.1"), "hello_1.4.1_linux_amd64")));
    assert.equal(runImage(image, ["-version"]), "1.4.1\n");
    assert.equal(readdirSync(releaseDir("1.4.1")).length, 19, "every asset exactly once (10 in SHA256SUMS, 5 SBOMs, 3 more of signing)");
    assert.deepEqual(readdirSync(join(project.dir, "dist", "releases")).sort(), ["1.3.9", "1.4.0", "1.4.1", "1.5.0-rc.1"]);
  });

  it("8. keeps generated secrets out of the state file and the engine's output in plain text", () => {
    const exported = JSON.parse(project.ok("stack", "export", "--stack", "local", "--show-secrets")) as {
      deployment: { resources: { type: string; outputs?: { value?: unknown } }[] };
    };
    // With --show-secrets a secret is exported as {<signature>: …, plaintext: "<JSON of the value>"}.
    const secrets = exported.deployment.resources
      .filter((r) => r.type.endsWith(":RandomSecret"))
      .map((r) => r.outputs?.value as { plaintext?: string } | undefined)
      .map((v) => (typeof v?.plaintext === "string" ? (JSON.parse(v.plaintext) as unknown) : undefined))
      .filter((v): v is string => typeof v === "string" && v.length >= 16);
    assert.ok(secrets.length >= 2, "the stack generated secrets");
    const stateFiles = execFileSync("find", [project.state, "-name", "*.json"], { encoding: "utf8" }).trim().split("\n");
    const state = stateFiles.map((f) => readFileSync(f, "utf8")).join("\n");
    const output =
      project.ok("up", "--stack", "local", "--yes", "--skip-preview", "--diff") +
      project.ok("stack", "output", "--stack", "local", "--json");
    for (const secret of secrets) {
      assert.equal(state.includes(secret), false, "secret in the state file");
      assert.equal(output.includes(secret), false, "secret in the engine output");
    }
  });
});
