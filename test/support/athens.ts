// A real Athens (built by scripts/toolchain.sh) on an ephemeral loopback port, disk storage in a temp dir,
// upstream = the Go module proxy this machine is configured with.
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, stopProcess, waitUntilHealthy } from "./registry";
import { TOOLCHAIN_DIR } from "./toolchain";

export const ATHENS_BINARY = process.env.SLIPWAY_ATHENS_BIN ?? join(TOOLCHAIN_DIR, "bin", "proxy");

export interface TestAthens {
  readonly url: string;
  readonly storage: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export function upstreamGoproxy(): string {
  const configured = execFileSync("go", ["env", "GOPROXY"], { encoding: "utf8" }).trim();
  return configured
    .split(/[,|]/)
    .filter((entry) => entry !== "direct" && entry !== "off")
    .join(",");
}

export async function startAthens(): Promise<TestAthens> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "slipway-athens-"));
  const storage = join(dir, "storage");
  mkdirSync(storage);
  const child = spawn(ATHENS_BINARY, [], {
    cwd: dir,
    stdio: "ignore",
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: dir,
      ATHENS_PORT: `127.0.0.1:${port}`,
      ATHENS_STORAGE_TYPE: "disk",
      ATHENS_DISK_STORAGE_ROOT: storage,
      ATHENS_GO_BINARY_ENV_VARS: `GOPROXY=${upstreamGoproxy()}`,
      ATHENS_DOWNLOAD_MODE: "sync",
      ATHENS_NETWORK_MODE: "strict",
      ATHENS_LOG_LEVEL: "error",
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(`${url}/healthz`, child, 30_000);
  return { url, storage, process: child, stop: () => stopProcess(child) };
}
