// slipway as a library: release, preview and verify on the Pulumi Automation API. The CLI is a thin layer
// over these functions. The engine runs in the user's project (LocalWorkspace, workDir = the directory
// holding Pulumi.yaml) with the pulumi CLI of the toolchain; it is never downloaded (PulumiCommand.install
// is not used).
import { EngineEvent, LocalWorkspace, OutputMap, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { delimiter, dirname, join } from "node:path";
import { SlipwayInputError } from "../plan/errors";
import { PreviewFacts, RecordedEvent, foldPreviewEvents, renderPreviewMarkdown, tagKey, tagsToLookUp } from "../plan/previewMarkdown";
import { ReleaseOutcome, ReleaseSummary, summarizeRelease } from "../plan/releaseSummary";
import { RawStackConfig, StackSettings, parseStackConfig } from "../plan/stackConfig";
import { parseVersion } from "../plan/version";
import { getManifest } from "../providers/registryClient";
import { engineEnvironment, findProjectDir } from "./environment";

const NAMESPACE = "slipway:";
const COMMIT = /^[0-9a-f]{40}$/;
const STACK_NAME = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;

export interface EngineOptions {
  /** The Pulumi project to run (the user's repository). Defaults to the project containing `cwd`. */
  readonly projectDir?: string;
  /** Where to look for the project (the nearest Pulumi.yaml upwards) when `projectDir` is not given. Defaults to the current directory. */
  readonly cwd?: string;
  /** Environment for the pulumi CLI; the toolchain's PATH and the project's `.slipway/` state and passphrase are added unless set. Defaults to this process's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The project directory of these options. */
export function projectDirOf(options: EngineOptions): string {
  return options.projectDir ?? findProjectDir(options.cwd ?? process.cwd());
}

export interface StackOptions extends EngineOptions {
  /** Stack name, e.g. `local` or `release`. Required. */
  readonly stack: string;
}

/** Finds `pulumi` on PATH; undefined when it is not there. */
export function findOnPath(binary: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * The pulumi CLI on PATH. PulumiCommand.get runs `<root>/bin/pulumi`, so the binary must sit in a directory
 * named `bin` (as the toolchain's $HOME/.cache/slipway-toolchain/bin/pulumi and Pulumi's installer do).
 */
export async function pulumiOnPath(env: Readonly<Record<string, string | undefined>>): Promise<PulumiCommand> {
  const found = findOnPath("pulumi", env.PATH);
  if (found === undefined) {
    throw new Error('the pulumi CLI is not on PATH; fix: run scripts/toolchain.sh install and eval "$(scripts/toolchain.sh env)"');
  }
  if (dirname(found).split(/[\\/]/).pop() !== "bin") {
    throw new Error(
      `${found}: the pulumi CLI must be in a directory named bin (the Automation API runs <root>/bin/pulumi); fix: put it in <dir>/bin`,
    );
  }
  return PulumiCommand.get({ root: dirname(dirname(found)), skipVersionCheck: true });
}

/** Pulumi.yaml's `stackConfigDir` (where the stack files live), `.` when unset. */
export function stackConfigDir(projectDir: string): string {
  const project = parse(readFileSync(join(projectDir, "Pulumi.yaml"), "utf8")) as { stackConfigDir?: unknown } | null;
  return typeof project?.stackConfigDir === "string" ? project.stackConfigDir : ".";
}

/**
 * Selects a stack of the project. A stack that the backend does not know yet but whose settings file
 * exists (`stacks/Pulumi.<stack>.yaml`, as `slipway init` writes it) is created; any other is bad input.
 */
export async function openStack(options: StackOptions): Promise<Stack> {
  if (!STACK_NAME.test(options.stack)) {
    throw new SlipwayInputError("stack", options.stack, "not a stack name", "use letters, digits, '-', '_' or '.', e.g. --stack local");
  }
  const workDir = projectDirOf(options);
  const env = engineEnvironment(workDir, options.env ?? process.env);
  const pulumiCommand = await pulumiOnPath(env);
  const workspace = await LocalWorkspace.create({ workDir, pulumiCommand, envVars: env });
  const stacks = await workspace.listStacks();
  const stackFile = join(workDir, stackConfigDir(workDir), `Pulumi.${options.stack}.yaml`);
  if (!stacks.some((s) => s.name === options.stack || s.name.endsWith(`/${options.stack}`)) && existsSync(stackFile)) {
    return LocalWorkspace.createStack({ stackName: options.stack, workDir }, { pulumiCommand, envVars: env });
  }
  if (!stacks.some((s) => s.name === options.stack || s.name.endsWith(`/${options.stack}`))) {
    const known = stacks.map((s) => s.name).sort();
    throw new SlipwayInputError(
      "stack",
      options.stack,
      "no such stack in this project's backend",
      known.length === 0 ? `write ${stackFile} (slipway init does)` : `use one of ${known.join(", ")}, or write ${stackFile}`,
    );
  }
  return LocalWorkspace.selectStack({ stackName: options.stack, workDir }, { pulumiCommand, envVars: env });
}

/** The stack's `slipway:*` settings as the pure validator reads them. */
export async function rawConfig(stack: Stack, overrides: Readonly<Record<string, string>> = {}): Promise<RawStackConfig> {
  const all = await stack.getAllConfig();
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [key, entry] of Object.entries(all)) {
    if (!key.startsWith(NAMESPACE)) continue;
    values[key.slice(NAMESPACE.length)] = entry.value;
    if (entry.secret === true) secretKeys.add(key.slice(NAMESPACE.length));
  }
  Object.assign(values, overrides);
  const project = (await stack.workspace.projectSettings()).name;
  return { values, secretKeys, project };
}

/** The stack outputs slipway reads (index.ts exports them). */
export interface ReleaseRecord {
  readonly commit: string;
  readonly assets: Record<string, string>;
  readonly tags: Record<string, Record<string, string>>;
  readonly location: string;
}

export interface SlipwayOutputs {
  readonly releasePlan: unknown;
  readonly assets: Record<string, string>;
  readonly tags: Record<string, Record<string, string>>;
  readonly location: string | undefined;
  readonly releases: Record<string, ReleaseRecord>;
}

export function slipwayOutputs(outputs: OutputMap): SlipwayOutputs {
  const value = (key: string): unknown => outputs[key]?.value;
  const obj = <T>(key: string): T => (value(key) ?? {}) as T;
  const location = value("location");
  return {
    releasePlan: value("releasePlan"),
    assets: obj("assets"),
    tags: obj("tags"),
    location: typeof location === "string" ? location : undefined,
    releases: obj("releases"),
  };
}

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
  const projectDir = projectDirOf(options);
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

async function lookUpTags(events: readonly RecordedEvent[]): Promise<Record<string, string | null>> {
  const current: Record<string, string | null> = {};
  for (const ref of tagsToLookUp(events)) {
    try {
      current[tagKey(ref)] = (await getManifest({ registry: ref.registry, repository: ref.repository }, ref.tag))?.digest ?? null;
    } catch {
      // Unreachable or refused: the comment shows the digest as unknown rather than guessing.
    }
  }
  return current;
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

/** The last meaningful lines of an engine failure (the Automation API error carries the whole output). */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const diagnostics = /Diagnostics:\n([\s\S]*?)(?:\n\S|$)/.exec(text)?.[1];
  const lines = (diagnostics ?? text)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !/^(stdout|stderr|code|err\?):/.test(l));
  return lines.slice(-8).join("\n");
}

export interface PreviewOptions extends StackOptions {
  readonly onEvent?: (event: EngineEvent) => void;
  readonly signal?: AbortSignal;
}

export interface PreviewResult {
  readonly facts: PreviewFacts;
  readonly markdown: string;
  readonly events: readonly EngineEvent[];
}

/** Previews the stack as configured (no config is changed) and renders the PR comment. */
export async function preview(options: PreviewOptions): Promise<PreviewResult> {
  const stack = await openStack(options);
  const events: EngineEvent[] = [];
  let failure: unknown;
  try {
    await stack.preview({
      color: "never",
      signal: options.signal,
      onEvent: (event) => {
        events.push(event);
        options.onEvent?.(event);
      },
    });
  } catch (error) {
    failure = error;
  }
  const facts = foldPreviewEvents(events, await lookUpTags(events));
  const result = { facts, markdown: renderPreviewMarkdown(facts), events };
  if (failure !== undefined && !facts.failed) throw new Error(errorText(failure));
  return result;
}
