// A local stand-in for exactly the GitHub endpoints slipway calls (get and list releases, list/upload/delete
// assets, update release), on two loopback listeners like api.github.com and uploads.github.com. Every request it
// receives and every response it sends is checked against GitHub's own OpenAPI description
// (@octokit/openapi, api.github.com.deref.json) with ajv; anything the description does not allow is
// recorded as a violation, and tests assert there are none. What it cannot prove: behaviour GitHub has but
// does not describe (it follows the description, e.g. 422 on upload has no body), and rate-limit policy.
import Ajv, { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { IncomingMessage, Server, ServerResponse, createServer } from "node:http";
import { AddressInfo } from "node:net";
import { join } from "node:path";

export type Json = null | boolean | number | string | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json };
type Schema = { [key: string]: unknown };

interface Parameter {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly required?: boolean;
  readonly schema: Schema;
}

interface MediaType {
  readonly schema?: Schema;
}

interface Operation {
  readonly operationId: string;
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly required?: boolean; readonly content: Record<string, MediaType> };
  readonly responses: Record<string, { readonly content?: Record<string, MediaType> }>;
  readonly servers?: readonly { readonly url: string }[];
}

interface OpenApi {
  readonly paths: Record<string, Record<string, Operation>>;
}

const SPEC_PATH = join(__dirname, "..", "..", "node_modules", "@octokit", "openapi", "generated", "api.github.com.deref.json");
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/** Keywords of OpenAPI 3.0 schemas that are annotations, not JSON Schema; ajv's strict mode rejects them. */
const ANNOTATIONS = new Set(["example", "examples", "externalDocs", "xml", "deprecated"]);
const UPLOADS_SERVER = "https://uploads.github.com";

/** Strips OpenAPI-only annotations, walking only schema positions (a property may be named `example`). */
function sanitize(schema: unknown, strictObjects: boolean): unknown {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith("x-")) continue;
    if (key === "properties" || key === "patternProperties") {
      out[key] = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, sanitize(v, strictObjects)]));
    } else if (key === "items" || key === "additionalProperties" || key === "not") {
      out[key] = sanitize(value, strictObjects);
    } else if (key === "allOf" || key === "anyOf" || key === "oneOf") {
      out[key] = (value as unknown[]).map((v) => sanitize(v, strictObjects));
    } else {
      out[key] = value;
    }
  }
  // A request may carry only the fields GitHub describes: a misspelt field is a bug GitHub would ignore.
  if (strictObjects && out.type === "object" && out.properties !== undefined && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

interface Route {
  readonly template: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly operation: Operation;
}

/** The parts of GitHub's description the stand-in checks against, loaded once per test process. */
class SpecChecker {
  private readonly routes: Route[];
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();
  readonly basicError: Schema;

  constructor() {
    const spec = JSON.parse(readFileSync(SPEC_PATH, "utf8")) as OpenApi;
    this.routes = [];
    for (const [template, item] of Object.entries(spec.paths)) {
      const names: string[] = [];
      const source = template
        .split("/")
        .map((segment) => {
          const param = /^\{(\w+)\}$/.exec(segment);
          if (param?.[1] === undefined) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          names.push(param[1]);
          return "([^/]+)";
        })
        .join("/");
      for (const method of METHODS) {
        const operation = item[method];
        if (operation !== undefined) {
          this.routes.push({ template, method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, operation });
        }
      }
    }
    // Literal segments win over parameters, as in any router.
    this.routes.sort((a, b) => a.names.length - b.names.length);
    const deleteAsset = spec.paths["/repos/{owner}/{repo}/releases/assets/{asset_id}"]?.delete;
    const basicError = deleteAsset?.responses["404"]?.content?.["application/json"]?.schema;
    if (basicError === undefined || basicError.title !== "Basic Error")
      throw new Error("the OpenAPI description has no Basic Error schema where expected");
    this.basicError = basicError;
    this.ajv = new Ajv({ strict: true, allErrors: true });
    addFormats(this.ajv);
  }

  route(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (match === null) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1] ?? "")));
      return { route, params };
    }
    return undefined;
  }

  validate(key: string, schema: Schema, value: unknown, strictObjects: boolean): string[] {
    let validator = this.cache.get(key);
    if (validator === undefined) {
      validator = this.ajv.compile(sanitize(schema, strictObjects) as Schema);
      this.cache.set(key, validator);
    }
    if (validator(value)) return [];
    return (validator.errors ?? []).map(
      (e) =>
        `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`,
    );
  }
}

let checker: SpecChecker | undefined;
function specChecker(): SpecChecker {
  checker ??= new SpecChecker();
  return checker;
}

/** A parameter value as its schema types it: path and query values arrive as text. */
function typed(text: string, schema: Schema): unknown {
  if ((schema.type === "integer" || schema.type === "number") && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (schema.type === "boolean" && (text === "true" || text === "false")) return text === "true";
  return text;
}

export type Host = "api" | "uploads";

export interface LoggedRequest {
  readonly host: Host;
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly operationId: string | undefined;
  readonly json: unknown;
  readonly status: number;
  /** The request's headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface ScriptedResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** GitHub's error message; sent as a Basic Error body. */
  readonly message?: string;
  /** The body as sent, instead of a Basic Error built from `message` (still checked against the description). */
  readonly body?: Json;
  /** For an upload answered 5xx: GitHub may leave a partial asset behind (its state is `open`). */
  readonly leavePartialAsset?: boolean;
}

interface StoredAsset {
  id: number;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  state: "uploaded" | "open";
  label: string | null;
  data: Buffer;
}

interface StoredRelease {
  id: number;
  owner: string;
  repo: string;
  tagName: string;
  targetCommitish: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  makeLatest: string | undefined;
  publishedAt: string | null;
  assets: StoredAsset[];
}

export interface StandInOptions {
  /** The token the client must send as `Authorization: Bearer …`. */
  readonly token: string;
  /** Whether assets carry GitHub's `digest` (older assets have none). Defaults to true. */
  readonly digests?: boolean;
}

const CREATED_AT = "2026-11-20T10:00:00Z";
/** Where a download is redirected to (like objects.githubusercontent.com), outside GitHub's description. */
const STORAGE_PATH = "/_storage/";
const PUBLISHED_AT = "2026-11-20T10:05:00Z";

/** The stand-in: state, fault injection, a log of every request and every spec violation. */
export class GithubStandIn {
  readonly requests: LoggedRequest[] = [];
  readonly violations: string[] = [];
  private readonly releases = new Map<number, StoredRelease>();
  private readonly scripts: { operationId: string; responses: ScriptedResponse[] }[] = [];
  private nextId = 1000;
  private digests: boolean;
  private servers: { api: Server; uploads: Server } | undefined;
  apiUrl = "";
  uploadUrl = "";

  private constructor(private readonly options: StandInOptions) {
    this.digests = options.digests ?? true;
  }

  static async start(options: StandInOptions): Promise<GithubStandIn> {
    const standIn = new GithubStandIn(options);
    specChecker();
    const api = createServer((req, res) => standIn.handle("api", req, res));
    const uploads = createServer((req, res) => standIn.handle("uploads", req, res));
    standIn.servers = { api, uploads };
    standIn.apiUrl = `http://127.0.0.1:${await listen(api)}`;
    standIn.uploadUrl = `http://127.0.0.1:${await listen(uploads)}`;
    return standIn;
  }

  async stop(): Promise<void> {
    const servers = this.servers;
    if (servers === undefined) return;
    await Promise.all([close(servers.api), close(servers.uploads)]);
  }

  /** Adds a draft release, as github.Release would have created it. */
  addRelease(owner: string, repo: string, tagName: string, options: { draft?: boolean; prerelease?: boolean } = {}): number {
    const id = this.nextId++;
    const draft = options.draft ?? true;
    this.releases.set(id, {
      id,
      owner,
      repo,
      tagName,
      targetCommitish: "5a8b7c3d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b",
      name: tagName,
      body: "",
      draft,
      prerelease: options.prerelease ?? false,
      makeLatest: undefined,
      publishedAt: draft ? null : PUBLISHED_AT,
      assets: [],
    });
    return id;
  }

  /** Puts an asset on a release directly (as an earlier run or a person would have). */
  addAsset(
    releaseId: number,
    name: string,
    bytes: Buffer,
    contentType = "application/octet-stream",
    state: "uploaded" | "open" = "uploaded",
  ): number {
    const release = this.release(releaseId);
    const id = this.nextId++;
    release.assets.push({ id, name, contentType, size: bytes.length, sha256: sha256(bytes), state, label: null, data: bytes });
    return id;
  }

  setDigests(enabled: boolean): void {
    this.digests = enabled;
  }

  release(id: number): StoredRelease {
    const release = this.releases.get(id);
    if (release === undefined) throw new Error(`no release ${id}`);
    return release;
  }

  /** The release as GitHub answers for it now, e.g. to script a variant of that answer. */
  releaseBody(id: number): JsonObject {
    return this.releaseJson(this.release(id));
  }

  /** The asset as GitHub lists it now, e.g. to script a variant of that answer. */
  assetBody(assetId: number): JsonObject {
    const found = this.findAsset(assetId);
    if (found === undefined) throw new Error(`no asset ${assetId}`);
    return this.assetJson(found.release, found.asset);
  }

  /** Answers the next calls of `operationId` with these responses, in order, before behaving normally again. */
  script(operationId: string, ...responses: ScriptedResponse[]): void {
    this.scripts.push({ operationId, responses: [...responses] });
  }

  /** The log as `host METHOD url -> status` lines, for golden files and order assertions. */
  transcript(): string {
    return (
      this.requests
        .map((r) => `${r.host} ${r.method} ${r.url} -> ${r.status}${r.json === undefined ? "" : ` ${JSON.stringify(r.json)}`}`)
        .join("\n") + "\n"
    );
  }

  private handle(host: Host, req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        this.respond(host, req, Buffer.concat(chunks), res);
      } catch (error) {
        this.violations.push(`stand-in failed: ${error instanceof Error ? error.message : String(error)}`);
        res.writeHead(500).end();
      }
    });
  }

  private respond(host: Host, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (url.pathname.startsWith(STORAGE_PATH)) {
      this.serveStorage(host, req, url, res);
      return;
    }
    const found = specChecker().route(method, url.pathname);
    const where = `${method} ${url.pathname}${url.search}`;
    const log = (status: number, json: unknown) =>
      this.requests.push({
        host,
        method,
        url: `${url.pathname}${url.search}`,
        operationId: found?.route.operation.operationId,
        json,
        status,
        headers: headersOf(req),
      });
    if (found === undefined) {
      this.violations.push(`${where}: no such operation in GitHub's description`);
      log(404, undefined);
      this.send(res, undefined, 404, { message: "Not Found" });
      return;
    }
    const { route, params } = found;
    const operation = route.operation;
    const json = this.checkRequest(host, req, url, body, route, params);
    const send = (status: number, payload: Json | undefined, headers: Record<string, string> = {}) => {
      log(status, json);
      this.send(res, operation, status, payload, headers);
    };

    const scripted = this.nextScripted(operation.operationId);
    if (scripted !== undefined) {
      if (scripted.leavePartialAsset === true && operation.operationId === "repos/upload-release-asset") {
        const release = this.releases.get(Number(params.release_id));
        const name = url.searchParams.get("name");
        if (release !== undefined && name !== null) {
          release.assets.push({
            id: this.nextId++,
            name,
            contentType: req.headers["content-type"] ?? "",
            size: 0,
            sha256: sha256(Buffer.alloc(0)),
            state: "open",
            label: null,
            data: Buffer.alloc(0),
          });
        }
      }
      send(
        scripted.status,
        scripted.body !== undefined
          ? scripted.body
          : scripted.message === undefined
            ? undefined
            : { message: scripted.message, documentation_url: "https://docs.github.com/rest" },
        { ...(scripted.headers ?? {}) },
      );
      return;
    }

    if (req.headers.authorization !== `Bearer ${this.options.token}`) {
      send(401, undefined);
      return;
    }
    const release = this.releases.get(Number(params.release_id));
    switch (operation.operationId) {
      case "repos/get-release":
        if (release === undefined) return send(404, notFound());
        return send(200, this.releaseJson(release));
      case "repos/list-releases": {
        const listed = [...this.releases.values()].filter((r) => r.owner === params.owner && r.repo === params.repo);
        return send(
          200,
          this.page(url, listed).map((r) => this.releaseJson(r)),
        );
      }
      case "repos/list-release-assets": {
        if (release === undefined) return send(404, notFound());
        return send(
          200,
          this.page(url, release.assets).map((a) => this.assetJson(release, a)),
        );
      }
      case "repos/upload-release-asset": {
        if (release === undefined) return send(404, notFound());
        const name = url.searchParams.get("name") ?? "";
        if (release.assets.some((a) => a.name === name)) return send(422, undefined);
        const asset: StoredAsset = {
          id: this.nextId++,
          name,
          contentType: req.headers["content-type"] ?? "",
          size: body.length,
          sha256: sha256(body),
          state: "uploaded",
          label: null,
          data: body,
        };
        release.assets.push(asset);
        return send(201, this.assetJson(release, asset));
      }
      case "repos/get-release-asset": {
        const asset = this.findAsset(Number(params.asset_id));
        if (asset === undefined) return send(404, notFound());
        if ((req.headers.accept ?? "") !== "application/octet-stream") return send(200, this.assetJson(asset.release, asset.asset));
        // GitHub redirects a download to its storage, on another origin: the stand-in's upload listener.
        return send(302, undefined, { location: `${this.uploadUrl}${STORAGE_PATH}${asset.asset.id}?token=signed` });
      }
      case "repos/delete-release-asset": {
        const owner = [...this.releases.values()].find((r) => r.assets.some((a) => a.id === Number(params.asset_id)));
        if (owner === undefined) return send(404, notFound());
        owner.assets = owner.assets.filter((a) => a.id !== Number(params.asset_id));
        return send(204, undefined);
      }
      case "repos/update-release": {
        if (release === undefined) return send(404, notFound());
        const patch = (json ?? {}) as { draft?: boolean; make_latest?: string; name?: string; body?: string; prerelease?: boolean };
        if (patch.draft === false && release.draft) {
          release.draft = false;
          release.publishedAt = PUBLISHED_AT;
        } else if (patch.draft === true) {
          release.draft = true;
          release.publishedAt = null;
        }
        if (patch.make_latest !== undefined) release.makeLatest = patch.make_latest;
        if (patch.name !== undefined) release.name = patch.name;
        if (patch.body !== undefined) release.body = patch.body;
        if (patch.prerelease !== undefined) release.prerelease = patch.prerelease;
        return send(200, this.releaseJson(release));
      }
      default:
        this.violations.push(`${where}: ${operation.operationId} is described by GitHub but slipway should never call it`);
        return send(404, notFound());
    }
  }

  private findAsset(id: number): { release: StoredRelease; asset: StoredAsset } | undefined {
    for (const release of this.releases.values()) {
      const asset = release.assets.find((a) => a.id === id);
      if (asset !== undefined) return { release, asset };
    }
    return undefined;
  }

  /** The storage a download is redirected to: a signed URL that must not also carry the API token. */
  private serveStorage(host: Host, req: IncomingMessage, url: URL, res: ServerResponse): void {
    const asset = this.findAsset(Number(url.pathname.slice(STORAGE_PATH.length)));
    const where = `${req.method ?? "GET"} storage ${url.pathname}`;
    if (host !== "uploads") this.violations.push(`${where}: storage answered on the ${host} host`);
    if (req.headers.authorization !== undefined) this.violations.push(`${where}: the API token was sent to the storage host`);
    this.requests.push({
      host,
      method: req.method ?? "GET",
      url: `${url.pathname}${url.search}`,
      operationId: undefined,
      json: undefined,
      status: 200,
      headers: headersOf(req),
    });
    if (asset === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": asset.asset.contentType, "content-length": String(asset.asset.data.length) });
    res.end(asset.asset.data);
  }

  /** The `page` of `per_page` items the query asks for. */
  private page<T>(url: URL, items: readonly T[]): T[] {
    const perPage = Number(url.searchParams.get("per_page") ?? "30");
    const page = Number(url.searchParams.get("page") ?? "1");
    return items.slice((page - 1) * perPage, page * perPage);
  }

  private nextScripted(operationId: string): ScriptedResponse | undefined {
    const entry = this.scripts.find((s) => s.operationId === operationId && s.responses.length > 0);
    return entry?.responses.shift();
  }

  /** Checks host, path and query parameters and the body against the operation; returns the JSON body. */
  private checkRequest(host: Host, req: IncomingMessage, url: URL, body: Buffer, route: Route, params: Record<string, string>): unknown {
    const operation = route.operation;
    const where = `${route.method} ${route.template} (${operation.operationId})`;
    const problems: string[] = [];
    const wantHost: Host = operation.servers?.some((s) => s.url === UPLOADS_SERVER) === true ? "uploads" : "api";
    if (host !== wantHost) problems.push(`sent to the ${host} host, but the description serves it from the ${wantHost} host`);
    const declared = operation.parameters ?? [];
    for (const param of declared) {
      if (param.in === "path") {
        const raw = params[param.name];
        if (raw === undefined) problems.push(`path parameter ${param.name} missing`);
        else
          problems.push(
            ...specChecker()
              .validate(`${operation.operationId}#path.${param.name}`, param.schema, typed(raw, param.schema), false)
              .map((p) => `path ${param.name}: ${p}`),
          );
      }
    }
    const seen = new Set<string>();
    for (const [name, value] of url.searchParams) {
      const param = declared.find((p) => p.in === "query" && p.name === name);
      if (param === undefined) {
        problems.push(`query parameter ${name} is not described`);
        continue;
      }
      if (seen.has(name)) problems.push(`query parameter ${name} repeated`);
      seen.add(name);
      problems.push(
        ...specChecker()
          .validate(`${operation.operationId}#query.${name}`, param.schema, typed(value, param.schema), false)
          .map((p) => `query ${name}: ${p}`),
      );
    }
    for (const param of declared) {
      if (param.in === "query" && param.required === true && !seen.has(param.name))
        problems.push(`required query parameter ${param.name} missing`);
    }
    let json: unknown;
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
    const requestBody = operation.requestBody;
    if (requestBody === undefined) {
      if (body.length > 0) problems.push("has a body, but the operation takes none");
    } else if (body.length === 0) {
      if (requestBody.required === true) problems.push("the operation requires a body");
    } else {
      const media = requestBody.content[contentType];
      const binary = Object.values(requestBody.content).find((m) => m.schema?.type === "string" && m.schema.format === "binary");
      if (media?.schema !== undefined && contentType === "application/json") {
        try {
          json = JSON.parse(body.toString("utf8"));
          problems.push(
            ...specChecker()
              .validate(`${operation.operationId}#request`, media.schema, json, true)
              .map((p) => `body ${p}`),
          );
        } catch {
          problems.push("body is not JSON");
        }
      } else if (binary !== undefined) {
        // The description lists the raw body as application/octet-stream, and its text requires
        // Content-Type to be the asset's own media type, so any type/subtype is described.
        if (!/^[\w.+-]+\/[\w.+-]+$/.test(contentType)) problems.push(`content-type ${JSON.stringify(contentType)} is not a media type`);
        if (req.headers["content-length"] !== String(body.length)) problems.push("content-length missing or wrong");
      } else {
        problems.push(`content-type ${JSON.stringify(contentType)} is not described`);
      }
    }
    if (url.search.includes(this.options.token) || body.includes(this.options.token))
      problems.push("the token appears outside the Authorization header");
    this.violations.push(...problems.map((p) => `${where}: ${p}`));
    return json;
  }

  /** Sends a response after checking it against the operation's described responses. */
  private send(
    res: ServerResponse,
    operation: Operation | undefined,
    status: number,
    payload: Json | undefined,
    headers: Record<string, string> = {},
  ): void {
    if (operation !== undefined) {
      const where = `${operation.operationId} response ${status}`;
      const described = operation.responses[String(status)];
      const schema = described?.content?.["application/json"]?.schema;
      if (described !== undefined && schema === undefined) {
        if (payload !== undefined) this.violations.push(`${where}: the description has no body for it`);
      } else if (described !== undefined && schema !== undefined) {
        if (payload === undefined) this.violations.push(`${where}: the description requires a body`);
        else
          this.violations.push(
            ...specChecker()
              .validate(`${operation.operationId}#${status}`, schema, payload, false)
              .map((p) => `${where}: ${p}`),
          );
      } else if (status >= 400) {
        // GitHub describes 429, 5xx and rate-limit 403 for no operation; it answers them with a Basic Error.
        if (payload !== undefined)
          this.violations.push(
            ...specChecker()
              .validate("basic-error", specChecker().basicError, payload, false)
              .map((p) => `${where}: ${p}`),
          );
      } else {
        this.violations.push(`${where}: status not described`);
      }
    }
    const text = payload === undefined ? "" : JSON.stringify(payload);
    res.writeHead(status, { ...(payload === undefined ? {} : { "content-type": "application/json; charset=utf-8" }), ...headers });
    res.end(text);
  }

  private releaseJson(release: StoredRelease): JsonObject {
    const base = `${this.apiUrl}/repos/${release.owner}/${release.repo}/releases/${release.id}`;
    const html = `https://github.com/${release.owner}/${release.repo}/releases/tag/${release.draft ? `untagged-${release.id}` : release.tagName}`;
    return {
      url: base,
      html_url: html,
      assets_url: `${base}/assets`,
      upload_url: `${this.uploadUrl}/repos/${release.owner}/${release.repo}/releases/${release.id}/assets{?name,label}`,
      tarball_url: `${this.apiUrl}/repos/${release.owner}/${release.repo}/tarball/${release.tagName}`,
      zipball_url: `${this.apiUrl}/repos/${release.owner}/${release.repo}/zipball/${release.tagName}`,
      id: release.id,
      node_id: `RE_${release.id}`,
      tag_name: release.tagName,
      target_commitish: release.targetCommitish,
      name: release.name,
      body: release.body,
      draft: release.draft,
      prerelease: release.prerelease,
      immutable: false,
      created_at: CREATED_AT,
      published_at: release.publishedAt,
      updated_at: release.publishedAt ?? CREATED_AT,
      author: user(),
      assets: release.assets.map((a) => this.assetJson(release, a)),
    };
  }

  private assetJson(release: StoredRelease, asset: StoredAsset): JsonObject {
    return {
      url: `${this.apiUrl}/repos/${release.owner}/${release.repo}/releases/assets/${asset.id}`,
      browser_download_url: `https://github.com/${release.owner}/${release.repo}/releases/download/${release.tagName}/${encodeURIComponent(asset.name)}`,
      id: asset.id,
      node_id: `RA_${asset.id}`,
      name: asset.name,
      label: asset.label,
      state: asset.state,
      content_type: asset.contentType,
      size: asset.size,
      digest: this.digests ? `sha256:${asset.sha256}` : null,
      download_count: 0,
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
      uploader: user(),
    };
  }
}

function user(): Json {
  const api = "https://api.github.com/users/slipway-bot";
  return {
    login: "slipway-bot",
    id: 1,
    node_id: "U_1",
    avatar_url: "https://avatars.githubusercontent.com/u/1",
    gravatar_id: "",
    url: api,
    html_url: "https://github.com/slipway-bot",
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: "Bot",
    site_admin: false,
  };
}

function headersOf(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]),
  );
}

function notFound(): Json {
  return { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" };
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
