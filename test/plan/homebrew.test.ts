import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { formulaClassName, homebrewPath, homebrewVariants, renderCask, renderFormula, rubyString } from "../../plan/homebrew";
import { planRelease } from "../../plan/releasePlan";
import { renderScoopManifest, scoopPath } from "../../plan/scoop";
import { TapSettings, parseTapSettings, unbuiltSha256 } from "../../plan/taps";
import { assertGolden } from "../support/golden";
import { releaseInput } from "../support/release";
import { requireTool } from "../support/tools";

const PLAN = planRelease(
  releaseInput({
    platforms: [
      "linux/amd64",
      "linux/arm64",
      "linux/arm/v6",
      "linux/arm/v7",
      "darwin/amd64",
      "darwin/arm64",
      "windows/amd64",
      "windows/arm64",
    ],
    description: 'Says "hello" to #{everyone}',
    source: "https://github.com/acme/hello",
    licenses: "MIT",
  }),
);
const URL = (asset: string) => `https://github.com/acme/hello/releases/download/v1.4.0/${asset}`;
const SHA256 = Object.fromEntries(PLAN.assets.archives.map((a, index) => [a.name, index.toString(16).padStart(2, "0").repeat(32)]));

function tap(raw: Record<string, unknown>, kind: "homebrew" | "scoop" = "homebrew"): TapSettings {
  const settings = parseTapSettings(raw, kind);
  assert.ok(settings !== undefined);
  return settings;
}

const ruby = requireTool("ruby");

function rubyCheck(text: string): void {
  const dir = mkdtempSync(join(tmpdir(), "slipway-formula-"));
  try {
    writeFileSync(join(dir, "hello.rb"), text);
    assert.equal(execFileSync(ruby.path as string, ["-c", join(dir, "hello.rb")], { encoding: "utf8" }).trim(), "Syntax OK");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("Homebrew formula", () => {
  it("names the class like Homebrew does", () => {
    assert.deepEqual(["hello", "hello-world", "go_tool.x", "a@2"].map(formulaClassName), ["Hello", "HelloWorld", "GoToolX", "AAT2"]);
  });

  it("names the class of odd program names: leading, trailing and repeated separators, digits, @", () => {
    assert.deepEqual(["-hello-", "_go__tool..x", "hello@2.1", "9lives", "x1y"].map(formulaClassName), [
      "Hello",
      "GoToolX",
      "HelloAT21",
      "9lives",
      "X1y",
    ]);
  });

  it("escapes Ruby strings, interpolation included", () => {
    assert.equal(rubyString('a "b" \\ #{c}'), '"a \\"b\\" \\\\ \\#{c}"');
  });

  it("takes one tar archive per OS and CPU, the highest arm level for 32-bit arm", () => {
    assert.deepEqual(
      homebrewVariants(PLAN).map((v) => v.archive.name),
      [
        "hello_1.4.0_linux_amd64.tar.gz",
        "hello_1.4.0_linux_arm64.tar.gz",
        "hello_1.4.0_linux_armv7.tar.gz",
        "hello_1.4.0_darwin_amd64.tar.gz",
        "hello_1.4.0_darwin_arm64.tar.gz",
      ],
    );
  });

  const variantCases: [string, readonly string[], unknown, string[]][] = [
    [
      "skips archives for other operating systems, tar archives included",
      ["windows/amd64", "freebsd/amd64", "linux/amd64"],
      { format: "tar.gz", formatOverrides: { windows: "tar.gz" } },
      ["hello_1.4.0_linux_amd64.tar.gz"],
    ],
    ["skips archives for CPUs Homebrew has no condition for", ["linux/386", "linux/amd64"], "tar.gz", ["hello_1.4.0_linux_amd64.tar.gz"]],
    [
      "skips zip archives",
      ["darwin/amd64", "linux/arm64"],
      { format: "tar.gz", formatOverrides: { darwin: "zip" } },
      ["hello_1.4.0_linux_arm64.tar.gz"],
    ],
    ["keeps a higher arm level that comes later", ["linux/arm/v6", "linux/arm/v7"], "tar.gz", ["hello_1.4.0_linux_armv7.tar.gz"]],
    [
      "keeps a higher arm level that comes first",
      ["linux/arm/v7", "linux/arm/v5", "linux/arm/v6"],
      "tar.xz",
      ["hello_1.4.0_linux_armv7.tar.xz"],
    ],
  ];
  for (const [title, platforms, archives, expected] of variantCases) {
    it(title, () => {
      const plan = planRelease(releaseInput({ platforms, archives }));
      assert.deepEqual(
        homebrewVariants(plan).map((v) => v.archive.name),
        expected,
      );
    });
  }

  it("renders the formula, which Ruby parses", { skip: ruby.skip }, () => {
    const formula = renderFormula(PLAN, tap({ repository: "acme/homebrew-tap", tokenSecret: "tapToken" }), URL, SHA256);
    assertGolden("packages/hello.rb", formula);
    rubyCheck(formula);
    assert.equal(homebrewPath(PLAN, tap({ path: "/tmp/tap" })), "Formula/hello.rb");
  });

  it("renders a cask when asked, which Ruby parses", { skip: ruby.skip }, () => {
    const settings = tap({ path: "/tmp/tap", cask: true, test: "unused" });
    const cask = renderCask(PLAN, settings, URL, SHA256);
    assertGolden("packages/hello-cask.rb", cask);
    rubyCheck(cask);
    assert.equal(homebrewPath(PLAN, settings), "Casks/hello.rb");
  });

  const LINUX = planRelease(releaseInput({ platforms: ["linux/amd64"] }));
  const LINUX_ARCHIVE = "hello_1.4.0_linux_amd64.tar.gz";

  it("leaves out desc, homepage, license and the empty OS block when the release has none", () => {
    const formula = renderFormula(LINUX, tap({ path: "/tmp/tap" }), URL, { [LINUX_ARCHIVE]: unbuiltSha256(LINUX_ARCHIVE) });
    assertGolden("homebrew-linux-unbuilt.rb", formula);
  });

  it("takes desc, homepage and license from the tap over the labels", () => {
    const settings = tap({ path: "/tmp/tap", description: "Greets", homepage: "https://hello.example", license: "Apache-2.0" });
    const formula = renderFormula(PLAN, settings, URL, SHA256);
    const metadataLines = formula.split("\n").slice(5, 9);
    assert.deepEqual(metadataLines, [
      '  desc "Greets"',
      '  homepage "https://hello.example"',
      '  version "1.4.0"',
      '  license "Apache-2.0"',
    ]);
  });

  const badDigests: [string, string | undefined][] = [
    ["no digest", undefined],
    ["another archive's build placeholder", unbuiltSha256("hello_1.4.0_linux_arm64.tar.gz")],
    ["a digest one digit short", "0".repeat(63)],
    ["a digest with a prefix", `x${"0".repeat(64)}`],
    ["a digest with a suffix", `${"0".repeat(64)}x`],
    ["an upper-case digest", "A".repeat(64)],
  ];
  for (const [title, digest] of badDigests) {
    it(`refuses ${title} for an archive`, () => {
      const sha256: Record<string, string> = digest === undefined ? {} : { [LINUX_ARCHIVE]: digest };
      assert.throws(() => renderFormula(LINUX, tap({ path: "/tmp/tap" }), URL, sha256), {
        message: `no sha256 for ${LINUX_ARCHIVE}`,
      });
    });
  }

  const TWO_PROGRAMS = planRelease(
    releaseInput({
      platforms: ["darwin/arm64", "linux/amd64"],
      archives: { format: "tar.gz", wrapInDirectory: true },
      builds: [
        { main: "./cmd/hi", binary: "hi" },
        { main: "./cmd/helloctl", binary: "helloctl" },
      ],
    }),
  );
  const TWO_PROGRAMS_SHA256 = Object.fromEntries(TWO_PROGRAMS.assets.archives.map((a, index) => [a.name, `${index}`.repeat(64)]));

  it("installs each program of the archive under its executable name, and tests the first", { skip: ruby.skip }, () => {
    const formula = renderFormula(TWO_PROGRAMS, tap({ path: "/tmp/tap" }), URL, TWO_PROGRAMS_SHA256);
    assertGolden("homebrew-two-programs.rb", formula);
    rubyCheck(formula);
  });

  it("links each program of a cask from the archive's wrapping directory", { skip: ruby.skip }, () => {
    const cask = renderCask(TWO_PROGRAMS, tap({ path: "/tmp/tap", cask: true }), URL, TWO_PROGRAMS_SHA256);
    assertGolden("homebrew-two-programs-cask.rb", cask);
    rubyCheck(cask);
  });

  it("indents a multi-line test block evenly and keeps blank lines empty", () => {
    const test = '  output = shell_output("#{bin}/hello --version")\n\n   \n\tassert_match "1.4.0", output';
    const formula = renderFormula(LINUX, tap({ path: "/tmp/tap", test }), URL, { [LINUX_ARCHIVE]: "f".repeat(64) });
    assert.equal(
      formula.slice(formula.indexOf("  test do\n")),
      [
        "  test do",
        '    output = shell_output("#{bin}/hello --version")',
        "",
        "",
        '    assert_match "1.4.0", output',
        "  end",
        "end",
        "",
      ].join("\n"),
    );
  });

  it("places the file in the tap's directory, or at its root", () => {
    assert.equal(homebrewPath(PLAN, tap({ path: "/tmp/tap", directory: "brew/Formula" })), "brew/Formula/hello.rb");
    assert.equal(homebrewPath(PLAN, { ...tap({ path: "/tmp/tap" }), directory: "" }), "hello.rb");
  });

  it("refuses a release without darwin or linux tar archives", () => {
    const windows = planRelease(releaseInput({ platforms: ["windows/amd64"] }));
    assert.throws(() => renderFormula(windows, tap({ path: "/tmp/tap" }), URL, {}), {
      message:
        'slipway:homebrew = ["hello_1.4.0_windows_amd64.zip"]: Homebrew installs from tar archives for darwin or linux, and the release has none; fix: add darwin or linux platforms with a tar.gz or tar.xz archive format',
    });
  });
});

describe("Scoop manifest", () => {
  it("renders the windows zips per architecture", () => {
    const bucket = tap({ repository: "acme/scoop-bucket", tokenSecret: "tapToken", description: "Says hello" }, "scoop");
    assertGolden("packages/hello.json", renderScoopManifest(PLAN, bucket, URL, SHA256));
    assert.equal(scoopPath(PLAN, bucket), "bucket/hello.json");
  });

  it("refuses a release without windows zips", () => {
    const linux = planRelease(releaseInput({ platforms: ["linux/amd64"] }));
    assert.throws(() => renderScoopManifest(linux, tap({ path: "/b" }, "scoop"), URL, {}), /Scoop installs from windows zip archives/);
  });
});

describe("parseTapSettings", () => {
  it("defaults the branch, directory and author", () => {
    assert.deepEqual(parseTapSettings({ path: "dist/tap" }, "homebrew"), {
      repository: { kind: "local", path: "dist/tap", branch: "main" },
      directory: "Formula",
      author: { name: "slipway", email: "slipway@users.noreply.github.com" },
      description: undefined,
      homepage: undefined,
      license: undefined,
      test: undefined,
      cask: false,
    });
    assert.equal(parseTapSettings(undefined, "scoop"), undefined);
  });

  const refused: [string, unknown, "homebrew" | "scoop", string][] = [
    [
      "a tap repo without a token",
      { repository: "acme/homebrew-tap" },
      "homebrew",
      "slipway:homebrew.tokenSecret = (unset): committing to acme/homebrew-tap needs a token that may write to it; fix: name a secret setting, e.g. tokenSecret: tapToken, then pulumi config set --secret slipway:tapToken <token>",
    ],
    [
      "neither repository nor path",
      {},
      "scoop",
      "slipway:scoop = {}: needs exactly one of repository (a GitHub owner/repo) and path (a local git repository); fix: e.g. scoop: {repository: acme/scoop-bucket, tokenSecret: tapToken}",
    ],
    [
      "a bad repository",
      { repository: "acme", tokenSecret: "t" },
      "homebrew",
      'slipway:homebrew.repository = "acme": not a GitHub owner/repo; fix: e.g. acme/homebrew-tap',
    ],
    [
      "a token for a local repository",
      { path: "x", tokenSecret: "t" },
      "homebrew",
      'slipway:homebrew.tokenSecret = "t": a local repository takes no token; fix: remove tokenSecret',
    ],
    [
      "an author without e-mail",
      { path: "x", author: { name: "Bot" } },
      "homebrew",
      'slipway:homebrew.author = {"name":"Bot"}: must be {name, email}; fix: e.g. author: {name: Release Bot, email: bot@example.com}',
    ],
    [
      "a cask in scoop",
      { path: "x", cask: true },
      "scoop",
      "slipway:scoop.cask = true: unknown field; fix: use only repository, path, branch, tokenSecret, directory, author, description, homepage, license",
    ],
    [
      "a directory outside",
      { path: "x", directory: "../y" },
      "homebrew",
      'slipway:homebrew.directory = "../y": not a directory inside the repository; fix: e.g. Formula',
    ],
  ];
  for (const [title, raw, kind, message] of refused) {
    it(`refuses ${title} in one line`, () => {
      assert.throws(() => parseTapSettings(raw, kind), { message });
    });
  }
});
