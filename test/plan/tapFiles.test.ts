// The tap files a release commits and the diff the pull-request preview shows of them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ChannelSettings } from "../../plan/channels";
import { renderFormula } from "../../plan/homebrew";
import { planRelease } from "../../plan/releasePlan";
import { renderScoopManifest } from "../../plan/scoop";
import { downloadBase, previewSha256s, tapFileDiff, tapFiles, tapRepositoryName } from "../../plan/tapFiles";
import { unbuiltSha256 } from "../../plan/taps";
import { TapSettings, parseTapSettings } from "../../plan/taps";
import { assertGolden } from "../support/golden";
import { releaseInput } from "../support/release";

const platforms = ["linux/amd64", "darwin/arm64", "windows/amd64"];
const PLAN = planRelease(releaseInput({ platforms, licenses: "MIT", source: "https://github.com/acme/hello" }));
const NEXT = planRelease(releaseInput({ platforms, licenses: "MIT", source: "https://github.com/acme/hello", version: "1.4.1" }));
const URL = (asset: string) => `https://github.com/acme/hello/releases/download/v1.4.0/${asset}`;
const SHA256 = Object.fromEntries(PLAN.assets.archives.map((a, i) => [a.name, String(i).repeat(64)]));

function tap(raw: Record<string, unknown>, kind: "homebrew" | "scoop"): TapSettings {
  const settings = parseTapSettings(raw, kind);
  assert.ok(settings !== undefined);
  return settings;
}
const HOMEBREW = tap({ repository: "acme/homebrew-tap", tokenSecret: "tapToken" }, "homebrew");
const SCOOP = tap({ path: "/work/taps/scoop" }, "scoop");
const channels = (homebrew: TapSettings | undefined, scoop: TapSettings | undefined): ChannelSettings => ({
  packages: undefined,
  homebrew,
  scoop,
  installScript: false,
  releaseNotes: { include: [], exclude: [] },
});

describe("tapFiles", () => {
  const cases: [string, ChannelSettings | undefined, string[]][] = [
    ["no channels", undefined, []],
    ["neither tap", channels(undefined, undefined), []],
    ["Homebrew only", channels(HOMEBREW, undefined), ["homebrew Formula/hello.rb"]],
    ["Scoop only", channels(undefined, SCOOP), ["scoop bucket/hello.json"]],
    ["both, Homebrew first", channels(HOMEBREW, SCOOP), ["homebrew Formula/hello.rb", "scoop bucket/hello.json"]],
  ];
  for (const [title, settings, expected] of cases) {
    it(`declares the tap files: ${title}`, () => {
      assert.deepEqual(
        tapFiles(PLAN, settings, URL).map((f) => `${f.channel} ${f.path}`),
        expected,
      );
    });
  }

  it("renders each file with the channel's own renderer", () => {
    const [formula, manifest] = tapFiles(PLAN, channels(HOMEBREW, SCOOP), URL);
    assert.equal(formula?.render(SHA256), renderFormula(PLAN, HOMEBREW, URL, SHA256));
    assert.equal(manifest?.render(SHA256), renderScoopManifest(PLAN, SCOOP, URL, SHA256));
  });

  it("downloads from the GitHub release, else from the local release directory", () => {
    assert.equal(downloadBase(PLAN, { owner: "acme", repo: "hello" }, "/r"), "https://github.com/acme/hello/releases/download/v1.4.0");
    assert.equal(downloadBase(PLAN, undefined, "/work/dist/releases"), "file:///work/dist/releases/1.4.0");
  });

  it("names a tap by its GitHub repository or its local path", () => {
    assert.equal(tapRepositoryName(HOMEBREW), "acme/homebrew-tap");
    assert.equal(tapRepositoryName(SCOOP), "/work/taps/scoop");
  });

  it("previews with the known sha256s, naming each archive whose sha256 only the build knows", () => {
    const first = PLAN.assets.archives[0]?.name ?? "";
    const sha = previewSha256s(PLAN, { [first]: "f".repeat(64), "unrelated.txt": "e".repeat(64) });
    assert.deepEqual(Object.keys(sha).sort(), PLAN.assets.archives.map((a) => a.name).sort());
    assert.equal(sha[first], "f".repeat(64));
    for (const archive of PLAN.assets.archives.slice(1)) assert.equal(sha[archive.name], unbuiltSha256(archive.name));
    assert.match(unbuiltSha256("hello_1.4.1_darwin_arm64.tar.gz"), /hello_1\.4\.1_darwin_arm64\.tar\.gz/);
  });

  it("renders a formula with an unbuilt marker only for the archive it names; a wrong or short sha256 still fails", () => {
    const swapped = Object.fromEntries(
      PLAN.assets.archives.map((a, i, all) => [a.name, unbuiltSha256(all[(i + 1) % all.length]?.name ?? "")]),
    );
    assert.throws(() => renderFormula(PLAN, HOMEBREW, URL, swapped), /no sha256 for hello_1\.4\.0_/);
    assert.throws(() => renderFormula(PLAN, HOMEBREW, URL, { ...SHA256, [PLAN.assets.archives[0]?.name ?? ""]: "abc" }), /no sha256/);
  });
});

describe("tapFileDiff", () => {
  const before = renderFormula(PLAN, HOMEBREW, URL, SHA256);
  const nextUrl = (asset: string) => `https://github.com/acme/hello/releases/download/v1.4.1/${asset}`;
  const after = renderFormula(NEXT, HOMEBREW, nextUrl, previewSha256s(NEXT, {}));

  it("shows the next version's formula against the committed one (golden)", () => {
    const diff = tapFileDiff({ channel: "homebrew", repository: "acme/homebrew-tap", path: "Formula/hello.rb", before, after });
    assertGolden("tap-formula-1.4.0-to-1.4.1.diff", `${diff}\n`);
    assert.match(diff, /^--- Formula\/hello\.rb\n\+\+\+ Formula\/hello\.rb\n@@ /);
    assert.match(diff, /^-  version "1\.4\.0"$/m);
    assert.match(diff, /^\+  version "1\.4\.1"$/m);
    assert.doesNotMatch(diff, /[ \t]$/m, "no trailing whitespace on any line");
  });

  it("shows a first commit as a file added from /dev/null", () => {
    const diff = tapFileDiff({
      channel: "homebrew",
      repository: "acme/homebrew-tap",
      path: "Formula/hello.rb",
      before: undefined,
      after: before,
    });
    assert.match(diff, /^--- \/dev\/null\n\+\+\+ Formula\/hello\.rb\n@@ -0,0 \+1,\d+ @@\n\+/);
    assert.equal(diff.split("\n").filter((l) => l.startsWith("+") && !l.startsWith("+++")).length, before.trimEnd().split("\n").length);
  });

  it("is empty when the file does not change", () => {
    assert.equal(tapFileDiff({ channel: "scoop", repository: "/t", path: "bucket/hello.json", before, after: before }), "");
  });
});
