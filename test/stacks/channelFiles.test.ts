import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { RawStackConfig, StackSettings, parseStackConfig } from "../../plan/stackConfig";
import { channelArgs, checkPackageFiles, notesFromCommits, releaseNotes } from "../../stacks/channelFiles";
import { COMMIT, COMMIT_TIME } from "../support/release";

const dir = mkdtempSync(join(tmpdir(), "slipway-channel-files-"));

function settings(values: Record<string, string>): StackSettings {
  const config: RawStackConfig = {
    values: { version: "1.4.0", commit: COMMIT, commitTime: COMMIT_TIME, ...values },
    secretKeys: new Set(),
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
