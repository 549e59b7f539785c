// The AWS pieces of Athens (plan/athensAws.ts): its settings checks (table-driven, exact messages), the
// container definition and the IAM policies (golden files). What this cannot prove: that AWS accepts them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  athensContainerDefinitions,
  athensTaskRolePolicy,
  checkAllowedCidrs,
  checkFargateSize,
  checkImageDigest,
  needsRedis,
  secretsReadPolicy,
} from "../../plan/athensAws";
import { assertGolden } from "../support/golden";
import { BadInput, itRefusesEach, itReturnsEach } from "../support/inputTables";

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
    const secrets = JSON.parse(secretsReadPolicy(["arn:b", "arn:a"])) as { Statement: { Action: string[]; Resource: string[] }[] };
    assert.deepEqual(secrets.Statement, [
      { Sid: "ReadInjectedSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: ["arn:a", "arn:b"] },
    ]);
  });
});
