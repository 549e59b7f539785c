import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { LocalGitFileInputs, commitLocalGitFile } from "../../providers/localGitFile";

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
const log = () => execFileSync("git", ["-C", repository, "log", "--format=%an <%ae> %at %s"], { encoding: "utf8" });

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
    assert.equal(commitLocalGitFile(INPUTS).commit, first);
    const next = commitLocalGitFile({ ...INPUTS, content: "class Hello < Formula # 1.5.0\nend\n", message: "hello 1.5.0" });
    assert.notEqual(next.commit, first);
    assert.equal(
      log()
        .split("\n")
        .filter((l) => l !== "").length,
      2,
    );
  });
});
