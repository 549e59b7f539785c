// A user's checkout of the project in a temporary directory, driven with the real pulumi CLI.
import { ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, symlinkSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { toolchainExports } from "../../../engine/environment";
import { buildIfStale } from "../../../scripts/build.cjs";
import { scratchDir } from "./scratch";

export const REPO = join(__dirname, "..", "..", "..");

let built = false;
/** Builds this repository's lib/ when a source is newer (once per test process). */
function builtOnce(): void {
  if (built) return;
  buildIfStale(REPO);
  built = true;
}

/** The environment scripts/toolchain.sh says the engine needs (PATH, offline switches, builder, this checkout's state). */
export function toolchainEnv(): Record<string, string> {
  return toolchainExports(REPO, process.env);
}

/**
 * A fresh PULUMI_HOME at `dir` (no workspace or credentials of the developer's) that still has the plugins the
 * toolchain installed: the engine takes docker-build from the plugin cache, never from PATH.
 */
export function pulumiHome(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const plugins = join(process.env.PULUMI_HOME ?? join(homedir(), ".pulumi"), "plugins");
  if (!existsSync(join(dir, "plugins"))) symlinkSync(plugins, join(dir, "plugins"));
  return dir;
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a Node.js script to completion, not on a terminal, collecting what it prints. */
export function runNodeScript(
  script: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface PulumiRun {
  readonly code: number;
  readonly output: string;
}

export class Checkout {
  readonly dir: string;
  readonly state: string;
  /** The engine's environment for this checkout (e.g. for an Automation API workspace). */
  readonly env: Record<string, string>;

  /** `extraEnv` overrides the toolchain's environment, e.g. a BuildKit of the test's own. */
  constructor(
    readonly passphrase: string,
    extraEnv: Record<string, string> = {},
  ) {
    const root = scratchDir("slipway-e2e-");
    this.dir = join(root, "project");
    this.state = join(root, "state");
    mkdirSync(this.state);
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: REPO, encoding: "utf8" })
      .split("\0")
      .filter((f) => f !== "");
    for (const file of files) {
      mkdirSync(join(this.dir, dirname(file)), { recursive: true });
      cpSync(join(REPO, file), join(this.dir, file));
    }
    symlinkSync(join(REPO, "node_modules"), join(this.dir, "node_modules"));
    // The checkout's stacks run the compiled program (Pulumi.yaml → scripts/program.cjs → lib/), built once
    // here: copied after the sources, lib/ is current and the engine compiles nothing.
    builtOnce();
    cpSync(join(REPO, "lib"), join(this.dir, "lib"), { recursive: true });
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...toolchainEnv(),
      PULUMI_BACKEND_URL: `file://${this.state}`,
      PULUMI_CONFIG_PASSPHRASE: passphrase,
      PULUMI_HOME: pulumiHome(join(root, "pulumi-home")),
      ...extraEnv,
    };
    // The checkout has its own state and passphrase, not the developer's.
    delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
    this.env = env;
  }

  pulumi(...args: string[]): PulumiRun {
    const result = spawnSync("pulumi", [...args, "--non-interactive", "--color", "never"], {
      cwd: this.dir,
      env: this.env,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      timeout: 20 * 60 * 1000,
    });
    return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
  }

  /**
   * Starts pulumi in its own process group and calls `onOutput` with everything printed so far, so a test
   * can interrupt it at a chosen moment. Resolves with the exit code (or signal) and the output.
   */
  pulumiInBackground(
    args: readonly string[],
    onOutput: (output: string, child: ChildProcess) => void,
  ): Promise<PulumiRun & { signal: string | null }> {
    const child = spawn("pulumi", [...args, "--non-interactive", "--color", "never"], { cwd: this.dir, env: this.env, detached: true });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      onOutput(output, child);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code: code ?? -1, signal, output })));
  }

  /** Runs pulumi and fails with its output when it does not exit 0. */
  ok(...args: string[]): string {
    const run = this.pulumi(...args);
    if (run.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${run.code}:\n${run.output.slice(-6000)}`);
    return run.output;
  }
}
