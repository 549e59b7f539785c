import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { canonicalJson } from "../plan/canonicalJson";
import { SlipwayInputError } from "../plan/errors";
import { ReleaseInput, planRelease } from "../plan/releasePlan";
import { renderPlanText } from "../plan/render";
import { CliIo } from "./io";
import { parseCommandArgs, UsageError } from "./usage";

export const PLAN_HELP = `Usage: slipway plan --version <v> --commit <sha> [options]

Prints what releasing <v> from <sha> publishes: tags (and which floating tags move, and why),
release assets, SHA256SUMS order and image labels. Reads no stack and changes nothing.

Options:
  --version <v>            version to release, e.g. 1.4.0 or v1.4.0 (required)
  --commit <sha>           full 40-hex commit sha (required)
  --commit-time <iso8601>  commit time with a zone; defaults to the commit's time in the git repository here
  --published <v,...>      versions already published, as 1.4.0 or 1.4.0@<sha>; repeatable
  --platform <os/arch>     asset platform; repeatable, replaces the default six
  --image-platform <p>     image platform; repeatable, replaces linux/amd64 and linux/arm64
  --tag-template <t>       tag template; repeatable, replaces the default set
  --name <name>            program name; defaults to the last element of ./go.mod's module path, else this directory's name
  --archives <fmt>         tar.gz (default) or none
  --latest <auto|true|false>  auto (default): latest moves when earned; false: it stays; true: refuse unless earned
  --title <text>, --description <text>, --source <https url>, --licenses <spdx>
  --json                   print the plan as JSON (keys sorted)
  -h, --help               show this help
`;

function defaultName(cwd: string): string {
  const goMod = `${cwd}/go.mod`;
  if (existsSync(goMod)) {
    const module = /^module\s+(\S+)/m.exec(readFileSync(goMod, "utf8"))?.[1];
    const last = module
      ?.split("/")
      .filter((p) => !/^v\d+$/.test(p))
      .pop();
    if (last !== undefined) return last;
  }
  return basename(cwd);
}

function commitTimeFromGit(cwd: string, commit: string): string {
  try {
    return execFileSync("git", ["show", "-s", "--format=%cI", `${commit}^{commit}`], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    throw new SlipwayInputError(
      "commitTime",
      undefined,
      `not given, and commit ${commit.slice(0, 12)} is not in a git repository here`,
      "pass --commit-time, e.g. --commit-time 2026-11-20T10:00:00Z",
    );
  }
}

export function runPlan(argv: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      version: { type: "string" },
      commit: { type: "string" },
      "commit-time": { type: "string" },
      published: { type: "string", multiple: true },
      platform: { type: "string", multiple: true },
      "image-platform": { type: "string", multiple: true },
      "tag-template": { type: "string", multiple: true },
      name: { type: "string" },
      archives: { type: "string" },
      latest: { type: "string" },
      title: { type: "string" },
      description: { type: "string" },
      source: { type: "string" },
      licenses: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "plan",
  );
  if (values.help === true) {
    io.stdout(PLAN_HELP);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`slipway plan: unexpected argument ${JSON.stringify(positionals[0])}; see slipway plan --help`);
  }
  if (values.version === undefined) throw new UsageError("slipway plan: --version is required, e.g. --version 1.4.0");
  if (values.commit === undefined) throw new UsageError("slipway plan: --commit is required, e.g. --commit $(git rev-parse HEAD)");
  const input: ReleaseInput = {
    name: values.name ?? defaultName(io.cwd),
    version: values.version,
    commit: values.commit,
    commitTime: values["commit-time"] ?? commitTimeFromGit(io.cwd, values.commit),
    published: values.published?.flatMap((list) => list.split(",")).filter((v) => v !== ""),
    platforms: values.platform,
    imagePlatforms: values["image-platform"],
    tagTemplates: values["tag-template"],
    archives: values.archives,
    latest: values.latest,
    title: values.title,
    description: values.description,
    source: values.source,
    licenses: values.licenses,
  };
  const plan = planRelease(input);
  io.stdout(values.json === true ? canonicalJson(plan) + "\n" : renderPlanText(plan));
  return 0;
}
