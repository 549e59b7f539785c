// The few GitHub REST calls a release needs (get release, list/upload/delete assets, publish), as plain
// functions with bounded retries. The dynamic providers in githubReleaseAssets.ts are serialised into the
// stack's state with these functions, so nothing here holds a client, a secret or a module at load time:
// Node modules are required where they are used, and the token only ever travels in a request header.
import { Clock, DEFAULT_RETRY_POLICY, RetryPolicy, decideRetry } from "./githubRetry";
import { ProviderError, describeFetchError } from "./toolkit";

export type { Clock, RetryPolicy } from "./githubRetry";

/** What every call needs: where GitHub is, which repository, and the token (never logged, never in an error). */
export interface GithubTarget {
  /** REST API root without a trailing slash, e.g. `https://api.github.com` or `https://ghe.example/api/v3`. */
  readonly apiUrl: string;
  /** Upload root without a trailing slash, e.g. `https://uploads.github.com` or `https://ghe.example/api/uploads`. */
  readonly uploadUrl: string;
  readonly owner: string;
  readonly repo: string;
  readonly token: string;
}

export interface GithubClient extends GithubTarget {
  readonly retry?: Partial<RetryPolicy> | undefined;
  readonly clock?: Clock | undefined;
}

/** A failed GitHub call: one line naming the call, the HTTP status and GitHub's own message. */
export class GithubApiError extends ProviderError {
  constructor(message: string, status: number | undefined) {
    super("GithubApiError", message, status);
  }

  override get service(): string {
    return "GitHub";
  }
}

export interface ReleaseInfo {
  readonly id: number;
  readonly tagName: string;
  readonly draft: boolean;
  readonly prerelease: boolean;
  readonly htmlUrl: string;
  readonly publishedAt: string | null;
}

export interface AssetInfo {
  readonly id: number;
  readonly name: string;
  /** `uploaded` once complete; anything else is a partial upload (GitHub may leave one after a 502). */
  readonly state: string;
  readonly contentType: string;
  readonly size: number;
  /** `sha256:<hex>` as GitHub computed it; null for assets uploaded before GitHub recorded digests. */
  readonly digest: string | null;
  readonly downloadUrl: string;
}

function policyOf(client: GithubClient): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, ...(client.retry ?? {}) };
}

function clockOf(client: GithubClient): Clock {
  return (
    client.clock ?? {
      now: () => Date.now(),
      sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    }
  );
}

interface RequestSpec {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Absolute URL. */
  readonly url: string;
  /** For messages: the URL's path and query, never the host's credentials or the token. */
  readonly label: string;
  readonly json?: unknown;
  readonly bytes?: { readonly data: Buffer; readonly contentType: string } | undefined;
  /** Defaults to GitHub's JSON media type. */
  readonly accept?: string;
  readonly timeoutMs: number;
}

interface Received {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
  readonly body: Buffer;
}

async function sendOnce(client: GithubClient, spec: RequestSpec): Promise<Received> {
  const headers: Record<string, string> = {
    accept: spec.accept ?? "application/vnd.github+json",
    authorization: `Bearer ${client.token}`,
    "user-agent": "slipway",
    "x-github-api-version": "2022-11-28",
  };
  let body: string | Buffer | undefined;
  if (spec.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(spec.json);
  } else if (spec.bytes !== undefined) {
    headers["content-type"] = spec.bytes.contentType;
    body = spec.bytes.data;
  }
  const response = await fetch(spec.url, { method: spec.method, headers, body, signal: AbortSignal.timeout(spec.timeoutMs) });
  const received: Record<string, string> = {};
  response.headers.forEach((value, key) => (received[key.toLowerCase()] = value));
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: received, text: bytes.toString("utf8"), body: bytes };
}

function githubMessage(text: string): string | undefined {
  try {
    // GitHub's validation errors list objects (`validation-error`) or plain strings (`validation-error-simple`).
    const parsed = JSON.parse(text) as { message?: unknown; errors?: (string | { code?: unknown; message?: unknown })[] };
    if (typeof parsed.message !== "string") return undefined;
    const details = (parsed.errors ?? [])
      .map((e) => (typeof e === "string" ? e : typeof e.message === "string" ? e.message : typeof e.code === "string" ? e.code : undefined))
      .filter((d): d is string => d !== undefined);
    return details.length > 0 ? `${parsed.message} (${details.join("; ")})` : parsed.message;
  } catch {
    return undefined;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/**
 * What one attempt of an operation produced. `done` ends the operation; `failed` is judged by
 * {@link decideRetry}. `beforeRetry` lets an operation look at GitHub again before repeating itself
 * (an upload that failed with 502 may have left a partial asset, or may even have completed).
 */
type Attempt<T> = { readonly done: T } | { readonly failed: Received | undefined; readonly error?: string | undefined };

/** Runs `attempt` until it is done, retrying per {@link decideRetry}; throws one line naming the call. */
async function withRetries<T>(client: GithubClient, spec: RequestSpec, attempt: (n: number) => Promise<Attempt<T>>): Promise<T> {
  const policy = policyOf(client);
  const clock = clockOf(client);
  for (let n = 1; ; n++) {
    const outcome = await attempt(n);
    if ("done" in outcome) return outcome.done;
    const received = outcome.failed;
    const message = received === undefined ? undefined : githubMessage(received.text);
    const decision = decideRetry(
      received === undefined ? undefined : { status: received.status, headers: received.headers, message },
      n,
      clock.now(),
      policy,
    );
    if (decision.retry) {
      await clock.sleep(decision.delayMs);
      continue;
    }
    const what =
      received === undefined
        ? `network error: ${outcome.error ?? "unknown"}`
        : `HTTP ${received.status}${message === undefined ? "" : `: ${message}`}`;
    const suffix = decision.reason === "not retryable" ? "" : ` (${decision.reason})`;
    throw new GithubApiError(oneLine(`GitHub ${spec.method} ${spec.label} failed: ${what}${suffix}`), received?.status);
  }
}

async function attemptRequest(client: GithubClient, spec: RequestSpec, ok: readonly number[]): Promise<Attempt<Received>> {
  try {
    const received = await sendOnce(client, spec);
    return ok.includes(received.status) ? { done: received } : { failed: received };
  } catch (error) {
    return { failed: undefined, error: describeFetchError(error) };
  }
}

async function request(client: GithubClient, spec: RequestSpec, ok: readonly number[]): Promise<Received> {
  return withRetries(client, spec, () => attemptRequest(client, spec, ok));
}

function repoPath(target: GithubTarget): string {
  return `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}`;
}

function apiSpec(client: GithubClient, method: RequestSpec["method"], path: string, json?: unknown): RequestSpec {
  return { method, url: `${client.apiUrl}${path}`, label: path, json, timeoutMs: 30_000 };
}

interface RawRelease {
  id: number;
  tag_name: string;
  draft: boolean;
  prerelease: boolean;
  html_url: string;
  published_at: string | null;
}

interface RawAsset {
  id: number;
  name: string;
  state: string;
  content_type: string;
  size: number;
  digest?: string | null;
  browser_download_url: string;
}

function toRelease(raw: RawRelease): ReleaseInfo {
  return {
    id: raw.id,
    tagName: raw.tag_name,
    draft: raw.draft,
    prerelease: raw.prerelease,
    htmlUrl: raw.html_url,
    publishedAt: raw.published_at,
  };
}

function toAsset(raw: RawAsset): AssetInfo {
  return {
    id: raw.id,
    name: raw.name,
    state: raw.state,
    contentType: raw.content_type,
    size: raw.size,
    digest: raw.digest ?? null,
    downloadUrl: raw.browser_download_url,
  };
}

/** `GET /repos/{owner}/{repo}/releases/{release_id}`. */
export async function getRelease(client: GithubClient, releaseId: number): Promise<ReleaseInfo> {
  const received = await request(client, apiSpec(client, "GET", `${repoPath(client)}/releases/${releaseId}`), [200]);
  return toRelease(JSON.parse(received.text) as RawRelease);
}

const PAGE_SIZE = 100;

/** Every page of a list endpoint (`path` without the paging query). */
async function allPages<R, T>(client: GithubClient, path: string, convert: (raw: R) => T): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const received = await request(client, apiSpec(client, "GET", `${path}?per_page=${PAGE_SIZE}&page=${page}`), [200]);
    const batch = JSON.parse(received.text) as R[];
    items.push(...batch.map(convert));
    if (batch.length < PAGE_SIZE) return items;
  }
}

/** `GET /repos/{owner}/{repo}/releases/{release_id}/assets`, every page. */
export async function listAssets(client: GithubClient, releaseId: number): Promise<AssetInfo[]> {
  return allPages(client, `${repoPath(client)}/releases/${releaseId}/assets`, toAsset);
}

/**
 * `GET /repos/{owner}/{repo}/releases/assets/{asset_id}` as `application/octet-stream`: the asset's bytes.
 * GitHub answers 200 or a 302 to its storage, which fetch follows without the token (another origin).
 */
export async function downloadAsset(client: GithubClient, assetId: number): Promise<Buffer> {
  const spec = {
    ...apiSpec(client, "GET", `${repoPath(client)}/releases/assets/${assetId}`),
    accept: "application/octet-stream",
    timeoutMs: 300_000,
  };
  return (await request(client, spec, [200])).body;
}

/** `GET /repos/{owner}/{repo}/releases`, every page; drafts are listed for a token that can push. */
export async function listReleases(client: GithubClient): Promise<ReleaseInfo[]> {
  return allPages(client, `${repoPath(client)}/releases`, toRelease);
}

/** `DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}`; an asset that is already gone counts as deleted. */
export async function deleteAsset(client: GithubClient, assetId: number): Promise<void> {
  await request(client, apiSpec(client, "DELETE", `${repoPath(client)}/releases/assets/${assetId}`), [204, 404]);
}

/**
 * `PATCH /repos/{owner}/{repo}/releases/{release_id}` with `draft: false`: publishes a draft. Nothing
 * else about the release is sent, so its name, notes and tag stay as the release resource set them.
 */
export async function publishRelease(client: GithubClient, releaseId: number, makeLatest: boolean): Promise<ReleaseInfo> {
  const body = { draft: false, make_latest: makeLatest ? "true" : "false" };
  const received = await request(client, apiSpec(client, "PATCH", `${repoPath(client)}/releases/${releaseId}`, body), [200]);
  const release = toRelease(JSON.parse(received.text) as RawRelease);
  if (release.draft) throw new GithubApiError(`GitHub kept release ${releaseId} a draft after it was published`, 200);
  return release;
}

/** One file to attach to a release. */
export interface AssetFile {
  readonly name: string;
  /** Path of the built file on this machine. */
  readonly path: string;
  /** Lower-case hex sha256 the build recorded; the file must still have it. */
  readonly sha256: string;
  readonly contentType: string;
}

/** What is known from an earlier run: the asset GitHub gave us and the sha256 we uploaded as it. */
export interface RecordedAsset {
  readonly assetId: number;
  readonly sha256: string;
}

export interface EnsuredAsset {
  readonly asset: AssetInfo;
  /** The sha256 of what GitHub holds under the name, as verified. */
  readonly sha256: string;
  /** `kept`: an identical asset was there; `uploaded`: there was none; `replaced`: a different one was deleted first. */
  readonly action: "kept" | "uploaded" | "replaced";
}

/** The one-line refusal for any change to a published release. */
export function publishedRefusal(target: GithubTarget, release: ReleaseInfo, what: string): string {
  return `${target.owner}/${target.repo} release ${release.tagName} is published, so ${what} is refused: published releases are never modified (release a new version instead)`;
}

/**
 * Whether the asset GitHub holds is exactly `file`: GitHub's digest when it has one, else the sha256 this
 * stack recorded when it uploaded that very asset (same id). A partial upload is never identical.
 */
export function isSameAsset(existing: AssetInfo, file: AssetFile, size: number, recorded: RecordedAsset | undefined): boolean {
  if (existing.state !== "uploaded" || existing.size !== size || existing.contentType !== file.contentType) return false;
  if (existing.digest !== null) return existing.digest === `sha256:${file.sha256}`;
  return recorded !== undefined && recorded.assetId === existing.id && recorded.sha256 === file.sha256;
}

function readVerified(file: AssetFile): Buffer {
  // Required here, not imported: this function is serialised with the providers (see the file header).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readFileSync } = require("node:fs") as typeof import("node:fs");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  const data = readFileSync(file.path);
  const actual = createHash("sha256").update(data).digest("hex");
  if (actual !== file.sha256) {
    throw new Error(`${file.name}: ${file.path} has sha256 ${actual}, not the ${file.sha256} the build recorded; rebuild before releasing`);
  }
  return data;
}

/**
 * Makes `file` an asset of draft release `releaseId`, idempotently: an identical asset is left alone; a
 * different one (or a partial upload) is deleted and uploaded again, but only while the release is a
 * draft. On a published release anything but "identical" is refused with {@link publishedRefusal}.
 */
export async function ensureAsset(
  client: GithubClient,
  releaseId: number,
  file: AssetFile,
  recorded?: RecordedAsset,
): Promise<EnsuredAsset> {
  const data = readVerified(file);
  const release = await getRelease(client, releaseId);
  const existing = (await listAssets(client, releaseId)).find((a) => a.name === file.name);
  if (existing !== undefined && isSameAsset(existing, file, data.length, recorded)) {
    return { asset: existing, sha256: file.sha256, action: "kept" };
  }
  if (!release.draft) {
    throw new Error(
      publishedRefusal(client, release, existing === undefined ? `adding asset ${file.name}` : `replacing asset ${file.name}`),
    );
  }
  if (existing !== undefined) await deleteAsset(client, existing.id);
  const asset = await uploadAsset(client, releaseId, file, data);
  return { asset, sha256: file.sha256, action: existing === undefined ? "uploaded" : "replaced" };
}

/**
 * `POST {uploadUrl}/repos/{owner}/{repo}/releases/{release_id}/assets?name=…`. Before a retry it lists
 * the assets again, because a failed upload can leave a partial asset (deleted) or may in fact have
 * completed (adopted when its digest matches), and GitHub refuses a second asset of the same name.
 */
export async function uploadAsset(client: GithubClient, releaseId: number, file: AssetFile, data: Buffer): Promise<AssetInfo> {
  const path = `${repoPath(client)}/releases/${releaseId}/assets?name=${encodeURIComponent(file.name)}`;
  const spec: RequestSpec = {
    method: "POST",
    url: `${client.uploadUrl}${path}`,
    label: path,
    bytes: { data, contentType: file.contentType },
    timeoutMs: 15 * 60_000,
  };
  return withRetries(client, spec, async (n): Promise<Attempt<AssetInfo>> => {
    if (n > 1) {
      const leftover = (await listAssets(client, releaseId)).find((a) => a.name === file.name);
      if (leftover !== undefined && leftover.digest === `sha256:${file.sha256}` && leftover.state === "uploaded") {
        return { done: leftover };
      }
      if (leftover !== undefined) await deleteAsset(client, leftover.id);
    }
    const outcome = await attemptRequest(client, spec, [201]);
    if (!("done" in outcome)) return outcome;
    const asset = toAsset(JSON.parse(outcome.done.text) as RawAsset);
    if (asset.digest !== null && asset.digest !== `sha256:${file.sha256}`) {
      throw new GithubApiError(`GitHub stored ${file.name} as ${asset.digest}, but sha256:${file.sha256} was sent`, 201);
    }
    return { done: asset };
  });
}
