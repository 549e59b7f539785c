// Pure Athens planning: validation rules (table-driven, exact messages) and the rendered env blocks,
// download-mode HCL, container definition and task-role policy (golden files). What this cannot
// prove: that Athens v0.18.0 accepts the rendered configuration; the real-process test does that
// for the local env, and the HCL format follows pkg/download/mode/mode.go.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  athensContainerDefinitions,
  athensServerEnv,
  athensTaskRolePolicy,
  athensUrl,
  checkAllowedCidrs,
  checkDownloadRules,
  checkEndpointUrl,
  checkFargateSize,
  checkGosumdb,
  checkImageDigest,
  checkLocalListen,
  checkMode,
  checkPrivatePatterns,
  checkUpstream,
  downloadModeHcl,
  downloadModeValue,
  goClientEnv,
  missingFromDiskStorage,
  needsRedis,
  redactUrl,
  renderEnv,
  secretsReadPolicy,
  sumDbUrl,
  withoutCredentials,
} from "../../plan/athens";
import { SlipwayInputError } from "../../plan/errors";
import { assertGolden } from "../support/golden";

interface BadInput {
  readonly title: string;
  readonly run: () => unknown;
  readonly message: string;
}

const BAD_INPUTS: readonly BadInput[] = [
  {
    title: "an unknown mode",
    run: () => checkMode("offline"),
    message:
      'slipway:athens.mode = "offline": unknown Athens mode; fix: use warm or sealed (warm fetches misses, sealed serves storage only)',
  },
  {
    title: "direct as the upstream",
    run: () => checkUpstream("direct"),
    message:
      'slipway:athens.upstream = "direct": `direct` and `off` are not module proxies (direct bypasses every proxy and is not hermetic); fix: set one module proxy URL such as https://proxy.golang.org',
  },
  {
    title: "direct as a GOPROXY fallback",
    run: () => checkUpstream("https://proxy.golang.org,direct"),
    message:
      'slipway:athens.upstream = "https://proxy.golang.org,direct": `direct` and `off` are not module proxies (direct bypasses every proxy and is not hermetic); fix: set one module proxy URL such as https://proxy.golang.org',
  },
  {
    title: "a GOPROXY list",
    run: () => checkUpstream("https://a.example.com|https://b.example.com"),
    message:
      'slipway:athens.upstream = "https://a.example.com|https://b.example.com": a single upstream proxy is supported, not a GOPROXY list; fix: set one module proxy URL such as https://proxy.golang.org',
  },
  {
    title: "a bad upstream URL",
    run: () => checkUpstream("proxy.golang.org"),
    message:
      'slipway:athens.upstream = "proxy.golang.org": not an http(s) URL; fix: set one module proxy URL such as https://proxy.golang.org',
  },
  {
    title: "plain http to a remote upstream",
    run: () => checkUpstream("http://proxy.example.com"),
    message: 'slipway:athens.upstream = "http://proxy.example.com": plain http is only allowed on loopback; fix: use an https URL',
  },
  {
    title: "credentials in the upstream, never echoed",
    run: () => checkUpstream("https://bot:hunter2@proxy.example.com"),
    message:
      'slipway:athens.upstream = "(value not shown)": an upstream URL must not carry credentials; fix: use a proxy that needs none; private modules go through privatePatterns and a GitHub token',
  },
  {
    title: "0.0.0.0/0",
    run: () => checkAllowedCidrs(["10.0.0.0/8", "0.0.0.0/0"]),
    message:
      'slipway:athens.allowedCidrs[1] = "0.0.0.0/0": opens the proxy to every address; fix: list the build runners\' private CIDRs, e.g. 10.0.0.0/16',
  },
  {
    title: "a public CIDR",
    run: () => checkAllowedCidrs(["8.8.8.0/24"]),
    message:
      'slipway:athens.allowedCidrs[0] = "8.8.8.0/24": is not a private range (10/8, 172.16/12, 192.168/16, 100.64/10); fix: list the build runners\' private CIDRs, e.g. 10.0.0.0/16',
  },
  {
    title: "a CIDR wider than its private range",
    run: () => checkAllowedCidrs(["172.0.0.0/8"]),
    message:
      'slipway:athens.allowedCidrs[0] = "172.0.0.0/8": is not a private range (10/8, 172.16/12, 192.168/16, 100.64/10); fix: list the build runners\' private CIDRs, e.g. 10.0.0.0/16',
  },
  {
    title: "a CIDR with host bits",
    run: () => checkAllowedCidrs(["10.1.2.3/16"]),
    message: 'slipway:athens.allowedCidrs[0] = "10.1.2.3/16": has host bits set; fix: write 10.1.0.0/16',
  },
  {
    title: "no CIDR at all",
    run: () => checkAllowedCidrs([]),
    message:
      "slipway:athens.allowedCidrs = []: at least one CIDR is required; fix: list the build runners' private CIDRs, e.g. 10.0.0.0/16",
  },
  {
    title: "an IPv6 CIDR",
    run: () => checkAllowedCidrs(["fd00::/8"]),
    message: 'slipway:athens.allowedCidrs[0] = "fd00::/8": not an IPv4 CIDR; fix: list the build runners\' private CIDRs, e.g. 10.0.0.0/16',
  },
  {
    title: "a listen host other than loopback",
    run: () => checkLocalListen("0.0.0.0", 3000),
    message: 'slipway:athens.local.host = "0.0.0.0": a local Athens listens on loopback only; fix: use 127.0.0.1',
  },
  {
    title: "localhost (may resolve to ::1 or a LAN address)",
    run: () => checkLocalListen("localhost", 3000),
    message: 'slipway:athens.local.host = "localhost": a local Athens listens on loopback only; fix: use 127.0.0.1',
  },
  {
    title: "a port out of range",
    run: () => checkLocalListen("127.0.0.1", 70000),
    message: "slipway:athens.local.port = 70000: not a TCP port; fix: use a port from 1 to 65535",
  },
  {
    title: "a redirect download rule",
    run: () => checkDownloadRules([{ pattern: "github.com/acme/*", mode: "redirect" }]),
    message:
      'slipway:athens.downloadRules[0].mode = "redirect": redirect modes send clients to another server and are not hermetic; fix: use sync, async, none',
  },
  {
    title: "a download rule pattern with a quote",
    run: () => checkDownloadRules([{ pattern: 'x" {', mode: "sync" }]),
    message:
      'slipway:athens.downloadRules[0].pattern = "x\\" {": not a module path pattern; fix: write a path.Match glob such as github.com/acme/*',
  },
  {
    title: "a comma inside a private pattern",
    run: () => checkPrivatePatterns(["github.com/a/*,github.com/b/*"]),
    message:
      'slipway:athens.privatePatterns[0] = "github.com/a/*,github.com/b/*": not a module path pattern; fix: write a GOPRIVATE glob such as github.com/acme/* (one per entry, no commas)',
  },
  {
    title: "a private pattern matching every module",
    run: () => checkPrivatePatterns(["github.com/acme/*", "*"]),
    message:
      'slipway:athens.privatePatterns[1] = "*": matches public modules too and would switch off their checksum verification; fix: name the private host or organisation, e.g. github.com/acme/*',
  },
  {
    title: "GOSUMDB=off",
    run: () => checkGosumdb("off"),
    message:
      'slipway:athens.gosumdb = "off": turning checksum verification off is not allowed in release builds; fix: leave it unset; a complete go.sum with -mod=readonly never needs the database',
  },
  {
    title: "a checksum database over http",
    run: () => checkGosumdb("sum.example.com+abc http://sum.example.com"),
    message:
      'slipway:athens.gosumdb = "sum.example.com+abc http://sum.example.com": the checksum database URL must be https; fix: write name+publickey https://host',
  },
  {
    title: "an endpoint URL that is not a URL",
    run: () => checkEndpointUrl("127.0.0.1:3000"),
    message: 'slipway:athens.local.url = "127.0.0.1:3000": not an http(s) URL; fix: write the Athens base URL, e.g. http://127.0.0.1:3000',
  },
  {
    title: "credentials over plain http to another host, redacted",
    run: () => checkEndpointUrl("http://ci:s3cret@athens.example.com"),
    message:
      'slipway:athens.local.url = "http://***@athens.example.com": credentials over plain http leave the machine in clear text; fix: use https for a remote Athens with basic auth',
  },
  {
    title: "direct as the client GOPROXY",
    run: () => goClientEnv({ goproxy: "direct" }),
    message: 'slipway:athens.goproxy = "direct": not an http(s) URL; fix: write the Athens base URL, e.g. http://127.0.0.1:3000',
  },
  {
    title: "an image without digest",
    run: () => checkImageDigest("v0.18.0"),
    message:
      'slipway:athens.aws.imageDigest = "v0.18.0": the Athens image must be pinned by digest; fix: write sha256:<64 hex> of the image copied into the stack\'s ECR repository',
  },
  {
    title: "a memory size Fargate does not offer",
    run: () => checkFargateSize(512, 512),
    message: "slipway:athens.aws.memory = 512: not a Fargate memory size for cpu 512; fix: use 1024 to 4096 MiB in steps of 1024",
  },
];

describe("Athens settings validation", () => {
  BAD_INPUTS.forEach(({ title, run, message }, index) => {
    it(`[${index}] refuses ${title}`, () => {
      assert.throws(run, (error: unknown) => {
        assert.ok(error instanceof SlipwayInputError, `expected SlipwayInputError, got ${String(error)}`);
        assert.equal(error.message, message);
        assert.ok(!error.message.includes("\n"));
        return true;
      });
    });
  });

  const GOOD: readonly [string, () => unknown, unknown][] = [
    [
      "sorts and de-duplicates CIDRs",
      () => checkAllowedCidrs(["192.168.0.0/16", "10.0.0.0/16", "10.0.0.0/16"]),
      ["10.0.0.0/16", "192.168.0.0/16"],
    ],
    ["accepts CGNAT space VPCs use", () => checkAllowedCidrs(["100.64.0.0/16"]), ["100.64.0.0/16"]],
    ["accepts a single host", () => checkAllowedCidrs(["172.31.5.7/32"]), ["172.31.5.7/32"]],
    ["strips a trailing slash from the upstream", () => checkUpstream("https://goproxy.example.com/"), "https://goproxy.example.com"],
    ["accepts a loopback http upstream", () => checkUpstream("http://127.0.0.1:8080"), "http://127.0.0.1:8080"],
    [
      "sorts private patterns",
      () => checkPrivatePatterns(["github.com/b/*", "github.com/a/*", "github.com/b/*"]),
      ["github.com/a/*", "github.com/b/*"],
    ],
    ["derives the sum DB URL from its name", () => sumDbUrl("sum.golang.org"), "https://sum.golang.org"],
    ["uses an explicit sum DB URL", () => sumDbUrl("sum.example.com+abc+AQ== https://sums.example.com/"), "https://sums.example.com"],
    ["needs Redis from two tasks on", () => [1, 2, 3].map(needsRedis), [false, true, true]],
    [
      "percent-encodes credentials",
      () => athensUrl({ scheme: "https", host: "athens.example.com", user: "ci", password: "a@b:c/d" }),
      "https://ci:a%40b%3Ac%2Fd@athens.example.com",
    ],
    ["redacts credentials", () => redactUrl("https://ci:a%40b@athens.example.com"), "https://***@athens.example.com"],
    ["strips credentials", () => withoutCredentials("https://ci:pw@athens.example.com/"), "https://athens.example.com"],
    ["uses the plain mode name without rules", () => downloadModeValue({ mode: "sealed" }), "none"],
  ];
  GOOD.forEach(([title, run, expected], index) => {
    it(`[${index}] ${title}`, () => assert.deepEqual(run(), expected));
  });
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

  it("renders the ECS container with secrets apart from the environment", () => {
    const json = athensContainerDefinitions({
      image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/athens@sha256:" + "a".repeat(64),
      environment: { ATHENS_STORAGE_TYPE: "s3", BASIC_AUTH_USER: "ci" },
      secrets: [
        { name: "BASIC_AUTH_PASS", valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:athens-basic-auth-AbCdEf:::v1" },
        { name: "ATHENS_GITHUB_TOKEN", valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:gh-token-AbCdEf" },
      ],
      logGroup: "athens-logs",
      region: "eu-west-1",
    });
    assertGolden("athens-container-definitions.json", `${json}\n`);
    assert.throws(
      () =>
        athensContainerDefinitions({
          image: "x",
          environment: { BASIC_AUTH_PASS: "oops" },
          secrets: [{ name: "BASIC_AUTH_PASS", valueFrom: "arn" }],
          logGroup: "g",
          region: "eu-west-1",
        }),
      /BASIC_AUTH_PASS is both a secret and plain environment/,
    );
  });

  it("renders least-privilege IAM policies", () => {
    assertGolden("athens-task-role-policy.json", `${athensTaskRolePolicy("arn:aws:s3:::athens-modules-1234")}\n`);
    const secrets = JSON.parse(secretsReadPolicy(["arn:b", "arn:a"])) as { Statement: { Action: string[]; Resource: string[] }[] };
    assert.deepEqual(secrets.Statement, [
      { Sid: "ReadInjectedSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: ["arn:a", "arn:b"] },
    ]);
  });
});

describe("a sealed proxy's storage against go.sum", () => {
  const GO_SUM = [
    "github.com/google/uuid v1.6.0 h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=",
    "github.com/google/uuid v1.6.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=",
    "github.com/BurntSushi/toml v1.4.0/go.mod h1:ukJfTF/6rtPPRCnwkur4qwRxa8vTRFBF0uk2lLoLwho=",
    "",
  ].join("\n");
  const cases: { title: string; stored: string[]; missing: string[] }[] = [
    {
      title: "everything stored",
      stored: [
        "/s/github.com/google/uuid/v1.6.0/source.zip",
        "/s/github.com/google/uuid/v1.6.0/go.mod",
        "/s/github.com/BurntSushi/toml/v1.4.0/go.mod",
      ],
      missing: [],
    },
    {
      title: "empty storage lists each module once, sorted",
      stored: [],
      missing: ["github.com/BurntSushi/toml@v1.4.0", "github.com/google/uuid@v1.6.0"],
    },
    {
      title: "a go.mod without its zip is not enough for a module the build compiles",
      stored: ["/s/github.com/google/uuid/v1.6.0/go.mod", "/s/github.com/BurntSushi/toml/v1.4.0/go.mod"],
      missing: ["github.com/google/uuid@v1.6.0"],
    },
    {
      title: "module paths keep their case, as Athens writes them",
      stored: [
        "/s/github.com/google/uuid/v1.6.0/source.zip",
        "/s/github.com/google/uuid/v1.6.0/go.mod",
        "/s/github.com/burntsushi/toml/v1.4.0/go.mod",
      ],
      missing: ["github.com/BurntSushi/toml@v1.4.0"],
    },
  ];
  for (const c of cases) {
    it(c.title, () => {
      const stored = new Set(c.stored);
      assert.deepEqual(
        missingFromDiskStorage(GO_SUM, "/s", (path) => stored.has(path)),
        c.missing,
      );
    });
  }
});
