// scripts/build.cjs: when the repository's own stacks rebuild lib/ before running the compiled program.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { REPO } from "../e2e/support/project";

import * as script from "../../scripts/build.cjs";

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

const BUILD_CONFIG = {
  extends: "./tsconfig.json",
  compilerOptions: { outDir: "lib", rootDir: ".", noEmit: false, incremental: true, tsBuildInfoFile: "lib/.tsbuildinfo" },
  include: ["program.ts", "components/**/*.ts"],
};
const BASE_CONFIG = { compilerOptions: { strict: true, module: "commonjs", target: "ES2022", types: [] } };

/** A project like this repository's: program.ts, components/, the two tsconfigs; lib/ built at `builtAt` when given. */
function project(builtAt?: number): string {
  const root = mkdtempSync(join(tmpdir(), "slipway-build-"));
  roots.push(root);
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
    utimesSync(join(root, file), 1000, 1000);
  };
  write("tsconfig.build.json", JSON.stringify(BUILD_CONFIG));
  write("tsconfig.json", JSON.stringify(BASE_CONFIG));
  write("program.ts", 'import { greeting } from "./components/greeting";\nexport = () => greeting;\n');
  write("components/greeting.ts", 'export const greeting = "hello";\n');
  write("components/notes.md", "not compiled\n");
  if (builtAt !== undefined) {
    write("lib/program.js", "module.exports = () => 'hello';\n");
    write(script.STAMP, "");
    utimesSync(join(root, script.STAMP), builtAt, builtAt);
  }
  return root;
}

const touch = (root: string, file: string, at: number) => utimesSync(join(root, file), at, at);

describe("staleReason: lib/ is rebuilt exactly when a compiled source or a config is newer than the last build", () => {
  /** Built at 2000, then `file` dated `at`. */
  const touchedAfterBuild = (file: string, at: number) => () => {
    const root = project(2000);
    touch(root, file, at);
    return root;
  };
  const cases: { name: string; root: () => string; reason: string | undefined }[] = [
    { name: "never built", root: () => project(), reason: "lib/ has not been built" },
    {
      name: "stamp without the compiled program",
      root: () => {
        const root = project(2000);
        rmSync(join(root, "lib", "program.js"));
        return root;
      },
      reason: "lib/ has not been built",
    },
    { name: "every source older than the build", root: () => project(2000), reason: undefined },
    {
      name: "a source in an included directory edited after the build",
      root: touchedAfterBuild("components/greeting.ts", 3000),
      reason: "components/greeting.ts is newer than lib/",
    },
    {
      name: "the included top-level file edited after the build",
      root: touchedAfterBuild("program.ts", 3000),
      reason: "program.ts is newer than lib/",
    },
    {
      name: "the base config the build config extends edited after the build",
      root: touchedAfterBuild("tsconfig.json", 3000),
      reason: "tsconfig.json is newer than lib/",
    },
    { name: "a file tsc does not compile edited after the build", root: touchedAfterBuild("components/notes.md", 3000), reason: undefined },
    { name: "a source as old as the build", root: touchedAfterBuild("components/greeting.ts", 2000), reason: undefined },
  ];
  for (const { name, root, reason } of cases) it(name, () => assert.equal(script.staleReason(root()), reason));

  it("lists every compiled source and both configs, and nothing else", () => {
    const root = project(2000);
    const files = script.sourceFiles(root).map((file) => file.slice(root.length + 1));
    assert.deepEqual(files.sort(), ["components/greeting.ts", "program.ts", "tsconfig.build.json", "tsconfig.json"]);
  });

  it("refuses an include pattern it cannot expand, naming it", () => {
    const root = project(2000);
    writeFileSync(join(root, "tsconfig.build.json"), JSON.stringify({ ...BUILD_CONFIG, include: ["program.ts", "src/*.ts"] }));
    assert.throws(() => script.staleReason(root), /include pattern src\/\*\.ts is neither a file nor dir\/\*\*\/\*\.ts/);
  });

  it("this repository's own lib/ is listed from its real tsconfig.build.json", () => {
    const files = script.sourceFiles(REPO).map((file) => file.slice(REPO.length + 1));
    for (const file of ["program.ts", "components/release.ts", "providers/goBuild.ts", "plan/tags.ts", "tsconfig.json"])
      assert.ok(files.includes(file), file);
    assert.ok(!files.some((file) => file.startsWith("test/")));
  });
});

describe("buildIfStale compiles with tsc only when needed", () => {
  const compiled = (root: string) => readFileSync(join(root, "lib", "components", "greeting.js"), "utf8");
  const linked = (root: string) => {
    symlinkSync(join(REPO, "node_modules"), join(root, "node_modules"));
    return root;
  };

  it("an installed package (no TypeScript sources) is left alone", () => {
    const root = project();
    rmSync(join(root, "program.ts"));
    assert.equal(script.buildIfStale(root), false);
    assert.equal(existsSync(join(root, "lib")), false);
  });

  it("builds a never-built checkout, dates the stamp at the build's start, then skips until a source changes", () => {
    const root = linked(project());
    const started = Date.now();
    assert.equal(script.buildIfStale(root), true);
    const stamp = statSync(join(root, script.STAMP)).mtimeMs;
    assert.ok(stamp >= started - 1000 && stamp < Date.now(), `stamp ${stamp} not at the build's start ${started}`);
    assert.match(compiled(root), /greeting = "hello"/);
    assert.equal(script.staleReason(root), undefined);
    assert.equal(script.buildIfStale(root), false);

    writeFileSync(join(root, "components", "greeting.ts"), 'export const greeting = "hi";\n');
    utimesSync(join(root, "components", "greeting.ts"), new Date(stamp + 5000), new Date(stamp + 5000));
    assert.equal(script.buildIfStale(root), true);
    assert.match(compiled(root), /greeting = "hi"/);
  });

  it("a source that does not compile stops with one line naming the command and keeps the stamp out", () => {
    const root = linked(project());
    writeFileSync(join(root, "components", "greeting.ts"), "export const greeting: number = 'hello';\n");
    assert.throws(
      () => script.build(root),
      /^Error: slipway's TypeScript does not compile \(tsc -p tsconfig.build.json, errors above\): fix them, then run again$/,
    );
    assert.equal(existsSync(join(root, script.STAMP)), false);
  });
});
