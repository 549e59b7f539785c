// What the machine says about a local Athens: whether an Athens answers at a URL (/healthz, /version),
// who a pid is (so a recycled pid is never signalled), and where the Athens binary is.
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";
import { delimiter, isAbsolute, join } from "node:path";
import { ATHENS_VERSION } from "../plan/athens";

const PROBE_TIMEOUT_MS = 2000;

interface HttpResult {
  readonly status: number;
  readonly body: string;
}

/** A system error's code (ECONNREFUSED, EPROTO, CERT_HAS_EXPIRED), else the message (Node's own ERR_ codes have better ones). */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && !code.startsWith("ERR_") ? code : (error as Error).message;
}

/**
 * GET `<base><path>` with node:http(s) (fetch would load undici: 50 ms of the provider host's CPU in a no-op); credentials in
 * the base URL become a basic-auth header; redirects are answers, not followed; the whole exchange has
 * PROBE_TIMEOUT_MS.
 */
async function probe(base: string, path: string): Promise<HttpResult> {
  const url = new URL(base);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`unknown scheme ${url.protocol}`);
  const headers: Record<string, string> = {};
  if (url.username !== "" || url.password !== "") {
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${path}`;
  const get = url.protocol === "https:" ? httpsGet : httpGet;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<HttpResult>((resolve, reject) => {
      const request = get(url, { headers, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      });
      request.on("error", reject);
      timer = setTimeout(() => {
        reject(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000}s`));
        request.destroy();
      }, PROBE_TIMEOUT_MS);
    });
  } finally {
    clearTimeout(timer);
  }
}

/** `undefined` when Athens answers /healthz with 200, else why not (one line, no credentials). */
export async function unhealthyReason(url: string): Promise<string | undefined> {
  try {
    const { status } = await probe(url, "/healthz");
    return status === 200 ? undefined : `GET /healthz answered ${status}`;
  } catch (error) {
    return reasonOf(error);
  }
}

/** Athens answers /version with its build details as JSON: `{"version":"v0.18.0"}` (older releases: `{"Version":…,"Date":…}`). */
export async function isAthens(url: string): Promise<boolean> {
  try {
    const { status, body } = await probe(url, "/version");
    if (status !== 200) return false;
    const details = JSON.parse(body) as unknown;
    if (details === null || typeof details !== "object") return false;
    const record = details as Record<string, unknown>;
    return typeof (record.version ?? record.Version) === "string";
  } catch {
    return false;
  }
}

/** A path to an executable file: `binary` itself when it names a path, else the first match on PATH. */
export function resolveBinary(binary: string, path: string | undefined): string {
  const executable = (candidate: string) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (binary.includes("/")) {
    if (!isAbsolute(binary) || !executable(binary)) {
      throw new Error(`Athens binary ${binary} is not an executable file given by absolute path; set athens.local.binary`);
    }
    return binary;
  }
  const found = (path ?? "")
    .split(delimiter)
    .filter((dir) => dir !== "")
    .map((dir) => join(dir, binary))
    .find(executable);
  if (found === undefined) {
    throw new Error(
      `Athens binary ${binary} is not on PATH; install it (go install github.com/gomods/athens/cmd/proxy@${ATHENS_VERSION}) or set athens.local.binary`,
    );
  }
  return found;
}

/**
 * Who `pid` is: its start time, so a pid the OS recycled for another program is never mistaken for
 * Athens. `undefined` when no such live process exists (zombies count as gone).
 */
export function processIdentity(pid: number): string | undefined {
  const procStat = `/proc/${pid}/stat`;
  if (existsSync("/proc/self/stat")) {
    let stat: string;
    try {
      stat = readFileSync(procStat, "utf8");
    } catch {
      return undefined;
    }
    // Fields after the parenthesised command: state is the first, starttime the 20th (field 22 of proc(5)).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X") return undefined;
    return fields[19];
  }
  try {
    const out = execFileSync("ps", ["-o", "stat=,lstart=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return out === "" || out.startsWith("Z") ? undefined : out.replace(/^\S+\s+/, "");
  } catch {
    return undefined;
  }
}
