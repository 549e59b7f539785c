// What Athens and its clients are configured with (plan/athensRender.ts): the download-mode HCL, the server
// and client environments (golden files). What this cannot prove: that Athens v0.18.0 accepts the rendered
// configuration; the real-process test does that for the local env, and the HCL format follows
// pkg/download/mode/mode.go.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  athensServerEnv,
  athensUrl,
  downloadModeHcl,
  downloadModeValue,
  goClientEnv,
  renderEnv,
  sortedRecord,
} from "../../plan/athensRender";
import { assertGolden } from "../support/golden";
import { BadInput, itRefusesEach, itReturnsEach } from "../support/inputTables";

const BAD_INPUTS: readonly BadInput[] = [
  {
    title: "direct as the client GOPROXY",
    run: () => goClientEnv({ goproxy: "direct" }),
    message: 'slipway:athens.goproxy = "direct": not an http(s) URL; fix: write the Athens base URL, e.g. http://127.0.0.1:3000',
  },
];

const GOOD: readonly (readonly [string, () => unknown, unknown])[] = [
  [
    "percent-encodes credentials",
    () => athensUrl({ scheme: "https", host: "athens.example.com", user: "ci", password: "a@b:c/d" }),
    "https://ci:a%40b%3Ac%2Fd@athens.example.com",
  ],
  ["uses the plain mode name without rules", () => downloadModeValue({ mode: "sealed" }), "none"],
  [
    "leaves a URL without credentials as it is",
    () => athensUrl({ scheme: "https", host: "athens.example.com" }),
    "https://athens.example.com",
  ],
  ["adds the port when given", () => athensUrl({ scheme: "http", host: "127.0.0.1", port: 3000 }), "http://127.0.0.1:3000"],
  [
    "adds credentials only when both user and password are given",
    () => [
      athensUrl({ scheme: "https", host: "athens.example.com", user: "ci" }),
      athensUrl({ scheme: "https", host: "athens.example.com", password: "secret" }),
    ],
    ["https://athens.example.com", "https://athens.example.com"],
  ],
  ["sorts record keys whatever order they come in", () => Object.keys(sortedRecord({ B: "2", C: "3", A: "1" })), ["A", "B", "C"]],
  ["writes env lines in key order whatever order the record has", () => renderEnv({ B: "2", C: "3", A: "1" }), "A=1\nB=2\nC=3\n"],
];

describe("Athens rendering inputs", () => {
  itRefusesEach(BAD_INPUTS);
  itReturnsEach(GOOD);
});

const SEALED_RULES = {
  mode: "sealed",
  rules: [
    { pattern: "github.com/acme/*", mode: "sync" },
    { pattern: "golang.org/x/*", mode: "none" },
  ],
} as const;

describe("Athens rendered configuration", () => {
  it("renders download-mode HCL with the required top-level attributes", () => {
    assertGolden("athens-download-sealed.hcl", downloadModeHcl(SEALED_RULES));
    assert.equal(downloadModeHcl({ mode: "warm" }), 'downloadURL = ""\nmode        = "sync"\n');
  });

  it("passes download rules to Athens as custom:<base64 HCL>", () => {
    const value = downloadModeValue(SEALED_RULES);
    assert.match(value, /^custom:[A-Za-z0-9+/]+=*$/);
    assert.equal(Buffer.from(value.slice("custom:".length), "base64").toString("utf8"), downloadModeHcl(SEALED_RULES));
  });

  it("configures a local warm Athens on loopback disk storage", () => {
    const env = athensServerEnv({ mode: "warm", listen: "127.0.0.1:3000", storage: { type: "disk", root: "/var/lib/athens" } });
    assertGolden("athens-server-env-local-warm.env", renderEnv(env));
    assert.equal(env.ATHENS_GO_BINARY_ENV_VARS, "GOPROXY=https://proxy.golang.org;GOTOOLCHAIN=local");
  });

  it("configures a sealed Athens on S3 with Redis single-flight and private modules", () => {
    const env = athensServerEnv({
      ...SEALED_RULES,
      upstream: "https://goproxy.example.com",
      privatePatterns: ["github.com/acme/*"],
      gosumdb: "sum.golang.org",
      listen: ":3000",
      storage: { type: "s3", bucket: "athens-modules-1234", region: "eu-west-1" },
      singleFlight: { type: "redis", endpoint: "rediss://master.athens.cache.amazonaws.com:6379" },
      logFormat: "json",
    });
    assertGolden("athens-server-env-aws-sealed.env", renderEnv(env));
    assert.equal(env.AWS_USE_DEFAULT_CONFIGURATION, "true");
    assert.equal(env.ATHENS_NETWORK_MODE, "offline");
  });

  it("passes several private patterns to Athens and its inner go, comma-separated, keys sorted", () => {
    const env = athensServerEnv({
      mode: "warm",
      listen: "127.0.0.1:3000",
      storage: { type: "disk", root: "/var/lib/athens" },
      privatePatterns: ["gitlab.com/acme/*", "github.com/acme/*"],
    });
    assert.deepEqual(Object.entries(env), [
      ["ATHENS_DISK_STORAGE_ROOT", "/var/lib/athens"],
      ["ATHENS_DOWNLOAD_MODE", "sync"],
      ["ATHENS_GONOSUM_PATTERNS", "github.com/acme/*,gitlab.com/acme/*"],
      ["ATHENS_GO_BINARY_ENV_VARS", "GOPROXY=https://proxy.golang.org;GOTOOLCHAIN=local;GOPRIVATE=github.com/acme/*,gitlab.com/acme/*"],
      ["ATHENS_LOG_FORMAT", "plain"],
      ["ATHENS_LOG_LEVEL", "info"],
      ["ATHENS_NETWORK_MODE", "strict"],
      ["ATHENS_PORT", "127.0.0.1:3000"],
      ["ATHENS_SINGLE_FLIGHT_TYPE", "memory"],
      ["ATHENS_STORAGE_TYPE", "disk"],
    ]);
  });

  it("gives builds only the proxy: no direct, readonly modules, local toolchain", () => {
    const env = goClientEnv({ goproxy: "http://127.0.0.1:3000/" });
    assertGolden("athens-go-env.env", renderEnv(env));
    assert.ok(!Object.values(env).some((value) => value.includes("direct")));
  });

  it("keeps private modules on the proxy (GONOPROXY=none) and off the public checksum DB", () => {
    const env = goClientEnv({
      goproxy: "https://athens.example.com",
      privatePatterns: ["github.com/acme/*", "gitlab.com/acme/*"],
      gosumdb: "sum.golang.org",
    });
    assertGolden("athens-go-env-private.env", renderEnv(env));
    assert.equal(env.GONOPROXY, "none");
  });
});
