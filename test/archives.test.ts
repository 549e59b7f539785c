// Archives are checked with the system's own tar and python's zipfile, not with slipway's code.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { crc32, tarGz, zip } from "../plan/archives";

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
