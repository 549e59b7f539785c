// The local release provider on a real file system: draft, publish, adopt, refuse to modify.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  LocalReleaseDirectory,
  LocalReleaseFile,
  LocalReleaseInputs,
  LocalReleaseOutputs,
  localReleaseProvider,
  publishLocalRelease,
  readPublished,
} from "../../providers/localRelease";
import { Registration, named, recordRegistrations, settle } from "../support/mocks";

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "slipway-local-release-"));
  dirs.push(dir);
  return dir;
}

const sha256 = (content: string) => createHash("sha256").update(content).digest("hex");

/** Release files with the given names and contents, written to a fresh directory, in the order given. */
function releaseOf(contents: Readonly<Record<string, string>>, version = "2.0.0"): LocalReleaseInputs {
  const dir = tempDir();
  mkdirSync(join(dir, "build"));
  const files: LocalReleaseFile[] = Object.entries(contents).map(([name, content]) => {
    const source = join(dir, "build", name);
    writeFileSync(source, content);
    return { name, source, sha256: sha256(content) };
  });
  return { root: join(dir, "releases"), version, files, slipwayPublished: true };
}

function fixture(content = "binary") {
  const dir = tempDir();
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
      deleteBeforeReplace: true,
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

describe("local release directory: names and order", () => {
  it("lists a published directory in JavaScript's string order, not the file system's byte order", () => {
    const dir = tempDir();
    // U+FF61 sorts before U+1F600 as UTF-8 bytes (how the file system lists them), after it as UTF-16.
    for (const name of ["\u{FF61}", "\u{1F600}", "b", "a"]) writeFileSync(join(dir, name), name);
    assert.deepEqual(Object.keys(readPublished(dir) ?? {}), ["a", "b", "\u{1F600}", "\u{FF61}"]);
    assert.deepEqual(readPublished(dir), {
      a: sha256("a"),
      b: sha256("b"),
      "\u{1F600}": sha256("\u{1F600}"),
      "\u{FF61}": sha256("\u{FF61}"),
    });
    assert.equal(readPublished(join(dir, "absent")), undefined);
  });

  const ORDERS: readonly (readonly string[])[] = [
    ["SHA256SUMS", "hello_linux_amd64"],
    ["hello_linux_amd64", "SHA256SUMS"],
    ["a", "b", "c"],
    ["c", "b", "a"],
    ["b", "c", "a"],
    ["a", "c", "b"],
  ];
  ORDERS.forEach((order, index) => {
    it(`[${index}] publishes files given as ${order.join(", ")} sorted by name, and adopts them on a re-run`, () => {
      const inputs = releaseOf(Object.fromEntries(order.map((name) => [name, `${name} content`])));
      const outs = publishLocalRelease(inputs);
      const sorted = [...order].sort();
      assert.deepEqual(Object.keys(outs.published), sorted);
      assert.deepEqual(outs.published, Object.fromEntries(sorted.map((name) => [name, sha256(`${name} content`)])));
      assert.deepEqual(publishLocalRelease(inputs), { ...inputs, directory: outs.directory, published: outs.published, adopted: true });
    });
  });

  it("two files with one name: the later one is published, and reported as published", () => {
    const first = releaseOf({ tool: "first" });
    const second = releaseOf({ tool: "second" });
    const inputs = { ...first, files: [...first.files, ...second.files] };
    const outs = publishLocalRelease(inputs);
    assert.deepEqual(outs.published, { tool: sha256("second") });
    assert.deepEqual(readPublished(outs.directory), outs.published);
  });

  const BAD_NAMES: readonly string[] = ["../evil", ".hidden", "-flag", "_x", "a/b", "a b", "tool\n", ""];
  BAD_NAMES.forEach((name, index) => {
    it(`[${index}] refuses the asset name ${JSON.stringify(name)} and publishes nothing`, () => {
      const inputs = releaseOf({ good: "good" });
      const files = [...inputs.files, { ...inputs.files[0]!, name }];
      assert.throws(() => publishLocalRelease({ ...inputs, files }), { message: `refusing asset name ${JSON.stringify(name)}` });
      assert.equal(existsSync(join(inputs.root, inputs.version)), false);
    });
  });

  const GOOD_NAMES: readonly string[] = ["a", "Z", "9", "hello_2.0.0_linux-amd64.tar.gz", "x..y"];
  GOOD_NAMES.forEach((name, index) => {
    it(`[${index}] accepts the asset name ${name}`, () => {
      const inputs = releaseOf({ [name]: "content" });
      assert.deepEqual(publishLocalRelease(inputs).published, { [name]: sha256("content") });
    });
  });

  it("clears a draft a failed run left behind before filling it again", () => {
    const inputs = releaseOf({ tool: "tool", SHA256SUMS: "sums" });
    const draft = join(inputs.root, ".draft-2.0.0");
    mkdirSync(join(draft, "nested"), { recursive: true });
    writeFileSync(join(draft, "stale"), "from an earlier run");
    const outs = publishLocalRelease(inputs);
    assert.deepEqual(readdirSync(outs.directory).sort(), ["SHA256SUMS", "tool"]);
    assert.deepEqual(readdirSync(inputs.root), ["2.0.0"]);
  });
});

describe("local release directory: restoring a published one", () => {
  it("copies back every missing file, reports the release as adopted, and touches nothing else", () => {
    const inputs = releaseOf({ a: "a", b: "b", c: "c" });
    const outs = publishLocalRelease(inputs);
    rmSync(join(outs.directory, "a"));
    rmSync(join(outs.directory, "c"));
    const before = statSync(join(outs.directory, "b")).mtimeMs;
    assert.deepEqual(publishLocalRelease(inputs), { ...inputs, directory: outs.directory, published: outs.published, adopted: true });
    assert.deepEqual(readPublished(outs.directory), outs.published);
    assert.equal(statSync(join(outs.directory, "b")).mtimeMs, before);
  });

  it("refuses to restore when another published file was changed, and restores nothing", () => {
    const inputs = releaseOf({ a: "a", b: "b", c: "c" });
    const outs = publishLocalRelease(inputs);
    rmSync(join(outs.directory, "a"));
    writeFileSync(join(outs.directory, "c"), "tampered");
    assert.throws(() => publishLocalRelease(inputs), {
      message: `${outs.directory} is already published with other content; published releases are never modified (release a new version)`,
    });
    assert.deepEqual(readdirSync(outs.directory).sort(), ["b", "c"]);
  });

  it("refuses a published directory holding a file the release does not have", () => {
    const inputs = releaseOf({ a: "a", b: "b" });
    const outs = publishLocalRelease(inputs);
    rmSync(join(outs.directory, "a"));
    writeFileSync(join(outs.directory, "extra"), "extra");
    assert.throws(() => publishLocalRelease(inputs), {
      message: `${outs.directory} is already published with other content; published releases are never modified (release a new version)`,
    });
    assert.deepEqual(readdirSync(outs.directory).sort(), ["b", "extra"]);
  });
});

describe("localReleaseProvider", () => {
  it("create publishes and names the resource by its directory", async () => {
    const inputs = releaseOf({ tool: "tool" });
    const directory = join(inputs.root, "2.0.0");
    assert.deepEqual(await localReleaseProvider.create(inputs), {
      id: directory,
      outs: { ...inputs, directory, published: { tool: sha256("tool") }, adopted: false },
    });
  });

  it("read reports what is on disk now, and nothing for a directory that is gone", async () => {
    const inputs = releaseOf({ tool: "tool", other: "other" });
    const outs = publishLocalRelease(inputs);
    writeFileSync(join(outs.directory, "tool"), "changed by hand");
    assert.deepEqual(await localReleaseProvider.read?.("id", outs), {
      id: "id",
      props: { ...outs, published: { other: sha256("other"), tool: sha256("changed by hand") } },
    });
    rmSync(outs.directory, { recursive: true });
    assert.deepEqual(await localReleaseProvider.read?.("id", outs), { id: "id", props: { ...outs, published: {} } });
  });

  const inputs = () => releaseOf({ tool: "tool", SHA256SUMS: "sums" });
  const DIFFS: readonly [
    string,
    (olds: LocalReleaseOutputs) => LocalReleaseInputs,
    { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean },
  ][] = [
    ["nothing changed", (olds) => olds, { changes: false, replaces: [], deleteBeforeReplace: false }],
    [
      "another root replaces",
      (olds) => ({ ...olds, root: `${olds.root}-next` }),
      { changes: true, replaces: ["version"], deleteBeforeReplace: true },
    ],
    [
      "another version replaces",
      (olds) => ({ ...olds, version: "2.0.1" }),
      { changes: true, replaces: ["version"], deleteBeforeReplace: true },
    ],
    [
      "another version may have other content",
      (olds) => ({ ...olds, version: "2.0.1", files: olds.files.map((f) => ({ ...f, sha256: "f".repeat(64) })) }),
      { changes: true, replaces: ["version"], deleteBeforeReplace: true },
    ],
    [
      "another version may have fewer files",
      (olds) => ({ ...olds, version: "2.0.1", files: olds.files.slice(0, 1) }),
      { changes: true, replaces: ["version"], deleteBeforeReplace: true },
    ],
    [
      "the same files built elsewhere are an update",
      (olds) => ({ ...olds, files: olds.files.map((f) => ({ ...f, source: `${f.source}.moved` })) }),
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
    [
      "one file built elsewhere is an update",
      (olds) => ({ ...olds, files: olds.files.map((f, i) => (i === 1 ? { ...f, source: `${f.source}.moved` } : f)) }),
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
  ];
  DIFFS.forEach(([title, change, expected], index) => {
    it(`[${index}] diff: ${title}`, async () => {
      const olds = publishLocalRelease(inputs());
      assert.deepEqual(await localReleaseProvider.diff?.("id", olds, change(olds)), expected);
    });
  });

  it("diff refuses other content for the published version with its exact message", async () => {
    const olds = publishLocalRelease(inputs());
    const changed = { ...olds, files: olds.files.map((f) => ({ ...f, sha256: "f".repeat(64) })) };
    await assert.rejects(
      Promise.resolve().then(() => localReleaseProvider.diff?.("id", olds, changed)),
      { message: `${olds.directory} is published; its files cannot change (release a new version)` },
    );
  });

  it("diff with fewer files when the published directory is gone is a change, not a failure", async () => {
    const olds = publishLocalRelease(inputs());
    rmSync(olds.directory, { recursive: true });
    assert.deepEqual(await localReleaseProvider.diff?.("id", olds, { ...olds, files: olds.files.slice(0, 1) }), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });
});

describe("LocalReleaseDirectory resource", () => {
  let registrations: Registration[];
  before(async () => {
    registrations = await recordRegistrations();
  });

  it("registers its inputs (no outputs) and keeps the published directory when deleted", async () => {
    const args: LocalReleaseInputs = {
      root: "/srv/releases",
      version: "2.0.0",
      files: [{ name: "tool", source: "/build/tool", sha256: "a".repeat(64) }],
      slipwayPublished: true,
    };
    new LocalReleaseDirectory("release", args);
    await settle();
    const registered = named(registrations, "release");
    assert.equal(registered.type, "pulumi-nodejs:dynamic/slipway:LocalRelease");
    assert.deepEqual(Object.keys(registered.inputs).sort(), ["__provider", "files", "root", "slipwayPublished", "version"]);
    assert.deepEqual({ ...registered.inputs, __provider: undefined }, { ...args, __provider: undefined });
    assert.equal(registered.options.retainOnDelete, true);
    assert.deepEqual(registered.options.additionalSecretOutputs, []);
  });
});
