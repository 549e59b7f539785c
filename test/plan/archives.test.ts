// Archives are checked with the system's own tar and python's zipfile, not with slipway's code.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { ArchiveEntry, archiveEntriesOrder, crc32, tarball, tarGz, ustarNameFields, withDirectories, zip } from "../../plan/archives";

const MTIME = 1795168800;
const BINARY = Buffer.from("\x7fELF fake binary with some bytes ".repeat(100));

describe("deterministic archives", () => {
  it("tar.gz extracts with tar to the same bytes, mode 0755 and the commit time", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-tar-"));
    writeFileSync(join(dir, "a.tar.gz"), tarGz([{ name: "hello", content: BINARY, mode: 0o755 }], MTIME));
    const listing = execFileSync("tar", ["-tvzf", join(dir, "a.tar.gz"), "--numeric-owner"], { encoding: "utf8", env: { TZ: "UTC" } });
    assert.match(listing, /^-rwxr-xr-x 0\/0 +3300 2026-11-20 10:00 hello\n$/);
    execFileSync("tar", ["-xzf", "a.tar.gz"], { cwd: dir });
    assert.deepEqual(readFileSync(join(dir, "hello")), BINARY);
    assert.equal(statSync(join(dir, "hello")).mtimeMs, MTIME * 1000);
  });

  it("zip extracts with python's zipfile to the same bytes and records the unix mode", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-zip-"));
    writeFileSync(join(dir, "a.zip"), zip([{ name: "hello.exe", content: BINARY, mode: 0o755 }], MTIME));
    const script = [
      "import zipfile,sys,json",
      "z=zipfile.ZipFile(sys.argv[1]); z.testzip(); i=z.infolist()[0]",
      "print(json.dumps([i.filename, i.date_time, oct(i.external_attr>>16), z.read(i.filename).decode('latin1')==sys.argv[2]]))",
    ].join("\n");
    const out = execFileSync("python3", ["-c", script, join(dir, "a.zip"), BINARY.toString("latin1")], { encoding: "utf8" });
    assert.deepEqual(JSON.parse(out), ["hello.exe", [2026, 11, 20, 10, 0, 0], "0o100755", true]);
  });

  it("is byte-identical for the same input", () => {
    const entries = [{ name: "hello", content: BINARY, mode: 0o755 }];
    assert.deepEqual(tarGz(entries, MTIME), tarGz(entries, MTIME));
    assert.deepEqual(zip(entries, MTIME), zip(entries, MTIME));
    assert.notDeepEqual(tarGz(entries, MTIME), tarGz(entries, MTIME + 60));
  });

  it("computes the standard CRC-32", () => {
    assert.equal(crc32(Buffer.from("123456789")), 0xcbf43926);
  });
});

function file(name: string, content = `content of ${name}\n`, mode = 0o644): ArchiveEntry {
  return { name, content: Buffer.from(content), mode };
}

function tarList(archive: Buffer, flags = "-tvzf"): string[] {
  const dir = mkdtempSync(join(tmpdir(), "slipway-tar-"));
  writeFileSync(join(dir, "a.tar"), archive);
  const listing = execFileSync("tar", [flags, join(dir, "a.tar"), "--numeric-owner"], { encoding: "utf8", env: { TZ: "UTC" } });
  return listing.trimEnd().split("\n");
}

function tarExtract(archive: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), "slipway-tarx-"));
  writeFileSync(join(dir, "a.tar.gz"), archive);
  mkdirSync(join(dir, "out"));
  execFileSync("tar", ["-xzf", join(dir, "a.tar.gz"), "-C", join(dir, "out")]);
  return join(dir, "out");
}

describe("ustar long names", () => {
  // Every path fits only when split at the right "/": the last one leaving a prefix of at most 155 bytes.
  const cases: { path: string; prefix: string }[] = [
    { path: "n".repeat(100), prefix: "" },
    { path: `${"d".repeat(40)}/${"e".repeat(40)}/${"f".repeat(70)}`, prefix: `${"d".repeat(40)}/${"e".repeat(40)}` },
    { path: `${"p".repeat(90)}/${"o".repeat(50)}/${"q".repeat(30)}/${"r".repeat(40)}`, prefix: `${"p".repeat(90)}/${"o".repeat(50)}` },
    { path: `${"s".repeat(155)}/${"t".repeat(100)}`, prefix: "s".repeat(155) },
    { path: `${"u".repeat(60)}/${"v".repeat(99)}/`, prefix: "u".repeat(60) },
  ];
  for (const { path, prefix } of cases) {
    it(`splits a ${Buffer.byteLength(path)}-byte path with a ${prefix.length}-byte prefix`, () => {
      const fields = ustarNameFields(path);
      assert.equal(fields.prefix.toString(), prefix);
      assert.equal(prefix === "" ? fields.name.toString() : `${prefix}/${fields.name.toString()}`, path);
    });
  }

  it("tar lists and extracts files and directories whose names need the prefix", () => {
    const long = `${"d".repeat(40)}/${"e".repeat(40)}/${"f".repeat(70)}`;
    const deep = `${"p".repeat(90)}/${"o".repeat(50)}/${"q".repeat(30)}/${"r".repeat(40)}`;
    const entries = withDirectories([file(long, "long\n", 0o755), file(deep, "deep\n"), file("n".repeat(100), "hundred\n")]);
    const listing = tarList(tarGz(entries, MTIME));
    assert.deepEqual(
      listing.map((line) => line.replace(/ +/g, " ")),
      [
        `drwxr-xr-x 0/0 0 2026-11-20 10:00 ${"d".repeat(40)}/`,
        `drwxr-xr-x 0/0 0 2026-11-20 10:00 ${"d".repeat(40)}/${"e".repeat(40)}/`,
        `-rwxr-xr-x 0/0 5 2026-11-20 10:00 ${long}`,
        `-rw-r--r-- 0/0 8 2026-11-20 10:00 ${"n".repeat(100)}`,
        `drwxr-xr-x 0/0 0 2026-11-20 10:00 ${"p".repeat(90)}/`,
        `drwxr-xr-x 0/0 0 2026-11-20 10:00 ${"p".repeat(90)}/${"o".repeat(50)}/`,
        `drwxr-xr-x 0/0 0 2026-11-20 10:00 ${"p".repeat(90)}/${"o".repeat(50)}/${"q".repeat(30)}/`,
        `-rw-r--r-- 0/0 5 2026-11-20 10:00 ${deep}`,
      ],
    );
    const out = tarExtract(tarGz(entries, MTIME));
    assert.equal(readFileSync(join(out, long), "utf8"), "long\n");
    assert.equal(readFileSync(join(out, deep), "utf8"), "deep\n");
  });

  const tooLong = [
    "x".repeat(101),
    `${"a".repeat(156)}/${"b".repeat(10)}`,
    `${"a".repeat(150)}/${"b".repeat(30)}/${"c".repeat(80)}`,
    `${"a".repeat(10)}/${"b".repeat(101)}`,
    `${"c".repeat(120)}/`,
  ];
  for (const name of tooLong) {
    it(`refuses a ${name.length}-byte name that no "/" can split, naming the entry`, () => {
      assert.throws(
        () => tarGz([file(name)], MTIME),
        (e: Error) => e.message.includes(name) && /too long/.test(e.message),
      );
    });
  }
});

describe("directory entries", () => {
  it("withDirectories adds each missing parent once, in byte order, with mode 0755", () => {
    const entries = withDirectories([
      file("hello", "bin", 0o755),
      file("manpages/foo.1"),
      file("a/b/c.txt"),
      file("a/b/d.txt"),
      { name: "manpages", content: Buffer.alloc(0), mode: 0o755, type: "directory" },
    ]);
    assert.deepEqual(
      entries.map((e) => [e.name, e.type ?? "file", e.mode.toString(8)]),
      [
        ["a/", "directory", "755"],
        ["a/b/", "directory", "755"],
        ["a/b/c.txt", "file", "644"],
        ["a/b/d.txt", "file", "644"],
        ["hello", "file", "755"],
        ["manpages", "directory", "755"],
        ["manpages/foo.1", "file", "644"],
      ],
    );
  });

  it("withDirectories refuses a name listed twice and a file used as a directory", () => {
    assert.throws(() => withDirectories([file("x"), file("x")]), /listed twice: x$/);
    assert.throws(() => withDirectories([file("x"), { name: "x/", content: Buffer.alloc(0), mode: 0o755, type: "directory" }]), /x/);
    assert.throws(() => withDirectories([file("x"), file("x/y")]), /both a file and a directory: x\/$/);
  });

  it("tar writes directories with a trailing slash, mode 0755 and size 0, before their files", () => {
    const entries = withDirectories([file("hello_1.0/hello", "bin", 0o755), file("hello_1.0/man/hello.1", "man")]);
    const listing = tarList(tarGz(entries, MTIME)).map((line) => line.replace(/ +/g, " "));
    assert.deepEqual(listing, [
      "drwxr-xr-x 0/0 0 2026-11-20 10:00 hello_1.0/",
      "-rwxr-xr-x 0/0 3 2026-11-20 10:00 hello_1.0/hello",
      "drwxr-xr-x 0/0 0 2026-11-20 10:00 hello_1.0/man/",
      "-rw-r--r-- 0/0 3 2026-11-20 10:00 hello_1.0/man/hello.1",
    ]);
    const out = tarExtract(tarGz(entries, MTIME));
    assert.ok(statSync(join(out, "hello_1.0", "man")).isDirectory());
    assert.equal(readFileSync(join(out, "hello_1.0", "man", "hello.1"), "utf8"), "man");
  });

  it("python's tarfile reads directory entries as directories (type 5), not as files named with a slash", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-tar-"));
    writeFileSync(join(dir, "a.tar"), tarball(withDirectories([file("man/hello.1", "man")]), MTIME));
    const script = [
      "import tarfile,sys,json",
      "t=tarfile.open(sys.argv[1], format=tarfile.USTAR_FORMAT)",
      "print(json.dumps([[m.name, m.type.decode(), m.isdir(), oct(m.mode), m.size, m.mtime] for m in t.getmembers()]))",
    ].join("\n");
    const out = execFileSync("python3", ["-c", script, join(dir, "a.tar")], { encoding: "utf8" });
    assert.deepEqual(JSON.parse(out), [
      ["man", "5", true, "0o755", 0, MTIME],
      ["man/hello.1", "0", false, "0o644", 3, MTIME],
    ]);
  });

  it("a directory is written as 0755 whatever its mode, and may not carry content", () => {
    const listing = tarList(tarGz([{ name: "d", content: Buffer.alloc(0), mode: 0o700, type: "directory" }], MTIME));
    assert.deepEqual(
      listing.map((line) => line.replace(/ +/g, " ")),
      ["drwxr-xr-x 0/0 0 2026-11-20 10:00 d/"],
    );
    assert.throws(
      () => tarGz([{ name: "d/", content: Buffer.from("x"), mode: 0o755, type: "directory" }], MTIME),
      /directory entry has content: d\/$/,
    );
  });

  it("zip records directories with a trailing slash, the directory attributes and no data", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-zip-"));
    const entries = withDirectories([file("hello_1.0/hello.exe", "bin", 0o755), file("hello_1.0/docs/README.md", "readme")]);
    writeFileSync(join(dir, "a.zip"), zip(entries, MTIME));
    const script = [
      "import zipfile,sys,json,os",
      "z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None",
      "z.extractall(sys.argv[2])",
      "print(json.dumps([[i.filename, i.is_dir(), oct(i.external_attr>>16), i.external_attr & 0x10, i.file_size, i.compress_type, i.date_time] for i in z.infolist()]",
      "  + [os.path.isdir(os.path.join(sys.argv[2], 'hello_1.0', 'docs')), open(os.path.join(sys.argv[2], 'hello_1.0', 'docs', 'README.md')).read()]))",
    ].join("\n");
    const out = execFileSync("python3", ["-c", script, join(dir, "a.zip"), join(dir, "out")], { encoding: "utf8" });
    const time = [2026, 11, 20, 10, 0, 0];
    assert.deepEqual(JSON.parse(out), [
      ["hello_1.0/", true, "0o40755", 16, 0, 0, time],
      ["hello_1.0/docs/", true, "0o40755", 16, 0, 0, time],
      ["hello_1.0/docs/README.md", false, "0o100644", 0, 6, 8, time],
      ["hello_1.0/hello.exe", false, "0o100755", 0, 3, 8, time],
      true,
      "readme",
    ]);
  });
});

describe("tarball and order", () => {
  it("tarGz is gzip of tarball, and tarball keeps the order it is given", () => {
    const entries = [file("z"), file("a"), file("m")];
    assert.deepEqual(gunzipSync(tarGz(entries, MTIME)), tarball(entries, MTIME));
    assert.deepEqual(
      tarList(tarball(entries, MTIME), "-tvf").map((line) => line.split(/ +/).at(-1)),
      ["z", "a", "m"],
    );
    assert.equal(tarball(entries, MTIME).length, 3 * 1024 + 1024);
  });

  it("archiveEntriesOrder sorts by the bytes of the written name, not by locale", () => {
    const names = ["b", "_x", "B", "a-b", "\u00e9", "a/c", "Z", "a.txt"];
    const sorted = archiveEntriesOrder([
      ...names.map((n) => file(n)),
      { name: "a", content: Buffer.alloc(0), mode: 0o755, type: "directory" },
    ]);
    assert.deepEqual(
      sorted.map((e) => e.name),
      ["B", "Z", "_x", "a-b", "a.txt", "a", "a/c", "b", "\u00e9"],
    );
  });

  it("is byte-identical across calls for directories and long names too", () => {
    const entries = withDirectories([file(`${"d".repeat(90)}/${"f".repeat(90)}`), file("x/y", "y", 0o755)]);
    assert.deepEqual(tarGz(entries, MTIME), tarGz(entries, MTIME));
    assert.deepEqual(zip(entries, MTIME), zip(entries, MTIME));
  });
});
