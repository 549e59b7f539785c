// The local release provider on a real file system: draft, publish, adopt, refuse to modify.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LocalReleaseInputs, localReleaseProvider, publishLocalRelease } from "../../providers/localRelease";

function fixture(content = "binary") {
  const dir = mkdtempSync(join(tmpdir(), "slipway-local-release-"));
  const source = join(dir, "hello_1.4.0_linux_amd64");
  writeFileSync(source, content);
  const sha256 = createHash("sha256").update(content).digest("hex");
  const sums = join(dir, "SHA256SUMS");
  writeFileSync(sums, `${sha256}  hello_1.4.0_linux_amd64\n`);
  const sumsSha = createHash("sha256").update(readFileSync(sums)).digest("hex");
  const inputs: LocalReleaseInputs = {
    root: join(dir, "releases"),
    version: "1.4.0",
    files: [
      { name: "hello_1.4.0_linux_amd64", source, sha256 },
      { name: "SHA256SUMS", source: sums, sha256: sumsSha },
    ],
    slipwayPublished: true,
  };
  return { dir, inputs };
}

describe("local release directory", () => {
  it("publishes every file at once and leaves no draft behind", () => {
    const { inputs } = fixture();
    const outs = publishLocalRelease(inputs);
    assert.equal(outs.directory, join(inputs.root, "1.4.0"));
    assert.deepEqual(readdirSync(inputs.root), ["1.4.0"]);
    assert.deepEqual(readdirSync(outs.directory).sort(), ["SHA256SUMS", "hello_1.4.0_linux_amd64"]);
    assert.equal(outs.adopted, false);
  });

  it("adopts an identical published directory on a re-run", () => {
    const { inputs } = fixture();
    publishLocalRelease(inputs);
    assert.equal(publishLocalRelease(inputs).adopted, true);
  });

  it("refuses to overwrite a published version with other content", () => {
    const { inputs } = fixture();
    publishLocalRelease(inputs);
    const other = fixture("another binary");
    assert.throws(
      () => publishLocalRelease({ ...other.inputs, root: inputs.root }),
      /is already published with other content; published releases are never modified/,
    );
    assert.equal(readFileSync(join(inputs.root, "1.4.0", "hello_1.4.0_linux_amd64"), "utf8"), "binary");
  });

  it("refuses a copy whose checksum does not match the build", () => {
    const { inputs } = fixture();
    const broken = { ...inputs, files: [{ ...inputs.files[0]!, sha256: "0".repeat(64) }] };
    assert.throws(() => publishLocalRelease(broken), /copied sha256 [0-9a-f]{64} differs from the built 0{64}/);
    assert.equal(existsSync(join(inputs.root, "1.4.0")), false, "nothing is published");
  });

  it("diff: refuses changed content of a published version, republishes a deleted one, replaces on a new version", async () => {
    const { inputs } = fixture();
    const outs = publishLocalRelease(inputs);
    const changed = { ...inputs, files: [{ ...inputs.files[0]!, sha256: "f".repeat(64) }, inputs.files[1]!] };
    await assert.rejects(
      Promise.resolve().then(() => localReleaseProvider.diff?.("id", outs, changed)),
      /is published; its files cannot change/,
    );
    assert.deepEqual(await localReleaseProvider.diff?.("id", outs, inputs), { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(await localReleaseProvider.diff?.("id", outs, { ...inputs, version: "1.4.1" }), {
      changes: true,
      replaces: ["version"],
      deleteBeforeReplace: false,
    });
    rmSync(outs.directory, { recursive: true });
    assert.equal((await localReleaseProvider.diff?.("id", outs, inputs))?.changes, true);
    await localReleaseProvider.update?.("id", outs, inputs);
    assert.equal(existsSync(join(outs.directory, "SHA256SUMS")), true);
  });

  it("a file deleted from a published directory is copied back, the others untouched; a changed one is still refused", async () => {
    const { inputs } = fixture();
    const outs = publishLocalRelease(inputs);
    const binary = join(outs.directory, "hello_1.4.0_linux_amd64");
    const sums = join(outs.directory, "SHA256SUMS");
    rmSync(binary);
    assert.equal((await localReleaseProvider.diff?.("id", outs, inputs))?.changes, true);
    const before = statSync(sums).mtimeMs;
    const { outs: after } = (await localReleaseProvider.update?.("id", outs, inputs)) as { outs: { published: Record<string, string> } };
    assert.equal(readFileSync(binary, "utf8"), "binary");
    assert.equal(statSync(sums).mtimeMs, before);
    assert.deepEqual(after.published, outs.published);
    rmSync(binary);
    writeFileSync(sums, "tampered\n");
    assert.throws(() => publishLocalRelease(inputs), /already published with other content/);
  });
});
