// Pure half of the benchmark: medians, ratios, the targets, and the rendered table and chart. The
// runner (bench/run.ts) measures; everything here is a function of its measurements, so it is tested
// with golden files and never times anything.
import { PHASES, PHASE_LABELS, TimeBreakdown } from "./breakdown";

export const SCENARIOS = [
  "cold",
  "coldUnsigned",
  "coldFilesOnly",
  "noop",
  "minimalNoop",
  "incremental",
  "rerelease",
  "floorSequential",
  "floorParallel",
  "goreleaser",
  "fzfCold",
  "fzfGoreleaser",
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Scenarios of the real project (fzf): compared with each other, not with examples/hello-go's cold release or floor. */
const FZF_SCENARIOS: ReadonlySet<Scenario> = new Set<Scenario>(["fzfCold", "fzfGoreleaser"]);

export const SCENARIO_LABELS: Readonly<Record<Scenario, string>> = {
  cold: "slipway cold release",
  coldUnsigned: "slipway cold, unsigned",
  coldFilesOnly: "slipway cold, GoReleaser's scope",
  noop: "slipway no-op up",
  minimalNoop: "floor: no-op of a minimal program",
  incremental: "slipway incremental",
  rerelease: "slipway re-release",
  floorSequential: "floor: go build, sequential",
  floorParallel: "floor: go build, 2-way parallel",
  goreleaser: "peer: goreleaser --snapshot",
  fzfCold: "fzf: slipway cold release",
  fzfGoreleaser: "fzf: goreleaser release",
};

const SCENARIO_DESCRIPTIONS: Readonly<Record<Scenario, string>> = {
  cold: "`pulumi up` of v1.4.0 from empty caches: new state, Athens storage, module and build cache, BuildKit cache and registry; 5 binaries, archives, SHA256SUMS, 2-platform image",
  coldUnsigned:
    "the same cold release with `slipway:signing`, `sbom` and `provenance` false: no keys, signatures, SBOMs or provenance (what the supply-chain evidence costs)",
  coldFilesOnly:
    "the unsigned cold release with `slipway:imagePlatforms` `[]` as well: the 5 binaries, archives and SHA256SUMS that GoReleaser's run makes, and nothing else",
  noop: "`pulumi up` again with nothing changed",
  minimalNoop:
    "`pulumi up` with nothing changed of a Node.js program of two dynamic resources, on the same Pulumi CLI and SDK, measured right after slipway's no-op: what any such program costs here before it declares anything of its own",
  incremental: "one Go source line changed, released as the next patch version",
  rerelease:
    "after the incremental release, v1.4.0 released again from its own commit and source: the stack declares its last plan again, so nothing is built, published or replaced",
  floorSequential: "`go build` of the same 5 targets with the release flags, one after another",
  floorParallel: "the same builds, two at a time",
  goreleaser: "`goreleaser release --snapshot --clean`: the same 5 binaries, archives and checksums",
  fzfCold:
    "github.com/junegunn/fzf v0.65.2 from the Go module proxy, the npm tarball installed, `slipway init --from-goreleaser`, `slipway release 0.65.2 --stack local --yes` from empty caches (state, Athens storage, module and build cache); 5 platforms, archives, checksums, no image",
  fzfGoreleaser:
    "`goreleaser release --clean --skip=publish,announce,validate` of the same module with its own .goreleaser.yml cut to the same 5 platforms; empty build cache, warm module cache, offline",
};

/** What differs between the two fzf runs, printed under the table. */
const FZF_NOTE = [
  "fzf (github.com/junegunn/fzf v0.65.2, h1-pinned, from the Go module proxy) is released both ways in each round, for linux/amd64, linux/arm64, linux/arm/v7, darwin/arm64 and windows/amd64; both must produce the same archive names (`fzf-0.65.2-<os>_<arch>[v7].tar.gz`, `.zip` on windows) and a checksums file, or the run fails.",
  "Both start from a new git repository of the module (one commit at the same time; GoReleaser's also tagged v0.65.2) and an empty Go build cache, and compile with CGO_ENABLED=0, GOAMD64=v1 and the project's `-trimpath` and `-s -w -X main.version -X main.revision` flags.",
  "What differs: slipway's time includes the Pulumi engine (new file state, the stack's program and providers), starting a fresh Athens and downloading fzf's dependencies through it from the upstream proxy into an empty module cache, and its reproducibility flags (`-buildvcs=false`, `-buildid=`); the npm install and `slipway init` are not timed.",
  "GoReleaser runs with a warm module cache (downloaded before timing), GOPROXY=off, and the project's .goreleaser.yml edited only to run offline with the same scope: `builds[].goos/goarch/goarm/ignore` replaced by the 5 platforms, the `before` hook (`go mod download`) and `notarize` removed, `release` and `changelog` disabled. Its parallelism is its default (one build per core).",
].join(" ");

export const MEMORY_GROUPS = ["engine", "releaseTools", "buildkit", "goToolchain", "athens"] as const;
export type MemoryGroup = (typeof MEMORY_GROUPS)[number];

const MEMORY_LABELS: Readonly<Record<MemoryGroup, string>> = {
  engine: "Pulumi engine (CLI, language host, program, providers)",
  releaseTools: "Release tools the providers run (cyclonedx-gomod, cosign, nfpm, git, xz)",
  buildkit: "BuildKit (buildkitd and its children)",
  goToolchain: "Go toolchain run by the release (go, compile, link)",
  athens: "Athens, the stack's Go module proxy",
};

export interface BenchResults {
  /** Seconds of each run of each scenario, in the order measured. */
  readonly seconds: Readonly<Record<Scenario, readonly number[]>>;
  /** Peak resident memory in bytes during each cold release, per process group. */
  readonly peakMemory: Readonly<Record<MemoryGroup, readonly number[]>>;
  /** Compressed size in bytes (config + layers, as pushed) of each image platform. */
  readonly imageBytes: Readonly<Record<string, number>>;
  /** Facts about the machine and the tools, printed under the table. */
  readonly environment: Readonly<Record<string, string>>;
  /** Where each cold release's time went, from its engine events. Defaults to none (results recorded before it was measured). */
  readonly coldBreakdown?: readonly TimeBreakdown[];
  /** The incremental release's, likewise. */
  readonly incrementalBreakdown?: readonly TimeBreakdown[];
}

export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function medians(results: BenchResults): Record<Scenario, number> {
  return Object.fromEntries(SCENARIOS.map((s) => [s, median(results.seconds[s])])) as Record<Scenario, number>;
}

const MB = 1_000_000;
const seconds = (value: number) => `${value.toFixed(1)} s`;
const ratio = (value: number) => `${value.toFixed(2)}×`;
const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
const megabytes = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The issue's targets, each with what was measured; a miss stays in the list with `met: false`. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const m = medians(results);
  const largestImage = Math.max(...Object.values(results.imageBytes));
  const engineMemory = median(results.peakMemory.engine);
  return [
    { name: "no-op vs cold", target: "≥ 10× faster", measured: `${ratio(m.cold / m.noop)} faster`, met: m.cold / m.noop >= 10 },
    { name: "no-op", target: "≤ 2.5 s", measured: seconds(m.noop), met: m.noop <= 2.5 },
    {
      name: "no-op vs a minimal program's",
      target: "≤ 1.25× the minimal program's",
      measured: ratio(m.noop / m.minimalNoop),
      met: m.noop / m.minimalNoop <= 1.25,
    },
    {
      name: "incremental vs cold",
      target: "≤ 8% of cold",
      measured: percent(m.incremental / m.cold),
      met: m.incremental / m.cold <= 0.08,
    },
    {
      name: "signing, SBOMs and provenance",
      target: "≤ 10% of the unsigned cold",
      // The signed run can come out faster within the noise of two cold runs: that is no cost, not "-0%".
      measured:
        m.cold <= m.coldUnsigned
          ? `none measurable (the signed run took ${seconds(m.coldUnsigned - m.cold)} less)`
          : percent(m.cold / m.coldUnsigned - 1),
      met: m.cold / m.coldUnsigned <= 1.1,
    },
    {
      name: "re-release vs no-op",
      target: "≤ 2× the no-op",
      measured: ratio(m.rerelease / m.noop),
      met: m.rerelease / m.noop <= 2,
    },
    {
      name: "cold vs parallel floor",
      target: "≤ 1.5× the floor",
      measured: ratio(m.cold / m.floorParallel),
      met: m.cold / m.floorParallel <= 1.5,
    },
    {
      name: "cold vs goreleaser, same files",
      target: "≤ 1.1× GoReleaser",
      measured: ratio(m.coldFilesOnly / m.goreleaser),
      met: m.coldFilesOnly / m.goreleaser <= 1.1,
    },
    {
      name: "fzf: cold vs goreleaser",
      target: "≤ 1.5× GoReleaser",
      measured: ratio(m.fzfCold / m.fzfGoreleaser),
      met: m.fzfCold / m.fzfGoreleaser <= 1.5,
    },
    {
      name: "engine peak memory",
      target: "≤ 600 MiB",
      measured: mebibytes(engineMemory),
      met: engineMemory <= 600 * 2 ** 20,
    },
    { name: "image size", target: "≤ 10 MB", measured: `${megabytes(largestImage)} (largest platform)`, met: largestImage <= 10 * MB },
  ];
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function renderMarkdown(results: BenchResults): string {
  const m = medians(results);
  const checks = checkTargets(results);
  const missed = checks.filter((c) => !c.met);
  const runs = (s: Scenario) => results.seconds[s].map((v) => v.toFixed(1)).join(", ");
  const sections = [
    "# slipway benchmark: examples/hello-go and fzf",
    "",
    missed.length === 0
      ? "Every target met."
      : `Targets missed: ${missed.map((c) => `${c.name} (${c.measured}; target ${c.target})`).join("; ")}.`,
    "",
    "## Times (median of the runs, measured side by side in one run)",
    "",
    table(
      ["scenario", "median", "vs cold", "vs parallel floor", "runs (s)", "what it does"],
      SCENARIOS.map((s) =>
        FZF_SCENARIOS.has(s)
          ? [SCENARIO_LABELS[s], seconds(m[s]), ratio(m[s] / m.fzfCold), "—", runs(s), SCENARIO_DESCRIPTIONS[s]]
          : [SCENARIO_LABELS[s], seconds(m[s]), ratio(m[s] / m.cold), ratio(m[s] / m.floorParallel), runs(s), SCENARIO_DESCRIPTIONS[s]],
      ),
    ),
    "",
    `GoReleaser's run makes the binaries, archives and checksums only; slipway's release of the same files takes ${ratio(m.coldFilesOnly / m.goreleaser)} its time, and the full cold release (with the 2-platform image, signatures, SBOMs and provenance) ${ratio(m.cold / m.goreleaser)}.`,
    "",
    `"vs cold" of the fzf rows is against fzf's own cold release: slipway cold on fzf is ${ratio(m.fzfCold / m.fzfGoreleaser)} GoReleaser's time.`,
    "",
    FZF_NOTE,
    "",
    "## Targets",
    "",
    table(
      ["target", "wanted", "measured", "met"],
      checks.map((c) => [c.name, c.target, c.measured, c.met ? "yes" : "**no**"]),
    ),
    "",
    "## Peak memory during the cold release (median of the runs, resident set summed over each group)",
    "",
    table(
      ["processes", "peak", "runs (MiB)"],
      MEMORY_GROUPS.map((g) => [
        MEMORY_LABELS[g],
        mebibytes(median(results.peakMemory[g])),
        results.peakMemory[g].map((b) => (b / 2 ** 20).toFixed(0)).join(", "),
      ]),
    ),
    "",
    ...breakdownSection("cold", results.coldBreakdown ?? []),
    ...breakdownSection("incremental", results.incrementalBreakdown ?? []),
    "## Image (compressed, as pushed: config and layers)",
    "",
    table(
      ["platform", "size"],
      Object.keys(results.imageBytes)
        .sort()
        .map((p) => [p, megabytes(results.imageBytes[p] as number)]),
    ),
    "",
    "## Machine and tools",
    "",
    table(
      ["", ""],
      Object.keys(results.environment)
        .sort()
        .map((k) => [k, results.environment[k] as string]),
    ),
    "",
  ];
  return sections.join("\n");
}

/** A release's time per phase (median of the rounds), from the engine's events; empty without measurements. */
function breakdownSection(release: "cold" | "incremental", rounds: readonly TimeBreakdown[]): string[] {
  if (rounds.length === 0) return [];
  const total = median(rounds.map((r) => r.total));
  return [
    `## Where the ${release} release's time goes (engine events, whole seconds, median of the runs)`,
    "",
    "A phase's time is the wall time during which any of its steps ran; phases overlap (signing runs beside the image), so the column does not add up to the total.",
    "",
    table(
      ["phase", "seconds", `share of the ${release} release`, "runs (s)"],
      [
        ...PHASES.map((p) => {
          const value = median(rounds.map((r) => r[p]));
          return [PHASE_LABELS[p], value.toFixed(0), percent(value / total), rounds.map((r) => r[p].toFixed(0)).join(", ")];
        }),
        ["whole update, start to last event", total.toFixed(0), "100%", rounds.map((r) => r.total.toFixed(0)).join(", ")],
      ],
    ),
    "",
  ];
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A horizontal bar chart of the medians (seconds), with each run as a tick on its bar. */
export function renderChartSvg(results: BenchResults): string {
  const m = medians(results);
  const width = 900;
  const labelWidth = 250;
  const barArea = width - labelWidth - 120;
  const rowHeight = 44;
  const top = 60;
  const height = top + SCENARIOS.length * rowHeight + 50;
  const longest = Math.max(...SCENARIOS.flatMap((s) => results.seconds[s]));
  const scale = barArea / longest;
  const colors: Record<Scenario, string> = {
    cold: "#1f6feb",
    coldUnsigned: "#1f6feb",
    coldFilesOnly: "#1f6feb",
    noop: "#1f6feb",
    minimalNoop: "#8b949e",
    incremental: "#1f6feb",
    rerelease: "#1f6feb",
    floorSequential: "#8b949e",
    floorParallel: "#8b949e",
    goreleaser: "#d29922",
    fzfCold: "#1f6feb",
    fzfGoreleaser: "#d29922",
  };
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="30" font-size="18" text-anchor="middle" fill="#24292f">examples/hello-go and fzf v0.65.2: median seconds (ticks: each run)</text>`,
  ];
  SCENARIOS.forEach((s, i) => {
    const y = top + i * rowHeight;
    const barWidth = Math.max(1, m[s] * scale);
    parts.push(
      `<text x="${labelWidth - 10}" y="${y + 22}" font-size="14" text-anchor="end" fill="#24292f">${escapeXml(SCENARIO_LABELS[s])}</text>`,
      `<rect x="${labelWidth}" y="${y + 6}" width="${barWidth.toFixed(1)}" height="24" fill="${colors[s]}"/>`,
      ...results.seconds[s].map((v) => {
        const x = (labelWidth + v * scale).toFixed(1);
        return `<line x1="${x}" y1="${y + 2}" x2="${x}" y2="${y + 34}" stroke="#24292f" stroke-width="1.5"/>`;
      }),
      `<text x="${(labelWidth + Math.max(barWidth, ...results.seconds[s].map((v) => v * scale)) + 8).toFixed(1)}" y="${y + 23}" font-size="14" fill="#24292f">${m[s].toFixed(1)} s</text>`,
    );
  });
  const axisY = top + SCENARIOS.length * rowHeight + 8;
  parts.push(`<line x1="${labelWidth}" y1="${axisY}" x2="${labelWidth + barArea}" y2="${axisY}" stroke="#8b949e"/>`);
  const step = niceStep(longest);
  for (let t = 0; t <= longest + 1e-9; t += step) {
    const x = (labelWidth + t * scale).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${axisY}" x2="${x}" y2="${axisY + 5}" stroke="#8b949e"/>`,
      `<text x="${x}" y="${axisY + 20}" font-size="12" text-anchor="middle" fill="#57606a">${Number(t.toFixed(6))}</text>`,
    );
  }
  parts.push("</svg>", "");
  return parts.join("\n");
}

function niceStep(max: number): number {
  const rough = max / 6;
  const power = 10 ** Math.floor(Math.log10(rough));
  const candidates = [1, 2, 5, 10].map((c) => c * power);
  return candidates.find((c) => c >= rough) ?? 10 * power;
}
