// A minimal OCI distribution client: enough to read a manifest by digest or tag and to put the same
// bytes under another tag, so a tag moves to an existing digest without re-pushing anything.
import { createHash } from "node:crypto";
import { ProviderError, describeFetchError } from "./toolkit";

export const MANIFEST_MEDIA_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
] as const;

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

export interface RepositoryRef {
  /** `host[:port]`, e.g. `127.0.0.1:5000` or `ghcr.io`. */
  readonly registry: string;
  /** Path inside the registry, e.g. `acme/hello`. */
  readonly repository: string;
  readonly credentials?: RegistryCredentials | undefined;
}

export interface Manifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
}

/** A failed registry call: one line naming the registry and what was asked, with the HTTP status. */
export class RegistryError extends ProviderError {
  constructor(message: string, status: number | undefined) {
    super("RegistryError", message, status);
  }

  override get service(): string {
    return "registry";
  }
}

/** Loopback registries speak plain HTTP (as docker and BuildKit assume for 127.0.0.0/8); all others HTTPS. */
export function registryBaseUrl(registry: string): string {
  const host = registry.replace(/:\d+$/, "");
  const loopback = host === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(host) || host === "[::1]";
  return `${loopback ? "http" : "https"}://${registry}`;
}

/** Splits `registry/path/name` (as in a tag like `127.0.0.1:5000/hello`) into registry and repository. */
export function splitRepositoryUrl(url: string): { registry: string; repository: string } {
  const slash = url.indexOf("/");
  if (slash < 0) throw new RegistryError(`${url} names no repository`, undefined);
  if (slash === 0) throw new RegistryError(`${url} names no registry`, undefined);
  return { registry: url.slice(0, slash), repository: url.slice(slash + 1) };
}

export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

interface BearerChallenge {
  readonly realm: string;
  readonly service?: string;
  readonly scope?: string;
}

function parseBearerChallenge(header: string | null): BearerChallenge | undefined {
  if (header === null || !/^Bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const match of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) {
    if (match[1] !== undefined && match[2] !== undefined) params[match[1]] = match[2];
  }
  if (params.realm === undefined) return undefined;
  return { realm: params.realm, service: params.service, scope: params.scope };
}

function basicAuth(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
}

/** Sends a registry request, answering one Basic or Bearer challenge (token endpoint flow) if asked. */
async function registryFetch(
  ref: RepositoryRef,
  path: string,
  init: { method: string; headers?: Record<string, string>; body?: Buffer },
  timeoutMs = 30_000,
): Promise<Response> {
  const url = `${registryBaseUrl(ref.registry)}/v2/${ref.repository}/${path}`;
  const send = (authorization?: string) =>
    fetch(url, {
      method: init.method,
      headers: { ...(init.headers ?? {}), ...(authorization === undefined ? {} : { authorization }) },
      body: init.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  let response: Response;
  try {
    response = await send(ref.credentials === undefined ? undefined : basicAuth(ref.credentials));
  } catch (error) {
    throw new RegistryError(`registry ${ref.registry} is unreachable (${describeFetchError(error)})`, undefined);
  }
  if (response.status !== 401) return response;
  const challenge = parseBearerChallenge(response.headers.get("www-authenticate"));
  if (challenge === undefined) return response;
  const tokenUrl = new URL(challenge.realm);
  if (challenge.service !== undefined) tokenUrl.searchParams.set("service", challenge.service);
  tokenUrl.searchParams.set("scope", challenge.scope ?? `repository:${ref.repository}:pull,push`);
  const tokenResponse = await fetch(tokenUrl, {
    headers: ref.credentials === undefined ? {} : { authorization: basicAuth(ref.credentials) },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!tokenResponse.ok) {
    throw new RegistryError(`registry ${ref.registry} refused a token (HTTP ${tokenResponse.status})`, tokenResponse.status);
  }
  const body = (await tokenResponse.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (token === undefined) throw new RegistryError(`registry ${ref.registry} returned no token`, undefined);
  return send(`Bearer ${token}`);
}

/** Reads a manifest (image or index) by tag or digest; undefined when the registry does not have it. */
export async function getManifest(ref: RepositoryRef, reference: string): Promise<Manifest | undefined> {
  const response = await registryFetch(ref, `manifests/${reference}`, {
    method: "GET",
    headers: { accept: MANIFEST_MEDIA_TYPES.join(", ") },
  });
  if (response.status === 404) return undefined;
  if (!response.ok) {
    throw new RegistryError(
      `reading ${ref.registry}/${ref.repository}:${reference} failed: HTTP ${response.status} ${await response.text()}`.trim(),
      response.status,
    );
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  const mediaType = response.headers.get("content-type") ?? "";
  return { digest: sha256Digest(bytes), mediaType, bytes };
}

/** Stores manifest bytes under a tag; the registry answers with the digest, which must be the bytes' own. */
export async function putManifest(ref: RepositoryRef, tag: string, manifest: Manifest): Promise<string> {
  const response = await registryFetch(ref, `manifests/${tag}`, {
    method: "PUT",
    headers: { "content-type": manifest.mediaType },
    body: manifest.bytes,
  });
  if (!response.ok) {
    throw new RegistryError(
      `tagging ${ref.registry}/${ref.repository}:${tag} failed: HTTP ${response.status} ${await response.text()}`.trim(),
      response.status,
    );
  }
  const digest = response.headers.get("docker-content-digest") ?? manifest.digest;
  if (digest !== manifest.digest) {
    throw new RegistryError(`registry stored ${tag} as ${digest}, expected ${manifest.digest}`, response.status);
  }
  return digest;
}

/** `linux/amd64` → manifest digest, for an index; empty for a single-platform manifest. */
export function platformDigests(manifest: Manifest): Record<string, string> {
  const parsed = JSON.parse(manifest.bytes.toString("utf8")) as {
    manifests?: { digest: string; platform?: { os?: string; architecture?: string; variant?: string } }[];
  };
  const result: Record<string, string> = {};
  for (const entry of parsed.manifests ?? []) {
    const p = entry.platform;
    if (p?.os === undefined || p.architecture === undefined || p.os === "unknown") continue;
    result[[p.os, p.architecture, p.variant].filter((x) => x !== undefined && x !== "").join("/")] = entry.digest;
  }
  return result;
}

/**
 * Platform → manifest digest of what a tag names: the entries of an index, or, for a single-platform image
 * (BuildKit pushes a plain manifest when one platform is built), that manifest under the platform its
 * config records.
 */
export async function imagePlatforms(ref: RepositoryRef, manifest: Manifest): Promise<Record<string, string>> {
  const parsed = JSON.parse(manifest.bytes.toString("utf8")) as { manifests?: unknown; config?: { digest?: string } };
  if (parsed.manifests !== undefined || parsed.config?.digest === undefined) return platformDigests(manifest);
  const config = JSON.parse((await getBlob(ref, parsed.config.digest)).toString("utf8")) as {
    os?: string;
    architecture?: string;
    variant?: string;
  };
  if (config.os === undefined || config.architecture === undefined) return {};
  return { [[config.os, config.architecture, config.variant].filter((x) => x !== undefined && x !== "").join("/")]: manifest.digest };
}

/** Whether the registry already has a blob. */
export async function hasBlob(ref: RepositoryRef, digest: string): Promise<boolean> {
  const response = await registryFetch(ref, `blobs/${digest}`, { method: "HEAD" });
  return response.ok;
}

export async function getBlob(ref: RepositoryRef, digest: string): Promise<Buffer> {
  const response = await registryFetch(ref, `blobs/${digest}`, { method: "GET" }, 10 * 60 * 1000);
  if (!response.ok)
    throw new RegistryError(`reading blob ${digest} from ${ref.registry}/${ref.repository}: HTTP ${response.status}`, response.status);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (sha256Digest(bytes) !== digest) throw new RegistryError(`blob ${digest} from ${ref.registry} has another digest`, undefined);
  return bytes;
}

/** Uploads a blob in one request (POST to open the upload, PUT with the digest to finish it). */
export async function putBlob(ref: RepositoryRef, digest: string, bytes: Buffer): Promise<void> {
  const start = await registryFetch(ref, "blobs/uploads/", { method: "POST" });
  const location = start.headers.get("location");
  if (start.status !== 202 || location === null) {
    throw new RegistryError(`starting an upload to ${ref.registry}/${ref.repository}: HTTP ${start.status}`, start.status);
  }
  const url = new URL(location, registryBaseUrl(ref.registry));
  url.searchParams.set("digest", digest);
  const path = `${url.pathname.replace(`/v2/${ref.repository}/`, "")}${url.search}`;
  const put = await registryFetch(
    ref,
    path,
    { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: bytes },
    10 * 60 * 1000,
  );
  if (put.status !== 201)
    throw new RegistryError(`uploading ${digest} to ${ref.registry}/${ref.repository}: HTTP ${put.status}`, put.status);
}

interface ManifestJson {
  readonly manifests?: readonly { readonly digest: string }[];
  readonly config?: { readonly digest: string };
  readonly layers?: readonly { readonly digest: string }[];
}

/**
 * Copies an image (an index with every platform, or one manifest) by digest, blobs first and manifests
 * after their contents, so the target never holds a manifest whose blobs are missing. What the target
 * already has is skipped. The digest is unchanged: the copy is byte for byte.
 */
export async function copyImage(source: RepositoryRef, target: RepositoryRef, digest: string): Promise<{ copiedBlobs: number }> {
  let copiedBlobs = 0;
  const copy = async (manifestDigest: string): Promise<void> => {
    const manifest = await getManifest(source, manifestDigest);
    if (manifest === undefined) throw new RegistryError(`${source.registry}/${source.repository}@${manifestDigest} does not exist`, 404);
    if (manifest.digest !== manifestDigest)
      throw new RegistryError(`${source.registry} served other bytes for ${manifestDigest}`, undefined);
    const parsed = JSON.parse(manifest.bytes.toString("utf8")) as ManifestJson;
    for (const child of parsed.manifests ?? []) await copy(child.digest);
    for (const blob of [...(parsed.config === undefined ? [] : [parsed.config]), ...(parsed.layers ?? [])]) {
      if (await hasBlob(target, blob.digest)) continue;
      await putBlob(target, blob.digest, await getBlob(source, blob.digest));
      copiedBlobs++;
    }
    if ((await getManifest(target, manifestDigest)) === undefined) await putManifest(target, manifestDigest, manifest);
  };
  await copy(digest);
  return { copiedBlobs };
}
