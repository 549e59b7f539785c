// A real OCI registry (Debian's docker-registry, installed by scripts/toolchain.sh) on a free loopback
// port, with a helper that pushes a small synthetic multi-platform image.
import { spawn, ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestContext } from "node:test";
import { hashSync } from "bcryptjs";
import type { RegistryCredentials } from "../../providers/registryClient";

export const REGISTRY_BINARY = process.env.SLIPWAY_REGISTRY_BIN ?? "/usr/bin/docker-registry";

/** Skips when a real tool is missing on a developer machine; fails in CI, where the set-up must provide it. */
export function requireTool(t: TestContext, path: string, what: string): boolean {
  if (existsSync(path)) return true;
  const message = `${what} not found at ${path}; run scripts/toolchain.sh install`;
  if (process.env.CI === "true") throw new Error(message);
  t.skip(message);
  return false;
}

/** The first port the kernel hands out for `listen(0)`; Linux's default when /proc does not say. */
function ephemeralPortsStart(): number {
  try {
    const start = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Number.isInteger(start) && start > 2048 ? start : 32768;
  } catch {
    return 32768;
  }
}

function listensOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A loopback port that is free now, chosen below the kernel's ephemeral range: a port from `listen(0)` is
 * free only until the next `listen(0)`, and the engine's plugins listen that way while the server that was
 * given the port is still starting.
 */
export async function freePort(): Promise<number> {
  const end = ephemeralPortsStart();
  const start = Math.max(1024, end - 12000);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = start + Math.floor(Math.random() * (end - start));
    if (await listensOn(port)) return port;
  }
  throw new Error(`no free loopback port between ${start} and ${end - 1}`);
}

export interface TestRegistry {
  readonly address: string;
  readonly port: number;
  /** Holds the configuration and the stored images; a restart on the same directory keeps them. */
  readonly dir: string;
  readonly process: ChildProcess;
  /** The one login the registry accepts (htpasswd); undefined for an open registry. */
  readonly login?: RegistryCredentials;
  stop(): Promise<void>;
}

/**
 * Starts a registry, open or (given `login`) accepting only that login; given a stopped one, starts it again
 * on the same port with the same storage and login.
 */
export async function startRegistry(previous?: TestRegistry, login = previous?.login): Promise<TestRegistry> {
  const port = previous?.port ?? (await freePort());
  const dir = previous?.dir ?? mkdtempSync(join(tmpdir(), "slipway-registry-"));
  const config = join(dir, "config.yml");
  const htpasswd = join(dir, "htpasswd");
  if (login !== undefined) writeFileSync(htpasswd, `${login.username}:${hashSync(login.password, 10)}\n`);
  writeFileSync(
    config,
    [
      "version: 0.1",
      "log: {level: error}",
      `storage: {filesystem: {rootdirectory: ${join(dir, "data")}}, delete: {enabled: true}}`,
      `http: {addr: "127.0.0.1:${port}"}`,
      ...(login === undefined ? [] : [`auth: {htpasswd: {realm: slipway-test, path: ${htpasswd}}}`]),
      "",
    ].join("\n"),
  );
  const child = spawn(REGISTRY_BINARY, ["serve", config], { stdio: "ignore" });
  const address = `127.0.0.1:${port}`;
  await waitUntilHealthy(`http://${address}/v2/`, child, 10_000, login);
  return { address, port, dir, process: child, login, stop: () => stopProcess(child) };
}

/** The Authorization header of a Basic login, or none. */
export function basicAuthorization(login: RegistryCredentials | undefined): Record<string, string> {
  return login === undefined ? {} : { authorization: `Basic ${Buffer.from(`${login.username}:${login.password}`).toString("base64")}` };
}

/** Polls `url` until it answers 2xx; fails when the process exits or 10 s pass. */
export async function waitUntilHealthy(url: string, child: ChildProcess, timeoutMs = 10_000, login?: RegistryCredentials): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process for ${url} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url, { headers: basicAuthorization(login) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs} ms`);
}

export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

function digestOf(bytes: Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

async function pushBlob(address: string, repository: string, bytes: Buffer, login?: RegistryCredentials): Promise<string> {
  const digest = digestOf(bytes);
  const start = await fetch(`http://${address}/v2/${repository}/blobs/uploads/`, { method: "POST", headers: basicAuthorization(login) });
  const location = start.headers.get("location");
  if (start.status !== 202 || location === null) throw new Error(`blob upload refused: ${start.status}`);
  const url = new URL(location, `http://${address}`);
  url.searchParams.set("digest", digest);
  const put = await fetch(url, {
    method: "PUT",
    body: bytes,
    headers: { "content-type": "application/octet-stream", ...basicAuthorization(login) },
  });
  if (put.status !== 201) throw new Error(`blob put refused: ${put.status}`);
  return digest;
}

async function pushManifest(
  address: string,
  repository: string,
  reference: string,
  mediaType: string,
  body: unknown,
  login?: RegistryCredentials,
): Promise<string> {
  const bytes = Buffer.from(JSON.stringify(body));
  const response = await fetch(`http://${address}/v2/${repository}/manifests/${reference}`, {
    method: "PUT",
    body: bytes,
    headers: { "content-type": mediaType, ...basicAuthorization(login) },
  });
  if (response.status !== 201) throw new Error(`manifest put refused: ${response.status} ${await response.text()}`);
  return digestOf(bytes);
}

/** Pushes an OCI index for linux/amd64 and linux/arm64 whose content depends on `seed`, with `login` when the registry needs one; returns its digest. */
export async function pushSyntheticImage(
  address: string,
  repository: string,
  seed: string,
  login?: RegistryCredentials,
): Promise<{ index: string; platforms: Record<string, string> }> {
  const platforms: Record<string, string> = {};
  const entries = [];
  for (const architecture of ["amd64", "arm64"]) {
    const layer = Buffer.from(`${seed}-${architecture}`);
    const layerDigest = await pushBlob(address, repository, layer, login);
    const config = Buffer.from(JSON.stringify({ architecture, os: "linux", rootfs: { type: "layers", diff_ids: [layerDigest] } }));
    const configDigest = await pushBlob(address, repository, config, login);
    const manifest = {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: configDigest, size: config.length },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: layerDigest, size: layer.length }],
    };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const digest = await pushManifest(address, repository, digestOf(bytes), manifest.mediaType, manifest, login);
    platforms[`linux/${architecture}`] = digest;
    entries.push({ mediaType: manifest.mediaType, digest, size: bytes.length, platform: { os: "linux", architecture } });
  }
  const index = { schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: entries };
  const indexDigest = digestOf(Buffer.from(JSON.stringify(index)));
  await pushManifest(address, repository, indexDigest, index.mediaType, index, login);
  return { index: indexDigest, platforms };
}
