// plan/scoop.ts: which archives a Scoop manifest installs, the manifest's exact text (golden) and its path.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderScoopManifest, scoopArchives, scoopPath } from "../../plan/scoop";
import { StackSettings, parseStackConfig } from "../../plan/stackConfig";
import { SlipwayInputError } from "../../plan/errors";
import { assertGolden } from "../support/golden";
import { COMMIT, COMMIT_TIME } from "../support/release";

function settings(values: Record<string, string>): StackSettings {
  return parseStackConfig({
    values: {
      version: "1.4.0",
      commit: COMMIT,
      commitTime: COMMIT_TIME,
      imageName: "hello",
      scoop: JSON.stringify({ path: "taps/scoop" }),
      ...values,
    },
    secretKeys: new Set(),
    project: "Hello",
  });
}

const WINDOWS = JSON.stringify(["linux/amd64", "windows/amd64", "windows/386", "windows/arm64"]);
const url = (asset: string) => `https://github.com/acme/hello/releases/download/v1.4.0/${asset}`;
const sha = (names: readonly string[]) => Object.fromEntries(names.map((name, i) => [name, String(i + 1).padStart(64, "0")]));

describe("Scoop manifest", () => {
  it("installs the windows zip archives by Scoop architecture (64bit, 32bit, arm64), nothing else", () => {
    const { plan } = settings({ platforms: WINDOWS });
    assert.deepEqual(
      scoopArchives(plan).map(([arch, archive]) => `${arch} ${archive.name}`),
      ["64bit Hello_1.4.0_windows_amd64.zip", "32bit Hello_1.4.0_windows_386.zip", "arm64 Hello_1.4.0_windows_arm64.zip"],
    );
  });

  it("leaves out zip archives of other systems", () => {
    const { plan } = settings({ platforms: JSON.stringify(["linux/amd64", "windows/arm64"]), archives: JSON.stringify({ format: "zip" }) });
    assert.deepEqual(
      scoopArchives(plan).map(([arch, archive]) => `${arch} ${archive.name}`),
      ["arm64 Hello_1.4.0_windows_arm64.zip"],
    );
  });

  const refusals: [string, Record<string, string>, string][] = [
    ["no windows platform", { platforms: JSON.stringify(["linux/amd64"]) }, '["Hello_1.4.0_linux_amd64.tar.gz"]'],
    [
      "windows archives that are not zip",
      { platforms: JSON.stringify(["windows/amd64"]), archives: JSON.stringify({ format: "tar.gz", formatOverrides: {} }) },
      '["Hello_1.4.0_windows_amd64.tar.gz"]',
    ],
  ];
  for (const [title, values, archives] of refusals) {
    it(`refuses a release without windows zip archives (${title}), naming the archives it has`, () => {
      assert.throws(
        () => scoopArchives(settings(values).plan),
        (error: unknown) =>
          error instanceof SlipwayInputError &&
          error.message ===
            `slipway:scoop = ${archives}: Scoop installs from windows zip archives, and the release has none; fix: add windows platforms with the zip archive format`,
      );
    });
  }

  it("renders version, metadata from the labels, and url, hash, bin and extract_dir per architecture (golden)", () => {
    const { plan, channels } = settings({
      platforms: WINDOWS,
      description: "Says hello",
      source: "https://github.com/acme/hello",
      licenses: "MIT",
      archives: JSON.stringify({ wrapInDirectory: true }),
    });
    const manifest = renderScoopManifest(plan, channels.scoop!, url, sha(plan.assets.archives.map((a) => a.name)));
    assertGolden("scoop/hello.json", manifest);
  });

  it("takes description, homepage and license from the bucket settings over the labels", () => {
    const { plan, channels } = settings({
      platforms: WINDOWS,
      description: "label",
      source: "https://github.com/acme/label",
      licenses: "MIT",
      scoop: JSON.stringify({ path: "t", description: "Bucket text", homepage: "https://hello.example", license: "Apache-2.0" }),
    });
    const manifest = JSON.parse(renderScoopManifest(plan, channels.scoop!, url, sha(plan.assets.archives.map((a) => a.name)))) as Record<
      string,
      unknown
    >;
    assert.deepEqual([manifest.description, manifest.homepage, manifest.license], ["Bucket text", "https://hello.example", "Apache-2.0"]);
    assert.equal((manifest.architecture as Record<string, { extract_dir?: string }>)["64bit"]?.extract_dir, undefined);
  });

  it("fails loudly when an archive's sha256 is missing", () => {
    const { plan, channels } = settings({ platforms: WINDOWS });
    assert.throws(() => renderScoopManifest(plan, channels.scoop!, url, {}), /^Error: no sha256 for Hello_1\.4\.0_windows_amd64\.zip$/);
  });

  const paths: [string, Record<string, unknown>, string][] = [
    ["the default bucket directory, the name lowercased", { path: "t" }, "bucket/hello.json"],
    ["the repository root", { path: "t", directory: "" }, "hello.json"],
    ["a nested directory", { path: "t", directory: "a/b" }, "a/b/hello.json"],
  ];
  for (const [title, scoop, path] of paths) {
    it(`path: ${title}`, () => {
      const { plan, channels } = settings({ platforms: WINDOWS, scoop: JSON.stringify(scoop) });
      assert.equal(scoopPath(plan, channels.scoop!), path);
    });
  }
});
