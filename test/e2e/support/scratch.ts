// Temporary directories of one e2e file, removed when its process exits: a full e2e run creates
// several GiB (checkouts, Go caches, releases), which filled the disk of a machine that ran it a few times.
// SLIPWAY_E2E_KEEP=1 keeps them for inspection.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const created: string[] = [];
let hooked = false;

/** `mkdtemp` under the system temp directory, removed at process exit unless SLIPWAY_E2E_KEEP=1. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  if (!hooked && process.env.SLIPWAY_E2E_KEEP !== "1") {
    hooked = true;
    process.on("exit", () => {
      for (const path of created) {
        try {
          rmSync(path, { recursive: true, force: true, maxRetries: 2 });
        } catch {
          // A daemon still writing into it; the next boot's tmp cleanup takes the rest.
        }
      }
    });
  }
  return dir;
}
