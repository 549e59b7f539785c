import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BuildDefaults, BuildPlan, LdflagsContext, planBuilds, renderTemplate } from "../../plan/builds";
import { SlipwayInputError } from "../../plan/errors";
import { Platform, parsePlatforms } from "../../plan/platforms";

const COMMIT = "5a8b7c3d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b";
const CONTEXT: LdflagsContext = {
  name: "hello",
  version: "1.4.0",
  commit: COMMIT,
  commitIso: "2026-11-20T10:00:00Z",
  commitEpoch: 1795168800,
};
const PLATFORMS: Platform[] = parsePlatforms(["linux/amd64", "windows/arm64"], "platforms");
const DEFAULTS: BuildDefaults = { name: "hello", mainPackage: undefined, platforms: PLATFORMS };
const DEFAULT_LDFLAGS = `-buildid= -s -w -X main.version=1.4.0 -X main.commit=${COMMIT} -X main.date=2026-11-20T10:00:00Z`;

function one(entry: Record<string, unknown>, defaults: BuildDefaults = DEFAULTS): BuildPlan {
  const [build, ...rest] = planBuilds([entry], defaults, CONTEXT);
  assert.equal(rest.length, 0);
  return build as BuildPlan;
}

function refuses(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof SlipwayInputError, String(error));
    assert.equal(error.message, message);
    return true;
  });
}

describe("planBuilds: the default build", () => {
  it("builds slipway:mainPackage (. when unset) as the program name, for slipway:platforms", () => {
    assert.deepEqual(planBuilds(undefined, DEFAULTS, CONTEXT), [
      { id: "hello", main: ".", binary: "hello", ldflags: DEFAULT_LDFLAGS, flags: [], tags: [], env: {}, platforms: PLATFORMS },
    ]);
  });

  it("keeps the program name as binary even when mainPackage is a subdirectory", () => {
    const [build] = planBuilds(undefined, { ...DEFAULTS, mainPackage: "cmd/hello-cli/" }, CONTEXT);
    assert.deepEqual([build?.id, build?.main, build?.binary], ["hello", "./cmd/hello-cli", "hello"]);
  });

  it("names a bad mainPackage as slipway:mainPackage", () => {
    refuses(
      () => planBuilds(undefined, { ...DEFAULTS, mainPackage: "../other" }, CONTEXT),
      'slipway:mainPackage = "../other": not a package directory inside the module; fix: use . or a relative directory such as ./cmd/hello',
    );
  });
});

describe("planBuilds: main, binary and id", () => {
  const rows: { main: string | undefined; binary?: string; id?: string; expected: [string, string, string] }[] = [
    { main: undefined, expected: ["hello", ".", "hello"] },
    { main: ".", expected: ["hello", ".", "hello"] },
    { main: "./", expected: ["hello", ".", "hello"] },
    { main: "cmd/x", expected: ["x", "./cmd/x", "x"] },
    { main: "./cmd/x", expected: ["x", "./cmd/x", "x"] },
    { main: "cmd/x//", expected: ["x", "./cmd/x", "x"] },
    { main: "tools", expected: ["tools", "./tools", "tools"] },
    { main: "cmd/x", binary: "xctl", expected: ["xctl", "./cmd/x", "xctl"] },
    { main: "cmd/x", id: "x-build", expected: ["x-build", "./cmd/x", "x"] },
    { main: ".", binary: "hi", id: "main", expected: ["main", ".", "hi"] },
  ];
  for (const row of rows) {
    it(`main ${String(row.main)} binary ${String(row.binary)} id ${String(row.id)} → ${row.expected.join(" ")}`, () => {
      const build = one({ main: row.main, binary: row.binary, id: row.id });
      assert.deepEqual([build.id, build.main, build.binary], row.expected);
    });
  }

  const bad: [unknown, string][] = [
    ["..", '".."'],
    ["../x", '"../x"'],
    ["./cmd/../x", '"./cmd/../x"'],
    ["main.go", '"main.go"'],
    ["./cmd/x/main.go", '"./cmd/x/main.go"'],
    ["/abs/cmd", '"/abs/cmd"'],
    ["cmd x", '"cmd x"'],
    ["/", '"/"'],
  ];
  for (const [main, shown] of bad) {
    it(`refuses main ${shown}`, () => {
      refuses(
        () => one({ main }),
        `slipway:builds[0].main = ${shown}: not a package directory inside the module; fix: use . or a relative directory such as ./cmd/hello`,
      );
    });
  }

  it("refuses an empty or non-string main, binary or id, and an unusable binary or id", () => {
    refuses(
      () => one({ main: "" }),
      'slipway:builds[0].main = "": must be a non-empty string; fix: quote the value, or remove it for the default',
    );
    refuses(
      () => one({ binary: 3 }),
      "slipway:builds[0].binary = 3: must be a non-empty string; fix: quote the value, or remove it for the default",
    );
    refuses(
      () => one({ id: " " }),
      'slipway:builds[0].id = " ": must be a non-empty string; fix: quote the value, or remove it for the default',
    );
    refuses(
      () => one({ binary: "bin/x" }),
      `slipway:builds[0].binary = "bin/x": not a usable file name; fix: use letters, digits, '.', '_' or '-'`,
    );
    refuses(() => one({ id: "-x" }), `slipway:builds[0].id = "-x": not a usable id; fix: use letters, digits, '.', '_' or '-'`);
  });
});

describe("planBuilds: ldflags", () => {
  it("renders every placeholder", () => {
    const build = one({
      main: "cmd/tool",
      ldflags: [
        "-X a={{version}}",
        "-X b={{tag}}",
        "-X c={{commit}}",
        "-X d={{shortCommit}}",
        "-X e={{date}}",
        "-X f={{timestamp}}",
        "-X g={{name}}",
        "-X h={{binary}}",
        "-X i={{ version }}",
      ],
    });
    assert.equal(
      build.ldflags,
      `-buildid= -X a=1.4.0 -X b=v1.4.0 -X c=${COMMIT} -X d=5a8b7c3 -X e=2026-11-20T10:00:00Z -X f=1795168800 -X g=hello -X h=tool -X i=1.4.0`,
    );
  });

  it("puts -buildid= first and drops the user's -buildid", () => {
    assert.equal(one({ ldflags: ["-s", "-buildid=abc", "-w"] }).ldflags, "-buildid= -s -w");
    assert.equal(one({ ldflags: ["-buildid="] }).ldflags, "-buildid=");
    assert.equal(one({ ldflags: ["-X main.note=-buildid=x"] }).ldflags, "-buildid= -X main.note=-buildid=x");
  });

  it("refuses an unknown placeholder, naming the known ones", () => {
    refuses(
      () => one({ ldflags: ["-s", "-X main.v={{Version}}"] }),
      'slipway:builds[0].ldflags[1] = "-X main.v={{Version}}": unknown placeholder {{Version}}; fix: use {{name}}, {{binary}}, {{version}}, {{tag}}, {{commit}}, {{shortCommit}}, {{date}}, {{timestamp}}',
    );
  });

  it("refuses ldflags that are not a list of strings", () => {
    refuses(() => one({ ldflags: "-s -w" }), 'slipway:builds[0].ldflags = "-s -w": must be a list of strings; fix: e.g. ldflags: ["..."]');
    refuses(() => one({ ldflags: ["-s", ""] }), 'slipway:builds[0].ldflags[1] = "": must be a non-empty string; fix: quote the value');
    refuses(() => one({ ldflags: ["-s", 1] }), "slipway:builds[0].ldflags[1] = 1: must be a non-empty string; fix: quote the value");
    refuses(() => one({ tags: [" "] }), 'slipway:builds[0].tags[0] = " ": must be a non-empty string; fix: quote the value');
  });
});

describe("planBuilds: flags and tags", () => {
  it("keeps allowed flags and tags in order", () => {
    const build = one({ flags: ["-tags=netgo", "-a", "-v"], tags: ["osusergo", "netgo"] });
    assert.deepEqual(
      [build.flags, build.tags],
      [
        ["-tags=netgo", "-a", "-v"],
        ["osusergo", "netgo"],
      ],
    );
  });

  const owned: [string, string][] = [
    ["-o", "remove it"],
    ["-o=out", "remove it"],
    ["-ldflags=-s", "use the build's ldflags list"],
    ["-ldflags", "use the build's ldflags list"],
    ["-mod=mod", "remove it"],
    ["-modfile=x.mod", "remove it"],
    ["-trimpath", "remove it"],
    ["-buildvcs=true", "remove it"],
    ["-toolexec=x", "remove it"],
    ["-overlay=o.json", "remove it"],
    ["-pgo=auto", "remove it"],
    ["--trimpath", "remove it"],
    ["--ldflags=-s", "use the build's ldflags list"],
  ];
  for (const [flag, fix] of owned) {
    it(`refuses ${flag}`, () => {
      refuses(
        () => one({ flags: ["-v", flag] }),
        `slipway:builds[0].flags[1] = ${JSON.stringify(flag)}: slipway sets this flag itself; fix: ${fix}`,
      );
    });
  }

  it("refuses a flag not starting with -", () => {
    refuses(
      () => one({ flags: ["tags=netgo"] }),
      'slipway:builds[0].flags[0] = "tags=netgo": not a go build flag; fix: write flags as -name or -name=value, e.g. -tags=netgo',
    );
  });
});

describe("planBuilds: env", () => {
  it("parses KEY=VALUE, values may hold = and be empty; CGO_ENABLED=0 is accepted", () => {
    assert.deepEqual(one({ env: ["CGO_ENABLED=0", "A_1=x=y", "EMPTY="] }).env, { CGO_ENABLED: "0", A_1: "x=y", EMPTY: "" });
  });

  const owned = [
    "GOOS",
    "GOARCH",
    "GOARM",
    "GOAMD64",
    "GO386",
    "GOARM64",
    "GOPROXY",
    "GOFLAGS",
    "GOPATH",
    "GOCACHE",
    "GOMODCACHE",
    "GOSUMDB",
    "GONOSUMDB",
    "GOPRIVATE",
    "GONOPROXY",
    "GOTOOLCHAIN",
    "GOWORK",
    "GOENV",
    "HOME",
    "PATH",
  ];
  for (const name of owned) {
    it(`refuses ${name}`, () => {
      refuses(
        () => one({ env: ["A=1", `${name}=x`] }),
        `slipway:builds[0].env[1] = "${name}=x": slipway sets ${name} itself for a hermetic build; fix: remove it (platforms are set with platforms)`,
      );
    });
  }

  for (const item of ["CGO_ENABLED=1", "CGO_ENABLED=", "CGO_ENABLED=00"]) {
    it(`refuses ${item}`, () => {
      refuses(
        () => one({ env: [item] }),
        `slipway:builds[0].env[0] = "${item}": release builds cross-compile with cgo off; fix: use CGO_ENABLED=0 or remove it`,
      );
    });
  }

  for (const item of ["NOEQUALS", "=x", "1A=x", "A B=x", "A=x\ny"]) {
    it(`refuses ${JSON.stringify(item)} as not KEY=VALUE`, () => {
      refuses(() => one({ env: [item] }), `slipway:builds[0].env[0] = ${JSON.stringify(item)}: not KEY=VALUE; fix: e.g. CGO_ENABLED=0`);
    });
  }
});

describe("planBuilds: the list", () => {
  it("keeps every build, in order, with its own platforms", () => {
    const builds = planBuilds([{ main: "cmd/a" }, { main: "cmd/b", platforms: ["linux/arm/v7", "linux/amd64"] }], DEFAULTS, CONTEXT);
    assert.deepEqual(
      builds.map((b) => [b.id, b.platforms.map((p) => p.id)]),
      [
        ["a", ["linux/amd64", "windows/arm64"]],
        ["b", ["linux/arm/v7", "linux/amd64"]],
      ],
    );
    assert.deepEqual(builds[1]?.platforms[0], { id: "linux/arm/v7", os: "linux", arch: "arm", arm: "7" });
  });

  it("allows one binary name in two builds for different platforms", () => {
    const builds = planBuilds(
      [
        { id: "l", platforms: ["linux/amd64"] },
        { id: "d", platforms: ["darwin/arm64"] },
      ],
      DEFAULTS,
      CONTEXT,
    );
    assert.deepEqual(
      builds.map((b) => [b.id, b.binary]),
      [
        ["l", "hello"],
        ["d", "hello"],
      ],
    );
  });

  it("refuses an empty list, a non-object entry and an unknown field", () => {
    refuses(
      () => planBuilds([], DEFAULTS, CONTEXT),
      "slipway:builds = []: no builds listed; fix: list at least one, or remove the setting for the default build",
    );
    refuses(
      () => planBuilds([{}, "cmd/x"], DEFAULTS, CONTEXT),
      'slipway:builds[1] = "cmd/x": must be an object; fix: e.g. {main: ./cmd/hello}',
    );
    refuses(() => planBuilds([null], DEFAULTS, CONTEXT), "slipway:builds[0] = null: must be an object; fix: e.g. {main: ./cmd/hello}");
    refuses(() => planBuilds([["x"]], DEFAULTS, CONTEXT), 'slipway:builds[0] = ["x"]: must be an object; fix: e.g. {main: ./cmd/hello}');
    refuses(
      () => one({ main: ".", goos: ["linux"] }),
      'slipway:builds[0].goos = ["linux"]: unknown field; fix: use only id, main, binary, ldflags, flags, tags, env, platforms',
    );
  });

  it("refuses duplicate ids", () => {
    refuses(
      () => planBuilds([{ main: "cmd/a" }, { main: "cmd/b" }, { main: "x/a", binary: "a2", id: "a" }], DEFAULTS, CONTEXT),
      'slipway:builds[2].id = "a": builds[0] has the same id; fix: give each build its own id',
    );
  });

  it("refuses two builds writing the same binary for one platform", () => {
    refuses(
      () =>
        planBuilds(
          [{ id: "one", platforms: ["darwin/arm64", "linux/amd64"] }, { main: "cmd/b" }, { id: "two", platforms: ["linux/amd64"] }],
          DEFAULTS,
          CONTEXT,
        ),
      'slipway:builds[2].binary = "hello": builds[0] also builds hello for linux/amd64; fix: give each build its own binary name',
    );
  });

  it("refuses bad per-build platforms under the build's key", () => {
    refuses(
      () => one({ platforms: [] }),
      "slipway:builds[0].platforms = []: no platforms listed; fix: list at least one os/arch, e.g. linux/amd64",
    );
    refuses(
      () => one({ platforms: "linux/amd64" }),
      'slipway:builds[0].platforms = "linux/amd64": must be a list; fix: e.g. platforms: [linux/amd64, linux/arm/v7]',
    );
    refuses(
      () => one({ platforms: ["linux/amd64", "linux/arm"] }),
      'slipway:builds[0].platforms[1] = "linux/arm": 32-bit arm needs its GOARM level; fix: use linux/arm/v6 or linux/arm/v7',
    );
  });
});

describe("renderTemplate", () => {
  const values = { a: "1", bc: "two" };
  const rows: [string, string][] = [
    ["", ""],
    ["plain", "plain"],
    ["{{a}}", "1"],
    ["x{{a}}y{{bc}}z{{a}}", "x1ytwoz1"],
    ["{{ bc }}", "two"],
    ["{a}", "{a}"],
  ];
  for (const [template, expected] of rows) {
    it(`${JSON.stringify(template)} → ${JSON.stringify(expected)}`, () => assert.equal(renderTemplate(template, values, "k"), expected));
  }

  it("refuses an unknown placeholder, naming the setting and the known ones", () => {
    refuses(
      () => renderTemplate("{{a}}-{{os}}", values, "archives.nameTemplate"),
      'slipway:archives.nameTemplate = "{{a}}-{{os}}": unknown placeholder {{os}}; fix: use {{a}}, {{bc}}',
    );
    refuses(() => renderTemplate("{{}}", values, "k"), 'slipway:k = "{{}}": unknown placeholder {{}}; fix: use {{a}}, {{bc}}');
  });

  it("refuses GoReleaser-style and other non-word placeholders instead of leaving them in the output", () => {
    refuses(
      () => renderTemplate("v{{.Version}}", values, "k"),
      'slipway:k = "v{{.Version}}": unknown placeholder {{.Version}}; fix: use {{a}}, {{bc}}',
    );
    refuses(
      () => renderTemplate("{{ a_b }}", values, "k"),
      'slipway:k = "{{ a_b }}": unknown placeholder {{ a_b }}; fix: use {{a}}, {{bc}}',
    );
    refuses(
      () => one({ ldflags: ["-X main.version={{.Version}}"] }),
      'slipway:builds[0].ldflags[0] = "-X main.version={{.Version}}": unknown placeholder {{.Version}}; fix: use {{name}}, {{binary}}, {{version}}, {{tag}}, {{commit}}, {{shortCommit}}, {{date}}, {{timestamp}}',
    );
  });
});
