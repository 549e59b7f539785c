// A Go repository that slipway has never seen, with slipway installed the way a user installs it: the npm
// tarball of this checkout (npm pack), no file of the checkout involved afterwards.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseDocument } from "yaml";
import { REPO, Run, runNodeScript } from "./project";
import { scratchDir } from "./scratch";

/** The commit time of every test repository, so that two runs build the same bytes. */
export const COMMIT_DATE = "2026-11-20T10:00:00Z";

/** `npm pack` of a copy of this checkout (its tracked and untracked, not ignored, files), after `npm run build`. */
export function packSlipway(): string {
  const root = scratchDir("slipway-pack-");
  const copy = join(root, "slipway");
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: REPO, encoding: "utf8" })
    .split("\0")
    .filter((f) => f !== "");
  for (const file of files) {
    mkdirSync(join(copy, dirname(file)), { recursive: true });
    cpSync(join(REPO, file), join(copy, file));
  }
  symlinkSync(join(REPO, "node_modules"), join(copy, "node_modules"));
  execFileSync("npm", ["run", "build"], { cwd: copy, stdio: "ignore" });
  const name =
    execFileSync("npm", ["pack", "--pack-destination", root, "--silent"], { cwd: copy, encoding: "utf8" }).trim().split("\n").pop() ?? "";
  return join(root, name);
}

/** The environment of a user's shell: none of this checkout's toolchain exports, state or passphrase. */
export function userEnv(): Record<string, string> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), CI: "true" };
  for (const key of ["PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE", "PULUMI_HOME"]) delete env[key];
  return env;
}

export class UserRepo {
  readonly dir: string;

  /**
   * Copies `source` (a Go module) into a new git repository with one commit at {@link COMMIT_DATE}; what
   * slipway or npm left in it (examples/hello-go is released by the README's first command) is not copied.
   */
  constructor(name: string, source: string, prepare?: (dir: string) => void) {
    this.dir = join(scratchDir(`slipway-user-${name}-`), name);
    const releaseTooling = new Set(
      ["Pulumi.yaml", "stacks", "package.json", "package-lock.json", "node_modules", ".gitignore", ".slipway", "dist"].map((f) =>
        join(source, f),
      ),
    );
    cpSync(source, this.dir, { recursive: true, filter: (path) => !releaseTooling.has(path) });
    makeWritable(this.dir);
    prepare?.(this.dir);
    const git = {
      ...process.env,
      GIT_AUTHOR_NAME: "user",
      GIT_AUTHOR_EMAIL: "user@localhost",
      GIT_COMMITTER_NAME: "user",
      GIT_COMMITTER_EMAIL: "user@localhost",
      GIT_AUTHOR_DATE: COMMIT_DATE,
      GIT_COMMITTER_DATE: COMMIT_DATE,
    };
    for (const args of [
      ["init", "-q"],
      ["add", "-A"],
      ["commit", "-q", "-m", "the project as published"],
    ])
      execFileSync("git", args, { cwd: this.dir, env: git });
  }

  /** `npm install --save-dev <tarball> @pulumi/pulumi@<ours>`, install scripts off (they would download plugins). */
  install(tarball: string): void {
    writeFileSync(join(this.dir, "package.json"), `${JSON.stringify({ name: "release-tooling", private: true }, null, 2)}\n`);
    const pulumiVersion =
      (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies[
        "@pulumi/pulumi"
      ] ?? "";
    execFileSync(
      "npm",
      [
        "install",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        "--save-dev",
        tarball,
        `@pulumi/pulumi@${pulumiVersion}`,
      ],
      { cwd: this.dir, stdio: "ignore" },
    );
  }

  /** Runs the installed `slipway` bin in the repository, not on a terminal. */
  slipway(args: readonly string[], env: Record<string, string> = userEnv()): Promise<Run> {
    return runNodeScript(join(this.dir, "node_modules", "slipway", "bin", "slipway.js"), args, { cwd: this.dir, env });
  }

  /** The pulumi CLI as a user runs it by hand: `eval "$(npx slipway toolchain env)"`, then pulumi. */
  pulumi(args: readonly string[]): string {
    const script = 'eval "$(node node_modules/slipway/bin/slipway.js toolchain env)" && pulumi "$@" --non-interactive --color never';
    return execFileSync("bash", ["-c", script, "pulumi", ...args], {
      cwd: this.dir,
      env: userEnv(),
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
  }

  /** Edits a stack file's `slipway:*` settings in place, keeping its comments. */
  editStack(stack: string, edit: (config: Record<string, unknown>) => void): void {
    const path = join(this.dir, "stacks", `Pulumi.${stack}.yaml`);
    const document = parseDocument(readFileSync(path, "utf8"));
    const config = (document.toJS() as { config: Record<string, unknown> }).config;
    edit(config);
    document.set("config", config);
    writeFileSync(path, document.toString());
  }

  readStack(stack: string): Record<string, unknown> {
    return (
      parseDocument(readFileSync(join(this.dir, "stacks", `Pulumi.${stack}.yaml`), "utf8")).toJS() as { config: Record<string, unknown> }
    ).config;
  }
}

function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) makeWritable(path);
    else chmodSync(path, statSync(path).mode | 0o200);
  }
}
