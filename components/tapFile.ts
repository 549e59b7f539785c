import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { isAbsolute } from "node:path";
import { SlipwayInputError } from "../plan/errors";
import { TapSettings } from "../plan/taps";
import { LocalGitFile } from "../providers/localGitFile";

export interface TapFileArgs {
  /** Where the file is committed (`slipway:homebrew` or `slipway:scoop`, a local path already absolute). Required. */
  readonly tap: TapSettings;
  /** Path inside the repository, e.g. `Formula/hello.rb`. Required. */
  readonly path: string;
  /** The file's content. Required. */
  readonly content: pulumi.Input<string>;
  /** Commit message. Required. */
  readonly message: string;
  /** Commit time of the release, for the local repository's commit. Required. */
  readonly commitEpoch: number;
  /** Token that may write to the GitHub repository; required for a GitHub repository. Defaults to unset. */
  readonly token?: pulumi.Input<string>;
}

/**
 * One file of a Homebrew tap or Scoop bucket, committed once per release with the configured author:
 * through the GitHub API (`github.RepositoryFile`) or into a local git repository standing in for it.
 */
export class TapFile extends pulumi.ComponentResource {
  /** The commit (local repository) or the file's blob sha (GitHub). */
  public readonly revision: pulumi.Output<string>;

  constructor(name: string, args: TapFileArgs, opts?: pulumi.ComponentResourceOptions) {
    const repository = args.tap.repository;
    if (repository.kind === "github" && args.token === undefined) {
      throw new SlipwayInputError(
        "tokenSecret",
        undefined,
        `committing to ${repository.owner}/${repository.repo} needs a token`,
        `pulumi config set --secret slipway:${repository.tokenSecret} <token>`,
      );
    }
    if (repository.kind === "local" && !isAbsolute(repository.path)) {
      throw new SlipwayInputError(
        "path",
        repository.path,
        "must be absolute by the time it reaches TapFile",
        "resolve it against the project",
      );
    }
    super("slipway:packages:TapFile", name, {}, opts);
    if (repository.kind === "github") {
      const provider = new github.Provider(
        `${name}-github`,
        { owner: repository.owner, token: pulumi.secret(args.token as pulumi.Input<string>) },
        { parent: this },
      );
      const file = new github.RepositoryFile(
        `${name}-file`,
        {
          repository: repository.repo,
          branch: repository.branch,
          file: args.path,
          content: args.content,
          commitMessage: args.message,
          commitAuthor: args.tap.author.name,
          commitEmail: args.tap.author.email,
          overwriteOnCreate: true,
        },
        { parent: this, provider, retainOnDelete: true },
      );
      this.revision = file.sha;
    } else {
      const file = new LocalGitFile(
        `${name}-file`,
        {
          repository: repository.path,
          branch: repository.branch,
          path: args.path,
          content: args.content,
          message: args.message,
          authorName: args.tap.author.name,
          authorEmail: args.tap.author.email,
          commitEpoch: args.commitEpoch,
        },
        { parent: this, retainOnDelete: true },
      );
      this.revision = file.commit;
    }
    this.registerOutputs({ revision: this.revision });
  }
}
