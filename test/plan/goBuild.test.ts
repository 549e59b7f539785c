import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  archiveTargets,
  buildTargets,
  compileIsolation,
  compileIsolationWarning,
  goBuildArgs,
  goCompileEnv,
  goDownloadEnv,
  renderChecksums,
} from "../../plan/goBuild";
import { planRelease } from "../../plan/releasePlan";
import { COMMIT, COMMIT_TIME, releaseInput } from "../support/release";

const LDFLAGS = `-buildid= -s -w -X main.version=1.4.0 -X main.commit=${COMMIT} -X main.date=${COMMIT_TIME}`;

describe("goBuildArgs", () => {
  it("passes tags joined by commas, then the build's flags, then -ldflags, -o and the package", () => {
    assert.deepEqual(
      goBuildArgs({ main: "./cmd/x", ldflags: "-buildid= -s", flags: ["-a", "-v"], tags: ["netgo", "osusergo"] }, "/out/x"),
      [
        "build",
        "-trimpath",
        "-buildvcs=false",
        "-tags",
        "netgo,osusergo",
        "-a",
        "-v",
        "-ldflags",
        "-buildid= -s",
        "-o",
        "/out/x",
        "./cmd/x",
      ],
    );
  });

  it("passes no -tags without tags", () => {
    assert.deepEqual(goBuildArgs({ main: ".", ldflags: "-buildid=", flags: [], tags: [] }, "out"), [
      "build",
      "-trimpath",
      "-buildvcs=false",
      "-ldflags",
      "-buildid=",
      "-o",
      "out",
      ".",
    ]);
  });

  it("passes a single tag as is", () => {
    assert.deepEqual(goBuildArgs({ main: ".", ldflags: "-buildid=", flags: ["-a"], tags: ["netgo"] }, "out").slice(3, 6), [
      "-tags",
      "netgo",
      "-a",
    ]);
  });
});

describe("goCompileEnv", () => {
  const BASE = {
    CGO_ENABLED: "0",
    GOFLAGS: "-mod=readonly",
    GOPROXY: "off",
    GOSUMDB: "off",
    GOTOOLCHAIN: "local",
    GOVCS: "*:off",
    GOWORK: "off",
  };
  const rows: [Parameters<typeof goCompileEnv>[0], Record<string, string>][] = [
    [
      { os: "linux", arch: "amd64" },
      { GOOS: "linux", GOARCH: "amd64", GOAMD64: "v1" },
    ],
    [
      { os: "darwin", arch: "arm64" },
      { GOOS: "darwin", GOARCH: "arm64", GOARM64: "v8.0" },
    ],
    [
      { os: "windows", arch: "386" },
      { GOOS: "windows", GOARCH: "386", GO386: "sse2" },
    ],
    [
      { os: "linux", arch: "arm", arm: "7" },
      { GOOS: "linux", GOARCH: "arm", GOARM: "7" },
    ],
    [
      { os: "freebsd", arch: "arm", arm: "5" },
      { GOOS: "freebsd", GOARCH: "arm", GOARM: "5" },
    ],
    [
      { os: "linux", arch: "riscv64" },
      { GOOS: "linux", GOARCH: "riscv64" },
    ],
    [
      { os: "linux", arch: "riscv64", arm: undefined },
      { GOOS: "linux", GOARCH: "riscv64" },
    ],
  ];
  for (const [target, expected] of rows) {
    it(`${target.os}/${target.arch}${target.arm === undefined ? "" : `/v${target.arm}`}`, () => {
      assert.deepEqual(goCompileEnv(target), { ...BASE, ...expected });
    });
  }

  it("keeps the build's env but never lets it override what slipway sets", () => {
    const env = goCompileEnv(
      { os: "linux", arch: "arm", arm: "6" },
      {
        FOO: "bar",
        CGO_ENABLED: "1",
        GOOS: "plan9",
        GOARCH: "amd64",
        GOARM: "5",
        GOFLAGS: "-mod=mod",
        GOPROXY: "direct",
        GOSUMDB: "sum.golang.org",
        GOTOOLCHAIN: "auto",
        GOVCS: "*:all",
        GOWORK: "go.work",
      },
    );
    assert.deepEqual(env, { ...BASE, FOO: "bar", GOOS: "linux", GOARCH: "arm", GOARM: "6" });
  });

  it("pins GOAMD64 over the build's", () => {
    assert.equal(goCompileEnv({ os: "linux", arch: "amd64" }, { GOAMD64: "v3" }).GOAMD64, "v1");
  });
});

describe("goDownloadEnv", () => {
  it("fetches only through the given proxy, read-only", () => {
    assert.deepEqual(goDownloadEnv("http://127.0.0.1:3000"), {
      CGO_ENABLED: "0",
      GOFLAGS: "-mod=readonly",
      GOPROXY: "http://127.0.0.1:3000",
      GOTOOLCHAIN: "local",
      GOVCS: "*:off",
      GOWORK: "off",
    });
  });
});

describe("renderChecksums", () => {
  it("prints sha256sum lines in the given order", () => {
    assert.equal(renderChecksums(["b", "a"], { a: "11", b: "22" }), "22  b\n11  a\n");
    assert.equal(renderChecksums([], {}), "");
  });

  it("refuses a name without a checksum", () => {
    assert.throws(() => renderChecksums(["a", "c"], { a: "11" }), { message: "no checksum for c" });
  });
});

describe("buildTargets and archiveTargets", () => {
  const plan = planRelease(
    releaseInput({
      builds: [
        { id: "srv", main: "cmd/srv", platforms: ["linux/amd64", "linux/arm/v7"], tags: ["netgo"], flags: ["-a"], env: ["FOO=1"] },
        { main: "cmd/cli", binary: "hctl", ldflags: ["-X main.v={{tag}}"], platforms: ["windows/amd64", "linux/arm/v7"] },
      ],
      archives: { wrapInDirectory: true },
    }),
  );

  it("one compile per build and platform, with the build's settings and the setting of its ldflags", () => {
    const srv = {
      build: "srv",
      main: "./cmd/srv",
      executable: "srv",
      ldflags: LDFLAGS,
      flags: ["-a"],
      tags: ["netgo"],
      env: { FOO: "1" },
      ldflagsSetting: "builds[0].ldflags",
    };
    const cli = {
      build: "hctl",
      main: "./cmd/cli",
      ldflags: "-buildid= -X main.v=v1.4.0",
      flags: [],
      tags: [],
      env: {},
      ldflagsSetting: "builds[1].ldflags",
    };
    assert.deepEqual(buildTargets(plan), [
      { ...srv, platform: "linux/amd64", os: "linux", arch: "amd64", file: "srv_1.4.0_linux_amd64" },
      { ...srv, platform: "linux/arm/v7", os: "linux", arch: "arm", arm: "7", file: "srv_1.4.0_linux_armv7" },
      { ...cli, platform: "windows/amd64", os: "windows", arch: "amd64", file: "hctl_1.4.0_windows_amd64.exe", executable: "hctl.exe" },
      { ...cli, platform: "linux/arm/v7", os: "linux", arch: "arm", arm: "7", file: "hctl_1.4.0_linux_armv7", executable: "hctl" },
    ]);
  });

  it("targets are copies: changing one leaves the plan alone", () => {
    const [first] = buildTargets(plan);
    (first?.flags as string[]).push("-x");
    (first?.env as Record<string, string>).BAR = "2";
    assert.deepEqual([plan.builds[0]?.flags, plan.builds[0]?.env], [["-a"], { FOO: "1" }]);
  });

  it("each archive lists its files under their executable names, in build order", () => {
    assert.deepEqual(archiveTargets(plan), [
      {
        name: "hello_1.4.0_linux_amd64.tar.gz",
        format: "tar.gz",
        directory: "hello_1.4.0_linux_amd64",
        members: [{ file: "srv_1.4.0_linux_amd64", executable: "srv" }],
      },
      {
        name: "hello_1.4.0_linux_armv7.tar.gz",
        format: "tar.gz",
        directory: "hello_1.4.0_linux_armv7",
        members: [
          { file: "srv_1.4.0_linux_armv7", executable: "srv" },
          { file: "hctl_1.4.0_linux_armv7", executable: "hctl" },
        ],
      },
      {
        name: "hello_1.4.0_windows_amd64.zip",
        format: "zip",
        directory: "hello_1.4.0_windows_amd64",
        members: [{ file: "hctl_1.4.0_windows_amd64.exe", executable: "hctl.exe" }],
      },
    ]);
  });

  it("a build unknown to the plan is an error", () => {
    const broken = { ...plan, builds: plan.builds.slice(1) };
    assert.throws(() => buildTargets(broken), { message: "the plan's binary srv_1.4.0_linux_amd64 names an unknown build srv" });
  });
});

describe("compileIsolation", () => {
  it("wraps the compile step in unshare --net where it is permitted", () => {
    assert.deepEqual(compileIsolation(undefined), {
      prefix: ["unshare", "--net", "--"],
      isolation: "network namespace without interfaces (unshare --net), GOPROXY=off",
    });
  });

  it("runs it unwrapped, and says so, where unshare is refused", () => {
    assert.deepEqual(compileIsolation("unshare: unshare failed: Operation not permitted"), {
      prefix: [],
      isolation: "GOPROXY=off and -mod=readonly (unshare unavailable)",
    });
    assert.equal(
      compileIsolationWarning("unshare: unshare failed: Operation not permitted"),
      "the compile step runs with network access: unshare --net is not permitted here (unshare: unshare failed: Operation not permitted); " +
        "modules still come only through the proxy (GOPROXY=off and -mod=readonly while compiling); " +
        "fix: run the release as root (e.g. sudo -E env PATH=$PATH npx slipway release ...) so the compile step gets a network namespace without interfaces",
    );
  });
});
