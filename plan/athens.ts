// Pure planning for the private Go module proxy (Athens v0.18.0): settings validation, the server's
// environment, the download-mode HCL, the ECS container definition, the task-role policy and the Go
// client environment release builds use. No @pulumi import, no I/O; see /work/shared/notes/athens.md.
import { AWS_REGION } from "./aws";
import { SlipwayInputError } from "./errors";

/** The Athens release every kind runs (image tag for ECS, `go install …/cmd/proxy@` for local). */
export const ATHENS_VERSION = "v0.18.0";
/** Port Athens listens on inside its container. */
export const ATHENS_CONTAINER_PORT = 3000;
/** The only host a local Athens may listen on. */
export const LOCAL_LISTEN_HOST = "127.0.0.1";
export const DEFAULT_LOCAL_PORT = 3000;
/** A local Athens's disk storage and run directory, relative to the project. */
export const DEFAULT_LOCAL_STORAGE_DIR = ".slipway/athens/storage";
export const DEFAULT_LOCAL_STATE_DIR = ".slipway/athens/run";
/** Where Athens fetches what it does not have (its inner `GOPROXY`): notarized zips, no VCS rebuilds (#2145). */
export const DEFAULT_UPSTREAM = "https://proxy.golang.org";

/**
 * `warm`: fetch misses from upstream and store them (`sync` + `strict`); `sealed`: serve storage only,
 * a miss is a 404 and `/@v/list` never reaches upstream (`none` + `offline`, athens.md §5).
 */
export const ATHENS_MODES = ["warm", "sealed"] as const;
export type AthensMode = (typeof ATHENS_MODES)[number];

const MODE_SETTINGS = {
  warm: { download: "sync", network: "strict" },
  sealed: { download: "none", network: "offline" },
} as const satisfies Record<AthensMode, { download: string; network: string }>;

/** Per-pattern download modes; the `redirect` modes send clients elsewhere and are never hermetic. */
export const RULE_MODES = ["sync", "async", "none"] as const;
export type RuleMode = (typeof RULE_MODES)[number];

export interface DownloadRule {
  /** A Go `path.Match` pattern over module paths, e.g. `github.com/acme/*`. */
  readonly pattern: string;
  readonly mode: RuleMode;
}

export interface DownloadModeArgs {
  readonly mode: AthensMode;
  /** First match wins, as in Athens. Defaults to none. */
  readonly rules?: readonly DownloadRule[];
}

/** Settings every kind that runs Athens itself shares. */
export interface AthensCommonArgs extends DownloadModeArgs {
  /** The upstream Go module proxy Athens fetches from. Defaults to {@link DEFAULT_UPSTREAM}. */
  readonly upstream?: string;
  /** Module path patterns of private modules (GOPRIVATE syntax). Defaults to none. */
  readonly privatePatterns?: readonly string[];
  /** A non-default checksum database (`GOSUMDB` syntax). Defaults to the Go default. */
  readonly gosumdb?: string;
}

export type AthensStorage =
  { readonly type: "disk"; readonly root: string } | { readonly type: "s3"; readonly bucket: string; readonly region: string };

export type SingleFlight = { readonly type: "memory" } | { readonly type: "redis"; readonly endpoint: string };

export interface AthensServerArgs extends AthensCommonArgs {
  /** `host:port` to listen on; `:3000` in a container. */
  readonly listen: string;
  readonly storage: AthensStorage;
  /** Defaults to memory (a single instance). */
  readonly singleFlight?: SingleFlight;
  /** `json` for CloudWatch, `plain` for a terminal. Defaults to plain. */
  readonly logFormat?: "plain" | "json";
}

export interface GoClientArgs {
  /** The Athens URL builds fetch modules from (may carry basic-auth credentials). */
  readonly goproxy: string;
  readonly privatePatterns?: readonly string[];
  readonly gosumdb?: string;
}

const KEY = "athens";

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

export function checkMode(value: unknown, key = `${KEY}.mode`): AthensMode {
  if (typeof value === "string" && (ATHENS_MODES as readonly string[]).includes(value)) return value as AthensMode;
  throw new SlipwayInputError(
    key,
    value,
    "unknown Athens mode",
    `use ${ATHENS_MODES.join(" or ")} (warm fetches misses, sealed serves storage only)`,
  );
}

function isLoopback(hostname: string): boolean {
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
}

/**
 * The upstream Athens fetches from: one http(s) URL without credentials (they would sit in plain
 * task environment). Plain http only on loopback. `direct` and `off` are refused: a release build
 * must never depend on whatever VCS host happens to answer.
 */
export function checkUpstream(value: unknown, key = `${KEY}.upstream`): string {
  const fix = `set one module proxy URL such as ${DEFAULT_UPSTREAM}`;
  if (typeof value !== "string" || value.trim() === "")
    throw new SlipwayInputError(key, value, "an upstream module proxy URL is required", fix);
  const entries = value.split(/[,|]/).map((entry) => entry.trim());
  if (entries.some((entry) => entry === "direct" || entry === "off")) {
    throw new SlipwayInputError(
      key,
      value,
      "`direct` and `off` are not module proxies (direct bypasses every proxy and is not hermetic)",
      fix,
    );
  }
  if (entries.length > 1) throw new SlipwayInputError(key, value, "a single upstream proxy is supported, not a GOPROXY list", fix);
  const url = parseUrl(value);
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:") || url.hostname === "") {
    throw new SlipwayInputError(key, value, "not an http(s) URL", fix);
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new SlipwayInputError(key, value, "plain http is only allowed on loopback", "use an https URL");
  }
  if (url.username !== "" || url.password !== "") {
    throw new SlipwayInputError(
      key,
      "(value not shown)",
      "an upstream URL must not carry credentials",
      "use a proxy that needs none; private modules go through privatePatterns and a GitHub token",
    );
  }
  if (url.search !== "" || url.hash !== "") throw new SlipwayInputError(key, value, "a proxy URL has no query or fragment", fix);
  return value.replace(/\/+$/, "");
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

// GOPRIVATE-style globs: module path characters plus path.Match metacharacters; no comma (the list separator).
const MODULE_PATTERN = /^[A-Za-z0-9.\-_~*?[\]/]+$/;

/** Private module patterns, sorted and de-duplicated (their order has no meaning to Go or Athens). */
export function checkPrivatePatterns(value: unknown, key = `${KEY}.privatePatterns`): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new SlipwayInputError(key, value, "must be a list of module path patterns", 'write e.g. ["github.com/acme/*"]');
  value.forEach((pattern: unknown, index) => {
    if (typeof pattern !== "string" || !MODULE_PATTERN.test(pattern) || pattern.startsWith("/") || pattern.includes("..")) {
      throw new SlipwayInputError(
        `${key}[${index}]`,
        pattern,
        "not a module path pattern",
        "write a GOPRIVATE glob such as github.com/acme/* (one per entry, no commas)",
      );
    }
  });
  value.forEach((pattern: string, index) => {
    // GOPRIVATE=* (or *.*) would switch checksum verification off for every module.
    const host = pattern.split("/")[0] ?? "";
    if (!host.includes(".") || !/[A-Za-z0-9]/.test(host)) {
      throw new SlipwayInputError(
        `${key}[${index}]`,
        pattern,
        "matches public modules too and would switch off their checksum verification",
        "name the private host or organisation, e.g. github.com/acme/*",
      );
    }
  });
  return [...new Set(value as string[])].sort();
}

export function checkDownloadRules(value: unknown, key = `${KEY}.downloadRules`): DownloadRule[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new SlipwayInputError(
      key,
      value,
      "must be a list of {pattern, mode}",
      'write e.g. [{pattern: "github.com/acme/*", mode: "sync"}]',
    );
  return value.map((rule: unknown, index) => {
    const at = `${key}[${index}]`;
    if (rule === null || typeof rule !== "object")
      throw new SlipwayInputError(at, rule, "must be {pattern, mode}", 'write e.g. {pattern: "github.com/acme/*", mode: "sync"}');
    const { pattern, mode } = rule as Record<string, unknown>;
    if (typeof pattern !== "string" || !MODULE_PATTERN.test(pattern)) {
      throw new SlipwayInputError(
        `${at}.pattern`,
        pattern,
        "not a module path pattern",
        "write a path.Match glob such as github.com/acme/*",
      );
    }
    if (mode === "redirect" || mode === "async_redirect") {
      throw new SlipwayInputError(
        `${at}.mode`,
        mode,
        "redirect modes send clients to another server and are not hermetic",
        `use ${RULE_MODES.join(", ")}`,
      );
    }
    if (typeof mode !== "string" || !(RULE_MODES as readonly string[]).includes(mode)) {
      throw new SlipwayInputError(`${at}.mode`, mode, "unknown download mode", `use ${RULE_MODES.join(", ")}`);
    }
    return { pattern, mode: mode as RuleMode };
  });
}

// `name`, `name+key` or `name+key url` (cmd/go: GOSUMDB).
const GOSUMDB = /^([A-Za-z0-9][A-Za-z0-9.-]*)(\+[A-Za-z0-9+/=.-]+)?(?: (\S+))?$/;

export function checkGosumdb(value: unknown, key = `${KEY}.gosumdb`): string | undefined {
  if (value === undefined) return undefined;
  if (value === "off") {
    throw new SlipwayInputError(
      key,
      value,
      "turning checksum verification off is not allowed in release builds",
      "leave it unset; a complete go.sum with -mod=readonly never needs the database",
    );
  }
  const match = typeof value === "string" ? GOSUMDB.exec(value) : null;
  if (match === null) throw new SlipwayInputError(key, value, "not a GOSUMDB value", "write name+publickey [https-url], or leave it unset");
  if (match[3] !== undefined && parseUrl(match[3])?.protocol !== "https:") {
    throw new SlipwayInputError(key, value, "the checksum database URL must be https", "write name+publickey https://host");
  }
  return value as string;
}

/** The sum DB URL Athens must proxy for a configured GOSUMDB (Athens only accepts https URLs). */
export function sumDbUrl(gosumdb: string): string {
  const match = GOSUMDB.exec(gosumdb);
  if (match === null) throw new Error(`not a GOSUMDB value: ${gosumdb}`);
  return (match[3] ?? `https://${match[1]}`).replace(/\/+$/, "");
}

/** A local Athens binds loopback only: it serves whatever it has cached to anyone who can reach it. */
export function checkLocalListen(host: unknown, port: unknown, key = `${KEY}.local`): { host: string; port: number } {
  if (host !== LOCAL_LISTEN_HOST) {
    throw new SlipwayInputError(`${key}.host`, host, "a local Athens listens on loopback only", `use ${LOCAL_LISTEN_HOST}`);
  }
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SlipwayInputError(`${key}.port`, port, "not a TCP port", "use a port from 1 to 65535");
  }
  return { host, port };
}

/** An existing Athens URL: http(s), host, no path beyond `/`, no query. Credentials are allowed. */
export function checkEndpointUrl(value: unknown, key = `${KEY}.local.url`): string {
  const fix = "write the Athens base URL, e.g. http://127.0.0.1:3000";
  const url = typeof value === "string" ? parseUrl(value) : undefined;
  const shown = url !== undefined && (url.username !== "" || url.password !== "") ? redactUrl(value as string) : value;
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    throw new SlipwayInputError(key, shown, "not an http(s) URL", fix);
  }
  if (url.search !== "" || url.hash !== "") throw new SlipwayInputError(key, shown, "an Athens URL has no query or fragment", fix);
  if (url.password !== "" && url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new SlipwayInputError(
      key,
      shown,
      "credentials over plain http leave the machine in clear text",
      "use https for a remote Athens with basic auth",
    );
  }
  return (value as string).replace(/\/+$/, "");
}

/** The URL with any credentials replaced by `***`, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1***@");
}

/** The URL with its user info removed. */
export function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  parsed.username = "";
  parsed.password = "";
  return parsed.toString().replace(/\/$/, "");
}

export function hasCredentials(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== undefined && (parsed.username !== "" || parsed.password !== "");
}

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

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

function hclString(text: string): string {
  // Validated patterns contain no quote, backslash or `${`/`%{` template sequences; JSON quoting is valid HCL.
  return JSON.stringify(text);
}

/**
 * The download-mode file Athens reads from `custom:<base64>` (`pkg/download/mode/mode.go`): top-level
 * `downloadURL` and `mode` are both required; `downloadURL` stays empty because no mode redirects.
 */
export function downloadModeHcl(args: DownloadModeArgs): string {
  const mode = checkMode(args.mode);
  const rules = checkDownloadRules(args.rules);
  const lines = ['downloadURL = ""', `mode        = ${hclString(MODE_SETTINGS[mode].download)}`];
  for (const rule of rules) lines.push("", `download ${hclString(rule.pattern)} {`, `  mode = ${hclString(rule.mode)}`, "}");
  return `${lines.join("\n")}\n`;
}

/** `ATHENS_DOWNLOAD_MODE`: the plain mode name, or `custom:<base64 HCL>` when rules are given. */
export function downloadModeValue(args: DownloadModeArgs): string {
  const mode = checkMode(args.mode);
  if (checkDownloadRules(args.rules).length === 0) return MODE_SETTINGS[mode].download;
  return `custom:${Buffer.from(downloadModeHcl(args), "utf8").toString("base64")}`;
}

export function networkModeOf(mode: AthensMode): string {
  return MODE_SETTINGS[checkMode(mode)].network;
}

function sortedRecord(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Everything Athens is configured with, as environment (no config file is mounted). Keys sorted.
 * Secrets (basic-auth password, GitHub token) are not here: they are injected separately.
 */
export function athensServerEnv(args: AthensServerArgs): Record<string, string> {
  const upstream = checkUpstream(args.upstream ?? DEFAULT_UPSTREAM);
  const privatePatterns = checkPrivatePatterns(args.privatePatterns);
  const gosumdb = checkGosumdb(args.gosumdb);
  // The inner `go` sees only what this list sets (athens.md §2). GOTOOLCHAIN=local stops it from
  // downloading a newer toolchain on every miss (the image's go.env says auto; impossible offline).
  const inner = [`GOPROXY=${upstream}`, "GOTOOLCHAIN=local"];
  if (privatePatterns.length > 0) inner.push(`GOPRIVATE=${privatePatterns.join(",")}`);
  const env: Record<string, string> = {
    ATHENS_DOWNLOAD_MODE: downloadModeValue(args),
    ATHENS_GO_BINARY_ENV_VARS: inner.join(";"),
    ATHENS_LOG_FORMAT: args.logFormat ?? "plain",
    ATHENS_LOG_LEVEL: "info",
    ATHENS_NETWORK_MODE: networkModeOf(args.mode),
    ATHENS_PORT: args.listen,
  };
  if (privatePatterns.length > 0) env.ATHENS_GONOSUM_PATTERNS = privatePatterns.join(",");
  if (gosumdb !== undefined) env.ATHENS_SUM_DBS = sumDbUrl(gosumdb);
  const singleFlight = args.singleFlight ?? { type: "memory" };
  env.ATHENS_SINGLE_FLIGHT_TYPE = singleFlight.type;
  if (singleFlight.type === "redis") env.ATHENS_REDIS_ENDPOINT = singleFlight.endpoint;
  switch (args.storage.type) {
    case "disk":
      env.ATHENS_STORAGE_TYPE = "disk";
      env.ATHENS_DISK_STORAGE_ROOT = args.storage.root;
      break;
    case "s3":
      env.ATHENS_STORAGE_TYPE = "s3";
      env.ATHENS_S3_BUCKET_NAME = args.storage.bucket;
      env.AWS_REGION = args.storage.region;
      // Without it Athens replaces the SDK credential chain and ignores the task role (athens.md §2, #1283).
      env.AWS_USE_DEFAULT_CONFIGURATION = "true";
      break;
  }
  return sortedRecord(env);
}

/**
 * The environment a release build downloads modules with: only Athens (no `direct`, no fallback),
 * go.sum must already be complete, no toolchain download, no client-side VCS. Private patterns keep
 * going through Athens (GONOPROXY=none) and skip only the public checksum database.
 */
export function goClientEnv(args: GoClientArgs): Record<string, string> {
  const goproxy = checkEndpointUrl(args.goproxy, `${KEY}.goproxy`);
  const privatePatterns = checkPrivatePatterns(args.privatePatterns);
  const gosumdb = checkGosumdb(args.gosumdb);
  const env: Record<string, string> = {
    CGO_ENABLED: "0",
    GOFLAGS: "-mod=readonly",
    GOPROXY: goproxy,
    GOTOOLCHAIN: "local",
    GOVCS: "*:off",
  };
  if (privatePatterns.length > 0) {
    env.GOPRIVATE = privatePatterns.join(",");
    env.GONOPROXY = "none";
    env.GONOSUMDB = privatePatterns.join(",");
  }
  if (gosumdb !== undefined) env.GOSUMDB = gosumdb;
  return sortedRecord(env);
}

/** `KEY=value` lines in key order, as a dotenv file or `env` prints them. */
export function renderEnv(env: Readonly<Record<string, string>>): string {
  return Object.keys(env)
    .sort()
    .map((key) => `${key}=${env[key]}\n`)
    .join("");
}

/** The Athens base URL, with basic-auth credentials percent-encoded into it when given. */
export function athensUrl(args: {
  readonly scheme: "http" | "https";
  readonly host: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
}): string {
  const url = new URL(`${args.scheme}://${args.host}`);
  if (args.port !== undefined) url.port = String(args.port);
  if (args.user !== undefined && args.password !== undefined) {
    url.username = encodeURIComponent(args.user);
    url.password = encodeURIComponent(args.password);
  }
  return url.toString().replace(/\/$/, "");
}

// ---------------------------------------------------------------------------------------------
// AWS pieces
// ---------------------------------------------------------------------------------------------

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
        secrets: [...args.secrets].sort((a, b) => (a.name < b.name ? -1 : 1)).map(({ name, valueFrom }) => ({ name, valueFrom })),
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

// ---------------------------------------------------------------------------------------------
// Sealed storage

/**
 * What a build of the module would ask a sealed Athens for and its disk storage lacks, as
 * `module@version` (sorted, once each). Every go.sum line names a file the build downloads: `/go.mod`
 * lines the module's go.mod, the others its zip. Athens's disk layout is `<root>/<module>/<version>/`
 * with `go.mod`, `source.zip` and `<version>.info` (pkg/storage/fs), module paths as written.
 */
export function missingFromDiskStorage(goSum: string, storageRoot: string, exists: (path: string) => boolean): string[] {
  const missing = new Set<string>();
  for (const line of goSum.split("\n")) {
    const [module, versionField] = line.trim().split(/\s+/);
    if (module === undefined || module === "" || versionField === undefined) continue;
    const goModOnly = versionField.endsWith("/go.mod");
    const version = goModOnly ? versionField.slice(0, -"/go.mod".length) : versionField;
    const file = goModOnly ? "go.mod" : "source.zip";
    if (!exists(`${storageRoot}/${module}/${version}/${file}`)) missing.add(`${module}@${version}`);
  }
  return [...missing].sort();
}
