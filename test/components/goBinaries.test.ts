// What the Go build's source hash follows: a change to a source rebuilds, and nothing else does (file modes
// and times, hidden entries, build output, installed packages, Pulumi's project and stack files).
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { moduleSourceHash } from "../../components/goBinaries";

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const SOURCES: Readonly<Record<string, string>> = {
  "go.mod": "module example.com/hello\n\ngo 1.22\n",
  "go.sum": "",
  "main.go": "package main\n\nfunc main() {}\n",
  "cmd/tool/main.go": "package main\n\nfunc main() {}\n",
  "Pulumi.yaml": "name: hello\nruntime: nodejs\n",
  "stacks/Pulumi.local.yaml": "config:\n  slipway:version: 1.4.0\n",
};

function module(): string {
  const dir = mkdtempSync(join(tmpdir(), "slipway-source-hash-"));
  roots.push(dir);
  for (const [path, text] of Object.entries(SOURCES)) write(dir, path, text);
  return dir;
}

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

const BASELINE = moduleSourceHash(module());

describe("moduleSourceHash", () => {
  it("is the same for the same files in another directory", () => {
    assert.match(BASELINE, /^[0-9a-f]{64}$/);
    assert.equal(moduleSourceHash(module()), BASELINE);
  });

  const changes: readonly [string, (dir: string) => void][] = [
    ["a source edited", (dir) => write(dir, "main.go", "package main\n\nfunc main() { println() }\n")],
    ["a source in a package directory edited", (dir) => write(dir, "cmd/tool/main.go", "package main\n")],
    ["go.sum edited", (dir) => write(dir, "go.sum", "example.com/a v1.0.0 h1:x=\n")],
    ["a file added", (dir) => write(dir, "assets/logo.svg", "<svg/>")],
    ["an empty file added", (dir) => write(dir, "doc.go", "")],
    ["a file renamed", (dir) => renameSync(join(dir, "cmd/tool/main.go"), join(dir, "cmd/tool/tool.go"))],
    ["a file removed", (dir) => rmSync(join(dir, "cmd/tool/main.go"))],
    ["a file only named like Pulumi's", (dir) => write(dir, "Pulumi.yaml.orig", "x")],
    ["a Go file named Pulumi", (dir) => write(dir, "Pulumi.go", "package main\n")],
    ["a YAML file of the project", (dir) => write(dir, "config/pulumi.yaml", "x")],
  ];
  for (const [title, change] of changes) {
    it(`changes with ${title}`, () => {
      const dir = module();
      change(dir);
      assert.notEqual(moduleSourceHash(dir), BASELINE);
    });
  }

  const sameAs: readonly [string, (dir: string) => void][] = [
    ["a file's mode", (dir) => chmodSync(join(dir, "main.go"), 0o600)],
    ["a file's times", (dir) => utimesSync(join(dir, "main.go"), new Date(0), new Date(0))],
    ["a hidden file", (dir) => write(dir, ".env", "A=1")],
    ["a hidden directory", (dir) => write(dir, ".slipway/state/stack.json", "{}")],
    ["build output in dist/", (dir) => write(dir, "dist/hello_linux_amd64/hello", "ELF")],
    ["installed packages", (dir) => write(dir, "node_modules/slipway/package.json", "{}")],
    ["the project file", (dir) => write(dir, "Pulumi.yaml", "name: hello\nruntime: nodejs\ndescription: other\n")],
    [
      "a stack file's release settings",
      (dir) => write(dir, "stacks/Pulumi.local.yaml", "config:\n  slipway:version: 1.4.1\nencryptionsalt: v1:x\n"),
    ],
    ["a new stack file", (dir) => write(dir, "stacks/Pulumi.release.yml", "config: {}\n")],
    ["a directory passed to skip", (dir) => write(dir, "out/cache/x", "y")],
  ];
  for (const [title, change] of sameAs) {
    it(`ignores ${title}`, () => {
      const dir = module();
      change(dir);
      assert.equal(moduleSourceHash(dir, [join(dir, "out")]), BASELINE);
    });
  }
});
