// `slipway preview --stack <s> --markdown [--out file]`: the PR comment body, from the engine's events.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { canonicalJson } from "../plan/canonicalJson";
import { countLine } from "../plan/previewMarkdown";
import { preview } from "../engine/preview";
import { CommandIo, command, stackTarget } from "./io";
import { EXIT, UsageError } from "./usage";

export const PREVIEW_HELP = `Usage: slipway preview --stack <stack> [--markdown] [--out <file>] [--json]

Previews the stack as configured (changes nothing, sets no config) and describes what an update would do:
which tags move from which digest to which, release assets added or replaced, secrets that rotate (names
only), and resources created, updated, replaced and deleted. Computed from the engine's structured events.

Options:
  --stack <s>      stack to preview (required)
  --markdown       print a pull-request comment body (marked with <!-- slipway-preview -->, at most
                   65536 characters, the longest lists folded into <details>)
  --out <file>     write the output to <file> instead of stdout
  --json           print the facts as JSON
  -h, --help       show this help

Exit codes: 0 previewed, 1 the preview failed, 2 bad input.
`;

const PREVIEW_OPTIONS = {
  stack: { type: "string", short: "s" },
  markdown: { type: "boolean" },
  out: { type: "string", short: "o" },
  json: { type: "boolean" },
} as const;

export async function runPreview(argv: readonly string[], io: CommandIo): Promise<number> {
  return command(io, argv, { name: "preview", help: PREVIEW_HELP, options: PREVIEW_OPTIONS }, async ({ values, positionals }) => {
    if (positionals.length > 0)
      throw new UsageError(`slipway preview: unexpected argument ${JSON.stringify(positionals[0])}; see slipway preview --help`);
    if (values.stack === undefined) throw new UsageError("slipway preview: --stack is required, e.g. --stack local");
    if (values.markdown === true && values.json === true)
      throw new UsageError("slipway preview: --markdown and --json are exclusive; pick one");
    const result = await preview(stackTarget(io, values.stack));
    const f = result.facts;
    const text =
      values.markdown === true
        ? result.markdown
        : values.json === true
          ? `${canonicalJson(f)}\n`
          : [
              `${countLine(f.counts, f.changes)}`,
              ...f.tags.map((t) => `tag ${t.registry}/${t.repository}:${t.tag}: ${t.from ?? "(none)"} -> ${t.to ?? "(new build)"}`),
              ...f.assets.map((a) => `asset ${a.name}: ${a.change}`),
              ...f.rotating.map((s) => `secret ${s}: rotates`),
              ...f.changes.map((c) => `${c.op} ${c.type} ${c.name}`),
              "",
            ].join("\n");
    if (values.out !== undefined) writeFileSync(resolve(io.cwd, values.out), text);
    else io.stdout(text);
    return f.failed ? EXIT.failed : EXIT.ok;
  });
}
