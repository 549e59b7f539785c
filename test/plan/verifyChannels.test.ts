import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { homebrewPath, renderFormula } from "../../plan/homebrew";
import { renderScoopManifest, scoopPath } from "../../plan/scoop";
import { RawStackConfig, StackSettings, parseStackConfig } from "../../plan/stackConfig";
import { ChannelVerifyInput, TapObservation, evaluateChannels } from "../../plan/verifyChannels";
import { renderChecklist } from "../../plan/verifyChecklist";
import { assertGolden } from "../support/golden";
import { COMMIT, COMMIT_TIME } from "../support/release";

function settings(): StackSettings {
  const raw: RawStackConfig = {
    values: {
      version: "1.4.0",
      commit: COMMIT,
      commitTime: COMMIT_TIME,
      platforms: JSON.stringify(["linux/amd64", "darwin/arm64", "windows/amd64"]),
      packages: JSON.stringify({ formats: ["deb", "rpm"], maintainer: "Jane Doe <jane@example.com>" }),
      homebrew: JSON.stringify({ path: "taps/homebrew" }),
      scoop: JSON.stringify({ path: "taps/scoop" }),
      installScript: "true",
    },
    secretKeys: new Set(),
    project: "hello",
  };
  return parseStackConfig(raw);
}

const { plan, channels } = settings();
const hex = (n: number) => n.toString(16).padStart(2, "0").repeat(32);
const PACKAGES = channels.packages?.assets.map((a) => a.name) ?? [];
const FILES: Record<string, string> = Object.fromEntries(
  [...plan.assets.checksums.order, ...PACKAGES, "install.sh"].map((name, i) => [name, hex(i + 1)]),
);
const url = (asset: string) => `file:///releases/1.4.0/${asset}`;
const formula = renderFormula(plan, channels.homebrew!, url, FILES);
const manifest = renderScoopManifest(plan, channels.scoop!, url, FILES);
const GOOD: ChannelVerifyInput = {
  plan,
  channels,
  files: FILES,
  sums: FILES,
  url,
  taps: { homebrew: { commit: "c1", committed: formula }, scoop: { commit: "c2", committed: manifest } },
};

function failures(input: ChannelVerifyInput): string[] {
  return evaluateChannels(input)
    .filter((i) => i.status !== "pass")
    .map((i) => `${i.id} ${i.status}: ${i.detail}`);
}

describe("verify the install channels", () => {
  it("passes a complete release: one check per channel, in order", () => {
    assert.deepEqual(PACKAGES, ["hello_1.4.0_linux_amd64.deb", "hello_1.4.0_linux_amd64.rpm"]);
    const items = evaluateChannels(GOOD);
    assert.deepEqual(
      items.map((i) => [i.id, i.status]),
      [
        ["channel:packages", "pass"],
        ["channel:installScript", "pass"],
        ["channel:homebrew", "pass"],
        ["channel:scoop", "pass"],
      ],
    );
  });

  const deb = "hello_1.4.0_linux_amd64.deb";
  const without = (name: string) => Object.fromEntries(Object.entries(FILES).filter(([n]) => n !== name));
  const withoutDeb = without(deb);
  const sumsWithoutDeb = without(deb);
  const withoutArchive = without(plan.assets.archives[0]!.name);
  const otherArchive = { ...FILES, [plan.assets.archives[0]!.name]: "e".repeat(64) };
  const cases: [string, Partial<ChannelVerifyInput>, Partial<Record<"homebrew" | "scoop", TapObservation>> | undefined, string[]][] = [
    ["a package missing from the release", { files: withoutDeb }, undefined, [`channel:packages fail: ${deb} is not in the release`]],
    ["a package not in the checksums", { sums: sumsWithoutDeb }, undefined, [`channel:packages fail: ${deb} is not listed in SHA256SUMS`]],
    [
      "a package whose listed sha256 differs",
      { sums: { ...FILES, [deb]: "0".repeat(64) } },
      undefined,
      [`channel:packages fail: ${deb} has sha256 ${FILES[deb]}, SHA256SUMS lists ${"0".repeat(64)}`],
    ],
    [
      "install.sh absent",
      { files: { ...FILES, "install.sh": undefined as never } },
      undefined,
      ["channel:installScript fail: install.sh is not in the release"],
    ],
    [
      "a formula with another archive's sha256",
      { files: otherArchive, sums: otherArchive },
      { scoop: { commit: "c2", committed: renderScoopManifest(plan, channels.scoop!, url, otherArchive) } },
      [
        `channel:homebrew fail: sha256 ${FILES[plan.assets.archives[0]!.name]} in ${homebrewPath(plan, channels.homebrew!)} is not a published archive's`,
      ],
    ],
    ["a tap without the formula", {}, { homebrew: { commit: "c1" } }, [`channel:homebrew fail: branch main holds no Formula/hello.rb`]],
    [
      "a manifest edited by hand",
      {},
      { scoop: { commit: "c2", committed: manifest.replace("1.4.0", "1.4.1") } },
      [`channel:scoop fail: ${scoopPath(plan, channels.scoop!)} at commit c2 differs from the one rendered for 1.4.0`],
    ],
    [
      "an unreadable tap",
      {},
      { scoop: { notCheckable: "not a repository" } },
      ["channel:scoop fail: cannot be checked: not a repository; --allow-unchecked scoop accepts that"],
    ],
    [
      "an unreadable tap allowed to go unchecked",
      { allowUnchecked: ["scoop"] },
      { scoop: { notCheckable: "not a repository" } },
      ["channel:scoop skip: not checked (--allow-unchecked scoop): not a repository"],
    ],
  ];
  for (const [name, change, taps, expected] of cases) {
    it(`fails naming the channel: ${name}`, () => {
      assert.deepEqual(failures({ ...GOOD, ...change, taps: { ...GOOD.taps, ...taps } }), expected);
    });
  }

  const more: [string, Partial<ChannelVerifyInput>, Partial<Record<"homebrew" | "scoop", TapObservation>> | undefined, string[]][] = [
    [
      "no checksums file at all, and a package missing too",
      { sums: undefined, files: withoutDeb },
      undefined,
      [
        `channel:packages fail: ${deb} is not in the release; hello_1.4.0_linux_amd64.rpm is not listed in SHA256SUMS`,
        "channel:installScript fail: install.sh is not listed in SHA256SUMS",
      ],
    ],
    [
      "a tap that was not read",
      {},
      { homebrew: undefined },
      ["channel:homebrew fail: cannot be checked: the tap was not read; --allow-unchecked homebrew accepts that"],
    ],
    [
      "a hand-edited manifest at an unknown commit",
      {},
      { scoop: { committed: manifest.replace("1.4.0", "1.4.1") } },
      [`channel:scoop fail: ${scoopPath(plan, channels.scoop!)} at commit (unknown) differs from the one rendered for 1.4.0`],
    ],
  ];
  for (const [name, change, taps, expected] of more) {
    it(`fails naming the channel: ${name}`, () => {
      assert.deepEqual(failures({ ...GOOD, ...change, taps: { ...GOOD.taps, ...taps } }), expected);
    });
  }

  it("every case's whole checklist: titles and details (golden)", () => {
    const all: [string, ChannelVerifyInput][] = [
      ["a complete release", GOOD],
      [
        "a complete release, taps read at unknown commits",
        { ...GOOD, taps: { homebrew: { committed: formula }, scoop: { committed: manifest } } },
      ],
      ...[...cases, ...more].map(([name, change, taps]): [string, ChannelVerifyInput] => [
        name,
        { ...GOOD, ...change, taps: { ...GOOD.taps, ...taps } },
      ]),
    ];
    assertGolden(
      "verify-channels.txt",
      all.map(([name, input]) => `## ${name}\n${renderChecklist(plan.version, evaluateChannels(input))}`).join("\n"),
    );
  });

  it("a release without the archive a formula points to fails that tap", () => {
    const result = failures({ ...GOOD, files: withoutArchive, sums: withoutArchive });
    assert.equal(result.length, 1, "the scoop manifest points to the windows archive only");
    assert.match(result[0] ?? "", /^channel:homebrew fail: the release lacks an archive the homebrew file points to \(no sha256 for /);
  });

  it("checks nothing for a stack without channels", () => {
    const none = { ...channels, packages: undefined, homebrew: undefined, scoop: undefined, installScript: false };
    assert.deepEqual(evaluateChannels({ ...GOOD, channels: none }), []);
  });
});
