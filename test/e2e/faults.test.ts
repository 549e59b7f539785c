// Faults during a real release of the local stack: after each one and its documented recovery, every
// planned tag points at the right digest, every asset exists exactly once with the right checksum, and
// the stack has nothing left to do.
import assert from "node:assert/strict";
import { ChildProcess, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { REGISTRY_BINARY, TestRegistry, freePort, startRegistry } from "../support/registry";
import { BUILDKITD_BINARY, TestBuildkit, cacheRecords, startBuildkit } from "./support/buildkit";
import { digestOf } from "./support/oci";
import { Checkout } from "./support/project";

const REPOSITORY = "hello";
const commitFor = (version: string) => createCommit(version);

function createCommit(version: string): string {
  return (version.replace(/\D/g, "") + "c0ffee".repeat(8)).slice(0, 40);
}

/** Kills a process group (the pulumi CLI with its language host and providers) with SIGKILL. */
function killGroup(child: ChildProcess): void {
  if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
}

describe("faults during a release", { concurrency: false }, () => {
  let project: Checkout;
  let registry: TestRegistry;
  // Its own BuildKit: the toolchain's daemon serves other checkouts and tests, and is never stopped here.
  let buildkit: TestBuildkit;

  const setVersion = (version: string) => {
    project.ok("config", "set", "--stack", "local", "slipway:version", version);
    project.ok("config", "set", "--stack", "local", "slipway:commit", commitFor(version));
  };
  const up = () => project.ok("up", "--stack", "local", "--yes", "--skip-preview");

  /** What must hold after any fault and its recovery. */
  const assertReleased = async (version: string, floating: readonly string[]) => {
    const dir = join(project.dir, "dist", "releases", version);
    assert.equal(readdirSync(dir).length, 19, "every asset exactly once (10 in SHA256SUMS, 5 SBOMs, 3 more of signing)");
    execFileSync("sha256sum", ["--check", "--strict", "SHA256SUMS"], { cwd: dir });
    const exact = await digestOf(registry.address, REPOSITORY, `v${version}`);
    assert.ok(exact !== undefined, `v${version} exists`);
    assert.equal(await digestOf(registry.address, REPOSITORY, `sha-${commitFor(version).slice(0, 7)}`), exact);
    for (const tag of floating) assert.equal(await digestOf(registry.address, REPOSITORY, tag), exact, tag);
    project.ok("preview", "--stack", "local", "--expect-no-changes");
    assert.deepEqual(
      readdirSync(join(project.dir, "dist", "releases")).filter((d) => d.startsWith(".draft")),
      [],
      "no draft left behind",
    );
  };

  before(async () => {
    assert.ok(existsSync(REGISTRY_BINARY), "scripts/toolchain.sh install provides docker-registry");
    assert.ok(existsSync(BUILDKITD_BINARY), "scripts/toolchain.sh install provides buildkitd");
    buildkit = await startBuildkit();
    project = new Checkout(randomBytes(16).toString("hex"), buildkit.env);
    registry = await startRegistry();
    project.ok("stack", "init", "local", "--secrets-provider", "passphrase");
    project.ok("config", "set", "--stack", "local", "--path", "slipway:registries[0].address", registry.address);
    project.ok("config", "set", "--stack", "local", "--path", "slipway:athens.port", String(await freePort()), "--type", "int");
    setVersion("1.4.0");
    up();
  });

  after(async () => {
    project?.pulumi("destroy", "--stack", "local", "--yes");
    await registry?.stop();
    await buildkit?.stop();
    if (buildkit !== undefined) rmSync(buildkit.dir, { recursive: true, force: true });
  });

  it("the engine killed with SIGKILL mid-update: pulumi cancel, refresh and up finish the release", async () => {
    setVersion("1.4.1");
    const killed = await project.pulumiInBackground(["up", "--stack", "local", "--yes", "--skip-preview"], (output, child) => {
      if (/hello-binaries-build updating/.test(output) && child.exitCode === null && child.signalCode === null) killGroup(child);
    });
    assert.equal(killed.signal, "SIGKILL", killed.output.slice(-2000));
    const locked = project.pulumi("up", "--stack", "local", "--yes", "--skip-preview");
    assert.notEqual(locked.code, 0);
    assert.match(locked.output, /locked/);
    project.ok("cancel", "--stack", "local", "--yes");
    project.ok("refresh", "--stack", "local", "--yes", "--clear-pending-creates");
    up();
    await assertReleased("1.4.1", ["latest", "v1", "v1.4"]);
  });

  it("BuildKit restarted between two releases", async () => {
    assert.ok(cacheRecords(buildkit) > 0, "the releases so far were built by the suite's own BuildKit");
    await buildkit.stop();
    buildkit = await startBuildkit(buildkit);
    setVersion("1.4.2");
    up();
    await assertReleased("1.4.2", ["latest", "v1", "v1.4"]);
  });

  it("Athens killed before the module download: the update fails naming the proxy, the next one restarts Athens", async () => {
    const state = JSON.parse(project.ok("stack", "export", "--stack", "local")) as {
      deployment: { resources: { type: string; outputs?: { pid?: number } }[] };
    };
    const pid = state.deployment.resources.find((r) => r.type.endsWith(":LocalAthens"))?.outputs?.pid;
    assert.ok(typeof pid === "number");
    process.kill(pid, "SIGKILL");
    rmSync(join(project.dir, "dist", "build", ".cache"), { recursive: true, force: true });
    setVersion("1.4.3");
    const failed = project.pulumi("up", "--stack", "local", "--yes", "--skip-preview", "--target", "**GoBuild::hello-binaries-build");
    assert.notEqual(failed.code, 0);
    assert.match(failed.output, /module download through the Go proxy http:\/\/127\.0\.0\.1:\d+ failed/);
    up();
    await assertReleased("1.4.3", ["latest", "v1", "v1.4"]);
  });

  it("the registry killed in the middle of a push: after a restart a re-run completes the images once", async () => {
    setVersion("1.4.4");
    const interrupted = await project.pulumiInBackground(
      ["up", "--stack", "local", "--yes", "--skip-preview", "--continue-on-error"],
      (output) => {
        if (
          /hello-image-build-linux-\S+ (creating|updating)/.test(output) &&
          registry.process.exitCode === null &&
          registry.process.signalCode === null
        )
          registry.process.kill("SIGKILL");
      },
    );
    assert.notEqual(interrupted.code, 0, "the image branch fails");
    assert.ok(existsSync(join(project.dir, "dist", "releases", "1.4.4", "SHA256SUMS")), "the release branch finished");
    registry = await startRegistry(registry);
    const locks = execFileSync("find", [join(project.state, ".pulumi", "locks"), "-name", "*.json"], { encoding: "utf8" }).trim();
    assert.equal(locks, "", `a failed update leaves no lock behind:\n${interrupted.output.slice(-4000)}`);
    up();
    await assertReleased("1.4.4", ["latest", "v1", "v1.4"]);
    for (const version of ["1.4.0", "1.4.1", "1.4.2", "1.4.3"]) {
      assert.ok((await digestOf(registry.address, REPOSITORY, `v${version}`)) !== undefined, `v${version} is kept`);
    }
  });
});
