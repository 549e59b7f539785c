import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { assertGolden } from "../support/golden";
import { COMMIT, COMMIT_TIME, publishedAt } from "../support/release";

const BIN = join(__dirname, "..", "..", "bin", "slipway.js");

/** Runs the CLI as a user would, in a directory that is not a git repository. */
function slipway(...args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), "slipway-cli-"));
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const EXAMPLE = [
  "plan",
  "--version",
  "v1.4.0",
  "--commit",
  COMMIT,
  "--commit-time",
  COMMIT_TIME,
  "--name",
  "hello",
  "--published",
  publishedAt("1.3.0", "1.3.8").join(","),
  "--source",
  "https://github.com/acme/hello",
  "--licenses",
  "Apache-2.0",
];

describe("slipway plan", () => {
  it("prints a readable plan", () => {
    const run = slipway(...EXAMPLE);
    assert.equal(run.stderr, "");
    assert.equal(run.code, 0);
    assertGolden("plan-1.4.0.txt", run.stdout);
  });

  it("prints the plan as JSON with sorted keys", () => {
    const run = slipway(...EXAMPLE, "--json");
    assert.equal(run.code, 0);
    assertGolden("plan-1.4.0.json", run.stdout);
    const plan = JSON.parse(run.stdout) as Record<string, unknown>;
    for (const key of ["version", "prerelease", "tags", "floating", "assets", "labels"]) assert.ok(key in plan, key);
  });

  it("shows a hotfix moving only its minor tag", () => {
    const run = slipway(
      "plan",
      "--version",
      "1.3.9",
      "--commit",
      COMMIT,
      "--commit-time",
      COMMIT_TIME,
      "--name",
      "hello",
      "--published",
      publishedAt("1.3.8").join(","),
      "--published",
      publishedAt("1.4.0").join(","),
      "--platform",
      "linux/amd64",
      "--archives",
      "none",
    );
    assert.equal(run.code, 0);
    assertGolden("plan-1.3.9-hotfix.txt", run.stdout);
  });

  it("replaces the default templates when --tag-template is repeated", () => {
    const run = slipway(
      "plan",
      "--version",
      "1.4.0",
      "--commit",
      COMMIT,
      "--commit-time",
      COMMIT_TIME,
      "--json",
      "--tag-template",
      "{{version}}",
      "--tag-template",
      "stable",
    );
    assert.deepEqual((JSON.parse(run.stdout) as { tags: string[] }).tags, ["1.4.0", "stable"]);
  });

  it("reads the commit time from git when it is not given", () => {
    const repo = mkdtempSync(join(tmpdir(), "slipway-git-"));
    const env = { ...process.env, GIT_COMMITTER_DATE: "2026-11-20T10:00:00+00:00", GIT_AUTHOR_DATE: "2026-11-20T10:00:00+00:00" };
    const git = (...args: string[]) =>
      spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: repo,
        env,
        encoding: "utf8",
      }).stdout.trim();
    git("init", "-q");
    git("commit", "-q", "--allow-empty", "-m", "x");
    const sha = git("rev-parse", "HEAD");
    const result = spawnSync(process.execPath, [BIN, "plan", "--version", "1.0.0", "--commit", sha, "--json"], {
      cwd: repo,
      encoding: "utf8",
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { commit: { time: string } }).commit.time, "2026-11-20T10:00:00Z");
  });

  const BAD: readonly { title: string; args: string[]; stderr: string }[] = [
    {
      title: "invalid semver",
      args: ["--version", "1.4", "--commit", COMMIT, "--commit-time", COMMIT_TIME],
      stderr:
        'error: --version = "1.4": not a semantic version; fix: use MAJOR.MINOR.PATCH with an optional -PRERELEASE and +BUILD, e.g. 1.4.0 or v1.5.0-rc.1\n',
    },
    {
      title: "missing --version",
      args: ["--commit", COMMIT],
      stderr: "error: slipway plan: --version is required, e.g. --version 1.4.0\n",
    },
    {
      title: "missing --commit",
      args: ["--version", "1.4.0"],
      stderr: "error: slipway plan: --commit is required, e.g. --commit $(git rev-parse HEAD)\n",
    },
    {
      title: "commit time unknowable",
      args: ["--version", "1.4.0", "--commit", COMMIT],
      stderr:
        "error: --commit-time = (unset): not given, and commit 5a8b7c3d1e2f is not in a git repository here; fix: pass --commit-time, e.g. --commit-time 2026-11-20T10:00:00Z\n",
    },
    {
      title: "unknown platform",
      args: [
        "--version",
        "1.4.0",
        "--commit",
        COMMIT,
        "--commit-time",
        COMMIT_TIME,
        "--platform",
        "linux/amd64",
        "--platform",
        "linux/sparc",
      ],
      stderr:
        'error: --platform #2 = "linux/sparc": unknown platform; fix: use os/arch from go tool dist list (cgo off), or os/arm/v5|v6|v7; e.g. linux/amd64, linux/arm/v7, openbsd/amd64\n',
    },
    {
      title: "republishing with another commit",
      args: ["--version", "1.3.0", "--commit", COMMIT, "--commit-time", COMMIT_TIME, "--published", publishedAt("1.3.0").join(",")],
      stderr:
        'error: --commit = "5a8b7c3d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b": 1.3.0 is already published from commit 0123456789ab; published versions are never rewritten; fix: release a new version, or build 1.3.0 from 0123456789abcdef0123456789abcdef01234567\n',
    },
    {
      title: "a prerelease asked to be latest",
      args: ["--version", "1.5.0-rc.1", "--commit", COMMIT, "--commit-time", COMMIT_TIME, "--latest", "true"],
      stderr:
        'error: --latest = "true": 1.5.0-rc.1 is a prerelease, and a prerelease is never latest; fix: use auto (the prerelease gets its exact and commit tags only), or release a stable version\n',
    },
    {
      title: "unknown option",
      args: ["--version", "1.4.0", "--verison", "x"],
      stderr:
        "error: slipway plan: Unknown option '--verison'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--verison\"; see slipway plan --help\n",
    },
    { title: "stray argument", args: ["1.4.0"], stderr: 'error: slipway plan: unexpected argument "1.4.0"; see slipway plan --help\n' },
  ];

  for (const c of BAD) {
    it(`exits 2 with one line on stderr for ${c.title}`, () => {
      const run = slipway("plan", ...c.args);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, "");
      assert.equal(run.stderr, c.stderr);
    });
  }

  it("--help prints usage and exits 0", () => {
    const run = slipway("plan", "--help");
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: slipway plan --version <v> --commit <sha>/);
  });
});

describe("slipway", () => {
  it("rejects an unknown command with exit 2", () => {
    const run = slipway("deploy");
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr,
      'error: slipway: unknown command "deploy"; commands: init, toolchain, plan, release, preview, verify, doctor\n',
    );
  });

  it("prints usage with exit 2 when no command is given", () => {
    const run = slipway();
    assert.equal(run.code, 2);
    assert.match(run.stdout, /^Usage: slipway <command>/);
  });
});
