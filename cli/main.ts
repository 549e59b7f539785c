import { SlipwayInputError } from "../plan/errors";
import { flagFor, runPlan, CliIo } from "./plan";
import { EXIT, UsageError } from "./usage";

const HELP = `Usage: slipway <command> [options]

Commands:
  plan      print the release plan for a version and commit (tags, assets, labels)

Run slipway <command> --help for a command's options.
`;

type Command = "plan";
const COMMANDS: Record<Command, (argv: readonly string[], io: CliIo) => number> = {
  plan: runPlan,
};

export interface MainIo extends CliIo {
  readonly stderr: (text: string) => void;
}

/** Runs the CLI and returns its exit code: 0 success, 1 failure, 2 bad input. */
export function main(argv: readonly string[], io: MainIo): number {
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
