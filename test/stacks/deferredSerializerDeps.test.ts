// The program's first import: @pulumi/pulumi loads without TypeScript's compiler or Arborist, and the closure
// serialiser still gives the same results when it does run. Each case runs in a fresh Node.js process,
// since what it checks is what require's cache holds.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";

const REPO = join(__dirname, "..", "..");
const DEFER = JSON.stringify(join(REPO, "stacks", "deferredSerializerDeps.ts"));
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

interface Deferred {
  readonly name: string;
  readonly file: string;
  readonly loaded: boolean;
}

describe("the closure serialiser's deferred dependencies", () => {
  it("lets @pulumi/pulumi load without Arborist's code, which it loads otherwise", () => {
    const script = (defer: boolean) => `
      ${defer ? `const { deferSerializerDeps } = require(${DEFER});` : ""}
      require(${SDK});
      console.log(JSON.stringify({
        arborist: Object.keys(require.cache).some((f) => /@npmcli[\\\\/]arborist[\\\\/]lib[\\\\/]arborist[\\\\/]/.test(f)),
        deferred: ${defer ? "deferSerializerDeps()" : "[]"},
      }));`;
    const without = inFreshProcess<{ arborist: boolean }>(script(false));
    assert.equal(without.arborist, true, "without the stand-ins the SDK loads Arborist");
    const withStandIns = inFreshProcess<{ arborist: boolean; deferred: Deferred[] }>(script(true));
    assert.equal(withStandIns.arborist, false);
    assert.deepEqual(
      withStandIns.deferred.map(({ name, loaded }) => ({ name, loaded })),
      [
        { name: "typescript", loaded: false },
        { name: "@npmcli/arborist", loaded: false },
      ],
    );
  });

  it("loads TypeScript's compiler only when a function is serialised, and serialises it as the SDK does", () => {
    const script = (defer: boolean) => `
      ${defer ? `const { deferSerializerDeps } = require(${DEFER});` : ""}
      const pulumi = require(${SDK});
      const before = ${defer ? "deferSerializerDeps().map((m) => m.loaded)" : "[]"};
      const { registryTagProvider } = require(${JSON.stringify(join(REPO, "providers", "registryTag.ts"))});
      pulumi.runtime.serializeFunction(() => registryTagProvider, { allowSecrets: true }).then((f) => {
        const after = ${defer ? "deferSerializerDeps().map((m) => m.loaded)" : "[]"};
        console.log(JSON.stringify({ text: f.text, before, after }));
      });`;
    const plain = inFreshProcess<{ text: string }>(script(false));
    const deferred = inFreshProcess<{ text: string; before: boolean[]; after: boolean[] }>(script(true));
    assert.ok(plain.text.includes("exports.handler"), "the SDK serialised the provider");
    assert.equal(deferred.text, plain.text);
    assert.deepEqual(deferred.before, [false, false]);
    assert.deepEqual(deferred.after, [true, false], "serialising a function parses it with TypeScript");
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
        ${defer ? `const { deferSerializerDeps } = require(${DEFER});` : ""}
        const pulumi = require(${SDK});
        pulumi.runtime.computeCodePaths().then((paths) => {
          console.log(JSON.stringify({ paths: [...paths.keys()].sort(), deferred: ${defer ? "deferSerializerDeps().map((m) => m.loaded)" : "[]"} }));
        });`;
      const plain = inFreshProcess<{ paths: string[] }>(script(false), dir);
      const deferred = inFreshProcess<{ paths: string[]; deferred: boolean[] }>(script(true), dir);
      assert.deepEqual(plain.paths, ["node_modules/left", "node_modules/right"]);
      assert.deepEqual(deferred.paths, plain.paths);
      assert.deepEqual(deferred.deferred, [false, true], "Arborist loaded, TypeScript not");
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
        version: string;
        again: string;
        evaluations: number;
        second: Deferred[];
        keys: string[];
        has: boolean[];
      }>(
        `const { deferSerializerDeps } = require(${DEFER});
        const first = deferSerializerDeps(${JSON.stringify(dir)}).map((m) => ({ ...m }));
        const taken = require(${JSON.stringify(vendored)});
        const version = taken.version;
        const again = require(${JSON.stringify(vendored)}).version;
        const second = deferSerializerDeps(${JSON.stringify(dir)});
        const keys = Object.keys(taken);
        const has = ["version" in taken, "missing" in taken];
        console.log(JSON.stringify({ first, version, again, evaluations: globalThis.evaluations, second, keys, has }));`,
        dir,
      );
      const ours = (list: Deferred[]) => list.filter((m) => m.file.startsWith(dir));
      assert.deepEqual(ours(result.first), [{ name: "typescript", file: vendored, loaded: false }]);
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

  it("leaves a module that is already loaded as it is", () => {
    const result = inFreshProcess<{ same: boolean; deferred: string[] }>(`
      const typescript = require("typescript");
      const { deferSerializerDeps } = require(${DEFER});
      console.log(JSON.stringify({ same: require("typescript") === typescript, deferred: deferSerializerDeps().map((m) => m.name) }));`);
    assert.equal(result.same, true);
    assert.deepEqual(result.deferred, ["@npmcli/arborist"]);
  });
});
