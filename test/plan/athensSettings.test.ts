// The typed Athens settings (plan/athensSettings.ts): the stack's `slipway:athens` value parsed into one
// of three kinds, every check the component makes run while the config is read (exact messages), and
// what the parse keeps as written (the component applies defaults and resolves directories).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AwsAthensSettings,
  checkAwsSettings,
  checkEndpointSettings,
  checkLocalProcessSettings,
  parseAthensSettings,
} from "../../plan/athensSettings";
import { showValue } from "../../plan/errors";
import { BadInput, itRefusesEach, itReturnsEach } from "../support/inputTables";

const AWS = {
  kind: "aws",
  region: "eu-west-1",
  vpcId: "vpc-1234",
  subnetIds: ["subnet-a", "subnet-b"],
  allowedCidrs: ["10.0.0.0/16"],
  imageRepositoryUrl: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/athens",
  imageDigest: `sha256:${"b".repeat(64)}`,
  basicAuthUser: "ci",
  tls: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1", hostname: "athens.build.example.com" },
} as const;

/** A valid DNS name of `length` characters (at least 197): three 63-character labels, one filler label, `.com`. */
function hostNameOfLength(length: number): string {
  const label = "a".repeat(63);
  return `${label}.${label}.${label}.${"b".repeat(length - 196)}.com`;
}

function parseAws(overrides: Readonly<Record<string, unknown>>): AwsAthensSettings {
  const settings = parseAthensSettings({ ...AWS, ...overrides });
  if (settings.kind !== "aws") assert.fail(`parsed as ${settings.kind}`);
  return settings;
}

const HOSTNAME_FIX = "fix: write the name the certificate covers, e.g. athens.build.example.com";

const GOOD: readonly (readonly [string, () => unknown, unknown])[] = [
  ["defaults to a local process", () => parseAthensSettings(undefined), { kind: "local", source: "process" }],
  [
    "reads a local process, keeping unset fields unset",
    () => parseAthensSettings({ kind: "local", port: 3001, storageDir: "cache/athens", mode: "sealed" }),
    {
      kind: "local",
      source: "process",
      mode: "sealed",
      upstream: undefined,
      downloadRules: undefined,
      privatePatterns: undefined,
      gosumdb: undefined,
      host: undefined,
      port: 3001,
      storageDir: "cache/athens",
      stateDir: undefined,
      binary: undefined,
      startTimeoutSeconds: undefined,
    },
  ],
  [
    "reads an endpoint URL as written",
    () => parseAthensSettings({ kind: "local", source: "endpoint", url: "http://127.0.0.1:3000/", privatePatterns: ["github.com/acme/*"] }),
    { kind: "local", source: "endpoint", url: "http://127.0.0.1:3000/", privatePatterns: ["github.com/acme/*"], gosumdb: undefined },
  ],
  [
    "reads every AWS field, normalised as the checks return them",
    () =>
      parseAthensSettings({
        ...AWS,
        allowedCidrs: ["10.1.0.0/16", "10.0.0.0/16", "10.1.0.0/16"],
        upstream: "https://goproxy.example.com/",
        cpu: 1024,
        memory: 2048,
        desiredCount: 2,
        architecture: "ARM64",
        githubTokenSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:gh",
        unknownField: "ignored",
      }),
    {
      ...AWS,
      subnetIds: ["subnet-a", "subnet-b"],
      allowedCidrs: ["10.0.0.0/16", "10.1.0.0/16"],
      tls: { ...AWS.tls },
      mode: undefined,
      upstream: "https://goproxy.example.com",
      downloadRules: undefined,
      privatePatterns: undefined,
      gosumdb: undefined,
      githubTokenSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:gh",
      cpu: 1024,
      memory: 2048,
      architecture: "ARM64",
      desiredCount: 2,
      logRetentionDays: undefined,
      redisNodeType: undefined,
    },
  ],
  [
    "applies the AWS defaults when checking",
    () => {
      const { size, desiredCount, logRetentionDays, settings } = checkAwsSettings(AWS);
      return [size, desiredCount, logRetentionDays, settings.mode, settings.downloadMode, settings.networkMode];
    },
    [{ cpu: 512, memory: 1024 }, 1, 30, "warm", "sync", "strict"],
  ],
  [
    "applies the local defaults when checking, directories as given",
    () => {
      const { listen, binary, startTimeoutMs, storageDir, stateDir } = checkLocalProcessSettings({ kind: "local", source: "process" });
      return [listen, binary, startTimeoutMs, storageDir, stateDir];
    },
    [{ host: "127.0.0.1", port: 3000 }, "proxy", 60_000, ".slipway/athens/storage", ".slipway/athens/run"],
  ],
  [
    "reads every local process field, normalised as the checks return them",
    () =>
      parseAthensSettings({
        kind: "local",
        source: "process",
        upstream: "https://goproxy.example.com/",
        downloadRules: [{ pattern: "github.com/acme/*", mode: "none" }],
        privatePatterns: ["github.com/b/*", "github.com/a/*"],
        gosumdb: "sum.golang.org",
        host: "127.0.0.1",
        stateDir: "run/athens",
        binary: "/usr/local/bin/athens",
        startTimeoutSeconds: 600,
      }),
    {
      kind: "local",
      source: "process",
      mode: undefined,
      upstream: "https://goproxy.example.com",
      downloadRules: [{ pattern: "github.com/acme/*", mode: "none" }],
      privatePatterns: ["github.com/a/*", "github.com/b/*"],
      gosumdb: "sum.golang.org",
      host: "127.0.0.1",
      port: undefined,
      storageDir: undefined,
      stateDir: "run/athens",
      binary: "/usr/local/bin/athens",
      startTimeoutSeconds: 600,
    },
  ],
  [
    "reads the required AWS fields alone, keeping unset fields unset",
    () => parseAthensSettings(AWS),
    {
      ...AWS,
      subnetIds: ["subnet-a", "subnet-b"],
      allowedCidrs: ["10.0.0.0/16"],
      tls: { ...AWS.tls },
      mode: undefined,
      upstream: undefined,
      downloadRules: undefined,
      privatePatterns: undefined,
      gosumdb: undefined,
      githubTokenSecretArn: undefined,
      cpu: undefined,
      memory: undefined,
      architecture: undefined,
      desiredCount: undefined,
      logRetentionDays: undefined,
      redisNodeType: undefined,
    },
  ],
  [
    "reads the AWS architecture, log retention and node type",
    () => {
      const { architecture, logRetentionDays, redisNodeType } = parseAws({
        architecture: "X86_64",
        logRetentionDays: 90,
        redisNodeType: "cache.t4g.micro",
      });
      return [architecture, logRetentionDays, redisNodeType];
    },
    ["X86_64", 90, "cache.t4g.micro"],
  ],
  [
    "accepts a host name with a one-character label",
    () => parseAws({ tls: { ...AWS.tls, hostname: "a.example.com" } }).tls.hostname,
    "a.example.com",
  ],
  ["accepts a 253-character host name", () => parseAws({ tls: { ...AWS.tls, hostname: hostNameOfLength(253) } }).tls.hostname.length, 253],
  [
    "checks only a plain image repository URL (a component may pass a Pulumi output)",
    () => checkAwsSettings({ ...AWS, imageRepositoryUrl: { apply: () => undefined } }).region,
    "eu-west-1",
  ],
  [
    "accepts start timeouts of 1 and 600 seconds and an absolute binary path",
    () =>
      [1, 600].map((startTimeoutSeconds) => {
        const { startTimeoutMs, binary } = checkLocalProcessSettings({
          kind: "local",
          source: "process",
          startTimeoutSeconds,
          binary: "/opt/athens/proxy",
        });
        return [startTimeoutMs, binary];
      }),
    [
      [1000, "/opt/athens/proxy"],
      [600_000, "/opt/athens/proxy"],
    ],
  ],
  [
    "checks an endpoint's client settings",
    () =>
      checkEndpointSettings({
        url: "https://ci:pw@athens.example.com",
        privatePatterns: ["github.com/b/*", "github.com/a/*"],
        gosumdb: "sum.golang.org",
      }),
    { privatePatterns: ["github.com/a/*", "github.com/b/*"], gosumdb: "sum.golang.org" },
  ],
  [
    "checks only a plain endpoint URL (a component may pass a Pulumi output)",
    () => checkEndpointSettings({ url: { apply: () => undefined } }),
    { privatePatterns: [], gosumdb: undefined },
  ],
];

const BAD: readonly BadInput[] = [
  {
    title: "an unknown kind",
    run: () => parseAthensSettings({ kind: "gcp" }),
    message: 'slipway:athens.kind = "gcp": unknown proxy kind; fix: use local or aws',
  },
  {
    title: "an unknown local source",
    run: () => parseAthensSettings({ kind: "local", source: "docker" }),
    message:
      'slipway:athens.source = "docker": unknown local proxy source; fix: use process (slipway runs Athens) or endpoint (an Athens you run)',
  },
  {
    title: "a port that is not a number",
    run: () => parseAthensSettings({ kind: "local", port: "3000" }),
    message: 'slipway:athens.local.port = "3000": not a TCP port; fix: use a port from 1 to 65535',
  },
  {
    title: "a binary that is not a string",
    run: () => parseAthensSettings({ kind: "local", binary: 7 }),
    message:
      "slipway:athens.local.binary = 7: must be a command name on PATH or an absolute path; fix: write e.g. proxy or /usr/local/bin/athens",
  },
  {
    title: "an empty storage directory",
    run: () => parseAthensSettings({ kind: "local", storageDir: " " }),
    message: 'slipway:athens.local.storageDir = " ": must be a directory path; fix: write a path or leave it unset',
  },
  {
    title: "a start timeout beyond ten minutes",
    run: () => parseAthensSettings({ kind: "local", startTimeoutSeconds: 601 }),
    message: "slipway:athens.local.startTimeoutSeconds = 601: must be a whole number of seconds from 1 to 600; fix: use e.g. 60",
  },
  {
    title: "an endpoint without a URL",
    run: () => parseAthensSettings({ kind: "local", source: "endpoint" }),
    message: "slipway:athens.local.url = (unset): not an http(s) URL; fix: write the Athens base URL, e.g. http://127.0.0.1:3000",
  },
  {
    title: "a VPC id that is not a string",
    run: () => parseAthensSettings({ ...AWS, vpcId: 5 }),
    message: "slipway:athens.aws.vpcId = 5: must be a non-empty string; fix: quote the value",
  },
  {
    title: "subnets that are not a list",
    run: () => parseAthensSettings({ ...AWS, subnetIds: "subnet-a" }),
    message: 'slipway:athens.aws.subnetIds = "subnet-a": must be a list of strings; fix: write e.g. ["subnet-0a", "subnet-0b"]',
  },
  {
    title: "one subnet",
    run: () => parseAthensSettings({ ...AWS, subnetIds: ["subnet-a"] }),
    message:
      'slipway:athens.aws.subnetIds = ["subnet-a"]: an application load balancer needs subnets in two availability zones; fix: list two or more private subnets',
  },
  {
    title: "no TLS",
    run: () => parseAthensSettings({ ...AWS, tls: undefined }),
    message:
      "slipway:athens.aws.tls = (unset): an HTTPS listener is required (basic auth never crosses plain http); fix: set tls.certificateArn and tls.hostname",
  },
  {
    title: "TLS without a certificate",
    run: () => parseAthensSettings({ ...AWS, tls: { hostname: "athens.build.example.com" } }),
    message: "slipway:athens.aws.tls.certificateArn = (unset): must be a non-empty string; fix: quote the value",
  },
  {
    title: "an unknown architecture",
    run: () => parseAthensSettings({ ...AWS, architecture: "arm64" }),
    message: 'slipway:athens.aws.architecture = "arm64": not a Fargate CPU architecture; fix: use X86_64 or ARM64',
  },
  {
    title: "a node type that is not a string",
    run: () => parseAthensSettings({ ...AWS, redisNodeType: 1 }),
    message: "slipway:athens.aws.redisNodeType = 1: not an ElastiCache node type; fix: write e.g. cache.t4g.micro",
  },
  {
    title: "a loopback http upstream for tasks on the network",
    run: () => parseAthensSettings({ ...AWS, upstream: "http://127.0.0.1:8080" }),
    message: 'slipway:athens.upstream = "http://127.0.0.1:8080": tasks reach the upstream over the network; fix: use an https URL',
  },
  {
    title: "a memory size the CPU size does not allow",
    run: () => parseAthensSettings({ ...AWS, cpu: 256, memory: 4096 }),
    message: "slipway:athens.aws.memory = 4096: not a Fargate memory size for cpu 256; fix: use 512 to 2048 MiB in steps of 512",
  },
  {
    title: "a null setting",
    run: () => parseAthensSettings(null),
    message: "slipway:athens.kind = (unset): unknown proxy kind; fix: use local or aws",
  },
  {
    title: "a kind that is not a string",
    run: () => parseAthensSettings({ kind: 5 }),
    message: "slipway:athens.kind = 5: must be a string; fix: quote the value",
  },
  {
    title: "a source that is not a string",
    run: () => parseAthensSettings({ kind: "local", source: 5 }),
    message: "slipway:athens.source = 5: must be a string; fix: quote the value",
  },
  {
    title: "a storage directory that is not a string",
    run: () => parseAthensSettings({ kind: "local", storageDir: 5 }),
    message: "slipway:athens.local.storageDir = 5: must be a directory path; fix: write a path or leave it unset",
  },
  {
    title: "an empty state directory",
    run: () => parseAthensSettings({ kind: "local", stateDir: " " }),
    message: 'slipway:athens.local.stateDir = " ": must be a directory path; fix: write a path or leave it unset',
  },
  {
    title: "an empty storage directory, when checking",
    run: () => checkLocalProcessSettings({ kind: "local", source: "process", storageDir: " " }),
    message: 'slipway:athens.local.storageDir = " ": must be a directory path; fix: write a path or leave it unset',
  },
  {
    title: "an empty state directory, when checking",
    run: () => checkLocalProcessSettings({ kind: "local", source: "process", stateDir: "" }),
    message: 'slipway:athens.local.stateDir = "": must be a directory path; fix: write a path or leave it unset',
  },
  {
    title: "an empty binary",
    run: () => parseAthensSettings({ kind: "local", binary: "" }),
    message:
      'slipway:athens.local.binary = "": must be a command name on PATH or an absolute path; fix: write e.g. proxy or /usr/local/bin/athens',
  },
  {
    title: "a relative binary path",
    run: () => parseAthensSettings({ kind: "local", binary: "bin/athens" }),
    message:
      'slipway:athens.local.binary = "bin/athens": must be a command name on PATH or an absolute path; fix: write e.g. proxy or /usr/local/bin/athens',
  },
  {
    title: "a start timeout of 0",
    run: () => parseAthensSettings({ kind: "local", startTimeoutSeconds: 0 }),
    message: "slipway:athens.local.startTimeoutSeconds = 0: must be a whole number of seconds from 1 to 600; fix: use e.g. 60",
  },
  {
    title: "a fractional start timeout",
    run: () => parseAthensSettings({ kind: "local", startTimeoutSeconds: 1.5 }),
    message: "slipway:athens.local.startTimeoutSeconds = 1.5: must be a whole number of seconds from 1 to 600; fix: use e.g. 60",
  },
  {
    title: "a start timeout written as a string",
    run: () => parseAthensSettings({ kind: "local", startTimeoutSeconds: "60" }),
    message: 'slipway:athens.local.startTimeoutSeconds = "60": must be a whole number of seconds from 1 to 600; fix: use e.g. 60',
  },
  {
    title: "a bad endpoint URL, when checking",
    run: () => checkEndpointSettings({ url: "127.0.0.1:3000" }),
    message: 'slipway:athens.local.url = "127.0.0.1:3000": not an http(s) URL; fix: write the Athens base URL, e.g. http://127.0.0.1:3000',
  },
  {
    title: "an empty VPC id",
    run: () => parseAthensSettings({ ...AWS, vpcId: "" }),
    message: 'slipway:athens.aws.vpcId = "": must be a non-empty string; fix: quote the value',
  },
  {
    title: "subnets with one that is not a string",
    run: () => parseAthensSettings({ ...AWS, subnetIds: ["subnet-a", 5] }),
    message: 'slipway:athens.aws.subnetIds = ["subnet-a",5]: must be a list of strings; fix: write e.g. ["subnet-0a", "subnet-0b"]',
  },
  {
    title: "an empty GitHub token secret ARN",
    run: () => parseAthensSettings({ ...AWS, githubTokenSecretArn: "" }),
    message: 'slipway:athens.aws.githubTokenSecretArn = "": must be a non-empty string; fix: quote the value',
  },
  {
    title: "a null TLS",
    run: () => parseAthensSettings({ ...AWS, tls: null }),
    message:
      "slipway:athens.aws.tls = null: an HTTPS listener is required (basic auth never crosses plain http); fix: set tls.certificateArn and tls.hostname",
  },
  {
    title: "TLS without a host name",
    run: () => parseAthensSettings({ ...AWS, tls: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1" } }),
    message:
      'slipway:athens.aws.tls = {"certificateArn":"arn:aws:acm:eu-west-1:123456789012:certificate/1"}: an HTTPS listener is required (basic auth never crosses plain http); fix: set tls.certificateArn and tls.hostname',
  },
  {
    title: "a host name without a domain",
    run: () => parseAthensSettings({ ...AWS, tls: { ...AWS.tls, hostname: "athens" } }),
    message: `slipway:athens.aws.tls.hostname = "athens": not a DNS name; ${HOSTNAME_FIX}`,
  },
  {
    title: "a wildcard host name",
    run: () => parseAthensSettings({ ...AWS, tls: { ...AWS.tls, hostname: "*.build.example.com" } }),
    message: `slipway:athens.aws.tls.hostname = "*.build.example.com": not a DNS name; ${HOSTNAME_FIX}`,
  },
  {
    title: "a host name with a trailing dot",
    run: () => parseAthensSettings({ ...AWS, tls: { ...AWS.tls, hostname: "athens.build.example.com." } }),
    message: `slipway:athens.aws.tls.hostname = "athens.build.example.com.": not a DNS name; ${HOSTNAME_FIX}`,
  },
  {
    title: "a 254-character host name",
    run: () => parseAthensSettings({ ...AWS, tls: { ...AWS.tls, hostname: hostNameOfLength(254) } }),
    message: `slipway:athens.aws.tls.hostname = ${showValue(hostNameOfLength(254))}: not a DNS name; ${HOSTNAME_FIX}`,
  },
  {
    title: "a node type without the cache prefix",
    run: () => parseAthensSettings({ ...AWS, redisNodeType: "t4g.micro" }),
    message: 'slipway:athens.aws.redisNodeType = "t4g.micro": not an ElastiCache node type; fix: write e.g. cache.t4g.micro',
  },
  {
    title: "a node type with junk before it",
    run: () => parseAthensSettings({ ...AWS, redisNodeType: "elasticache.t4g.micro" }),
    message: 'slipway:athens.aws.redisNodeType = "elasticache.t4g.micro": not an ElastiCache node type; fix: write e.g. cache.t4g.micro',
  },
  {
    title: "a node type with junk after it",
    run: () => parseAthensSettings({ ...AWS, redisNodeType: "cache.t4g.micro.x" }),
    message: 'slipway:athens.aws.redisNodeType = "cache.t4g.micro.x": not an ElastiCache node type; fix: write e.g. cache.t4g.micro',
  },
  {
    // A one-element list stringifies to its element, which would pass the pattern.
    title: "a node type inside a list",
    run: () => parseAthensSettings({ ...AWS, redisNodeType: ["cache.t4g.micro"] }),
    message: 'slipway:athens.aws.redisNodeType = ["cache.t4g.micro"]: not an ElastiCache node type; fix: write e.g. cache.t4g.micro',
  },
  {
    title: "a bad node type, when checking",
    run: () => checkAwsSettings({ ...AWS, redisNodeType: "t4g.micro" }),
    message: 'slipway:athens.aws.redisNodeType = "t4g.micro": not an ElastiCache node type; fix: write e.g. cache.t4g.micro',
  },
  {
    title: "a tagged image repository URL, when checking",
    run: () => checkAwsSettings({ ...AWS, imageRepositoryUrl: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/athens:v0.18.0" }),
    message:
      'slipway:athens.aws.imageRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/athens:v0.18.0": not an ECR repository URL; fix: pass the stack\'s own ecr.Repository repositoryUrl (no tag)',
  },
];

describe("typed Athens settings", () => {
  itReturnsEach(GOOD);
  itRefusesEach(BAD);

  it("keeps a parsed value stable: parsing what the parse returned gives it back", () => {
    const once = parseAthensSettings({
      ...AWS,
      allowedCidrs: ["10.1.0.0/16", "10.0.0.0/16"],
      privatePatterns: ["github.com/b/*", "github.com/a/*"],
    });
    assert.deepEqual(parseAthensSettings(once), once);
  });
});
