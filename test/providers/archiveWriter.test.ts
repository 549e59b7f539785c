// Archives on disk, checked with the system's tar and xz, not with slipway's code.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { matchExtraFiles } from "../../plan/archiveFiles";
import { ArchiveEntry, tarGz, withDirectories, zip } from "../../plan/archives";
import { ArchiveFileFormat, XZ_ARGS, archiveEntriesFor, readModuleFiles, writeArchive } from "../../providers/archiveWriter";

const MTIME = 1795168800;
const BINARY = Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 7919) % 251));

function entries(): ArchiveEntry[] {
  return withDirectories([
    { name: "hello_1.0/hello", content: BINARY, mode: 0o755 },
    { name: "hello_1.0/LICENSE", content: Buffer.from("Apache-2.0\n"), mode: 0o644 },
    { name: "hello_1.0/man/hello.1", content: Buffer.from(".TH HELLO 1\n"), mode: 0o644 },
  ]);
}

const TEMP = mkdtempSync(join(tmpdir(), "slipway-archive-"));
after(() => rmSync(TEMP, { recursive: true, force: true }));

function tempFile(name: string, bytes: Buffer): string {
  const path = join(mkdtempSync(join(TEMP, "file-")), name);
  writeFileSync(path, bytes);
  return path;
}

function executable(path: string, script: string): void {
  writeFileSync(path, script);
  chmodSync(path, 0o755);
}

/** Puts the saved environment variables back, deleting those that were unset. */
function restore(saved: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

function tarListing(path: string, flags: string): string[] {
  const out = execFileSync("tar", [flags, path, "--numeric-owner"], { encoding: "utf8", env: { TZ: "UTC", PATH: process.env.PATH } });
  return out
    .trimEnd()
    .split("\n")
    .map((line) => line.replace(/ +/g, " "));
}

describe("writeArchive", () => {
  it("tar.xz lists with tar -tvJf: directories first, modes, sizes and the commit time", async () => {
    const path = tempFile("a.tar.xz", await writeArchive("tar.xz", entries(), MTIME));
    assert.deepEqual(tarListing(path, "-tvJf"), [
      "drwxr-xr-x 0/0 0 2026-11-20 10:00 hello_1.0/",
      "-rw-r--r-- 0/0 11 2026-11-20 10:00 hello_1.0/LICENSE",
      "-rwxr-xr-x 0/0 70000 2026-11-20 10:00 hello_1.0/hello",
      "drwxr-xr-x 0/0 0 2026-11-20 10:00 hello_1.0/man/",
      "-rw-r--r-- 0/0 12 2026-11-20 10:00 hello_1.0/man/hello.1",
    ]);
  });

  it("tar.xz extracts with tar -xJf to the same bytes", async () => {
    const path = tempFile("a.tar.xz", await writeArchive("tar.xz", entries(), MTIME));
    const out = join(dirname(path), "out");
    mkdirSync(out);
    execFileSync("tar", ["-xJf", path, "-C", out]);
    assert.deepEqual(readFileSync(join(out, "hello_1.0", "hello")), BINARY);
    assert.equal(readFileSync(join(out, "hello_1.0", "man", "hello.1"), "utf8"), ".TH HELLO 1\n");
    assert.equal(statSync(join(out, "hello_1.0", "hello")).mtimeMs, MTIME * 1000);
  });

  it("tar.xz is one xz stream with a CRC64 check, and xz -t accepts it", async () => {
    const path = tempFile("a.tar.xz", await writeArchive("tar.xz", entries(), MTIME));
    execFileSync("xz", ["-t", path]);
    const list = execFileSync("xz", ["--robot", "--list", path], { encoding: "utf8" });
    const totals =
      list
        .split("\n")
        .find((line) => line.startsWith("totals\t"))
        ?.split("\t") ?? [];
    assert.equal(totals[1], "1", "streams");
    assert.equal(totals[6], "CRC64", "check");
  });

  it("tar.xz is byte-identical across calls, whatever XZ_OPT says", async () => {
    const first = await writeArchive("tar.xz", entries(), MTIME);
    const saved = process.env.XZ_OPT;
    // Options that the command line does not override: a block size would change the bytes.
    process.env.XZ_OPT = "--block-size=1000";
    try {
      assert.deepEqual(await writeArchive("tar.xz", entries(), MTIME), first);
    } finally {
      if (saved === undefined) delete process.env.XZ_OPT;
      else process.env.XZ_OPT = saved;
    }
    assert.deepEqual(await writeArchive("tar.xz", entries(), MTIME), first);
    assert.notDeepEqual(await writeArchive("tar.xz", entries(), MTIME + 1), first);
  });

  it("says how to get xz when the command is missing", async () => {
    const saved = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      await assert.rejects(
        writeArchive("tar.xz", entries(), MTIME),
        /^Error: tar\.xz archives need the xz command \(Debian package xz-utils\); install it or use tar\.gz$/,
      );
    } finally {
      process.env.PATH = saved;
    }
  });

  it("runs xz from PATH with XZ_ARGS in a minimal environment", async () => {
    assert.deepEqual(XZ_ARGS, ["--compress", "--stdout", "-6", "--threads=1", "--check=crc64", "--format=xz"]);
    const bin = mkdtempSync(join(TEMP, "bin-"));
    const calls = join(bin, "calls.log");
    const xz = execFileSync("sh", ["-c", "command -v xz"], { encoding: "utf8" }).trim();
    executable(
      join(bin, "xz"),
      `#!/bin/sh\nprintf '%s|%s|%s|%s\\n' "\${LC_ALL-unset}" "\${XZ_OPT-unset}" "\${XZ_DEFAULTS-unset}" "$*" >> '${calls}'\nexec '${xz}' "$@"\n`,
    );
    const expected = await writeArchive("tar.xz", entries(), MTIME);
    const saved = { PATH: process.env.PATH, XZ_OPT: process.env.XZ_OPT, XZ_DEFAULTS: process.env.XZ_DEFAULTS, LC_ALL: process.env.LC_ALL };
    Object.assign(process.env, { PATH: `${bin}:${saved.PATH ?? ""}`, XZ_OPT: "-9", XZ_DEFAULTS: "-9", LC_ALL: "de_DE.UTF-8" });
    try {
      assert.deepEqual(await writeArchive("tar.xz", entries(), MTIME), expected);
    } finally {
      restore(saved);
    }
    assert.equal(readFileSync(calls, "utf8"), "C|unset|unset|--compress --stdout -6 --threads=1 --check=crc64 --format=xz\n");
  });

  it("finds xz on /usr/bin:/bin when PATH is unset", async () => {
    const expected = await writeArchive("tar.xz", entries(), MTIME);
    const saved = { PATH: process.env.PATH };
    delete process.env.PATH;
    try {
      assert.deepEqual(await writeArchive("tar.xz", entries(), MTIME), expected);
    } finally {
      restore(saved);
    }
  });

  it("says why xz failed: its trimmed stderr, else the error itself", async () => {
    const bin = mkdtempSync(join(TEMP, "bin-"));
    const cases: [string, string, string][] = [
      [
        "loud",
        `#!/bin/sh\ncat >/dev/null\nprintf '\\n  xz: (stdin): Cannot allocate memory  \\n\\n' >&2\nexit 1\n`,
        "xz failed: xz: (stdin): Cannot allocate memory",
      ],
      ["quiet", "#!/bin/sh\ncat >/dev/null\nexit 2\n", `xz failed: Error: Command failed: xz ${XZ_ARGS.join(" ")}`],
      ["blank", "#!/bin/sh\ncat >/dev/null\necho '  ' >&2\nexit 3\n", `xz failed: Error: Command failed: xz ${XZ_ARGS.join(" ")}`],
    ];
    for (const [name, script, message] of cases) {
      mkdirSync(join(bin, name));
      executable(join(bin, name, "xz"), script);
      const saved = { PATH: process.env.PATH };
      process.env.PATH = `${join(bin, name)}:${saved.PATH ?? ""}`;
      try {
        await assert.rejects(
          writeArchive("tar.xz", entries(), MTIME),
          (error: Error) => error.constructor === Error && error.message === message,
          name,
        );
      } finally {
        restore(saved);
      }
    }
  });

  it("says why xz could not run when the xz on PATH is not executable", async () => {
    const bin = mkdtempSync(join(TEMP, "bin-"));
    writeFileSync(join(bin, "xz"), "#!/bin/sh\n");
    chmodSync(join(bin, "xz"), 0o644);
    const saved = { PATH: process.env.PATH };
    process.env.PATH = bin;
    try {
      await assert.rejects(
        writeArchive("tar.xz", entries(), MTIME),
        (error: Error) => error.constructor === Error && error.message === "xz failed: Error: spawn xz EACCES",
      );
    } finally {
      restore(saved);
    }
  });

  it("refuses a format it does not know", async () => {
    await assert.rejects(writeArchive("rar" as ArchiveFileFormat, entries(), MTIME), /^Error: unknown archive format: rar$/);
  });

  it("tar.gz and zip are the plan's bytes, each with its own magic number", async () => {
    assert.deepEqual(await writeArchive("tar.gz", entries(), MTIME), tarGz(entries(), MTIME));
    assert.deepEqual(await writeArchive("zip", entries(), MTIME), zip(entries(), MTIME));
    const magic = async (format: "tar.gz" | "tar.xz" | "zip") =>
      (await writeArchive(format, entries(), MTIME)).subarray(0, 6).toString("hex");
    assert.equal((await magic("tar.gz")).slice(0, 4), "1f8b");
    assert.equal(await magic("tar.xz"), "fd377a585a00");
    assert.equal((await magic("zip")).slice(0, 8), "504b0304");
  });
});

function makeModule(): string {
  const dir = mkdtempSync(join(TEMP, "module-"));
  const files: Record<string, string> = {
    "go.mod": "module example.com/hello\n",
    "main.go": "package main\n",
    LICENSE: "Apache-2.0\n",
    "B.md": "b\n",
    "a.md": "a\n",
    "docs/guide.md": "guide\n",
    "docs-x.md": "sorts before docs/ as a whole path\n",
    "sub/dist/kept.txt": "only the root dist is build output\n",
    ".git/config": "[core]\n",
    "node_modules/x/index.js": "",
    "pkg/node_modules/y.js": "",
    "dist/hello": "binary",
    ".slipway/state.json": "{}",
    "nested/go.mod": "module example.com/hello/nested\n",
    "nested/x.go": "package nested\n",
    "scripts/install.sh": "#!/bin/sh\n",
  };
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  mkdirSync(join(dir, "empty"));
  symlinkSync("LICENSE", join(dir, "LICENSE.link"));
  chmodSync(join(dir, "scripts/install.sh"), 0o744);
  chmodSync(join(dir, "LICENSE"), 0o655);
  chmodSync(join(dir, "a.md"), 0o600);
  return dir;
}

describe("module files", () => {
  it("readModuleFiles lists regular files in byte order, skipping VCS, build output, state, nested modules and links", () => {
    assert.deepEqual(readModuleFiles(makeModule()), [
      "B.md",
      "LICENSE",
      "a.md",
      "docs-x.md",
      "docs/guide.md",
      "go.mod",
      "main.go",
      "scripts/install.sh",
      "sub/dist/kept.txt",
    ]);
  });

  it("archiveEntriesFor names entries by target and keeps only the owner's execute bit as 0755/0644", () => {
    const dir = makeModule();
    const got = archiveEntriesFor(dir, [
      { source: "scripts/install.sh", target: "bin/install.sh" },
      { source: "LICENSE", target: "LICENSE" },
      { source: "a.md", target: "a.md" },
    ]);
    assert.deepEqual(
      got.map((e) => [e.name, e.mode.toString(8), e.content.toString()]),
      [
        ["bin/install.sh", "755", "#!/bin/sh\n"],
        ["LICENSE", "644", "Apache-2.0\n"],
        ["a.md", "644", "a\n"],
      ],
    );
    assert.throws(() => archiveEntriesFor(dir, [{ source: "LICENSE.link", target: "LICENSE" }]), /not a regular file: LICENSE\.link$/);
  });

  it("module files to a tar.xz that tar extracts", async () => {
    const dir = makeModule();
    const matches = matchExtraFiles(["LICENSE", { src: "scripts/*.sh", dst: "bin" }, "docs/**"], readModuleFiles(dir));
    const archive = await writeArchive("tar.xz", withDirectories(archiveEntriesFor(dir, matches)), MTIME);
    const path = tempFile("m.tar.xz", archive);
    assert.deepEqual(tarListing(path, "-tvJf"), [
      "-rw-r--r-- 0/0 11 2026-11-20 10:00 LICENSE",
      "drwxr-xr-x 0/0 0 2026-11-20 10:00 bin/",
      "-rwxr-xr-x 0/0 10 2026-11-20 10:00 bin/install.sh",
      "drwxr-xr-x 0/0 0 2026-11-20 10:00 docs/",
      "-rw-r--r-- 0/0 6 2026-11-20 10:00 docs/guide.md",
    ]);
  });
});
