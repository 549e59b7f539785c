// `slipway release <version> --stack <s>`: the CLI face of engine/release.ts.
import { createInterface } from "node:readline/promises";
import { PreviewFacts, countLine } from "../plan/previewMarkdown";
import { ReleaseSummary, renderReleaseSummary } from "../plan/releaseSummary";
import { canonicalJson } from "../plan/canonicalJson";
import { ReleaseFailed, ReleaseResult, release } from "../engine/release";
import { CommandIo, command, isLive, stackTarget, stderrOf } from "./io";
import { Progress } from "./progress";
import { EXIT, UsageError, versionAndStack } from "./usage";

export const RELEASE_HELP = `Usage: slipway release <version> --stack <stack> [options]

Sets slipway:version (and slipway:commit, slipway:commitTime) on the stack, previews, and updates it
with the Pulumi Automation API and the pulumi CLI on PATH. Shows live progress and ends with a summary:
each registry's tag -> digest, each asset -> sha256, the release location and what was already published.

Options:
  --stack <s>            stack to release with, e.g. local or release (required)
  --commit <sha>         commit to release; defaults to HEAD of the git repository here, else the stack's
  --commit-time <iso>    commit time; defaults to git's time for the commit
  --dry-run              preview only: show what would change and change nothing
  --yes                  update without asking (required when not on a terminal)
  --continue-on-error    keep updating independent resources after one fails
  --json                 print the summary as JSON
  -h, --help             show this help

Ctrl-C stops cleanly: steps in flight finish, the state is saved, and re-running the same command resumes.
Exit codes: 0 released (or previewed), 1 the update failed or was cancelled, 2 bad input.
`;

async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function previewText(preview: PreviewFacts): string {
  const lines = [`preview: ${countLine(preview.counts, preview.changes)}`];
  for (const t of preview.tags)
    lines.push(`  tag ${t.registry}/${t.repository}:${t.tag}: ${t.from ?? "(none)"} -> ${t.to ?? "(new build)"}`);
  if (preview.rotating.length > 0) lines.push(`  secrets that rotate: ${preview.rotating.join(", ")}`);
  return `${lines.join("\n")}\n`;
}

export function summaryJson(summary: ReleaseSummary): string {
  return `${canonicalJson(summary)}\n`;
}

const RELEASE_OPTIONS = {
  stack: { type: "string", short: "s" },
  commit: { type: "string" },
  "commit-time": { type: "string" },
  "dry-run": { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  "continue-on-error": { type: "boolean" },
  json: { type: "boolean" },
} as const;

export async function runRelease(argv: readonly string[], io: CommandIo): Promise<number> {
  return command(io, argv, { name: "release", help: RELEASE_HELP, options: RELEASE_OPTIONS }, async ({ values, positionals }) => {
    const { version, stack } = versionAndStack("release", positionals, values.stack);
    const dryRun = values["dry-run"] === true;
    const live = isLive(io);
    if (!dryRun && values.yes !== true && !live) {
      throw new UsageError(
        "slipway release: not on a terminal, so nothing can be confirmed; pass --yes to update, or --dry-run to preview",
      );
    }
    const target = stackTarget(io, stack);
    const stderr = stderrOf(io);
    const controller = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
      interrupts += 1;
      if (interrupts > 1) {
        stderr(
          "\nslipway: second Ctrl-C, exiting now; the stack may hold pending operations (run `pulumi refresh --stack " + stack + "`)\n",
        );
        process.exit(130);
      }
      stderr("\nslipway: cancelling: steps in flight finish and the state is saved (Ctrl-C again to exit at once)\n");
      controller.abort();
    };
    process.on("SIGINT", onSigint);

    let progress = new Progress({ total: undefined, write: stderr, live });
    let phase: "preview" | "update" = "preview";
    let previewSteps = new Set<string>();
    let result: ReleaseResult;
    try {
      result = await release({
        ...target,
        version,
        commit: values.commit,
        commitTime: values["commit-time"],
        dryRun,
        continueOnError: values["continue-on-error"] === true,
        signal: controller.signal,
        onEvent: (event) => {
          if (phase === "preview") {
            const urn = event.resourcePreEvent?.metadata.urn;
            if (urn !== undefined) previewSteps.add(urn);
            if (event.summaryEvent !== undefined && dryRun) progress.stop();
            return;
          }
          progress.onEvent(event);
        },
        confirm: async (preview) => {
          stderr(previewText(preview));
          if (values.yes !== true && !(await ask(`release ${version} on ${stack}? [y/N] `))) return false;
          phase = "update";
          progress.stop();
          progress = new Progress({ total: previewSteps.size, write: stderr, live });
          previewSteps = new Set();
          return true;
        },
      });
    } catch (error) {
      progress.stop();
      if (!(error instanceof ReleaseFailed)) throw error;
      const summary = error.result.summary;
      io.stdout(values.json === true ? summaryJson(summary) : renderReleaseSummary(summary));
      if (summary.outcome === "cancelled") {
        stderr(`slipway: cancelled. What finished is saved in the stack; resume with: slipway release ${version} --stack ${stack} --yes\n`);
      } else {
        stderr(`error: the ${dryRun ? "preview" : "update"} failed:\n${error.message}\n`);
      }
      return EXIT.failed;
    } finally {
      process.off("SIGINT", onSigint);
    }
    progress.stop();
    if (dryRun) stderr(previewText(result.preview));
    io.stdout(values.json === true ? summaryJson(result.summary) : renderReleaseSummary(result.summary));
    return EXIT.ok;
  });
}
