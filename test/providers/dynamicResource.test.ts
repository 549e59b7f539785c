// providers/dynamicResource.ts: a dynamic resource registers what pulumi.dynamic.Resource registers, and the
// build's provider texts are used only while lib/ is exactly the code they were written from.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import {
  DynamicResource,
  SERIALIZED_PROVIDERS_FILE,
  SerializedProviders,
  libDigest,
  loadSerializedProviders,
  providerText,
} from "../../providers/dynamicResource";
import { Registration, named, recordRegistrations, settle } from "../support/mocks";
import { writeFiles } from "../support/files";

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A lib/ directory with the given files (path → content). */
function lib(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "slipway-dynamic-lib-"));
  dirs.push(dir);
  return writeFiles(dir, files);
}

const FILES = {
  "program.js": "module.exports = 1;\n",
  "providers/fake.js":
    "exports.fakeProvider = { create: async () => ({ id: 'x' }) };\nexports.otherProvider = { create: async () => ({ id: 'y' }) };\n",
  "plan/rules.js": "exports.rule = 2;\n",
};

describe("libDigest: every compiled .js file under lib/, by path and content", () => {
  const base = libDigest(lib(FILES));
  const cases: { name: string; files: Record<string, string>; same: boolean }[] = [
    { name: "the same files in another directory", files: FILES, same: true },
    { name: "a file's content changed", files: { ...FILES, "plan/rules.js": "exports.rule = 3;\n" }, same: false },
    { name: "a .js file added", files: { ...FILES, "plan/more.js": "" }, same: false },
    {
      name: "a .js file removed",
      files: { "program.js": FILES["program.js"], "providers/fake.js": FILES["providers/fake.js"] },
      same: false,
    },
    {
      name: "a nested file's content changed",
      files: { ...FILES, "providers/fake.js": FILES["providers/fake.js"].replace("'x'", "'z'") },
      same: false,
    },
    {
      name: "a file moved to another path",
      files: {
        "program.js": FILES["program.js"],
        "providers/fake.js": FILES["providers/fake.js"],
        "plan/moved.js": FILES["plan/rules.js"],
      },
      same: false,
    },
    {
      name: "declarations, the serialised texts and other files added",
      files: { ...FILES, "plan/rules.d.ts": "x", "providers/serialized.json": "{}", ".build-stamp": "" },
      same: true,
    },
  ];
  for (const { name, files, same } of cases) {
    it(`${name}: ${same ? "same" : "another"} digest`, () => {
      assert.equal(libDigest(lib(files)) === base, same);
    });
  }

  it("tells a file whose content holds the next file's path and content from the two files", () => {
    const two = libDigest(lib({ "a.js": "1", "b.js": "2" }));
    const one = libDigest(lib({ "a.js": "1b.js\u00002" }));
    assert.notEqual(one, two);
  });

  it("hashes each file's path, a NUL, its content and a NUL, in path order (not the order a walk finds them)", () => {
    // A walk reaches plan/x.js before plan.js ("plan" sorts before "plan.js"); by path, plan.js comes first.
    const files = { "plan/x.js": "x", "plan.js": "p", "program.js": "m" };
    const expected = createHash("sha256");
    for (const path of Object.keys(files).sort())
      expected
        .update(`${path}\0`)
        .update(files[path as keyof typeof files])
        .update("\0");
    assert.equal(libDigest(lib(files)), expected.digest("hex"));
  });

  it("is a sha256 in hex", () => {
    assert.match(base, /^[0-9a-f]{64}$/);
  });
});

describe("loadSerializedProviders: the build's texts by provider object, only while lib/ is unchanged", () => {
  /** A lib/ with FILES and serialized.json written from it, then `after` applied. */
  function written(providers: SerializedProviders["providers"], afterWrite: (dir: string) => void = () => undefined): string {
    const dir = lib(FILES);
    const file: SerializedProviders = { libDigest: libDigest(dir), providers };
    writeFileSync(join(dir, "providers", SERIALIZED_PROVIDERS_FILE), JSON.stringify(file));
    afterWrite(dir);
    return join(dir, "providers");
  }
  const FAKE = { module: "fake.js", exportName: "fakeProvider", text: "exports.handler = () => 'fake';" };
  const OTHER = { module: "fake.js", exportName: "otherProvider", text: "exports.handler = () => 'other';" };
  // Required by absolute path, as the program requires lib/providers: the same module objects.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exportsOf = (providersDir: string) => require(join(providersDir, "fake.js")) as Record<string, object>;

  it("maps each listed export of the current lib/ to its text", () => {
    const providersDir = written([FAKE, OTHER]);
    const texts = loadSerializedProviders(providersDir);
    const { fakeProvider, otherProvider } = exportsOf(providersDir);
    assert.equal(texts.size, 2);
    assert.equal(texts.get(fakeProvider as object), FAKE.text);
    assert.equal(texts.get(otherProvider as object), OTHER.text);
  });

  const stale: { name: string; dir: () => string }[] = [
    { name: "no serialized.json (a plain tsc, or the sources under tsx)", dir: () => join(lib(FILES), "providers") },
    {
      name: "serialized.json that is not JSON",
      dir: () => written([FAKE], (dir) => writeFileSync(join(dir, "providers", SERIALIZED_PROVIDERS_FILE), "{")),
    },
    {
      name: "a compiled file edited after it was written",
      dir: () => written([FAKE], (dir) => writeFileSync(join(dir, "plan", "rules.js"), "exports.rule = 9;\n")),
    },
    {
      name: "a compiled file added after it was written",
      dir: () => written([FAKE], (dir) => writeFileSync(join(dir, "plan", "new.js"), "")),
    },
    {
      name: "a compiled file renamed after it was written",
      dir: () => written([FAKE], (dir) => renameSync(join(dir, "plan", "rules.js"), join(dir, "plan", "renamed.js"))),
    },
  ];
  for (const { name, dir } of stale) {
    it(`${name}: no text, so the provider is serialised at run time`, () => {
      assert.equal(loadSerializedProviders(dir()).size, 0);
    });
  }

  it("skips an entry whose export is gone", () => {
    const providersDir = written([FAKE, { ...OTHER, exportName: "removedProvider" }]);
    const texts = loadSerializedProviders(providersDir);
    assert.deepEqual([...texts.values()], [FAKE.text]);
  });
});

describe("DynamicResource registers what pulumi.dynamic.Resource registers", () => {
  let registrations: Registration[];
  before(async () => {
    registrations = await recordRegistrations();
  });

  const provider: pulumi.dynamic.ResourceProvider = {
    // eslint-disable-next-line @typescript-eslint/require-await
    async create() {
      return { id: "made" };
    },
  };
  class Ours extends DynamicResource {
    constructor(name: string, props: pulumi.Inputs) {
      super(provider, name, props, undefined, "slipway", "Thing");
    }
  }
  class Pulumis extends pulumi.dynamic.Resource {
    constructor(name: string, props: pulumi.Inputs) {
      super(provider, name, props, undefined, "slipway", "Thing");
    }
  }

  it("the same type token, inputs and provider text (serialised at run time here: the sources have no build)", async () => {
    const props = { a: 1, nested: { b: ["c"] } };
    new Ours("ours", { ...props });
    new Pulumis("pulumis", { ...props });
    await settle();
    const ours = named(registrations, "ours");
    const pulumis = named(registrations, "pulumis");
    assert.equal(ours.type, "pulumi-nodejs:dynamic/slipway:Thing");
    assert.equal(ours.type, pulumis.type);
    assert.deepEqual({ ...ours.inputs, __provider: undefined }, { ...pulumis.inputs, __provider: undefined });
    // tsx spells this file's `() => provider` as `()=>provider`; compiled by tsc, the texts are identical
    // (test/scripts/serializeProviders.test.ts).
    const spaceless = (text: unknown) => String(text).replace(/\s+/g, "");
    assert.equal(spaceless(ours.inputs.__provider), spaceless(pulumis.inputs.__provider));
    assert.match(String(ours.inputs.__provider), /exports\.handler = __f0;/);
  });

  it("serialises a provider at run time once, however many resources use it", () => {
    const first = providerText(provider);
    assert.ok(pulumi.Output.isInstance(first));
    assert.equal(providerText(provider), first);
  });

  it("a provider that captures a secret is stored as a secret, as pulumi.dynamic.Resource stores it", async () => {
    const token = pulumi.secret("s3cret-token");
    const capturing: pulumi.dynamic.ResourceProvider = {
      // eslint-disable-next-line @typescript-eslint/require-await
      async create() {
        return { id: "captured", outs: { token } };
      },
    };
    const text = providerText(capturing) as pulumi.Output<string>;
    assert.equal(await pulumi.isSecret(text), true);
    assert.match(await new Promise<string>((resolve) => text.apply(resolve)), /s3cret-token/);
  });

  it("a provider that captures no secret is not stored as one", async () => {
    assert.equal(await pulumi.isSecret(providerText(provider) as pulumi.Output<string>), false);
  });

  it("does not change the props it is given", async () => {
    const props = { a: 1 };
    new Ours("untouched", props);
    await settle();
    assert.deepEqual(props, { a: 1 });
    assert.deepEqual(Object.keys(named(registrations, "untouched").inputs).sort(), ["__provider", "a"]);
  });
});
