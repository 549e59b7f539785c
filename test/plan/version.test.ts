import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SlipwayInputError } from "../../plan/errors";
import { compareVersions, parseVersion, releaseTag, sameRelease } from "../../plan/version";

const FIX = "fix: use MAJOR.MINOR.PATCH with an optional -PRERELEASE and +BUILD, e.g. 1.4.0 or v1.5.0-rc.1";

describe("parseVersion", () => {
  const parsed = [
    { raw: "1.4.0", version: "1.4.0", parts: [1, 4, 0], prerelease: [], build: [], isPrerelease: false },
    { raw: "v2.10.3", version: "2.10.3", parts: [2, 10, 3], prerelease: [], build: [], isPrerelease: false },
    { raw: "v1.5.0-rc.1", version: "1.5.0-rc.1", parts: [1, 5, 0], prerelease: ["rc", 1], build: [], isPrerelease: true },
    { raw: "1.4.0+build.7", version: "1.4.0", parts: [1, 4, 0], prerelease: [], build: ["build", "7"], isPrerelease: false },
    {
      raw: "0.0.1-beta+exp.sha.5114f85",
      version: "0.0.1-beta",
      parts: [0, 0, 1],
      prerelease: ["beta"],
      build: ["exp", "sha", "5114f85"],
      isPrerelease: true,
    },
  ];
  for (const c of parsed) {
    it(`${c.raw} parses to ${c.version} with prerelease ${JSON.stringify(c.prerelease)} and build ${JSON.stringify(c.build)}`, () => {
      const [major, minor, patch] = c.parts;
      assert.deepEqual(parseVersion(c.raw), {
        raw: c.raw,
        version: c.version,
        major,
        minor,
        patch,
        prerelease: c.prerelease,
        build: c.build,
        isPrerelease: c.isPrerelease,
      });
    });
  }

  const refused: { raw: unknown; problem: string }[] = [
    { raw: "", problem: "a release version is required" },
    { raw: undefined, problem: "a release version is required" },
    { raw: 42, problem: "a release version is required" },
    { raw: " 1.4.0", problem: "not a semantic version" },
    { raw: "1.4.0 ", problem: "not a semantic version" },
    { raw: "01.4.0", problem: "not a semantic version" },
    { raw: "1.4", problem: "not a semantic version" },
    { raw: "V1.4.0", problem: "not a semantic version" },
    { raw: "=1.4.0", problem: "not a semantic version" },
    { raw: "vv1.4.0", problem: "not a semantic version" },
  ];
  for (const c of refused) {
    it(`refuses ${JSON.stringify(c.raw) ?? "undefined"}: ${c.problem}`, () => {
      assert.throws(
        () => parseVersion(c.raw as string),
        (error: unknown) => {
          assert.ok(error instanceof SlipwayInputError, String(error));
          const shown = c.raw === undefined ? "(unset)" : JSON.stringify(c.raw);
          assert.equal(error.message, `slipway:version = ${shown}: ${c.problem}; ${FIX}`);
          return true;
        },
      );
    });
  }

  it("names the setting it was given", () => {
    assert.throws(() => parseVersion("1.4", "published[2]"), { message: `slipway:published[2] = "1.4": not a semantic version; ${FIX}` });
  });
});

describe("compareVersions and sameRelease", () => {
  const cases = [
    { a: "1.4.0", b: "1.4.0+build.7", order: 0 },
    { a: "v1.4.0", b: "1.4.0", order: 0 },
    { a: "1.4.0", b: "1.4.1", order: -1 },
    { a: "1.5.0-rc.1", b: "1.5.0", order: -1 },
    { a: "2.0.0", b: "1.99.99", order: 1 },
  ];
  for (const c of cases) {
    it(`${c.a} vs ${c.b}: ${c.order}`, () => {
      assert.equal(compareVersions(parseVersion(c.a), parseVersion(c.b)), c.order);
      assert.equal(compareVersions(parseVersion(c.b), parseVersion(c.a)), 0 - c.order || 0);
      assert.equal(sameRelease(parseVersion(c.a), parseVersion(c.b)), c.order === 0);
    });
  }
});

describe("releaseTag", () => {
  it("is v<version>", () => {
    assert.equal(releaseTag("1.4.0"), "v1.4.0");
    assert.equal(releaseTag("1.5.0-rc.1"), "v1.5.0-rc.1");
  });
});
