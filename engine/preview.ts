// Previewing a stack as configured (no config is changed), folded into facts and the PR comment.
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { PreviewFacts, foldPreviewEvents, renderPreviewMarkdown } from "../plan/previewMarkdown";
import { parseStackConfig } from "../plan/stackConfig";
import { releaseNotes } from "../stacks/channelFiles";
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

/** The notes the release will carry; none when the settings do not parse (the preview reports why). */
async function notesOf(stack: Stack, projectDir: string): Promise<string | undefined> {
  try {
    // Notes from commits start after the newest version the stack remembers publishing.
    const remembered = rememberedOf(slipwayOutputs(await stack.outputs()));
    return releaseNotes(parseStackConfig(await rawConfig(stack), remembered), projectDir);
  } catch {
    return undefined;
  }
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
  const facts = {
    ...foldPreviewEvents(events, await lookUpTags(events), await previewContext(stack)),
    notes: await notesOf(stack, options.projectDir),
  };
  const result = { facts, markdown: renderPreviewMarkdown(facts), events };
  if (failure !== undefined && !facts.failed) throw new Error(errorText(failure));
  return result;
}
