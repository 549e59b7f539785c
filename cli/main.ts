import { SlipwayInputError } from "../plan/errors";
import { runDoctor } from "./doctor";
import { flagFor, runPlan, CliIo } from "./plan";
import { runPreview } from "./preview";
import { runRelease } from "./release";
import { EXIT, UsageError } from "./usage";
import { runVerify } from "./verify";

const HELP = `Usage: slipway <command> [options]

Commands:
  plan      print the release plan for a version and commit (tags, assets, labels)
  release   release a version on a stack: set its config, preview, update, summarize (--dry-run to preview)
  preview   describe what an update of a stack would do; --markdown for a pull-request comment
  verify    check a published release against the stack's record of it, without rebuilding
  doctor    check that this machine can release (pulumi, plugins, BuildKit, registry, Athens, backend)

Run slipway <command> --help for a command's options.
`;

type Command = "plan" | "release" | "preview" | "verify" | "doctor";
const COMMANDS: Record<Command, (argv: readonly string[], io: MainIo) => number | Promise<number>> = {
  plan: runPlan,
  release: runRelease,
  preview: runPreview,
  verify: runVerify,
  doctor: runDoctor,
};

export interface MainIo extends CliIo {
  readonly stderr: (text: string) => void;
}

/**
 * Runs the CLI and returns its exit code (a promise of it for the commands that drive the engine):
 * 0 success, 1 failure, 2 bad input.
 */
export function main(argv: readonly string[], io: MainIo): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      io.stdout(HELP);
      return command === undefined ? EXIT.badInput : EXIT.ok;
    }
    if (!(command in COMMANDS)) {
      throw new UsageError(`slipway: unknown command ${JSON.stringify(command)}; commands: ${Object.keys(COMMANDS).join(", ")}`);
    }
    return COMMANDS[command as Command](rest, io);
  } catch (error) {
    if (error instanceof SlipwayInputError) {
      io.stderr(`error: ${error.describe(flagFor)}\n`);
      return EXIT.badInput;
    }
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.badInput;
    }
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}
