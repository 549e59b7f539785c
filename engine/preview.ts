// Previewing a stack as configured (no config is changed), folded into facts and the PR comment.
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { resolve } from "node:path";
import { PreviewFacts, RecordedEvent, foldPreviewEvents, renderPreviewMarkdown, tapFileSteps } from "../plan/previewMarkdown";
import { StackSettings, parseStackConfig } from "../plan/stackConfig";
import { TapFileChange, downloadBase, previewSha256s, tapFiles, tapRepositoryName } from "../plan/tapFiles";
import { channelArgs, releaseNotes } from "../stacks/channelFiles";
import { StackOptions, errorText, lookUpTags, openStack, previewContext, rawConfig, rememberedOf, slipwayOutputs } from "./stack";

export interface PreviewOptions extends StackOptions {
  readonly onEvent?: (event: EngineEvent) => void;
  readonly signal?: AbortSignal;
}

export interface PreviewResult {
  readonly facts: PreviewFacts;
  readonly markdown: string;
  readonly events: readonly EngineEvent[];
}

/** The stack's settings; none when they do not parse (the preview itself reports why). */
async function settingsOf(stack: Stack): Promise<StackSettings | undefined> {
  try {
    // Notes from commits start after the newest version the stack remembers publishing.
    return parseStackConfig(await rawConfig(stack), rememberedOf(slipwayOutputs(await stack.outputs())));
  } catch {
    return undefined;
  }
}

/**
 * The Homebrew and Scoop files the update commits, each with what the stack last committed there. Content
 * the engine cannot know yet (the archives are rebuilt) is rendered from the plan, each unknown sha256 named.
 */
export function tapFileChanges(events: readonly RecordedEvent[], settings: StackSettings, projectDir: string): TapFileChange[] {
  const steps = tapFileSteps(events);
  if (steps.length === 0) return [];
  const plan = settings.plan;
  const base = downloadBase(plan, settings.github, resolve(projectDir, settings.build.releaseDir));
  return tapFiles(plan, channelArgs(settings.channels, projectDir), (asset) => `${base}/${asset}`).flatMap((file) => {
    const step = steps.find((s) => s.path === file.path);
    if (step === undefined) return [];
    const after = step.after ?? file.render(previewSha256s(plan, {}));
    return [{ channel: file.channel, repository: tapRepositoryName(file.tap), path: file.path, before: step.before, after }];
  });
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
  const settings = await settingsOf(stack);
  const facts = {
    ...foldPreviewEvents(events, await lookUpTags(events), await previewContext(stack)),
    notes: settings === undefined ? undefined : releaseNotes(settings, options.projectDir),
    tapFiles: settings === undefined ? [] : tapFileChanges(events, settings, options.projectDir),
  };
  const result = { facts, markdown: renderPreviewMarkdown(facts), events };
  if (failure !== undefined && !facts.failed) throw new Error(errorText(failure));
  return result;
}
