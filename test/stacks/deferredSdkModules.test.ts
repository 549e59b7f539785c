// The program's first import: @pulumi/pulumi loads without TypeScript's compiler, Arborist,
// normalize-package-data or its Automation API (the run harness's tracing packages: test/bin/programPreload), and the closure serialiser and the Automation API still give
// the same results when they do run. Each case runs in a fresh Node.js process, since what it checks is what
// require's cache holds.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";

const REPO = join(__dirname, "..", "..");
const DEFER = JSON.stringify(join(REPO, "stacks", "deferredSdkModules.ts"));
const SDK = JSON.stringify(require.resolve("@pulumi/pulumi"));
/** tsx by path: a case run in a directory of its own cannot resolve the package by name. */
const TSX = pathToFileURL(join(REPO, "node_modules", "tsx", "dist", "loader.mjs")).href;

/** Runs `script` (CommonJS, tsx loaded) in a new process in `cwd` and parses the JSON it prints last. */
function inFreshProcess<T>(script: string, cwd = REPO): T {
  const run = spawnSync(process.execPath, ["--import", TSX, "--no-deprecation", "--no-warnings", "-e", script], {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(run.status, 0, `the script failed:\n${run.stderr}`);
  const lines = run.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1] ?? "") as T;
}

/** The run harness's tracing packages, deferred after the four above; loaded by none of these cases. */
const TRACING = [
  "@opentelemetry/resources",
  "@opentelemetry/sdk-trace-base",
  "@opentelemetry/exporter-zipkin",
  "@opentelemetry/instrumentation-grpc",
  "@opentelemetry/sdk-trace-node",
  "@opentelemetry/instrumentation",
];
const TRACING_UNLOADED = TRACING.map(() => false);

interface Deferred {
  readonly name: string;
  readonly file: string;
  readonly loaded: boolean;
}

describe("the SDK's deferred modules", () => {
  it("lets @pulumi/pulumi load without Arborist's or normalize-package-data's code, which it loads otherwise", () => {
    const script = (defer: boolean) => `
      ${defer ? `const { deferSdkModules } = require(${DEFER});` : ""}
      require(${SDK});
      console.log(JSON.stringify({
        arborist: Object.keys(require.cache).some((f) => /@npmcli[\\\\/]arborist[\\\\/]lib[\\\\/]arborist[\\\\/]/.test(f)),
        normalizer: Object.keys(require.cache).some((f) => /normalize-package-data[\\\\/]lib[\\\\/]fixer\\.js$/.test(f)),
        deferred: ${defer ? "deferSdkModules()" : "[]"},
      }));`;
    const without = inFreshProcess<{ arborist: boolean; normalizer: boolean }>(script(false));
    assert.equal(without.arborist, true, "without the stand-ins the SDK loads Arborist");
    assert.equal(without.normalizer, true, "and normalize-package-data");
    const withStandIns = inFreshProcess<{ arborist: boolean; normalizer: boolean; deferred: Deferred[] }>(script(true));
    assert.equal(withStandIns.arborist, false);
    assert.equal(withStandIns.normalizer, false);
    assert.deepEqual(
      withStandIns.deferred.map(({ name, loaded }) => ({ name, loaded })),
      [
        { name: "typescript", loaded: false },
        { name: "@npmcli/arborist", loaded: false },
        { name: "normalize-package-data", loaded: false },
        { name: "@pulumi/pulumi/automation", loaded: false },
        ...TRACING.map((name) => ({ name, loaded: false })),
      ],
    );
  });

  it("lets @pulumi/pulumi load without its Automation API, which loads, whole, when first used", () => {
    const script = (defer: boolean) => `
      ${defer ? `const { deferSdkModules } = require(${DEFER});` : ""}
      const pulumi = require(${SDK});
      const loaded = () => Object.keys(require.cache).filter((f) => /[\\/]@pulumi[\\/]pulumi[\\/]automation[\\/]localWorkspace\.js$|[\\/]execa[\\/]/.test(f)).length > 0;
      const before = loaded();
      const interop = ["__esModule" in pulumi.automation, Object.getOwnPropertyDescriptor(pulumi.automation, "__esModule")?.value];
      const deferredBefore = ${defer ? "deferSdkModules().map((m) => m.loaded)" : "[]"};
      const keys = Object.keys(pulumi.automation).sort();
      const kinds = [typeof pulumi.automation.LocalWorkspace.create, pulumi.automation.fullyQualifiedStackName("o", "p", "s")];
      const same = pulumi.automation === require(${JSON.stringify(require.resolve("@pulumi/pulumi/automation"))});
      console.log(JSON.stringify({ before, interop, deferredBefore, after: loaded(), keys, kinds, same,
        deferredAfter: ${defer ? "deferSdkModules().map((m) => m.loaded)" : "[]"} }));`;
    interface Result {
      before: boolean;
      interop: unknown[];
      deferredBefore: boolean[];
      after: boolean;
      keys: string[];
      kinds: string[];
      same: boolean;
      deferredAfter: boolean[];
    }
    const plain = inFreshProcess<Result>(script(false));
    const deferred = inFreshProcess<Result>(script(true));
    assert.equal(plain.before, true, "without the stand-in the SDK loads the Automation API");
    assert.equal(deferred.before, false);
    assert.deepEqual(plain.interop, [true, true]);
    assert.deepEqual(deferred.interop, plain.interop, "an ES module, as the real one says, before it loads");
    assert.deepEqual(deferred.deferredBefore, [false, false, false, false, ...TRACING_UNLOADED]);
    assert.ok(plain.keys.includes("LocalWorkspace"));
    assert.deepEqual(deferred.keys, plain.keys, "the stand-in lists the real exports once used");
    assert.deepEqual(deferred.kinds, ["function", "o/p/s"]);
    assert.deepEqual(plain.kinds, deferred.kinds);
    assert.equal(deferred.after, true);
    assert.equal(plain.same, true);
    assert.equal(deferred.same, false, "whoever took the stand-in keeps it, and it forwards to the real module");
    assert.deepEqual(deferred.deferredAfter, [false, false, false, true, ...TRACING_UNLOADED]);
  });

  it("loads TypeScript's compiler only when a function is serialised, and serialises it as the SDK does", () => {
    const script = (defer: boolean) => `
      ${defer ? `const { deferSdkModules } = require(${DEFER});` : ""}
      const pulumi = require(${SDK});
      const before = ${defer ? "deferSdkModules().map((m) => m.loaded)" : "[]"};
      const { registryTagProvider } = require(${JSON.stringify(join(REPO, "providers", "registryTag.ts"))});
      pulumi.runtime.serializeFunction(() => registryTagProvider, { allowSecrets: true }).then((f) => {
        const after = ${defer ? "deferSdkModules().map((m) => m.loaded)" : "[]"};
        console.log(JSON.stringify({ text: f.text, before, after }));
      });`;
    const plain = inFreshProcess<{ text: string }>(script(false));
    const deferred = inFreshProcess<{ text: string; before: boolean[]; after: boolean[] }>(script(true));
    assert.ok(plain.text.includes("exports.handler"), "the SDK serialised the provider");
    assert.equal(deferred.text, plain.text);
    assert.deepEqual(deferred.before, [false, false, false, false, ...TRACING_UNLOADED]);
    assert.deepEqual(deferred.after, [true, false, false, false, ...TRACING_UNLOADED], "serialising a function parses it with TypeScript");
  });

  it("builds the real Arborist when the SDK computes a package's code paths, with the same result", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-codepaths-"));
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", dependencies: { left: "1.0.0" } }));
      for (const [name, deps] of [
        ["left", { right: "2.0.0" }],
        ["right", {}],
      ] as const) {
        mkdirSync(join(dir, "node_modules", name), { recursive: true });
        writeFileSync(
          join(dir, "node_modules", name, "package.json"),
          JSON.stringify({ name, version: name === "left" ? "1.0.0" : "2.0.0", dependencies: deps }),
        );
        writeFileSync(join(dir, "node_modules", name, "index.js"), "module.exports = 1;\n");
      }
      const script = (defer: boolean) => `
        ${defer ? `const { deferSdkModules } = require(${DEFER});` : ""}
        const pulumi = require(${SDK});
        pulumi.runtime.computeCodePaths().then((paths) => {
          console.log(JSON.stringify({ paths: [...paths.keys()].sort(), deferred: ${defer ? "deferSdkModules().map((m) => m.loaded)" : "[]"} }));
        });`;
      const plain = inFreshProcess<{ paths: string[] }>(script(false), dir);
      const deferred = inFreshProcess<{ paths: string[]; deferred: boolean[] }>(script(true), dir);
      assert.deepEqual(plain.paths, ["node_modules/left", "node_modules/right"]);
      assert.deepEqual(deferred.paths, plain.paths);
      assert.deepEqual(
        deferred.deferred,
        [false, true, true, false, ...TRACING_UNLOADED],
        "Arborist and normalize-package-data loaded, TypeScript and the Automation API not",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("defers the SDK's vendored TypeScript when no typescript package is installed, and evaluates it once", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-vendored-"));
    try {
      const sdk = join(dir, "node_modules", "@pulumi", "pulumi");
      mkdirSync(join(sdk, "vendor", "typescript@3.8.3"), { recursive: true });
      writeFileSync(join(sdk, "package.json"), JSON.stringify({ name: "@pulumi/pulumi", version: "3.0.0" }));
      const vendored = join(sdk, "vendor", "typescript@3.8.3", "typescript.js");
      writeFileSync(
        vendored,
        "globalThis.evaluations = (globalThis.evaluations ?? 0) + 1;\nexports.version = '3.8.3';\nObject.defineProperty(exports, 'fixed', { value: 1, enumerable: true });\n",
      );
      const result = inFreshProcess<{
        first: Deferred[];
        interop: unknown[];
        version: string;
        again: string;
        evaluations: number;
        second: Deferred[];
        keys: string[];
        has: boolean[];
      }>(
        `const { deferSdkModules } = require(${DEFER});
        const first = deferSdkModules(${JSON.stringify(dir)}).map((m) => ({ ...m }));
        const taken = require(${JSON.stringify(vendored)});
        const interop = ["__esModule" in taken, Object.getOwnPropertyDescriptor(taken, "__esModule"), globalThis.evaluations ?? 0];
        const version = taken.version;
        const again = require(${JSON.stringify(vendored)}).version;
        const second = deferSdkModules(${JSON.stringify(dir)});
        const keys = Object.keys(taken);
        const has = ["version" in taken, "missing" in taken];
        console.log(JSON.stringify({ first, interop, version, again, evaluations: globalThis.evaluations, second, keys, has }));`,
        dir,
      );
      const ours = (list: Deferred[]) => list.filter((m) => m.file.startsWith(dir));
      assert.deepEqual(ours(result.first), [{ name: "typescript", file: vendored, loaded: false }]);
      assert.deepEqual(result.interop, [false, null, 0], "not an ES module, answered without loading it");
      assert.equal(result.version, "3.8.3");
      assert.equal(result.again, "3.8.3");
      assert.equal(result.evaluations, 1);
      assert.deepEqual(result.keys, ["version", "fixed"], "the stand-in lists the real exports, fixed ones too");
      assert.deepEqual(result.has, [true, false]);
      assert.deepEqual(ours(result.second), [{ name: "typescript", file: vendored, loaded: true }], "a second call adds nothing");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("calls the real normalize-package-data through its stand-in, loading it on the first call", () => {
    const script = (defer: boolean) => `
      ${defer ? `const { deferSdkModules } = require(${DEFER});` : ""}
      require(${SDK});
      const normalize = require(require.resolve("normalize-package-data", { paths: [${JSON.stringify(join(REPO, "node_modules", "@pulumi", "pulumi"))}] }));
      const before = ${defer ? "deferSdkModules().map((m) => m.loaded)" : "[]"};
      const data = { name: "app", version: "1.2.3", repository: "github:o/app", dependencies: { left: "^1" } };
      const returnedNothing = normalize.call({ marker: 1 }, data, () => undefined) === undefined;
      console.log(JSON.stringify({ kind: typeof normalize, returnedNothing, data, before,
        after: ${defer ? "deferSdkModules().map((m) => m.loaded)" : "[]"} }));`;
    const plain = inFreshProcess<Record<string, unknown>>(script(false));
    const deferred = inFreshProcess<Record<string, unknown>>(script(true));
    assert.deepEqual((plain.data as { _id?: string })._id, "app@1.2.3", "the real module normalised the data");
    assert.deepEqual(
      { ...deferred, before: undefined, after: undefined },
      { ...plain, before: undefined, after: undefined },
      "the same result through the stand-in",
    );
    assert.deepEqual(deferred.before, [false, false, false, false, ...TRACING_UNLOADED]);
    assert.deepEqual(deferred.after, [false, false, true, false, ...TRACING_UNLOADED]);
  });

  it("forwards a call through a callable stand-in with its receiver and arguments, and returns the result", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-callable-"));
    try {
      const sdk = join(dir, "node_modules", "@pulumi", "pulumi");
      mkdirSync(sdk, { recursive: true });
      writeFileSync(join(sdk, "package.json"), JSON.stringify({ name: "@pulumi/pulumi", version: "3.0.0" }));
      const normalizer = join(dir, "node_modules", "normalize-package-data");
      mkdirSync(normalizer);
      writeFileSync(join(normalizer, "package.json"), JSON.stringify({ name: "normalize-package-data", main: "index.js" }));
      writeFileSync(join(normalizer, "index.js"), "module.exports = function (...args) { return { self: this, args }; };\n");
      const result = inFreshProcess<{ kind: string; loadedBefore: boolean; returned: unknown; loadedAfter: boolean }>(
        `const { deferSdkModules } = require(${DEFER});
        const entry = () => deferSdkModules(${JSON.stringify(dir)}).find((m) => m.file === ${JSON.stringify(join(normalizer, "index.js"))});
        const loadedFirst = entry().loaded;
        const standIn = require(${JSON.stringify(join(normalizer, "index.js"))});
        const loadedBefore = loadedFirst || entry().loaded;
        const returned = standIn.call({ receiver: 1 }, "a", 2);
        console.log(JSON.stringify({ kind: typeof standIn, loadedBefore, returned, loadedAfter: entry().loaded }));`,
        dir,
      );
      assert.deepEqual(result, {
        kind: "function",
        loadedBefore: false,
        returned: { self: { receiver: 1 }, args: ["a", 2] },
        loadedAfter: true,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves a module that is already loaded as it is", () => {
    const result = inFreshProcess<{ same: boolean; deferred: string[] }>(`
      const typescript = require("typescript");
      const { deferSdkModules } = require(${DEFER});
      console.log(JSON.stringify({ same: require("typescript") === typescript, deferred: deferSdkModules().map((m) => m.name) }));`);
    assert.equal(result.same, true);
    assert.deepEqual(result.deferred, ["@npmcli/arborist", "normalize-package-data", "@pulumi/pulumi/automation", ...TRACING]);
  });
});
