import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Module cache shared by test runs (kept between runs so a module is downloaded once). */
export const GO_MODULE_CACHE = join(tmpdir(), "slipway-gomodcache");

interface DownloadInfo {
  readonly Path?: string;
  readonly Version?: string;
  readonly Dir?: string;
  readonly Sum?: string;
  readonly Error?: string;
}

/**
 * Downloads `path@version` through the Go module proxy (GOPROXY from the environment) into
 * {@link GO_MODULE_CACHE} and returns the module's directory. The module's `h1:` sum must equal
 * `expectedSum`; anything else throws (a moved tag or a tampered proxy fails the test loudly).
 */
export function fetchGoModule(path: string, version: string, expectedSum: string): string {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GOFLAGS: "-mod=mod",
    GOMODCACHE: GO_MODULE_CACHE,
    GOPATH: join(tmpdir(), "slipway-gopath"),
    GOTOOLCHAIN: "local",
    GO111MODULE: "on",
  };
  let output: string;
  try {
    output = execFileSync("go", ["mod", "download", "-json", `${path}@${version}`], {
      cwd: tmpdir(),
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout ?? "";
    throw new Error(`go mod download ${path}@${version} failed: ${stdout || String(error)}`);
  }
  const info = JSON.parse(output) as DownloadInfo;
  if (info.Error !== undefined) throw new Error(`go mod download ${path}@${version}: ${info.Error}`);
  if (info.Sum !== expectedSum) {
    throw new Error(`${path}@${version}: module sum ${info.Sum ?? "(none)"} differs from the pinned ${expectedSum}; refusing to use it`);
  }
  if (info.Dir === undefined) throw new Error(`go mod download ${path}@${version} reported no directory`);
  return info.Dir;
}
