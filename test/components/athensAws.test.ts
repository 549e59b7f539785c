// AthensAws under Pulumi mocks: exact registrations, the security-relevant inputs, both branches of every
// optional child (Redis, the GitHub token), secret outputs, and one preview run. What mocks cannot prove:
// that AWS accepts these inputs, resource options such as retainOnDelete on the bucket or the aliases to
// the resources' former parent, and parentage. The component declares nothing at import time, so a
// static import is safe; mocks are installed in before() and instances made in tests.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AthensAws, AthensAwsArgs } from "../../components/athensAws";
import { SlipwayInputError } from "../../plan/errors";
import { CERTIFICATE, DIGEST, PASSWORD, REPOSITORY, T, awsArgs, mockOutputs } from "../support/athensMocks";
import { Registration, named, ofType, recordRegistrations, settle, valueOf } from "../support/mocks";

interface PolicyDocument {
  readonly Statement: readonly { readonly Effect: string; readonly Action: readonly string[]; readonly Resource: readonly string[] }[];
}

interface ContainerDefinition {
  readonly image: string;
  readonly environment: readonly { name: string; value: string }[];
  readonly secrets: readonly { name: string; valueFrom: string }[];
}

function containerOf(registrations: readonly Registration[], name: string): ContainerDefinition {
  const text = named(registrations, `${name}-taskdef`).inputs.containerDefinitions as string;
  assert.ok(!text.includes(PASSWORD), "the password never appears in the task definition");
  const [container, ...others] = JSON.parse(text) as ContainerDefinition[];
  assert.equal(others.length, 0);
  assert.ok(container !== undefined);
  return container;
}

function envOf(container: ContainerDefinition): Record<string, string> {
  return Object.fromEntries(container.environment.map(({ name, value }) => [name, value]));
}

function counts(registrations: readonly Registration[], prefix: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const r of registrations.filter((r) => r.name.startsWith(prefix))) result[r.type] = (result[r.type] ?? 0) + 1;
  return result;
}

const BASE_COUNTS = {
  [T.aws]: 1,
  [T.bucket]: 1,
  [T.versioning]: 1,
  [T.encryption]: 1,
  [T.publicAccess]: 1,
  [T.role]: 2,
  [T.rolePolicy]: 2,
  [T.attachment]: 1,
  [T.secret]: 1,
  [T.secretVersion]: 1,
  [T.logGroup]: 1,
  [T.sg]: 2,
  [T.ingress]: 3,
  [T.egress]: 2,
  [T.lb]: 1,
  [T.targetGroup]: 1,
  [T.listener]: 1,
  [T.cluster]: 1,
  [T.taskDefinition]: 1,
  [T.service]: 1,
};

describe("AthensAws", () => {
  let registrations: Registration[];

  before(async () => {
    registrations = await recordRegistrations({ outputs: mockOutputs });
  });

  it("declares one Fargate service behind an internal load balancer, with memory single-flight and no GitHub token", async () => {
    const proxy = new AthensAws("a", awsArgs());
    await settle();
    assert.deepEqual(counts(registrations, "a"), BASE_COUNTS);
    assert.deepEqual(
      registrations
        .filter((r) => r.name.startsWith("a"))
        .map((r) => r.name)
        .sort(),
      [
        "a",
        "a-basic-auth",
        "a-basic-auth-value",
        "a-cluster",
        "a-execution-ecs",
        "a-execution-role",
        "a-execution-secrets",
        "a-lb",
        "a-lb-in-10-10-0-0-16",
        "a-lb-in-10-20-0-0-16",
        "a-lb-sg",
        "a-lb-to-tasks",
        "a-listener",
        "a-logs",
        "a-modules",
        "a-modules-encryption",
        "a-modules-public-access",
        "a-modules-versioning",
        "a-service",
        "a-task-role",
        "a-task-s3",
        "a-taskdef",
        "a-tasks-from-lb",
        "a-tasks-out-443",
        "a-tasks-sg",
        "a-tg",
      ].sort(),
    );

    // Storage: never public, encrypted, versioned.
    const pab = named(registrations, "a-modules-public-access");
    assert.deepEqual(
      [pab.inputs.blockPublicAcls, pab.inputs.blockPublicPolicy, pab.inputs.ignorePublicAcls, pab.inputs.restrictPublicBuckets],
      [true, true, true, true],
    );
    assert.deepEqual(named(registrations, "a-modules-encryption").inputs.rules, [
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
    ]);
    assert.deepEqual(named(registrations, "a-modules-versioning").inputs.versioningConfiguration, { status: "Enabled" });

    // Network: internal LB, reachable only from the allowed CIDRs; tasks only from the LB.
    const lb = named(registrations, "a-lb");
    assert.equal(lb.type, T.lb);
    assert.equal(lb.inputs.internal, true);
    assert.equal(lb.inputs.loadBalancerType, "application");
    const lbIngress = ofType(registrations, T.ingress).filter((r) => r.name.startsWith("a-lb-in-"));
    assert.deepEqual(lbIngress.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort, r.inputs.securityGroupId]).sort(), [
      ["10.10.0.0/16", 443, 443, "a-lb-sg-id"],
      ["10.20.0.0/16", 443, 443, "a-lb-sg-id"],
    ]);
    assert.ok(!ofType(registrations, T.ingress).some((r) => r.inputs.cidrIpv4 === "0.0.0.0/0"));
    const fromLb = named(registrations, "a-tasks-from-lb").inputs;
    assert.deepEqual(
      [fromLb.securityGroupId, fromLb.referencedSecurityGroupId, fromLb.fromPort, fromLb.cidrIpv4],
      ["a-tasks-sg-id", "a-lb-sg-id", 3000, undefined],
    );
    const targetGroup = named(registrations, "a-tg").inputs;
    assert.equal(targetGroup.targetType, "ip");
    assert.equal((targetGroup.healthCheck as { path: string }).path, "/healthz");
    const listener = named(registrations, "a-listener").inputs;
    assert.deepEqual(
      [listener.protocol, listener.port, listener.certificateArn, listener.loadBalancerArn],
      ["HTTPS", 443, CERTIFICATE, "arn:lb:a-lb"],
    );

    // IAM: the task role reaches only its bucket; the execution role reads only the injected secret.
    const taskPolicy = JSON.parse(named(registrations, "a-task-s3").inputs.policy as string) as PolicyDocument;
    assert.deepEqual(
      taskPolicy.Statement.map((s) => [s.Effect, [...s.Action].sort(), s.Resource]),
      [
        ["Allow", ["s3:GetBucketLocation", "s3:ListBucket"], ["arn:aws:s3:::a-modules-bucket"]],
        ["Allow", ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"], ["arn:aws:s3:::a-modules-bucket/*"]],
      ],
    );
    assert.ok(
      taskPolicy.Statement.every(
        (s) => s.Action.every((a) => !a.includes("*")) && s.Resource.every((r) => r.startsWith("arn:aws:s3:::a-modules-bucket")),
      ),
    );
    const secretsPolicy = JSON.parse(named(registrations, "a-execution-secrets").inputs.policy as string) as PolicyDocument;
    assert.deepEqual(
      secretsPolicy.Statement.map((s) => [s.Action, s.Resource]),
      [[["secretsmanager:GetSecretValue"], ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:a-basic-auth-AbCdEf"]]],
    );
    assert.equal(
      named(registrations, "a-execution-ecs").inputs.policyArn,
      "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    );
    // The password reaches Secrets Manager as a secret (the engine's secret envelope), nowhere else.
    assert.deepEqual(named(registrations, "a-basic-auth-value").inputs.secretString, {
      [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
      value: PASSWORD,
    });

    // Task: pinned image, S3 through the task role, password only through `secrets`, pinned to its version.
    const container = containerOf(registrations, "a");
    assert.equal(container.image, `${REPOSITORY}@${DIGEST}`);
    const env = envOf(container);
    assert.deepEqual(
      [
        env.ATHENS_STORAGE_TYPE,
        env.ATHENS_S3_BUCKET_NAME,
        env.AWS_REGION,
        env.AWS_USE_DEFAULT_CONFIGURATION,
        env.ATHENS_SINGLE_FLIGHT_TYPE,
      ],
      ["s3", "a-modules-bucket", "eu-west-1", "true", "memory"],
    );
    assert.deepEqual(
      [env.ATHENS_DOWNLOAD_MODE, env.ATHENS_NETWORK_MODE, env.ATHENS_LOG_LEVEL, env.ATHENS_LOG_FORMAT],
      ["sync", "strict", "info", "json"],
    );
    assert.equal(env.ATHENS_GO_BINARY_ENV_VARS, "GOPROXY=https://proxy.golang.org;GOTOOLCHAIN=local");
    assert.equal(env.BASIC_AUTH_USER, "ci");
    assert.equal(env.ATHENS_REDIS_ENDPOINT, undefined);
    assert.deepEqual(container.secrets, [
      {
        name: "BASIC_AUTH_PASS",
        valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:a-basic-auth-AbCdEf:::a-basic-auth-value-version-1",
      },
    ]);
    const task = named(registrations, "a-taskdef").inputs;
    assert.deepEqual(
      [task.cpu, task.memory, task.networkMode, task.requiresCompatibilities, task.taskRoleArn, task.executionRoleArn],
      [
        "512",
        "1024",
        "awsvpc",
        ["FARGATE"],
        "arn:aws:iam::123456789012:role/a-task-role",
        "arn:aws:iam::123456789012:role/a-execution-role",
      ],
    );
    const service = named(registrations, "a-service").inputs;
    assert.deepEqual([service.launchType, service.desiredCount], ["FARGATE", 1]);
    assert.equal((service.networkConfiguration as { assignPublicIp: boolean }).assignPublicIp, false);
    assert.equal(named(registrations, "a-logs").inputs.retentionInDays, 30);

    // Outputs: credentials make goproxy secret; the bare URL is not.
    const dns = "athens.build.example.com";
    assert.equal(await valueOf(proxy.goproxy), `https://ci:${encodeURIComponent(PASSWORD)}@${dns}`);
    assert.equal(await valueOf(proxy.url), `https://${dns}`);
    assert.deepEqual(await valueOf(proxy.loadBalancer), {
      dnsName: "internal-a-lb.eu-west-1.elb.amazonaws.com",
      zoneId: "Z32O12XQLNTSW2",
    });
    assert.equal(await pulumi.isSecret(proxy.goproxy), true);
    assert.equal(await pulumi.isSecret(proxy.url), false);
    assert.equal(await valueOf(proxy.bucketName), "a-modules-bucket");
  });

  it("adds TLS-encrypted Redis reachable only from the tasks once two tasks run, and the GitHub token as a secret", async () => {
    const githubArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:github-token-XyZ";
    const proxy = new AthensAws(
      "b",
      awsArgs({
        desiredCount: 3,
        mode: "sealed",
        privatePatterns: ["github.com/acme/*"],
        githubTokenSecretArn: githubArn,
      }),
    );
    await settle();
    assert.deepEqual(counts(registrations, "b"), {
      ...BASE_COUNTS,
      [T.sg]: 3,
      [T.ingress]: 4,
      [T.egress]: 3,
      [T.redisSubnets]: 1,
      [T.redis]: 1,
    });
    const redis = named(registrations, "b-redis").inputs;
    assert.deepEqual(
      [redis.transitEncryptionEnabled, redis.atRestEncryptionEnabled, redis.securityGroupIds],
      [true, true, ["b-redis-sg-id"]],
    );
    assert.equal(named(registrations, "b-redis-from-tasks").inputs.referencedSecurityGroupId, "b-tasks-sg-id");
    assert.equal(named(registrations, "b-redis-from-tasks").inputs.cidrIpv4, undefined);
    assert.deepEqual(named(registrations, "b-redis-subnets").inputs.subnetIds, ["subnet-a", "subnet-b"]);

    const env = envOf(containerOf(registrations, "b"));
    assert.deepEqual(
      [env.ATHENS_SINGLE_FLIGHT_TYPE, env.ATHENS_REDIS_ENDPOINT],
      ["redis", "rediss://master.b-redis.cache.amazonaws.com:6379"],
    );
    assert.deepEqual(
      [env.ATHENS_DOWNLOAD_MODE, env.ATHENS_NETWORK_MODE, env.ATHENS_GONOSUM_PATTERNS],
      ["none", "offline", "github.com/acme/*"],
    );
    assert.equal(env.ATHENS_GITHUB_TOKEN, undefined);
    assert.deepEqual(
      containerOf(registrations, "b").secrets.map((s) => [s.name, s.valueFrom]),
      [
        ["ATHENS_GITHUB_TOKEN", githubArn],
        ["BASIC_AUTH_PASS", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:b-basic-auth-AbCdEf:::b-basic-auth-value-version-1"],
      ],
    );
    const secretsPolicy = JSON.parse(named(registrations, "b-execution-secrets").inputs.policy as string) as PolicyDocument;
    assert.deepEqual(secretsPolicy.Statement[0]?.Resource, [
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:b-basic-auth-AbCdEf",
      githubArn,
    ]);

    assert.equal(await valueOf(proxy.goproxy), `https://ci:${encodeURIComponent(PASSWORD)}@athens.build.example.com`);
  });

  const REFUSED: readonly [string, Partial<AthensAwsArgs>, RegExp][] = [
    [
      "0.0.0.0/0",
      { allowedCidrs: ["0.0.0.0/0"] },
      /^slipway:athens\.allowedCidrs\[0\] = "0\.0\.0\.0\/0": opens the proxy to every address;/,
    ],
    [
      "a public CIDR",
      { allowedCidrs: ["10.0.0.0/8", "52.1.0.0/16"] },
      /^slipway:athens\.allowedCidrs\[1\] = "52\.1\.0\.0\/16": is not a private range/,
    ],
    [
      "an unpinned image",
      { imageDigest: "latest" },
      /^slipway:athens\.aws\.imageDigest = "latest": the Athens image must be pinned by digest;/,
    ],
    [
      "a foreign registry",
      { imageRepositoryUrl: "docker.io/gomods/athens" },
      /^slipway:athens\.aws\.imageRepositoryUrl = "docker\.io\/gomods\/athens": not an ECR repository URL;/,
    ],
    ["direct upstream", { upstream: "direct" }, /^slipway:athens\.upstream = "direct": `direct` and `off` are not module proxies/],
    ["an unknown mode", { mode: "offline" as never }, /^slipway:athens\.mode = "offline": unknown Athens mode;/],
    [
      "one subnet",
      { subnetIds: ["subnet-a"] },
      /^slipway:athens\.aws\.subnetIds = \["subnet-a"\]: an application load balancer needs subnets in two availability zones;/,
    ],
    [
      "no TLS",
      { tls: undefined },
      /^slipway:athens\.aws\.tls = \(unset\): an HTTPS listener is required \(basic auth never crosses plain http\);/,
    ],
    ["zero tasks", { desiredCount: 0 }, /^slipway:athens\.aws\.desiredCount = 0: must be a whole number of tasks from 1 to 10;/],
  ];
  REFUSED.forEach(([title, overrides, message], index) => {
    it(`[${index}] refuses ${title} before declaring anything`, async () => {
      await settle();
      const before = registrations.length;
      assert.throws(
        () => new AthensAws(`bad${index}`, awsArgs(overrides)),
        (error: unknown) => error instanceof SlipwayInputError && message.test(error.message),
      );
      await settle();
      assert.equal(registrations.length, before);
    });
  });
});

describe("AthensAws in preview", () => {
  let registrations: Registration[];

  before(async () => {
    registrations = await recordRegistrations({ outputs: mockOutputs, preview: true });
  });

  it("declares the same resources and keeps goproxy secret", async () => {
    const proxy = new AthensAws("p", awsArgs());
    await settle();
    assert.deepEqual(counts(registrations, "p"), BASE_COUNTS);
    assert.equal(await pulumi.isSecret(proxy.goproxy), true);
    assert.equal(named(registrations, "p-lb").inputs.internal, true);
  });
});
