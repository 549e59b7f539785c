// The AWS pieces of Athens (plan/athensAws.ts): its settings checks (table-driven, exact messages), the
// container definition and the IAM policies (golden files). What this cannot prove: that AWS accepts them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  athensContainerDefinitions,
  athensTaskRolePolicy,
  checkAllowedCidrs,
  checkBasicAuthUser,
  checkDesiredCount,
  checkEcrRepositoryUrl,
  checkFargateSize,
  checkImageDigest,
  checkLogRetention,
  checkRegion,
  needsRedis,
  secretsReadPolicy,
} from "../../plan/athensAws";
import { assertGolden } from "../support/golden";
import { BadInput, itRefusesEach, itReturnsEach } from "../support/inputTables";

const CIDR_FIX = "fix: list the build runners' private CIDRs, e.g. 10.0.0.0/16";
const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;
const DIGEST_FIX = "fix: write sha256:<64 hex> of the image copied into the stack's ECR repository";
const ECR_URL = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/athens";
const ECR_FIX = "fix: pass the stack's own ecr.Repository repositoryUrl (no tag)";
const USER_FIX = "fix: use 1-64 letters, digits, dot, dash or underscore";
const FARGATE_CPUS = "fix: use one of 256, 512, 1024, 2048, 4096, 8192, 16384";
const DESIRED_COUNT_PROBLEM =
  "must be a whole number of tasks from 1 to 10; fix: use 1 (memory single-flight) or more (Redis single-flight)";

const BAD_INPUTS: readonly BadInput[] = [
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
  {
    title: "a CIDR that is not a string",
    run: () => checkAllowedCidrs([["10.0.0.0/8"]]),
    message: `slipway:athens.allowedCidrs[0] = ["10.0.0.0/8"]: not an IPv4 CIDR; ${CIDR_FIX}`,
  },
  {
    title: "a CIDR with junk before it",
    run: () => checkAllowedCidrs(["x10.0.0.0/8"]),
    message: `slipway:athens.allowedCidrs[0] = "x10.0.0.0/8": not an IPv4 CIDR; ${CIDR_FIX}`,
  },
  {
    title: "a CIDR with junk after it",
    run: () => checkAllowedCidrs(["10.0.0.0/8x"]),
    message: `slipway:athens.allowedCidrs[0] = "10.0.0.0/8x": not an IPv4 CIDR; ${CIDR_FIX}`,
  },
  {
    title: "an octet above 255",
    run: () => checkAllowedCidrs(["10.256.0.0/16"]),
    message: `slipway:athens.allowedCidrs[0] = "10.256.0.0/16": not an IPv4 CIDR; ${CIDR_FIX}`,
  },
  {
    title: "a prefix length above 32",
    run: () => checkAllowedCidrs(["10.0.0.0/33"]),
    message: `slipway:athens.allowedCidrs[0] = "10.0.0.0/33": not an IPv4 CIDR; ${CIDR_FIX}`,
  },
  {
    title: "a CIDR one bit wider than 10/8",
    run: () => checkAllowedCidrs(["10.0.0.0/7"]),
    message: `slipway:athens.allowedCidrs[0] = "10.0.0.0/7": is not a private range (10/8, 172.16/12, 192.168/16, 100.64/10); ${CIDR_FIX}`,
  },
  {
    title: "a CIDR one bit wider than 192.168/16",
    run: () => checkAllowedCidrs(["192.168.0.0/15"]),
    message: `slipway:athens.allowedCidrs[0] = "192.168.0.0/15": is not a private range (10/8, 172.16/12, 192.168/16, 100.64/10); ${CIDR_FIX}`,
  },
  {
    title: "a CPU size Fargate does not offer",
    run: () => checkFargateSize(300, 1024),
    message: `slipway:athens.aws.cpu = 300: not a Fargate CPU size; ${FARGATE_CPUS}`,
  },
  {
    title: "a CPU size written as a string",
    run: () => checkFargateSize("256", 512),
    message: `slipway:athens.aws.cpu = "256": not a Fargate CPU size; ${FARGATE_CPUS}`,
  },
  {
    title: "a memory size between two steps",
    run: () => checkFargateSize(256, 768),
    message: "slipway:athens.aws.memory = 768: not a Fargate memory size for cpu 256; fix: use 512 to 2048 MiB in steps of 512",
  },
  {
    title: "a memory size on a step but above the range",
    run: () => checkFargateSize(512, 5120),
    message: "slipway:athens.aws.memory = 5120: not a Fargate memory size for cpu 512; fix: use 1024 to 4096 MiB in steps of 1024",
  },
  {
    title: "a memory size on a step but below the range",
    run: () => checkFargateSize(1024, 1024),
    message: "slipway:athens.aws.memory = 1024: not a Fargate memory size for cpu 1024; fix: use 2048 to 8192 MiB in steps of 1024",
  },
  {
    title: "a memory size written as a string",
    run: () => checkFargateSize(1024, "2048"),
    message: 'slipway:athens.aws.memory = "2048": not a Fargate memory size for cpu 1024; fix: use 2048 to 8192 MiB in steps of 1024',
  },
  { title: "no task", run: () => checkDesiredCount(0), message: `slipway:athens.aws.desiredCount = 0: ${DESIRED_COUNT_PROBLEM}` },
  { title: "11 tasks", run: () => checkDesiredCount(11), message: `slipway:athens.aws.desiredCount = 11: ${DESIRED_COUNT_PROBLEM}` },
  { title: "half a task", run: () => checkDesiredCount(1.5), message: `slipway:athens.aws.desiredCount = 1.5: ${DESIRED_COUNT_PROBLEM}` },
  {
    title: "a task count written as a string",
    run: () => checkDesiredCount("2"),
    message: `slipway:athens.aws.desiredCount = "2": ${DESIRED_COUNT_PROBLEM}`,
  },
  {
    title: "a log retention CloudWatch does not offer",
    run: () => checkLogRetention(2),
    message:
      "slipway:athens.aws.logRetentionDays = 2: not a CloudWatch Logs retention period; fix: use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
  },
  {
    title: "a log retention written as a string",
    run: () => checkLogRetention("30"),
    message:
      'slipway:athens.aws.logRetentionDays = "30": not a CloudWatch Logs retention period; fix: use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
  },
  {
    title: "a region without its number",
    run: () => checkRegion("eu-west"),
    message: 'slipway:athens.aws.region = "eu-west": not an AWS region; fix: write e.g. eu-west-1',
  },
  {
    title: "a region that is not a string",
    run: () => checkRegion(["eu-west-1"]),
    message: 'slipway:athens.aws.region = ["eu-west-1"]: not an AWS region; fix: write e.g. eu-west-1',
  },
  {
    title: "a digest in upper case",
    run: () => checkImageDigest(DIGEST.toUpperCase()),
    message: `slipway:athens.aws.imageDigest = "${DIGEST.toUpperCase()}": the Athens image must be pinned by digest; ${DIGEST_FIX}`,
  },
  {
    title: "a digest with 65 hex digits",
    run: () => checkImageDigest(`${DIGEST}0`),
    message: `slipway:athens.aws.imageDigest = "${DIGEST}0": the Athens image must be pinned by digest; ${DIGEST_FIX}`,
  },
  {
    title: "a digest with the image name before it",
    run: () => checkImageDigest(`athens@${DIGEST}`),
    message: `slipway:athens.aws.imageDigest = "athens@${DIGEST}": the Athens image must be pinned by digest; ${DIGEST_FIX}`,
  },
  {
    title: "a digest that is not a string",
    run: () => checkImageDigest([DIGEST]),
    message: `slipway:athens.aws.imageDigest = ["${DIGEST}"]: the Athens image must be pinned by digest; ${DIGEST_FIX}`,
  },
  {
    title: "an ECR URL with an 11-digit account",
    run: () => checkEcrRepositoryUrl("12345678901.dkr.ecr.eu-west-1.amazonaws.com/athens"),
    message: `slipway:athens.aws.imageRepositoryUrl = "12345678901.dkr.ecr.eu-west-1.amazonaws.com/athens": not an ECR repository URL; ${ECR_FIX}`,
  },
  {
    title: "an ECR URL with a scheme",
    run: () => checkEcrRepositoryUrl(`https://${ECR_URL}`),
    message: `slipway:athens.aws.imageRepositoryUrl = "https://${ECR_URL}": not an ECR repository URL; ${ECR_FIX}`,
  },
  {
    title: "an ECR URL with a tag",
    run: () => checkEcrRepositoryUrl(`${ECR_URL}:v0.18.0`),
    message: `slipway:athens.aws.imageRepositoryUrl = "${ECR_URL}:v0.18.0": not an ECR repository URL; ${ECR_FIX}`,
  },
  {
    title: "an ECR repository name ending in a separator",
    run: () => checkEcrRepositoryUrl(`${ECR_URL}-`),
    message: `slipway:athens.aws.imageRepositoryUrl = "${ECR_URL}-": not an ECR repository URL; ${ECR_FIX}`,
  },
  {
    title: "an ECR repository name with two separators in a row",
    run: () => checkEcrRepositoryUrl("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team//athens"),
    message: `slipway:athens.aws.imageRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team//athens": not an ECR repository URL; ${ECR_FIX}`,
  },
  {
    title: "an ECR repository name in upper case",
    run: () => checkEcrRepositoryUrl("123456789012.dkr.ecr.eu-west-1.amazonaws.com/Athens"),
    message: `slipway:athens.aws.imageRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/Athens": not an ECR repository URL; ${ECR_FIX}`,
  },
  {
    title: "an ECR URL that is not a string",
    run: () => checkEcrRepositoryUrl([ECR_URL]),
    message: `slipway:athens.aws.imageRepositoryUrl = ["${ECR_URL}"]: not an ECR repository URL; ${ECR_FIX}`,
  },
  {
    title: "an empty basic-auth user",
    run: () => checkBasicAuthUser(""),
    message: `slipway:athens.aws.basicAuthUser = "": not a basic-auth user name; ${USER_FIX}`,
  },
  {
    title: "a basic-auth user of 65 characters",
    run: () => checkBasicAuthUser("a".repeat(65)),
    message: `slipway:athens.aws.basicAuthUser = "${"a".repeat(65)}": not a basic-auth user name; ${USER_FIX}`,
  },
  {
    title: "a basic-auth user with a bad character before it",
    run: () => checkBasicAuthUser("!ci"),
    message: `slipway:athens.aws.basicAuthUser = "!ci": not a basic-auth user name; ${USER_FIX}`,
  },
  {
    title: "a basic-auth user with a bad character after it",
    run: () => checkBasicAuthUser("ci!"),
    message: `slipway:athens.aws.basicAuthUser = "ci!": not a basic-auth user name; ${USER_FIX}`,
  },
  {
    title: "a basic-auth user that is not a string",
    run: () => checkBasicAuthUser(["ci"]),
    message: `slipway:athens.aws.basicAuthUser = ["ci"]: not a basic-auth user name; ${USER_FIX}`,
  },
];

const GOOD: readonly (readonly [string, () => unknown, unknown])[] = [
  [
    "sorts and de-duplicates CIDRs",
    () => checkAllowedCidrs(["192.168.0.0/16", "10.0.0.0/16", "10.0.0.0/16"]),
    ["10.0.0.0/16", "192.168.0.0/16"],
  ],
  ["accepts CGNAT space VPCs use", () => checkAllowedCidrs(["100.64.0.0/16"]), ["100.64.0.0/16"]],
  ["accepts a single host", () => checkAllowedCidrs(["172.31.5.7/32"]), ["172.31.5.7/32"]],
  ["needs Redis from two tasks on", () => [1, 2, 3].map(needsRedis), [false, true, true]],
  [
    "accepts octets and prefixes of two and three digits",
    () => checkAllowedCidrs(["10.255.0.0/16", "10.20.30.0/24", "10.0.0.128/25"]),
    ["10.0.0.128/25", "10.20.30.0/24", "10.255.0.0/16"],
  ],
  [
    "accepts every Fargate CPU size with memory at the ends and on the steps of its range",
    () =>
      [
        [256, 512],
        [256, 2048],
        [512, 2048],
        [1024, 8192],
        [2048, 4096],
        [4096, 30720],
        [8192, 20480],
        [16384, 122880],
      ].map(([cpu, memory]) => checkFargateSize(cpu, memory)),
    [
      { cpu: 256, memory: 512 },
      { cpu: 256, memory: 2048 },
      { cpu: 512, memory: 2048 },
      { cpu: 1024, memory: 8192 },
      { cpu: 2048, memory: 4096 },
      { cpu: 4096, memory: 30720 },
      { cpu: 8192, memory: 20480 },
      { cpu: 16384, memory: 122880 },
    ],
  ],
  ["accepts 1 to 10 tasks", () => [1, 2, 10].map((count) => checkDesiredCount(count)), [1, 2, 10]],
  ["accepts CloudWatch log retentions", () => [1, 30, 3653].map((days) => checkLogRetention(days)), [1, 30, 3653]],
  [
    "accepts commercial, GovCloud and China regions",
    () => ["eu-west-1", "us-gov-west-1", "cn-north-1"].map((region) => checkRegion(region)),
    ["eu-west-1", "us-gov-west-1", "cn-north-1"],
  ],
  ["accepts a sha256 digest", () => checkImageDigest(DIGEST), DIGEST],
  ["accepts an ECR repository URL", () => checkEcrRepositoryUrl(ECR_URL), ECR_URL],
  [
    "accepts a China ECR URL with a multi-part repository name",
    () => checkEcrRepositoryUrl("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/team/go_mods.athens-proxy2"),
    "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/team/go_mods.athens-proxy2",
  ],
  [
    "accepts basic-auth users of letters, digits, dot, dash and underscore up to 64 characters",
    () => ["ci-Bot_1.x", "a".repeat(64)].map((user) => checkBasicAuthUser(user)),
    ["ci-Bot_1.x", "a".repeat(64)],
  ],
];

describe("Athens AWS settings validation", () => {
  itRefusesEach(BAD_INPUTS);
  itReturnsEach(GOOD);
});

describe("Athens on ECS rendered configuration", () => {
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
    assert.deepEqual(JSON.parse(secretsReadPolicy(["arn:b", "arn:a"])), {
      Version: "2012-10-17",
      Statement: [{ Sid: "ReadInjectedSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: ["arn:a", "arn:b"] }],
    });
  });

  it("sorts secrets and environment by name whatever order they come in", () => {
    const json = athensContainerDefinitions({
      image: "athens",
      environment: { GOFLAGS: "-mod=mod", ATHENS_STORAGE_TYPE: "s3", BASIC_AUTH_USER: "ci" },
      secrets: [
        { name: "BASIC_AUTH_PASS", valueFrom: "arn:pass" },
        { name: "REDIS_PASSWORD", valueFrom: "arn:redis" },
        { name: "ATHENS_GITHUB_TOKEN", valueFrom: "arn:token" },
      ],
      logGroup: "g",
      region: "eu-west-1",
    });
    const [container] = JSON.parse(json) as { environment: { name: string }[]; secrets: { name: string; valueFrom: string }[] }[];
    assert.deepEqual(
      container?.environment.map(({ name }) => name),
      ["ATHENS_STORAGE_TYPE", "BASIC_AUTH_USER", "GOFLAGS"],
    );
    assert.deepEqual(container?.secrets, [
      { name: "ATHENS_GITHUB_TOKEN", valueFrom: "arn:token" },
      { name: "BASIC_AUTH_PASS", valueFrom: "arn:pass" },
      { name: "REDIS_PASSWORD", valueFrom: "arn:redis" },
    ]);
  });
});
