// A file committed to a local git repository standing in for a Homebrew tap or Scoop bucket: one commit
// per change of content, none when the content is already there.
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource } from "./dynamicResource";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { InputsOf } from "./inputs";

export interface LocalGitFileInputs {
  /** The repository (created with `git init` when missing). */
  readonly repository: string;
  readonly branch: string;
  /** Path inside the repository. */
  readonly path: string;
  readonly content: string;
  readonly message: string;
  readonly authorName: string;
  readonly authorEmail: string;
  /** Commit time (seconds since the epoch), so the commit does not depend on when it was made. */
  readonly commitEpoch: number;
}

export interface LocalGitFileOutputs extends LocalGitFileInputs {
  /** The commit that holds this content. */
  readonly commit: string;
}

function git(repository: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync("git", ["-C", repository, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: repository, GIT_CONFIG_NOSYSTEM: "1", ...env },
  }).trim();
}

/** Writes and commits the file unless the branch already holds this content. */
export function commitLocalGitFile(inputs: LocalGitFileInputs): LocalGitFileOutputs {
  const repo = inputs.repository;
  if (!existsSync(join(repo, ".git"))) {
    mkdirSync(repo, { recursive: true });
    git(repo, ["init", "--quiet", `--initial-branch=${inputs.branch}`]);
  }
  const hasCommits = (() => {
    try {
      git(repo, ["rev-parse", "--verify", "--quiet", "HEAD"]);
      return true;
    } catch {
      return false;
    }
  })();
  if (hasCommits) git(repo, ["checkout", "--quiet", inputs.branch]);
  const file = join(repo, inputs.path);
  if (
    hasCommits &&
    existsSync(file) &&
    readFileSync(file, "utf8") === inputs.content &&
    git(repo, ["status", "--porcelain", "--", inputs.path]) === ""
  ) {
    return { ...inputs, commit: git(repo, ["rev-parse", "HEAD"]) };
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, inputs.content);
  git(repo, ["add", "--", inputs.path]);
  const date = `@${inputs.commitEpoch} +0000`;
  git(repo, ["-c", "commit.gpgsign=false", "commit", "--quiet", "-m", inputs.message, "--", inputs.path], {
    GIT_AUTHOR_NAME: inputs.authorName,
    GIT_AUTHOR_EMAIL: inputs.authorEmail,
    GIT_COMMITTER_NAME: inputs.authorName,
    GIT_COMMITTER_EMAIL: inputs.authorEmail,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  });
  return { ...inputs, commit: git(repo, ["rev-parse", "HEAD"]) };
}

const KEYS: readonly (keyof LocalGitFileInputs)[] = [
  "repository",
  "branch",
  "path",
  "content",
  "message",
  "authorName",
  "authorEmail",
  "commitEpoch",
];

export const localGitFileProvider: pulumi.dynamic.ResourceProvider = {
  // eslint-disable-next-line @typescript-eslint/require-await
  async create(inputs: LocalGitFileInputs) {
    return { id: `${inputs.repository}:${inputs.path}`, outs: commitLocalGitFile(inputs) };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id: string, olds: LocalGitFileOutputs, news: LocalGitFileInputs) {
    const changed = KEYS.filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
    const replaces = changed.filter((key) => key === "repository" || key === "path");
    return { changes: changed.length > 0, replaces, stables: [] };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async update(_id: string, _olds: LocalGitFileOutputs, news: LocalGitFileInputs) {
    return { outs: commitLocalGitFile(news) };
  },
  // Published formulas stay in the tap: deleting the stack does not rewrite the tap's history.
  async delete() {},
};

export class LocalGitFile extends DynamicResource {
  declare public readonly commit: pulumi.Output<string>;

  constructor(name: string, args: InputsOf<LocalGitFileInputs>, opts?: pulumi.CustomResourceOptions) {
    super(localGitFileProvider, name, { ...args, commit: undefined }, opts, "slipway", "LocalGitFile");
  }
}
