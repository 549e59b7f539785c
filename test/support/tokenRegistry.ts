// An OCI registry on 127.0.0.1 that serves images from memory and demands credentials the way public
// registries do: `bearer` answers 401 with `WWW-Authenticate: Bearer realm=…,service=…,scope=…` and hands
// out tokens from its own token endpoint (GHCR, Docker Hub); `basic` wants `Authorization: Basic` with a
// fixed user and password (ECR's `AWS:<authorization token>`). Every request is logged for assertions.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { IncomingMessage, Server, ServerResponse, createServer } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type TokenRegistryAuth =
  | { readonly kind: "bearer"; readonly username?: string; readonly password?: string }
  | { readonly kind: "basic"; readonly username: string; readonly password: string };

interface StoredManifest {
  readonly mediaType: string;
  readonly bytes: Buffer;
}

const INDEX = "application/vnd.oci.image.index.v1+json";
const MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const SERVICE = "stand-in-registry";

const digestOf = (bytes: Buffer) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

export class TokenRegistry {
  /** `METHOD path -> status [auth scheme]`, in order. */
  readonly log: string[] = [];
  private readonly blobs = new Map<string, Buffer>();
  private readonly manifests = new Map<string, StoredManifest>();
  /** `repository:tag` → digest. */
  private readonly tags = new Map<string, string>();
  private readonly tokens = new Set<string>();
  private server: Server | undefined;
  address = "";

  private constructor(private readonly auth: TokenRegistryAuth) {}

  static async start(auth: TokenRegistryAuth): Promise<TokenRegistry> {
    const registry = new TokenRegistry(auth);
    const server = createServer((req, res) => registry.handle(req, res));
    registry.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    registry.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    return registry;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Stores an index with one image per platform, each a single gzip layer holding `executable` with the
   * given content (at `usr/local/bin/<executable>`), and tags it. Returns the index digest; with `single`
   * and one platform, tags that platform's manifest itself (as BuildKit pushes a one-platform build).
   */
  pushImage(
    repository: string,
    tags: readonly string[],
    executable: string,
    binaries: Readonly<Record<string, Buffer>>,
    single = false,
  ): string {
    const entries = Object.entries(binaries).map(([platform, content]) => {
      const [os, architecture] = platform.split("/");
      const layer = this.addBlob(tarGz(executable, content));
      const config = this.addBlob(Buffer.from(JSON.stringify({ architecture, os, rootfs: { type: "layers", diff_ids: [] } })));
      const manifest = this.addManifest(MANIFEST, {
        schemaVersion: 2,
        mediaType: MANIFEST,
        config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: config.digest, size: config.size },
        layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: layer.digest, size: layer.size }],
      });
      return { mediaType: MANIFEST, digest: manifest.digest, size: manifest.size, platform: { os, architecture } };
    });
    const only = entries[0];
    const target =
      single && entries.length === 1 && only !== undefined
        ? only
        : this.addManifest(INDEX, { schemaVersion: 2, mediaType: INDEX, manifests: entries });
    for (const tag of tags) this.tag(repository, tag, target.digest);
    return target.digest;
  }

  /** Points `repository:tag` at a stored manifest. */
  tag(repository: string, tag: string, digest: string): void {
    this.tags.set(`${repository}:${tag}`, digest);
  }

  private addBlob(bytes: Buffer): { digest: string; size: number } {
    const digest = digestOf(bytes);
    this.blobs.set(digest, bytes);
    return { digest, size: bytes.length };
  }

  private addManifest(mediaType: string, json: unknown): { digest: string; size: number } {
    const bytes = Buffer.from(JSON.stringify(json));
    const digest = digestOf(bytes);
    this.manifests.set(digest, { mediaType, bytes });
    return { digest, size: bytes.length };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", `http://${this.address}`);
    const scheme = (req.headers.authorization ?? "").split(" ")[0] || "-";
    const send = (status: number, body: Buffer | string = "", headers: Record<string, string> = {}) => {
      this.log.push(`${req.method ?? "GET"} ${url.pathname} -> ${status} ${scheme}`);
      res.writeHead(status, headers).end(req.method === "HEAD" ? undefined : body);
    };
    if (url.pathname === "/token") return this.issueToken(req, url, send);
    const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!this.authorized(req, match?.[1])) {
      const challenge =
        this.auth.kind === "bearer"
          ? `Bearer realm="http://${this.address}/token",service="${SERVICE}",scope="repository:${match?.[1] ?? ""}:pull"`
          : `Basic realm="${SERVICE}"`;
      return send(401, JSON.stringify({ errors: [{ code: "UNAUTHORIZED" }] }), { "www-authenticate": challenge });
    }
    if (url.pathname === "/v2/") return send(200, "{}");
    if (match === undefined || match === null || (req.method !== "GET" && req.method !== "HEAD")) return send(404);
    const [, repository, kind, reference] = match as unknown as [string, string, string, string];
    if (kind === "blobs") {
      const blob = this.blobs.get(reference);
      return blob === undefined ? send(404) : send(200, blob, { "content-type": "application/octet-stream" });
    }
    const digest = reference.startsWith("sha256:") ? reference : this.tags.get(`${repository}:${reference}`);
    const manifest = digest === undefined ? undefined : this.manifests.get(digest);
    if (manifest === undefined || digest === undefined) return send(404, JSON.stringify({ errors: [{ code: "MANIFEST_UNKNOWN" }] }));
    return send(200, manifest.bytes, { "content-type": manifest.mediaType, "docker-content-digest": digest });
  }

  private authorized(req: IncomingMessage, repository: string | undefined): boolean {
    const header = req.headers.authorization ?? "";
    if (this.auth.kind === "basic") {
      return header === `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString("base64")}`;
    }
    const token = /^Bearer (\S+)$/.exec(header)?.[1];
    return token !== undefined && (this.tokens.has(`${token}@${repository ?? ""}`) || (repository === undefined && this.tokens.has(token)));
  }

  private issueToken(req: IncomingMessage, url: URL, send: (status: number, body?: string) => void): void {
    if (this.auth.kind !== "bearer") return send(404);
    const { username, password } = this.auth;
    const expected = username === undefined ? undefined : `Basic ${Buffer.from(`${username}:${password ?? ""}`).toString("base64")}`;
    if (expected !== undefined && req.headers.authorization !== expected) return send(401);
    const scope = /^repository:(.+):(?:pull|push|pull,push)$/.exec(url.searchParams.get("scope") ?? "");
    if (url.searchParams.get("service") !== SERVICE || scope?.[1] === undefined) return send(400);
    const token = randomBytes(12).toString("hex");
    this.tokens.add(`${token}@${scope[1]}`);
    send(200, JSON.stringify({ token }));
  }
}

/** A gzip tar with one file, `usr/local/bin/<name>`. */
function tarGz(name: string, content: Buffer): Buffer {
  const dir = mkdtempSync(join(tmpdir(), "slipway-layer-"));
  try {
    execFileSync("mkdir", ["-p", join(dir, "root", "usr", "local", "bin")]);
    writeFileSync(join(dir, "root", "usr", "local", "bin", name), content, { mode: 0o755 });
    // Byte-identical for the same content whenever it runs: the same image has the same digest in every registry.
    const fixed = ["--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "--sort=name", "-I", "gzip -n"];
    execFileSync("tar", [...fixed, "-cf", join(dir, "layer.tgz"), "-C", join(dir, "root"), "usr"]);
    return readFileSync(join(dir, "layer.tgz"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
