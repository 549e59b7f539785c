// The preview's tap file changes: the engine's steps joined with the files the stack's settings declare.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tapFileChanges } from "../../engine/preview";
import { RecordedEvent, UNKNOWN } from "../../plan/previewMarkdown";
import { parseStackConfig } from "../../plan/stackConfig";
import { unbuiltSha256 } from "../../plan/taps";
import { COMMIT, COMMIT_TIME } from "../support/release";

const settings = parseStackConfig({
  values: {
    version: "1.4.1",
    commit: COMMIT,
    commitTime: COMMIT_TIME,
    platforms: JSON.stringify(["linux/amd64", "darwin/arm64", "windows/amd64"]),
    homebrew: JSON.stringify({ path: "taps/homebrew" }),
    scoop: JSON.stringify({ path: "taps/scoop" }),
  },
  secretKeys: new Set(),
  project: "hello",
});
const LOCAL_FILE = "pulumi-nodejs:dynamic/slipway:LocalGitFile";
const update = (path: string, before: string, after: string): RecordedEvent => ({
  resourcePreEvent: {
    metadata: {
      op: "update",
      type: LOCAL_FILE,
      urn: `urn:pulumi:local::slipway::${LOCAL_FILE}::${path}`,
      old: { type: LOCAL_FILE, urn: "", inputs: { path, content: before } },
      new: { type: LOCAL_FILE, urn: "", inputs: { path, content: after } },
    },
  },
});

describe("tapFileChanges", () => {
  it("renders a formula the engine cannot know yet from the plan, each sha256 named, urls from the local release directory", () => {
    const [change, ...rest] = tapFileChanges([update("Formula/hello.rb", "class Hello\n", UNKNOWN)], settings, "/work/project");
    assert.equal(rest.length, 0, "the Scoop manifest has no step: it does not change");
    assert.equal(change?.channel, "homebrew");
    assert.equal(change?.repository, "/work/project/taps/homebrew");
    assert.equal(change?.before, "class Hello\n");
    assert.match(change?.after ?? "", /url "file:\/\/\/work\/project\/dist\/releases\/1\.4\.1\/hello_1\.4\.1_darwin_arm64\.tar\.gz"/);
    assert.ok(change?.after.includes(`sha256 "${unbuiltSha256("hello_1.4.1_darwin_arm64.tar.gz")}"`));
  });

  it("takes the engine's content when it is known, and nothing without tap file steps", () => {
    const changes = tapFileChanges([update("bucket/hello.json", "{}\n", '{"version":"1.4.1"}\n')], settings, "/p");
    assert.deepEqual(
      changes.map((c) => [c.channel, c.path, c.after]),
      [["scoop", "bucket/hello.json", '{"version":"1.4.1"}\n']],
    );
    assert.deepEqual(tapFileChanges([], settings, "/p"), []);
  });
});
