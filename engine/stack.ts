// The engine's ground: the pulumi CLI of the toolchain, the user's project (an explicit directory, the one
// holding Pulumi.yaml) and its stacks, their `slipway:*` settings and the outputs slipway reads. The
// engine runs in the project (LocalWorkspace, workDir = projectDir); the pulumi CLI is never downloaded
// (PulumiCommand.install is not used).
import { LocalWorkspace, OutputMap, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";
import { dirname, join } from "node:path";
import { SlipwayInputError } from "../plan/errors";
import { PreviewContext, RecordedEvent, tagKey, tagsToLookUp } from "../plan/previewMarkdown";
import { ReleaseRecord, knownDigests } from "../plan/releaseRecord";
import { RawStackConfig, StackSettings, parseStackConfig } from "../plan/stackConfig";
import { hasEncryptionSalt, secureSettings, withoutEncryptionSalt } from "../plan/stackFile";
import { findOnPath } from "../providers/childProcess";
import { getManifest } from "../providers/registryClient";
import { engineEnvironment } from "./environment";

export const NAMESPACE = "slipway:";
const STACK_NAME = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;

export interface EngineOptions {
  /** The Pulumi project to run (the user's repository: the directory holding Pulumi.yaml). Required. */
  readonly projectDir: string;
  /** Environment for the pulumi CLI; the toolchain's PATH and the project's `.slipway/` state and passphrase are added unless set. Defaults to this process's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface StackOptions extends EngineOptions {
  /** Stack name, e.g. `local` or `release`. Required. */
  readonly stack: string;
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

/** Bad input unless `stack` can name a stack (`local`, `org/project/release`). */
export function checkStackName(stack: string): void {
  if (!STACK_NAME.test(stack)) {
    throw new SlipwayInputError("stack", stack, "not a stack name", "use letters, digits, '-', '_' or '.', e.g. --stack local");
  }
}

/**
 * Creates a stack whose file carries a salt that another checkout's passphrase wrote (a second clone, a new
 * `.slipway/`). Without secret values the salt protects nothing: it is dropped and Pulumi writes this
 * passphrase's. Secret values can only be read with the passphrase they were set with.
 */
async function createOverForeignSalt(stackFile: string, text: string, create: () => Promise<Stack>): Promise<Stack> {
  const secure = secureSettings(text);
  const [first] = secure;
  if (first !== undefined) {
    throw new SlipwayInputError(
      first.startsWith(NAMESPACE) ? first.slice(NAMESPACE.length) : first,
      "(a secret)",
      `${stackFile} holds ${secure.join(", ")} encrypted with another passphrase than this checkout's`,
      "set PULUMI_CONFIG_PASSPHRASE (or .slipway/passphrase) to the one they were set with, or delete them and encryptionsalt and set them again",
    );
  }
  writeFileSync(stackFile, withoutEncryptionSalt(text));
  return create();
}

/**
 * Selects a stack of the project. A stack that the backend does not know yet but whose settings file
 * exists (`stacks/Pulumi.<stack>.yaml`, as `slipway init` writes it) is created; any other is bad input.
 */
export async function openStack(options: StackOptions): Promise<Stack> {
  checkStackName(options.stack);
  const workDir = options.projectDir;
  const env = engineEnvironment(workDir, options.env ?? process.env);
  const pulumiCommand = await pulumiOnPath(env);
  const workspace = await LocalWorkspace.create({ workDir, pulumiCommand, envVars: env });
  const stacks = await workspace.listStacks();
  const stackFile = join(workDir, stackConfigDir(workDir), `Pulumi.${options.stack}.yaml`);
  if (!stacks.some((s) => s.name === options.stack || s.name.endsWith(`/${options.stack}`)) && existsSync(stackFile)) {
    const create = () => LocalWorkspace.createStack({ stackName: options.stack, workDir }, { pulumiCommand, envVars: env });
    try {
      return await create();
    } catch (error) {
      const text = readFileSync(stackFile, "utf8");
      if (!/incorrect passphrase/i.test(errorText(error)) || !hasEncryptionSalt(text)) throw error;
      return createOverForeignSalt(stackFile, text, create);
    }
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

/** `version@commit` of every release the stack's outputs record. */
export function rememberedOf(outputs: SlipwayOutputs): string[] {
  return Object.entries(outputs.releases).map(([version, record]) => `${version}@${record.commit}`);
}

/**
 * What the preview needs to know of the stack besides the engine's events: whether its configured version
 * is already published from its configured commit, and the digests recorded for that release; nothing
 * when the settings do not parse (the preview reports that).
 */
export async function previewContext(stack: Stack): Promise<PreviewContext> {
  try {
    const outputs = slipwayOutputs(await stack.outputs());
    return contextOf(parseStackConfig(await rawConfig(stack), rememberedOf(outputs)), outputs);
  } catch {
    return {};
  }
}

/** The preview context of validated settings and the stack's outputs. */
export function contextOf(settings: StackSettings, outputs: SlipwayOutputs): PreviewContext {
  const { version, commit } = settings.plan;
  return {
    republished: settings.plan.status === "published",
    known: knownDigests(outputs.releases, version, commit.sha, settings.registries, settings.imageName),
  };
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

/** What the registries serve now for the tags the events move (null: no such tag; absent: unreadable). */
export async function lookUpTags(events: readonly RecordedEvent[]): Promise<Record<string, string | null>> {
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
