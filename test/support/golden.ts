import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const GOLDEN_DIR = join(__dirname, "..", "golden");

/** Compares text with test/golden/<name>; `UPDATE_GOLDEN=1` rewrites the file instead (goreleaser style). */
export function assertGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.equal(actual, readFileSync(path, "utf8"), `golden file ${name} differs; rerun with UPDATE_GOLDEN=1 if intended`);
}
