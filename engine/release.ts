// Releasing a version on a stack: set slipway:version, slipway:commit and slipway:commitTime, preview,
// and (unless a dry run) update, with a summary either way.
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { execFileSync } from "node:child_process";
import { SlipwayInputError } from "../plan/errors";
import { PreviewFacts, foldPreviewEvents } from "../plan/previewMarkdown";
import { ReleaseOutcome, ReleaseSummary, summarizeRelease } from "../plan/releaseSummary";
import { StackSettings, parseStackConfig } from "../plan/stackConfig";
import { parseVersion } from "../plan/version";
import { NAMESPACE, SlipwayOutputs, StackOptions, errorText, lookUpTags, openStack, rawConfig, slipwayOutputs } from "./stack";

const COMMIT = /^[0-9a-f]{40}$/;

function git(cwd: string, ...args: string[]): string | undefined {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

export interface ReleaseOptions extends StackOptions {
  /** Version to release, e.g. `1.4.0` or `v1.4.0`. Required. */
  readonly version: string;
  /** Commit to release. Defaults to HEAD of the project's git repository, else the stack's slipway:commit. */
  readonly commit?: string;
  /** ISO 8601 commit time. Defaults to git's time for the commit, else the stack's (when the commit is unchanged). */
  readonly commitTime?: string;
  /** Preview only: set the config and show what would change. Defaults to false. */
  readonly dryRun?: boolean;
  /** Keep updating independent resources after one fails (pulumi up --continue-on-error). Defaults to false. */
  readonly continueOnError?: boolean;
  /** Every engine event, as it happens. */
  readonly onEvent?: (event: EngineEvent) => void;
  /** Called between the preview and the update with what it will do; return false to stop. Defaults to go on. */
  readonly confirm?: (preview: PreviewFacts) => Promise<boolean> | boolean;
  /** Aborting sends the engine SIGINT: it finishes the steps in flight, saves the state and stops. */
  readonly signal?: AbortSignal;
}

export interface ReleaseResult {
  readonly summary: ReleaseSummary;
  /** What the preview said (both for dry runs and before an update). */
  readonly preview: PreviewFacts;
  readonly events: readonly EngineEvent[];
  /** The preview's events; `events` are the update's (or the preview's on a dry run). */
  readonly previewEvents: readonly EngineEvent[];
}

/** Resolves version, commit and commit time, and validates the stack's settings with them, before any run. */
export async function prepareRelease(
  stack: Stack,
  options: ReleaseOptions,
): Promise<{ settings: StackSettings; config: Record<string, string> }> {
  parseVersion(options.version, "version");
  const projectDir = options.projectDir;
  const current = await rawConfig(stack);
  let commit = options.commit;
  if (commit !== undefined && !COMMIT.test(commit)) {
    const full = git(projectDir, "rev-parse", "--verify", "--quiet", `${commit}^{commit}`);
    if (full === undefined || !COMMIT.test(full)) {
      throw new SlipwayInputError(
        "commit",
        commit,
        "not a full 40-hex commit sha, nor a commit in the git repository here",
        "pass --commit $(git rev-parse HEAD)",
      );
    }
    commit = full;
  }
  commit ??= git(projectDir, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") ?? current.values.commit;
  if (commit === undefined) {
    throw new SlipwayInputError(
      "commit",
      undefined,
      "not given, the project is not a git repository and the stack has no slipway:commit",
      "pass --commit <40-hex sha>",
    );
  }
  const commitTime =
    options.commitTime ??
    git(projectDir, "show", "-s", "--format=%cI", `${commit}^{commit}`) ??
    (commit === current.values.commit ? current.values.commitTime : undefined);
  if (commitTime === undefined) {
    throw new SlipwayInputError(
      "commitTime",
      undefined,
      `commit ${commit.slice(0, 12)} is not in a git repository here and is not the stack's slipway:commit`,
      "pass --commit-time, e.g. --commit-time 2026-11-20T10:00:00Z",
    );
  }
  const config = { version: options.version, commit, commitTime };
  const outputs = slipwayOutputs(await stack.outputs());
  const remembered = Object.entries(outputs.releases).map(([version, record]) => `${version}@${record.commit}`);
  const settings = parseStackConfig({ ...current, values: { ...current.values, ...config } }, remembered);
  return { settings, config };
}

function outcomeOf(error: unknown, signal: AbortSignal | undefined): ReleaseOutcome {
  if (signal?.aborted === true) return "cancelled";
  return error === undefined ? "succeeded" : "failed";
}

export class ReleaseFailed extends Error {
  constructor(
    message: string,
    readonly result: ReleaseResult,
  ) {
    super(message);
    this.name = "ReleaseFailed";
  }
}

/**
 * Releases `version` on a stack: sets slipway:version, slipway:commit and slipway:commitTime, previews,
 * and (unless `dryRun`) updates. Throws SlipwayInputError for bad input before anything changes, and
 * ReleaseFailed (carrying the summary) when the update fails or is cancelled.
 */
export async function release(options: ReleaseOptions): Promise<ReleaseResult> {
  const stack = await openStack(options);
  const { settings, config } = await prepareRelease(stack, options);
  await stack.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [`${NAMESPACE}${k}`, { value: v }])));
  const previewEvents: EngineEvent[] = [];
  const record = (into: EngineEvent[]) => (event: EngineEvent) => {
    into.push(event);
    options.onEvent?.(event);
  };
  const base = { stack: options.stack, version: settings.plan.version, commit: settings.plan.commit.sha, status: settings.plan.status };
  let failure: unknown;
  try {
    await stack.preview({ onEvent: record(previewEvents), color: "never", signal: options.signal });
  } catch (error) {
    failure = error;
  }
  const preview = foldPreviewEvents(previewEvents, await lookUpTags(previewEvents));
  if (options.dryRun === true || failure !== undefined) {
    const outcome = failure === undefined ? "previewed" : outcomeOf(failure, options.signal);
    const summary = summarizeRelease({ ...base, dryRun: true, outcome, events: previewEvents, outputs: undefined });
    const result = { summary, preview, events: previewEvents, previewEvents };
    if (failure !== undefined) throw new ReleaseFailed(errorText(failure), result);
    return result;
  }
  if (options.confirm !== undefined && !(await options.confirm(preview))) {
    const summary = summarizeRelease({ ...base, dryRun: true, outcome: "declined", events: previewEvents, outputs: undefined });
    return { summary, preview, events: previewEvents, previewEvents };
  }
  const events: EngineEvent[] = [];
  try {
    await stack.up({ onEvent: record(events), color: "never", continueOnError: options.continueOnError === true, signal: options.signal });
  } catch (error) {
    failure = error;
  }
  let outputs: SlipwayOutputs | undefined;
  try {
    outputs = slipwayOutputs(await stack.outputs());
  } catch {
    outputs = undefined;
  }
  const outcome = outcomeOf(failure, options.signal);
  const summary = summarizeRelease({ ...base, dryRun: false, outcome, events, outputs: outcome === "succeeded" ? outputs : undefined });
  const result = { summary, preview, events, previewEvents };
  if (failure !== undefined) throw new ReleaseFailed(errorText(failure), result);
  return result;
}
