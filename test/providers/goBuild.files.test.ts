// What providers/goBuild.ts does itself, against a stand-in `go` on PATH so that it runs in seconds; real Go builds through a real Athens are in goBuild.test.ts.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { ArchiveFileMatch } from "../../plan/archiveFiles";
import { ArchiveEntry, withDirectories } from "../../plan/archives";
import { GoBuildTarget, archiveTargets, buildTargets, goBuildArgs, goCompileEnv } from "../../plan/goBuild";
import { ReleaseInput, planRelease } from "../../plan/releasePlan";
import { writeArchive } from "../../providers/archiveWriter";
import {
  BuiltFile,
  GoBuildInputs,
  GoBuildOutputs,
  buildGoRelease,
  changedInputs,
  goBuildProvider,
  linkerRefusal,
  outputsIntact,
  probeUnshare,
  statKey,
} from "../../providers/goBuild";
import { releaseInput, twoBuildsInput } from "../support/release";

const ROOT = mkdtempSync(join(tmpdir(), "slipway-gobuild-files-"));
const STAND_IN = join(ROOT, "stand-in");
const MODULE = join(ROOT, "module");
const PROXY = "http://127.0.0.1:3000";
const REFUSED = (): string => "unshare: unshare failed: Operation not permitted";
const REFUSED_ISOLATION = "GOPROXY=off and -mod=readonly (unshare unavailable)";
const UNSHARED_ISOLATION = "network namespace without interfaces (unshare --net), GOPROXY=off";
const EXTRA_FILES: ArchiveFileMatch[] = [
  { source: "CHANGELOG.md", target: "CHANGELOG.md" },
  { source: "docs/usage.md", target: "docs/usage.md" },
];

/** What `go mod download -json` prints, in Go's format and not sorted. */
const DOWNLOADED = [
  ["golang.org/x/sys", "v0.1.0"],
  ["github.com/google/uuid", "v1.6.0"],
  ["example.com/tools", "v1.2.3"],
];
const MODULES = ["example.com/tools@v1.2.3", "github.com/google/uuid@v1.6.0", "golang.org/x/sys@v0.1.0"];

/** Four platforms, two builds (eight compiles, four batches), published binaries, two image platforms. */
const FULL = releaseInput({
  platforms: ["linux/amd64", "linux/arm64", "linux/arm/v7", "windows/amd64"],
  imagePlatforms: ["linux/amd64", "linux/arm/v7"],
  builds: [
    { id: "hello", main: ".", env: ["FOO=bar"], tags: ["netgo"], flags: ["-v"] },
    { id: "helper", main: "./cmd/helper" },
  ],
});
/** Archives only (binaries not published), each wrapped in a directory. */
const ARCHIVES_ONLY = releaseInput({ platforms: ["linux/amd64", "windows/amd64"], archives: { binaries: false, wrapInDirectory: true } });
/** One linux/amd64 image of a release of two programs, plus a windows binary outside the image. */
const IMAGE_AND_WINDOWS = releaseInput({ platforms: ["linux/amd64", "windows/amd64"] });

// The stand-in records each call into calls/<start ns>-<pid> (arguments, working directory, network
// namespace, environment, and the end time of a paused compile) and acts as the files beside it say: fail-download, fail-verify and
// fail-build.<output file> hold the stderr of a failure; salt.<output file> changes a binary's bytes;
// pause (pause.<output file>: one compile) makes every compile take that many seconds. A binary's bytes depend on GOOS/GOARCH/GOARM and the arguments.
const SCRIPT = String.raw`#!/bin/sh
dir='${STAND_IN}'
call="$dir/calls/$(date +%s%N)-$$"
out=""
prev=""
words=""
for arg in "$@"; do
  printf 'arg\t%s\n' "$arg" >> "$call"
  if [ "$prev" = "-o" ]; then out=$arg; else words="$words $arg"; fi
  prev=$arg
done
printf 'cwd\t%s\nnetns\t%s\n' "$(pwd -P)" "$(readlink /proc/self/ns/net)" >> "$call"
export -p >> "$call"
case "$1 $2" in
"mod download")
  if [ -f "$dir/fail-download" ]; then cat "$dir/fail-download" >&2; exit 1; fi
  cat "$dir/modules.json"
  exit 0;;
"mod verify")
  if [ -f "$dir/fail-verify" ]; then cat "$dir/fail-verify" >&2; exit 1; fi
  echo "all modules verified"
  exit 0;;
esac
if [ "$1" = build ]; then
  name=${"${out##*/}"}
  pause="$dir/pause"
  if [ -f "$dir/pause.$name" ]; then pause="$dir/pause.$name"; fi
  if [ -f "$pause" ]; then sleep "$(cat "$pause")"; printf 'ended\t%s\n' "$(date +%s%N)" >> "$call"; fi
  if [ -f "$dir/fail-build.$name" ]; then cat "$dir/fail-build.$name" >&2; exit 1; fi
  salt=""
  if [ -f "$dir/salt.$name" ]; then salt=$(cat "$dir/salt.$name"); fi
  printf 'stand-in %s binary for %s/%s/%s:%s\n' "$salt" "$GOOS" "$GOARCH" "$GOARM" "$words" > "$out"
  exit 0
fi
echo "go: unexpected call: $*" >&2
exit 2
`;

interface GoCall {
  readonly args: string[];
  readonly cwd: string;
  readonly netns: string;
  /** The child's environment, without the PWD that sh sets itself. */
  readonly env: Record<string, string>;
  readonly started: bigint;
  /** When a paused compile ended (0 without a pause). */
  readonly ended: bigint;
}

/** Every call of the stand-in since the last reset, in the order they started. */
function goCalls(): GoCall[] {
  const dir = join(STAND_IN, "calls");
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const call = {
        args: [] as string[],
        cwd: "",
        netns: "",
        env: {} as Record<string, string>,
        started: BigInt(name.split("-")[0] ?? ""),
        ended: 0n,
      };
      for (const line of readFileSync(join(dir, name), "utf8").split("\n")) {
        const [key, value] = [line.slice(0, line.indexOf("\t")), line.slice(line.indexOf("\t") + 1)];
        // sh's export -p prints the environment as `export NAME='value'`.
        const variable = /^export ([^=]+)='(.*)'$/.exec(line);
        if (variable !== null && variable[1] !== "PWD") call.env[variable[1] ?? ""] = variable[2] ?? "";
        else if (key === "arg") call.args.push(value);
        else if (key === "cwd") call.cwd = value;
        else if (key === "netns") call.netns = value;
        else if (key === "ended") call.ended = BigInt(value);
      }
      return call;
    });
}

/** Forgets the recorded calls and every failure, salt and pause. */
function resetStandIn(): void {
  for (const name of readdirSync(STAND_IN)) {
    if (!["go", "modules.json", "calls"].includes(name)) rmSync(join(STAND_IN, name), { force: true });
  }
  rmSync(join(STAND_IN, "calls"), { recursive: true, force: true });
  mkdirSync(join(STAND_IN, "calls"));
}

function configure(name: string, content: string): void {
  writeFileSync(join(STAND_IN, name), content);
}

function sha256(content: Buffer | string): string {
  return createHash("sha256").update(content).digest("hex");
}

function builtFile(path: string): BuiltFile {
  const content = readFileSync(path);
  return { path, sha256: sha256(content), size: content.length };
}

function inputsFor(input: ReleaseInput, dir: string, overrides: Partial<GoBuildInputs> = {}): GoBuildInputs {
  const plan = planRelease(input);
  return {
    moduleDir: MODULE,
    outputDir: join(ROOT, dir, "out"),
    cacheDir: join(ROOT, dir, "cache"),
    goVersion: "go1.test",
    sourceHash: "sha256:source",
    commitEpoch: plan.commit.sourceDateEpoch,
    targets: buildTargets(plan),
    archives: archiveTargets(plan),
    extraFiles: EXTRA_FILES,
    publishedBinaries: plan.assets.binaries.filter((b) => b.published).map((b) => b.file),
    imagePlatforms: [...plan.image.platforms],
    checksumsFile: plan.assets.checksums.file,
    checksumOrder: [...plan.assets.checksums.order],
    goproxy: PROXY,
    ...overrides,
  };
}

/** The image context's name: the first 16 hex digits of a hash over each image binary's platform, name and content. */
function imageContextName(inputs: GoBuildInputs): string {
  const lines = inputs.targets
    .filter((t) => inputs.imagePlatforms.includes(t.platform))
    .map((t) => `${t.platform} ${t.executable} ${sha256(readFileSync(join(inputs.outputDir, t.file)))}`);
  return `image-${sha256(lines.join("\n")).slice(0, 16)}`;
}

/** What buildGoRelease returns for these inputs, from the files on disk. */
function expectedOutputs(inputs: GoBuildInputs, compileIsolation: string): GoBuildOutputs {
  const at = (name: string): [string, BuiltFile] => [name, builtFile(join(inputs.outputDir, name))];
  const released = [...inputs.publishedBinaries, ...inputs.archives.map((a) => a.name), inputs.checksumsFile];
  return {
    ...inputs,
    files: Object.fromEntries(released.map(at)),
    binaries: Object.fromEntries(inputs.targets.map((t) => at(t.file))),
    imageContext: join(inputs.outputDir, imageContextName(inputs)),
    modules: MODULES,
    compileIsolation,
    // Every file the build left, each as it is on disk now.
    fileStats: Object.fromEntries(
      readdirSync(inputs.outputDir, { recursive: true, encoding: "utf8" })
        .map((name) => join(inputs.outputDir, name))
        .filter((path) => statSync(path).isFile())
        .map((path) => [path, statKey(path)]),
    ),
  };
}

/** Environment every go call gets: PATH and the stack-private caches, nothing else inherited. */
function baseEnv(inputs: GoBuildInputs): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: join(inputs.cacheDir, "home"),
    GOCACHE: join(inputs.cacheDir, "go-build"),
    GOMODCACHE: join(inputs.cacheDir, "mod"),
    GOPATH: join(inputs.cacheDir, "gopath"),
    GOENV: "off",
  };
}

function downloadEnv(inputs: GoBuildInputs, goproxy: string): Record<string, string> {
  return {
    ...baseEnv(inputs),
    CGO_ENABLED: "0",
    GOFLAGS: "-mod=readonly",
    GOPROXY: goproxy,
    GOTOOLCHAIN: "local",
    GOVCS: "*:off",
    GOWORK: "off",
  };
}

/** Every file under dir (relative path → sha256 and mtime), for comparing a directory before and after. */
function snapshot(dir: string): Record<string, string> {
  const entries = readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
  return Object.fromEntries(
    entries.map((name) => {
      const stat = statSync(join(dir, name));
      return [name, stat.isFile() ? `${sha256(readFileSync(join(dir, name)))} ${stat.mtimeMs}` : "directory"];
    }),
  );
}

/** Builds the archives-only release once for the suite, and puts its output back as built before each test (tests delete and change files). */
function builtOncePerSuite(dir: string): { inputs: GoBuildInputs; outputs: GoBuildOutputs } {
  const built = {} as { inputs: GoBuildInputs; outputs: GoBuildOutputs };
  const pristine = join(ROOT, dir, "pristine");
  before(async () => {
    resetStandIn();
    built.inputs = inputsFor(ARCHIVES_ONLY, dir);
    built.outputs = await buildGoRelease(built.inputs, REFUSED);
    cpSync(built.inputs.outputDir, pristine, { recursive: true, preserveTimestamps: true });
  });
  beforeEach(() => {
    rmSync(built.inputs.outputDir, { recursive: true, force: true });
    cpSync(pristine, built.inputs.outputDir, { recursive: true, preserveTimestamps: true });
  });
  return built;
}

/** Changes a file's bytes, not its size. */
function tamper(path: string): void {
  const content = readFileSync(path);
  content[0] = (content[0] ?? 0) ^ 0xff;
  writeFileSync(path, content);
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

function stderrLines(count: number): string {
  return `\n${Array.from({ length: count }, (_, i) => `stderr line ${i + 1}`).join("\n")}\n\n`;
}

const saved = { PATH: process.env.PATH, SLIPWAY_LEAK_CHECK: process.env.SLIPWAY_LEAK_CHECK, GOINSECURE: process.env.GOINSECURE };
let savedUmask = 0;
const ownNetns = readlinkSync("/proc/self/ns/net");

before(() => {
  mkdirSync(STAND_IN);
  writeFileSync(join(STAND_IN, "go"), SCRIPT);
  chmodSync(join(STAND_IN, "go"), 0o755);
  const modules = DOWNLOADED.map(
    ([path = "", version = ""]) =>
      `{\n\t"Path": "${path}",\n\t"Version": "${version}",\n\t"Info": "/cache/mod/cache/download/${path}/@v/${version}.info",\n` +
      `\t"GoMod": "/cache/mod/cache/download/${path}/@v/${version}.mod",\n\t"Dir": "/cache/mod/${path}@${version}",\n` +
      `\t"Sum": "h1:${sha256(path).slice(0, 43)}=",\n\t"GoModSum": "h1:${sha256(version).slice(0, 43)}="\n}\n`,
  );
  writeFileSync(join(STAND_IN, "modules.json"), modules.join(""));
  mkdirSync(join(MODULE, "docs"), { recursive: true });
  writeFileSync(join(MODULE, "CHANGELOG.md"), "# Changelog\n\n## 1.4.0\n");
  writeFileSync(join(MODULE, "docs", "usage.md"), "hello [name]\n");
  process.env.PATH = `${STAND_IN}${delimiter}${saved.PATH ?? ""}`;
  // Neither may reach a go call: its environment is built from nothing.
  process.env.SLIPWAY_LEAK_CHECK = "1";
  process.env.GOINSECURE = "*";
  // A strict umask, so that the modes the build sets itself are told apart from the defaults.
  savedUmask = process.umask(0o077);
});

after(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  process.umask(savedUmask);
  rmSync(ROOT, { recursive: true, force: true });
});

beforeEach(resetStandIn);

describe("buildGoRelease of four platforms and two builds", () => {
  let inputs: GoBuildInputs;
  let outputs: GoBuildOutputs;
  let calls: GoCall[];
  let staging = "";

  before(async () => {
    resetStandIn();
    inputs = inputsFor(FULL, "full");
    staging = `${inputs.outputDir}.partial`;
    // A failed earlier build's staging directory: discarded, not built into.
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, "leftover"), "from a failed build\n");
    configure("pause", "0.3");
    // The first compile outlasts the next three: a pool of two keeps the other slot busy meanwhile.
    configure(`pause.${inputs.targets[0]?.file ?? ""}`, "1.05");
    outputs = await buildGoRelease(inputs, REFUSED);
    calls = goCalls();
  });

  it("returns every release file, every binary, the modules sorted and the isolation, all inside outputDir", () => {
    assert.deepEqual(outputs, expectedOutputs(inputs, REFUSED_ISOLATION));
    assert.deepEqual(Object.keys(outputs.files).sort(), [...inputs.checksumOrder, "SHA256SUMS"].sort());
    assert.equal(Object.keys(outputs.binaries).length, 8);
    assert.deepEqual(outputs.modules, MODULES);
  });

  it("lays out outputDir: binaries, archives, the checksums file and one image context, and no staging directory", () => {
    const image = imageContextName(inputs);
    assert.match(image, /^image-[0-9a-f]{16}$/);
    assert.deepEqual(
      readdirSync(inputs.outputDir).sort(),
      [...inputs.targets.map((t) => t.file), ...inputs.archives.map((a) => a.name), "SHA256SUMS", image].sort(),
    );
    assert.equal(existsSync(staging), false);
  });

  it("writes the checksums file in the plan's order over the files' contents", () => {
    const expected = inputs.checksumOrder.map((name) => `${sha256(readFileSync(join(inputs.outputDir, name)))}  ${name}\n`).join("");
    assert.equal(readFileSync(join(inputs.outputDir, "SHA256SUMS"), "utf8"), expected);
    assert.equal(expected.split("\n").length, 13);
  });

  it("archives each platform's binaries under their executable names with the extra files", async () => {
    for (const archive of inputs.archives) {
      const entries: ArchiveEntry[] = [
        ...archive.members.map((m) => ({ name: m.executable, content: readFileSync(join(inputs.outputDir, m.file)), mode: 0o755 })),
        { name: "CHANGELOG.md", content: readFileSync(join(MODULE, "CHANGELOG.md")), mode: 0o644 },
        { name: "docs/usage.md", content: readFileSync(join(MODULE, "docs", "usage.md")), mode: 0o644 },
      ];
      const expected = await writeArchive(archive.format, withDirectories(entries), inputs.commitEpoch);
      assert.equal(sha256(readFileSync(join(inputs.outputDir, archive.name))), sha256(expected), archive.name);
    }
  });

  it("stamps every file with the commit time and makes binaries and the image context 0755", () => {
    const files = readdirSync(inputs.outputDir, { recursive: true, encoding: "utf8" }).filter((name) =>
      statSync(join(inputs.outputDir, name)).isFile(),
    );
    assert.equal(files.length, 8 + 4 + 1 + 4, "binaries, archives, checksums file, image binaries");
    for (const name of files) assert.equal(statSync(join(inputs.outputDir, name)).mtimeMs, inputs.commitEpoch * 1000, name);
    for (const target of inputs.targets) assert.equal(mode(join(inputs.outputDir, target.file)), 0o755, target.file);
    const image = outputs.imageContext;
    assert.deepEqual(readdirSync(join(image, "bin")).sort(), ["linux_amd64", "linux_armv7"]);
    for (const dir of [image, join(image, "bin"), join(image, "bin", "linux_amd64"), join(image, "bin", "linux_armv7")]) {
      assert.equal(mode(dir), 0o755, dir);
    }
    for (const [context, arch] of [
      ["linux_amd64", "amd64"],
      ["linux_armv7", "armv7"],
    ] as const) {
      assert.deepEqual(readdirSync(join(image, "bin", context)).sort(), ["hello", "helper"]);
      for (const program of ["hello", "helper"]) {
        const file = join(image, "bin", context, program);
        assert.equal(mode(file), 0o755, file);
        assert.equal(sha256(readFileSync(file)), outputs.binaries[`${program}_1.4.0_linux_${arch}`]?.sha256, file);
      }
    }
  });

  it("creates the stack-private caches under cacheDir", () => {
    for (const dir of ["home", "go-build", "mod", "gopath"]) assert.equal(statSync(join(inputs.cacheDir, dir)).isDirectory(), true, dir);
  });

  it("downloads through the proxy, verifies offline, then compiles each target with its own environment and nothing inherited", () => {
    assert.equal(calls.length, 2 + 8);
    const [download, verify, ...compiles] = calls;
    const moduleDir = realpathSync(MODULE);
    assert.deepEqual(download?.args, ["mod", "download", "-json"]);
    assert.deepEqual(download?.env, downloadEnv(inputs, PROXY));
    assert.deepEqual(verify?.args, ["mod", "verify"]);
    assert.deepEqual(verify?.env, downloadEnv(inputs, "off"));
    for (const call of calls) {
      assert.equal(call.cwd, moduleDir);
      assert.equal(call.netns, ownNetns, "no unshare when it is refused");
      assert.equal(call.env.SLIPWAY_LEAK_CHECK, undefined);
    }
    for (const target of inputs.targets) {
      const output = join(staging, target.file);
      const call = compiles.find((c) => c.args.includes(output));
      assert.deepEqual(call?.args, goBuildArgs(target, output), target.file);
      assert.deepEqual(call?.env, { ...baseEnv(inputs), ...goCompileEnv(target, target.env) }, target.file);
    }
    const armv7 = compiles.find((c) => c.args.includes(join(staging, "hello_1.4.0_linux_armv7")));
    const ldflags = inputs.targets[0]?.ldflags ?? "";
    assert.deepEqual(armv7?.args, [
      "build",
      "-trimpath",
      "-buildvcs=false",
      "-tags",
      "netgo",
      "-v",
      "-ldflags",
      ldflags,
      "-o",
      join(staging, "hello_1.4.0_linux_armv7"),
      ".",
    ]);
    assert.deepEqual(armv7?.env, {
      ...baseEnv(inputs),
      FOO: "bar",
      CGO_ENABLED: "0",
      GOARCH: "arm",
      GOARM: "7",
      GOFLAGS: "-mod=readonly",
      GOOS: "linux",
      GOPROXY: "off",
      GOSUMDB: "off",
      GOTOOLCHAIN: "local",
      GOVCS: "*:off",
      GOWORK: "off",
    });
  });

  it("compiles two targets at a time, in the plan's order, each starting as soon as another has ended", () => {
    const compiles = calls.slice(2);
    const output = (c: GoCall | undefined) => (c?.args[c.args.indexOf("-o") + 1] ?? "").slice(staging.length + 1);
    // Taken from the queue in the plan's order; two compiles that start within a moment of each other (the
    // first two always do) may be recorded either way round.
    const planIndex = (c: GoCall) => inputs.targets.findIndex((t) => t.file === output(c));
    assert.deepEqual(compiles.map(output).sort(), inputs.targets.map((t) => t.file).sort());
    compiles.slice(1).forEach((compile, i) => {
      const before = compiles[i] as GoCall;
      if (planIndex(before) > planIndex(compile))
        assert.ok(compile.started - before.started < 100_000_000n, `${output(compile)} started well after ${output(before)}, out of order`);
    });
    compiles.forEach((compile, i) => {
      const running = compiles.filter((other) => other.started <= compile.started && other.ended > compile.started);
      assert.ok(running.length <= 2, `${output(compile)} started while ${running.length - 1} others ran`);
      if (i >= 2) {
        const endedBefore = compiles.slice(0, i).filter((other) => other.ended <= compile.started).length;
        assert.equal(endedBefore, i - 1, `${output(compile)} started when a slot freed, not when a batch ended`);
      }
    });
    // The first target is the slow one; the first two compiles may be recorded either way round.
    const slow = compiles.find((c) => output(c) === inputs.targets[0]?.file);
    const third = compiles[2];
    assert.ok(
      slow !== undefined && third !== undefined && third.started < slow.ended,
      "the third compile did not wait for the slow first one",
    );
  });
});

describe("archives compressed beside the compiles", () => {
  const XZ_DIR = join(ROOT, "xz-wrapper");
  const XZ_STARTS = join(XZ_DIR, "starts");
  const XZ_ENDS = join(XZ_DIR, "ends");
  const realXz = () => execFileSync("sh", ["-c", "command -v xz"], { encoding: "utf8" }).trim();
  const wrapXz = (body: string) => {
    mkdirSync(XZ_DIR, { recursive: true });
    rmSync(XZ_STARTS, { force: true });
    rmSync(XZ_ENDS, { force: true });
    writeFileSync(
      join(XZ_DIR, "xz"),
      `#!/bin/sh\ndate +%s%N >> '${XZ_STARTS}'\n${body}\nstatus=$?\ndate +%s%N >> '${XZ_ENDS}'\nexit $status\n`,
      {
        mode: 0o755,
      },
    );
  };
  const withXzWrapper = async <T>(body: () => Promise<T>): Promise<T> => {
    const path = process.env.PATH;
    process.env.PATH = `${XZ_DIR}${delimiter}${path ?? ""}`;
    try {
      return await body();
    } finally {
      process.env.PATH = path;
    }
  };
  const XZ_FULL = releaseInput({ platforms: ["linux/amd64", "linux/arm64", "linux/arm/v7", "windows/amd64"], archives: "tar.xz" });

  it("compresses a platform's archive as soon as its binaries are built, while later compiles still run", async () => {
    wrapXz(`'${realXz()}' "$@"`);
    const inputs = inputsFor(XZ_FULL, "xz-pipelined");
    configure("pause", "0.4");
    const outputs = await withXzWrapper(() => buildGoRelease(inputs, REFUSED));
    const starts = readFileSync(XZ_STARTS, "utf8").trim().split("\n").map(BigInt);
    assert.equal(starts.length, inputs.archives.filter((a) => a.format === "tar.xz").length);
    assert.ok(starts.length >= 3);
    const lastCompileEnded = goCalls().reduce((latest, call) => (call.ended > latest ? call.ended : latest), 0n);
    assert.ok(
      starts.some((start) => start < lastCompileEnded),
      "an archive was compressed before the last compile ended",
    );
    for (const archive of inputs.archives) {
      const path = join(inputs.outputDir, archive.name);
      assert.equal(outputs.files[archive.name]?.sha256, sha256(readFileSync(path)), archive.name);
      if (archive.format === "tar.xz") execFileSync("xz", ["-t", path]);
    }
  });

  it("fails with the compressor's reason once every compile has ended, and keeps the previous build", async () => {
    const inputs = inputsFor(XZ_FULL, "xz-fails");
    wrapXz(`'${realXz()}' "$@"`);
    await withXzWrapper(() => buildGoRelease(inputs, REFUSED));
    const previous = snapshot(inputs.outputDir);
    resetStandIn();
    configure("pause", "0.3");
    wrapXz("cat > /dev/null\necho 'xz: out of memory' >&2\nexit 1");
    await assert.rejects(
      withXzWrapper(() => buildGoRelease(inputs, REFUSED)),
      /^Error: xz failed: xz: out of memory$/,
    );
    assert.equal(
      goCalls().filter((c) => c.args[0] === "build").length,
      inputs.targets.length,
      "a failed archive does not stop the compiles",
    );
    assert.equal(existsSync(`${inputs.outputDir}.partial`), false);
    assert.deepEqual(snapshot(inputs.outputDir), previous);
  });

  it("after a failed compile, waits for the archive already being compressed before failing", async () => {
    const inputs = inputsFor(XZ_FULL, "xz-compile-fails");
    const [built, failing] = inputs.targets;
    assert.ok(built !== undefined && failing !== undefined);
    configure(`pause.${built.file}`, "0.5");
    configure(`fail-build.${failing.file}`, "boom\n");
    wrapXz(`sleep 0.6\n'${realXz()}' "$@"`);
    await assert.rejects(
      withXzWrapper(() => buildGoRelease(inputs, REFUSED)),
      /: boom$/,
    );
    assert.equal(readFileSync(XZ_STARTS, "utf8").trim().split("\n").length, 1, "only the built platform's archive");
    assert.equal(existsSync(XZ_ENDS), true, "its compression ended before the build failed");
    assert.equal(existsSync(`${inputs.outputDir}.partial`), false);
  });
});

describe("buildGoRelease of archives only", () => {
  it("stamps and returns the unpublished binaries but publishes only archives, wrapped in their directories", async () => {
    const inputs = inputsFor(ARCHIVES_ONLY, "archives-only");
    assert.deepEqual(inputs.publishedBinaries, []);
    const outputs = await buildGoRelease(inputs, REFUSED);
    assert.deepEqual(outputs, expectedOutputs(inputs, REFUSED_ISOLATION));
    assert.deepEqual(Object.keys(outputs.files).sort(), ["SHA256SUMS", "hello_1.4.0_linux_amd64.tar.gz", "hello_1.4.0_windows_amd64.zip"]);
    assert.deepEqual(Object.keys(outputs.binaries).sort(), ["hello_1.4.0_linux_amd64", "hello_1.4.0_windows_amd64.exe"]);
    for (const name of readdirSync(inputs.outputDir, { recursive: true, encoding: "utf8" })) {
      const stat = statSync(join(inputs.outputDir, name));
      if (stat.isFile()) assert.equal(stat.mtimeMs, inputs.commitEpoch * 1000, name);
    }
    for (const archive of inputs.archives) {
      const prefix = `${archive.directory ?? "missing"}/`;
      const entries: ArchiveEntry[] = [
        ...archive.members.map((m) => ({
          name: prefix + m.executable,
          content: readFileSync(join(inputs.outputDir, m.file)),
          mode: 0o755,
        })),
        { name: `${prefix}CHANGELOG.md`, content: readFileSync(join(MODULE, "CHANGELOG.md")), mode: 0o644 },
        { name: `${prefix}docs/usage.md`, content: readFileSync(join(MODULE, "docs", "usage.md")), mode: 0o644 },
      ];
      const expected = await writeArchive(archive.format, withDirectories(entries), inputs.commitEpoch);
      assert.equal(sha256(readFileSync(join(inputs.outputDir, archive.name))), sha256(expected), archive.name);
    }
    assert.equal(
      readFileSync(join(inputs.outputDir, "SHA256SUMS"), "utf8"),
      `${outputs.files["hello_1.4.0_linux_amd64.tar.gz"]?.sha256}  hello_1.4.0_linux_amd64.tar.gz\n` +
        `${outputs.files["hello_1.4.0_windows_amd64.zip"]?.sha256}  hello_1.4.0_windows_amd64.zip\n`,
    );
  });
});

describe("the image context's name", () => {
  it("changes with an image binary's content and with nothing else", async () => {
    const inputs = inputsFor(IMAGE_AND_WINDOWS, "image");
    const name = async () => {
      const outputs = await buildGoRelease(inputs, REFUSED);
      assert.deepEqual(
        readdirSync(inputs.outputDir).filter((n) => n.startsWith("image-")),
        [outputs.imageContext.slice(inputs.outputDir.length + 1)],
        "only the current context",
      );
      return { image: outputs.imageContext, windows: outputs.binaries["hello_1.4.0_windows_amd64.exe"]?.sha256 };
    };
    const first = await name();
    assert.deepEqual(await name(), first, "the same bytes: the same context");
    configure("salt.hello_1.4.0_windows_amd64.exe", "windows-2");
    const windowsChanged = await name();
    assert.notEqual(windowsChanged.windows, first.windows);
    assert.equal(windowsChanged.image, first.image, "a binary outside the image");
    configure("salt.hello_1.4.0_linux_amd64", "linux-2");
    const linuxChanged = await name();
    assert.notEqual(linuxChanged.image, first.image);
    assert.equal(linuxChanged.image, join(inputs.outputDir, imageContextName(inputs)));
  });
});

describe("buildGoRelease with unshare permitted", () => {
  it("compiles in a network namespace of its own, downloads in this one", async () => {
    const inputs = inputsFor(twoBuildsInput(), "unshare");
    const built = buildGoRelease(inputs, () => undefined);
    if (spawnSync("unshare", ["--net", "true"]).status !== 0) {
      // unshare exists but is refused here: the attempt shows in the failure.
      await assert.rejects(built, (error: Error) => error.message.startsWith("unshare --net -- go build -trimpath"));
      return;
    }
    const outputs = await built;
    assert.equal(outputs.compileIsolation, UNSHARED_ISOLATION);
    const calls = goCalls();
    assert.deepEqual(
      calls.map((c) => [c.args[0], c.netns === ownNetns]),
      [
        ["mod", true],
        ["mod", true],
        ["build", false],
        ["build", false],
      ],
    );
    for (const call of calls.slice(2)) assert.equal(call.env.GOPROXY, "off");
  });
});

describe("module download failures", () => {
  it("names the proxy without its credentials and the last six stderr lines", async () => {
    const inputs = inputsFor(twoBuildsInput(), "download", { goproxy: "https://slipway:s3cret@athens.example.com/proxy" });
    configure("fail-download", `${stderrLines(7).trimEnd()}\nreading https://slipway:s3cret@athens.example.com/proxy/x/@v/list: 404\n`);
    await assert.rejects(buildGoRelease(inputs, REFUSED), {
      message:
        "module download through the Go proxy https://***@athens.example.com/proxy failed: go mod download -json: " +
        "stderr line 3 | stderr line 4 | stderr line 5 | stderr line 6 | stderr line 7 | " +
        "reading https://***@athens.example.com/proxy/x/@v/list: 404",
    });
    assert.deepEqual(
      goCalls().map((c) => c.args),
      [["mod", "download", "-json"]],
    );
    assert.equal(existsSync(inputs.outputDir), false);
  });

  it("reports a failed verification the same way", async () => {
    const inputs = inputsFor(twoBuildsInput(), "verify");
    configure("fail-verify", "example.com/tools v1.2.3: dir has been modified (/cache/mod/example.com/tools@v1.2.3)\n");
    await assert.rejects(buildGoRelease(inputs, REFUSED), {
      message:
        "module download through the Go proxy http://127.0.0.1:3000 failed: go mod verify: " +
        "example.com/tools v1.2.3: dir has been modified (/cache/mod/example.com/tools@v1.2.3)",
    });
    assert.deepEqual(
      goCalls().map((c) => c.args),
      [
        ["mod", "download", "-json"],
        ["mod", "verify"],
      ],
    );
  });
});

describe("compile failures", () => {
  const failing = "helper_1.4.0_linux_amd64";
  let inputs: GoBuildInputs;
  let helper: GoBuildTarget;
  let previous = {};
  const command = () => `go ${goBuildArgs(helper, join(`${inputs.outputDir}.partial`, failing)).join(" ")}`;

  before(async () => {
    resetStandIn();
    inputs = inputsFor(twoBuildsInput(), "compile");
    helper = inputs.targets.find((t) => t.file === failing) as GoBuildTarget;
    assert.equal(helper.ldflagsSetting, "builds[1].ldflags");
    await buildGoRelease(inputs, REFUSED);
    previous = snapshot(inputs.outputDir);
    assert.equal(Object.keys(previous).length, 2 + 1 + 1 + 3 + 2, "binaries, archive, checksums, image context directories and binaries");
  });

  it("names the command and the last six stderr lines, and keeps the previous build", async () => {
    configure(`fail-build.${failing}`, stderrLines(9));
    await assert.rejects(buildGoRelease(inputs, REFUSED), {
      message: `${command()}: stderr line 4 | stderr line 5 | stderr line 6 | stderr line 7 | stderr line 8 | stderr line 9`,
    });
    assert.deepEqual(snapshot(inputs.outputDir), previous);
  });

  it("turns the linker's refusal of an -X into the fix", async () => {
    configure(
      `fail-build.${failing}`,
      "# example.com/hello/cmd/helper\nmain.version: cannot set with -X: not a var of type string (type:*bool)\nlink: exit status 1\n",
    );
    await assert.rejects(buildGoRelease(inputs, REFUSED), {
      message:
        "slipway:builds[1].ldflags sets -X main.version, which the linker refuses for the helper build (not a var of type string (type:*bool)); " +
        "fix: set slipway:builds[1].ldflags to -X flags of string variables only (e.g. -X main.<stringVar>={{version}}), or drop that -X",
    });
    assert.deepEqual(snapshot(inputs.outputDir), previous);
  });

  it("falls back to the error's own message when stderr is empty", async () => {
    configure(`fail-build.${failing}`, "");
    await assert.rejects(buildGoRelease(inputs, REFUSED), { message: `${command()}: Command failed: ${command()}\n` });
    assert.deepEqual(snapshot(inputs.outputDir), previous);
  });

  it("lets the other running compile end before failing, and leaves no staging", async () => {
    const [first = "", second = ""] = inputs.targets.slice(0, 2).map((t) => t.file);
    configure(`fail-build.${first}`, "boom\n");
    configure(`pause.${second}`, "0.5");
    await assert.rejects(buildGoRelease(inputs, REFUSED), /: boom$/);
    const sibling = goCalls().find((c) => c.args.includes(join(`${inputs.outputDir}.partial`, second)));
    assert.ok(sibling !== undefined && sibling.ended > 0n, "the other running compile ended before the build failed");
    assert.equal(existsSync(`${inputs.outputDir}.partial`), false);
    assert.deepEqual(snapshot(inputs.outputDir), previous);
  });

  it("starts no compile after a failure", async () => {
    const full = inputsFor(FULL, "compile-stops");
    const [first = "", second = ""] = full.targets.slice(0, 2).map((t) => t.file);
    configure(`fail-build.${first}`, "boom\n");
    configure(`pause.${second}`, "0.5");
    await assert.rejects(buildGoRelease(full, REFUSED), /: boom$/);
    const compiles = goCalls().filter((c) => c.args[0] === "build");
    assert.equal(full.targets.length, 8);
    assert.deepEqual(
      compiles.map((c) => c.args[c.args.indexOf("-o") + 1]).sort(),
      [first, second].map((f) => join(`${full.outputDir}.partial`, f)).sort(),
    );
  });

  it("the next successful build replaces the previous one", async () => {
    assert.equal(existsSync(`${inputs.outputDir}.partial`), false, "a failed build leaves no staging");
    configure("salt.hello_1.4.0_linux_amd64", "second");
    const outputs = await buildGoRelease(inputs, REFUSED);
    assert.deepEqual(outputs, expectedOutputs(inputs, REFUSED_ISOLATION));
    assert.notDeepEqual(snapshot(inputs.outputDir), previous);
    assert.equal(existsSync(`${inputs.outputDir}.partial`), false);
  });
});

describe("linkerRefusal of a package path", () => {
  it("suggests a variable of the refused symbol's package; other failures are not refusals", () => {
    const target = { build: "srv", ldflagsSetting: "builds[2].ldflags" };
    const error = new Error(
      "go build: example.com/x/info.Build: cannot set with -X: not a var of type string (type:int) | link: exit status 1",
    );
    assert.equal(
      linkerRefusal(target, error)?.message,
      "slipway:builds[2].ldflags sets -X example.com/x/info.Build, which the linker refuses for the srv build (not a var of type string (type:int)); " +
        "fix: set slipway:builds[2].ldflags to -X flags of string variables only (e.g. -X example.com/x/info.<stringVar>={{version}}), or drop that -X",
    );
    assert.equal(linkerRefusal(target, new Error("go build: ./main.go:3:2: undefined: x")), undefined);
  });
});

describe("probeUnshare", () => {
  /** Runs probeUnshare with a fake `unshare` (this script; none if undefined) and the system's tools on PATH. */
  function probeWith(script: string | undefined): { refusal: string | undefined; path: string; dir: string } {
    const dir = mkdtempSync(join(ROOT, "fake-unshare-"));
    if (script !== undefined) {
      writeFileSync(join(dir, "unshare"), `#!/bin/sh\n${script}`);
      chmodSync(join(dir, "unshare"), 0o755);
    }
    const pathBefore = process.env.PATH;
    const path = script === undefined ? dir : `${dir}${delimiter}/usr/bin${delimiter}/bin`;
    process.env.PATH = path;
    try {
      return { refusal: probeUnshare(), path, dir };
    } finally {
      process.env.PATH = pathBefore;
    }
  }

  it("is undefined when unshare --net works, and gives it only PATH", () => {
    const { refusal, path, dir } = probeWith('echo "$*" > "$(dirname "$0")/record"\nenv | grep -v "^PWD=" >> "$(dirname "$0")/record"\n');
    assert.equal(refusal, undefined);
    assert.equal(readFileSync(join(dir, "record"), "utf8"), `--net true\nPATH=${path}\n`);
  });

  it("is the last line of unshare's stderr when it is refused", () => {
    const script = 'echo "unshare: warning" >&2\necho "unshare: unshare failed: Operation not permitted" >&2\necho >&2\nexit 1\n';
    assert.equal(probeWith(script).refusal, "unshare: unshare failed: Operation not permitted");
  });

  it("is the exit status when unshare fails silently", () => {
    assert.equal(probeWith("exit 3\n").refusal, "exit status 3");
  });

  it("is the spawn error when there is no unshare", () => {
    assert.equal(probeWith(undefined).refusal, "spawnSync unshare ENOENT");
  });
});

describe("outputsIntact", () => {
  const built = builtOncePerSuite("intact");

  it("is true for a fresh build", () => {
    assert.equal(outputsIntact(built.outputs), true);
  });

  it("is false when a release file is gone", () => {
    rmSync(built.outputs.files["hello_1.4.0_windows_amd64.zip"]?.path ?? "");
    assert.equal(outputsIntact(built.outputs), false);
  });

  it("is false when a release file's content changed", () => {
    tamper(built.outputs.files.SHA256SUMS?.path ?? "");
    assert.equal(outputsIntact(built.outputs), false);
  });

  it("is false when an unpublished binary is gone or changed", () => {
    tamper(built.outputs.binaries["hello_1.4.0_linux_amd64"]?.path ?? "");
    assert.equal(outputsIntact(built.outputs), false);
    rmSync(built.outputs.binaries["hello_1.4.0_linux_amd64"]?.path ?? "");
    assert.equal(outputsIntact(built.outputs), false);
  });

  it("is false when a binary of the image context is gone or changed", () => {
    const [image] = readdirSync(built.outputs.imageContext, { recursive: true, encoding: "utf8" })
      .map((name) => join(built.outputs.imageContext, name))
      .filter((path) => statSync(path).isFile());
    assert.ok(image !== undefined);
    tamper(image);
    assert.equal(outputsIntact(built.outputs), false);
    rmSync(built.outputs.imageContext, { recursive: true });
    assert.equal(outputsIntact(built.outputs), false);
  });

  it("is false for a state recorded before binaries existed, and checks the binaries of a state without files", () => {
    assert.equal(outputsIntact({ ...built.outputs, binaries: undefined } as unknown as GoBuildOutputs), false);
    const withoutFiles = { ...built.outputs, files: undefined } as unknown as GoBuildOutputs;
    assert.equal(outputsIntact(withoutFiles), true);
    rmSync(built.outputs.binaries["hello_1.4.0_windows_amd64.exe"]?.path ?? "");
    assert.equal(outputsIntact(withoutFiles), false);
  });
});

describe("outputsIntact trusts the stat recorded after the build", () => {
  // One build, not restored between the tests: a restored copy has other inodes and change times.
  const built = {} as { inputs: GoBuildInputs; outputs: GoBuildOutputs };
  before(async () => {
    resetStandIn();
    built.inputs = inputsFor(releaseInput({ platforms: ["linux/amd64", "linux/arm64"] }), "intact-stats");
    built.outputs = await buildGoRelease(built.inputs, REFUSED);
  });
  const reads: string[] = [];
  const hashing = (path: string) => {
    reads.push(path);
    return sha256(readFileSync(path));
  };
  const allFiles = () => [
    ...Object.values(built.outputs.files).map((f) => f.path),
    ...Object.values(built.outputs.binaries).map((f) => f.path),
    ...readdirSync(built.outputs.imageContext, { recursive: true, encoding: "utf8" })
      .map((name) => join(built.outputs.imageContext, name))
      .filter((path) => statSync(path).isFile()),
  ];
  beforeEach(() => reads.splice(0));

  it("records every release file, binary and image-context binary as it is once in place", () => {
    // SHA256SUMS, two binaries (published, so also release files), two archives, the image context's two binaries.
    const files = [...new Set(allFiles())];
    assert.equal(files.length, 7);
    assert.deepEqual(Object.keys(built.outputs.fileStats ?? {}).sort(), files.sort());
    for (const path of files) assert.equal(built.outputs.fileStats?.[path], statKey(path), path);
  });

  it("reads no file of an untouched build", () => {
    assert.equal(outputsIntact(built.outputs, hashing), true);
    assert.deepEqual(reads, []);
  });

  it("reads every file of a state recorded before the stats existed, a published binary once", () => {
    assert.equal(outputsIntact({ ...built.outputs, fileStats: undefined }, hashing), true);
    assert.deepEqual([...reads].sort(), [...new Set(allFiles())].sort());
    assert.equal(reads.length, 7);
  });

  it("still checks a published binary against both recorded checksums when they differ", () => {
    const [name, file] = Object.entries(built.outputs.binaries)[0] ?? [];
    assert.ok(name !== undefined && file !== undefined && built.outputs.files[name] !== undefined);
    // Without image platforms, so that only the release file and the binary entry name the file.
    const disagreeing = {
      ...built.outputs,
      imagePlatforms: [],
      fileStats: undefined,
      binaries: { ...built.outputs.binaries, [name]: { ...file, sha256: "0".repeat(64) } },
    };
    assert.equal(outputsIntact({ ...disagreeing, binaries: built.outputs.binaries }, hashing), true);
    assert.equal(outputsIntact(disagreeing, hashing), false);
  });

  it("reads only a touched file, which is intact when its bytes are", () => {
    const sums = built.outputs.files.SHA256SUMS?.path ?? "";
    const { atime, mtime } = statSync(sums);
    utimesSync(sums, new Date(0), new Date(0));
    utimesSync(sums, atime, mtime);
    assert.equal(outputsIntact(built.outputs, hashing), true);
    assert.deepEqual(reads, [sums]);
  });

  it("finds a rewrite of the same size and time", () => {
    const binary = built.outputs.binaries["hello_1.4.0_linux_arm64"]?.path ?? "";
    const { atime, mtime, size } = statSync(binary);
    tamper(binary);
    utimesSync(binary, atime, mtime);
    assert.equal(statSync(binary).size, size);
    assert.equal(outputsIntact(built.outputs, hashing), false);
    assert.ok(reads.includes(binary));
  });
});

describe("statKey", () => {
  it("is undefined for a missing file and changes with a write, a replacement or a touch", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-statkey-"));
    try {
      const file = join(dir, "f");
      assert.equal(statKey(file), undefined);
      writeFileSync(file, "a");
      const first = statKey(file);
      assert.match(first ?? "", /^\d+:1:\d+:\d+$/);
      assert.equal(statKey(file), first);
      const { atime, mtime } = statSync(file);
      writeFileSync(file, "b");
      utimesSync(file, atime, mtime);
      const rewritten = statKey(file);
      assert.notEqual(rewritten, first);
      writeFileSync(join(dir, "g"), "b");
      utimesSync(join(dir, "g"), atime, mtime);
      renameSync(join(dir, "g"), file);
      assert.notEqual(statKey(file), rewritten);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("outputsIntact with two image platforms", () => {
  it("is false when either platform's image binary changed, true again once it is restored", async () => {
    resetStandIn();
    const inputs = inputsFor(releaseInput({ platforms: ["linux/amd64", "linux/arm64"] }), "intact-two-images");
    const outputs = await buildGoRelease(inputs, REFUSED);
    const images = readdirSync(outputs.imageContext, { recursive: true, encoding: "utf8" })
      .map((name) => join(outputs.imageContext, name))
      .filter((path) => statSync(path).isFile())
      .sort();
    assert.equal(images.length, 2);
    for (const image of images) {
      const original = readFileSync(image);
      tamper(image);
      assert.equal(outputsIntact(outputs), false, image);
      writeFileSync(image, original);
      assert.equal(outputsIntact(outputs), true, image);
    }
  });
});

describe("changedInputs", () => {
  const base = inputsFor(twoBuildsInput(), "changed");
  const changes: [keyof GoBuildInputs, unknown][] = [
    ["moduleDir", "/elsewhere"],
    ["outputDir", "/elsewhere/out"],
    ["cacheDir", "/elsewhere/cache"],
    ["goVersion", "go1.99"],
    ["sourceHash", "sha256:other"],
    ["commitEpoch", base.commitEpoch + 1],
    ["targets", base.targets.map((t, i) => (i === 1 ? { ...t, ldflags: `${t.ldflags} -X main.extra=1` } : t))],
    ["archives", base.archives.map((a) => ({ ...a, directory: "wrapped" }))],
    ["extraFiles", [...base.extraFiles, { source: "LICENSE", target: "LICENSE" }]],
    ["publishedBinaries", base.publishedBinaries.slice(1)],
    ["imagePlatforms", []],
    ["checksumsFile", "checksums.txt"],
    ["checksumOrder", [...base.checksumOrder].reverse()],
    ["goproxy", "http://127.0.0.1:3001"],
  ];

  for (const [key, value] of changes) {
    it(`reports ${key} alone`, () => {
      assert.notDeepEqual(value, base[key]);
      assert.deepEqual(changedInputs(base, { ...base, [key]: value }), [key]);
    });
  }

  it("reports every changed input in one order", () => {
    const news: GoBuildInputs = { ...base, ...Object.fromEntries(changes) };
    assert.deepEqual(
      changedInputs(base, news),
      changes.map(([key]) => key),
    );
  });

  it("reports nothing for equal copies, or for outputs beside equal inputs", () => {
    assert.deepEqual(changedInputs(base, structuredClone(base)), []);
    const outputs: GoBuildOutputs = { ...base, files: {}, binaries: {}, imageContext: "/x", modules: ["a@v1"], compileIsolation: "none" };
    assert.deepEqual(changedInputs(outputs, base), []);
  });
});

describe("goBuildProvider", () => {
  const built = builtOncePerSuite("provider");

  it("diff: nothing changed and the files are intact", async () => {
    assert.deepEqual(await goBuildProvider.diff?.("id", built.outputs, { ...built.inputs }), { changes: false, replaces: [], stables: [] });
  });

  it("diff: nothing changed but a built file is gone", async () => {
    rmSync(built.outputs.files["hello_1.4.0_linux_amd64.tar.gz"]?.path ?? "");
    assert.deepEqual(await goBuildProvider.diff?.("id", built.outputs, { ...built.inputs }), { changes: true, replaces: [], stables: [] });
  });

  it("diff: an input changed, and then the old files are not even read", async () => {
    assert.deepEqual(await goBuildProvider.diff?.("id", built.outputs, { ...built.inputs, goVersion: "go1.99" }), {
      changes: true,
      replaces: [],
      stables: [],
    });
    // A recorded file that cannot be read (a directory) would make the integrity check throw.
    const unreadable = {
      ...built.outputs,
      files: { ...built.outputs.files, SHA256SUMS: { path: built.inputs.outputDir, sha256: "0", size: 0 } },
    };
    assert.throws(() => outputsIntact(unreadable), /EISDIR/);
    assert.deepEqual(await goBuildProvider.diff?.("id", unreadable, { ...built.inputs, sourceHash: "sha256:next" }), {
      changes: true,
      replaces: [],
      stables: [],
    });
  });

  it("read: keeps the id, drops vanished files and rehashes changed ones", async () => {
    rmSync(built.outputs.files["hello_1.4.0_windows_amd64.zip"]?.path ?? "");
    rmSync(built.outputs.binaries["hello_1.4.0_linux_amd64"]?.path ?? "");
    const sums = built.outputs.files.SHA256SUMS as BuiltFile;
    const windows = built.outputs.binaries["hello_1.4.0_windows_amd64.exe"] as BuiltFile;
    appendFileSync(sums.path, "grown\n");
    tamper(windows.path);
    const read = await goBuildProvider.read?.("the-id", built.outputs);
    assert.deepEqual(read, {
      id: "the-id",
      props: {
        ...built.outputs,
        files: {
          "hello_1.4.0_linux_amd64.tar.gz": built.outputs.files["hello_1.4.0_linux_amd64.tar.gz"],
          SHA256SUMS: builtFile(sums.path),
        },
        binaries: { "hello_1.4.0_windows_amd64.exe": builtFile(windows.path) },
      },
    });
    assert.notEqual(builtFile(sums.path).sha256, sums.sha256);
    assert.equal(builtFile(sums.path).size, sums.size + "grown\n".length);
    assert.notEqual(builtFile(windows.path).sha256, windows.sha256);
  });

  it("read: a state without files or binaries reads as none", async () => {
    const old = { ...built.outputs, files: undefined, binaries: undefined } as unknown as GoBuildOutputs;
    assert.deepEqual(await goBuildProvider.read?.("old", old), { id: "old", props: { ...built.outputs, files: {}, binaries: {} } });
  });

  it("delete: removes outputDir, and a missing one is fine", async () => {
    await goBuildProvider.delete?.("id", built.outputs);
    assert.equal(existsSync(built.inputs.outputDir), false);
    await goBuildProvider.delete?.("id", built.outputs);
    assert.equal(existsSync(built.inputs.outputDir), false);
  });

  it("create and update: the id is outputDir, the outputs are the build's", async () => {
    const isolation = probeUnshare() === undefined ? UNSHARED_ISOLATION : REFUSED_ISOLATION;
    const fresh = inputsFor(ARCHIVES_ONLY, "provider-create");
    const created = await goBuildProvider.create(fresh);
    assert.deepEqual(created, { id: fresh.outputDir, outs: expectedOutputs(fresh, isolation) });
    const news = { ...fresh, commitEpoch: fresh.commitEpoch + 60 };
    const updated = await goBuildProvider.update?.("id", created.outs, news);
    assert.deepEqual(updated, { outs: expectedOutputs(news, isolation) });
    assert.equal(statSync(join(news.outputDir, "SHA256SUMS")).mtimeMs, news.commitEpoch * 1000);
  });
});
