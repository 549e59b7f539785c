// The Athens settings as typed values: the three kinds (aws, local process, local endpoint), the checks
// each kind's settings pass before anything is declared (the AthensProxy component runs them too), and
// the parse of the stack's `slipway:athens` setting into them.
import { SlipwayInputError } from "./errors";
import {
  AthensMode,
  DEFAULT_LOCAL_PORT,
  DEFAULT_LOCAL_STATE_DIR,
  DEFAULT_LOCAL_STORAGE_DIR,
  DEFAULT_UPSTREAM,
  DownloadRule,
  LOCAL_LISTEN_HOST,
} from "./athens";
import {
  checkAllowedCidrs,
  checkBasicAuthUser,
  checkDesiredCount,
  checkEcrRepositoryUrl,
  checkFargateSize,
  checkImageDigest,
  checkLogRetention,
  checkRegion,
} from "./athensAws";
import { downloadModeValue, networkModeOf } from "./athensRender";
import {
  checkDownloadRules,
  checkEndpointUrl,
  checkGosumdb,
  checkLocalListen,
  checkMode,
  checkPrivatePatterns,
  checkUpstream,
} from "./athensValidate";

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

/** The AWS settings that are plain values whoever passes them (a component caller may pass the others as Pulumi inputs). */
export interface AwsAthensPlainSettings extends AthensServerSettings {
  /** ECS Fargate with S3 storage behind an internal load balancer. Required. */
  readonly kind: "aws";
  /** AWS region of every regional resource. Required. */
  readonly region: string;
  /** Private IPv4 CIDRs of the build runners; the only sources the load balancer accepts. Required. */
  readonly allowedCidrs: readonly string[];
  /** `sha256:…` digest of the Athens v0.18.0 image in the stack's ECR repository. Required. */
  readonly imageDigest: string;
  /** Basic-auth user name. Required. */
  readonly basicAuthUser: string;
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

/** Athens on ECS Fargate as a stack configures it; the basic-auth password comes from the stack's rotated secret. */
export interface AwsAthensSettings extends AwsAthensPlainSettings {
  /** VPC of the load balancer, tasks and Redis. Required. */
  readonly vpcId: string;
  /** Private subnets (two or more availability zones). Required. */
  readonly subnetIds: string[];
  /** `repositoryUrl` of the stack's own ECR repository holding the Athens image (no tag). Required. */
  readonly imageRepositoryUrl: string;
  /** Secrets Manager ARN of a GitHub token for private modules. Defaults to none. */
  readonly githubTokenSecretArn?: string;
  /** The HTTPS listener's ACM certificate and the DNS name clients use. Required. */
  readonly tls: { readonly certificateArn: string; readonly hostname: string };
}

export interface LocalProcessAthensSettings extends AthensServerSettings {
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

/** What the Go clients of any Athens are configured with besides its URL. */
export interface AthensClientSettings {
  /** Private module patterns the clients must not check against the public checksum DB. Defaults to none. */
  readonly privatePatterns?: readonly string[];
  /** Checksum database for clients (`GOSUMDB` syntax). Defaults to the Go default. */
  readonly gosumdb?: string;
}

export interface LocalEndpointAthensSettings extends AthensClientSettings {
  /** Athens on this machine. Required. */
  readonly kind: "local";
  /** Use an Athens that is already running; it is health-checked, never started. Required. */
  readonly source: "endpoint";
  /** Base URL of an existing Athens; may carry credentials. Required. */
  readonly url: string;
}

/** The `slipway:athens` setting, typed and validated. */
export type AthensSettings = AwsAthensSettings | LocalProcessAthensSettings | LocalEndpointAthensSettings;

/** The AWS settings as the checks see them: what may be a Pulumi input is checked only when it is a plain value. */
export interface AwsAthensSettingsToCheck extends AwsAthensPlainSettings {
  readonly subnetIds: unknown;
  readonly imageRepositoryUrl: unknown;
  readonly tls: unknown;
}

/** The download and network modes, the other shared settings, validated; throws SlipwayInputError. */
export function checkServerSettings(args: AthensServerSettings) {
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

export function checkAwsSettings(args: AwsAthensSettingsToCheck) {
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
  checkTls(args.tls);
  if (args.redisNodeType !== undefined) checkRedisNodeType(args.redisNodeType);
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

/** The local process's settings, validated, defaults applied; directories as given (relative ones are the caller's to resolve). */
export function checkLocalProcessSettings(args: LocalProcessAthensSettings) {
  const settings = checkServerSettings(args);
  const listen = checkLocalListen(args.host ?? LOCAL_LISTEN_HOST, args.port ?? DEFAULT_LOCAL_PORT);
  const timeout = checkStartTimeout(args.startTimeoutSeconds ?? 60);
  const binary = checkBinary(args.binary ?? "proxy");
  if (args.storageDir !== undefined) checkDirectory("storageDir", args.storageDir);
  if (args.stateDir !== undefined) checkDirectory("stateDir", args.stateDir);
  return {
    settings,
    listen,
    binary,
    startTimeoutMs: timeout * 1000,
    storageDir: args.storageDir ?? DEFAULT_LOCAL_STORAGE_DIR,
    stateDir: args.stateDir ?? DEFAULT_LOCAL_STATE_DIR,
  };
}

/** An endpoint's client settings, validated; its URL too when it is a plain value. */
export function checkEndpointSettings(args: AthensClientSettings & { readonly url: unknown }) {
  const checked = { privatePatterns: checkPrivatePatterns(args.privatePatterns), gosumdb: checkGosumdb(args.gosumdb) };
  if (typeof args.url === "string") checkEndpointUrl(args.url);
  return checked;
}

/** The HTTPS listener's settings: a certificate and the DNS name it covers. */
function checkTls(value: unknown): { certificateArn: unknown; hostname: string } {
  const tls = value as { certificateArn?: unknown; hostname?: unknown } | undefined | null;
  if (tls === undefined || tls === null || typeof tls.hostname !== "string") {
    throw new SlipwayInputError(
      "athens.aws.tls",
      value,
      "an HTTPS listener is required (basic auth never crosses plain http)",
      "set tls.certificateArn and tls.hostname",
    );
  }
  if (!/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(tls.hostname)) {
    throw new SlipwayInputError(
      "athens.aws.tls.hostname",
      tls.hostname,
      "not a DNS name",
      "write the name the certificate covers, e.g. athens.build.example.com",
    );
  }
  return { certificateArn: tls.certificateArn, hostname: tls.hostname };
}

function checkRedisNodeType(value: unknown): string {
  if (typeof value !== "string" || !/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(value)) {
    throw new SlipwayInputError("athens.aws.redisNodeType", value, "not an ElastiCache node type", "write e.g. cache.t4g.micro");
  }
  return value;
}

function checkStartTimeout(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 600) {
    throw new SlipwayInputError(
      "athens.local.startTimeoutSeconds",
      value,
      "must be a whole number of seconds from 1 to 600",
      "use e.g. 60",
    );
  }
  return value;
}

function checkBinary(value: unknown): string {
  if (typeof value !== "string" || value === "" || (value.includes("/") && !value.startsWith("/"))) {
    throw new SlipwayInputError(
      "athens.local.binary",
      value,
      "must be a command name on PATH or an absolute path",
      "write e.g. proxy or /usr/local/bin/athens",
    );
  }
  return value;
}

function checkDirectory(key: "storageDir" | "stateDir", value: unknown): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new SlipwayInputError(`athens.local.${key}`, value, "must be a directory path", "write a path or leave it unset");
  return value;
}

const KEY = "athens";
type Entry = Readonly<Record<string, unknown>>;

function optional<T>(value: unknown, check: (value: unknown) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

function plainString(entry: Entry, name: string, key: string): string {
  const value = entry[name];
  if (typeof value !== "string" || value === "") throw new SlipwayInputError(key, value, "must be a non-empty string", "quote the value");
  return value;
}

function stringList(entry: Entry, name: string, key: string): string[] {
  const value = entry[name];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string"))
    throw new SlipwayInputError(key, value, "must be a list of strings", 'write e.g. ["subnet-0a", "subnet-0b"]');
  return value as string[];
}

/** The settings every kind that runs Athens shares, each checked (normalised as the checks return it). */
function serverSettings(entry: Entry): AthensServerSettings {
  return {
    mode: optional(entry.mode, (value) => checkMode(value)),
    upstream: optional(entry.upstream, (value) => checkUpstream(value)),
    downloadRules: optional(entry.downloadRules, (value) => checkDownloadRules(value)),
    privatePatterns: optional(entry.privatePatterns, (value) => checkPrivatePatterns(value)),
    gosumdb: checkGosumdb(entry.gosumdb),
  };
}

function parseAws(entry: Entry): AwsAthensSettings {
  const server = serverSettings(entry);
  const tls = checkTls(entry.tls);
  const size = checkFargateSize(entry.cpu ?? 512, entry.memory ?? 1024);
  const architecture = entry.architecture;
  if (architecture !== undefined && architecture !== "X86_64" && architecture !== "ARM64")
    throw new SlipwayInputError(`${KEY}.aws.architecture`, architecture, "not a Fargate CPU architecture", "use X86_64 or ARM64");
  const settings: AwsAthensSettings = {
    ...server,
    kind: "aws",
    region: checkRegion(entry.region),
    vpcId: plainString(entry, "vpcId", `${KEY}.aws.vpcId`),
    subnetIds: stringList(entry, "subnetIds", `${KEY}.aws.subnetIds`),
    allowedCidrs: checkAllowedCidrs(entry.allowedCidrs),
    imageRepositoryUrl: checkEcrRepositoryUrl(entry.imageRepositoryUrl),
    imageDigest: checkImageDigest(entry.imageDigest),
    basicAuthUser: checkBasicAuthUser(entry.basicAuthUser),
    githubTokenSecretArn: optional(entry.githubTokenSecretArn, () =>
      plainString(entry, "githubTokenSecretArn", `${KEY}.aws.githubTokenSecretArn`),
    ),
    tls: { certificateArn: plainString(tls, "certificateArn", `${KEY}.aws.tls.certificateArn`), hostname: tls.hostname },
    cpu: entry.cpu === undefined ? undefined : size.cpu,
    memory: entry.memory === undefined ? undefined : size.memory,
    architecture,
    desiredCount: optional(entry.desiredCount, (value) => checkDesiredCount(value)),
    logRetentionDays: optional(entry.logRetentionDays, (value) => checkLogRetention(value)),
    redisNodeType: optional(entry.redisNodeType, checkRedisNodeType),
  };
  checkAwsSettings(settings);
  return settings;
}

function parseLocalProcess(entry: Entry): LocalProcessAthensSettings {
  const settings: LocalProcessAthensSettings = {
    ...serverSettings(entry),
    kind: "local",
    source: "process",
    host: optional(entry.host, (value) => checkLocalListen(value, DEFAULT_LOCAL_PORT).host),
    port: optional(entry.port, (value) => checkLocalListen(LOCAL_LISTEN_HOST, value).port),
    storageDir: optional(entry.storageDir, (value) => checkDirectory("storageDir", value)),
    stateDir: optional(entry.stateDir, (value) => checkDirectory("stateDir", value)),
    binary: optional(entry.binary, checkBinary),
    startTimeoutSeconds: optional(entry.startTimeoutSeconds, checkStartTimeout),
  };
  checkLocalProcessSettings(settings);
  return settings;
}

function parseEndpoint(entry: Entry): LocalEndpointAthensSettings {
  const privatePatterns = optional(entry.privatePatterns, (value) => checkPrivatePatterns(value));
  const gosumdb = checkGosumdb(entry.gosumdb);
  checkEndpointUrl(entry.url);
  return { kind: "local", source: "endpoint", url: entry.url as string, privatePatterns, gosumdb };
}

function kindField(entry: Entry, name: "kind" | "source"): string | undefined {
  const value = entry[name];
  if (value !== undefined && typeof value !== "string")
    throw new SlipwayInputError(`${KEY}.${name}`, value, "must be a string", "quote the value");
  return value;
}

/**
 * The `slipway:athens` setting (parsed JSON) as typed settings; every check the AthensProxy component
 * makes runs here too, so bad proxy settings stop the program while the stack config is read.
 */
export function parseAthensSettings(raw: unknown): AthensSettings {
  if (raw === undefined) return { kind: "local", source: "process" };
  const entry: Entry = typeof raw === "object" && raw !== null ? (raw as Entry) : {};
  const kind = kindField(entry, "kind");
  if (kind === "aws") return parseAws(entry);
  if (kind !== "local") {
    throw new SlipwayInputError("athens.kind", kind, "unknown proxy kind", "use local or aws");
  }
  const source = kindField(entry, "source") ?? "process";
  if (source !== "process" && source !== "endpoint") {
    throw new SlipwayInputError(
      "athens.source",
      source,
      "unknown local proxy source",
      "use process (slipway runs Athens) or endpoint (an Athens you run)",
    );
  }
  return source === "process" ? parseLocalProcess(entry) : parseEndpoint(entry);
}
