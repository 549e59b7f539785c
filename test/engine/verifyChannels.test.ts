// The channel checks of `slipway verify` against a release directory and local git taps on disk.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { channelChecks, observeTap } from "../../engine/verifyChannels";
import { homebrewPath, renderFormula } from "../../plan/homebrew";
import { renderScoopManifest, scoopPath } from "../../plan/scoop";
import { StackSettings, parseStackConfig } from "../../plan/stackConfig";
import { parseSha256Sums } from "../../plan/verifyChecklist";
import { commitLocalGitFile } from "../../providers/localGitFile";
import { COMMIT, COMMIT_TIME } from "../support/release";

const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

describe("verify the channels of a local release", () => {
  let project: string;
  let directory: string;
  let settings: StackSettings;

  const observe = () => {
    const files: Record<string, string> = {};
    for (const name of readdirSync(directory).filter((n) => n !== "SHA256SUMS")) files[name] = sha256(readFileSync(join(directory, name)));
    const sums = parseSha256Sums(readFileSync(join(directory, "SHA256SUMS"), "utf8"));
    return { kind: "local" as const, directory, exists: true, draft: false, sums, files };
  };
  const commit = (tap: string, path: string, content: string) =>
    commitLocalGitFile({
      repository: join(project, "taps", tap),
      branch: "main",
      path,
      content,
      message: "hello 1.4.0",
      authorName: "slipway",
      authorEmail: "slipway@example.com",
      commitEpoch: 1_700_000_000,
    });

  before(() => {
    project = mkdtempSync(join(tmpdir(), "slipway-verify-channels-"));
    settings = parseStackConfig({
      values: {
        version: "1.4.0",
        commit: COMMIT,
        commitTime: COMMIT_TIME,
        platforms: JSON.stringify(["linux/amd64", "windows/amd64"]),
        packages: JSON.stringify({ formats: ["deb"], maintainer: "Jane Doe <jane@example.com>" }),
        homebrew: JSON.stringify({ path: "taps/homebrew" }),
        scoop: JSON.stringify({ path: "taps/scoop" }),
      },
      secretKeys: new Set(),
      project: "hello",
    });
    directory = join(project, "dist", "releases", "1.4.0");
    mkdirSync(directory, { recursive: true });
    const names = [...settings.plan.assets.checksums.order, "hello_1.4.0_linux_amd64.deb"];
    for (const name of names) writeFileSync(join(directory, name), `${name} bytes\n`);
    const sums = names.map((n) => `${sha256(`${n} bytes\n`)}  ${n}\n`).join("");
    writeFileSync(join(directory, "SHA256SUMS"), sums);
    const { files } = observe();
    const url = (asset: string) => `file://${directory}/${asset}`;
    commit(
      "homebrew",
      homebrewPath(settings.plan, settings.channels.homebrew!),
      renderFormula(settings.plan, settings.channels.homebrew!, url, files),
    );
    commit(
      "scoop",
      scoopPath(settings.plan, settings.channels.scoop!),
      renderScoopManifest(settings.plan, settings.channels.scoop!, url, files),
    );
  });

  after(() => rmSync(project, { recursive: true, force: true }));

  it("passes when the packages are listed and each tap's head holds the file for the published archives", () => {
    const items = channelChecks(settings, observe(), project, undefined);
    assert.deepEqual(
      items.map((i) => [i.id, i.status]),
      [
        ["channel:packages", "pass"],
        ["channel:homebrew", "pass"],
        ["channel:scoop", "pass"],
      ],
    );
  });

  it("fails the homebrew channel alone when the tap's head holds another formula", () => {
    commit("homebrew", "Formula/hello.rb", "class Hello < Formula\nend\n");
    const failed = channelChecks(settings, observe(), project, undefined).filter((i) => i.status === "fail");
    assert.deepEqual(
      failed.map((i) => i.id),
      ["channel:homebrew"],
    );
    assert.match(failed[0]?.detail ?? "", /^Formula\/hello\.rb at commit [0-9a-f]{40} differs from the one rendered for 1\.4\.0$/);
  });

  it("reads nothing from a path that is not a git repository, and nothing from a GitHub tap", () => {
    writeFileSync(join(project, "not-a-repo"), "file\n");
    const local = { ...settings.channels.homebrew!, repository: { kind: "local" as const, path: "not-a-repo", branch: "main" } };
    assert.match(
      observeTap(local, "Formula/hello.rb", project).notCheckable ?? "",
      /not-a-repo is not a git repository with a branch main$/,
    );
    const github = {
      ...local,
      repository: { kind: "github" as const, owner: "acme", repo: "homebrew-tap", branch: "main", tokenSecret: "t" },
    };
    assert.deepEqual(observeTap(github, "Formula/hello.rb", project), {
      notCheckable: "verify does not read the GitHub tap acme/homebrew-tap",
    });
  });

  it("checks no channel of a GitHub release (its assets are checked by the release checks)", () => {
    const release = { kind: "github" as const, location: "https://github.com/acme/hello/releases/tag/v1.4.0", tag: "v1.4.0", assets: {} };
    assert.deepEqual(channelChecks(settings, release, project, undefined), []);
  });
});
