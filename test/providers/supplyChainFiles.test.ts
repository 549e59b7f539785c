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
import { statKey } from "../../providers/goBuild";
import {
  SbomFileInputs,
  SbomFileOutputs,
  TextFileInputs,
  WrittenFile,
  binarySbom,
  buildInfoDigest,
  cyclonedxBinary,
  cyclonedxIdentity,
  rebindSbom,
  sbomFileProvider,
  sbomModules,
  textFileProvider,
  writeAtomically,
} from "../../providers/supplyChainFiles";
import { requireTool } from "../support/tools";

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const cyclonedx = requireTool("cyclonedx-gomod");

/** Runs `run` with the environment variable `name` set to `value` (unset for undefined) until it returns, or settles when it returns a promise. */
function withEnv<T>(name: string, value: string | undefined, run: () => T): T {
  const saved = process.env[name];
  const restore = () => {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  };
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  let result: T;
  try {
    result = run();
  } catch (error) {
    restore();
    throw error;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
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

  it("an update to another path (the next version's name) writes the new file and removes the old one", async () => {
    const first = { path: join(dir, "text", "hello_1.0.0.intoto.json"), content: "one\n" };
    const { id, outs } = await textFileProvider.create(first);
    const next = { path: join(dir, "text", "hello_1.0.1.intoto.json"), content: "two\n" };
    await textFileProvider.update?.(id, outs as TextFileInputs & WrittenFile, next);
    assert.equal(readFileSync(next.path, "utf8"), "two\n");
    assert.equal(existsSync(first.path), false);
  });

  it("delete leaves the file: it is build output, the published copy lives in the release", async () => {
    const { id, outs } = await textFileProvider.create(inputs("kept\n"));
    await textFileProvider.delete?.(id, outs as TextFileInputs & WrittenFile);
    assert.equal(readFileSync(inputs("").path, "utf8"), "kept\n");
  });
});

/**
 * A stand-in cyclonedx-gomod: `body` runs first, then it prints an SBOM whose package URL names its `go env`'s
 * platform, with the members `members` (a shell command) prints.
 */
function standInCyclonedx(name: string, body: string, members = ""): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `#!/bin/sh
${body}
printf '{"metadata":{"component":{"purl":"pkg:golang/example.com/m?goarch=%s&goos=%s&type=module"}},"bin":"%s"' "$GOARCH" "$GOOS" "$5"
${members}
printf '}'
`,
    { mode: 0o755 },
  );
  return path;
}

describe("binarySbom with a stand-in cyclonedx-gomod", () => {
  it("runs SBOMs side by side: the provider process serves every resource, so one must not wait for another", async () => {
    const calls = join(dir, "cyclonedx-calls");
    const standIn = standInCyclonedx(
      "cyclonedx-stand-in",
      `printf 'start %s\\n' "$(date +%s%N)" >> ${calls}\nsleep 0.4\nprintf 'end %s\\n' "$(date +%s%N)" >> ${calls}`,
    );
    const sboms = await withEnv("SLIPWAY_CYCLONEDX_GOMOD", standIn, () =>
      Promise.all([binarySbom("/one", "linux", "amd64"), binarySbom("/two", "linux", "amd64")]),
    );
    assert.deepEqual(
      sboms.map((sbom) => (JSON.parse(sbom) as { bin: string }).bin),
      ["/one", "/two"],
    );
    const events = readFileSync(calls, "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(" ")[0]);
    assert.deepEqual(events, ["start", "start", "end", "end"], "the second SBOM started before the first ended");
  });

  it("reads an SBOM of several megabytes whole (a binary with hundreds of modules)", async () => {
    const standIn = standInCyclonedx("cyclonedx-large", "", `printf ',"padding":"'; head -c 3000000 /dev/zero | tr '\\0' 'x'; printf '"'`);
    const sbom = await withEnv("SLIPWAY_CYCLONEDX_GOMOD", standIn, () => binarySbom("/large", "linux", "amd64"));
    assert.equal((JSON.parse(sbom) as { padding: string }).padding, "x".repeat(3_000_000));
  });

  it("runs it with the binary's GOOS and GOARCH, not the provider process's", async () => {
    const standIn = standInCyclonedx("cyclonedx-platform", "");
    const sbom = await withEnv("GOOS", "windows", () =>
      withEnv("GOARCH", "386", () => withEnv("SLIPWAY_CYCLONEDX_GOMOD", standIn, () => binarySbom("/hello", "darwin", "arm64"))),
    );
    assert.match(sbom, /"purl":"pkg:golang\/example.com\/m\?goarch=arm64&goos=darwin&type=module"/);
  });

  it("fails, naming the package URL, when the tool wrote another platform's (its go env failed)", async () => {
    const standIn = standInCyclonedx("cyclonedx-no-env", "GOOS= GOARCH=");
    await assert.rejects(
      withEnv("SLIPWAY_CYCLONEDX_GOMOD", standIn, () => binarySbom("/dist/hello_1.0.0_darwin_arm64", "darwin", "arm64")),
      {
        message:
          "cyclonedx-gomod wrote the package URL pkg:golang/example.com/m?goarch=&goos=&type=module for hello_1.0.0_darwin_arm64, " +
          "a darwin/arm64 binary; it takes the platform from `go env`: check that go is on PATH and that GOFLAGS and GOENV are valid",
      },
    );
  });

  it("fails, saying there was none, when the tool printed no SBOM", async () => {
    const standIn = join(dir, "cyclonedx-silent");
    writeFileSync(standIn, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    await assert.rejects(
      withEnv("SLIPWAY_CYCLONEDX_GOMOD", standIn, () => binarySbom("/hello", "linux", "amd64")),
      /wrote the package URL \(none\) for hello, a linux\/amd64 binary/,
    );
  });
});

describe("cyclonedxIdentity", () => {
  it("is the real path and stat of the tool, found on PATH or named by SLIPWAY_CYCLONEDX_GOMOD; undefined when absent", () => {
    const bin = join(dir, "identity-bin");
    execFileSync("mkdir", ["-p", bin]);
    const tool = standInCyclonedx(join("identity-bin", "cyclonedx-gomod"), "");
    const link = join(dir, "identity-link");
    execFileSync("ln", ["-sf", tool, link]);
    const expected = `${tool}:${statKey(tool) ?? ""}`;
    assert.equal(
      withEnv("SLIPWAY_CYCLONEDX_GOMOD", link, () => cyclonedxIdentity()),
      expected,
    );
    assert.equal(
      withEnv("SLIPWAY_CYCLONEDX_GOMOD", undefined, () => withEnv("PATH", `${join(dir, "nowhere")}:${bin}`, () => cyclonedxIdentity())),
      expected,
    );
    assert.equal(
      withEnv("SLIPWAY_CYCLONEDX_GOMOD", undefined, () => withEnv("PATH", join(dir, "nowhere"), () => cyclonedxIdentity())),
      undefined,
    );
    assert.equal(
      withEnv("SLIPWAY_CYCLONEDX_GOMOD", join(dir, "absent-tool"), () => cyclonedxIdentity()),
      undefined,
    );
  });
});

describe("rebindSbom", () => {
  const hex = (algorithm: string, data: string | Buffer) => createHash(algorithm).update(data).digest("hex");
  const properties = (name: string, content: string) => [
    { name: "cdx:gomod:binary:hash:MD5", value: hex("md5", content) },
    { name: "cdx:gomod:binary:hash:SHA-1", value: hex("sha1", content) },
    { name: "cdx:gomod:binary:hash:SHA-256", value: hex("sha256", content) },
    { name: "cdx:gomod:binary:hash:SHA-384", value: hex("sha384", content) },
    { name: "cdx:gomod:binary:hash:SHA-512", value: hex("sha512", content) },
    { name: "cdx:gomod:binary:name", value: name },
    { name: "cdx:gomod:build:env:GOOS", value: "linux" },
  ];
  const sbomOf = (props: unknown) => `${JSON.stringify({ metadata: { properties: props }, components: [] }, null, 2)}\n`;

  it("replaces the binary's name and five hashes, and nothing else", () => {
    const rebound = rebindSbom(sbomOf(properties("hello_1.0.0_linux_amd64", "old bytes")), "hello_1.0.1_linux_amd64", Buffer.from("new"));
    assert.equal(rebound, sbomOf(properties("hello_1.0.1_linux_amd64", "new")));
  });

  const refused: readonly { title: string; previous: string; name?: string }[] = [
    { title: "a name JSON would escape", previous: sbomOf(properties("a", "x")), name: "hello&co" },
    { title: "a name with a space", previous: sbomOf(properties("a", "x")), name: "my hello" },
    { title: "text that is not JSON", previous: "not json" },
    { title: "no properties", previous: sbomOf(undefined) },
    { title: "properties that are not a list", previous: sbomOf({ name: "x" }) },
    { title: "a hash missing", previous: sbomOf(properties("a", "x").filter((p) => !p.name.endsWith("SHA-384"))) },
    { title: "a property twice", previous: sbomOf([...properties("a", "x"), { name: "cdx:gomod:binary:name", value: "b" }]) },
    {
      title: "a value that is not a string",
      previous: sbomOf(properties("a", "x").map((p) => (p.name.endsWith("MD5") ? { ...p, value: 1 } : p))),
    },
    {
      title: "a value that appears elsewhere too",
      previous: sbomOf([...properties("a", "x"), { name: "cdx:gomod:build:tag", value: "a" }]),
    },
    {
      title: 'a value written otherwise than `"value": "…"`',
      previous: sbomOf(properties("a", "x")).replace('"value": "a"', '"value":"a"'),
    },
  ];
  for (const { title, previous, name } of refused) {
    it(`refuses ${title}`, () => assert.equal(rebindSbom(previous, name ?? "hello", Buffer.from("new")), undefined));
  }
});

describe("SbomFile provider with cyclonedx-gomod", { skip: cyclonedx.skip }, () => {
  let module = "";
  const sbomPath = (name = "hello.cdx.json") => join(dir, "sbom", name);
  /** Builds the module with `message` printed, for `goos`/`goarch`, with `flags`; returns the binary's path. */
  const build = (name: string, message: string, flags: string[] = [], goos = "linux", goarch = "amd64") => {
    writeFileSync(join(module, "main.go"), `package main\n\nfunc main() { println(${JSON.stringify(message)}) }\n`);
    const binary = join(dir, "bin", name);
    execFileSync("go", ["build", "-trimpath", ...flags, "-o", binary, "."], {
      cwd: module,
      env: { ...process.env, GOPROXY: "off", GOFLAGS: "", CGO_ENABLED: "0", GOOS: goos, GOARCH: goarch },
    });
    return binary;
  };
  let binary = "";
  before(() => {
    module = join(dir, "module");
    execFileSync("mkdir", ["-p", module, join(dir, "bin")]);
    writeFileSync(join(module, "go.mod"), "module example.com/hello\n\ngo 1.22\n");
    binary = build("hello", "hello");
  });
  const inputs = (path = binary, sbom = sbomPath()): SbomFileInputs => ({
    binary: path,
    binarySha256: sha256(readFileSync(path)),
    goos: "linux",
    goarch: "amd64",
    path: sbom,
  });
  const withTool = <T>(run: () => T) => withEnv("SLIPWAY_CYCLONEDX_GOMOD", cyclonedx.path, run);

  it("binarySbom reads the binary's build information, with no serial number or timestamp, the same twice", async () => {
    const sbom = await withTool(() => binarySbom(binary, "linux", "amd64"));
    const document = JSON.parse(sbom) as {
      bomFormat: string;
      serialNumber?: string;
      metadata: { timestamp?: string; component: { name: string } };
    };
    assert.equal(document.bomFormat, "CycloneDX");
    assert.equal(document.metadata.component.name, "example.com/hello");
    assert.equal(document.serialNumber, undefined);
    assert.equal(document.metadata.timestamp, undefined);
    assert.equal(await withTool(() => binarySbom(binary, "linux", "amd64")), sbom);
  });

  it("binarySbom names the binary's platform in every package URL, the same bytes whatever the machine's GOOS/GOARCH", async () => {
    const darwin = build("hello-darwin", "hello", [], "darwin", "arm64");
    const sbom = await withTool(() => binarySbom(darwin, "darwin", "arm64"));
    const urls = sbom.match(/"purl": "[^"]*"/g) ?? [];
    assert.ok(urls.length > 0);
    for (const url of urls) assert.match(url, /\?goarch=arm64\\u0026goos=darwin\\u0026type=module/);
    const elsewhere = await withEnv("GOOS", "windows", () =>
      withEnv("GOARCH", "386", () => withTool(() => binarySbom(darwin, "darwin", "arm64"))),
    );
    assert.equal(elsewhere, sbom);
  });

  it("binarySbom fails with cyclonedx-gomod's reason for a binary that does not exist", async () => {
    await assert.rejects(
      withTool(() => binarySbom(join(dir, "absent"), "linux", "amd64")),
      /binary at \S+absent does not exist/,
    );
  });

  it("buildInfoDigest: the same for a source change, another for other build settings, undefined for a file go cannot read", async () => {
    const changed = build("hello-changed", "hello, changed");
    const tagged = build("hello-tagged", "hello", ["-tags", "extra"]);
    assert.notEqual(sha256(readFileSync(changed)), sha256(readFileSync(binary)));
    const digest = await buildInfoDigest(binary);
    assert.match(digest ?? "", /^[0-9a-f]{64}$/);
    assert.equal(await buildInfoDigest(changed), digest);
    assert.notEqual(await buildInfoDigest(tagged), digest);
    writeFileSync(join(dir, "not-go"), "text\n");
    assert.equal(await buildInfoDigest(join(dir, "not-go")), undefined);
  });

  it("creates and updates the SBOM file from the binary; diff follows the binary, its digest, its platform, the path and the bytes", async () => {
    const created = await withTool(() => sbomFileProvider.create(inputs()));
    const expected = readFileSync(sbomPath(), "utf8");
    assert.deepEqual(created, {
      id: sbomPath(),
      outs: {
        ...inputs(),
        sha256: sha256(expected),
        size: Buffer.byteLength(expected),
        tool: withTool(() => cyclonedxIdentity()),
        buildInfo: await buildInfoDigest(binary),
      },
    });
    assert.match(expected, /"name": "example.com\/hello"/);

    rmSync(sbomPath());
    const updated = await withTool(() => sbomFileProvider.update?.(created.id, created.outs, inputs()));
    assert.deepEqual(updated, { outs: created.outs });
    assert.equal(readFileSync(sbomPath(), "utf8"), expected);

    const olds = created.outs as SbomFileOutputs;
    const unchanged = { changes: false, replaces: [], deleteBeforeReplace: false };
    const diff = async (news: Partial<SbomFileInputs>) => sbomFileProvider.diff?.("id", olds, { ...inputs(), ...news });
    assert.deepEqual(await diff({}), unchanged);
    assert.deepEqual(await diff({ binary: join(dir, "other") }), { ...unchanged, changes: true });
    assert.deepEqual(await diff({ binarySha256: "0".repeat(64) }), { ...unchanged, changes: true });
    assert.deepEqual(await diff({ goos: "darwin" }), { ...unchanged, changes: true });
    assert.deepEqual(await diff({ goarch: "arm64" }), { ...unchanged, changes: true });
    assert.deepEqual(await diff({ path: join(dir, "sbom", "other.json") }), { ...unchanged, changes: true });
    writeFileSync(sbomPath(), "{}");
    assert.deepEqual(await diff({}), { ...unchanged, changes: true });

    await sbomFileProvider.delete?.(created.id, olds);
    assert.equal(existsSync(sbomPath()), true);
  });

  describe("the next version's SBOM", () => {
    const calls = join(dir, "counted-calls");
    let counted = "";
    before(() => {
      counted = join(dir, "counted-cyclonedx");
      writeFileSync(counted, `#!/bin/sh\necho run >> '${calls}'\nexec '${cyclonedx.path ?? ""}' "$@"\n`, { mode: 0o755 });
    });
    const runs = () => (existsSync(calls) ? readFileSync(calls, "utf8").split("\n").length - 1 : 0);
    /** Creates the previous version's SBOM of `previous`, then updates it to `next`'s at another path; returns the tool's runs during the update. */
    const release = async (previous: string, next: string, prepare: (olds: SbomFileOutputs) => SbomFileOutputs = (o) => o) =>
      withEnv("SLIPWAY_CYCLONEDX_GOMOD", counted, async () => {
        rmSync(join(dir, "sbom"), { recursive: true, force: true });
        const created = await sbomFileProvider.create(inputs(previous, sbomPath("hello_1.0.0.cdx.json")));
        const olds = prepare(created.outs as SbomFileOutputs);
        const before = runs();
        const updated = await sbomFileProvider.update?.(created.id, olds, inputs(next, sbomPath("hello_1.0.1.cdx.json")));
        return { runs: runs() - before, outs: updated?.outs as SbomFileOutputs };
      });
    const toolsOwn = (path: string) => withTool(() => binarySbom(path, "linux", "amd64"));

    it("is made from the previous one when only the source changed: the tool's bytes, without running it, and the old file is gone", async () => {
      const next = build("hello_1.0.1", "hello, next");
      const { runs: ran, outs } = await release(binary, next);
      assert.equal(ran, 0, "cyclonedx-gomod ran");
      const written = readFileSync(sbomPath("hello_1.0.1.cdx.json"), "utf8");
      assert.equal(written, await toolsOwn(next));
      assert.notEqual(written, await toolsOwn(binary));
      assert.deepEqual(outs, {
        ...inputs(next, sbomPath("hello_1.0.1.cdx.json")),
        sha256: sha256(written),
        size: Buffer.byteLength(written),
        tool: withEnv("SLIPWAY_CYCLONEDX_GOMOD", counted, () => cyclonedxIdentity()),
        buildInfo: await buildInfoDigest(next),
      });
      assert.equal(existsSync(sbomPath("hello_1.0.0.cdx.json")), false, "the previous version's SBOM is left behind");
    });

    const rerun: readonly { title: string; next: () => string; prepare?: (olds: SbomFileOutputs) => SbomFileOutputs; edit?: boolean }[] = [
      { title: "the build settings changed", next: () => build("hello_tagged", "hello, next", ["-tags", "extra"]) },
      { title: "the tool changed", next: () => build("hello_1.0.1", "hello, next"), prepare: (o) => ({ ...o, tool: `${o.tool ?? ""}x` }) },
      { title: "the platform changed", next: () => build("hello_1.0.1", "hello, next"), prepare: (o) => ({ ...o, goarch: "arm64" }) },
      {
        title: "the state has no build information",
        next: () => build("hello_1.0.1", "hello, next"),
        prepare: (o) => ({ ...o, buildInfo: undefined }),
      },
      { title: "the previous SBOM was edited on disk", next: () => build("hello_1.0.1", "hello, next"), edit: true },
    ];
    for (const { title, next, prepare, edit } of rerun) {
      it(`runs the tool when ${title}`, async () => {
        const path = next();
        const { runs: ran } = await release(binary, path, (olds) => {
          if (edit === true) writeFileSync(olds.path, readFileSync(olds.path, "utf8").replace('"version": 1', '"version": 2'));
          return prepare?.(olds) ?? olds;
        });
        assert.equal(ran, 1);
        assert.equal(readFileSync(sbomPath("hello_1.0.1.cdx.json"), "utf8"), await toolsOwn(path));
      });
    }
  });
});
