import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IgnoreRule, PlatformMatrix, expandMatrix, expandTargets, platformId, unsupportedReason } from "../../plan/goreleaserPlatforms";

const FIRST_CLASS = [
  "darwin/amd64",
  "darwin/arm64",
  "linux/386",
  "linux/amd64",
  "linux/arm/v6",
  "linux/arm64",
  "windows/386",
  "windows/amd64",
  "windows/arm64",
];

describe("unsupportedReason", () => {
  const rows: [string, string, string | undefined][] = [
    ["linux", "amd64", undefined],
    ["linux", "arm", undefined],
    ["plan9", "arm", undefined],
    ["darwin", "arm", "darwin/arm is not a Go 1.26 platform"],
    ["windows", "arm", "windows/arm is not a Go 1.26 platform"],
    ["darwin", "386", "darwin/386 is not a Go 1.26 platform"],
    ["android", "386", "android/386 needs cgo; slipway builds with cgo off"],
    ["android", "amd64", "android/amd64 needs cgo; slipway builds with cgo off"],
    ["android", "arm", "android/arm needs cgo; slipway builds with cgo off"],
    ["android", "arm64", "android/arm64 needs cgo; slipway builds with cgo off"],
    ["ios", "amd64", "ios/amd64 needs cgo; slipway builds with cgo off"],
    ["ios", "arm64", "ios/arm64 needs cgo; slipway builds with cgo off"],
    ["android", "mips", "android/mips is not a Go 1.26 platform"],
    ["plan9", "arm64", "plan9/arm64 is not a Go 1.26 platform"],
  ];
  for (const [os, arch, want] of rows) it(`${os}/${arch}: ${String(want)}`, () => assert.equal(unsupportedReason(os, arch), want));
});

describe("platformId", () => {
  it("32-bit arm takes its GOARM level; other arches ignore it", () => {
    assert.equal(platformId("linux", "arm", "7"), "linux/arm/v7");
    assert.equal(platformId("linux", "amd64", "7"), "linux/amd64");
  });
});

interface MatrixRow {
  readonly name: string;
  readonly goos: string[];
  readonly goarch: string[];
  readonly goarm: string[];
  readonly ignore?: IgnoreRule[];
  readonly want: PlatformMatrix;
}

describe("expandMatrix", () => {
  const rows: MatrixRow[] = [
    {
      name: "goarm applies to arm only: an empty goarm still builds the other arches",
      goos: ["linux"],
      goarch: ["amd64", "arm"],
      goarm: [],
      want: { platforms: ["linux/amd64"], dropped: [] },
    },
    {
      name: "a target listed twice is built once",
      goos: ["linux", "linux"],
      goarch: ["amd64", "arm"],
      goarm: ["7", "7"],
      want: { platforms: ["linux/amd64", "linux/arm/v7"], dropped: [] },
    },
    {
      name: "an unsupported os/arch is reported once, whatever its GOARM levels",
      goos: ["darwin", "windows"],
      goarch: ["arm"],
      goarm: ["6", "7"],
      want: {
        platforms: [],
        dropped: [
          { target: "darwin/arm", note: "darwin/arm is not a Go 1.26 platform; dropped", invalid: false },
          { target: "windows/arm", note: "windows/arm is not a Go 1.26 platform; dropped", invalid: false },
        ],
      },
    },
    {
      name: "GoReleaser's pairs slipway cannot build are dropped with the reason; non-Go pairs are invalid",
      goos: ["android", "ios", "darwin", "plan9"],
      goarch: ["386", "amd64", "arm64"],
      goarm: [],
      want: {
        platforms: ["darwin/amd64", "darwin/arm64", "plan9/386", "plan9/amd64"],
        dropped: [
          { target: "android/386", note: "android/386 needs cgo; slipway builds with cgo off; dropped", invalid: false },
          { target: "android/amd64", note: "android/amd64 needs cgo; slipway builds with cgo off; dropped", invalid: false },
          { target: "android/arm64", note: "android/arm64 needs cgo; slipway builds with cgo off; dropped", invalid: false },
          { target: "ios/386", note: "ios/386 is not a Go platform; GoReleaser skips it too", invalid: true },
          { target: "ios/amd64", note: "ios/amd64 needs cgo; slipway builds with cgo off; dropped", invalid: false },
          { target: "ios/arm64", note: "ios/arm64 needs cgo; slipway builds with cgo off; dropped", invalid: false },
          { target: "darwin/386", note: "darwin/386 is not a Go 1.26 platform; dropped", invalid: false },
          { target: "plan9/arm64", note: "plan9/arm64 is not a Go platform; GoReleaser skips it too", invalid: true },
        ],
      },
    },
    {
      name: "android/arm needs cgo",
      goos: ["android"],
      goarch: ["arm"],
      goarm: ["7"],
      want: {
        platforms: [],
        dropped: [{ target: "android/arm", note: "android/arm needs cgo; slipway builds with cgo off; dropped", invalid: false }],
      },
    },
    {
      name: "a GOARM level other than 5, 6, 7 is dropped per level",
      goos: ["linux"],
      goarch: ["arm"],
      goarm: ["5", "8"],
      want: {
        platforms: ["linux/arm/v5"],
        dropped: [{ target: "linux/arm/v8", note: "GOARM=8 is not one of 5, 6, 7; dropped", invalid: false }],
      },
    },
    {
      name: "an ignore rule with only goos drops every target of that os",
      goos: ["linux", "windows"],
      goarch: ["amd64", "arm"],
      goarm: ["7"],
      ignore: [{ goos: "windows" }],
      want: { platforms: ["linux/amd64", "linux/arm/v7"], dropped: [] },
    },
    {
      name: "an ignore rule with goarm drops that arm level only",
      goos: ["linux"],
      goarch: ["amd64", "arm"],
      goarm: ["6", "7"],
      ignore: [{ goarm: "6" }],
      want: { platforms: ["linux/amd64", "linux/arm/v7"], dropped: [] },
    },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(expandMatrix(row.goos, row.goarch, row.goarm, row.ignore ?? []), row.want));
});

describe("expandTargets", () => {
  const rows: [string, string[], PlatformMatrix][] = [
    ["go_first_class is Go's first-class ports", ["go_first_class"], { platforms: FIRST_CLASS, dropped: [] }],
    ["go_118_first_class is the same list", ["go_118_first_class"], { platforms: FIRST_CLASS, dropped: [] }],
    [
      "first-class ports already listed are not repeated",
      ["linux_arm64", "go_first_class", "linux_amd64"],
      { platforms: ["linux/arm64", ...FIRST_CLASS.filter((id) => id !== "linux/arm64")], dropped: [] },
    ],
    ["a target without a variant", ["linux_amd64", "darwin_arm64"], { platforms: ["linux/amd64", "darwin/arm64"], dropped: [] }],
    ["arm without a level is GOARM 6", ["linux_arm"], { platforms: ["linux/arm/v6"], dropped: [] }],
    ["arm with a level", ["linux_arm_5"], { platforms: ["linux/arm/v5"], dropped: [] }],
    [
      "arm with an unknown level",
      ["linux_arm_9"],
      { platforms: [], dropped: [{ target: "linux/arm/v9", note: "GOARM=9 is not one of 5, 6, 7; dropped", invalid: false }] },
    ],
    [
      "Go's default variant of each arch is accepted",
      [
        "linux_amd64_v1",
        "linux_arm64_v8.0",
        "linux_386_sse2",
        "linux_mips_hardfloat",
        "linux_mipsle_hardfloat",
        "linux_mips64_hardfloat",
        "linux_mips64le_hardfloat",
        "linux_ppc64_power8",
        "linux_ppc64le_power8",
        "linux_riscv64_rva20u64",
      ],
      {
        platforms: [
          "linux/amd64",
          "linux/arm64",
          "linux/386",
          "linux/mips",
          "linux/mipsle",
          "linux/mips64",
          "linux/mips64le",
          "linux/ppc64",
          "linux/ppc64le",
          "linux/riscv64",
        ],
        dropped: [],
      },
    ],
    [
      "another variant is dropped, naming Go's default",
      ["linux_mips_softfloat", "linux_s390x_z15"],
      {
        platforms: [],
        dropped: [
          {
            target: "linux_mips_softfloat",
            note: "mips variant softfloat: slipway builds with Go's default (hardfloat); dropped",
            invalid: false,
          },
          { target: "linux_s390x_z15", note: "s390x variant z15: slipway builds with Go's default (none); dropped", invalid: false },
        ],
      },
    ],
    [
      "a target without an arch is not a Go platform",
      ["linux"],
      { platforms: [], dropped: [{ target: "linux/", note: "linux/ is not a Go platform; GoReleaser skips it too", invalid: true }] },
    ],
    [
      "a target GoReleaser builds but slipway cannot",
      ["android_arm64"],
      {
        platforms: [],
        dropped: [{ target: "android/arm64", note: "android/arm64 needs cgo; slipway builds with cgo off; dropped", invalid: false }],
      },
    ],
  ];
  for (const [name, targets, want] of rows) it(name, () => assert.deepEqual(expandTargets(targets), want));
});
