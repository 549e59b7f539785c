// Real Go builds of examples/hello-go through a real Athens: hermetic downloads, reproducible output.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { missingFromDiskStorage } from "../../plan/athensSealedStorage";
import { archiveTargets, buildTargets } from "../../plan/goBuild";
import { planRelease } from "../../plan/releasePlan";
import { GoBuildInputs, buildGoRelease, goBuildProvider, outputsIntact, GoBuildOutputs, probeUnshare } from "../../providers/goBuild";
import { ATHENS_BINARY, TestAthens, startAthens } from "../support/athens";
import { requireTool } from "../support/registry";
import { COMMIT, releaseInput } from "../support/release";

const MODULE = join(__dirname, "..", "..", "examples", "hello-go");
const plan = planRelease(releaseInput({ platforms: ["linux/amd64", "linux/arm64", "windows/amd64"] }));

function inputs(goproxy: string, root: string): GoBuildInputs {
  return {
    moduleDir: MODULE,
    outputDir: join(root, "out"),
    cacheDir: join(root, "cache"),
    goVersion: "test",
    sourceHash: "test",
    commitEpoch: plan.commit.sourceDateEpoch,
    targets: buildTargets(plan),
    archives: archiveTargets(plan),
    extraFiles: [{ source: "CHANGELOG.md", target: "CHANGELOG.md" }],
    publishedBinaries: plan.assets.binaries.map((b) => b.file),
    imagePlatforms: [...plan.image.platforms],
    checksumsFile: plan.assets.checksums.file,
    checksumOrder: [...plan.assets.checksums.order],
    goproxy,
  };
}

describe("hermetic Go release build", () => {
  let athens: TestAthens | undefined;
  let first: GoBuildOutputs | undefined;

  before(async () => {
    if (existsSync(ATHENS_BINARY)) athens = await startAthens();
  });
  after(async () => athens?.stop());

  it("downloads modules only through Athens and builds every platform with checksums", async (t) => {
    if (!requireTool(t, ATHENS_BINARY, "Athens")) return;
    const url = athens?.url ?? "";
    first = await buildGoRelease(inputs(url, mkdtempSync(join(tmpdir(), "slipway-gobuild-"))));
    assert.deepEqual(first.modules, ["github.com/google/uuid@v1.6.0"]);
    assert.ok(existsSync(join(athens?.storage ?? "", "github.com", "google", "uuid", "v1.6.0", "source.zip")), "Athens stored the module");
    const goSum = readFileSync(join(__dirname, "..", "..", "examples", "hello-go", "go.sum"), "utf8");
    assert.deepEqual(
      missingFromDiskStorage(goSum, athens?.storage ?? "", existsSync),
      [],
      "the sealed-proxy check reads Athens's real disk layout",
    );
    assert.deepEqual(Object.keys(first.files).sort(), [...plan.assets.checksums.order, "SHA256SUMS"].sort());
    const sums = execFileSync("sha256sum", ["--check", "SHA256SUMS"], { cwd: first.outputDir, encoding: "utf8" });
    assert.equal(
      sums
        .trim()
        .split("\n")
        .filter((l) => l.endsWith(": OK")).length,
      plan.assets.checksums.order.length,
    );
    const binary = first.files["hello_1.4.0_linux_amd64"]?.path ?? "";
    assert.equal(execFileSync(binary, ["-version"], { encoding: "utf8" }), "1.4.0\n");
    assert.equal(execFileSync(binary, [], { encoding: "utf8" }), `hello 1.4.0 (commit ${COMMIT})\n`);
    assert.deepEqual(readdirSync(join(first.imageContext, "bin")).sort(), ["linux_amd64", "linux_arm64"]);
    // The mode this machine allows, found the way the build finds it; the two modes must not be confused.
    const unsharePermitted = spawnSync("unshare", ["--net", "true"]).status === 0;
    assert.equal(probeUnshare() === undefined, unsharePermitted);
    assert.equal(
      first.compileIsolation,
      unsharePermitted
        ? "network namespace without interfaces (unshare --net), GOPROXY=off"
        : "GOPROXY=off and -mod=readonly (unshare unavailable)",
    );
  });

  it("builds byte-identical binaries from empty caches", async (t) => {
    if (!requireTool(t, ATHENS_BINARY, "Athens")) return;
    assert.ok(first !== undefined, "the first build succeeded: there is something to compare with");
    const second = await buildGoRelease(inputs(athens?.url ?? "", mkdtempSync(join(tmpdir(), "slipway-gobuild-"))));
    assert.deepEqual(Object.keys(second.files).sort(), Object.keys(first.files).sort());
    assert.ok(Object.keys(first.files).length > plan.assets.checksums.order.length, "every release file and SHA256SUMS");
    for (const [name, file] of Object.entries(first.files)) {
      assert.equal(second.files[name]?.sha256, file.sha256, name);
    }
  });

  it("notices built files that disappeared and asks to rebuild", async (t) => {
    if (!requireTool(t, ATHENS_BINARY, "Athens") || first === undefined) return;
    assert.equal(outputsIntact(first), true);
    assert.deepEqual(Object.keys(first.binaries).sort(), plan.assets.binaries.map((b) => b.file).sort(), "every compiled binary");
    assert.equal(outputsIntact({ ...first, binaries: undefined } as unknown as GoBuildOutputs), false, "a state from before `binaries`");
    const unchanged = await goBuildProvider.diff?.("id", first, inputs(athens?.url ?? "", "unused"));
    assert.equal(unchanged?.changes, true, "different output/cache dirs are a change");
    const same = await goBuildProvider.diff?.("id", first, { ...first });
    assert.equal(same?.changes, false);
    rmSync(first.files["hello_1.4.0_linux_arm64"]?.path ?? "");
    const missing = await goBuildProvider.diff?.("id", first, { ...first });
    assert.equal(missing?.changes, true);
    assert.equal(readFileSync(first.files.SHA256SUMS?.path ?? "", "utf8").split("\n").length, plan.assets.checksums.order.length + 1);
  });

  it("fails fast, naming the proxy, when the proxy is down and the cache is empty", async () => {
    const started = Date.now();
    await assert.rejects(
      buildGoRelease(inputs("http://127.0.0.1:1", mkdtempSync(join(tmpdir(), "slipway-gobuild-")))),
      /^Error: module download through the Go proxy http:\/\/127\.0\.0\.1:1 failed: .*(connection refused|connect)/,
    );
    assert.ok(Date.now() - started < 60_000, "no hang");
  });
});
