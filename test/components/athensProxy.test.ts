// AthensProxy under Pulumi mocks: exact registrations, the security-relevant inputs, both branches of
// every optional child, secret outputs, and one preview run. What mocks cannot prove: that AWS accepts
// these inputs, resource options such as retainOnDelete on the bucket, parentage, and the dynamic
// provider's behaviour (test/providers/localAthens.test.ts runs it for real). The component declares nothing at
// import time, so a static import is safe; mocks are installed in before() and instances made in tests.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AthensProxy, AwsAthensProxyArgs as AwsArgs } from "../../components/athensProxy";
import { SlipwayInputError } from "../../plan/errors";
import { Registration, named, ofType, recordRegistrations, settle, valueOf } from "../support/mocks";

const T = {
  bucket: "aws:s3/bucket:Bucket",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  redisSubnets: "aws:elasticache/subnetGroup:SubnetGroup",
  redis: "aws:elasticache/replicationGroup:ReplicationGroup",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  cluster: "aws:ecs/cluster:Cluster",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  dynamic: "pulumi-nodejs:dynamic/slipway:LocalAthens",
  component: "slipway:athens:AthensProxy",
} as const;

const PASSWORD = "pw-rotated-7/x@y";
const DIGEST = `sha256:${"b".repeat(64)}`;
const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/1";
const REPOSITORY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/athens";

function awsArgs(overrides: Partial<AwsArgs> = {}): AwsArgs {
  return {
    kind: "aws",
    region: "eu-west-1",
    vpcId: "vpc-1234",
    subnetIds: ["subnet-a", "subnet-b"],
    allowedCidrs: ["10.20.0.0/16", "10.10.0.0/16"],
    imageRepositoryUrl: REPOSITORY,
    imageDigest: DIGEST,
    basicAuthUser: "ci",
    basicAuthPassword: pulumi.secret(PASSWORD),
    tls: { certificateArn: CERTIFICATE, hostname: "athens.build.example.com" },
    ...overrides,
  };
}

function mockOutputs(registration: Registration): Record<string, unknown> {
  const name = registration.name;
  switch (registration.type) {
    case T.bucket:
      return { bucket: `${name}-bucket`, arn: `arn:aws:s3:::${name}-bucket` };
    case T.secret:
      return { arn: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf` };
    case T.secretVersion:
      return { versionId: `${name}-version-1` };
    case T.role:
      return { arn: `arn:aws:iam::123456789012:role/${name}`, name };
    case T.logGroup:
      return { name: `/aws/ecs/${name}` };
    case T.lb:
      return { arn: `arn:lb:${name}`, dnsName: `internal-${name}.eu-west-1.elb.amazonaws.com`, zoneId: "Z32O12XQLNTSW2" };
    case T.targetGroup:
    case T.cluster:
    case T.taskDefinition:
      return { arn: `arn:${name}` };
    case T.redisSubnets:
      return { name };
    case T.redis:
      return { primaryEndpointAddress: `master.${name}.cache.amazonaws.com` };
    case T.dynamic:
      return registration.inputs.source === "process"
        ? { url: `http://${String(registration.inputs.host)}:${String(registration.inputs.port)}`, adopted: false, healthy: true }
        : { healthy: true };
    default:
      return {};
  }
}

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
  [T.component]: 1,
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

describe("AthensProxy (aws)", () => {
  let registrations: Registration[];

  before(async () => {
    registrations = await recordRegistrations({ outputs: mockOutputs });
  });

  it("declares one Fargate service behind an internal load balancer, with memory single-flight and no GitHub token", async () => {
    const proxy = new AthensProxy("a", awsArgs());
    const goEnv = await valueOf(proxy.goEnv);
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

    // Outputs: credentials make goproxy and goEnv secret; the bare URL is not.
    const dns = "athens.build.example.com";
    assert.equal(await valueOf(proxy.goproxy), `https://ci:${encodeURIComponent(PASSWORD)}@${dns}`);
    assert.equal(await valueOf(proxy.url), `https://${dns}`);
    assert.deepEqual(await valueOf(proxy.loadBalancer!), {
      dnsName: "internal-a-lb.eu-west-1.elb.amazonaws.com",
      zoneId: "Z32O12XQLNTSW2",
    });
    assert.equal(await pulumi.isSecret(proxy.goproxy), true);
    assert.equal(await pulumi.isSecret(proxy.goEnv), true);
    assert.equal(await pulumi.isSecret(proxy.url), false);
    assert.deepEqual(goEnv, {
      CGO_ENABLED: "0",
      GOFLAGS: "-mod=readonly",
      GOPROXY: `https://ci:${encodeURIComponent(PASSWORD)}@${dns}`,
      GOTOOLCHAIN: "local",
      GOVCS: "*:off",
    });
    assert.equal(await valueOf(proxy.bucketName!), "a-modules-bucket");
  });

  it("adds TLS-encrypted Redis reachable only from the tasks once two tasks run, and the GitHub token as a secret", async () => {
    const githubArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:github-token-XyZ";
    const proxy = new AthensProxy(
      "b",
      awsArgs({
        desiredCount: 3,
        mode: "sealed",
        privatePatterns: ["github.com/acme/*"],
        githubTokenSecretArn: githubArn,
      }),
    );
    const goEnv = await valueOf(proxy.goEnv);
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
    assert.deepEqual([goEnv.GOPRIVATE, goEnv.GONOPROXY, goEnv.GONOSUMDB], ["github.com/acme/*", "none", "github.com/acme/*"]);
  });

  const REFUSED: readonly [string, Partial<AwsArgs>, RegExp][] = [
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
        () => new AthensProxy(`bad${index}`, awsArgs(overrides)),
        (error: unknown) => error instanceof SlipwayInputError && message.test(error.message),
      );
      await settle();
      assert.equal(registrations.length, before);
    });
  });
});

describe("AthensProxy (local)", () => {
  let registrations: Registration[];

  before(async () => {
    registrations = await recordRegistrations({ outputs: mockOutputs });
  });

  it("runs a loopback Athens process on disk with the planned environment", async () => {
    const proxy = new AthensProxy("l", {
      kind: "local",
      source: "process",
      port: 3111,
      storageDir: "/srv/athens/storage",
      stateDir: "/srv/athens/run",
      mode: "sealed",
    });
    const goEnv = await valueOf(proxy.goEnv);
    await settle();
    assert.deepEqual(counts(registrations, "l"), { [T.component]: 1, [T.dynamic]: 1 });
    const inputs = named(registrations, "l-process").inputs;
    assert.deepEqual(
      [
        inputs.source,
        inputs.binary,
        inputs.host,
        inputs.port,
        inputs.storageRoot,
        inputs.stateDir,
        inputs.downloadMode,
        inputs.networkMode,
        inputs.startTimeoutMs,
      ],
      ["process", "proxy", "127.0.0.1", 3111, "/srv/athens/storage", "/srv/athens/run", "none", "offline", 60_000],
    );
    assert.deepEqual(inputs.env, {
      ATHENS_DISK_STORAGE_ROOT: "/srv/athens/storage",
      ATHENS_DOWNLOAD_MODE: "none",
      ATHENS_GO_BINARY_ENV_VARS: "GOPROXY=https://proxy.golang.org;GOTOOLCHAIN=local",
      ATHENS_LOG_FORMAT: "plain",
      ATHENS_LOG_LEVEL: "info",
      ATHENS_NETWORK_MODE: "offline",
      ATHENS_PORT: "127.0.0.1:3111",
      ATHENS_SINGLE_FLIGHT_TYPE: "memory",
      ATHENS_STORAGE_TYPE: "disk",
    });
    assert.equal(goEnv.GOPROXY, "http://127.0.0.1:3111");
    assert.equal(await pulumi.isSecret(proxy.goproxy), false);
    assert.equal(await pulumi.isSecret(proxy.goEnv), false);
    assert.equal(await valueOf(proxy.adopted!), false);
    assert.equal(proxy.bucketName, undefined);
  });

  it("checks an existing endpoint; its goproxy is secret only when it embeds credentials", async () => {
    const plain = new AthensProxy("e1", { kind: "local", source: "endpoint", url: "http://127.0.0.1:3000/" });
    const withCredentials = new AthensProxy("e2", { kind: "local", source: "endpoint", url: "https://ci:pw@athens.example.com" });
    assert.equal(await valueOf(plain.goproxy), "http://127.0.0.1:3000");
    assert.equal(await pulumi.isSecret(plain.goproxy), false);
    assert.equal(await valueOf(withCredentials.goproxy), "https://ci:pw@athens.example.com");
    assert.equal(await pulumi.isSecret(withCredentials.goproxy), true);
    assert.equal(await pulumi.isSecret(withCredentials.goEnv), true);
    assert.equal(await valueOf(withCredentials.url), "https://athens.example.com");
    await settle();
    assert.deepEqual(counts(registrations, "e"), { [T.component]: 2, [T.dynamic]: 2 });
    assert.deepEqual(named(registrations, "e2-endpoint").inputs.source, "endpoint");
    assert.equal(plain.adopted, undefined);
  });

  const REFUSED: readonly [string, () => unknown, RegExp][] = [
    [
      "a listen host other than loopback",
      () => new AthensProxy("r1", { kind: "local", source: "process", host: "0.0.0.0" }),
      /^slipway:athens\.local\.host = "0\.0\.0\.0": a local Athens listens on loopback only; fix: use 127\.0\.0\.1$/,
    ],
    [
      "a relative binary path",
      () => new AthensProxy("r2", { kind: "local", source: "process", binary: "bin/proxy" }),
      /^slipway:athens\.local\.binary = "bin\/proxy": must be a command name on PATH or an absolute path;/,
    ],
    [
      "an endpoint that is not a URL",
      () => new AthensProxy("r3", { kind: "local", source: "endpoint", url: "athens:3000" }),
      /^slipway:athens\.local\.url = "athens:3000": not an http\(s\) URL;/,
    ],
  ];
  REFUSED.forEach(([title, run, message], index) => {
    it(`[${index}] refuses ${title} before declaring anything`, async () => {
      await settle();
      const before = registrations.length;
      assert.throws(run, (error: unknown) => error instanceof SlipwayInputError && message.test(error.message));
      await settle();
      assert.equal(registrations.length, before);
    });
  });
});

describe("AthensProxy (aws) in preview", () => {
  let registrations: Registration[];

  before(async () => {
    registrations = await recordRegistrations({ outputs: mockOutputs, preview: true });
  });

  it("declares the same resources and keeps goproxy secret", async () => {
    const proxy = new AthensProxy("p", awsArgs());
    await settle();
    assert.deepEqual(counts(registrations, "p"), BASE_COUNTS);
    assert.equal(await pulumi.isSecret(proxy.goproxy), true);
    assert.equal(named(registrations, "p-lb").inputs.internal, true);
  });
});
