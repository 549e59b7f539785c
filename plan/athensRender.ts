// Rendering of what Athens and its Go clients are configured with: the download-mode HCL, the server's
// environment, the release build's Go environment and the Athens URL.
import { byteOrder } from "./assets";
import { AthensMode, AthensServerArgs, DEFAULT_UPSTREAM, DownloadModeArgs, GoClientArgs } from "./athens";
import {
  checkDownloadRules,
  checkEndpointUrl,
  checkGosumdb,
  checkMode,
  checkPrivatePatterns,
  checkUpstream,
  sumDbUrl,
} from "./athensValidate";

const KEY = "athens";

const MODE_SETTINGS = {
  warm: { download: "sync", network: "strict" },
  sealed: { download: "none", network: "offline" },
} as const satisfies Record<AthensMode, { download: string; network: string }>;

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

/** The record with its keys sorted, so rendered JSON and environments are deterministic. */
export function sortedRecord(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).sort(([a], [b]) => byteOrder(a, b)));
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
