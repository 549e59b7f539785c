import { resolve } from "node:path";
import { runDoctor } from "./doctor";
import { runInit } from "./init";
import { runToolchain } from "./toolchain";
import { CliIo, flagFor, guarded } from "./io";
import { runPlan } from "./plan";
import { runPreview } from "./preview";
import { runRelease } from "./release";
import { EXIT, UsageError } from "./usage";
import { runVerify } from "./verify";

const HELP = `Usage: slipway <command> [options]

Commands:
  init      write Pulumi.yaml and the stacks for this Go repository (--from-goreleaser to migrate .goreleaser.yml)
  toolchain build and start the local tools releases need (pulumi, BuildKit, Athens, a registry)
  plan      print the release plan for a version and commit (tags, assets, labels)
  release   release a version on a stack: set its config, preview, update, summarize (--dry-run to preview)
  preview   describe what an update of a stack would do; --markdown for a pull-request comment
  verify    check a published release against the stack's record of it, without rebuilding
  doctor    check that this machine can release (pulumi, plugins, BuildKit, registry, Athens, backend)

Every command runs in the Go repository of the current directory (the nearest Pulumi.yaml upwards);
--cwd <dir> anywhere on the command line runs it in <dir> instead.
Run slipway <command> --help for a command's options.
`;

type Command = "init" | "toolchain" | "plan" | "release" | "preview" | "verify" | "doctor";
const COMMANDS: Record<Command, (argv: readonly string[], io: MainIo) => number | Promise<number>> = {
  init: runInit,
  toolchain: runToolchain,
  plan: runPlan,
  release: runRelease,
  preview: runPreview,
  verify: runVerify,
  doctor: runDoctor,
};

export interface MainIo extends CliIo {
  readonly stderr: (text: string) => void;
}

/** Runs the CLI and returns its exit code: 0 success, 1 failure, 2 bad input. */
export async function main(argv: readonly string[], mainIo: MainIo): Promise<number> {
  let io = mainIo;
  return guarded(
    io,
    () => {
      const { cwd, rest: args } = takeCwd(argv);
      if (cwd !== undefined) io = { ...io, cwd: resolve(io.cwd, cwd) };
      const [command, ...rest] = args;
      if (command === undefined || command === "--help" || command === "-h" || command === "help") {
        io.stdout(HELP);
        return command === undefined ? EXIT.badInput : EXIT.ok;
      }
      if (!(command in COMMANDS)) {
        throw new UsageError(`slipway: unknown command ${JSON.stringify(command)}; commands: ${Object.keys(COMMANDS).join(", ")}`);
      }
      return COMMANDS[command as Command](rest, io);
    },
    flagFor,
  );
}

/** `--cwd <dir>` or `--cwd=<dir>`, wherever it stands; the rest of the arguments in order. */
export function takeCwd(argv: readonly string[]): { cwd: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let cwd: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--cwd" || arg.startsWith("--cwd=")) {
      cwd = arg === "--cwd" ? argv[++i] : arg.slice("--cwd=".length);
      if (cwd === undefined || cwd === "") throw new UsageError("slipway: --cwd needs a directory, e.g. --cwd ../my-repo");
    } else {
      rest.push(arg);
    }
  }
  return { cwd, rest };
}
