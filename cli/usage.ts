import { parseArgs, ParseArgsConfig } from "node:util";
import { parseVersion } from "../plan/version";

/** Bad command-line input: exit code 2, one line on stderr. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

type Options = NonNullable<ParseArgsConfig["options"]>;

/** node's parseArgs in strict mode, with its multi-line errors folded into one UsageError line. */
export function parseCommandArgs<T extends Options>(
  argv: readonly string[],
  options: T,
  command: string,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(`slipway ${command}: ${message}; see slipway ${command} --help`);
  }
}

/** `slipway <command> <version> --stack <s>`: the one version argument and the stack, both required. */
export function versionAndStack(
  command: string,
  positionals: readonly string[],
  stack: string | undefined,
): { version: string; stack: string } {
  const [version, extra] = positionals;
  if (version === undefined)
    throw new UsageError(`slipway ${command}: the version is required, e.g. slipway ${command} 1.4.0 --stack local`);
  if (extra !== undefined)
    throw new UsageError(`slipway ${command}: unexpected argument ${JSON.stringify(extra)}; see slipway ${command} --help`);
  if (stack === undefined) throw new UsageError(`slipway ${command}: --stack is required, e.g. --stack local`);
  parseVersion(version, "version");
  return { version, stack };
}
