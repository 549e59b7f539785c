// Where a release's time goes, from the engine's event log (`pulumi up --event-log`): each custom resource's
// step runs from its resourcePreEvent to its resOutputsEvent; a phase's time is the wall time during which
// any of its steps ran (steps of one phase overlap, so this is not their sum). Timestamps are whole seconds.

export const PHASES = ["engine", "keys", "proxy", "goBuild", "sboms", "images", "tags", "signing", "release"] as const;
export type Phase = (typeof PHASES)[number];
/** Seconds per phase of one update, and from its start to its last event. */
export type TimeBreakdown = Record<Phase, number> & { readonly total: number };

export const PHASE_LABELS: Readonly<Record<Phase, string>> = {
  engine: "engine start and program, before the first resource step",
  keys: "secrets and signing keys",
  proxy: "Athens, the module proxy",
  goBuild: "Go build: module download through Athens, compile, archives, SHA256SUMS",
  sboms: "SBOMs (cyclonedx-gomod)",
  images: "image builds and pushes (BuildKit, one per platform)",
  tags: "index and tags in the registry",
  signing: "signatures, attestations, provenance, cosign.pub",
  release: "release directory or GitHub release",
};

/** The phase of a resource type; undefined for components, providers and the stack, which only span their children. */
export function phaseOf(type: string): Phase | undefined {
  if (type.startsWith("slipway:") || type.startsWith("pulumi:")) return undefined;
  const name = type.split(":").pop() ?? "";
  if (["CosignKeyPair", "RandomSecret", "AccessKey", "Secret", "ActionsSecret"].includes(name)) return "keys";
  if (/Athens/.test(name)) return "proxy";
  if (name === "GoBuild") return "goBuild";
  if (name === "SbomFile") return "sboms";
  if (type === "docker-build:index:Image") return "images";
  if (["ImageIndex", "RegistryTag", "ImageMirror"].includes(name)) return "tags";
  if (["CosignSignature", "KeylessSignature", "TextFile"].includes(name)) return "signing";
  if (/Release/.test(name)) return "release";
  return undefined;
}

interface EngineEvent {
  readonly timestamp: number;
  readonly resourcePreEvent?: { readonly metadata: { readonly urn: string; readonly type: string } };
  readonly resOutputsEvent?: { readonly metadata: { readonly urn: string; readonly type: string } };
}

/** Seconds covered by the union of `[start, end]` intervals. */
function covered(intervals: readonly (readonly [number, number])[]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of sorted) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

/**
 * Seconds per phase of one update. `startedAt` is when `pulumi up` was started (Unix seconds); the engine
 * phase runs from there to the first resource step. `total` is from the start to the last event.
 */
export function timeBreakdown(events: readonly EngineEvent[], startedAt: number): TimeBreakdown {
  const started = new Map<string, number>();
  const intervals = new Map<Phase, [number, number][]>();
  let firstStep = Infinity;
  let last = startedAt;
  for (const event of events) {
    last = Math.max(last, event.timestamp);
    const pre = event.resourcePreEvent?.metadata;
    if (pre !== undefined && phaseOf(pre.type) !== undefined) {
      started.set(pre.urn, event.timestamp);
      firstStep = Math.min(firstStep, event.timestamp);
    }
    const done = event.resOutputsEvent?.metadata;
    const phase = done === undefined ? undefined : phaseOf(done.type);
    const start = done === undefined ? undefined : started.get(done.urn);
    if (phase !== undefined && start !== undefined) intervals.set(phase, [...(intervals.get(phase) ?? []), [start, event.timestamp]]);
  }
  const result = Object.fromEntries(PHASES.map((p) => [p, covered(intervals.get(p) ?? [])])) as Record<Phase, number>;
  result.engine = Number.isFinite(firstStep) ? Math.max(0, firstStep - startedAt) : 0;
  return { ...result, total: Math.max(0, last - startedAt) };
}

/** The events of an `--event-log` file: one JSON object per line. */
export function parseEventLog(text: string): EngineEvent[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EngineEvent);
}
