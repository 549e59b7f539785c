// The AWS pieces of an Athens on ECS Fargate: the checks of its AWS settings (who may reach the load
// balancer, Fargate sizes, region, image, user) and the task-role, secrets and container-definition JSON.
import { byteOrder } from "./assets";
import { AWS_REGION } from "./aws";
import { SlipwayInputError } from "./errors";
import { ATHENS_CONTAINER_PORT } from "./athens";
import { sortedRecord } from "./athensRender";

const KEY = "athens";

// Ranges a VPC may use that are not routable on the Internet (RFC 1918, plus RFC 6598 shared space).
const PRIVATE_V4: readonly (readonly [number, number])[] = [
  [ipv4("10.0.0.0"), 8],
  [ipv4("172.16.0.0"), 12],
  [ipv4("192.168.0.0"), 16],
  [ipv4("100.64.0.0"), 10],
];

function ipv4(text: string): number {
  return text.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function maskOf(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

/**
 * Who may reach the internal load balancer: private IPv4 CIDRs of the build runners, canonical
 * (no host bits), sorted and de-duplicated. `0.0.0.0/0` and public ranges are refused.
 */
export function checkAllowedCidrs(value: unknown, key = `${KEY}.allowedCidrs`): string[] {
  const fix = "list the build runners' private CIDRs, e.g. 10.0.0.0/16";
  if (!Array.isArray(value) || value.length === 0) throw new SlipwayInputError(key, value, "at least one CIDR is required", fix);
  const cidrs = value.map((cidr: unknown, index) => {
    const at = `${key}[${index}]`;
    const match = typeof cidr === "string" ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr) : null;
    const octets = match?.slice(1, 5).map(Number) ?? [];
    const length = Number(match?.[5]);
    if (match === null || octets.some((o) => o > 255) || length > 32) {
      throw new SlipwayInputError(at, cidr, "not an IPv4 CIDR", fix);
    }
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    if (length === 0) throw new SlipwayInputError(at, cidr, "opens the proxy to every address", fix);
    if ((address & maskOf(length)) >>> 0 !== address) {
      const canonical = `${[24, 16, 8, 0].map((shift) => (((address & maskOf(length)) >>> 0) >>> shift) & 255).join(".")}/${length}`;
      throw new SlipwayInputError(at, cidr, "has host bits set", `write ${canonical}`);
    }
    const inPrivate = PRIVATE_V4.some(([net, len]) => length >= len && (address & maskOf(len)) >>> 0 === net);
    if (!inPrivate) throw new SlipwayInputError(at, cidr, "is not a private range (10/8, 172.16/12, 192.168/16, 100.64/10)", fix);
    return cidr as string;
  });
  return [...new Set(cidrs)].sort();
}

// Fargate CPU units → allowed memory (MiB): [min, max, step].
const FARGATE_SIZES: Readonly<Record<number, readonly [number, number, number]>> = {
  256: [512, 2048, 512],
  512: [1024, 4096, 1024],
  1024: [2048, 8192, 1024],
  2048: [4096, 16384, 1024],
  4096: [8192, 30720, 1024],
  8192: [16384, 61440, 4096],
  16384: [32768, 122880, 8192],
};

export function checkFargateSize(cpu: unknown, memory: unknown, key = `${KEY}.aws`): { cpu: number; memory: number } {
  const range = typeof cpu === "number" ? FARGATE_SIZES[cpu] : undefined;
  if (range === undefined)
    throw new SlipwayInputError(`${key}.cpu`, cpu, "not a Fargate CPU size", `use one of ${Object.keys(FARGATE_SIZES).join(", ")}`);
  const [min, max, step] = range;
  if (typeof memory !== "number" || !Number.isInteger(memory) || memory < min || memory > max || (memory - min) % step !== 0) {
    throw new SlipwayInputError(
      `${key}.memory`,
      memory,
      `not a Fargate memory size for cpu ${String(cpu)}`,
      `use ${min} to ${max} MiB in steps of ${step}`,
    );
  }
  return { cpu: cpu as number, memory };
}

export function checkDesiredCount(value: unknown, key = `${KEY}.aws.desiredCount`): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 10) {
    throw new SlipwayInputError(
      key,
      value,
      "must be a whole number of tasks from 1 to 10",
      "use 1 (memory single-flight) or more (Redis single-flight)",
    );
  }
  return value;
}

/** Redis-backed single-flight is needed as soon as two tasks may fetch the same module (athens.md §2). */
export function needsRedis(desiredCount: number): boolean {
  return desiredCount > 1;
}

const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export function checkLogRetention(value: unknown, key = `${KEY}.aws.logRetentionDays`): number {
  if (typeof value !== "number" || !LOG_RETENTION_DAYS.includes(value)) {
    throw new SlipwayInputError(key, value, "not a CloudWatch Logs retention period", `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  return value;
}

export function checkRegion(value: unknown, key = `${KEY}.aws.region`): string {
  if (typeof value !== "string" || !AWS_REGION.test(value))
    throw new SlipwayInputError(key, value, "not an AWS region", "write e.g. eu-west-1");
  return value;
}

export function checkImageDigest(value: unknown, key = `${KEY}.aws.imageDigest`): string {
  if (typeof value !== "string" || !/^sha256:[0-9a-f]{64}$/.test(value)) {
    throw new SlipwayInputError(
      key,
      value,
      "the Athens image must be pinned by digest",
      "write sha256:<64 hex> of the image copied into the stack's ECR repository",
    );
  }
  return value;
}

const ECR_REPOSITORY_URL = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/[a-z0-9]+(?:[._/-][a-z0-9]+)*$/;

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repo>`, no tag: the digest pins the image. */
export function checkEcrRepositoryUrl(value: unknown, key = `${KEY}.aws.imageRepositoryUrl`): string {
  if (typeof value !== "string" || !ECR_REPOSITORY_URL.test(value)) {
    throw new SlipwayInputError(key, value, "not an ECR repository URL", "pass the stack's own ecr.Repository repositoryUrl (no tag)");
  }
  return value;
}

export function checkBasicAuthUser(value: unknown, key = `${KEY}.aws.basicAuthUser`): string {
  if (typeof value !== "string" || !/^[A-Za-z0-9._-]{1,64}$/.test(value)) {
    throw new SlipwayInputError(key, value, "not a basic-auth user name", "use 1-64 letters, digits, dot, dash or underscore");
  }
  return value;
}

/** Task-role policy: the proxy's own bucket and nothing else (docs `install-on-aws-ecs-fargate.md`). */
export function athensTaskRolePolicy(bucketArn: string): string {
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Statement: [
        { Sid: "ListModuleBucket", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket"], Resource: [bucketArn] },
        {
          Sid: "ReadWriteModules",
          Effect: "Allow",
          Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
          Resource: [`${bucketArn}/*`],
        },
      ],
    },
    null,
    2,
  );
}

/** Execution-role policy: read exactly the secrets injected into the container. */
export function secretsReadPolicy(secretArns: readonly string[]): string {
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Statement: [
        { Sid: "ReadInjectedSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [...secretArns].sort() },
      ],
    },
    null,
    2,
  );
}

export interface ContainerSecret {
  readonly name: string;
  /** Secrets Manager ARN, optionally with `:json-key:version-stage:version-id`. */
  readonly valueFrom: string;
}

export interface ContainerDefinitionArgs {
  readonly image: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: readonly ContainerSecret[];
  readonly logGroup: string;
  readonly region: string;
}

/** The single Athens container of the task definition, as the `containerDefinitions` JSON. */
export function athensContainerDefinitions(args: ContainerDefinitionArgs): string {
  const clash = args.secrets.find((secret) => secret.name in args.environment);
  if (clash !== undefined) throw new Error(`${clash.name} is both a secret and plain environment`);
  return JSON.stringify(
    [
      {
        name: "athens",
        image: args.image,
        essential: true,
        portMappings: [{ containerPort: ATHENS_CONTAINER_PORT, protocol: "tcp" }],
        environment: Object.entries(sortedRecord({ ...args.environment })).map(([name, value]) => ({ name, value })),
        secrets: [...args.secrets].sort((a, b) => byteOrder(a.name, b.name)).map(({ name, valueFrom }) => ({ name, valueFrom })),
        // busybox wget is in the image; /readyz would cost an S3 LIST per probe (athens.md §4).
        healthCheck: {
          command: ["CMD-SHELL", `wget -q -O /dev/null http://127.0.0.1:${ATHENS_CONTAINER_PORT}/healthz || exit 1`],
          interval: 30,
          timeout: 5,
          retries: 3,
          startPeriod: 30,
        },
        logConfiguration: {
          logDriver: "awslogs",
          options: { "awslogs-group": args.logGroup, "awslogs-region": args.region, "awslogs-stream-prefix": "athens" },
        },
      },
    ],
    null,
    2,
  );
}
