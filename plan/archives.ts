// Deterministic archives, byte for byte: fixed owner, mode and time (the commit's), no host metadata.
import { crc32 as zlibCrc32, deflateRawSync, gzipSync } from "node:zlib";
import { byteOrder } from "./assets";

/** What an archive entry is: a regular file (the default) or a directory. */
export type ArchiveEntryType = "file" | "directory";

export interface ArchiveEntry {
  /** Path inside the archive, `/`-separated; a directory's trailing `/` is optional. */
  readonly name: string;
  /** The file's bytes; empty for a directory. */
  readonly content: Buffer;
  /** Unix permission bits, e.g. 0o755. Directories are always written as 0o755. */
  readonly mode: number;
  /** Defaults to `"file"`. */
  readonly type?: ArchiveEntryType;
}

/** Permission bits every directory entry is written with. */
export const DIRECTORY_MODE = 0o755;

const USTAR_NAME = 100;
const USTAR_PREFIX = 155;

function isDirectory(entry: ArchiveEntry): boolean {
  return entry.type === "directory";
}

/** The name as written: a directory's ends in exactly one `/`. */
function entryName(entry: ArchiveEntry): string {
  if (!isDirectory(entry)) return entry.name;
  if (entry.content.length > 0) throw new Error(`archive directory entry has content: ${entry.name}`);
  return `${entry.name.replace(/\/+$/, "")}/`;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

/**
 * The ustar `name` and `prefix` fields for a path: the path itself when it fits in 100 bytes, else split at
 * the last `/` that leaves a prefix of at most 155 bytes and a non-empty name of at most 100 bytes.
 */
export function ustarNameFields(path: string): { name: Buffer; prefix: Buffer } {
  const bytes = Buffer.from(path, "utf8");
  if (bytes.length <= USTAR_NAME) return { name: bytes, prefix: Buffer.alloc(0) };
  // A directory's trailing slash belongs to the name part, never the split point.
  const searchEnd = Math.min(bytes[bytes.length - 1] === 0x2f ? bytes.length - 2 : bytes.length - 1, USTAR_PREFIX);
  const slash = bytes.lastIndexOf(0x2f, searchEnd);
  const nameLength = bytes.length - slash - 1;
  if (slash <= 0 || nameLength > USTAR_NAME || (bytes[slash + 1] ?? 0x2f) === 0x2f) {
    throw new Error(`archive entry name too long for ustar (at most a 155-byte directory prefix, "/", and a 100-byte name): ${path}`);
  }
  return { name: bytes.subarray(slash + 1), prefix: bytes.subarray(0, slash) };
}

function tarHeader(entry: ArchiveEntry, mtime: number): Buffer {
  const { name, prefix } = ustarNameFields(entryName(entry));
  const directory = isDirectory(entry);
  const header = Buffer.alloc(512, 0);
  name.copy(header, 0);
  header.write(octal(directory ? DIRECTORY_MODE : entry.mode, 8), 100, 8, "ascii");
  header.write(octal(0, 8), 108, 8, "ascii");
  header.write(octal(0, 8), 116, 8, "ascii");
  header.write(octal(directory ? 0 : entry.content.length, 12), 124, 12, "ascii");
  header.write(octal(mtime, 12), 136, 12, "ascii");
  header.write("        ", 148, 8, "ascii");
  header.write(directory ? "5" : "0", 156, 1, "ascii");
  header.write("ustar\u000000", 257, 8, "ascii");
  prefix.copy(header, 345);
  let checksum = 0;
  for (const byte of header) checksum += byte;
  header.write(octal(checksum, 7) + " ", 148, 8, "ascii");
  return header;
}

/** An uncompressed ustar stream of `entries`, written in the order given (callers sort). */
export function tarball(entries: readonly ArchiveEntry[], mtime: number): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    blocks.push(tarHeader(entry, mtime));
    if (isDirectory(entry)) continue;
    blocks.push(entry.content, Buffer.alloc((512 - (entry.content.length % 512)) % 512, 0));
  }
  blocks.push(Buffer.alloc(1024, 0));
  return Buffer.concat(blocks);
}

/** zlib's options for both gzip and zip: the same level everywhere, so the same input gives the same bytes. */
export const COMPRESSION: { readonly level: number } = { level: 6 };

/** A gzip-compressed ustar archive. gzip's own header carries no time or name (node writes mtime 0). */
export function tarGz(entries: readonly ArchiveEntry[], mtime: number): Buffer {
  return gzipSync(tarball(entries, mtime), COMPRESSION);
}

/** A copy of `entries` in byte order of their names (as written, so a directory precedes its files). */
export function archiveEntriesOrder(entries: readonly ArchiveEntry[]): ArchiveEntry[] {
  return [...entries].sort((a, b) => byteOrder(entryName(a), entryName(b)));
}

function parentDirectories(name: string): string[] {
  const parts = name.replace(/\/+$/, "").split("/");
  return parts.slice(0, -1).map((_, i) => `${parts.slice(0, i + 1).join("/")}/`);
}

/**
 * `entries` plus a directory entry (mode 0o755, empty, name ending in `/`) for every parent directory a
 * nested entry needs and that is not already listed, in byte order. Two entries with one name are an error.
 */
export function withDirectories(entries: readonly ArchiveEntry[]): ArchiveEntry[] {
  const byName = new Map<string, ArchiveEntry>();
  for (const entry of entries) {
    const name = entryName(entry);
    if (byName.has(name) || byName.has(isDirectory(entry) ? name.slice(0, -1) : `${name}/`)) {
      throw new Error(`archive entry listed twice: ${name}`);
    }
    byName.set(name, entry);
  }
  for (const entry of entries) {
    for (const directory of parentDirectories(entryName(entry))) {
      if (byName.has(directory.slice(0, -1))) throw new Error(`archive entry is both a file and a directory: ${directory}`);
      if (!byName.has(directory)) {
        byName.set(directory, { name: directory, content: Buffer.alloc(0), mode: DIRECTORY_MODE, type: "directory" });
      }
    }
  }
  return archiveEntriesOrder([...byName.values()]);
}

function dosDateTime(epochSeconds: number): { time: number; date: number } {
  const d = new Date(Math.max(epochSeconds, 315532800) * 1000);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/** The standard (zip, gzip) CRC-32 of `bytes`. */
export function crc32(bytes: Buffer): number {
  return zlibCrc32(bytes) >>> 0;
}

/** MS-DOS attribute bit for a directory, in the low byte of a zip entry's external attributes. */
const DOS_DIRECTORY = 0x10;

interface ZipRecord {
  readonly method: number;
  readonly data: Buffer;
  readonly crc: number;
  readonly size: number;
  readonly externalAttributes: number;
}

function zipRecord(entry: ArchiveEntry, deflated: Buffer): ZipRecord {
  if (isDirectory(entry)) {
    const attributes = (((0o040000 | DIRECTORY_MODE) << 16) | DOS_DIRECTORY) >>> 0;
    return { method: 0, data: Buffer.alloc(0), crc: 0, size: 0, externalAttributes: attributes };
  }
  return {
    method: 8,
    data: deflated,
    crc: crc32(entry.content),
    size: entry.content.length,
    externalAttributes: ((0o100000 | entry.mode) << 16) >>> 0,
  };
}

/** Whether a zip stores the entry's content deflated (files) or not at all (directories). */
export function zipDeflates(entry: ArchiveEntry): boolean {
  return !isDirectory(entry);
}

/**
 * A zip with unix modes recorded (made by unix), times in UTC from the commit: files deflated, directories
 * stored empty with a trailing `/` and the directory attributes. Entries are written in the order given.
 */
export function zip(entries: readonly ArchiveEntry[], mtime: number): Buffer {
  return zipOf(
    entries,
    mtime,
    entries.map((entry) => (zipDeflates(entry) ? deflateRawSync(entry.content, COMPRESSION) : Buffer.alloc(0))),
  );
}

/** {@link zip} with each entry's raw deflate stream (`COMPRESSION`) made by the caller, e.g. off the main thread. */
export function zipOf(entries: readonly ArchiveEntry[], mtime: number, deflated: readonly Buffer[]): Buffer {
  if (deflated.length !== entries.length) throw new Error(`zip: ${deflated.length} deflated contents for ${entries.length} entries`);
  const { time, date } = dosDateTime(mtime);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  entries.forEach((entry, index) => {
    const name = Buffer.from(entryName(entry), "utf8");
    const { method, data, crc, size, externalAttributes } = zipRecord(entry, deflated[index] as Buffer);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(externalAttributes, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  });
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}
