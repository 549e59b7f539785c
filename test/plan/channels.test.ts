import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SlipwayInputError } from "../../plan/errors";
import { RawStackConfig, parseStackConfig } from "../../plan/stackConfig";
import { COMMIT, COMMIT_TIME } from "../support/release";

const BASE: Readonly<Record<string, string>> = { version: "1.4.0", commit: COMMIT, commitTime: COMMIT_TIME };

function config(values: Record<string, string>, secretKeys: string[] = []): RawStackConfig {
  return { values: { ...BASE, ...values }, secretKeys: new Set(secretKeys), project: "hello" };
}

const TAP = JSON.stringify({ repository: "acme/homebrew-tap", tokenSecret: "tapToken" });

describe("channels in the stack config", () => {
  it("has none by default", () => {
    const channels = parseStackConfig(config({})).channels;
    assert.deepEqual(
      { ...channels, releaseNotes: undefined },
      { packages: undefined, homebrew: undefined, scoop: undefined, installScript: false, releaseNotes: undefined },
    );
    assert.deepEqual(channels.releaseNotes, { include: [], exclude: [] });
  });

  it("reads packages, taps, install.sh and the notes' filters; the tap's token is a secret setting", () => {
    const settings = parseStackConfig(
      config(
        {
          packages: JSON.stringify({ formats: ["deb"], maintainer: "Jane Doe <jane@example.com>" }),
          homebrew: TAP,
          scoop: JSON.stringify({ repository: "acme/scoop-bucket", tokenSecret: "tapToken" }),
          installScript: "true",
          releaseNotes: JSON.stringify({ exclude: ["^docs:"] }),
          tapToken: "t0ken",
        },
        ["tapToken"],
      ),
    );
    assert.deepEqual(
      settings.channels.packages?.assets.map((a) => a.name),
      ["hello_1.4.0_linux_amd64.deb", "hello_1.4.0_linux_arm64.deb"],
    );
    assert.equal(settings.channels.homebrew?.repository.kind, "github");
    assert.equal(settings.channels.scoop?.directory, "bucket");
    assert.equal(settings.channels.installScript, true);
    assert.equal(settings.channels.releaseNotes.exclude.length, 1);
    assert.deepEqual(settings.secretSettings, ["tapToken"]);
  });

  it("checks a channel against the release only when it is configured", () => {
    assert.doesNotThrow(
      () => parseStackConfig(config({ platforms: JSON.stringify(["windows/amd64"]) })),
      "no formula, no tar archive needed",
    );
    assert.doesNotThrow(() => parseStackConfig(config({ platforms: JSON.stringify(["linux/amd64"]) })), "no manifest, no zip needed");
  });

  it("needs the token secret of a GitHub tap only, once", () => {
    const settings = parseStackConfig(
      config(
        {
          homebrew: TAP,
          scoop: JSON.stringify({ path: "bucket" }),
          tapToken: "t0ken",
          platforms: JSON.stringify(["linux/amd64", "windows/amd64"]),
        },
        ["tapToken"],
      ),
    );
    assert.deepEqual(settings.secretSettings, ["tapToken"]);
  });

  const refused: [string, Record<string, string>, string[], string][] = [
    [
      "a tap repository whose token is not set",
      { homebrew: TAP },
      [],
      "slipway:tapToken = (unset): required by the Homebrew tap acme/homebrew-tap but not set; fix: pulumi config set --secret slipway:tapToken <value>",
    ],
    [
      "a tap token in plain text",
      { homebrew: TAP, tapToken: "t0ken" },
      [],
      'slipway:tapToken = "(value not shown)": stored in plain text, but it is a credential; fix: store it encrypted: pulumi config set --secret slipway:tapToken <value>',
    ],
    [
      "an unknown package format",
      { packages: JSON.stringify({ formats: ["msi"], maintainer: "J <j@example.com>" }) },
      [],
      'slipway:packages.formats[0] = "msi": unknown package format; fix: use deb, rpm, apk, archlinux',
    ],
    [
      "a formula for a release without tar archives",
      { homebrew: JSON.stringify({ path: "tap" }), platforms: JSON.stringify(["windows/amd64"]) },
      [],
      'slipway:homebrew = ["hello_1.4.0_windows_amd64.zip"]: Homebrew installs from tar archives for darwin or linux, and the release has none; fix: add darwin or linux platforms with a tar.gz or tar.xz archive format',
    ],
    [
      "installScript that is not a boolean",
      { installScript: "yes" },
      [],
      'slipway:installScript = "yes": must be true or false; fix: pulumi config set slipway:installScript true',
    ],
    [
      "packages that are not JSON",
      { packages: "deb" },
      [],
      "slipway:packages = \"deb\": must be an object; fix: set it with pulumi config set --path 'slipway:packages.<field>' <value>",
    ],
    [
      "a Scoop manifest for a release without windows zip archives",
      { scoop: JSON.stringify({ path: "bucket" }), platforms: JSON.stringify(["linux/amd64"]) },
      [],
      'slipway:scoop = ["hello_1.4.0_linux_amd64.tar.gz"]: Scoop installs from windows zip archives, and the release has none; fix: add windows platforms with the zip archive format',
    ],
  ];
  for (const [title, values, secrets, message] of refused) {
    it(`refuses ${title} in one line`, () => {
      assert.throws(
        () => parseStackConfig(config(values, secrets)),
        (error: unknown) => error instanceof SlipwayInputError && error.message === message,
      );
    });
  }
});
