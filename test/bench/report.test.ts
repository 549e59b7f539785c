// The benchmark's pure half: medians, the targets (met and missed), the rendered table and chart, and
// how the memory sampler groups a process table.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { compareReleases, FZF_PLATFORMS, peerConfig, releasedFiles } from "../../bench/fzf";
import { groupMemory, MemoryRoots, parseProcess, ProcessSample, samplePeakMemory } from "../../bench/memory";
import { BenchResults, checkTargets, median, renderChartSvg, renderMarkdown } from "../../bench/report";
import { assertGolden } from "../support/golden";

const MiB = 2 ** 20;

const fixture: BenchResults = {
  seconds: {
    cold: [201.4, 188.2, 195.9],
    coldUnsigned: [186.0, 180.3, 184.9],
    coldFilesOnly: [176.0, 171.2, 174.4],
    noop: [2.3, 2.1, 2.2],
    minimalNoop: [1.9, 1.8, 2.0],
    incremental: [14.2, 13.1, 13.8],
    rerelease: [4.1, 3.7, 3.9],
    floorSequential: [190.3, 186.0, 192.8],
    floorParallel: [139.5, 137.2, 141.0],
    goreleaser: [180.1, 179.0, 182.6],
    fzfCold: [118.4, 121.0, 119.7],
    fzfGoreleaser: [92.3, 90.8, 93.1],
  },
  peakMemory: {
    engine: [412 * MiB, 398 * MiB, 405 * MiB],
    releaseTools: [310 * MiB, 305 * MiB, 312 * MiB],
    buildkit: [96 * MiB, 90 * MiB, 93 * MiB],
    goToolchain: [880 * MiB, 860 * MiB, 901 * MiB],
    athens: [31 * MiB, 30 * MiB, 33 * MiB],
  },
  imageBytes: { "linux/amd64": 2_412_345, "linux/arm64": 2_301_999 },
  environment: { cores: "2", go: "go version go1.26.8 linux/amd64", runs: "3" },
  coldBreakdown: [
    { engine: 8, keys: 1, proxy: 1, goBuild: 127, sboms: 3, images: 4, tags: 1, signing: 5, release: 1, total: 150 },
    { engine: 7, keys: 1, proxy: 0, goBuild: 120, sboms: 2, images: 3, tags: 0, signing: 4, release: 0, total: 140 },
    { engine: 9, keys: 2, proxy: 1, goBuild: 131, sboms: 3, images: 6, tags: 1, signing: 6, release: 1, total: 158 },
  ],
  incrementalBreakdown: [
    { engine: 3, keys: 0, proxy: 0, goBuild: 6, sboms: 2, images: 1, tags: 0, signing: 2, release: 1, total: 12 },
    { engine: 2, keys: 0, proxy: 0, goBuild: 5, sboms: 1, images: 2, tags: 1, signing: 1, release: 0, total: 10 },
    { engine: 4, keys: 0, proxy: 0, goBuild: 7, sboms: 2, images: 1, tags: 0, signing: 3, release: 1, total: 13 },
  ],
};

const withSeconds = (overrides: Partial<BenchResults["seconds"]>): BenchResults => ({
  ...fixture,
  seconds: { ...fixture.seconds, ...overrides },
});

describe("bench report", () => {
  it("takes the median of odd and even counts, whatever the order", () => {
    const cases: [number[], number][] = [
      [[3], 3],
      [[5, 1, 3], 3],
      [[4, 1, 3, 2], 2.5],
      [[7, 7, 1], 7],
    ];
    for (const [values, expected] of cases) assert.equal(median(values), expected, values.join(","));
    assert.throws(() => median([]), /no values/);
  });

  const targetCases: { name: string; results: BenchResults; missed: string[] }[] = [
    { name: "every target met", results: fixture, missed: [] },
    {
      name: "a slow no-op misses both no-op targets",
      results: withSeconds({ noop: [21, 20, 22] }),
      missed: ["no-op vs cold", "no-op", "no-op vs a minimal program's"],
    },
    {
      name: "exactly 10× faster, a no-op of exactly 2.5 s and exactly 1.25× the minimal program's count as met",
      results: withSeconds({
        cold: [25],
        coldFilesOnly: [25],
        noop: [2.5],
        minimalNoop: [2],
        incremental: [2],
        floorParallel: [25],
        goreleaser: [25],
      }),
      missed: [],
    },
    {
      name: "exactly 8% of cold, 1.5× the floor and 1.1× GoReleaser count as met",
      results: withSeconds({
        cold: [150],
        coldFilesOnly: [150],
        noop: [2],
        incremental: [12],
        floorParallel: [100],
        goreleaser: [150 / 1.1],
      }),
      missed: [],
    },
    {
      name: "a no-op over 2.5 s misses",
      results: withSeconds({ noop: [2.6, 2.7, 2.6], minimalNoop: [2.2] }),
      missed: ["no-op"],
    },
    {
      name: "a no-op over 1.25× the minimal program's misses, however short",
      results: withSeconds({ minimalNoop: [1.7, 1.75, 1.6] }),
      missed: ["no-op vs a minimal program's"],
    },
    {
      name: "an incremental release at 9% of cold misses",
      results: withSeconds({ incremental: [17.6, 17.7, 17.8] }),
      missed: ["incremental vs cold"],
    },
    {
      name: "a release of GoReleaser's files over 1.1× GoReleaser misses",
      results: withSeconds({ goreleaser: [150, 158, 155] }),
      missed: ["cold vs goreleaser, same files"],
    },
    {
      name: "the full release over 1.1× GoReleaser is no miss when the release of the same files is within it",
      results: withSeconds({ goreleaser: [170, 175, 172], coldFilesOnly: [150, 152, 151] }),
      missed: [],
    },
    {
      name: "signing that adds exactly 10% counts as met",
      results: withSeconds({
        cold: [110],
        coldUnsigned: [100],
        coldFilesOnly: [100],
        noop: [2],
        incremental: [8],
        floorParallel: [100],
        goreleaser: [100],
      }),
      missed: [],
    },
    {
      name: "signing that adds 12% misses",
      results: withSeconds({ coldUnsigned: [170, 175, 174] }),
      missed: ["signing, SBOMs and provenance"],
    },
    { name: "a re-release of exactly 2× the no-op counts as met", results: withSeconds({ noop: [2], rerelease: [4] }), missed: [] },
    {
      name: "a re-release over 2× the no-op (a rebuild) misses",
      results: withSeconds({ rerelease: [13.3, 14, 13.5] }),
      missed: ["re-release vs no-op"],
    },
    {
      name: "a cold release over 1.5× the parallel floor misses",
      results: withSeconds({ floorParallel: [120, 125, 126] }),
      missed: ["cold vs parallel floor"],
    },
    {
      name: "an engine peak of exactly 600 MiB counts as met",
      results: { ...fixture, peakMemory: { ...fixture.peakMemory, engine: [600 * MiB] } },
      missed: [],
    },
    {
      name: "an engine peak over 600 MiB misses (the release tools' memory is not the engine's)",
      results: { ...fixture, peakMemory: { ...fixture.peakMemory, engine: [601 * MiB, 590 * MiB, 700 * MiB], releaseTools: [900 * MiB] } },
      missed: ["engine peak memory"],
    },
    { name: "an image over 10 MB misses", results: { ...fixture, imageBytes: { "linux/amd64": 10_000_001 } }, missed: ["image size"] },
    { name: "fzf: exactly 1.5× GoReleaser counts as met", results: withSeconds({ fzfCold: [150], fzfGoreleaser: [100] }), missed: [] },
    {
      name: "fzf: a cold release over 1.5× GoReleaser misses",
      results: withSeconds({ fzfCold: [151, 160, 155], fzfGoreleaser: [100, 101, 99] }),
      missed: ["fzf: cold vs goreleaser"],
    },
  ];
  for (const { name, results, missed } of targetCases) {
    it(`targets: ${name}`, () => {
      assert.deepEqual(
        checkTargets(results)
          .filter((c) => !c.met)
          .map((c) => c.name),
        missed,
      );
    });
  }

  it("states what signing costs, and a signed run faster than the unsigned one as no cost, never as -0%", () => {
    const cost = (cold: number, coldUnsigned: number) =>
      checkTargets(withSeconds({ cold: [cold], coldUnsigned: [coldUnsigned] })).find((c) => c.name === "signing, SBOMs and provenance");
    assert.deepEqual([cost(104, 100)?.measured, cost(104, 100)?.met], ["4%", true]);
    assert.deepEqual([cost(99.6, 100)?.measured, cost(99.6, 100)?.met], ["none measurable (the signed run took 0.4 s less)", true]);
    assert.equal(cost(100, 100)?.measured, "none measurable (the signed run took 0.0 s less)");
  });

  it("renders the markdown report (golden), naming a missed target at the top", () => {
    assertGolden("bench-results.md", renderMarkdown(fixture));
    assert.match(
      renderMarkdown(fixture),
      /^\| Go build: module download through Athens, compile, archives, SHA256SUMS \| 127 \| 85% \| 127, 120, 131 \|$/m,
    );
    assert.match(
      renderMarkdown(fixture),
      /^\| Go build: module download through Athens, compile, archives, SHA256SUMS \| 6 \| 50% \| 6, 5, 7 \|$/m,
    );
    const withoutCold = renderMarkdown({ ...fixture, coldBreakdown: [] });
    assert.doesNotMatch(withoutCold, /Where the cold release's time goes/, "no section without measurements");
    assert.match(withoutCold, /Where the incremental release's time goes/);
    const withoutIncremental = renderMarkdown({ ...fixture, incrementalBreakdown: undefined });
    assert.doesNotMatch(withoutIncremental, /Where the incremental release's time goes/, "no section without measurements");
    assert.match(withoutIncremental, /Where the cold release's time goes/);
    const missed = renderMarkdown(withSeconds({ incremental: [80, 78, 79] }));
    assert.match(missed.split("\n")[2] ?? "", /^Targets missed: incremental vs cold \(40%; target ≤ 8% of cold\)\.$/);
    assert.match(missed, /\| incremental vs cold \| ≤ 8% of cold \| 40% \| \*\*no\*\* \|/);
    assert.match(
      renderMarkdown(withSeconds({ cold: [200], coldFilesOnly: [165], goreleaser: [150] })),
      /^GoReleaser's run makes the binaries, archives and checksums only; slipway's release of the same files takes 1\.10× its time, and the full cold release \(with the 2-platform image, signatures, SBOMs and provenance\) 1\.33×\.$/m,
    );
    // fzf's rows are compared with fzf's own cold release, never with examples/hello-go's floor.
    assert.match(renderMarkdown(fixture), /^\| fzf: goreleaser release \| 92\.3 s \| 0\.77× \| — \| 92\.3, 90\.8, 93\.1 \|/m);
  });

  it("renders the chart (golden): one bar per scenario, one tick per run, escaped text", () => {
    const svg = renderChartSvg(fixture);
    assertGolden("bench-chart.svg", svg);
    assert.equal(svg.match(/<rect x=/g)?.length, 12);
    assert.equal(svg.match(/stroke-width="1.5"/g)?.length, 36);
    assert.doesNotMatch(svg, /NaN|undefined/);
  });
});

describe("bench memory grouping", () => {
  const p = (pid: number, ppid: number, command: string, mib: number): ProcessSample => ({ pid, ppid, command, rssBytes: mib * MiB });
  const table = [
    p(1, 0, "init", 5),
    p(100, 1, "pulumi", 60),
    p(101, 100, "pulumi-language", 20),
    p(102, 101, "node", 150),
    p(103, 100, "pulumi-resource", 40),
    p(104, 100, "node", 120),
    p(105, 104, "go", 30),
    p(106, 105, "compile", 300),
    p(107, 105, "link", 200),
    p(108, 104, "proxy", 25),
    p(109, 104, "cyclonedx-gomod", 60),
    p(110, 104, "cosign", 45),
    p(200, 1, "buildkitd", 90),
    p(201, 200, "runc", 10),
    p(300, 1, "node", 999),
    p(400, 1, "proxy", 40),
    p(500, 1, "proxy", 777),
  ];

  const cases: { name: string; roots: MemoryRoots; expected: Record<string, number> }[] = [
    {
      name: "every tree; Go, the release tools and an Athens started during the update split out of the engine's",
      roots: { engine: 100, buildkit: 200, athens: 400 },
      expected: { engine: 390, releaseTools: 105, buildkit: 100, goToolchain: 530, athens: 65 },
    },
    {
      name: "engine not started yet",
      roots: { buildkit: 200, athens: 400 },
      expected: { engine: 0, releaseTools: 0, buildkit: 100, goToolchain: 0, athens: 40 },
    },
    {
      name: "engine already gone",
      roots: { engine: 999, buildkit: 200 },
      expected: { engine: 0, releaseTools: 0, buildkit: 100, goToolchain: 0, athens: 0 },
    },
    {
      name: "no BuildKit, no recorded Athens",
      roots: { engine: 100 },
      expected: { engine: 390, releaseTools: 105, buildkit: 0, goToolchain: 530, athens: 25 },
    },
    {
      name: "a root counted once when it is also in another tree",
      roots: { engine: 100, athens: 108 },
      expected: { engine: 390, releaseTools: 105, buildkit: 0, goToolchain: 530, athens: 25 },
    },
  ];
  for (const { name, roots, expected } of cases) {
    it(name, () => {
      const totals = groupMemory(table, roots);
      assert.deepEqual(Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, v / MiB])), expected);
    });
  }

  it("parses /proc stat lines whose command has spaces and parentheses: the parent and the resident pages", () => {
    const stat =
      "4242 (node (worker) 1) S 4100 4242 4242 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 2769676 3133440 423 18446744073709551615 0";
    assert.deepEqual(parseProcess(4242, stat, 4096), { pid: 4242, ppid: 4100, command: "node (worker) 1", rssBytes: 423 * 4096 });
    assert.equal(parseProcess(4242, stat, 65536)?.rssBytes, 423 * 65536, "pages of the machine's size");
    const kernelThread = "7 (kthreadd) S 2 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 7 0 0 18446744073709551615 0";
    assert.deepEqual(parseProcess(7, kernelThread, 4096), { pid: 7, ppid: 2, command: "kthreadd", rssBytes: 0 });
    assert.equal(parseProcess(8, "garbage", 4096), undefined);
    assert.equal(parseProcess(9, "9 (x) S", 4096), undefined, "no parent");
  });

  it("samples this process's own resident set from /proc, in bytes", async () => {
    const self = () => ({ engine: process.pid });
    const sampler = samplePeakMemory(self, 10);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const peak = sampler.stop();
    const rss = process.memoryUsage.rss();
    assert.ok(peak.engine > rss / 2 && peak.engine < rss * 2, `sampled ${peak.engine}, Node.js says ${rss}`);
  });
});

describe("bench fzf peer", () => {
  // The parts of fzf v0.65.2's own .goreleaser.yml that the edit touches or must keep.
  const own = [
    "version: 2",
    "project_name: fzf",
    "before:",
    "  hooks:",
    "    - go mod download",
    "builds:",
    "  - id: fzf",
    "    goos: [darwin, linux, windows, freebsd, openbsd, android]",
    "    goarch: [amd64, arm, arm64, loong64, ppc64le, s390x]",
    '    goarm: ["5", "6", "7"]',
    "    flags: [-trimpath]",
    '    ldflags: ["-s -w -X main.version={{ .Version }} -X main.revision={{ .ShortCommit }}"]',
    "    ignore:",
    "      - {goos: freebsd, goarch: arm}",
    "notarize:",
    "  macos:",
    '    - enabled: "{{ not .IsSnapshot }}"',
    "archives:",
    '  - name_template: "{{ .ProjectName }}-{{ .Version }}-{{ .Os }}_{{ .Arch }}{{ if .Arm }}v{{ .Arm }}{{ end }}"',
    "    format: tar.gz",
    "release:",
    "  github: {owner: junegunn, name: fzf}",
    "changelog:",
    "  sort: asc",
    "",
  ].join("\n");

  it("cuts the project's config to the bench platforms, offline, keeping its flags and archives", () => {
    const config = parse(peerConfig(own, FZF_PLATFORMS)) as Record<string, unknown>;
    assert.deepEqual(config.builds, [
      {
        id: "fzf",
        goos: ["linux", "darwin", "windows"],
        goarch: ["amd64", "arm64", "arm"],
        goarm: ["7"],
        flags: ["-trimpath"],
        ldflags: ["-s -w -X main.version={{ .Version }} -X main.revision={{ .ShortCommit }}"],
        ignore: [
          { goos: "darwin", goarch: "amd64" },
          { goos: "darwin", goarch: "arm" },
          { goos: "windows", goarch: "arm64" },
          { goos: "windows", goarch: "arm" },
        ],
      },
    ]);
    assert.equal(config.before, undefined);
    assert.equal(config.notarize, undefined);
    assert.deepEqual(config.release, { disable: true });
    assert.deepEqual(config.changelog, { disable: true });
    assert.deepEqual(config.archives, [
      { name_template: "{{ .ProjectName }}-{{ .Version }}-{{ .Os }}_{{ .Arch }}{{ if .Arm }}v{{ .Arm }}{{ end }}", format: "tar.gz" },
    ]);
    assert.throws(() => peerConfig(own, ["linux/arm/v6", "linux/arm/v7"]), /one GOARM level/);
  });

  it("accepts the two releases only with the same archive names and a checksums file each", () => {
    const archives = ["fzf-0.65.2-linux_amd64.tar.gz", "fzf-0.65.2-linux_armv7.tar.gz", "fzf-0.65.2-windows_amd64.zip"];
    // slipway signs its checksums file (on by default): the bundles are not a second checksums file.
    const slipway = [
      ...archives,
      "fzf_0.65.2_checksums.txt",
      "fzf_0.65.2_checksums.txt.cosign.bundle",
      "fzf_0.65.2_checksums.txt.sigstore.json",
      "fzf-0.65.2-linux_amd64",
      "fzf-0.65.2-windows_amd64.exe",
    ];
    const goreleaser = [
      "artifacts.json",
      "config.yaml",
      "fzf_linux_amd64_v1",
      ...archives.reverse(),
      "fzf_0.65.2_checksums.txt",
      "metadata.json",
    ];
    assert.deepEqual(releasedFiles(goreleaser).checksums, ["fzf_0.65.2_checksums.txt"]);
    assert.deepEqual(releasedFiles(slipway).checksums, ["fzf_0.65.2_checksums.txt"]);
    compareReleases(slipway, goreleaser);
    assert.throws(
      () =>
        compareReleases(
          slipway,
          goreleaser.filter((f) => !f.endsWith(".zip")),
        ),
      /the archives differ/,
    );
    assert.throws(
      () =>
        compareReleases(
          slipway.filter((f) => !f.includes("checksums")),
          goreleaser,
        ),
      /checksums files: slipway \(none\)/,
    );
    assert.throws(() => compareReleases([], []), /the archives differ/);
  });
});
