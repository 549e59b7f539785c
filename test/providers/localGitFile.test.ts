// The local tap/bucket file (providers/localGitFile.ts) against real git repositories in temp dirs: the
// commits it makes, the git commands it runs (through a logging `git` first on PATH), the dynamic
// provider's create/diff/update/delete, and one mocked registration of the resource.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  LocalGitFile,
  LocalGitFileInputs,
  LocalGitFileOutputs,
  commitLocalGitFile,
  localGitFileProvider,
} from "../../providers/localGitFile";
import { Registration, named, recordRegistrations, settle, valueOf } from "../support/mocks";

const dir = mkdtempSync(join(tmpdir(), "slipway-tap-"));
const repository = join(dir, "tap");
const INPUTS: LocalGitFileInputs = {
  repository,
  branch: "main",
  path: "Formula/hello.rb",
  content: "class Hello < Formula\nend\n",
  message: "hello 1.4.0",
  authorName: "Release Bot",
  authorEmail: "bot@example.com",
  commitEpoch: 1795168800,
};
const NEXT = { content: "class Hello < Formula # 1.5.0\nend\n", message: "hello 1.5.0" };
const GIT = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
const FIXED_DATE = { GIT_AUTHOR_DATE: "@1795000000 +0000", GIT_COMMITTER_DATE: "@1795000000 +0000" };

/** Runs git in `repo` as the test's own hand, with a fixed identity and date. */
function gitIn(repo: string, ...args: string[]): string {
  return execFileSync("git", ["-C", repo, ...args], {
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      HOME: repo,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "Someone",
      GIT_AUTHOR_EMAIL: "someone@example.com",
      GIT_COMMITTER_NAME: "Someone",
      GIT_COMMITTER_EMAIL: "someone@example.com",
      ...FIXED_DATE,
    },
  }).trim();
}

const log = (repo = repository) => execFileSync("git", ["-C", repo, "log", "--format=%an <%ae> %at %s"], { encoding: "utf8" });

/**
 * Runs `run` with a `git` first on PATH that logs `GIT_CONFIG_NOSYSTEM|HOME|arguments` for every call
 * (with `repo` written as <repo>) before running the real git; returns the log.
 */
function gitCalls(repo: string, run: () => void): string[] {
  const bin = mkdtempSync(join(dir, "bin-"));
  const calls = join(bin, "calls.log");
  writeFileSync(
    join(bin, "git"),
    `#!/bin/sh\nprintf '%s|%s|%s\\n' "\${GIT_CONFIG_NOSYSTEM-unset}" "\${HOME-unset}" "$*" >> '${calls}'\nexec '${GIT}' "$@"\n`,
  );
  chmodSync(join(bin, "git"), 0o755);
  const saved = process.env.PATH;
  process.env.PATH = `${bin}:${saved ?? ""}`;
  try {
    run();
  } finally {
    process.env.PATH = saved;
  }
  if (!existsSync(calls)) return [];
  return readFileSync(calls, "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => line.split(repo).join("<repo>"));
}

describe("commitLocalGitFile", () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("creates the repository and commits the file with the configured author at the commit time", () => {
    const out = commitLocalGitFile(INPUTS);
    assert.match(out.commit, /^[0-9a-f]{40}$/);
    assert.equal(readFileSync(join(repository, "Formula", "hello.rb"), "utf8"), INPUTS.content);
    assert.equal(log(), "Release Bot <bot@example.com> 1795168800 hello 1.4.0\n");
  });

  it("makes no second commit for the same content, and one per new release", () => {
    const first = commitLocalGitFile(INPUTS).commit;
    assert.deepEqual(commitLocalGitFile(INPUTS), { ...INPUTS, commit: first });
    const next = commitLocalGitFile({ ...INPUTS, ...NEXT });
    assert.notEqual(next.commit, first);
    assert.deepEqual(next, { ...INPUTS, ...NEXT, commit: gitIn(repository, "rev-parse", "main") });
    assert.equal(log(), "Release Bot <bot@example.com> 1795168800 hello 1.5.0\nRelease Bot <bot@example.com> 1795168800 hello 1.4.0\n");
  });

  it("runs git from PATH with the repository as HOME and no system config: init and commit, then only look", () => {
    const repo = join(dir, "nested", "deeper", "tap");
    const inputs = { ...INPUTS, repository: repo };
    let commit = "";
    const first = gitCalls(repo, () => {
      commit = commitLocalGitFile(inputs).commit;
    });
    assert.deepEqual(first, [
      "1|<repo>|-C <repo> init --quiet --initial-branch=main",
      "1|<repo>|-C <repo> rev-parse --verify --quiet HEAD",
      "1|<repo>|-C <repo> add -- Formula/hello.rb",
      "1|<repo>|-C <repo> -c commit.gpgsign=false commit --quiet -m hello 1.4.0 -- Formula/hello.rb",
      "1|<repo>|-C <repo> rev-parse HEAD",
    ]);
    assert.equal(gitIn(repo, "rev-parse", "main"), commit);
    const again = gitCalls(repo, () => assert.deepEqual(commitLocalGitFile(inputs), { ...inputs, commit }));
    assert.deepEqual(again, [
      "1|<repo>|-C <repo> rev-parse --verify --quiet HEAD",
      "1|<repo>|-C <repo> checkout --quiet main",
      "1|<repo>|-C <repo> status --porcelain -- Formula/hello.rb",
      "1|<repo>|-C <repo> rev-parse HEAD",
    ]);
  });

  it("finds git on /usr/bin:/bin when PATH is unset", () => {
    const repo = join(dir, "no-path");
    const saved = process.env.PATH;
    delete process.env.PATH;
    let out: LocalGitFileOutputs | undefined;
    try {
      out = commitLocalGitFile({ ...INPUTS, repository: repo });
    } finally {
      process.env.PATH = saved;
    }
    assert.deepEqual(out, { ...INPUTS, repository: repo, commit: gitIn(repo, "rev-parse", "HEAD") });
    assert.equal(log(repo), "Release Bot <bot@example.com> 1795168800 hello 1.4.0\n");
  });

  it("initialises an existing empty directory", () => {
    const repo = join(dir, "empty");
    mkdirSync(repo);
    const out = commitLocalGitFile({ ...INPUTS, repository: repo, branch: "trunk" });
    assert.equal(gitIn(repo, "rev-parse", "--abbrev-ref", "HEAD"), "trunk");
    assert.equal(gitIn(repo, "rev-parse", "trunk"), out.commit);
    assert.equal(log(repo), "Release Bot <bot@example.com> 1795168800 hello 1.4.0\n");
  });

  it("commits on the configured branch when another one is checked out", () => {
    const repo = join(dir, "branches");
    const first = commitLocalGitFile({ ...INPUTS, repository: repo }).commit;
    gitIn(repo, "checkout", "--quiet", "-b", "other");
    writeFileSync(join(repo, "README.md"), "other\n");
    gitIn(repo, "add", "README.md");
    gitIn(repo, "commit", "--quiet", "-m", "other work");
    const other = gitIn(repo, "rev-parse", "other");
    const out = commitLocalGitFile({ ...INPUTS, ...NEXT, repository: repo });
    assert.equal(gitIn(repo, "rev-parse", "--abbrev-ref", "HEAD"), "main");
    assert.equal(gitIn(repo, "rev-parse", "main"), out.commit);
    assert.equal(gitIn(repo, "rev-parse", "main~1"), first);
    assert.equal(gitIn(repo, "rev-parse", "other"), other);
    assert.equal(gitIn(repo, "show", "main:Formula/hello.rb"), NEXT.content.trimEnd());
    // The branch already holds the content the other branch lacks: back on main, nothing to commit.
    gitIn(repo, "checkout", "--quiet", "other");
    assert.equal(commitLocalGitFile({ ...INPUTS, ...NEXT, repository: repo }).commit, out.commit);
    assert.equal(gitIn(repo, "rev-parse", "--abbrev-ref", "HEAD"), "main");
  });

  it("commits content that is on disk but not committed yet", () => {
    const repo = join(dir, "dirty");
    const first = commitLocalGitFile({ ...INPUTS, repository: repo }).commit;
    writeFileSync(join(repo, INPUTS.path), NEXT.content);
    const out = commitLocalGitFile({ ...INPUTS, ...NEXT, repository: repo });
    assert.notEqual(out.commit, first);
    assert.equal(gitIn(repo, "show", `${out.commit}:Formula/hello.rb`), NEXT.content.trimEnd());
    assert.equal(gitIn(repo, "status", "--porcelain"), "");
    assert.equal(log(repo), "Release Bot <bot@example.com> 1795168800 hello 1.5.0\nRelease Bot <bot@example.com> 1795168800 hello 1.4.0\n");
  });

  it("fails on a path the repository ignores, even before its first commit", () => {
    const repo = join(dir, "ignored");
    mkdirSync(repo);
    gitIn(repo, "init", "--quiet", "--initial-branch=main");
    writeFileSync(join(repo, ".git", "info", "exclude"), "Formula/\n");
    mkdirSync(join(repo, "Formula"));
    writeFileSync(join(repo, INPUTS.path), INPUTS.content);
    assert.throws(
      () => commitLocalGitFile({ ...INPUTS, repository: repo }),
      (error: Error) => error.message.startsWith(`Command failed: git -C ${repo} add -- Formula/hello.rb\nThe following paths are ignored`),
    );
  });
});

describe("localGitFileProvider", () => {
  const OLDS: LocalGitFileOutputs = { ...INPUTS, commit: "0".repeat(40) };
  const CHANGED: { [K in keyof LocalGitFileInputs]: LocalGitFileInputs[K] } = {
    repository: "/elsewhere/tap",
    branch: "trunk",
    path: "Formula/other.rb",
    content: "changed\n",
    message: "changed",
    authorName: "Another Bot",
    authorEmail: "another@example.com",
    commitEpoch: 1795168801,
  };
  let providerDir: string;
  before(() => {
    providerDir = mkdtempSync(join(tmpdir(), "slipway-tap-provider-"));
  });
  after(() => rmSync(providerDir, { recursive: true, force: true }));

  it("create commits the file and is identified by repository:path; update commits the new content", async () => {
    const repo = join(providerDir, "tap");
    const inputs = { ...INPUTS, repository: repo };
    const created = await localGitFileProvider.create(inputs);
    const first = gitIn(repo, "rev-parse", "HEAD");
    assert.deepEqual(created, { id: `${repo}:Formula/hello.rb`, outs: { ...inputs, commit: first } });
    assert.ok(localGitFileProvider.update !== undefined);
    const updated = await localGitFileProvider.update(created.id, created.outs, { ...inputs, ...NEXT });
    assert.deepEqual(updated, { outs: { ...inputs, ...NEXT, commit: gitIn(repo, "rev-parse", "HEAD") } });
    assert.equal(gitIn(repo, "rev-parse", "HEAD~1"), first);
    assert.ok(localGitFileProvider.delete !== undefined);
    assert.equal(await localGitFileProvider.delete(created.id, updated.outs), undefined);
    assert.equal(gitIn(repo, "show", "HEAD:Formula/hello.rb"), NEXT.content.trimEnd());
  });

  it("diff: no change for the same inputs (the commit is an output), a replacement for a new repository or path", async () => {
    assert.ok(localGitFileProvider.diff !== undefined);
    assert.deepEqual(await localGitFileProvider.diff("id", OLDS, { ...INPUTS }), { changes: false, replaces: [], stables: [] });
    assert.deepEqual(await localGitFileProvider.diff("id", { ...OLDS, commit: "1".repeat(40) }, { ...INPUTS }), {
      changes: false,
      replaces: [],
      stables: [],
    });
    const keys = Object.keys(CHANGED) as (keyof LocalGitFileInputs)[];
    assert.deepEqual(keys, ["repository", "branch", "path", "content", "message", "authorName", "authorEmail", "commitEpoch"]);
    for (const key of keys) {
      const replaces = key === "repository" || key === "path" ? [key] : [];
      assert.deepEqual(
        await localGitFileProvider.diff("id", OLDS, { ...INPUTS, [key]: CHANGED[key] }),
        { changes: true, replaces, stables: [] },
        key,
      );
    }
    assert.deepEqual(await localGitFileProvider.diff("id", OLDS, { ...INPUTS, ...CHANGED }), {
      changes: true,
      replaces: ["repository", "path"],
      stables: [],
    });
  });
});

describe("LocalGitFile resource", () => {
  let registrations: Registration[];
  before(async () => {
    registrations = await recordRegistrations({ outputs: () => ({ commit: "c".repeat(40) }) });
  });

  it("registers its inputs with the slipway dynamic provider and exposes the commit", async () => {
    const file = new LocalGitFile("formula", { ...INPUTS });
    await settle();
    const registered = named(registrations, "formula");
    assert.equal(registered.type, "pulumi-nodejs:dynamic/slipway:LocalGitFile");
    assert.deepEqual({ ...registered.inputs, __provider: undefined }, { ...INPUTS, __provider: undefined });
    assert.equal(typeof registered.inputs.__provider, "string");
    assert.equal(await valueOf(file.commit), "c".repeat(40));
  });
});
