// The typed Athens settings (plan/athensSettings.ts): the stack's `slipway:athens` value parsed into one
// of three kinds, every check the component makes run while the config is read (exact messages), and
// what the parse keeps as written (the component applies defaults and resolves directories).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkAwsSettings, checkLocalProcessSettings, parseAthensSettings } from "../../plan/athensSettings";
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
