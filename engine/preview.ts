// Previewing a stack as configured (no config is changed), folded into facts and the PR comment.
import { EngineEvent } from "@pulumi/pulumi/automation";
import { PreviewFacts, foldPreviewEvents, renderPreviewMarkdown } from "../plan/previewMarkdown";
import { StackOptions, errorText, lookUpTags, openStack } from "./stack";

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
