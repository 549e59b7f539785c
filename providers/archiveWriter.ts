// Release archives on disk: the module's files that go in them, and the archive bytes in each format.
// The byte layout lives in plan/archives.ts; this file adds the file system, the `xz` command, and
// compression off the main thread (zlib's thread pool), so that archives are made side by side and beside
// the compiles still running.
import { programBytes } from "./childProcess";
import { lstatSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { deflateRaw, gzip } from "node:zlib";
import { ArchiveFileMatch } from "../plan/archiveFiles";
import { ArchiveEntry, COMPRESSION, tarball, zipDeflates, zipOf } from "../plan/archives";
import { byteOrder } from "../plan/assets";

/** The archive formats that produce a file (`none` produces none). */
export type ArchiveFileFormat = "tar.gz" | "tar.xz" | "zip";

/** The `xz` command line: one thread and fixed options, so the same input gives the same bytes. */
export const XZ_ARGS: readonly string[] = ["--compress", "--stdout", "-6", "--threads=1", "--check=crc64", "--format=xz"];

/** zlib's callback form (run in its thread pool) as a promise; a promisified zlib function cannot be serialised into a dynamic provider. */
function compressed(start: (done: (error: Error | null, result: Buffer) => void) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => start((error, result) => (error === null ? resolve(result) : reject(error))));
}

/** An xz stream of `input`, made by Debian's `xz` (xz-utils) with {@link XZ_ARGS}, XZ_OPT/XZ_DEFAULTS ignored. */
export function xzCompress(input: Buffer): Promise<Buffer> {
  return programBytes(
    "xz",
    XZ_ARGS,
    {
      input,
      maxBuffer: Number.MAX_SAFE_INTEGER,
      // A minimal environment: XZ_OPT and XZ_DEFAULTS would change the options, and with them the bytes.
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" },
    },
    ({ error, stderr }) =>
      error.code === "ENOENT"
        ? new Error("tar.xz archives need the xz command (Debian package xz-utils); install it or use tar.gz")
        : new Error(`xz failed: ${stderr.trim() || `Error: ${error.message.trim()}`}`),
  );
}

/** The archive of `entries` (written in the order given) in `format`, every entry dated `mtime` (epoch seconds). */
export async function writeArchive(format: ArchiveFileFormat, entries: readonly ArchiveEntry[], mtime: number): Promise<Buffer> {
  switch (format) {
    case "tar.gz":
      return compressed((done) => gzip(tarball(entries, mtime), COMPRESSION, done));
    case "tar.xz":
      return xzCompress(tarball(entries, mtime));
    case "zip": {
      const deflated = await Promise.all(
        entries.map((entry) =>
          zipDeflates(entry) ? compressed((done) => deflateRaw(entry.content, COMPRESSION, done)) : Promise.resolve(Buffer.alloc(0)),
        ),
      );
      return zipOf(entries, mtime, deflated);
    }
    default: {
      const unknown: never = format;
      throw new Error(`unknown archive format: ${String(unknown)}`);
    }
  }
}

/** Directory names skipped at any depth. */
const SKIPPED_ANYWHERE = new Set([".git", "node_modules"]);
/** Directory names skipped at the module root only (build output and slipway's state). */
const SKIPPED_AT_ROOT = new Set(["dist", ".slipway"]);

function walk(moduleDir: string, relativeDir: string, out: string[]): void {
  for (const entry of readdirSync(join(moduleDir, relativeDir), { withFileTypes: true })) {
    const relative = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
    if (SKIPPED_ANYWHERE.has(entry.name) || (relativeDir === "" && SKIPPED_AT_ROOT.has(entry.name))) continue;
    if (entry.isDirectory()) {
      if (isNestedModule(join(moduleDir, relative))) continue;
      walk(moduleDir, relative, out);
    } else if (entry.isFile()) {
      out.push(relative);
    }
  }
}

function isNestedModule(directory: string): boolean {
  try {
    return lstatSync(join(directory, "go.mod")).isFile();
  } catch {
    return false;
  }
}

/**
 * The regular files under `moduleDir` as `/`-separated relative paths in byte order. Skips `.git` and
 * `node_modules` anywhere, `dist` and `.slipway` at the module root, nested modules (directories with their
 * own go.mod), and symbolic links.
 */
export function readModuleFiles(moduleDir: string): string[] {
  const files: string[] = [];
  walk(moduleDir, "", files);
  return files.sort(byteOrder);
}

/**
 * One archive entry per match, in the order given: named by `target`, holding the source file's bytes,
 * mode 0o755 when the source is executable by its owner, else 0o644. A source that is not a regular file
 * is an error.
 */
export function archiveEntriesFor(moduleDir: string, matches: readonly ArchiveFileMatch[]): ArchiveEntry[] {
  return matches.map(({ source, target }) => {
    const path = join(moduleDir, source);
    const stat = lstatSync(path);
    if (!stat.isFile()) throw new Error(`archive file is not a regular file: ${source}`);
    return { name: target, content: readFileSync(path), mode: (stat.mode & 0o100) !== 0 ? 0o755 : 0o644 };
  });
}
