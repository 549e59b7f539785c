// `slipway verify <version> --stack <s>`: the CLI face of engine/verify.ts.
import { canonicalJson } from "../plan/canonicalJson";
import { renderChecklist } from "../plan/verifyChecklist";
import { verify } from "../engine/verify";
import { CommandIo, command, stackTarget } from "./io";
import { EXIT, versionAndStack } from "./usage";

export const VERIFY_HELP = `Usage: slipway verify <version> --stack <stack> [--json]

Checks a published release against what the stack recorded for it, without rebuilding anything:
every recorded tag resolves to the recorded digest in every registry; each image index has every planned
platform; the binary in each platform's image equals its release asset; every asset matches SHA256SUMS;
the release is published (not a draft). Prints a checklist.

Options:
  --stack <s>    the stack that published the release (required)
  --json         print the checklist as JSON
  -h, --help     show this help

Not checkable offline (reported as skipped, with the reason): ECR registries (they need AWS credentials)
and GitHub releases (they need the GitHub API).
Exit codes: 0 every check passed, 1 a check failed, 2 bad input.
`;

export async function runVerify(argv: readonly string[], io: CommandIo): Promise<number> {
  const spec = {
    name: "verify",
    help: VERIFY_HELP,
    options: { stack: { type: "string", short: "s" }, json: { type: "boolean" } },
  } as const;
  return command(io, argv, spec, async ({ values, positionals }) => {
    const { version, stack } = versionAndStack("verify", positionals, values.stack);
    const report = await verify({ ...stackTarget(io, stack), version });
    io.stdout(values.json === true ? `${canonicalJson(report)}\n` : renderChecklist(report.version, report.items));
    return report.ok ? EXIT.ok : EXIT.failed;
  });
}
