// Against a real registry process: the tag provider's HTTP behaviour (adopt, move, refuse to overwrite).
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { IncomingMessage, Server, ServerResponse, createServer, request } from "node:http";
import { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { getManifest } from "../../providers/registryClient";
import { RegistryTag, RegistryTagInputs, RegistryTagOutputs, pointTag, registryTagProvider } from "../../providers/registryTag";
import { Registration, named, recordRegistrations, settle } from "../support/mocks";
import { REGISTRY_BINARY, TestRegistry, pushSyntheticImage, requireTool, startRegistry } from "../support/registry";

/** What the proxy does with one request: answer it with this status, drop the connection, or pass it on. */
type Fault = number | "drop";

/**
 * A pass-through proxy in front of the real registry that answers queued faults first (a 5xx, a dropped
 * connection) and logs `METHOD path -> status` with the time each request arrived.
 */
class FaultyProxy {
  readonly log: string[] = [];
  readonly times: number[] = [];
  faults: Fault[] = [];
  /** Answered to every request while set, after the queue. */
  always: Fault | undefined;
  address = "";
  private server: Server | undefined;

  constructor(private readonly target: TestRegistry) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  reset(...faults: Fault[]): void {
    this.log.length = 0;
    this.times.length = 0;
    this.faults = faults;
    this.always = undefined;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const line = `${req.method ?? "GET"} ${req.url ?? "/"}`;
    this.times.push(performance.now());
    const fault = this.faults.shift() ?? this.always;
    if (fault === "drop") {
      this.log.push(`${line} -> dropped`);
      req.socket.destroy();
      return;
    }
    if (fault !== undefined) {
      this.log.push(`${line} -> ${fault}`);
      res.writeHead(fault, { "content-type": "text/plain" }).end(`injected ${fault}`);
      return;
    }
    const upstream = request(
      { host: "127.0.0.1", port: this.target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        this.log.push(`${line} -> ${answer.statusCode ?? 0}`);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  }
}

describe("registry tags against a real registry", () => {
  let registry: TestRegistry | undefined;
  let proxy: FaultyProxy | undefined;
  let first: { index: string; platforms: Record<string, string> };
  let second: { index: string; platforms: Record<string, string> };
  const missing = "sha256:" + "0".repeat(64);
  /** The same inputs, sent through the proxy. */
  const proxied = (tag: string, digest: string, mutable: boolean): RegistryTagInputs => ({
    ...inputs(tag, digest, mutable),
    registry: proxy?.address ?? "",
  });
  const manifests = (reference: string) => `/v2/acme/hello/manifests/${reference}`;

  const inputs = (tag: string, digest: string, mutable: boolean): RegistryTagInputs => ({
    registry: registry?.address ?? "",
    repository: "acme/hello",
    tag,
    digest,
    mutable,
    version: "1.4.0",
    prerelease: false,
    slipwayPublished: true,
  });

  before(async () => {
    if (!existsSync(REGISTRY_BINARY)) return;
    registry = await startRegistry();
    first = await pushSyntheticImage(registry.address, "acme/hello", "one");
    second = await pushSyntheticImage(registry.address, "acme/hello", "two");
    proxy = new FaultyProxy(registry);
    await proxy.start();
  });
  after(async () => {
    await proxy?.stop();
    await registry?.stop();
    if (registry !== undefined) rmSync(registry.dir, { recursive: true, force: true });
  });

  it("creates a tag that resolves to exactly the given digest and reports platform digests", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const outs = await pointTag(inputs("v1.4.0", first.index, false));
    assert.equal(outs.previousDigest, null);
    assert.deepEqual(outs.platforms, first.platforms);
    const manifest = await getManifest({ registry: registry?.address ?? "", repository: "acme/hello" }, "v1.4.0");
    assert.equal(manifest?.digest, first.index);
  });

  it("adopts an immutable tag that already points at the digest, without writing anything", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    proxy?.reset();
    const outs = await pointTag(proxied("v1.4.0", first.index, false));
    assert.deepEqual(outs, { ...proxied("v1.4.0", first.index, false), previousDigest: first.index, platforms: first.platforms });
    assert.deepEqual(proxy?.log, [`GET ${manifests("v1.4.0")} -> 200`, `GET ${manifests(first.index)} -> 200`]);
  });

  it("never overwrites an immutable tag that points elsewhere, and does not retry the refusal", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    proxy?.reset();
    await assert.rejects(pointTag(proxied("v1.4.0", second.index, false)), {
      message: `${proxy?.address}/acme/hello:v1.4.0 already points at ${first.index}; published tags are never overwritten (release a new version instead)`,
    });
    assert.deepEqual(proxy?.log, [`GET ${manifests("v1.4.0")} -> 200`, `GET ${manifests(second.index)} -> 200`]);
    const manifest = await getManifest({ registry: registry?.address ?? "", repository: "acme/hello" }, "v1.4.0");
    assert.equal(manifest?.digest, first.index);
  });

  it("refuses a digest the registry does not have, writing nothing and trying once", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    proxy?.reset();
    await assert.rejects(pointTag(proxied("v7.0.0", missing, false)), {
      message: `${proxy?.address}/acme/hello@${missing} does not exist; push the image first`,
    });
    assert.deepEqual(proxy?.log, [`GET ${manifests("v7.0.0")} -> 404`, `GET ${manifests(missing)} -> 404`]);
    assert.equal(await getManifest({ registry: registry?.address ?? "", repository: "acme/hello" }, "v7.0.0"), undefined);
  });

  it("retries a registry that answers 5xx, waiting 1 s and then 2 s, and finishes the tag", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    proxy?.reset(503, 502);
    const outs = await pointTag(proxied("v3.0.0", first.index, false));
    assert.deepEqual(outs, { ...proxied("v3.0.0", first.index, false), previousDigest: null, platforms: first.platforms });
    assert.deepEqual(proxy?.log, [
      `GET ${manifests("v3.0.0")} -> 503`,
      `GET ${manifests("v3.0.0")} -> 502`,
      `GET ${manifests("v3.0.0")} -> 404`,
      `GET ${manifests(first.index)} -> 200`,
      `PUT ${manifests("v3.0.0")} -> 201`,
    ]);
    const [t0 = 0, t1 = 0, t2 = 0] = proxy?.times ?? [];
    // Timers never fire early by more than a millisecond's rounding.
    assert.ok(t1 - t0 >= 995, `first wait ${t1 - t0} ms`);
    assert.ok(t2 - t1 >= 1995, `second wait ${t2 - t1} ms`);
    assert.equal((await getManifest({ registry: registry?.address ?? "", repository: "acme/hello" }, "v3.0.0"))?.digest, first.index);
  });

  it("retries a dropped connection", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    proxy?.reset("drop");
    const outs = await pointTag(proxied("v3.1.0", second.index, false));
    assert.deepEqual(outs, { ...proxied("v3.1.0", second.index, false), previousDigest: null, platforms: second.platforms });
    assert.deepEqual(proxy?.log, [
      `GET ${manifests("v3.1.0")} -> dropped`,
      `GET ${manifests("v3.1.0")} -> 404`,
      `GET ${manifests(second.index)} -> 200`,
      `PUT ${manifests("v3.1.0")} -> 201`,
    ]);
  });

  it("gives up after the given number of attempts", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    proxy?.reset();
    if (proxy !== undefined) proxy.always = 503;
    await assert.rejects(pointTag(proxied("v3.2.0", first.index, false), 2), {
      name: "RegistryError",
      message: `reading ${proxy?.address}/acme/hello:v3.2.0 failed: HTTP 503 injected 503`,
    });
    assert.deepEqual(proxy?.log, [`GET ${manifests("v3.2.0")} -> 503`, `GET ${manifests("v3.2.0")} -> 503`]);
    proxy?.reset();
  });

  const FINAL: readonly number[] = [400, 401, 403, 429];
  FINAL.forEach((status, index) => {
    it(`[${index}] does not retry a registry error ${status}, which is not transient`, async (t) => {
      if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
      proxy?.reset(status);
      await assert.rejects(pointTag(proxied("v3.3.0", first.index, false)), {
        name: "RegistryError",
        message: `reading ${proxy?.address}/acme/hello:v3.3.0 failed: HTTP ${status} injected ${status}`,
      });
      assert.deepEqual(proxy?.log, [`GET ${manifests("v3.3.0")} -> ${status}`]);
    });
  });

  it("create names the resource by registry, repository and tag; update points the tag again", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const address = registry?.address ?? "";
    const created = await registryTagProvider.create(inputs("v2.0.0", second.index, false));
    assert.deepEqual(created, {
      id: `${address}/acme/hello:v2.0.0`,
      outs: { ...inputs("v2.0.0", second.index, false), previousDigest: null, platforms: second.platforms },
    });
    const olds = created.outs as RegistryTagOutputs;
    const updated = await registryTagProvider.update?.(created.id, olds, inputs("v2", first.index, true));
    assert.deepEqual(updated, { outs: { ...inputs("v2", first.index, true), previousDigest: null, platforms: first.platforms } });
    assert.equal((await getManifest({ registry: address, repository: "acme/hello" }, "v2"))?.digest, first.index);
  });

  it("read reports a tag that no longer exists with an empty digest, and an existing one as it is", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const gone: RegistryTagOutputs = { ...inputs("never-pushed", first.index, false), previousDigest: null, platforms: first.platforms };
    assert.deepEqual(await registryTagProvider.read?.("gone", gone), { id: "gone", props: { ...gone, digest: "" } });
    const stale: RegistryTagOutputs = { ...inputs("v1.4.0", "stale", false), previousDigest: null, platforms: {} };
    assert.deepEqual(await registryTagProvider.read?.("here", stale), {
      id: "here",
      props: { ...stale, digest: first.index, platforms: first.platforms },
    });
  });

  it("moves a floating tag and remembers where it came from", async (t) => {
    if (!requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    await pointTag(inputs("latest", first.index, true));
    const outs = await pointTag(inputs("latest", second.index, true));
    assert.equal(outs.previousDigest, first.index);
    const read = await registryTagProvider.read?.("id", { ...outs, digest: "stale" });
    assert.equal((read?.props as { digest: string }).digest, second.index);
  });

  it("refuses at diff time to move an immutable tag, before anything is written", async () => {
    const old = { ...inputs("v1.4.0", "sha256:" + "a".repeat(64), false), previousDigest: null, platforms: {} };
    await assert.rejects(
      Promise.resolve().then(() => registryTagProvider.diff?.("id", old, inputs("v1.4.0", "sha256:" + "b".repeat(64), false))),
      {
        message: `${registry?.address ?? ""}/acme/hello:v1.4.0 is published as sha256:${"a".repeat(64)}; it cannot move to sha256:${"b".repeat(64)} (published tags are never overwritten)`,
      },
    );
    const moving = await registryTagProvider.diff?.("id", { ...old, mutable: true }, inputs("v1.4.0", "sha256:" + "b".repeat(64), true));
    assert.deepEqual(moving, { changes: true, replaces: [], deleteBeforeReplace: false });
    const same = await registryTagProvider.diff?.("id", old, inputs("v1.4.0", "sha256:" + "a".repeat(64), false));
    assert.deepEqual(same, { changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("fails with the registry's address when it is unreachable", async () => {
    await assert.rejects(
      pointTag({ ...inputs("v9", first.index, true), registry: "127.0.0.1:1" }),
      /registry 127\.0\.0\.1:1 is unreachable/,
    );
  });
});

describe("registry tag diff", () => {
  const A = "sha256:" + "a".repeat(64);
  const B = "sha256:" + "b".repeat(64);
  const OLDS: RegistryTagOutputs = {
    registry: "127.0.0.1:5000",
    repository: "acme/hello",
    tag: "v1.4.0",
    digest: A,
    mutable: false,
    version: "1.4.0",
    prerelease: false,
    slipwayPublished: true,
    previousDigest: null,
    platforms: {},
  };
  const CASES: readonly [string, Partial<RegistryTagInputs>, { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }][] = [
    ["nothing changed", {}, { changes: false, replaces: [], deleteBeforeReplace: false }],
    ["another registry replaces", { registry: "ghcr.io" }, { changes: true, replaces: ["registry"], deleteBeforeReplace: true }],
    ["another repository replaces", { repository: "acme/other" }, { changes: true, replaces: ["repository"], deleteBeforeReplace: true }],
    ["another tag replaces", { tag: "v1.4.1" }, { changes: true, replaces: ["tag"], deleteBeforeReplace: true }],
    [
      "every identity field at once",
      { registry: "ghcr.io", repository: "acme/other", tag: "v1.4.1" },
      { changes: true, replaces: ["registry", "repository", "tag"], deleteBeforeReplace: true },
    ],
    [
      "a new tag may name another digest, even immutable",
      { tag: "v1.4.1", digest: B },
      { changes: true, replaces: ["tag"], deleteBeforeReplace: true },
    ],
    [
      "a new repository may name another digest",
      { repository: "acme/other", digest: B },
      { changes: true, replaces: ["repository"], deleteBeforeReplace: true },
    ],
    ["becoming floating is an update", { mutable: true }, { changes: true, replaces: [], deleteBeforeReplace: false }],
    ["a floating tag moves in place", { mutable: true, digest: B }, { changes: true, replaces: [], deleteBeforeReplace: false }],
    [
      "version and prerelease do not touch the tag",
      { version: "1.4.1", prerelease: true },
      { changes: false, replaces: [], deleteBeforeReplace: false },
    ],
  ];
  CASES.forEach(([title, change, expected], index) => {
    it(`[${index}] ${title}`, async () => {
      const diff = await registryTagProvider.diff?.("id", OLDS, { ...OLDS, ...change });
      assert.deepEqual(diff, expected);
    });
  });

  it("a floating tag that becomes immutable is an update", async () => {
    const diff = await registryTagProvider.diff?.("id", { ...OLDS, mutable: true }, { ...OLDS, mutable: false });
    assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false });
  });
});

describe("registry tags in preview", () => {
  it("leave an unknown digest to be judged when it is known, instead of failing the preview", async () => {
    const old = {
      registry: "127.0.0.1:5000",
      repository: "acme/hello",
      tag: "v1.4.0",
      digest: "sha256:" + "a".repeat(64),
      mutable: false,
      version: "1.4.0",
      prerelease: false,
      slipwayPublished: true as const,
      previousDigest: null,
      platforms: {},
    };
    const diff = await registryTagProvider.diff?.("id", old, { ...old, digest: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
    assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false });
  });
});

describe("RegistryTag resource", () => {
  let registrations: Registration[];
  before(async () => {
    registrations = await recordRegistrations();
  });

  it("registers its inputs (no outputs), keeps the tag when deleted and marks the credentials secret", async () => {
    const args: RegistryTagInputs = {
      registry: "127.0.0.1:5000",
      repository: "acme/hello",
      tag: "v1.4.0",
      digest: "sha256:" + "a".repeat(64),
      mutable: false,
      version: "1.4.0",
      prerelease: false,
      slipwayPublished: true,
    };
    new RegistryTag("tag", args);
    await settle();
    const registered = named(registrations, "tag");
    assert.equal(registered.type, "pulumi-nodejs:dynamic/slipway:RegistryTag");
    assert.deepEqual({ ...registered.inputs, __provider: undefined }, { ...args, __provider: undefined });
    assert.deepEqual(Object.keys(registered.inputs).sort(), ["__provider", ...Object.keys(args)].sort());
    assert.equal(registered.options.retainOnDelete, true);
    assert.deepEqual(registered.options.additionalSecretOutputs, ["credentials"]);
  });
});
