// Athens on ECS Fargate: S3 storage, an internal HTTPS load balancer that only the build runners reach,
// basic auth through Secrets Manager, and Redis single-flight as soon as two tasks may race.
import { aws } from "../providers/awsModule";
import * as pulumi from "@pulumi/pulumi";
import { ATHENS_CONTAINER_PORT } from "../plan/athens";
import { athensContainerDefinitions, athensTaskRolePolicy, checkEcrRepositoryUrl, needsRedis, secretsReadPolicy } from "../plan/athensAws";
import { athensServerEnv, athensUrl } from "../plan/athensRender";
import { AwsAthensPlainSettings, checkAwsSettings } from "../plan/athensSettings";

export interface AthensAwsArgs extends AwsAthensPlainSettings {
  /** VPC of the load balancer, tasks and Redis. Required. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets (two or more availability zones) for the load balancer, tasks and Redis. Required. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** `repositoryUrl` of the stack's own ECR repository holding the Athens image (no tag). Required. */
  readonly imageRepositoryUrl: pulumi.Input<string>;
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
}

/** The load balancer's only listener: HTTPS. */
const LISTENER_PORT = 443;

/** A resource-name-safe rendering of a CIDR: `10.0.0.0/16` → `10-0-0-0-16`. */
function cidrSlug(cidr: string): string {
  return cidr.replace(/[./]/g, "-");
}

/** Before AthensAws existed its resources were the AthensProxy's own children: the alias keeps their URNs. */
function movedFrom(opts: pulumi.ComponentResourceOptions | undefined): pulumi.Input<pulumi.Alias>[] {
  return opts?.parent === undefined ? [] : [{ parent: opts.parent }];
}

/** Athens on ECS Fargate; `goproxy` carries the basic-auth credentials and is a secret. */
export class AthensAws extends pulumi.ComponentResource {
  /** The Athens base URL without credentials; resolves once the service is steady. */
  public readonly url: pulumi.Output<string>;
  /** The GOPROXY value with basic-auth credentials: a secret. */
  public readonly goproxy: pulumi.Output<string>;
  /** The module bucket. */
  public readonly bucketName: pulumi.Output<string>;
  /** Where `tls.hostname` must point (a Route 53 alias target). */
  public readonly loadBalancer: pulumi.Output<{ dnsName: string; zoneId: string }>;

  constructor(name: string, args: AthensAwsArgs, opts?: pulumi.ComponentResourceOptions) {
    const checked = checkAwsSettings(args);
    super("slipway:athens:AthensAws", name, {}, opts);
    const { region, settings } = checked;
    const parent = { parent: this, aliases: movedFrom(opts) };

    // --- Storage: versioned, encrypted, never public; outlives the stack (it holds published modules).
    const bucket = new aws.s3.Bucket(`${name}-modules`, { region, forceDestroy: false }, { ...parent, retainOnDelete: true });
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
      { ...parent, dependsOn: [listener] },
    );

    const host = args.tls.hostname;
    // Resolves once the service is steady, so builds that use it wait for a serving proxy.
    this.url = service.id.apply(() => athensUrl({ scheme: "https", host }));
    this.goproxy = pulumi.secret(
      pulumi
        .all([service.id, pulumi.secret(args.basicAuthPassword)])
        .apply(([, password]) => athensUrl({ scheme: "https", host, user: checked.basicAuthUser, password })),
    );
    this.bucketName = bucket.bucket;
    this.loadBalancer = pulumi.all([lb.dnsName, lb.zoneId]).apply(([dnsName, zoneId]) => ({ dnsName, zoneId }));
    this.registerOutputs({ url: this.url, goproxy: this.goproxy, bucketName: this.bucketName, loadBalancer: this.loadBalancer });
  }
}
