import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { TOOLCHAIN_DIR } from "./toolchain";

/**
 * The path of a tool the package tests read their output with (installed by scripts/toolchain.sh), or
 * a reason to skip: locally a missing tool skips, in CI (`CI` set) it fails the test.
 */
export function requireTool(name: string): { path: string; skip: false } | { path: undefined; skip: string } {
  for (const path of [join(TOOLCHAIN_DIR, "bin", name), name]) {
    try {
      execFileSync("sh", ["-c", 'command -v "$0"', path], { stdio: "ignore" });
      return { path, skip: false };
    } catch {
      // try the next place
    }
  }
  if (process.env.CI !== undefined) throw new Error(`${name} is not installed; run scripts/toolchain.sh install`);
  return { path: undefined, skip: `${name} is not installed (scripts/toolchain.sh install)` };
}
