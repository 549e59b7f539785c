// The CLI's one I/O module: what a command is given (its directory, output streams, environment), how
// errors become one line and an exit code, and how settings are spelled back to the user.
import { ParseArgsConfig } from "node:util";
import { SlipwayInputError } from "../plan/errors";
import { findProjectDir } from "../engine/environment";
import { checkStackName } from "../engine/stack";
import { EXIT, UsageError, parseCommandArgs } from "./usage";

export interface CliIo {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
}

export interface CommandIo extends CliIo {
  readonly stderr?: (text: string) => void;
  /** Environment for the engine. Defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal. Defaults to process.stderr.isTTY. */
  readonly isTTY?: boolean;
}

/** The command's stderr, this process's when none is given. */
export function stderrOf(io: CommandIo): (text: string) => void {
  return io.stderr ?? ((text: string) => process.stderr.write(text));
}

const PLAN_FLAGS: Record<string, string> = {
  version: "--version",
  commit: "--commit",
  commitTime: "--commit-time",
  published: "--published",
  platforms: "--platform",
  imagePlatforms: "--image-platform",
  tagTemplates: "--tag-template",
  name: "--name",
  archives: "--archives",
  latest: "--latest",
  title: "--title",
  description: "--description",
  source: "--source",
  licenses: "--licenses",
};

/** `platforms[2]` → `--platform #3`: errors of `slipway plan` name the flag the user typed. */
export function flagFor(key: string): string {
  const match = /^([A-Za-z]+)(?:\[(\d+)\])?/.exec(key);
  const flag = match?.[1] === undefined ? undefined : PLAN_FLAGS[match[1]];
  if (flag === undefined) return key;
  return match?.[2] === undefined ? flag : `${flag} #${Number(match[2]) + 1}`;
}

const STACK_COMMAND_SPELLING: Record<string, string> = {
  version: "<version>",
  stack: "--stack",
  commit: "--commit",
  commitTime: "--commit-time",
  cwd: "--cwd",
};

/** For the commands on a stack: a setting as the user wrote it: positional version, a flag, or a stack setting. */
export function spellSetting(key: string): string {
  return STACK_COMMAND_SPELLING[key] ?? `slipway:${key}`;
}

/** Runs a command body; bad input becomes one line on stderr and exit 2, any other error exit 1. */
export async function guarded(
  io: CommandIo,
  body: () => number | Promise<number>,
  spell: (key: string) => string = spellSetting,
): Promise<number> {
  const stderr = stderrOf(io);
  try {
    return await body();
  } catch (error) {
    if (error instanceof SlipwayInputError) {
      stderr(`error: ${error.describe(spell)}\n`);
      return EXIT.badInput;
    }
    if (error instanceof UsageError) {
      stderr(`error: ${error.message}\n`);
      return EXIT.badInput;
    }
    stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<T extends Options> = ReturnType<typeof parseCommandArgs<T>>;

/** A command's name, help text and options (without `--help`, which every command has). */
export interface CommandSpec<T extends Options> {
  readonly name: string;
  readonly help: string;
  readonly options: T;
}

/** Parses a command's arguments inside {@link guarded}; `--help` prints the help and exits 0 without running `body`. */
export async function command<T extends Options>(
  io: CommandIo,
  argv: readonly string[],
  spec: CommandSpec<T>,
  body: (args: Parsed<T>) => Promise<number>,
): Promise<number> {
  return guarded(io, async () => {
    const options = { ...spec.options, help: { type: "boolean", short: "h" } } as const;
    const parsed = parseCommandArgs(argv, options, spec.name);
    if ((parsed.values as { help?: unknown }).help === true) {
      io.stdout(spec.help);
      return EXIT.ok;
    }
    return body(parsed);
  });
}

/** Whether progress may redraw a line: stderr is a terminal and this is not CI. */
export function isLive(io: CommandIo): boolean {
  const env = io.env ?? process.env;
  return (io.isTTY ?? process.stderr.isTTY === true) && env.CI !== "true";
}

/** Where an engine command runs: the stack (checked first), the project containing `cwd`, the environment. */
export function stackTarget(io: CommandIo, stack: string): { stack: string; projectDir: string; env: CommandIo["env"] } {
  checkStackName(stack);
  return { stack, projectDir: findProjectDir(io.cwd), env: io.env };
}

/** The project `doctor` looks at: the one containing the current directory, else the directory itself. */
export function projectDirFor(cwd: string): string {
  try {
    return findProjectDir(cwd);
  } catch {
    return cwd;
  }
}
