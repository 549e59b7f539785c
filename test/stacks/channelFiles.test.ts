import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { RawStackConfig, StackSettings, parseStackConfig } from "../../plan/stackConfig";
import { channelArgs, checkPackageFiles, notesFromCommits, releaseNotes } from "../../stacks/channelFiles";
import { BadInput, itRefusesEach, itReturnsEach } from "../support/inputTables";
import { COMMIT, COMMIT_TIME, OTHER_COMMIT } from "../support/release";
import { writeFiles } from "../support/files";

const dir = mkdtempSync(join(tmpdir(), "slipway-channel-files-"));

function settings(values: Record<string, string>, secretKeys: readonly string[] = []): StackSettings {
  const config: RawStackConfig = {
    values: { version: "1.4.0", commit: COMMIT, commitTime: COMMIT_TIME, ...values },
    secretKeys: new Set(secretKeys),
    project: "hello",
  };
  return parseStackConfig(config);
}

function git(...args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], {
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "A",
      GIT_AUTHOR_EMAIL: "a@example.com",
      GIT_COMMITTER_NAME: "A",
      GIT_COMMITTER_EMAIL: "a@example.com",
    },
  }).trim();
}

function commit(subject: string): string {
  git("commit", "--quiet", "--allow-empty", "-m", subject);
  return git("rev-parse", "HEAD");
}

describe("checkPackageFiles", () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses an extra file that does not exist, in one line", () => {
    const s = settings({
      packages: JSON.stringify({
        formats: ["deb"],
        maintainer: "J <j@example.com>",
        files: [{ src: "docs/hello.1", dst: "/usr/share/man/man1/hello.1" }],
      }),
    });
    assert.throws(() => checkPackageFiles(s, dir), {
      message: `slipway:packages.files[0].src = "docs/hello.1": ${join(dir, "docs/hello.1")} does not exist or cannot be read; fix: add the file to the module, or fix the path`,
    });
    mkdirSync(join(dir, "docs"));
    writeFileSync(join(dir, "docs", "hello.1"), ".TH HELLO 1\n");
    checkPackageFiles(s, dir);
  });

  it("notes come from the commits since the previous published version, filtered", () => {
    git("init", "--quiet");
    commit("feat: first");
    const previous = commit("fix: before 1.3.0");
    commit("docs: readme");
    commit("feat(cli): greet");
    const head = commit("fix: typo");
    const s = settings({
      commit: head,
      published: JSON.stringify([`1.3.0@${previous}`]),
      releaseNotes: JSON.stringify({ exclude: ["^docs:"] }),
    });
    assert.equal(
      notesFromCommits(s, dir),
      `### Features\n\n- **cli:** greet (${git("rev-parse", "--short=7", "HEAD~1")})\n\n### Bug fixes\n\n- typo (${head.slice(0, 7)})\n`,
    );
  });

  it("releaseNotes: the changelog's section wins; without one, the commits", () => {
    const head = git("rev-parse", "HEAD");
    const s = settings({ commit: head, module: ".", changelog: "CHANGELOG.md" });
    assert.match(releaseNotes(s, dir) ?? "", /^### Features\n/);
    writeFileSync(join(dir, "CHANGELOG.md"), "# Changelog\n\n## [1.4.0] - 2026-11-20\n\n- From the changelog.\n");
    assert.equal(releaseNotes(s, dir), "- From the changelog.");
    rmSync(join(dir, "CHANGELOG.md"));
  });

  it("has no notes when the release commit is not in the repository", () => {
    assert.equal(notesFromCommits(settings({}), dir), undefined);
  });

  it("resolves local tap repositories against the project", () => {
    const s = settings({ homebrew: JSON.stringify({ path: "dist/tap" }) });
    const args = channelArgs(s.channels, "/project");
    assert.deepEqual(args.homebrew?.repository, { kind: "local", path: "/project/dist/tap", branch: "main" });
  });
});

const temporary: string[] = [];
after(() => {
  for (const path of temporary) rmSync(path, { recursive: true, force: true });
});

function tempDir(files: Readonly<Record<string, string>> = {}): string {
  const path = mkdtempSync(join(tmpdir(), "slipway-channel-files-"));
  temporary.push(path);
  return writeFiles(path, files);
}

const PACKAGES = JSON.stringify({
  formats: ["deb"],
  maintainer: "J <j@example.com>",
  files: [
    { src: "LICENSE", dst: "/usr/share/doc/hello/LICENSE" },
    { src: "docs/hello.1", dst: "/usr/share/man/man1/hello.1" },
  ],
  scripts: { postinstall: "packaging/postinstall.sh" },
});

describe("checkPackageFiles: every source", () => {
  it("checks nothing when the release builds no packages", () => {
    assert.equal(checkPackageFiles(settings({}), "/nonexistent/module"), undefined);
  });

  it("accepts packages whose every source is in the module", () => {
    const module = tempDir({ LICENSE: "Apache-2.0", "docs/hello.1": ".TH", "packaging/postinstall.sh": "#!/bin/sh\n" });
    assert.equal(checkPackageFiles(settings({ packages: PACKAGES }), module), undefined);
  });

  function refused(title: string, files: Record<string, string>, message: (module: string) => string): BadInput {
    const module = tempDir(files);
    return { title, run: () => checkPackageFiles(settings({ packages: PACKAGES }), module), message: message(module) };
  }
  const fix = "fix: add the file to the module, or fix the path";
  itRefusesEach([
    refused(
      "the first extra file missing",
      { "docs/hello.1": ".TH", "packaging/postinstall.sh": "#!/bin/sh\n" },
      (module) => `slipway:packages.files[0].src = "LICENSE": ${module}/LICENSE does not exist or cannot be read; ${fix}`,
    ),
    refused(
      "the second extra file missing",
      { LICENSE: "Apache-2.0", "packaging/postinstall.sh": "#!/bin/sh\n" },
      (module) => `slipway:packages.files[1].src = "docs/hello.1": ${module}/docs/hello.1 does not exist or cannot be read; ${fix}`,
    ),
    refused(
      "a script missing",
      { LICENSE: "Apache-2.0", "docs/hello.1": ".TH" },
      (module) =>
        `slipway:packages.scripts.postinstall = "packaging/postinstall.sh": ${module}/packaging/postinstall.sh does not exist or cannot be read; ${fix}`,
    ),
  ]);
});

describe("notesFromCommits: the range of commits", () => {
  const repo = tempDir();
  const run = (...args: string[]): string =>
    execFileSync("git", ["-C", repo, ...args], {
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "A",
        GIT_AUTHOR_EMAIL: "a@example.com",
        GIT_AUTHOR_DATE: COMMIT_TIME,
        GIT_COMMITTER_NAME: "A",
        GIT_COMMITTER_EMAIL: "a@example.com",
        GIT_COMMITTER_DATE: COMMIT_TIME,
      },
    }).trim();
  run("init", "--quiet");
  const [first, second, readme, third] = ["feat: first", "fix: second", "docs: readme", "feat: third"].map((subject) => {
    run("-c", "commit.gpgsign=false", "commit", "--quiet", "--allow-empty", "-m", subject);
    return run("rev-parse", "HEAD");
  }) as [string, string, string, string];
  const short = (sha: string) => sha.slice(0, 7);
  const all = `### Features\n\n- third (${short(third)})\n- first (${short(first)})\n\n### Bug fixes\n\n- second (${short(second)})\n\n### Other changes\n\n- readme (${short(readme)})\n`;

  itReturnsEach([
    ["every commit up to the release commit when nothing was published", () => notesFromCommits(settings({ commit: third }), repo), all],
    [
      "every commit when the release carries no published list",
      () => {
        const s = settings({ commit: third });
        return notesFromCommits({ ...s, release: { ...s.release, published: undefined } }, repo);
      },
      all,
    ],
    [
      "the commits since the previous published release only",
      () => notesFromCommits(settings({ commit: third, published: JSON.stringify([`1.3.0@${second}`]) }), repo),
      `### Features\n\n- third (${short(third)})\n\n### Other changes\n\n- readme (${short(readme)})\n`,
    ],
    [
      "no notes when the previous release's commit is not in the repository",
      () => notesFromCommits(settings({ commit: third, published: JSON.stringify([`1.3.0@${OTHER_COMMIT}`]) }), repo),
      undefined,
    ],
    [
      "no notes when the filters leave no commit",
      () => notesFromCommits(settings({ commit: third, releaseNotes: JSON.stringify({ include: ["^perf:"] }) }), repo),
      undefined,
    ],
    ["no notes when the release commit is not in the repository", () => notesFromCommits(settings({}), repo), undefined],
    ["no notes when the module is not in a git repository", () => notesFromCommits(settings({ commit: third }), tempDir()), undefined],
  ]);
});

describe("channelArgs", () => {
  const TAP = { repository: "acme/homebrew-tap", tokenSecret: "tapToken" };
  const GITHUB_TAP = { values: { homebrew: JSON.stringify(TAP), tapToken: "t0ken" }, secrets: ["tapToken"] };

  it("keeps a GitHub tap as it is and resolves a local bucket against the project", () => {
    const s = settings({ ...GITHUB_TAP.values, scoop: JSON.stringify({ path: "dist/bucket" }) }, GITHUB_TAP.secrets);
    const scoop = s.channels.scoop;
    assert.ok(scoop !== undefined);
    const args = channelArgs(s.channels, "/project");
    assert.deepEqual(args, {
      ...s.channels,
      scoop: { ...scoop, repository: { kind: "local", path: "/project/dist/bucket", branch: "main" } },
    });
    assert.equal(args.homebrew, s.channels.homebrew);
  });

  it("keeps an absolute local repository path, and no tap stays no tap", () => {
    const s = settings({ homebrew: JSON.stringify({ path: "/srv/tap", branch: "release" }) });
    const args = channelArgs(s.channels, "/project");
    assert.deepEqual(args.homebrew?.repository, { kind: "local", path: "/srv/tap", branch: "release" });
    assert.equal(args.scoop, undefined);
    assert.deepEqual(channelArgs(settings({}).channels, "/project"), settings({}).channels);
  });
});
