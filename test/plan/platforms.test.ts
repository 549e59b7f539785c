import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { SlipwayInputError } from "../../plan/errors";
import {
  DEFAULT_ASSET_PLATFORMS,
  DEFAULT_IMAGE_PLATFORMS,
  GO_PLATFORMS,
  KNOWN_PLATFORMS,
  contextDirectory,
  parsePlatform,
  parsePlatforms,
} from "../../plan/platforms";

function refuses(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof SlipwayInputError, String(error));
    assert.equal(error.message, message);
    return true;
  });
}

const UNKNOWN_FIX = "fix: use os/arch from go tool dist list (cgo off), or os/arm/v5|v6|v7; e.g. linux/amd64, linux/arm/v7, openbsd/amd64";

describe("KNOWN_PLATFORMS", () => {
  it("is what the installed Go toolchain lists: no android, ios or bare arm; arm with v5, v6, v7 per os", () => {
    const dist = execFileSync("go", ["tool", "dist", "list"], { encoding: "utf8", env: { ...process.env, GOTOOLCHAIN: "local" } })
      .trim()
      .split("\n");
    const pairs = dist.filter((id) => !id.startsWith("android/") && !id.startsWith("ios/") && !id.endsWith("/arm"));
    const armOs = dist
      .filter((id) => id.endsWith("/arm") && !id.startsWith("android/") && !id.startsWith("ios/"))
      .map((id) => id.split("/")[0]);
    const expected = [...pairs, ...armOs.flatMap((os) => ["5", "6", "7"].map((v) => `${os}/arm/v${v}`))].sort();
    assert.deepEqual(KNOWN_PLATFORMS, expected);
  });

  it("holds exactly the GO_PLATFORMS pairs and 15 arm ids, sorted, without duplicates", () => {
    assert.equal(GO_PLATFORMS.length, 36);
    assert.equal(KNOWN_PLATFORMS.length, 36 + 15);
    assert.deepEqual([...KNOWN_PLATFORMS], [...new Set(KNOWN_PLATFORMS)].sort());
  });

  it("contains the defaults", () => {
    assert.deepEqual(DEFAULT_ASSET_PLATFORMS, [
      "linux/amd64",
      "linux/arm64",
      "darwin/amd64",
      "darwin/arm64",
      "windows/amd64",
      "windows/arm64",
    ]);
    assert.deepEqual(DEFAULT_IMAGE_PLATFORMS, ["linux/amd64", "linux/arm64"]);
  });
});

describe("parsePlatform", () => {
  for (const id of GO_PLATFORMS) {
    it(`parses ${id}`, () => {
      const [os, arch] = id.split("/");
      assert.deepEqual(parsePlatform(id, "platforms[0]"), { id, os, arch, arm: undefined });
    });
  }

  for (const [id, os, arm] of [
    ["linux/arm/v5", "linux", "5"],
    ["linux/arm/v6", "linux", "6"],
    ["linux/arm/v7", "linux", "7"],
    ["freebsd/arm/v7", "freebsd", "7"],
    ["netbsd/arm/v6", "netbsd", "6"],
    ["openbsd/arm/v5", "openbsd", "5"],
    ["plan9/arm/v7", "plan9", "7"],
  ] as const) {
    it(`parses ${id} with GOARM ${arm}`, () => {
      assert.deepEqual(parsePlatform(id, "platforms[0]"), { id, os, arch: "arm", arm });
    });
  }

  for (const os of ["linux", "freebsd", "netbsd", "openbsd", "plan9"]) {
    it(`asks for the GOARM level of ${os}/arm`, () => {
      refuses(
        () => parsePlatform(`${os}/arm`, "platforms[2]"),
        `slipway:platforms[2] = "${os}/arm": 32-bit arm needs its GOARM level; fix: use ${os}/arm/v6 or ${os}/arm/v7`,
      );
    });
  }

  const unknown: unknown[] = [
    "linux/mips/v7",
    "linux/arm/v8",
    "linux/arm/7",
    "linux/arm64/v8",
    "darwin/arm",
    "windows/arm",
    "android/arm",
    "android/arm64",
    "android/amd64",
    "ios/arm64",
    "ios/amd64",
    "linux/ARM64",
    "Linux/amd64",
    "linux",
    "linux/",
    "/amd64",
    " linux/amd64",
    "linux/amd64 ",
    "",
    "linux_amd64",
    42,
    null,
    undefined,
  ];
  for (const text of unknown) {
    it(`refuses ${JSON.stringify(text) ?? "undefined"} as unknown`, () => {
      const shown = text === undefined ? "(unset)" : JSON.stringify(text);
      refuses(() => parsePlatform(text, "imagePlatforms[1]"), `slipway:imagePlatforms[1] = ${shown}: unknown platform; ${UNKNOWN_FIX}`);
    });
  }
});

describe("parsePlatforms", () => {
  it("keeps the user's order", () => {
    assert.deepEqual(
      parsePlatforms(["windows/amd64", "linux/arm/v7", "aix/ppc64"], "platforms").map((p) => [p.id, p.os, p.arch, p.arm]),
      [
        ["windows/amd64", "windows", "amd64", undefined],
        ["linux/arm/v7", "linux", "arm", "7"],
        ["aix/ppc64", "aix", "ppc64", undefined],
      ],
    );
  });

  it("allows two GOARM levels of one os", () => {
    assert.deepEqual(
      parsePlatforms(["linux/arm/v6", "linux/arm/v7"], "platforms").map((p) => p.arm),
      ["6", "7"],
    );
  });

  it("refuses an empty list, a duplicate and a bad entry, naming the index", () => {
    refuses(
      () => parsePlatforms([], "builds[1].platforms"),
      "slipway:builds[1].platforms = []: no platforms listed; fix: list at least one os/arch, e.g. linux/amd64",
    );
    refuses(
      () => parsePlatforms(["linux/amd64", "linux/arm64", "linux/amd64"], "platforms"),
      'slipway:platforms[2] = "linux/amd64": listed twice; fix: list each platform once',
    );
    refuses(
      () => parsePlatforms(["linux/amd64", "linux/mips/v5"], "platforms"),
      `slipway:platforms[1] = "linux/mips/v5": unknown platform; ${UNKNOWN_FIX}`,
    );
  });
});

describe("contextDirectory", () => {
  const rows: [Parameters<typeof contextDirectory>[0], string][] = [
    [{ os: "linux", arch: "amd64" }, "linux_amd64"],
    [{ os: "linux", arch: "amd64", arm: undefined }, "linux_amd64"],
    [{ os: "linux", arch: "arm", arm: "7" }, "linux_armv7"],
    [{ os: "freebsd", arch: "arm", arm: "5" }, "freebsd_armv5"],
    [{ os: "windows", arch: "arm64" }, "windows_arm64"],
  ];
  for (const [target, expected] of rows) {
    it(`${JSON.stringify(target)} → ${expected}`, () => assert.equal(contextDirectory(target), expected));
  }

  it("agrees with parsePlatform for every known platform", () => {
    for (const id of KNOWN_PLATFORMS)
      assert.equal(contextDirectory(parsePlatform(id, "p")), id.replace("/arm/v", "_armv").replace("/", "_"));
  });
});
