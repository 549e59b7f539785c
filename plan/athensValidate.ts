// Validation of the Athens settings every kind shares: mode, upstream, module patterns, download rules,
// checksum database, the local listen address and endpoint URLs (with their credential helpers).
import { SlipwayInputError } from "./errors";
import { ATHENS_MODES, AthensMode, DEFAULT_UPSTREAM, DownloadRule, LOCAL_LISTEN_HOST, RULE_MODES, RuleMode } from "./athens";

const KEY = "athens";

export function checkMode(value: unknown, key = `${KEY}.mode`): AthensMode {
  if (typeof value === "string" && (ATHENS_MODES as readonly string[]).includes(value)) return value as AthensMode;
  throw new SlipwayInputError(
    key,
    value,
    "unknown Athens mode",
    `use ${ATHENS_MODES.join(" or ")} (warm fetches misses, sealed serves storage only)`,
  );
}

export function isLoopback(hostname: string): boolean {
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
  // An http(s) URL always has a host name: the URL parser refuses one without.
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
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

export function parseUrl(text: string): URL | undefined {
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
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
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

// A URL's user info runs to the last `@` of its authority (WHATWG URL parsing: earlier ones are part of it).
const URL_CREDENTIALS = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*@)/i;

/** The URL with any credentials replaced by `***`, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(URL_CREDENTIALS, "$1***@");
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

/** `text` with the credentials of `url` (its `user:password@`) replaced by `***@` wherever they appear. */
export function redactCredentialsOf(url: string, text: string): string {
  const userinfo = URL_CREDENTIALS.exec(url)?.[2];
  return userinfo === undefined ? text : text.split(userinfo).join("***@");
}
