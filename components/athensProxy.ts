// The private Go module proxy (Athens) release builds download modules through, so that a sealed
// release fetches nothing from the Internet. `aws`: ECS Fargate behind an internal load balancer with
// S3 storage; `local`: a loopback Athens process on disk, or an existing Athens endpoint.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { resolve } from "node:path";
import {
  ATHENS_CONTAINER_PORT,
  AthensMode,
  DEFAULT_LOCAL_PORT,
  DEFAULT_LOCAL_STATE_DIR,
  DEFAULT_LOCAL_STORAGE_DIR,
  DEFAULT_UPSTREAM,
  DownloadRule,
  LOCAL_LISTEN_HOST,
  athensContainerDefinitions,
  athensServerEnv,
  athensTaskRolePolicy,
  athensUrl,
  checkAllowedCidrs,
  checkBasicAuthUser,
  checkDesiredCount,
  checkDownloadRules,
  checkEcrRepositoryUrl,
  checkEndpointUrl,
  checkFargateSize,
  checkGosumdb,
  checkImageDigest,
  checkLocalListen,
  checkLogRetention,
  checkMode,
  checkPrivatePatterns,
  checkRegion,
  checkUpstream,
  downloadModeValue,
  goClientEnv,
  hasCredentials,
  withoutCredentials,
  needsRedis,
  networkModeOf,
  secretsReadPolicy,
} from "../plan/athens";
import { SlipwayInputError } from "../plan/errors";
import { LocalAthens } from "../providers/localAthens";

/** Settings of every kind that runs Athens itself. */
export interface AthensServerSettings {
  /** `warm` (fetch misses: `sync` + `strict`) or `sealed` (storage only: `none` + `offline`). Defaults to `warm`. */
  readonly mode?: AthensMode;
  /** Upstream Go module proxy (one https URL, never `direct`). Defaults to `https://proxy.golang.org`. */
  readonly upstream?: string;
  /** Per-module-pattern download modes, first match wins (rendered as download-mode HCL). Defaults to none. */
  readonly downloadRules?: readonly DownloadRule[];
  /** Private module patterns (GOPRIVATE syntax): fetched by Athens from VCS, skipped by the checksum DB. Defaults to none. */
  readonly privatePatterns?: readonly string[];
  /** Checksum database (`GOSUMDB` syntax) for clients and Athens' sumdb proxy. Defaults to the Go default. */
  readonly gosumdb?: string;
}

export interface AwsAthensProxyArgs extends AthensServerSettings {
  /** ECS Fargate with S3 storage behind an internal load balancer. Required. */
  readonly kind: "aws";
  /** AWS region of every regional resource. Required. */
  readonly region: string;
  /** VPC of the load balancer, tasks and Redis. Required. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets (two or more availability zones) for the load balancer, tasks and Redis. Required. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Private IPv4 CIDRs of the build runners; the only sources the load balancer accepts. Required. */
  readonly allowedCidrs: readonly string[];
  /** `repositoryUrl` of the stack's own ECR repository holding the Athens image (no tag). Required. */
  readonly imageRepositoryUrl: pulumi.Input<string>;
  /** `sha256:…` digest of the Athens v0.18.0 image in that repository. Required. */
  readonly imageDigest: string;
  /** Basic-auth user name. Required. */
  readonly basicAuthUser: string;
  /** Basic-auth password, a secret from the stack's rotated secret; a new value rolls the tasks. Required. */
  readonly basicAuthPassword: pulumi.Input<string>;
  /** Secrets Manager ARN of a GitHub token for private modules (ATHENS_GITHUB_TOKEN). Defaults to none. */
  readonly githubTokenSecretArn?: pulumi.Input<string>;
  /**
   * The HTTPS listener: an ACM certificate ARN and the DNS name clients use (a record pointing at the
   * load balancer, managed by the caller). Required: basic auth needs TLS, and the go command refuses
   * to send credentials over plain http ("refusing to pass credentials to insecure URL").
   */
  readonly tls: { readonly certificateArn: pulumi.Input<string>; readonly hostname: string };
  /** Fargate CPU units. Defaults to 512. */
  readonly cpu?: number;
  /** Fargate memory in MiB. Defaults to 1024. */
  readonly memory?: number;
  /** CPU architecture of the tasks (the image digest must cover it). Defaults to `X86_64`. */
  readonly architecture?: "X86_64" | "ARM64";
  /** Number of tasks; more than one adds Redis-backed single-flight. Defaults to 1. */
  readonly desiredCount?: number;
  /** CloudWatch Logs retention. Defaults to 30 days. */
  readonly logRetentionDays?: number;
  /** ElastiCache node type of the single-flight Redis. Defaults to `cache.t4g.micro`. */
  readonly redisNodeType?: string;
}

export interface LocalProcessAthensProxyArgs extends AthensServerSettings {
  /** Athens on this machine. Required. */
  readonly kind: "local";
  /** Start (or adopt) an Athens process on loopback. Required. */
  readonly source: "process";
  /** Listen host; loopback only. Defaults to `127.0.0.1`. */
  readonly host?: string;
  /** Listen port. Defaults to 3000. */
  readonly port?: number;
  /** Disk storage root; kept when the resource is deleted. Defaults to `.slipway/athens/storage`. */
  readonly storageDir?: string;
  /** Directory of the pid and log files. Defaults to `.slipway/athens/run`. */
  readonly stateDir?: string;
  /** Athens binary, a path or a name on PATH. Defaults to `proxy` (what `go install …/cmd/proxy` builds). */
  readonly binary?: string;
  /** Bound on the wait for /healthz after a start. Defaults to 60 seconds. */
  readonly startTimeoutSeconds?: number;
}

export interface LocalEndpointAthensProxyArgs {
  /** Athens on this machine. Required. */
  readonly kind: "local";
  /** Use an Athens that is already running; it is health-checked, never started. Required. */
  readonly source: "endpoint";
  /** Base URL of an existing Athens, checked (never started) at deploy time; may carry credentials. Required. */
  readonly url: pulumi.Input<string>;
  /** Private module patterns the clients must not check against the public checksum DB. Defaults to none. */
  readonly privatePatterns?: readonly string[];
  /** Checksum database for clients (`GOSUMDB` syntax). Defaults to the Go default. */
  readonly gosumdb?: string;
}

export type AthensProxyArgs = AwsAthensProxyArgs | LocalProcessAthensProxyArgs | LocalEndpointAthensProxyArgs;

/** The download and network modes, the other shared settings, validated; throws SlipwayInputError. */
function checkServerSettings(args: AthensServerSettings) {
  const mode = checkMode(args.mode ?? "warm");
  const rules = checkDownloadRules(args.downloadRules);
  return {
    mode,
    rules,
    upstream: checkUpstream(args.upstream ?? DEFAULT_UPSTREAM),
    privatePatterns: checkPrivatePatterns(args.privatePatterns),
    gosumdb: checkGosumdb(args.gosumdb),
    downloadMode: downloadModeValue({ mode, rules }),
    networkMode: networkModeOf(mode),
  };
}

function checkAwsArgs(args: AwsAthensProxyArgs) {
  const settings = checkServerSettings(args);
  if (new URL(settings.upstream).protocol !== "https:") {
    throw new SlipwayInputError("athens.upstream", settings.upstream, "tasks reach the upstream over the network", "use an https URL");
  }
  if (Array.isArray(args.subnetIds) && args.subnetIds.length < 2) {
    throw new SlipwayInputError(
      "athens.aws.subnetIds",
      args.subnetIds,
      "an application load balancer needs subnets in two availability zones",
      "list two or more private subnets",
    );
  }
  if (args.tls === undefined || typeof args.tls.hostname !== "string") {
    throw new SlipwayInputError(
      "athens.aws.tls",
      args.tls,
      "an HTTPS listener is required (basic auth never crosses plain http)",
      "set tls.certificateArn and tls.hostname",
    );
  }
  if (!/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(args.tls.hostname)) {
    throw new SlipwayInputError(
      "athens.aws.tls.hostname",
      args.tls.hostname,
      "not a DNS name",
      "write the name the certificate covers, e.g. athens.build.example.com",
    );
  }
  if (args.redisNodeType !== undefined && !/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(args.redisNodeType)) {
    throw new SlipwayInputError(
      "athens.aws.redisNodeType",
      args.redisNodeType,
      "not an ElastiCache node type",
      "write e.g. cache.t4g.micro",
    );
  }
  if (typeof args.imageRepositoryUrl === "string") checkEcrRepositoryUrl(args.imageRepositoryUrl);
  return {
    settings,
    region: checkRegion(args.region),
    allowedCidrs: checkAllowedCidrs(args.allowedCidrs),
    imageDigest: checkImageDigest(args.imageDigest),
    basicAuthUser: checkBasicAuthUser(args.basicAuthUser),
    size: checkFargateSize(args.cpu ?? 512, args.memory ?? 1024),
    desiredCount: checkDesiredCount(args.desiredCount ?? 1),
    logRetentionDays: checkLogRetention(args.logRetentionDays ?? 30),
  };
}

function checkLocalProcessArgs(args: LocalProcessAthensProxyArgs) {
  const settings = checkServerSettings(args);
  const listen = checkLocalListen(args.host ?? LOCAL_LISTEN_HOST, args.port ?? DEFAULT_LOCAL_PORT);
  const timeout = args.startTimeoutSeconds ?? 60;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 600) {
    throw new SlipwayInputError(
      "athens.local.startTimeoutSeconds",
      timeout,
      "must be a whole number of seconds from 1 to 600",
      "use e.g. 60",
    );
  }
  const binary = args.binary ?? "proxy";
  if (binary === "" || (binary.includes("/") && !binary.startsWith("/"))) {
    throw new SlipwayInputError(
      "athens.local.binary",
      binary,
      "must be a command name on PATH or an absolute path",
      "write e.g. proxy or /usr/local/bin/athens",
    );
  }
  for (const [key, dir] of [
    ["storageDir", args.storageDir],
    ["stateDir", args.stateDir],
  ] as const) {
    if (dir !== undefined && dir.trim() === "")
      throw new SlipwayInputError(`athens.local.${key}`, dir, "must be a directory path", "write a path or leave it unset");
  }
  return {
    settings,
    listen,
    binary,
    startTimeoutMs: timeout * 1000,
    storageRoot: resolve(args.storageDir ?? DEFAULT_LOCAL_STORAGE_DIR),
    stateDir: resolve(args.stateDir ?? DEFAULT_LOCAL_STATE_DIR),
  };
}

/** The load balancer's only listener: HTTPS. */
const LISTENER_PORT = 443;

/** A resource-name-safe rendering of a CIDR: `10.0.0.0/16` → `10-0-0-0-16`. */
function cidrSlug(cidr: string): string {
  return cidr.replace(/[./]/g, "-");
}

/**
 * Validates proxy arguments without declaring anything; throws SlipwayInputError. Compositions call it
 * before their first child so that bad proxy settings stop an update before any resource exists.
 */
export function checkAthensProxyArgs(args: AthensProxyArgs) {
  const checked =
    args.kind === "aws"
      ? { kind: "aws" as const, ...checkAwsArgs(args) }
      : args.source === "process"
        ? { kind: "process" as const, ...checkLocalProcessArgs(args) }
        : { kind: "endpoint" as const, privatePatterns: checkPrivatePatterns(args.privatePatterns), gosumdb: checkGosumdb(args.gosumdb) };
  if (args.kind === "local" && args.source === "endpoint" && typeof args.url === "string") checkEndpointUrl(args.url);
  return checked;
}

/**
 * Athens for hermetic Go builds. `goproxy` is the URL to download modules from (a secret when it
 * carries credentials); `goEnv` is the whole Go environment a release build must use with it.
 */
export class AthensProxy extends pulumi.ComponentResource {
  /** The Athens base URL without credentials (for messages and dashboards). */
  public readonly url: pulumi.Output<string>;
  /** The GOPROXY value; a secret when it embeds basic-auth credentials. */
  public readonly goproxy: pulumi.Output<string>;
  /** GOPROXY, GOFLAGS, GOTOOLCHAIN, GOVCS, CGO_ENABLED (+ GOPRIVATE/GONOPROXY/GONOSUMDB, GOSUMDB): what builds must use. */
  public readonly goEnv: pulumi.Output<Record<string, string>>;
  /** The module bucket (aws only). */
  public readonly bucketName: pulumi.Output<string> | undefined;
  /** Where `tls.hostname` must point (a Route 53 alias target; aws only). */
  public readonly loadBalancer: pulumi.Output<{ dnsName: string; zoneId: string }> | undefined;
  /** Whether an Athens already serving the address was adopted instead of started (local process only). */
  public readonly adopted: pulumi.Output<boolean> | undefined;

  constructor(name: string, args: AthensProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    const checked = checkAthensProxyArgs(args);
    super("slipway:athens:AthensProxy", name, {}, opts);

    let goproxy: pulumi.Output<string>;
    let clientSettings: { privatePatterns: readonly string[]; gosumdb: string | undefined };
    if (checked.kind === "aws" && args.kind === "aws") {
      const deployed = this.declareAws(name, args, checked);
      this.url = deployed.url;
      goproxy = deployed.goproxy;
      this.bucketName = deployed.bucketName;
      this.loadBalancer = deployed.loadBalancer;
      this.adopted = undefined;
      clientSettings = checked.settings;
    } else if (checked.kind === "process") {
      const local = this.declareLocalProcess(name, checked);
      this.url = local.url;
      goproxy = local.url;
      this.bucketName = undefined;
      this.loadBalancer = undefined;
      this.adopted = local.adopted.apply((adopted) => adopted === true);
      clientSettings = checked.settings;
    } else if (checked.kind === "endpoint" && args.kind === "local" && args.source === "endpoint") {
      // The URL may embed credentials: kept secret in the resource's state whatever the caller passed.
      const endpoint = new LocalAthens(`${name}-endpoint`, { source: "endpoint", url: pulumi.secret(args.url) }, { parent: this });
      // Waits for the deploy-time check; secret only when the URL carries credentials.
      goproxy = pulumi.all([args.url, endpoint.healthy]).apply(([url]) => {
        const checkedUrl = checkEndpointUrl(url);
        return hasCredentials(checkedUrl) ? pulumi.secret(checkedUrl) : pulumi.output(checkedUrl);
      });
      this.url = pulumi.unsecret(goproxy).apply(withoutCredentials);
      this.bucketName = undefined;
      this.loadBalancer = undefined;
      this.adopted = undefined;
      clientSettings = checked;
    } else {
      throw new Error("unreachable: AthensProxy kind and checked settings disagree");
    }
    this.goproxy = goproxy;
    this.goEnv = goproxy.apply((url) =>
      goClientEnv({ goproxy: url, privatePatterns: clientSettings.privatePatterns, gosumdb: clientSettings.gosumdb }),
    );

    this.registerOutputs({
      url: this.url,
      goproxy: this.goproxy,
      goEnv: this.goEnv,
      bucketName: this.bucketName,
      loadBalancer: this.loadBalancer,
      adopted: this.adopted,
    });
  }

  private declareLocalProcess(name: string, checked: ReturnType<typeof checkLocalProcessArgs>) {
    const { settings, listen } = checked;
    const env = athensServerEnv({
      mode: settings.mode,
      rules: settings.rules,
      upstream: settings.upstream,
      privatePatterns: settings.privatePatterns,
      gosumdb: settings.gosumdb,
      listen: `${listen.host}:${listen.port}`,
      storage: { type: "disk", root: checked.storageRoot },
    });
    const athens = new LocalAthens(
      `${name}-process`,
      {
        source: "process",
        binary: checked.binary,
        host: listen.host,
        port: listen.port,
        storageRoot: checked.storageRoot,
        stateDir: checked.stateDir,
        downloadMode: settings.downloadMode,
        networkMode: settings.networkMode,
        env,
        startTimeoutMs: checked.startTimeoutMs,
      },
      { parent: this },
    );
    athens.adopted.apply((adopted) => {
      if (adopted === true) {
        void pulumi.log.warn(
          `an Athens already served ${listen.host}:${listen.port} and was adopted; its download mode cannot be verified`,
          this,
        );
      }
    });
    return { url: athens.url, adopted: athens.adopted };
  }

  private declareAws(name: string, args: AwsAthensProxyArgs, checked: ReturnType<typeof checkAwsArgs>) {
    const { region, settings } = checked;
    const parent = { parent: this };

    // --- Storage: versioned, encrypted, never public; outlives the stack (it holds published modules).
    const bucket = new aws.s3.Bucket(`${name}-modules`, { region, forceDestroy: false }, { parent: this, retainOnDelete: true });
    new aws.s3.BucketPublicAccessBlock(
      `${name}-modules-public-access`,
      { bucket: bucket.id, region, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      parent,
    );
    new aws.s3.BucketVersioning(
      `${name}-modules-versioning`,
      { bucket: bucket.id, region, versioningConfiguration: { status: "Enabled" } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-modules-encryption`,
      { bucket: bucket.id, region, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      parent,
    );

    // --- Basic auth: the password travels through Secrets Manager into the container `secrets`.
    // secretString (not write-only): the goproxy output carries the password in state anyway, and a
    // changed value must create a new version whose id rolls the tasks (valueFrom pins it below).
    const basicAuth = new aws.secretsmanager.Secret(
      `${name}-basic-auth`,
      { region, recoveryWindowInDays: 7, description: "Athens basic-auth password" },
      parent,
    );
    const basicAuthVersion = new aws.secretsmanager.SecretVersion(
      `${name}-basic-auth-value`,
      { secretId: basicAuth.id, region, secretString: pulumi.secret(args.basicAuthPassword) },
      parent,
    );

    // --- Roles: the task may touch only its bucket; the execution role reads only the injected secrets.
    const ecsTasksTrust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const taskRole = new aws.iam.Role(
      `${name}-task-role`,
      { assumeRolePolicy: ecsTasksTrust, description: "Athens tasks: module bucket only" },
      parent,
    );
    new aws.iam.RolePolicy(`${name}-task-s3`, { role: taskRole.id, policy: bucket.arn.apply(athensTaskRolePolicy) }, parent);
    const executionRole = new aws.iam.Role(
      `${name}-execution-role`,
      { assumeRolePolicy: ecsTasksTrust, description: "Athens task execution" },
      parent,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-execution-ecs`,
      { role: executionRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" },
      parent,
    );
    const secretArns: pulumi.Input<string>[] = [basicAuth.arn];
    if (args.githubTokenSecretArn !== undefined) secretArns.push(args.githubTokenSecretArn);
    new aws.iam.RolePolicy(
      `${name}-execution-secrets`,
      { role: executionRole.id, policy: pulumi.all(secretArns).apply(secretsReadPolicy) },
      parent,
    );

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { region, retentionInDays: checked.logRetentionDays }, parent);

    // --- Network: runners → internal LB (allowed CIDRs only) → tasks; tasks → HTTPS out (upstream, S3, ECR, logs).
    const lbSg = new aws.ec2.SecurityGroup(
      `${name}-lb-sg`,
      { vpcId: args.vpcId, region, description: "Athens load balancer: build runners only" },
      parent,
    );
    const tasksSg = new aws.ec2.SecurityGroup(
      `${name}-tasks-sg`,
      { vpcId: args.vpcId, region, description: "Athens tasks: load balancer only" },
      parent,
    );
    for (const cidr of checked.allowedCidrs) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-lb-in-${cidrSlug(cidr)}`,
        {
          securityGroupId: lbSg.id,
          region,
          ipProtocol: "tcp",
          fromPort: LISTENER_PORT,
          toPort: LISTENER_PORT,
          cidrIpv4: cidr,
          description: "build runners",
        },
        parent,
      );
    }
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-lb-to-tasks`,
      {
        securityGroupId: lbSg.id,
        region,
        ipProtocol: "tcp",
        fromPort: ATHENS_CONTAINER_PORT,
        toPort: ATHENS_CONTAINER_PORT,
        referencedSecurityGroupId: tasksSg.id,
        description: "Athens tasks",
      },
      parent,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-tasks-from-lb`,
      {
        securityGroupId: tasksSg.id,
        region,
        ipProtocol: "tcp",
        fromPort: ATHENS_CONTAINER_PORT,
        toPort: ATHENS_CONTAINER_PORT,
        referencedSecurityGroupId: lbSg.id,
        description: "load balancer",
      },
      parent,
    );
    const upstreamPort = Number(new URL(settings.upstream).port || "443");
    for (const port of [...new Set([443, upstreamPort])].sort((a, b) => a - b)) {
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-tasks-out-${port}`,
        {
          securityGroupId: tasksSg.id,
          region,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: "0.0.0.0/0",
          description: port === 443 ? "upstream proxy and AWS APIs" : "upstream proxy",
        },
        parent,
      );
    }

    // --- Single-flight: memory for one task; Redis (TLS, tasks only) as soon as two may race.
    let redisEndpoint: pulumi.Output<string> | undefined;
    if (needsRedis(checked.desiredCount)) {
      const redisSg = new aws.ec2.SecurityGroup(
        `${name}-redis-sg`,
        { vpcId: args.vpcId, region, description: "Athens single-flight Redis: Athens tasks only" },
        parent,
      );
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-redis-from-tasks`,
        {
          securityGroupId: redisSg.id,
          region,
          ipProtocol: "tcp",
          fromPort: 6379,
          toPort: 6379,
          referencedSecurityGroupId: tasksSg.id,
          description: "Athens tasks",
        },
        parent,
      );
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-tasks-to-redis`,
        {
          securityGroupId: tasksSg.id,
          region,
          ipProtocol: "tcp",
          fromPort: 6379,
          toPort: 6379,
          referencedSecurityGroupId: redisSg.id,
          description: "single-flight Redis",
        },
        parent,
      );
      const subnets = new aws.elasticache.SubnetGroup(
        `${name}-redis-subnets`,
        { subnetIds: args.subnetIds, region, description: "Athens single-flight Redis" },
        parent,
      );
      const redis = new aws.elasticache.ReplicationGroup(
        `${name}-redis`,
        {
          region,
          description: "Athens single-flight locks",
          engine: "redis",
          engineVersion: "7.1",
          nodeType: args.redisNodeType ?? "cache.t4g.micro",
          numCacheClusters: 1,
          port: 6379,
          subnetGroupName: subnets.name,
          securityGroupIds: [redisSg.id],
          transitEncryptionEnabled: true,
          atRestEncryptionEnabled: true,
          applyImmediately: true,
        },
        parent,
      );
      redisEndpoint = pulumi.interpolate`rediss://${redis.primaryEndpointAddress}:6379`;
    }

    // --- Load balancer: internal only, health-checked on /healthz (always 200; /readyz costs an S3 LIST).
    const lb = new aws.lb.LoadBalancer(
      `${name}-lb`,
      {
        region,
        internal: true,
        loadBalancerType: "application",
        subnets: args.subnetIds,
        securityGroups: [lbSg.id],
        dropInvalidHeaderFields: true,
      },
      parent,
    );
    const targetGroup = new aws.lb.TargetGroup(
      `${name}-tg`,
      {
        region,
        vpcId: args.vpcId,
        targetType: "ip",
        port: ATHENS_CONTAINER_PORT,
        protocol: "HTTP",
        deregistrationDelay: 30,
        healthCheck: { path: "/healthz", matcher: "200", protocol: "HTTP", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
      },
      parent,
    );
    const listener = new aws.lb.Listener(
      `${name}-listener`,
      {
        region,
        loadBalancerArn: lb.arn,
        port: LISTENER_PORT,
        protocol: "HTTPS",
        certificateArn: args.tls.certificateArn,
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
      },
      parent,
    );

    // --- Task: Athens pinned by digest, configured by environment only, secrets via `secrets`.
    const cluster = new aws.ecs.Cluster(`${name}-cluster`, { region, settings: [{ name: "containerInsights", value: "enabled" }] }, parent);
    const secrets = [
      { name: "BASIC_AUTH_PASS", valueFrom: pulumi.interpolate`${basicAuth.arn}:::${basicAuthVersion.versionId}` },
      ...(args.githubTokenSecretArn === undefined
        ? []
        : [{ name: "ATHENS_GITHUB_TOKEN", valueFrom: pulumi.output(args.githubTokenSecretArn) }]),
    ];
    const containerDefinitions = pulumi
      .all([
        pulumi.output(args.imageRepositoryUrl).apply((url) => checkEcrRepositoryUrl(url)),
        bucket.bucket,
        logGroup.name,
        redisEndpoint ?? pulumi.output(undefined),
        pulumi.all(secrets.map((secret) => pulumi.all([secret.name, secret.valueFrom]))),
      ])
      .apply(([repositoryUrl, bucketName, logGroupName, redis, resolvedSecrets]) =>
        athensContainerDefinitions({
          image: `${repositoryUrl}@${checked.imageDigest}`,
          environment: {
            ...athensServerEnv({
              mode: settings.mode,
              rules: settings.rules,
              upstream: settings.upstream,
              privatePatterns: settings.privatePatterns,
              gosumdb: settings.gosumdb,
              listen: `:${ATHENS_CONTAINER_PORT}`,
              storage: { type: "s3", bucket: bucketName, region },
              singleFlight: redis === undefined ? { type: "memory" } : { type: "redis", endpoint: redis },
              logFormat: "json",
            }),
            BASIC_AUTH_USER: checked.basicAuthUser,
          },
          secrets: resolvedSecrets.map(([secretName, valueFrom]) => ({ name: secretName, valueFrom })),
          logGroup: logGroupName,
          region,
        }),
      );
    const taskDefinition = new aws.ecs.TaskDefinition(
      `${name}-taskdef`,
      {
        region,
        family: name,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(checked.size.cpu),
        memory: String(checked.size.memory),
        runtimePlatform: { cpuArchitecture: args.architecture ?? "X86_64", operatingSystemFamily: "LINUX" },
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole.arn,
        containerDefinitions,
      },
      parent,
    );
    const service = new aws.ecs.Service(
      `${name}-service`,
      {
        region,
        cluster: cluster.arn,
        taskDefinition: taskDefinition.arn,
        desiredCount: checked.desiredCount,
        launchType: "FARGATE",
        networkConfiguration: { subnets: args.subnetIds, securityGroups: [tasksSg.id], assignPublicIp: false },
        loadBalancers: [{ targetGroupArn: targetGroup.arn, containerName: "athens", containerPort: ATHENS_CONTAINER_PORT }],
        deploymentCircuitBreaker: { enable: true, rollback: true },
        healthCheckGracePeriodSeconds: 60,
        waitForSteadyState: true,
      },
      { parent: this, dependsOn: [listener] },
    );

    const host = args.tls.hostname;
    // Resolves once the service is steady, so builds that use it wait for a serving proxy.
    const url = service.id.apply(() => athensUrl({ scheme: "https", host }));
    const goproxy = pulumi.secret(
      pulumi
        .all([service.id, pulumi.secret(args.basicAuthPassword)])
        .apply(([, password]) => athensUrl({ scheme: "https", host, user: checked.basicAuthUser, password })),
    );
    return {
      url,
      goproxy,
      bucketName: bucket.bucket,
      loadBalancer: pulumi.all([lb.dnsName, lb.zoneId]).apply(([dnsName, zoneId]) => ({ dnsName, zoneId })),
    };
  }
}
