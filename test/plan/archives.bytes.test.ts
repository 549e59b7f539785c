// The bytes plan/archives.ts writes: the ustar header fields, the compression level, the DOS time of zip
// entries, and the edges of name splitting and of duplicate entries.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { deflateRawSync, gunzipSync, gzipSync } from "node:zlib";
import { ArchiveEntry, COMPRESSION, tarball, tarGz, ustarNameFields, withDirectories, zip, zipDeflates, zipOf } from "../../plan/archives";

// Text that deflate's level 6 compresses differently from its levels 1 and 9.
const TEXT = Buffer.from(Array.from({ length: 3000 }, (_, i) => `line ${i} ${(i * 7919) % 1013} ${"ab".repeat(i % 17)}\n`).join(""));
const ENTRIES: ArchiveEntry[] = [
  { name: "d//", content: Buffer.alloc(0), mode: 0o700, type: "directory" },
  { name: "d/hello", content: Buffer.from("hello, world\n".repeat(50)), mode: 0o755 },
  { name: "d/notes.txt", content: TEXT, mode: 0o644 },
];
// 2026-11-20T10:00:01Z: an odd second, which a DOS time cannot hold.
const MTIME = 1795168801;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("archive bytes", () => {
  it("tarball: zero-padded octal fields, the checksum field, one slash after a directory name (sha256 pinned)", () => {
    const tar = tarball(ENTRIES, MTIME);
    assert.equal(tar.subarray(0, 3).toString("latin1"), "d/\0");
    assert.equal(tar.subarray(100, 108).toString("latin1"), "0000755\0");
    assert.equal(tar.subarray(108, 116).toString("latin1"), "0000000\0");
    assert.equal(tar.subarray(154, 156).toString("latin1"), "\0 ");
    assert.equal(sha256(tar), "3ad1fc52665a9b8d95838617b8fbe2ef1ffa7513a28469b27fb6145aa1653518");
  });

  it("tarGz compresses at level 6", () => {
    assert.notDeepEqual(gzipSync(TEXT, { level: 6 }), gzipSync(TEXT, { level: 9 }));
    assert.notDeepEqual(gzipSync(TEXT, { level: 6 }), gzipSync(TEXT, { level: 1 }));
    const tar = tarball(ENTRIES, MTIME);
    assert.deepEqual(tarGz(ENTRIES, MTIME), gzipSync(tar, { level: 6 }));
    assert.deepEqual(gunzipSync(tarGz(ENTRIES, MTIME)), tar);
  });

  it("zip deflates at level 6 and stores the time in two-second steps", () => {
    const level6 = deflateRawSync(TEXT, { level: 6 });
    assert.notDeepEqual(level6, deflateRawSync(TEXT, { level: 9 }));
    const archive = zip(ENTRIES, MTIME);
    assert.ok(archive.includes(level6));
    // The first local header: the DOS time at offset 10 is 10:00:00 (hours << 11), the date 2026-11-20.
    assert.equal(archive.readUInt32LE(0), 0x04034b50);
    assert.equal(archive.readUInt16LE(10), 10 << 11);
    assert.equal(archive.readUInt16LE(12), ((2026 - 1980) << 9) | (11 << 5) | 20);
  });

  it("zipOf lays out deflate streams made elsewhere: zip's bytes from level-6 streams, nothing for a directory", () => {
    assert.deepEqual(COMPRESSION, { level: 6 });
    assert.deepEqual(
      ENTRIES.map((e) => zipDeflates(e)),
      [false, true, true],
    );
    const streams = ENTRIES.map((e) => (zipDeflates(e) ? deflateRawSync(e.content, { level: 6 }) : Buffer.alloc(0)));
    assert.deepEqual(zipOf(ENTRIES, MTIME, streams), zip(ENTRIES, MTIME));
    assert.equal(sha256(zip(ENTRIES, MTIME)), sha256(zipOf(ENTRIES, MTIME, streams)));
    assert.throws(() => zipOf(ENTRIES, MTIME, streams.slice(1)), /^Error: zip: 2 deflated contents for 3 entries$/);
  });
});

describe("ustar name edges", () => {
  it("refuses a 101-byte path whose only slash is its first byte", () => {
    assert.throws(() => ustarNameFields(`/${"a".repeat(100)}`), /too long for ustar/);
  });

  it("refuses a split that would leave an empty name", () => {
    assert.throws(() => ustarNameFields(`${"b".repeat(99)}//`), /too long for ustar/);
  });
});

describe("withDirectories edges", () => {
  const file = (name: string): ArchiveEntry => ({ name, content: Buffer.from("x"), mode: 0o644 });
  const directory = (name: string): ArchiveEntry => ({ name, content: Buffer.alloc(0), mode: 0o755, type: "directory" });

  it("refuses a file and a directory of one name, in either order", () => {
    assert.throws(() => withDirectories([file("dir"), directory("dir/")]), /listed twice: dir\//);
    assert.throws(() => withDirectories([directory("dir/"), file("dir")]), /listed twice: dir$/);
  });

  it("refuses a file whose name a nested entry uses as a directory", () => {
    assert.throws(() => withDirectories([file("ab"), file("ab/c")]), /both a file and a directory: ab\//);
  });
});
