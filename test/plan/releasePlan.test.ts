import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SlipwayInputError } from "../../plan/errors";
import { ReleaseInput, planRelease } from "../../plan/releasePlan";
import { COMMIT, OTHER_COMMIT, releaseInput } from "../support/release";

describe("assets", () => {
  it("names a binary and an archive per default platform; windows gets .exe and .zip", () => {
    const plan = planRelease(releaseInput());
    assert.deepEqual(
      plan.assets.binaries.map((b) => [b.platform, b.file, b.executable, b.published]),
      [
        ["linux/amd64", "hello_1.4.0_linux_amd64", "hello", true],
        ["linux/arm64", "hello_1.4.0_linux_arm64", "hello", true],
        ["darwin/amd64", "hello_1.4.0_darwin_amd64", "hello", true],
        ["darwin/arm64", "hello_1.4.0_darwin_arm64", "hello", true],
        ["windows/amd64", "hello_1.4.0_windows_amd64.exe", "hello.exe", true],
        ["windows/arm64", "hello_1.4.0_windows_arm64.exe", "hello.exe", true],
      ],
    );
    assert.deepEqual(
      plan.assets.archives.map((a) => [a.platform, a.name, a.format, a.binaries]),
      [
        ["linux/amd64", "hello_1.4.0_linux_amd64.tar.gz", "tar.gz", ["hello_1.4.0_linux_amd64"]],
        ["linux/arm64", "hello_1.4.0_linux_arm64.tar.gz", "tar.gz", ["hello_1.4.0_linux_arm64"]],
        ["darwin/amd64", "hello_1.4.0_darwin_amd64.tar.gz", "tar.gz", ["hello_1.4.0_darwin_amd64"]],
        ["darwin/arm64", "hello_1.4.0_darwin_arm64.tar.gz", "tar.gz", ["hello_1.4.0_darwin_arm64"]],
        ["windows/amd64", "hello_1.4.0_windows_amd64.zip", "zip", ["hello_1.4.0_windows_amd64.exe"]],
        ["windows/arm64", "hello_1.4.0_windows_arm64.zip", "zip", ["hello_1.4.0_windows_arm64.exe"]],
      ],
    );
  });

  it("orders SHA256SUMS lines by byte order of the asset names", () => {
    const plan = planRelease(releaseInput({ platforms: ["windows/amd64", "linux/amd64", "darwin/arm64"], archives: "none" }));
    assert.deepEqual(plan.assets.checksums, {
      file: "SHA256SUMS",
      order: ["hello_1.4.0_darwin_arm64", "hello_1.4.0_linux_amd64", "hello_1.4.0_windows_amd64.exe"],
    });
    assert.deepEqual(plan.assets.archives, []);
  });

  it("uses the version without v and without build metadata in names", () => {
    const plan = planRelease(releaseInput({ version: "v2.0.0-rc.1+build.3", platforms: ["linux/amd64"], imagePlatforms: ["linux/amd64"] }));
    assert.equal(plan.assets.binaries[0]?.file, "hello_2.0.0-rc.1_linux_amd64");
  });
});

describe("image metadata", () => {
  it("labels come from the version, the commit and its time; SOURCE_DATE_EPOCH is the commit time", () => {
    const plan = planRelease(
      releaseInput({
        commitTime: "2026-11-20T11:30:00+01:30",
        source: "https://github.com/acme/hello",
        licenses: "Apache-2.0",
        description: "says hello",
      }),
    );
    assert.deepEqual(plan.labels, {
      "org.opencontainers.image.created": "2026-11-20T10:00:00Z",
      "org.opencontainers.image.description": "says hello",
      "org.opencontainers.image.licenses": "Apache-2.0",
      "org.opencontainers.image.revision": COMMIT,
      "org.opencontainers.image.source": "https://github.com/acme/hello",
      "org.opencontainers.image.title": "hello",
      "org.opencontainers.image.version": "1.4.0",
    });
    assert.deepEqual(plan.image, {
      platforms: ["linux/amd64", "linux/arm64"],
      build: "hello",
      executable: "hello",
      buildArgs: { COMMIT, SOURCE_DATE_EPOCH: "1795168800", VERSION: "1.4.0" },
    });
    assert.equal(plan.commit.sourceDateEpoch, Date.UTC(2026, 10, 20, 10, 0, 0) / 1000);
  });

  it("leaves out labels that are not configured rather than inventing values", () => {
    const plan = planRelease(releaseInput());
    assert.deepEqual(Object.keys(plan.labels).sort(), [
      "org.opencontainers.image.created",
      "org.opencontainers.image.revision",
      "org.opencontainers.image.title",
      "org.opencontainers.image.version",
    ]);
  });

  it("normalises an upper-case commit and cuts fractional seconds", () => {
    const plan = planRelease(releaseInput({ commit: COMMIT.toUpperCase(), commitTime: "2026-11-20T10:00:00.999Z" }));
    assert.equal(plan.commit.sha, COMMIT);
    assert.equal(plan.commit.time, "2026-11-20T10:00:00Z");
  });
});

interface BadInputCase {
  readonly title: string;
  readonly input: Partial<ReleaseInput>;
  readonly message: string;
}

const BAD_INPUT: readonly BadInputCase[] = [
  {
    title: "two-part version",
    input: { version: "1.4" },
    message:
      'slipway:version = "1.4": not a semantic version; fix: use MAJOR.MINOR.PATCH with an optional -PRERELEASE and +BUILD, e.g. 1.4.0 or v1.5.0-rc.1',
  },
  {
    title: "leading zero",
    input: { version: "01.4.0" },
    message:
      'slipway:version = "01.4.0": not a semantic version; fix: use MAJOR.MINOR.PATCH with an optional -PRERELEASE and +BUILD, e.g. 1.4.0 or v1.5.0-rc.1',
  },
  {
    title: "spaces around the version",
    input: { version: " 1.4.0" },
    message:
      'slipway:version = " 1.4.0": not a semantic version; fix: use MAJOR.MINOR.PATCH with an optional -PRERELEASE and +BUILD, e.g. 1.4.0 or v1.5.0-rc.1',
  },
  {
    title: "capital V",
    input: { version: "V1.4.0" },
    message:
      'slipway:version = "V1.4.0": not a semantic version; fix: use MAJOR.MINOR.PATCH with an optional -PRERELEASE and +BUILD, e.g. 1.4.0 or v1.5.0-rc.1',
  },
  {
    title: "short commit",
    input: { commit: "5a8b7c3" },
    message: 'slipway:commit = "5a8b7c3": not a full commit sha (40 hex digits); fix: give the full sha, e.g. from git rev-parse HEAD',
  },
  {
    title: "commit time without a zone",
    input: { commitTime: "2026-11-20T10:00:00" },
    message:
      'slipway:commitTime = "2026-11-20T10:00:00": not an ISO 8601 time with a zone; fix: give an ISO 8601 time with a zone, e.g. 2026-11-20T10:00:00Z (git show -s --format=%cI <commit>)',
  },
  {
    title: "commit time on February 30th",
    input: { commitTime: "2026-02-30T10:00:00Z" },
    message:
      'slipway:commitTime = "2026-02-30T10:00:00Z": not a real calendar time; fix: give an ISO 8601 time with a zone, e.g. 2026-11-20T10:00:00Z (git show -s --format=%cI <commit>)',
  },
  {
    title: "unknown platform",
    input: { platforms: ["linux/amd64", "linux/sparc"] },
    message:
      'slipway:platforms[1] = "linux/sparc": unknown platform; fix: use os/arch from go tool dist list (cgo off), or os/arm/v5|v6|v7; e.g. linux/amd64, linux/arm/v7, openbsd/amd64',
  },
  {
    title: "32-bit arm without its GOARM level",
    input: { platforms: ["linux/arm"] },
    message: 'slipway:platforms[0] = "linux/arm": 32-bit arm needs its GOARM level; fix: use linux/arm/v6 or linux/arm/v7',
  },
  {
    title: "an arm level Go does not have",
    input: { platforms: ["linux/arm/v8"] },
    message:
      'slipway:platforms[0] = "linux/arm/v8": unknown platform; fix: use os/arch from go tool dist list (cgo off), or os/arm/v5|v6|v7; e.g. linux/amd64, linux/arm/v7, openbsd/amd64',
  },
  {
    title: "a cgo-only platform",
    input: { platforms: ["android/arm64"] },
    message:
      'slipway:platforms[0] = "android/arm64": unknown platform; fix: use os/arch from go tool dist list (cgo off), or os/arm/v5|v6|v7; e.g. linux/amd64, linux/arm/v7, openbsd/amd64',
  },
  {
    title: "platform listed twice",
    input: { platforms: ["linux/amd64", "linux/amd64"] },
    message: 'slipway:platforms[1] = "linux/amd64": listed twice; fix: list each platform once',
  },
  {
    title: "no platforms",
    input: { platforms: [] },
    message: "slipway:platforms = []: no platforms listed; fix: list at least one os/arch, e.g. linux/amd64",
  },
  {
    title: "image platform without a binary",
    input: { platforms: ["linux/amd64"], imagePlatforms: ["linux/amd64", "linux/arm64"] },
    message:
      'slipway:imagePlatforms[1] = "linux/arm64": images are built from the release binaries, but the hello build has no binary for this platform; fix: add linux/arm64 to that build\'s platforms, or drop it from imagePlatforms',
  },
  {
    title: "windows image",
    input: { imagePlatforms: ["windows/amd64"] },
    message: 'slipway:imagePlatforms[0] = "windows/amd64": images run on linux only; fix: list linux/<arch> platforms',
  },
  {
    title: "unknown placeholder",
    input: { tagTemplates: ["v{{ver}}"] },
    message:
      'slipway:tagTemplates[0] = "v{{ver}}": unknown placeholder {{ver}}; fix: use text and the placeholders {{version}}, {{major}}, {{minor}}, {{patch}}, {{raw}}, {{sha}}, e.g. v{{major}}.{{minor}}',
  },
  {
    title: "unbalanced braces",
    input: { tagTemplates: ["v{{version}"] },
    message:
      'slipway:tagTemplates[0] = "v{{version}": unbalanced braces; fix: use text and the placeholders {{version}}, {{major}}, {{minor}}, {{patch}}, {{raw}}, {{sha}}, e.g. v{{major}}.{{minor}}',
  },
  {
    title: "tag starting with a dash",
    input: { tagTemplates: ["-{{version}}"] },
    message:
      'slipway:tagTemplates[0] = "-{{version}}": renders as "-1.4.0" for 1.4.0, which is not a valid OCI tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}); fix: start the template with a letter, digit or _ and keep the tag within 128 characters',
  },
  {
    title: "no templates",
    input: { tagTemplates: [] },
    message: "slipway:tagTemplates = []: no tag templates; fix: list at least one, e.g. v{{version}}",
  },
  {
    title: "unknown archive format",
    input: { archives: "7z" },
    message: 'slipway:archives = "7z": unknown archive format; fix: use one of tar.gz, tar.xz, zip, none',
  },
  {
    title: "program name with a slash",
    input: { name: "acme/hello" },
    message: `slipway:name = "acme/hello": not a usable program name; fix: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. hello`,
  },
  {
    title: "http source URL",
    input: { source: "http://github.com/acme/hello" },
    message:
      'slipway:source = "http://github.com/acme/hello": not an https URL of the source repository; fix: e.g. https://github.com/acme/hello',
  },
  {
    title: "published version that is not semver",
    input: { published: ["1.3.0@" + COMMIT, "latest"] },
    message:
      'slipway:published[1] = "latest": not a semantic version; fix: use MAJOR.MINOR.PATCH with an optional -PRERELEASE and +BUILD, e.g. 1.4.0 or v1.5.0-rc.1',
  },
  {
    title: "published twice with different commits",
    input: { published: [`1.3.0@${COMMIT}`, `v1.3.0@${"f".repeat(40)}`] },
    message: `slipway:published[1] = "v1.3.0@${"f".repeat(40)}": 1.3.0 is listed twice with different commits; fix: keep the one entry that matches what was published`,
  },
  {
    title: "mutant 'a version without a commit and with one accepted together': 1.3.0 then 1.3.0@sha",
    input: { published: ["1.3.0", `1.3.0@${COMMIT}`] },
    message: `slipway:published[1] = "1.3.0@${COMMIT}": 1.3.0 is listed twice with different commits; fix: keep the one entry that matches what was published`,
  },
  {
    title: "mutant 'a version without a commit and with one accepted together': 1.3.0@sha then 1.3.0",
    input: { published: [`1.3.0@${COMMIT}`, "v1.3.0"] },
    message: `slipway:published[1] = "v1.3.0": 1.3.0 is listed twice with different commits; fix: keep the one entry that matches what was published`,
  },
  {
    title: "published as objects, twice with different commits",
    input: {
      published: [
        { version: "1.3.0", commit: COMMIT },
        { version: "1.3.0", commit: OTHER_COMMIT },
      ],
    },
    message: `slipway:published[1] = {"version":"1.3.0","commit":"${OTHER_COMMIT}"}: 1.3.0 is listed twice with different commits; fix: keep the one entry that matches what was published`,
  },
  {
    title: "a published entry that is only @<commit>",
    input: { published: [`@${COMMIT}`] },
    message:
      'slipway:published[0] = "": a release version is required; fix: use MAJOR.MINOR.PATCH with an optional -PRERELEASE and +BUILD, e.g. 1.4.0 or v1.5.0-rc.1',
  },
  {
    title: "this version already published with no commit recorded",
    input: { published: ["v1.4.0"] },
    message:
      'slipway:published = "v1.4.0": 1.4.0 is already published, but with no commit recorded, so a re-release cannot be checked; fix: record it as 1.4.0@<commit sha>, or release a new version',
  },
  {
    title: "this version already published from another commit",
    input: { published: [{ version: "1.4.0", commit: OTHER_COMMIT }] },
    message: `slipway:commit = "${COMMIT}": 1.4.0 is already published from commit 0123456789ab; published versions are never rewritten; fix: release a new version, or build 1.4.0 from ${OTHER_COMMIT}`,
  },
  {
    title: "an unknown image platform",
    input: { imagePlatforms: ["linux/amd64", "solaris/sparc"] },
    message:
      'slipway:imagePlatforms[1] = "solaris/sparc": unknown platform; fix: use os/arch from go tool dist list (cgo off), or os/arm/v5|v6|v7; e.g. linux/amd64, linux/arm/v7, openbsd/amd64',
  },
  {
    title: "a latest policy that is none of auto, true, false",
    input: { latest: "always" },
    message: `slipway:latest = "always": must be auto, true or false; fix: use auto to move latest only when this release is the highest stable version`,
  },
  {
    title: "licenses with a leading space",
    input: { licenses: " MIT" },
    message: 'slipway:licenses = " MIT": not an SPDX license expression; fix: e.g. Apache-2.0 or MIT OR Apache-2.0',
  },
];

describe("published versions", () => {
  it("are listed sorted by precedence, one entry per release however often given", () => {
    const plan = planRelease(
      releaseInput({ published: [`1.3.0@${OTHER_COMMIT}`, `v1.3.0@${OTHER_COMMIT}`, { version: "1.2.0" }, "1.10.0-rc.1"] }),
    );
    assert.deepEqual(plan.published, ["1.2.0", "1.3.0", "1.10.0-rc.1"]);
    assert.equal(plan.status, "new");
  });

  it("make a release of the same version from the same commit a no-op", () => {
    assert.equal(planRelease(releaseInput({ published: [{ version: "v1.4.0", commit: COMMIT.toUpperCase() }] })).status, "published");
  });
});

describe("the commit", () => {
  it("is kept in full, with its 7-character short form naming the sha- tag", () => {
    const plan = planRelease(releaseInput());
    assert.deepEqual(plan.commit, { sha: COMMIT, short: "5a8b7c3", time: "2026-11-20T10:00:00Z", sourceDateEpoch: 1795168800 });
    assert.ok(plan.tags.includes("sha-5a8b7c3"));
  });
});

describe("mainPackage", () => {
  it("is the default build's package when no builds are listed", () => {
    const plan = planRelease(releaseInput({ mainPackage: "./cmd/hello" }));
    assert.deepEqual(
      plan.builds.map((b) => [b.id, b.main]),
      [["hello", "./cmd/hello"]],
    );
  });
});

describe("bad input fails with one line naming the setting, the value and the fix", () => {
  for (const c of BAD_INPUT) {
    it(c.title, () => {
      assert.throws(
        () => planRelease(releaseInput(c.input)),
        (error: unknown) => {
          assert.ok(error instanceof SlipwayInputError);
          assert.equal(error.message, c.message);
          assert.equal(error.message.includes("\n"), false);
          return true;
        },
      );
    });
  }
});

describe("image platforms", () => {
  it("default to the linux/amd64 and linux/arm64 binaries that exist", () => {
    assert.deepEqual(planRelease(releaseInput({ platforms: ["darwin/arm64", "linux/amd64"] })).image.platforms, ["linux/amd64"]);
    assert.deepEqual(planRelease(releaseInput({ platforms: ["darwin/arm64"] })).image.platforms, []);
  });

  it("mutant 'default image platforms widened to every linux asset': linux/386 and linux/arm/v7 binaries are not imaged", () => {
    const plan = planRelease(releaseInput({ platforms: ["linux/386", "linux/arm64", "linux/arm/v7", "linux/amd64", "linux/riscv64"] }));
    assert.deepEqual(plan.image.platforms, ["linux/arm64", "linux/amd64"], "in the order of the asset platforms");
  });

  it("can be turned off with an empty list", () => {
    assert.deepEqual(planRelease(releaseInput({ imagePlatforms: [] })).image.platforms, []);
  });
});

describe("the image's build", () => {
  const image = (input: Partial<ReleaseInput>) => {
    const { build, executable, platforms } = planRelease(releaseInput(input)).image;
    return { build, executable, platforms };
  };
  const refusesImage = (input: Partial<ReleaseInput>, message: string) =>
    assert.throws(
      () => planRelease(releaseInput(input)),
      (error: unknown) => error instanceof SlipwayInputError && error.message === message,
    );

  const rows: { title: string; input: Partial<ReleaseInput>; expected: ReturnType<typeof image> }[] = [
    {
      title: "the default build is the program",
      input: {},
      expected: { build: "hello", executable: "hello", platforms: ["linux/amd64", "linux/arm64"] },
    },
    {
      title: "imageBinary picks a build by id and runs its binary",
      input: { builds: [{ main: "cmd/hello" }, { id: "c", main: "cmd/cli", binary: "hctl" }], imageBinary: "c" },
      expected: { build: "c", executable: "hctl", platforms: ["linux/amd64", "linux/arm64"] },
    },
    {
      title: "the build whose binary is the name and builds for linux beats earlier builds",
      input: {
        builds: [{ main: "cmd/cli" }, { id: "mac", platforms: ["darwin/arm64"] }, { id: "lin", platforms: ["linux/arm64", "linux/amd64"] }],
      },
      expected: { build: "lin", executable: "hello", platforms: ["linux/arm64", "linux/amd64"] },
    },
    {
      title: "a build for linux beats one named like the program that has no linux platform",
      input: { builds: [{ main: "cmd/cli" }, { id: "mac", platforms: ["darwin/arm64"] }] },
      expected: { build: "cli", executable: "cli", platforms: ["linux/amd64", "linux/arm64"] },
    },
    {
      title: "the build named like the program when no build is for linux",
      input: {
        builds: [
          { main: "cmd/cli", platforms: ["windows/amd64"] },
          { id: "mac", platforms: ["darwin/arm64"] },
        ],
      },
      expected: { build: "mac", executable: "hello", platforms: [] },
    },
    {
      title: "else the first build for linux",
      input: {
        builds: [
          { main: "cmd/a", platforms: ["darwin/arm64"] },
          { main: "cmd/b", platforms: ["windows/amd64", "linux/amd64"] },
          { main: "cmd/c" },
        ],
      },
      expected: { build: "b", executable: "b", platforms: ["linux/amd64"] },
    },
    {
      title: "else the first build",
      input: {
        builds: [
          { main: "cmd/a", platforms: ["darwin/arm64"] },
          { main: "cmd/b", platforms: ["windows/amd64"] },
        ],
      },
      expected: { build: "a", executable: "a", platforms: [] },
    },
    {
      title: "image platforms may name any platform of the image build, arm included",
      input: { builds: [{ main: "cmd/a", platforms: ["linux/arm/v7", "linux/amd64"] }], imagePlatforms: ["linux/arm/v7"] },
      expected: { build: "a", executable: "a", platforms: ["linux/arm/v7"] },
    },
  ];
  for (const row of rows) it(row.title, () => assert.deepEqual(image(row.input), row.expected));

  it("refuses an unknown imageBinary, listing the ids", () => {
    refusesImage(
      { builds: [{ main: "cmd/hello" }, { main: "cmd/cli" }], imageBinary: "hello-linux" },
      'slipway:imageBinary = "hello-linux": no build has this id; fix: use one of hello, cli',
    );
  });

  it("refuses mainPackage together with builds", () => {
    refusesImage(
      { builds: [{ main: "cmd/hello" }], mainPackage: "./cmd/hello" },
      'slipway:mainPackage = "./cmd/hello": is replaced by builds when builds are listed; fix: set main on each build and remove mainPackage',
    );
  });

  it("refuses an image platform that only another build has", () => {
    refusesImage(
      {
        builds: [
          { main: "cmd/hello", platforms: ["linux/amd64"] },
          { main: "cmd/cli", platforms: ["linux/arm64"] },
        ],
        imagePlatforms: ["linux/amd64", "linux/arm64"],
      },
      'slipway:imagePlatforms[1] = "linux/arm64": images are built from the release binaries, but the hello build has no binary for this platform; fix: add linux/arm64 to that build\'s platforms, or drop it from imagePlatforms',
    );
  });
});
