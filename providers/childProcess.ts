// How a dynamic provider runs a program (go, cosign, cyclonedx-gomod, xz, nfpm): asynchronously, because every
// dynamic resource of an update shares one provider process and a blocking call would make the others wait.
// Each caller words its own failure.
import { ExecFileException, execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export interface ProgramOptions {
  /** Defaults to the provider process's working directory. */
  readonly cwd?: string;
  /** Defaults to the provider process's environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** Written to the program's standard input, which is then closed. Defaults to nothing (closed at once). */
  readonly input?: string | Buffer;
  /** Killed (SIGKILL) after this many milliseconds. Defaults to no limit. */
  readonly timeoutMs?: number;
  /** Largest standard output or error kept, in bytes. Defaults to 64 MiB. */
  readonly maxBuffer?: number;
}

export interface ProgramFailure {
  readonly error: ExecFileException;
  /** Whether it was killed for running past `timeoutMs`. */
  readonly timedOut: boolean;
  readonly stderr: string;
}

/** A failure's message: the caller's reading of what the program said. */
export type DescribeFailure = (failure: ProgramFailure) => Error;

const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024;

function runProgram<T extends string | Buffer>(
  encoding: "utf8" | "buffer",
  file: string,
  args: readonly string[],
  options: ProgramOptions,
  describe: DescribeFailure,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      {
        cwd: options.cwd,
        env: options.env,
        encoding,
        maxBuffer: options.maxBuffer ?? DEFAULT_MAX_BUFFER,
        timeout: options.timeoutMs ?? 0,
        killSignal: "SIGKILL",
      },
      (error, stdout, stderr) => {
        if (error === null) return resolve(stdout as T);
        // Node kills a program only when it runs past `timeout` (a too-long output is a plain error).
        reject(describe({ error, timedOut: error.killed === true, stderr: stderr.toString() }));
      },
    );
    // A program that exits early (a bad option) may close its standard input before all of it is written.
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(options.input);
  });
}

/** `file args`'s standard output as text; rejects with `describe`'s error when it fails. */
export function programOutput(file: string, args: readonly string[], options: ProgramOptions, describe: DescribeFailure): Promise<string> {
  return runProgram<string>("utf8", file, args, options, describe);
}

/** `file args`'s standard output as bytes; rejects with `describe`'s error when it fails. */
export function programBytes(file: string, args: readonly string[], options: ProgramOptions, describe: DescribeFailure): Promise<Buffer> {
  return runProgram<Buffer>("buffer", file, args, options, describe);
}

/** The last `count` lines of a program's standard error, joined by " | ". */
export function lastLines(stderr: string, count: number): string {
  return stderr.trim().split("\n").slice(-count).join(" | ");
}

/** The first executable `binary` in the directories of `path` (a PATH value); undefined when none has it. */
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
