// The benchmark: slipway's cold, no-op and incremental releases of examples/hello-go next to the floor
// (plain `go build` of the same targets) and the peer (GoReleaser), and one real project (fzf) released
// cold by slipway and by GoReleaser, measured side by side in rounds on this machine. Writes results.json,
// results.md, chart.svg and chart.png; exits 0 even when a target is missed (the report says so), non-zero
// only when a measurement could not be made.
//
//   scripts/toolchain.sh bench && node --import tsx bench/run.ts [--runs 3] [--out bench/results]
//   node --import tsx bench/run.ts --only fzf|slipway [--runs 1] [--out DIR]   only the fzf pair, or only
//        slipway's releases of examples/hello-go; prints them and writes DIR/partial.json (default: a temp dir)
//        with each update's engine event log beside it, never the report
// Every round's repositories live under TMPDIR (os.tmpdir()); point it elsewhere when other jobs clean /tmp.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { DEFAULT_LOCAL_STATE_DIR } from "../plan/athens";
import { planBuilds } from "../plan/builds";
import { goBuildArgs, goCompileEnv } from "../plan/goBuild";
import { imageBytes, indexPlatforms, tagList } from "../test/e2e/support/oci";
import { Checkout, REPO, pulumiHome, toolchainEnv } from "../test/e2e/support/project";
import { freePort, startRegistry } from "../test/support/registry";
import { TOOLCHAIN_DIR } from "../test/support/toolchain";
import { packSlipway } from "../test/e2e/support/userRepo";
import { TimeBreakdown, parseEventLog, timeBreakdown } from "./breakdown";
import { compareReleases, measureFzfGoreleaser, measureFzfSlipway, warmFzfModuleCache } from "./fzf";
import { timed } from "./timed";
import { noMemory, samplePeakMemory } from "./memory";
import { BenchResults, MEMORY_GROUPS, MemoryGroup, SCENARIOS, Scenario, checkTargets, renderChartSvg, renderMarkdown } from "./report";

const EXAMPLE = join(REPO, "examples", "hello-go");
const REPOSITORY = "hello";
const TARGETS = [
  { os: "linux", arch: "amd64" },
  { os: "linux", arch: "arm64" },
  { os: "darwin", arch: "amd64" },
  { os: "darwin", arch: "arm64" },
  { os: "windows", arch: "amd64" },
] as const;
const COLD_VERSION = "1.4.0";
/** The local stack's slipway:commitTime. */
const COMMIT_TIME = "2026-11-20T10:00:00Z";
const INCREMENTAL_VERSION = "1.4.1";
const commitFor = (version: string) => (version.replace(/\D/g, "") + "be7c4".repeat(8)).slice(0, 40);

const { values: options } = parseArgs({
  options: { runs: { type: "string", default: "3" }, out: { type: "string" }, only: { type: "string" } },
});
const ONLY_GROUPS = ["fzf", "slipway"] as const;
const only = ONLY_GROUPS.find((group) => group === options.only);
if (options.only !== undefined && only === undefined) {
  console.error(`bench: --only ${options.only} is not a scenario group; pass --only fzf or --only slipway`);
  process.exit(2);
}
const runs = Number(options.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench: --runs ${options.runs} is not a positive whole number; pass e.g. --runs 3`);
  process.exit(2);
}
const outDir = options.out ?? (only === undefined ? join(REPO, "bench", "results") : mkdtempSync(join(tmpdir(), "slipway-bench-only-")));

const engineEnv = { ...(process.env as Record<string, string>), ...toolchainEnv() };
function pidIn(file: string): number | undefined {
  try {
    return Number(readFileSync(file, "utf8").trim());
  } catch {
    return undefined;
  }
}

function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function must(command: string, args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): string {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: engineEnv, ...options });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status ?? result.signal}:\n${`${result.stdout}${result.stderr}`.slice(-4000)}`,
    );
  return result.stdout;
}

/** A module cache holding the example's and fzf's dependencies, shared by the floor and the peers ("warm"). */
function warmModuleCache(): string {
  const cache = mkdtempSync(join(tmpdir(), "slipway-bench-mod-"));
  must("go", ["mod", "download"], {
    cwd: EXAMPLE,
    env: { ...engineEnv, GOMODCACHE: cache, GOFLAGS: "-mod=readonly", GOTOOLCHAIN: "local" },
  });
  warmFzfModuleCache(cache);
  return cache;
}

/** Everything a Go build sees: an empty build cache, the warm module cache, no network. */
function goEnv(home: string, moduleCache: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    GOCACHE: join(home, "go-build"),
    GOMODCACHE: moduleCache,
    GOPATH: join(home, "gopath"),
  };
}

async function measureFloor(moduleCache: string, width: 1 | 2): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), "slipway-bench-floor-"));
  try {
    const [spec] = planBuilds(
      undefined,
      { name: "hello", mainPackage: ".", platforms: [] },
      {
        name: "hello",
        version: COLD_VERSION,
        commit: commitFor(COLD_VERSION),
        commitIso: COMMIT_TIME,
        commitEpoch: Date.parse(COMMIT_TIME) / 1000,
      },
    );
    if (spec === undefined) throw new Error("no build planned");
    const queue = [...TARGETS];
    const start = performance.now();
    const worker = async () => {
      for (let target = queue.shift(); target !== undefined; target = queue.shift()) {
        const [, ...args] = goBuildArgs(spec, join(home, "out", `${target.os}_${target.arch}`));
        await timed("go", ["build", ...args], { cwd: EXAMPLE, env: { ...goEnv(home, moduleCache), ...goCompileEnv(target) } });
      }
    };
    await Promise.all(Array.from({ length: width }, worker));
    const seconds = (performance.now() - start) / 1000;
    if (readdirSync(join(home, "out")).length !== TARGETS.length) throw new Error("the floor did not build every target");
    return seconds;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** The least Pulumi program with a dynamic provider: two resources, the second taking the first's id. */
const MINIMAL_PROGRAM = `const pulumi = require("@pulumi/pulumi");
const provider = {
  async create(inputs) { return { id: String(inputs.value), outs: inputs }; },
  async diff() { return { changes: false }; },
};
const first = new pulumi.dynamic.Resource(provider, "first", { value: 1 });
const second = new pulumi.dynamic.Resource(provider, "second", { value: first.id });
exports.id = second.id;
`;

/**
 * `pulumi up` with nothing changed of {@link MINIMAL_PROGRAM}, on the same CLI, language host and
 * @pulumi/pulumi as slipway's stack: what any Node.js Pulumi program costs on this machine before it
 * declares anything of its own. Its first update (untimed) creates the two resources.
 */
async function measureMinimalNoop(): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), "slipway-bench-minimal-"));
  try {
    const dir = join(root, "program");
    mkdirSync(join(root, "state"));
    mkdirSync(dir);
    writeFileSync(join(dir, "Pulumi.yaml"), "name: minimal\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n");
    writeFileSync(join(dir, "index.js"), MINIMAL_PROGRAM);
    symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
    const env: Record<string, string> = {
      ...engineEnv,
      PULUMI_BACKEND_URL: `file://${join(root, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "minimal",
      PULUMI_HOME: pulumiHome(join(root, "pulumi-home")),
    };
    delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
    const up = ["up", "--stack", "minimal", "--yes", "--skip-preview", "--non-interactive", "--color", "never"];
    must("pulumi", ["stack", "init", "minimal", "--non-interactive"], { cwd: dir, env });
    must("pulumi", up, { cwd: dir, env });
    const seconds = await timed("pulumi", up, { cwd: dir, env });
    must("pulumi", ["preview", "--stack", "minimal", "--expect-no-changes", "--non-interactive"], { cwd: dir, env });
    return seconds;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Whether a release directory holds one archive per target of the example and SHA256SUMS. */
function hasExampleArchives(files: readonly string[]): boolean {
  return files.filter((f) => f.endsWith(".tar.gz") || f.endsWith(".zip")).length === TARGETS.length && files.includes("SHA256SUMS");
}

async function measureGoreleaser(moduleCache: string): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), "slipway-bench-goreleaser-"));
  const repo = join(home, "hello-go");
  try {
    cpSync(EXAMPLE, repo, { recursive: true });
    cpSync(join(REPO, "bench", "goreleaser.yaml"), join(repo, ".goreleaser.yaml"));
    const git = {
      ...goEnv(home, moduleCache),
      GIT_AUTHOR_NAME: "bench",
      GIT_AUTHOR_EMAIL: "bench@localhost",
      GIT_COMMITTER_NAME: "bench",
      GIT_COMMITTER_EMAIL: "bench@localhost",
    };
    for (const args of [
      ["init", "-q"],
      ["add", "-A"],
      ["commit", "-q", "-m", "hello"],
      ["tag", `v${COLD_VERSION}`],
    ])
      must("git", args, { cwd: repo, env: git });
    const env = {
      ...goEnv(home, moduleCache),
      CGO_ENABLED: "0",
      GOFLAGS: "-mod=readonly",
      GOPROXY: "off",
      GOTOOLCHAIN: "local",
      GOAMD64: "v1",
    };
    const seconds = await timed(join(TOOLCHAIN_DIR, "bin", "goreleaser"), ["release", "--snapshot", "--clean"], { cwd: repo, env });
    const dist = readdirSync(join(repo, "dist"));
    if (!hasExampleArchives(dist)) throw new Error(`goreleaser produced ${dist.join(", ")}`);
    return seconds;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

interface SlipwayRound {
  readonly cold: number;
  readonly noop: number;
  readonly minimalNoop: number;
  readonly incremental: number;
  readonly rerelease: number;
  readonly peakMemory: Record<MemoryGroup, number>;
  readonly imageBytes: Record<string, number>;
  readonly coldBreakdown: TimeBreakdown;
  readonly incrementalBreakdown: TimeBreakdown;
}

/** A fresh checkout's local stack on its own registry and Athens port, with `pulumi up` timed (and sampled). */
async function benchStack(settings: readonly [string, string][] = []) {
  // `pulumi up --event-log` (the cold release's time breakdown) is one of the CLI's debug flags.
  const project = new Checkout(randomBytes(16).toString("hex"), { PULUMI_DEBUG_COMMANDS: "true" });
  const registry = await startRegistry();
  const athensPidFile = join(project.dir, DEFAULT_LOCAL_STATE_DIR, "athens.pid");
  must("buildctl", ["prune", "--all"]);
  project.ok("stack", "init", "local", "--secrets-provider", "passphrase");
  project.ok("config", "set", "--stack", "local", "--path", "slipway:registries[0].address", registry.address);
  project.ok("config", "set", "--stack", "local", "--path", "slipway:athens.port", String(await freePort()), "--type", "int");
  for (const [key, value] of settings) project.ok("config", "set", "--stack", "local", key, value);
  const setVersion = (version: string) => {
    project.ok("config", "set", "--stack", "local", "slipway:version", version);
    project.ok("config", "set", "--stack", "local", "slipway:commit", commitFor(version));
  };
  const up = async (sampleMemory: boolean, eventLog?: string) => {
    let enginePid: number | undefined;
    const roots = () => ({
      engine: enginePid,
      buildkit: pidIn(join(TOOLCHAIN_DIR, "state", "buildkitd.pid")),
      athens: pidIn(athensPidFile),
    });
    const sampler = sampleMemory ? samplePeakMemory(roots) : undefined;
    const start = performance.now();
    const startedAt = Date.now() / 1000;
    const run = await project.pulumiInBackground(
      ["up", "--stack", "local", "--yes", "--skip-preview", ...(eventLog === undefined ? [] : ["--event-log", eventLog])],
      (_output, child) => (enginePid = child.pid),
    );
    const seconds = (performance.now() - start) / 1000;
    const peak = sampler?.stop();
    if (run.code !== 0) throw new Error(`pulumi up exited ${run.code}:\n${run.output.slice(-4000)}`);
    const breakdown = eventLog === undefined ? undefined : timeBreakdown(parseEventLog(readFileSync(eventLog, "utf8")), startedAt);
    return { seconds, peak, breakdown };
  };
  const cleanup = async () => {
    project.pulumi("destroy", "--stack", "local", "--yes");
    // destroy stops the stack's Athens; should it have failed, the round must not leave Athens running.
    const athens = pidIn(athensPidFile);
    if (athens !== undefined) {
      try {
        process.kill(athens, "SIGTERM");
      } catch {
        // already stopped
      }
    }
    await registry.stop();
    rmSync(dirname(project.dir), { recursive: true, force: true });
    rmSync(registry.dir, { recursive: true, force: true });
  };
  return { project, registry, setVersion, up, cleanup };
}

/**
 * One cold release from nothing, then a no-op up, then a one-line change released as the next patch, then
 * the first version released again from its own commit and source.
 */
async function measureSlipway(round: number): Promise<SlipwayRound> {
  const { project, registry, setVersion, up, cleanup } = await benchStack();
  // Kept beside partial.json by --only runs, where the next cut is chosen from them.
  const eventLog = (update: string) => join(only === undefined ? dirname(project.dir) : outDir, `${update}-${round}-events.jsonl`);
  try {
    setVersion(COLD_VERSION);
    const cold = await up(true, eventLog("cold"));
    const platforms = await indexPlatforms(registry.address, REPOSITORY, `v${COLD_VERSION}`);
    const sizes: Record<string, number> = {};
    for (const [platform, digest] of Object.entries(platforms)) sizes[platform] = await imageBytes(registry.address, REPOSITORY, digest);

    const noop = await up(false);
    project.ok("preview", "--stack", "local", "--expect-no-changes");
    const minimalNoop = await measureMinimalNoop();

    const main = join(project.dir, "examples", "hello-go", "main.go");
    const source = readFileSync(main, "utf8");
    const changed = source.replace('log.Printf("hello %s listening on %s"', 'log.Printf("hello %s now listening on %s"');
    if (changed === source) throw new Error("the incremental change did not apply to examples/hello-go/main.go");
    writeFileSync(main, changed);
    setVersion(INCREMENTAL_VERSION);
    const incremental = await up(false, eventLog("incremental"));
    if (!existsSync(join(project.dir, "dist", "releases", INCREMENTAL_VERSION, "SHA256SUMS")))
      throw new Error("the incremental release published no SHA256SUMS");

    const sums = () => readFileSync(join(project.dir, "dist", "releases", INCREMENTAL_VERSION, "SHA256SUMS"), "utf8");
    const published = sums();
    writeFileSync(main, source);
    setVersion(COLD_VERSION);
    const rerelease = await up(false);
    project.ok("preview", "--stack", "local", "--expect-no-changes");
    if (sums() !== published) throw new Error(`re-releasing ${COLD_VERSION} changed ${INCREMENTAL_VERSION}'s published files`);

    return {
      cold: cold.seconds,
      noop: noop.seconds,
      minimalNoop,
      incremental: incremental.seconds,
      rerelease: rerelease.seconds,
      peakMemory: cold.peak ?? noMemory(),
      imageBytes: sizes,
      coldBreakdown: cold.breakdown as TimeBreakdown,
      incrementalBreakdown: incremental.breakdown as TimeBreakdown,
    };
  } finally {
    await cleanup();
  }
}

const UNSIGNED: readonly [string, string][] = [
  ["slipway:signing", "false"],
  ["slipway:sbom", "false"],
  ["slipway:provenance", "false"],
];

/** The same cold release with signing, SBOMs and provenance off: what the supply-chain evidence costs. */
async function measureColdUnsigned(): Promise<number> {
  const { project, setVersion, up, cleanup } = await benchStack(UNSIGNED);
  try {
    setVersion(COLD_VERSION);
    const cold = await up(false);
    if (existsSync(join(project.dir, "dist", "releases", COLD_VERSION, "cosign.pub")))
      throw new Error("the unsigned release published cosign.pub");
    return cold.seconds;
  } finally {
    await cleanup();
  }
}

/** The unsigned cold release without an image: exactly the files GoReleaser's run makes. */
async function measureColdFilesOnly(): Promise<number> {
  const { project, registry, setVersion, up, cleanup } = await benchStack([...UNSIGNED, ["slipway:imagePlatforms", "[]"]]);
  try {
    setVersion(COLD_VERSION);
    const cold = await up(false);
    const published = readdirSync(join(project.dir, "dist", "releases", COLD_VERSION)).sort();
    if (!hasExampleArchives(published) || published.includes("cosign.pub"))
      throw new Error(`the release of GoReleaser's scope published ${published.join(", ")}`);
    if ((await tagList(registry.address, REPOSITORY)).length > 0) throw new Error("the release of GoReleaser's scope pushed an image");
    return cold.seconds;
  } finally {
    await cleanup();
  }
}

function firstLine(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", env: engineEnv });
  return `${result.stdout}${result.stderr}`.trim().split("\n")[0] ?? "";
}

async function main(): Promise<void> {
  if (!existsSync(join(TOOLCHAIN_DIR, "bin", "goreleaser"))) throw new Error("goreleaser is not installed: run scripts/toolchain.sh bench");
  const seconds = Object.fromEntries(SCENARIOS.map((s) => [s, [] as number[]])) as Record<Scenario, number[]>;
  const peakMemory = Object.fromEntries(MEMORY_GROUPS.map((g) => [g, [] as number[]])) as Record<MemoryGroup, number[]>;
  let images: Record<string, number> = {};
  const coldBreakdown: TimeBreakdown[] = [];
  const incrementalBreakdown: TimeBreakdown[] = [];
  const loadBefore = loadavg()[0] ?? 0;
  const moduleCache = warmModuleCache();
  log("packing slipway (once for every round's fzf release)");
  const tarball = packSlipway();
  try {
    mkdirSync(outDir, { recursive: true });
    if (only !== "fzf") {
      // The first release on a machine also pays for reading the Go toolchain, BuildKit and node_modules from
      // disk; one untimed release first keeps that out of whichever scenario a round measures first.
      log("warm-up: one untimed cold release, unsigned (discarded)");
      await measureColdUnsigned();
    }
    for (let round = 1; round <= runs; round++) {
      if (only !== "fzf") {
        log(`round ${round}/${runs}: slipway cold, no-op, incremental`);
        const slipway = await measureSlipway(round);
        seconds.cold.push(slipway.cold);
        seconds.noop.push(slipway.noop);
        seconds.minimalNoop.push(slipway.minimalNoop);
        seconds.incremental.push(slipway.incremental);
        seconds.rerelease.push(slipway.rerelease);
        seconds.coldUnsigned.push(await measureColdUnsigned());
        seconds.coldFilesOnly.push(await measureColdFilesOnly());
        for (const g of MEMORY_GROUPS) peakMemory[g].push(slipway.peakMemory[g]);
        images = slipway.imageBytes;
        coldBreakdown.push(slipway.coldBreakdown);
        incrementalBreakdown.push(slipway.incrementalBreakdown);
        log(
          `  cold ${slipway.cold.toFixed(1)} s, no-op ${slipway.noop.toFixed(1)} s (minimal program ${slipway.minimalNoop.toFixed(1)} s), incremental ${slipway.incremental.toFixed(1)} s, re-release ${slipway.rerelease.toFixed(1)} s, cold unsigned ${seconds.coldUnsigned.at(-1)?.toFixed(1) ?? "?"} s, GoReleaser's scope ${seconds.coldFilesOnly.at(-1)?.toFixed(1) ?? "?"} s`,
        );
        if (only === "slipway") continue;
        seconds.floorSequential.push(await measureFloor(moduleCache, 1));
        seconds.floorParallel.push(await measureFloor(moduleCache, 2));
        seconds.goreleaser.push(await measureGoreleaser(moduleCache));
        log(
          `  floor ${seconds.floorSequential.at(-1)?.toFixed(1)} s / ${seconds.floorParallel.at(-1)?.toFixed(1)} s, goreleaser ${seconds.goreleaser.at(-1)?.toFixed(1)} s`,
        );
      }
      log(`round ${round}/${runs}: fzf v0.65.2, slipway cold release then goreleaser`);
      const slipwayFzf = await measureFzfSlipway(tarball);
      log(
        `  fzf: slipway cold ${slipwayFzf.seconds.toFixed(1)} s; load ${loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")}`,
      );
      const goreleaserFzf = await measureFzfGoreleaser(moduleCache);
      compareReleases(slipwayFzf.files, goreleaserFzf.files);
      seconds.fzfCold.push(slipwayFzf.seconds);
      seconds.fzfGoreleaser.push(goreleaserFzf.seconds);
      log(
        `  fzf: goreleaser ${goreleaserFzf.seconds.toFixed(1)} s; slipway cold ${slipwayFzf.seconds.toFixed(1)} s is ${(slipwayFzf.seconds / goreleaserFzf.seconds).toFixed(2)}× GoReleaser; load ${loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")}`,
      );
    }
  } finally {
    rmSync(moduleCache, { recursive: true, force: true });
    rmSync(dirname(tarball), { recursive: true, force: true });
  }
  const load = `${loadBefore.toFixed(1)} before / ${(loadavg()[0] ?? 0).toFixed(1)} after (1-min load average)`;

  if (only !== undefined) {
    const measured = Object.fromEntries(Object.entries(seconds).filter(([, values]) => values.length > 0));
    const partial =
      only === "slipway" ? { only, seconds: measured, coldBreakdown, incrementalBreakdown, load } : { only, seconds: measured, load };
    writeFileSync(join(outDir, "partial.json"), `${JSON.stringify(partial, null, 2)}\n`);
    const listed = Object.entries(measured).map(([scenario, values]) => `${scenario} ${values.map((v) => v.toFixed(1)).join(", ")} s`);
    log(`${only} only (no report written): ${listed.join("; ")}; load ${load}; ${join(outDir, "partial.json")}`);
    return;
  }

  const results: BenchResults = {
    seconds,
    peakMemory,
    imageBytes: images,
    coldBreakdown,
    incrementalBreakdown,
    environment: {
      cores: String(cpus().length),
      memory: `${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
      node: process.version,
      go: firstLine("go", ["version"]),
      pulumi: firstLine("pulumi", ["version"]),
      buildkit: firstLine(join(TOOLCHAIN_DIR, "bin", "buildkitd"), ["--version"]),
      goreleaser: /GitVersion:\s*(\S+)/.exec(must(join(TOOLCHAIN_DIR, "bin", "goreleaser"), ["--version"]))?.[1] ?? "unknown",
      runs: String(runs),
      load,
      fzf: "github.com/junegunn/fzf v0.65.2 (h1:Uz6Qey1K4JoGNMskYlwRDnGuCEu/sAh+NxQ4YdX3yn0=)",
      date: new Date().toISOString().slice(0, 10),
    },
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = renderMarkdown(results);
  writeFileSync(join(outDir, "results.md"), markdown);
  writeFileSync(join(outDir, "chart.svg"), renderChartSvg(results));
  must("rsvg-convert", ["--format", "png", "--output", join(outDir, "chart.png"), join(outDir, "chart.svg")]);
  console.log(markdown);
  for (const check of checkTargets(results).filter((c) => !c.met))
    log(`target missed: ${check.name}: ${check.measured} (wanted ${check.target})`);
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
