// Cross-compiles a Go program for every release platform, hermetically: modules come only through the
// private proxy into a stack-private module cache, and the compile step itself runs without network.
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource } from "./dynamicResource";
import { InputsOf } from "./inputs";
import { spawnSync } from "node:child_process";
import { lastLines, programOutput } from "./childProcess";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { ArchiveEntry, withDirectories } from "../plan/archives";
import {
  GoBuildArchive,
  GoBuildTarget,
  compileIsolation,
  goBuildArgs,
  goCompileEnv,
  goDownloadEnv,
  renderChecksums,
} from "../plan/goBuild";
import { redactCredentialsOf } from "../plan/athensValidate";
import { contextDirectory } from "../plan/platforms";
import { archiveEntriesFor, writeArchive } from "./archiveWriter";
import { ArchiveFileMatch } from "../plan/archiveFiles";

export type { GoBuildArchive, GoBuildTarget };

export interface GoBuildInputs {
  readonly moduleDir: string;
  readonly outputDir: string;
  /** Root of the stack-private GOMODCACHE and GOCACHE. */
  readonly cacheDir: string;
  readonly goVersion: string;
  /** Content hash of the module's files; a change of any source file changes it. */
  readonly sourceHash: string;
  readonly commitEpoch: number;
  readonly targets: readonly GoBuildTarget[];
  readonly archives: readonly GoBuildArchive[];
  /** Extra files every archive carries, relative to the module. */
  readonly extraFiles: readonly ArchiveFileMatch[];
  /** Built files that are release assets themselves (listed in the checksums file). */
  readonly publishedBinaries: readonly string[];
  readonly imagePlatforms: readonly string[];
  readonly checksumsFile: string;
  readonly checksumOrder: readonly string[];
  /** The proxy URL; a secret when it carries credentials. */
  readonly goproxy: string;
}

export interface BuiltFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export interface GoBuildOutputs extends GoBuildInputs {
  /** Every release file by asset name: published binaries, archives and the checksums file. */
  readonly files: Record<string, BuiltFile>;
  /** Every compiled binary by file name, published or only archived (what SBOMs describe). */
  readonly binaries: Record<string, BuiltFile>;
  /** Build context for images: `bin/<os>_<arch><variant>/<executable>` for each image platform. */
  readonly imageContext: string;
  /** `module@version` of every module downloaded through the proxy. */
  readonly modules: string[];
  /** How the compile step was kept off the network. */
  readonly compileIsolation: string;
  /**
   * {@link statKey} of every file above and of the image context's binaries, taken once the build was in
   * place: what lets a no-op trust a file without reading it. Absent from states recorded before it existed.
   */
  readonly fileStats?: Record<string, string | undefined>;
}

const DOWNLOAD_TIMEOUT_MS = 10 * 60 * 1000;
const COMPILE_TIMEOUT_MS = 20 * 60 * 1000;

function run(
  file: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<string> {
  return programOutput(file, args, options, ({ error, timedOut, stderr }) => {
    const reason = timedOut ? `timed out after ${options.timeoutMs / 1000}s` : lastLines(stderr, 6);
    return new Error(`${[file, ...args].join(" ")}: ${reason || error.message}`);
  });
}

/**
 * The linker's refusal of an `-X` (`main.version: cannot set with -X: not a var of type string`) as one
 * line naming the setting, the symbol and the fix; undefined for any other failure.
 */
export function linkerRefusal(target: Pick<GoBuildTarget, "build" | "ldflagsSetting">, error: Error): Error | undefined {
  const match = /([\w./-]+): cannot set with -X: ([^|\n]+)/.exec(error.message);
  if (match === null) return undefined;
  const [, symbol = "", reason = ""] = match;
  return new Error(
    `slipway:${target.ldflagsSetting} sets -X ${symbol}, which the linker refuses for the ${target.build} build (${reason.trim()}); ` +
      `fix: set slipway:${target.ldflagsSetting} to -X flags of string variables only (e.g. -X ${symbol.replace(/\.[^.]+$/, "")}.<stringVar>={{version}}), or drop that -X`,
  );
}

function sha256Hex(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

function sha256File(path: string): string {
  return sha256Hex(readFileSync(path));
}

/**
 * A file's identity on disk: inode, size, and modification and change times in nanoseconds. Writing,
 * replacing, truncating or touching the file changes it, and no program can set a change time.
 */
export function statKey(path: string): string | undefined {
  const stat = statSync(path, { bigint: true, throwIfNoEntry: false });
  return stat === undefined ? undefined : `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

function builtFile(path: string): BuiltFile {
  const content = readFileSync(path);
  return { path, sha256: sha256Hex(content), size: content.length };
}

/** Environment shared by both steps: caches private to the stack, nothing inherited but PATH. */
function baseEnv(inputs: GoBuildInputs): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/local/go/bin:/usr/bin:/bin",
    HOME: join(inputs.cacheDir, "home"),
    GOCACHE: join(inputs.cacheDir, "go-build"),
    GOMODCACHE: join(inputs.cacheDir, "mod"),
    GOPATH: join(inputs.cacheDir, "gopath"),
    GOENV: "off",
  };
}

/**
 * Why `unshare --net` (a network namespace without interfaces, for the compile step) is not permitted on
 * this machine, e.g. for a non-root user; undefined when it is.
 */
export function probeUnshare(): string | undefined {
  const probe = spawnSync("unshare", ["--net", "true"], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    timeout: 10_000,
  });
  if (probe.status === 0) return undefined;
  return probe.error?.message ?? (probe.stderr.trim().split("\n").pop() || `exit status ${String(probe.status)}`);
}

/**
 * Runs `work` over `items` in their order, `width` at a time, each starting as soon as another has ended;
 * after a failure nothing new starts, and the first failure is thrown once the running ones have ended.
 */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const failures: unknown[] = [];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined && failures.length === 0; item = queue.shift()) {
      try {
        await work(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  if (failures.length > 0) throw failures[0];
}

function stamp(path: string, epoch: number): void {
  utimesSync(path, epoch, epoch);
}

/**
 * Builds into a staging directory and moves it into place only when everything succeeded, so a failed
 * build (a dead proxy, a compile error) leaves the previous build untouched.
 */
export async function buildGoRelease(
  inputs: GoBuildInputs,
  unshareProbe: () => string | undefined = probeUnshare,
): Promise<GoBuildOutputs> {
  const staging = `${inputs.outputDir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  let built: GoBuildOutputs;
  try {
    built = await buildInto(inputs, staging, unshareProbe);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  rmSync(inputs.outputDir, { recursive: true, force: true });
  renameSync(staging, inputs.outputDir);
  const moved = (path: string) => join(inputs.outputDir, relative(staging, path));
  const movedAll = (files: Record<string, BuiltFile>) =>
    Object.fromEntries(Object.entries(files).map(([name, file]) => [name, { ...file, path: moved(file.path) }]));
  const placed = { ...built, files: movedAll(built.files), binaries: movedAll(built.binaries), imageContext: moved(built.imageContext) };
  return { ...placed, fileStats: Object.fromEntries(checkedFiles(placed).map(({ path }) => [path, statKey(path)])) };
}

async function buildInto(inputs: GoBuildInputs, outputDir: string, unshareProbe: () => string | undefined): Promise<GoBuildOutputs> {
  const env = baseEnv(inputs);
  for (const dir of [env.HOME, env.GOCACHE, env.GOMODCACHE, env.GOPATH]) mkdirSync(dir as string, { recursive: true });
  // Release files sit side by side, as published, so `sha256sum --check SHA256SUMS` works in place.
  const binDir = outputDir;
  mkdirSync(binDir, { recursive: true });

  let downloaded: string;
  try {
    downloaded = await run("go", ["mod", "download", "-json"], {
      cwd: inputs.moduleDir,
      env: { ...env, ...goDownloadEnv(inputs.goproxy) },
      timeoutMs: DOWNLOAD_TIMEOUT_MS,
    });
    await run("go", ["mod", "verify"], { cwd: inputs.moduleDir, env: { ...env, ...goDownloadEnv("off") }, timeoutMs: DOWNLOAD_TIMEOUT_MS });
  } catch (error) {
    const message = `module download through the Go proxy ${inputs.goproxy} failed: ${(error as Error).message}`;
    throw new Error(redactCredentialsOf(inputs.goproxy, message));
  }
  const modules = [...downloaded.matchAll(/"Path":\s*"([^"]+)",\s*"Version":\s*"([^"]+)"/g)].map((m) => `${m[1]}@${m[2]}`).sort();

  const wrapper = compileIsolation(unshareProbe());
  const files: Record<string, BuiltFile> = {};
  const sha256: Record<string, string> = {};
  const record = (name: string, path: string) => {
    stamp(path, inputs.commitEpoch);
    files[name] = builtFile(path);
    sha256[name] = files[name].sha256;
  };

  // Each archive is compressed (off the main thread) as soon as its last member has compiled, beside the
  // compiles still running; files are stamped and recorded afterwards in the plan's order.
  const extras = archiveEntriesFor(inputs.moduleDir, inputs.extraFiles);
  const compiled = new Set<string>();
  const archiving = new Map<string, Promise<Buffer>>();
  const archiveWhenReady = () => {
    for (const archive of inputs.archives) {
      if (archiving.has(archive.name) || !archive.members.every((m) => compiled.has(m.file))) continue;
      const prefix = archive.directory === null ? "" : `${archive.directory}/`;
      const entries: ArchiveEntry[] = [
        ...archive.members.map((m) => ({ name: `${prefix}${m.executable}`, content: readFileSync(join(binDir, m.file)), mode: 0o755 })),
        ...extras.map((e) => ({ ...e, name: `${prefix}${e.name}` })),
      ];
      const bytes = writeArchive(archive.format, withDirectories(entries), inputs.commitEpoch);
      // Awaited below; until then a failure must not count as an unhandled rejection.
      bytes.catch(() => undefined);
      archiving.set(archive.name, bytes);
    }
  };
  try {
    await inParallel(inputs.targets, 2, async (target) => {
      const output = join(binDir, target.file);
      const [command = "go", ...args] = [...wrapper.prefix, "go", ...goBuildArgs(target, output)];
      try {
        await run(command, args, {
          cwd: inputs.moduleDir,
          env: { ...env, ...goCompileEnv(target, target.env) },
          timeoutMs: COMPILE_TIMEOUT_MS,
        });
      } catch (error) {
        throw linkerRefusal(target, error as Error) ?? error;
      }
      chmodSync(output, 0o755);
      compiled.add(target.file);
      archiveWhenReady();
    });
  } finally {
    // A failed build's staging directory is removed only once nothing is still being compressed from it.
    await Promise.allSettled(archiving.values());
  }

  const binaries: Record<string, BuiltFile> = {};
  for (const target of inputs.targets) {
    const path = join(binDir, target.file);
    if (inputs.publishedBinaries.includes(target.file)) record(target.file, path);
    else stamp(path, inputs.commitEpoch);
    binaries[target.file] = builtFile(path);
  }
  for (const archive of inputs.archives) {
    const archivePath = join(outputDir, archive.name);
    const bytes = archiving.get(archive.name);
    if (bytes === undefined) throw new Error(`archive ${archive.name}: not every member was compiled`);
    writeFileSync(archivePath, await bytes);
    record(archive.name, archivePath);
  }
  const imageContext = writeImageContext(inputs, outputDir);
  const checksumsPath = join(outputDir, inputs.checksumsFile);
  writeFileSync(checksumsPath, renderChecksums(inputs.checksumOrder, sha256));
  record(inputs.checksumsFile, checksumsPath);
  return { ...inputs, files, binaries, imageContext, modules, compileIsolation: wrapper.isolation };
}

function imageTargets(inputs: GoBuildInputs): GoBuildTarget[] {
  return inputs.targets.filter((t) => inputs.imagePlatforms.includes(t.platform));
}

function imageContextFile(imageContext: string, target: GoBuildTarget): string {
  return join(imageContext, "bin", contextDirectory(target), target.executable);
}

/**
 * Lays out the image build context: `bin/<os>_<arch>/<executable>` for every image platform. Files carry
 * the commit time (for reproducible layers), so two versions built at one commit time can have binaries of
 * equal size, mode and time; BuildKit's context transfer trusts exactly those and would reuse the other
 * version's file. The directory is therefore named after the binaries' content: new content, new context.
 */
function writeImageContext(inputs: GoBuildInputs, outputDir: string): string {
  const images = imageTargets(inputs);
  const contentKey = createHash("sha256")
    .update(images.map((t) => `${t.platform} ${t.executable} ${sha256File(join(outputDir, t.file))}`).join("\n"))
    .digest("hex")
    .slice(0, 16);
  const imageContext = join(outputDir, `image-${contentKey}`);
  for (const target of images) {
    const imageFile = imageContextFile(imageContext, target);
    mkdirSync(dirname(imageFile), { recursive: true });
    // The image build's context hash covers file modes: fix them, whatever the umask.
    for (const dir of [imageContext, join(imageContext, "bin"), dirname(imageFile)]) chmodSync(dir, 0o755);
    copyFileSync(join(outputDir, target.file), imageFile);
    chmodSync(imageFile, 0o755);
    stamp(imageFile, inputs.commitEpoch);
  }
  return imageContext;
}

/**
 * Every file a build leaves, with the checksum it must have: release files, binaries, the image context's
 * binaries. A published binary is both a release file and a binary; it is listed once.
 */
function checkedFiles(outputs: GoBuildOutputs): { path: string; sha256: string | undefined }[] {
  const all = [
    ...Object.values(outputs.files ?? {}),
    ...Object.values(outputs.binaries),
    ...imageTargets(outputs).map((t) => ({ path: imageContextFile(outputs.imageContext, t), sha256: outputs.binaries[t.file]?.sha256 })),
  ];
  return all.filter((file, index) => all.findIndex((other) => other.path === file.path && other.sha256 === file.sha256) === index);
}

/**
 * True when every built file, and every binary of the image context, is still on disk with the recorded
 * checksum. A file whose {@link statKey} is the one recorded after the build is trusted without being read;
 * any other is read and checksummed. (A local or GitHub release checks each file's checksum again as it copies or
 * uploads it.)
 */
export function outputsIntact(outputs: GoBuildOutputs, sha256Of: (path: string) => string = sha256File): boolean {
  // A state recorded before `binaries` existed has none: rebuilt (same bytes) so the SBOMs can read them.
  if (outputs.binaries === undefined) return false;
  const stats = outputs.fileStats ?? {};
  return checkedFiles(outputs).every(({ path, sha256 }) => {
    const key = statKey(path);
    return key !== undefined && (key === stats[path] || sha256Of(path) === sha256);
  });
}

const INPUT_KEYS: readonly (keyof GoBuildInputs)[] = [
  "moduleDir",
  "outputDir",
  "cacheDir",
  "goVersion",
  "sourceHash",
  "commitEpoch",
  "targets",
  "archives",
  "extraFiles",
  "publishedBinaries",
  "imagePlatforms",
  "checksumsFile",
  "checksumOrder",
  "goproxy",
];

export function changedInputs(olds: GoBuildInputs, news: GoBuildInputs): string[] {
  return INPUT_KEYS.filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
}

export const goBuildProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: GoBuildInputs) {
    return { id: inputs.outputDir, outs: await buildGoRelease(inputs) };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id: string, olds: GoBuildOutputs, news: GoBuildInputs) {
    const changed = changedInputs(olds, news);
    // A build whose files vanished (a fresh checkout, a cleaned dist/) is rebuilt, not trusted.
    if (changed.length === 0 && !outputsIntact(olds)) changed.push("files");
    return { changes: changed.length > 0, replaces: [], stables: [] };
  },
  async update(_id: string, _olds: GoBuildOutputs, news: GoBuildInputs) {
    return { outs: await buildGoRelease(news) };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async read(id: string, props: GoBuildOutputs) {
    const files: Record<string, BuiltFile> = {};
    for (const [name, file] of Object.entries(props.files ?? {})) {
      if (existsSync(file.path)) files[name] = builtFile(file.path);
    }
    const binaries: Record<string, BuiltFile> = {};
    for (const [name, file] of Object.entries(props.binaries ?? {})) {
      if (existsSync(file.path)) binaries[name] = builtFile(file.path);
    }
    return { id, props: { ...props, files, binaries } };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async delete(_id: string, props: GoBuildOutputs) {
    rmSync(props.outputDir, { recursive: true, force: true });
  },
};

export class GoBuild extends DynamicResource {
  declare public readonly files: pulumi.Output<Record<string, BuiltFile>>;
  declare public readonly binaries: pulumi.Output<Record<string, BuiltFile>>;
  declare public readonly imageContext: pulumi.Output<string>;
  declare public readonly modules: pulumi.Output<string[]>;
  declare public readonly compileIsolation: pulumi.Output<string>;
  /** The Go the binaries were built with, as recorded (a re-release keeps the published build's). */
  declare public readonly goVersion: pulumi.Output<string>;

  constructor(name: string, args: InputsOf<GoBuildInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      goBuildProvider,
      name,
      { ...args, files: undefined, binaries: undefined, imageContext: undefined, modules: undefined, compileIsolation: undefined },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["goproxy"] }),
      "slipway",
      "GoBuild",
    );
  }
}
