// Reads images straight from a registry's HTTP API and runs them with runc: checks made without slipway.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "./scratch";

const ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly platform?: { readonly os: string; readonly architecture: string; readonly variant?: string };
}

export async function tagList(registry: string, repository: string): Promise<string[]> {
  const response = await fetch(`http://${registry}/v2/${repository}/tags/list`);
  const body = (await response.json()) as { tags?: string[] | null };
  return [...(body.tags ?? [])].sort();
}

/** cosign's tag scheme: a manifest's signature or attestations are stored under the tag `sha256-<hex>.sig|.att`. */
export const COSIGN_TAG = /^sha256-[0-9a-f]{64}\.(sig|att)$/;

/** A repository's tags other than cosign's signature and attestation tags. */
export async function releaseTagList(registry: string, repository: string): Promise<string[]> {
  return (await tagList(registry, repository)).filter((tag) => !COSIGN_TAG.test(tag));
}

/** The digest a tag resolves to, from the registry's own header. */
export async function digestOf(registry: string, repository: string, reference: string): Promise<string | undefined> {
  const response = await fetch(`http://${registry}/v2/${repository}/manifests/${reference}`, {
    method: "HEAD",
    headers: { accept: ACCEPT },
  });
  return response.ok ? (response.headers.get("docker-content-digest") ?? undefined) : undefined;
}

/** Points `tag` at what `from` (a tag or digest) resolves to, with the registry API as a person would by hand: GET the manifest, PUT it under the tag. Returns the digest. */
export async function retag(registry: string, repository: string, from: string, tag: string): Promise<string> {
  const got = await fetch(`http://${registry}/v2/${repository}/manifests/${from}`, { headers: { accept: ACCEPT } });
  if (!got.ok) throw new Error(`GET manifests/${from}: HTTP ${got.status}`);
  const put = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
    method: "PUT",
    headers: { "content-type": got.headers.get("content-type") ?? "application/vnd.oci.image.index.v1+json" },
    body: Buffer.from(await got.arrayBuffer()),
  });
  if (put.status !== 201) throw new Error(`PUT manifests/${tag}: HTTP ${put.status}`);
  return put.headers.get("docker-content-digest") ?? "";
}

async function getJson<T>(registry: string, repository: string, path: string): Promise<T> {
  const response = await fetch(`http://${registry}/v2/${repository}/${path}`, { headers: { accept: ACCEPT } });
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** Platform (`linux/amd64`, `linux/arm/v7`) → manifest digest of the index a tag points at. */
export async function indexPlatforms(registry: string, repository: string, reference: string): Promise<Record<string, string>> {
  const index = await getJson<{ manifests: Descriptor[] }>(registry, repository, `manifests/${reference}`);
  const result: Record<string, string> = {};
  for (const m of index.manifests) {
    if (m.platform === undefined || m.platform.os === "unknown") continue;
    const variant = m.platform.variant === undefined ? "" : `/${m.platform.variant}`;
    result[`${m.platform.os}/${m.platform.architecture}${variant}`] = m.digest;
  }
  return result;
}

/** Bytes a platform's image occupies in the registry, as pushed: its config and its (compressed) layers. */
export async function imageBytes(registry: string, repository: string, manifestDigest: string): Promise<number> {
  const manifest = await getJson<{ config: { size: number }; layers: { size: number }[] }>(
    registry,
    repository,
    `manifests/${manifestDigest}`,
  );
  return manifest.layers.reduce((total, layer) => total + layer.size, manifest.config.size);
}

export interface UnpackedImage {
  readonly rootfs: string;
  readonly entrypoint: string[];
  readonly user: string;
}

/** Downloads one platform's layers and unpacks them into a root file system. */
export async function unpackImage(registry: string, repository: string, manifestDigest: string): Promise<UnpackedImage> {
  const manifest = await getJson<{ config: Descriptor; layers: Descriptor[] }>(registry, repository, `manifests/${manifestDigest}`);
  const bundle = scratchDir("slipway-oci-");
  const rootfs = join(bundle, "rootfs");
  mkdirSync(rootfs);
  for (const layer of manifest.layers) {
    const bytes = Buffer.from(await (await fetch(`http://${registry}/v2/${repository}/blobs/${layer.digest}`)).arrayBuffer());
    const actual = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    if (actual !== layer.digest) throw new Error(`layer ${layer.digest} came back as ${actual}`);
    const file = join(bundle, "layer.tar");
    writeFileSync(file, bytes);
    execFileSync("tar", [layer.mediaType.includes("gzip") ? "-xzf" : "-xf", file, "-C", rootfs]);
  }
  const config = (await (await fetch(`http://${registry}/v2/${repository}/blobs/${manifest.config.digest}`)).json()) as {
    config?: { Entrypoint?: string[]; Cmd?: string[]; User?: string };
  };
  return { rootfs, entrypoint: [...(config.config?.Entrypoint ?? []), ...(config.config?.Cmd ?? [])], user: config.config?.User ?? "0:0" };
}

/** Runs an unpacked image with runc (as a container: own namespaces, read-only root) and returns its stdout. */
export function runImage(image: UnpackedImage, args: readonly string[] = []): string {
  const bundle = join(image.rootfs, "..");
  execFileSync("runc", ["spec"], { cwd: bundle });
  const specPath = join(bundle, "config.json");
  const spec = JSON.parse(readFileSync(specPath, "utf8")) as {
    process: { args: string[]; terminal: boolean; user: { uid: number; gid: number } };
    root: { path: string; readonly: boolean };
  };
  const [uid = "0", gid = "0"] = image.user.split(":");
  spec.process.args = [...image.entrypoint, ...args];
  spec.process.terminal = false;
  spec.process.user = { uid: Number(uid), gid: Number(gid) };
  spec.root = { path: "rootfs", readonly: true };
  writeFileSync(specPath, JSON.stringify(spec));
  const id = `slipway-e2e-${process.pid}-${Date.now()}`;
  return execFileSync("runc", ["run", "--bundle", bundle, id], { encoding: "utf8", timeout: 60_000 });
}

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}
