import { homedir } from "node:os";
import { join } from "node:path";

/** Where scripts/toolchain.sh keeps its binaries and service state (its `DIR`). */
export const TOOLCHAIN_DIR = process.env.SLIPWAY_TOOLCHAIN_DIR ?? join(homedir(), ".cache", "slipway-toolchain");
