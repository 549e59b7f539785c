// The slipway CLI end to end on the `local` stack of a fresh checkout: the real engine through the
// Automation API, a private registry, BuildKit and Athens. Assertions go through independent means: the
// registry's HTTP API and sha256 of the files on disk.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { REGISTRY_BINARY, TestRegistry, freePort, startRegistry } from "../support/registry";
import { digestOf, sha256File, tagList } from "./support/oci";
import { Checkout, Run, pulumiHome, runNodeScript, toolchainEnv } from "./support/project";

describe("slipway CLI on the local stack", { concurrency: false }, () => {
  const passphrase = randomBytes(16).toString("hex");
  let project: Checkout;
  let registry: TestRegistry;
  let env: Record<string, string>;

  /** Runs the checkout's own bin/slipway.js in the checkout, as a user would, not on a terminal. */
  const slipway = (...args: string[]): Promise<Run> =>
    runNodeScript(join(project.dir, "bin", "slipway.js"), args, { cwd: project.dir, env });
  const releaseDir = () => join(project.dir, "dist", "releases", "1.4.0");

  before(async () => {
    assert.ok(existsSync(REGISTRY_BINARY), "scripts/toolchain.sh install provides docker-registry");
    // BuildKit keys a COPY from the local context by file metadata (size, mode, mtime), not content, and the
    // build stamps every binary with the commit time: another run's same-size binary for another version
    // would be reused from the shared cache. verify catches exactly that; start from an empty cache.
    const pruned = spawnSync("buildctl", ["prune", "--all"], { env: { ...process.env, ...toolchainEnv() }, encoding: "utf8" });
    assert.equal(pruned.status, 0, `buildctl prune: ${pruned.stderr}`);
    project = new Checkout(passphrase);
    registry = await startRegistry();
    project.ok("stack", "init", "local", "--secrets-provider", "passphrase");
    project.ok("config", "set", "--stack", "local", "--path", "slipway:registries[0].address", registry.address);
    project.ok("config", "set", "--stack", "local", "--path", "slipway:athens.port", String(await freePort()), "--type", "int");
    env = {
      ...(process.env as Record<string, string>),
      ...toolchainEnv(),
      CI: "true",
      PULUMI_BACKEND_URL: `file://${project.state}`,
      PULUMI_CONFIG_PASSPHRASE: passphrase,
      PULUMI_HOME: pulumiHome(join(dirname(project.dir), "pulumi-home")),
    };
  });

  after(async () => {
    project?.pulumi("destroy", "--stack", "local", "--yes");
    await registry?.stop();
  });

  it("1. release --dry-run previews and publishes nothing", async () => {
    const run = await slipway("release", "1.4.0", "--stack", "local", "--dry-run");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^slipway release 1\.4\.0 on local \(commit 5a8b7c3d1e2f\): dry run \(nothing changed\)/);
    assert.match(run.stdout, /resources: 42 to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged/);
    assert.match(run.stderr, /tag 127\.0\.0\.1:\d+\/hello:v1\.4\.0: \(none\) -> \(new build\)/);
    assert.deepEqual(await tagList(registry.address, "hello"), []);
    assert.equal(existsSync(releaseDir()), false);
  });

  it("2. release --yes publishes and ends with the summary of tags, assets and location", async () => {
    const run = await slipway("release", "1.4.0", "--stack", "local", "--yes");
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /: released in /);
    const index = await digestOf(registry.address, "hello", "v1.4.0");
    assert.ok(index !== undefined);
    for (const tag of ["latest", "sha-5a8b7c3", "v1", "v1.4", "v1.4.0"]) {
      assert.match(run.stdout, new RegExp(`^local\\s+${tag.replace(/\./g, "\\.")}\\s+${index}$`, "m"), tag);
    }
    for (const file of readdirSync(releaseDir())) {
      assert.match(run.stdout, new RegExp(`^${file.replace(/\./g, "\\.")}\\s+${sha256File(join(releaseDir(), file))}$`, "m"), file);
    }
    assert.match(run.stdout, new RegExp(`^release: ${releaseDir().replace(/\./g, "\\.")}$`, "m"));
    assert.match(run.stderr, /^\[\d+\/46\] [^\n]*created slipway:RegistryTag hello-image-local-immutable-0$/m, "plain progress lines");
  });

  it("3. preview --markdown then reports no changes", async () => {
    const run = await slipway("preview", "--stack", "local", "--markdown");
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.startsWith("<!-- slipway-preview -->\n"));
    assert.match(run.stdout, /\*\*0 to create · 0 to update · 0 to replace · 0 to delete · 42 unchanged\*\*/);
    assert.match(run.stdout, /No changes: the stack already matches this release\./);
  });

  it("4. verify passes on the published release", async () => {
    const run = await slipway("verify", "1.4.0", "--stack", "local");
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /^verified: \d+ checks passed$/m);
    assert.match(run.stdout, /\[ok\] {3}local linux\/arm64 image binary = hello_1\.4\.0_linux_arm64/);
    const json = await slipway("verify", "1.4.0", "--stack", "local", "--json");
    const report = JSON.parse(json.stdout) as { ok: boolean; items: { status: string }[] };
    assert.equal(report.ok, true);
    assert.ok(report.items.length >= 20);
  });

  it("5. verify fails naming a broken asset", async () => {
    appendFileSync(join(releaseDir(), "hello_1.4.0_linux_amd64.tar.gz"), "tampered");
    const run = await slipway("verify", "1.4.0", "--stack", "local");
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /^\[FAIL\] hello_1\.4\.0_linux_amd64\.tar\.gz matches SHA256SUMS: hello_1\.4\.0_linux_amd64\.tar\.gz hashes to [0-9a-f]{64}, SHA256SUMS says [0-9a-f]{64}$/m,
    );
    assert.match(run.stdout, /^NOT verified: 1 of \d+ checks failed$/m);
  });
});
