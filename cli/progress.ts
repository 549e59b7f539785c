// Live progress of an engine run from its events: resources done / total, the step in flight, elapsed
// time. On a terminal one line is redrawn; otherwise (or with CI=true) each finished change is a plain line.
import { RecordedEvent, changeOf, nameOf, shortType } from "../plan/previewMarkdown";
import { formatDuration } from "../plan/releaseSummary";

export interface ProgressState {
  /** Resources expected (from the preview); undefined when unknown. */
  readonly total: number | undefined;
  readonly done: number;
  /** URN → op of steps started and not finished, in start order. */
  readonly inFlight: ReadonlyMap<string, string>;
  readonly failed: number;
}

export function initialProgress(total: number | undefined): ProgressState {
  return { total, done: 0, inFlight: new Map(), failed: 0 };
}

/** The steps a run will take: every resource the preview reached (the stack itself included). */
export function stepCount(events: readonly RecordedEvent[]): number {
  return new Set(events.flatMap((e) => (e.resourcePreEvent === undefined ? [] : [e.resourcePreEvent.metadata.urn]))).size;
}

export interface ProgressLine {
  readonly state: ProgressState;
  /** A finished change worth a line of its own (not printed for unchanged resources). */
  readonly finished?: string;
}

/** Folds one event into the progress state. */
export function advance(state: ProgressState, event: RecordedEvent): ProgressLine {
  const pre = event.resourcePreEvent;
  if (pre !== undefined && pre.planning !== true) {
    const inFlight = new Map(state.inFlight);
    inFlight.set(pre.metadata.urn, pre.metadata.op);
    return { state: { ...state, inFlight } };
  }
  const out = event.resOutputsEvent ?? event.resOpFailedEvent;
  if (out !== undefined && out.metadata !== undefined && !("planning" in out && out.planning === true)) {
    const { urn, op, type } = out.metadata;
    if (!state.inFlight.has(urn) && event.resOpFailedEvent === undefined) return { state };
    const inFlight = new Map(state.inFlight);
    inFlight.delete(urn);
    const failed = event.resOpFailedEvent !== undefined;
    const next = { ...state, inFlight, done: state.done + (failed ? 0 : 1), failed: state.failed + (failed ? 1 : 0) };
    const change = changeOf(op);
    const what = `${shortType(type)} ${nameOf(urn)}`;
    if (failed) return { state: next, finished: `failed ${what}` };
    return { state: next, finished: change === undefined ? undefined : `${change}d ${what}` };
  }
  return { state };
}

function counter(state: ProgressState): string {
  return `[${state.done}/${state.total === undefined || state.total < state.done ? "?" : state.total}]`;
}

/** The redrawn terminal line. */
export function statusLine(state: ProgressState, elapsedSeconds: number, width = 100): string {
  const last = [...state.inFlight.entries()].pop();
  const doing =
    last === undefined
      ? "waiting for the engine"
      : `${last[1]} ${nameOf(last[0])}${state.inFlight.size > 1 ? ` (+${state.inFlight.size - 1} more)` : ""}`;
  const text = `${counter(state)} ${formatDuration(elapsedSeconds)}  ${doing}`;
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

export interface ProgressOptions {
  readonly total: number | undefined;
  readonly write: (text: string) => void;
  /** Redraw one line (a terminal) or print plain lines. */
  readonly live: boolean;
  readonly now?: () => number;
  /** Terminal width. Defaults to 100. */
  readonly width?: number;
}

/** Stateful reporter: feed it events; call `stop()` to clear the live line. */
export class Progress {
  private state: ProgressState;
  private readonly started: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ProgressOptions) {
    this.state = initialProgress(options.total);
    this.now = options.now ?? Date.now;
    this.started = this.now();
    if (options.live) {
      this.timer = setInterval(() => this.redraw(), 1000);
      this.timer.unref();
    }
  }

  private elapsed(): number {
    return (this.now() - this.started) / 1000;
  }

  private redraw(): void {
    this.options.write(`\r\x1b[K${statusLine(this.state, this.elapsed(), this.options.width)}`);
  }

  onEvent(event: RecordedEvent): void {
    const { state, finished } = advance(this.state, event);
    this.state = state;
    if (finished !== undefined) {
      const line = `${counter(state)} ${formatDuration(this.elapsed())}  ${finished}\n`;
      this.options.write(this.options.live ? `\r\x1b[K${line}` : line);
    }
    if (this.options.live) this.redraw();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.options.live) this.options.write("\r\x1b[K");
  }
}
