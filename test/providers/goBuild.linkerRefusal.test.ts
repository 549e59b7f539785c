import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { linkerRefusal } from "../../providers/goBuild";

const ROOT = mkdtempSync(join(tmpdir(), "slipway-linker-"));
after(() => rmSync(ROOT, { recursive: true, force: true }));

/** Builds a throwaway module with real `go build` and returns its stderr (empty when it built). */
function goBuild(files: Record<string, string>, ldflags: string): string {
  const dir = mkdtempSync(join(ROOT, "mod-"));
  for (const [name, content] of Object.entries({ "go.mod": "module example.com/flagged\n\ngo 1.22\n", ...files })) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  const env = {
    PATH: process.env.PATH ?? "/usr/local/go/bin:/usr/bin:/bin",
    HOME: ROOT,
    GOTOOLCHAIN: "local",
    GOFLAGS: "-mod=mod",
    GOCACHE: join(ROOT, "cache"),
    GOPROXY: "off",
  };
  const result = spawnSync("go", ["build", "-ldflags", ldflags, "-o", join(dir, "out"), "."], { cwd: dir, env, encoding: "utf8" });
  return result.status === 0 ? "" : result.stderr;
}

/** The error the provider's `run` raises: the command, then the last stderr lines joined with " | ". */
function runError(stderr: string): Error {
  return new Error(`go build -trimpath -ldflags ... -o out .: ${stderr.trim().split("\n").slice(-6).join(" | ")}`);
}

const BOOL_MAIN =
  'package main\n\nimport "flag"\n\nvar version = flag.Bool("version", false, "print the version")\n\nfunc main() { flag.Parse(); _ = *version }\n';

describe("linkerRefusal with the Go linker's own message", () => {
  const boolStderr = goBuild({ "main.go": BOOL_MAIN }, "-X main.version=1.0.0");
  const intStderr = goBuild(
    {
      "main.go": 'package main\n\nimport "example.com/flagged/info"\n\nfunc main() { println(info.Build) }\n',
      "info/info.go": "package info\n\nvar Build int\n",
    },
    "-X example.com/flagged/info.Build=7",
  );

  it("the linker refuses -X of a *bool and of an int", () => {
    assert.match(boolStderr, /^main\.version: cannot set with -X: not a var of type string \(type:\*bool\)$/m);
    assert.match(intStderr, /^example\.com\/flagged\/info\.Build: cannot set with -X: not a var of type string \(type:int\)$/m);
  });

  const rows: { title: string; error: () => Error; target: { build: string; ldflagsSetting: string }; expected: string }[] = [
    {
      title: "a *bool in main, from the provider's error",
      error: () => runError(boolStderr),
      target: { build: "cli", ldflagsSetting: "builds[1].ldflags" },
      expected:
        "slipway:builds[1].ldflags sets -X main.version, which the linker refuses for the cli build (not a var of type string (type:*bool)); " +
        "fix: set slipway:builds[1].ldflags to -X flags of string variables only (e.g. -X main.<stringVar>={{version}}), or drop that -X",
    },
    {
      title: "a *bool in main, from the bare stderr",
      error: () => new Error(boolStderr),
      target: { build: "hello", ldflagsSetting: "builds[0].ldflags" },
      expected:
        "slipway:builds[0].ldflags sets -X main.version, which the linker refuses for the hello build (not a var of type string (type:*bool)); " +
        "fix: set slipway:builds[0].ldflags to -X flags of string variables only (e.g. -X main.<stringVar>={{version}}), or drop that -X",
    },
    {
      title: "an int in a package with a module path",
      error: () => runError(intStderr),
      target: { build: "srv", ldflagsSetting: "builds[2].ldflags" },
      expected:
        "slipway:builds[2].ldflags sets -X example.com/flagged/info.Build, which the linker refuses for the srv build (not a var of type string (type:int)); " +
        "fix: set slipway:builds[2].ldflags to -X flags of string variables only (e.g. -X example.com/flagged/info.<stringVar>={{version}}), or drop that -X",
    },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const refusal = linkerRefusal(row.target, row.error());
      assert.ok(refusal instanceof Error);
      assert.equal(refusal.message, row.expected);
      assert.equal(refusal.message.includes("\n"), false);
    });
  }

  it("returns undefined for an unrelated compile error and for other failures", () => {
    const stderr = goBuild({ "main.go": 'package main\n\nfunc main() { var x int = "s"; _ = x }\n' }, "-X main.version=1.0.0");
    assert.match(stderr, /cannot use "s"/);
    const target = { build: "hello", ldflagsSetting: "builds[0].ldflags" };
    assert.equal(linkerRefusal(target, runError(stderr)), undefined);
    assert.equal(linkerRefusal(target, new Error("go build -o out .: timed out after 1200s")), undefined);
  });

  it("a string variable builds: nothing to refuse", () => {
    assert.equal(
      goBuild({ "main.go": 'package main\n\nvar version = "dev"\n\nfunc main() { println(version) }\n' }, "-X main.version=1.0.0"),
      "",
    );
  });
});
