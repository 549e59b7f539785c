// `slipway verify <version> --stack <s>`: the CLI face of engine/verify.ts.
import { canonicalJson } from "../plan/canonicalJson";
import { renderChecklist } from "../plan/verifyChecklist";
import { verify } from "../engine/verify";
import { CommandIo, command, stackTarget } from "./io";
import { EXIT, versionAndStack } from "./usage";

export const VERIFY_HELP = `Usage: slipway verify <version> --stack <stack> [--allow-unchecked <name>]... [--json]

Checks a published release against what the stack recorded for it, without rebuilding anything:
- every recorded tag resolves to the recorded digest in every registry (ECR too, logged in with a token
  from ECR GetAuthorizationToken through the aws CLI), each image index has every planned platform, and
  the binary in each platform's image equals its release asset;
- a GitHub release (read with the stack's GitHub token): the release with the exact-version tag exists,
  is not a draft, and has every recorded asset with the recorded sha256 digest;
- a release directory: it exists, is not a draft, every asset matches SHA256SUMS and SHA256SUMS lists
  exactly the recorded assets; with signing, SBOMs and provenance on: the index and SHA256SUMS verify with a
  key in cosign.pub, each SBOM lists its binary's modules, the provenance subjects match the record (a
  GitHub release's files are not downloaded: those checks cannot run there).
Prints a checklist. A check that cannot run (no ECR token, GitHub unreachable, no token) FAILS.

Options:
  --stack <s>               the stack that published the release (required)
  --allow-unchecked <name>  let the checks called <name> go unchecked instead of failing: a registry's
                            name (e.g. ecr), github-release or supply-chain, as the failing line prints it;
                            repeatable
  --json                    print the checklist as JSON
  -h, --help                show this help

Exit codes: 0 every check passed, 1 a check failed or could not run, 2 bad input.
`;

export async function runVerify(argv: readonly string[], io: CommandIo): Promise<number> {
  const options = {
    stack: { type: "string", short: "s" },
    "allow-unchecked": { type: "string", multiple: true },
    json: { type: "boolean" },
  } as const;
  return command(io, argv, { name: "verify", help: VERIFY_HELP, options }, async ({ values, positionals }) => {
    const { version, stack } = versionAndStack("verify", positionals, values.stack);
    const report = await verify({ ...stackTarget(io, stack), version, allowUnchecked: values["allow-unchecked"] ?? [] });
    io.stdout(values.json === true ? `${canonicalJson(report)}\n` : renderChecklist(report.version, report.items));
    return report.ok ? EXIT.ok : EXIT.failed;
  });
}
