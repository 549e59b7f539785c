// Where the engine runs: the user's project (the directory holding Pulumi.yaml, found from the current
// directory upwards) with its state, passphrase and build output inside it, and the toolchain on PATH.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { SlipwayInputError } from "../plan/errors";

/** The root of the slipway package (or checkout): `scripts/toolchain.sh` and `tools/` live here. */
export const PACKAGE_ROOT = resolve(__dirname, existsSync(join(__dirname, "..", "scripts")) ? ".." : "../..");
export const TOOLCHAIN_SCRIPT = join(PACKAGE_ROOT, "scripts", "toolchain.sh");

/** The Pulumi project containing `cwd`: the nearest directory upwards with a Pulumi.yaml. */
export function findProjectDir(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "Pulumi.yaml"))) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new SlipwayInputError(
    "cwd",
    resolve(cwd),
    "no Pulumi.yaml here or in a parent directory",
    "run slipway init in your Go repository first, or pass --cwd <repository>",
  );
}

/** The `export NAME="value"` lines of a shell script, with `$VAR` references taken from `env`. */
export function parseExports(script: string, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const exports: Record<string, string> = {};
  for (const match of script.matchAll(/^export (\w+)="?(.*?)"?$/gm)) {
    const [, key, raw] = match;
    if (key === undefined || raw === undefined) continue;
    exports[key] = raw.replace(/\$(\w+)|\$\{(\w+)\}/g, (_m, a: string | undefined, b: string | undefined) => env[a ?? b ?? ""] ?? "");
  }
  return exports;
}

/** What `scripts/toolchain.sh env <project>` exports: the toolchain's PATH, the offline switches, the project's state. */
export function toolchainExports(projectDir: string, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const script = execFileSync("bash", [TOOLCHAIN_SCRIPT, "env", projectDir], { encoding: "utf8", env: { ...process.env, ...env } });
  return parseExports(script, env);
}

/**
 * The engine's environment for a project: the toolchain's exports under whatever the caller already set
 * (an explicit backend or passphrase wins), and a passphrase generated once into `.slipway/passphrase`
 * when none is configured.
 */
export function engineEnvironment(projectDir: string, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const exported = toolchainExports(projectDir, env);
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...exported, ...env })) if (value !== undefined) merged[key] = value;
  merged.PATH = exported.PATH ?? env.PATH ?? "";
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) delete merged.PULUMI_CONFIG_PASSPHRASE_FILE;
  const passphraseFile = merged.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (passphraseFile !== undefined && !existsSync(passphraseFile)) {
    mkdirSync(dirname(passphraseFile), { recursive: true });
    writeFileSync(passphraseFile, `${randomBytes(24).toString("base64")}\n`, { mode: 0o600 });
  }
  const backend = merged.PULUMI_BACKEND_URL;
  if (backend?.startsWith("file://") === true) mkdirSync(backend.slice("file://".length), { recursive: true });
  return merged;
}
