// Peak resident memory of process trees, sampled from /proc while a scenario runs. A process's own
// high-water mark (VmHWM) would do for one process, but the engine is a tree (CLI, language host, the
// Node.js program, providers) whose members peak at different moments, so the trees are summed per sample.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { MEMORY_GROUPS, MemoryGroup } from "./report";

/** The process each group's tree starts at, where it is running. */
export type MemoryRoots = { readonly [group in "engine" | "buildkit" | "athens"]?: number | undefined };

export interface ProcessSample {
  readonly pid: number;
  readonly ppid: number;
  readonly command: string;
  readonly rssBytes: number;
}

/** Processes the engine's providers start that are not the engine: the Go toolchain, the release's tools and Athens. */
const STARTED_BY_THE_ENGINE: ReadonlyMap<string, MemoryGroup> = new Map<string, MemoryGroup>([
  ...["go", "compile", "link", "asm", "cgo", "vet", "unshare"].map((command) => [command, "goToolchain"] as const),
  ...["cyclonedx-gomod", "cosign", "nfpm", "git", "xz"].map((command) => [command, "releaseTools"] as const),
  ["proxy", "athens"],
]);

/** Zero bytes for every group the report lists. */
export function noMemory(): Record<MemoryGroup, number> {
  return Object.fromEntries(MEMORY_GROUPS.map((group) => [group, 0])) as Record<MemoryGroup, number>;
}

/**
 * Splits a process table into the groups the benchmark reports: the engine's tree (rooted at the pulumi
 * CLI), the Go toolchain and Athens processes inside it (with everything below them), and BuildKit's
 * tree. Athens runs detached (it outlives the update), so it has a root of its own: the pid the stack
 * recorded for it.
 */
export function groupMemory(processes: readonly ProcessSample[], roots: MemoryRoots): Record<MemoryGroup, number> {
  const children = new Map<number, ProcessSample[]>();
  for (const p of processes) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const totals = noMemory();
  const counted = new Set<number>();
  const walk = (pid: number, group: MemoryGroup) => {
    const process = byPid.get(pid);
    if (process === undefined || counted.has(pid)) return;
    counted.add(pid);
    const own = group === "engine" ? (STARTED_BY_THE_ENGINE.get(process.command) ?? group) : group;
    totals[own] += process.rssBytes;
    for (const child of children.get(pid) ?? []) walk(child.pid, own);
  };
  if (roots.athens !== undefined) walk(roots.athens, "athens");
  if (roots.engine !== undefined) walk(roots.engine, "engine");
  if (roots.buildkit !== undefined) walk(roots.buildkit, "buildkit");
  return totals;
}

/**
 * Parses /proc/<pid>/stat (the command may contain spaces and parentheses): the parent and the resident
 * set (its 24th field, in pages; kernel threads have none).
 */
export function parseProcess(pid: number, stat: string, pageBytes: number): ProcessSample | undefined {
  const close = stat.lastIndexOf(")");
  const open = stat.indexOf("(");
  if (open < 0 || close < open) return undefined;
  const fields = stat.slice(close + 2).split(" ");
  const ppid = Number(fields[1]);
  const rssPages = Number(fields[21] ?? 0);
  if (!Number.isInteger(ppid) || !Number.isInteger(rssPages)) return undefined;
  return { pid, ppid, command: stat.slice(open + 1, close), rssBytes: rssPages * pageBytes };
}

// One file per process: the sampler runs beside the release it measures, on the same cores.
function readProcessTable(pageBytes: number): ProcessSample[] {
  const table: ProcessSample[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const sample = parseProcess(Number(entry), readFileSync(`/proc/${entry}/stat`, "utf8"), pageBytes);
      if (sample !== undefined) table.push(sample);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return table;
}

function pageSize(): number {
  const bytes = Number(spawnSync("getconf", ["PAGESIZE"], { encoding: "utf8" }).stdout.trim());
  if (!Number.isInteger(bytes) || bytes <= 0) throw new Error("getconf PAGESIZE gave no page size");
  return bytes;
}

/** Samples every `intervalMs` until stopped; `stop()` returns each group's peak. */
export function samplePeakMemory(roots: () => MemoryRoots, intervalMs = 250): { stop(): Record<MemoryGroup, number> } {
  const peak = noMemory();
  const pageBytes = pageSize();
  const sample = () => {
    const totals = groupMemory(readProcessTable(pageBytes), roots());
    for (const group of Object.keys(peak) as MemoryGroup[]) peak[group] = Math.max(peak[group], totals[group]);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { ...peak };
    },
  };
}
