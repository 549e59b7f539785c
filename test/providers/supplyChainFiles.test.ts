// The files a release writes beside its build output: written whole (never half a file), rewritten only when
// their inputs or their bytes on disk changed, and the SBOM read from a real Go binary by the toolchain's
// cyclonedx-gomod.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  SbomFileInputs,
  TextFileInputs,
  WrittenFile,
  binarySbom,
  cyclonedxBinary,
  sbomFileProvider,
  sbomModules,
  textFileProvider,
  writeAtomically,
} from "../../providers/supplyChainFiles";
import { requireTool } from "../support/tools";

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const cyclonedx = requireTool("cyclonedx-gomod");

function withEnv<T>(name: string, value: string | undefined, run: () => T): T {
  const saved = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return run();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

let dir = "";
before(() => {
  dir = mkdtempSync(join(tmpdir(), "slipway-supply-chain-files-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("writeAtomically", () => {
  it("creates the missing directories, leaves no partial file, and reports the bytes' digest and size", () => {
    const path = join(dir, "atomic", "deep", "provenance.json");
    const content = '{"größe":1}\n';
    assert.deepEqual(writeAtomically(path, content), { path, sha256: sha256(content), size: 14 });
    assert.equal(readFileSync(path, "utf8"), content);
    assert.deepEqual(readdirSync(join(dir, "atomic", "deep")), ["provenance.json"]);
  });

  it("replaces an existing file", () => {
    const path = join(dir, "replaced.txt");
    writeFileSync(path, "old and longer");
    writeAtomically(path, "new");
    assert.equal(readFileSync(path, "utf8"), "new");
  });
});

describe("sbomModules", () => {
  const table: readonly { title: string; sbom: unknown; modules: string[] }[] = [
    { title: "no components", sbom: {}, modules: [] },
    { title: "an empty component list", sbom: { components: [] }, modules: [] },
    {
      title: "path@version of each component, sorted",
      sbom: {
        components: [
          { name: "golang.org/x/sys", version: "v0.30.0" },
          { name: "github.com/google/uuid", version: "v1.6.0" },
        ],
      },
      modules: ["github.com/google/uuid@v1.6.0", "golang.org/x/sys@v0.30.0"],
    },
    {
      title: "a component without name or version",
      sbom: { components: [{ version: "v1.0.0" }, { name: "example.com/m" }] },
      modules: ["@v1.0.0", "example.com/m@"],
    },
  ];
  for (const { title, sbom, modules } of table) {
    it(title, () => assert.deepEqual(sbomModules(JSON.stringify(sbom)), modules));
  }
});

describe("cyclonedxBinary", () => {
  it("is cyclonedx-gomod on PATH unless SLIPWAY_CYCLONEDX_GOMOD names one", () => {
    assert.equal(
      withEnv("SLIPWAY_CYCLONEDX_GOMOD", undefined, () => cyclonedxBinary()),
      "cyclonedx-gomod",
    );
    assert.equal(
      withEnv("SLIPWAY_CYCLONEDX_GOMOD", "/opt/bin/cdx", () => cyclonedxBinary()),
      "/opt/bin/cdx",
    );
  });
});

describe("TextFile provider", () => {
  const inputs = (content: string): TextFileInputs => ({ path: join(dir, "text", "cosign.pub"), content });

  it("creates and updates the file; the id is its path and the outputs its bytes' digest and size", async () => {
    const created = await textFileProvider.create(inputs("key one\n"));
    assert.deepEqual(created, {
      id: inputs("").path,
      outs: { ...inputs("key one\n"), sha256: sha256("key one\n"), size: 8 },
    });
    assert.equal(readFileSync(inputs("").path, "utf8"), "key one\n");
    const updated = await textFileProvider.update?.(created.id, created.outs, inputs("key two, longer\n"));
    assert.deepEqual(updated, { outs: { ...inputs("key two, longer\n"), sha256: sha256("key two, longer\n"), size: 16 } });
    assert.equal(readFileSync(inputs("").path, "utf8"), "key two, longer\n");
  });

  it("diff: a change of path or content, or a file missing or edited on disk, rewrites it; nothing else does", async () => {
    const { outs } = await textFileProvider.create(inputs("same\n"));
    const olds = outs as TextFileInputs & WrittenFile;
    const diff = async (news: TextFileInputs) => textFileProvider.diff?.("id", olds, news);
    const unchanged = { changes: false, replaces: [], deleteBeforeReplace: false };
    assert.deepEqual(await diff(inputs("same\n")), unchanged);
    assert.deepEqual(await diff(inputs("other\n")), { ...unchanged, changes: true });
    assert.deepEqual(await diff({ ...inputs("same\n"), path: join(dir, "text", "other.pub") }), { ...unchanged, changes: true });
    writeFileSync(olds.path, "edited\n");
    assert.deepEqual(await diff(inputs("same\n")), { ...unchanged, changes: true });
    rmSync(olds.path);
    assert.deepEqual(await diff(inputs("same\n")), { ...unchanged, changes: true });
  });

  it("delete leaves the file: it is build output, the published copy lives in the release", async () => {
    const { id, outs } = await textFileProvider.create(inputs("kept\n"));
    await textFileProvider.delete?.(id, outs as TextFileInputs & WrittenFile);
    assert.equal(readFileSync(inputs("").path, "utf8"), "kept\n");
  });
});

describe("binarySbom with a stand-in cyclonedx-gomod", () => {
  it("runs SBOMs side by side: the provider process serves every resource, so one must not wait for another", async () => {
    const standIn = join(dir, "cyclonedx-stand-in");
    const calls = join(dir, "cyclonedx-calls");
    writeFileSync(
      standIn,
      `#!/bin/sh\nprintf 'start %s\\n' "$(date +%s%N)" >> ${calls}\nsleep 0.4\nprintf 'end %s\\n' "$(date +%s%N)" >> ${calls}\nprintf '{"bin":"%s"}' "$5"\n`,
      { mode: 0o755 },
    );
    const sboms = await withEnv("SLIPWAY_CYCLONEDX_GOMOD", standIn, () => Promise.all([binarySbom("/one"), binarySbom("/two")]));
    assert.deepEqual(sboms, ['{"bin":"/one"}', '{"bin":"/two"}']);
    const events = readFileSync(calls, "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(" ")[0]);
    assert.deepEqual(events, ["start", "start", "end", "end"], "the second SBOM started before the first ended");
  });

  it("reads an SBOM of several megabytes whole (a binary with hundreds of modules)", async () => {
    const standIn = join(dir, "cyclonedx-large");
    writeFileSync(standIn, `#!/bin/sh\nhead -c 3000000 /dev/zero | tr '\\0' 'x'\n`, { mode: 0o755 });
    const sbom = await withEnv("SLIPWAY_CYCLONEDX_GOMOD", standIn, () => binarySbom("/large"));
    assert.equal(sbom.length, 3_000_000);
    assert.equal(sbom, "x".repeat(3_000_000));
  });
});

describe("SbomFile provider with cyclonedx-gomod", { skip: cyclonedx.skip }, () => {
  let binary = "";
  const sbomPath = () => join(dir, "sbom", "hello.cdx.json");
  before(() => {
    const module = join(dir, "module");
    execFileSync("mkdir", ["-p", module]);
    writeFileSync(join(module, "go.mod"), "module example.com/hello\n\ngo 1.22\n");
    writeFileSync(join(module, "main.go"), 'package main\n\nfunc main() { println("hello") }\n');
    binary = join(dir, "hello");
    execFileSync("go", ["build", "-trimpath", "-o", binary, "."], {
      cwd: module,
      env: { ...process.env, GOPROXY: "off", GOFLAGS: "", CGO_ENABLED: "0" },
    });
  });
  const inputs = (): SbomFileInputs => ({ binary, binarySha256: sha256(readFileSync(binary)), path: sbomPath() });

  it("binarySbom reads the binary's build information, with no serial number or timestamp, the same twice", async () => {
    const sbom = await withEnv("SLIPWAY_CYCLONEDX_GOMOD", cyclonedx.path, () => binarySbom(binary));
    const document = JSON.parse(sbom) as {
      bomFormat: string;
      serialNumber?: string;
      metadata: { timestamp?: string; component: { name: string } };
    };
    assert.equal(document.bomFormat, "CycloneDX");
    assert.equal(document.metadata.component.name, "example.com/hello");
    assert.equal(document.serialNumber, undefined);
    assert.equal(document.metadata.timestamp, undefined);
    assert.equal(await withEnv("SLIPWAY_CYCLONEDX_GOMOD", cyclonedx.path, () => binarySbom(binary)), sbom);
  });

  it("binarySbom fails with cyclonedx-gomod's reason for a binary that does not exist", async () => {
    await assert.rejects(
      withEnv("SLIPWAY_CYCLONEDX_GOMOD", cyclonedx.path, () => binarySbom(join(dir, "absent"))),
      /binary at \S+absent does not exist/,
    );
  });

  it("creates and updates the SBOM file from the binary; diff follows the binary, its digest, the path and the bytes", async () => {
    const created = await withEnv("SLIPWAY_CYCLONEDX_GOMOD", cyclonedx.path, () => sbomFileProvider.create(inputs()));
    const expected = readFileSync(sbomPath(), "utf8");
    assert.deepEqual(created, { id: sbomPath(), outs: { ...inputs(), sha256: sha256(expected), size: Buffer.byteLength(expected) } });
    assert.match(expected, /"name": "example.com\/hello"/);

    rmSync(sbomPath());
    const updated = await withEnv("SLIPWAY_CYCLONEDX_GOMOD", cyclonedx.path, () =>
      sbomFileProvider.update?.(created.id, created.outs, inputs()),
    );
    assert.deepEqual(updated, { outs: created.outs });
    assert.equal(readFileSync(sbomPath(), "utf8"), expected);

    const olds = created.outs as SbomFileInputs & WrittenFile;
    const unchanged = { changes: false, replaces: [], deleteBeforeReplace: false };
    const diff = async (news: Partial<SbomFileInputs>) => sbomFileProvider.diff?.("id", olds, { ...inputs(), ...news });
    assert.deepEqual(await diff({}), unchanged);
    assert.deepEqual(await diff({ binary: join(dir, "other") }), { ...unchanged, changes: true });
    assert.deepEqual(await diff({ binarySha256: "0".repeat(64) }), { ...unchanged, changes: true });
    assert.deepEqual(await diff({ path: join(dir, "sbom", "other.json") }), { ...unchanged, changes: true });
    writeFileSync(sbomPath(), "{}");
    assert.deepEqual(await diff({}), { ...unchanged, changes: true });

    await sbomFileProvider.delete?.(created.id, olds);
    assert.equal(existsSync(sbomPath()), true);
  });
});
