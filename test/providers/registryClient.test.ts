// The registry client against registries that demand credentials: the Bearer token flow (GHCR, Docker
// Hub) and Basic auth (ECR), for manifests and blobs.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import {
  MANIFEST_MEDIA_TYPES,
  Manifest,
  RegistryError,
  copyImage,
  getBlob,
  getManifest,
  hasBlob,
  imagePlatforms,
  platformDigests,
  putBlob,
  putManifest,
  registryBaseUrl,
  sha256Digest,
  splitRepositoryUrl,
} from "../../providers/registryClient";
import { TokenRegistry } from "../support/tokenRegistry";

const BINARY = Buffer.from("#!/bin/true\nhello\n");

describe("registry client with token auth", () => {
  let anonymous: TokenRegistry;
  let withLogin: TokenRegistry;
  let basic: TokenRegistry;
  let index = "";

  before(async () => {
    anonymous = await TokenRegistry.start({ kind: "bearer" });
    withLogin = await TokenRegistry.start({ kind: "bearer", username: "bot", password: "ghp_secret" });
    basic = await TokenRegistry.start({ kind: "basic", username: "AWS", password: "ecr-token" });
    for (const registry of [anonymous, withLogin, basic]) {
      index = registry.pushImage("acme/hello", ["v1.4.0"], "hello", { "linux/amd64": BINARY });
    }
  });
  after(async () => Promise.all([anonymous.stop(), withLogin.stop(), basic.stop()]));

  it("reads a manifest and its blobs with an anonymous Bearer token", async () => {
    const ref = { registry: anonymous.address, repository: "acme/hello" };
    const manifest = await getManifest(ref, "v1.4.0");
    assert.equal(manifest?.digest, index);
    const image = manifest === undefined ? undefined : platformDigests(manifest)["linux/amd64"];
    assert.ok(image !== undefined);
    const layers = (JSON.parse((await getManifest(ref, image))?.bytes.toString() ?? "{}") as { layers: { digest: string }[] }).layers;
    const layer = await getBlob(ref, layers[0]?.digest ?? "");
    assert.ok(layer.length > 0);
    assert.deepEqual(anonymous.log.slice(0, 3), [
      "GET /v2/acme/hello/manifests/v1.4.0 -> 401 -",
      "GET /token -> 200 -",
      "GET /v2/acme/hello/manifests/v1.4.0 -> 200 Bearer",
    ]);
    assert.ok(anonymous.log.some((l) => /^GET \/v2\/acme\/hello\/blobs\/sha256:\w+ -> 200 Bearer$/.test(l)));
  });

  it("logs in to the token endpoint with the credentials", async () => {
    const ref = { registry: withLogin.address, repository: "acme/hello", credentials: { username: "bot", password: "ghp_secret" } };
    assert.equal((await getManifest(ref, "v1.4.0"))?.digest, index);
    assert.deepEqual(withLogin.log.slice(0, 3), [
      "GET /v2/acme/hello/manifests/v1.4.0 -> 401 Basic",
      "GET /token -> 200 Basic",
      "GET /v2/acme/hello/manifests/v1.4.0 -> 200 Bearer",
    ]);
  });

  it("a refused token is a RegistryError naming the registry and the status", async () => {
    const ref = { registry: withLogin.address, repository: "acme/hello", credentials: { username: "bot", password: "wrong" } };
    await assert.rejects(getManifest(ref, "v1.4.0"), (error) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.message, `registry ${withLogin.address} refused a token (HTTP 401)`);
      assert.equal(error.status, 401);
      return true;
    });
  });

  it("names each platform's manifest: an index's entries, or a one-platform image's own manifest by its config", async () => {
    const ref = { registry: anonymous.address, repository: "acme/platforms" };
    const binaries = { "linux/amd64": BINARY, "linux/arm64": Buffer.from("arm\n") };
    const multi = anonymous.pushImage("acme/platforms", ["multi"], "hello", binaries);
    const indexManifest = await getManifest(ref, multi);
    assert.ok(indexManifest !== undefined);
    const entries = await imagePlatforms(ref, indexManifest);
    assert.deepEqual(Object.keys(entries).sort(), ["linux/amd64", "linux/arm64"]);
    assert.deepEqual(entries, platformDigests(indexManifest));
    const single = anonymous.pushImage("acme/platforms", ["single"], "hello", { "linux/arm64": BINARY }, true);
    const plain = await getManifest(ref, "single");
    assert.ok(plain !== undefined);
    assert.equal(plain.digest, single);
    assert.deepEqual(platformDigests(plain), {}, "a plain manifest has no entries");
    assert.deepEqual(await imagePlatforms(ref, plain), { "linux/arm64": single });
  });

  it("sends Basic credentials (ECR's AWS:<token>) and reads blobs with them", async () => {
    const ref = { registry: basic.address, repository: "acme/hello", credentials: { username: "AWS", password: "ecr-token" } };
    assert.equal((await getManifest(ref, "v1.4.0"))?.digest, index);
    assert.deepEqual(basic.log, ["GET /v2/acme/hello/manifests/v1.4.0 -> 200 Basic"]);
    const wrong = { ...ref, credentials: { username: "AWS", password: "expired" } };
    await assert.rejects(getManifest(wrong, "v1.4.0"), /HTTP 401/);
  });
});

describe("registry addresses and digests", () => {
  const urls: readonly [string, string][] = [
    ["127.0.0.1:5000", "http://127.0.0.1:5000"],
    ["127.10.20.30", "http://127.10.20.30"],
    ["a127.0.0.1:5000", "https://a127.0.0.1:5000"],
    ["localhost:5000", "http://localhost:5000"],
    ["[::1]:5000", "http://[::1]:5000"],
    ["ghcr.io", "https://ghcr.io"],
    ["registry.example.com:5000", "https://registry.example.com:5000"],
    ["127.0.0.1.nip.io:5000", "https://127.0.0.1.nip.io:5000"],
    ["my-localhost:5000", "https://my-localhost:5000"],
  ];
  for (const [registry, url] of urls) it(`${registry} → ${url}`, () => assert.equal(registryBaseUrl(registry), url));

  it("splits registry and repository at the first slash, and refuses a url without one", () => {
    assert.deepEqual(splitRepositoryUrl("127.0.0.1:5000/acme/hello"), { registry: "127.0.0.1:5000", repository: "acme/hello" });
    assert.throws(
      () => splitRepositoryUrl("hello"),
      (error) => error instanceof RegistryError && error.message === "hello names no repository" && error.status === undefined,
    );
    assert.throws(
      () => splitRepositoryUrl("/acme/hello"),
      (error) => error instanceof RegistryError && error.message === "/acme/hello names no registry" && error.status === undefined,
    );
  });

  it("sha256Digest is the OCI digest of the bytes", () => {
    assert.equal(sha256Digest(Buffer.from("")), "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("platformDigests names os/arch[/variant] and skips entries without a known platform", () => {
    const manifest = (manifests: unknown): Manifest => ({ digest: "d", mediaType: "m", bytes: Buffer.from(JSON.stringify({ manifests })) });
    assert.deepEqual(
      platformDigests(
        manifest([
          { digest: "a", platform: { os: "linux", architecture: "amd64" } },
          { digest: "b", platform: { os: "linux", architecture: "arm", variant: "v7" } },
          { digest: "c", platform: { os: "linux", architecture: "arm64", variant: "" } },
          { digest: "d", platform: { os: "unknown", architecture: "unknown" } },
          { digest: "e", platform: { os: "linux" } },
          { digest: "f", platform: { architecture: "amd64" } },
          { digest: "g" },
        ]),
      ),
      { "linux/amd64": "a", "linux/arm/v7": "b", "linux/arm64": "c" },
    );
    assert.deepEqual(platformDigests({ digest: "d", mediaType: "m", bytes: Buffer.from("{}") }), {});
  });
});

/** One scripted answer: status, headers and body for a request the server saw. */
interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/** A registry on 127.0.0.1 that answers each request from `script` and logs `METHOD url [authorization]`. */
async function scriptedRegistry(script: (method: string, url: string, origin: string) => Answer) {
  const log: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      log.push(`${req.method ?? ""} ${req.url ?? ""}${req.headers.authorization === undefined ? "" : ` ${req.headers.authorization}`}`);
      const answer = script(req.method ?? "", req.url ?? "", `http://${address}`);
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    log,
    ref: { registry: address, repository: "acme/hello" },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs `run` and returns the method and headers of every request it sent through fetch. */
async function sentRequests(run: () => Promise<unknown>): Promise<{ method: string; headers: Record<string, string> }[]> {
  const sent: { method: string; headers: Record<string, string> }[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    sent.push({ method: init?.method ?? "", headers: (init?.headers as Record<string, string> | undefined) ?? {} });
    return original(input, init);
  };
  try {
    await run();
  } finally {
    globalThis.fetch = original;
  }
  return sent;
}

function challengeHeaders(challenge: string | undefined): Record<string, string> {
  return challenge === undefined ? {} : { "www-authenticate": challenge };
}

async function rejectsWith(promise: Promise<unknown>, message: string, status: number | undefined): Promise<void> {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof RegistryError);
    assert.equal(error.name, "RegistryError");
    assert.equal(error.service, "registry");
    assert.equal(error.message, message);
    assert.equal(error.status, status);
    return true;
  });
}

describe("registry client protocol edges", () => {
  const MANIFEST_BYTES = Buffer.from('{"schemaVersion":2}');
  const MANIFEST_DIGEST = sha256Digest(MANIFEST_BYTES);
  const manifest: Manifest = { digest: MANIFEST_DIGEST, mediaType: "application/vnd.oci.image.manifest.v1+json", bytes: MANIFEST_BYTES };

  it("an unreachable registry is one line with the fetch error's cause", async () => {
    const closed = await scriptedRegistry(() => ({ status: 200 }));
    await closed.stop();
    await rejectsWith(
      getManifest(closed.ref, "v1"),
      `registry ${closed.ref.registry} is unreachable (fetch failed: connect ECONNREFUSED ${closed.ref.registry})`,
      undefined,
    );
  });

  it("asks for every manifest media type, reads the content type, and answers undefined for 404", async () => {
    const registry = await scriptedRegistry((_method, url) =>
      url.endsWith("/v1")
        ? { status: 200, headers: { "content-type": "application/vnd.oci.image.index.v1+json" }, body: MANIFEST_BYTES }
        : { status: 404 },
    );
    let accepts: (string | undefined)[] = [];
    try {
      const sent = await sentRequests(async () => {
        assert.deepEqual(await getManifest(registry.ref, "v1"), {
          digest: MANIFEST_DIGEST,
          mediaType: "application/vnd.oci.image.index.v1+json",
          bytes: MANIFEST_BYTES,
        });
        assert.equal(await getManifest(registry.ref, "v2"), undefined);
      });
      accepts = sent.map((request) => request.headers.accept);
    } finally {
      await registry.stop();
    }
    assert.deepEqual(accepts, [MANIFEST_MEDIA_TYPES.join(", "), MANIFEST_MEDIA_TYPES.join(", ")]);
    assert.deepEqual(MANIFEST_MEDIA_TYPES, [
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json",
    ]);
    assert.deepEqual(registry.log, ["GET /v2/acme/hello/manifests/v1", "GET /v2/acme/hello/manifests/v2"]);
  });

  it("a manifest without a content type has an empty media type", async () => {
    const registry = await scriptedRegistry(() => ({ status: 200, body: MANIFEST_BYTES }));
    try {
      assert.equal((await getManifest(registry.ref, "v1"))?.mediaType, "");
    } finally {
      await registry.stop();
    }
  });

  it("another failure names the reference, the status and the registry's answer", async () => {
    const registry = await scriptedRegistry(() => ({ status: 500, body: "  disk full \n" }));
    try {
      await rejectsWith(
        getManifest(registry.ref, "v1"),
        `reading ${registry.ref.registry}/acme/hello:v1 failed: HTTP 500   disk full`,
        500,
      );
      await rejectsWith(
        putManifest(registry.ref, "v1", manifest),
        `tagging ${registry.ref.registry}/acme/hello:v1 failed: HTTP 500   disk full`,
        500,
      );
    } finally {
      await registry.stop();
    }
  });

  it("a 401 without a usable Bearer challenge is the registry's answer, not a token request", async () => {
    for (const challenge of [
      undefined,
      'Basic realm="registry"',
      'Basic, realm="{origin}/token"',
      'Digest Bearer realm="{origin}/token"',
      'Bearer service="registry"',
    ]) {
      const registry = await scriptedRegistry((_method, url, origin) =>
        url.startsWith("/token")
          ? { status: 200, body: '{"token":"t"}' }
          : { status: 401, headers: challengeHeaders(challenge?.replace("{origin}", origin)) },
      );
      try {
        await rejectsWith(getManifest(registry.ref, "v1"), `reading ${registry.ref.registry}/acme/hello:v1 failed: HTTP 401`, 401);
        assert.deepEqual(registry.log, ["GET /v2/acme/hello/manifests/v1"], String(challenge));
      } finally {
        await registry.stop();
      }
    }
  });

  it("the token request carries the challenge's service and scope, or the repository's pull,push scope", async () => {
    for (const [challenge, query] of [
      ['realm="{origin}/token",service="reg",scope="repository:acme/hello:pull"', "service=reg&scope=repository%3Aacme%2Fhello%3Apull"],
      ['realm="{origin}/token"', "scope=repository%3Aacme%2Fhello%3Apull%2Cpush"],
    ] as const) {
      const registry = await scriptedRegistry((_method, url, origin) => {
        if (url.startsWith("/token")) return { status: 200, body: JSON.stringify({ access_token: "t-1" }) };
        return { status: 401, headers: { "www-authenticate": `Bearer ${challenge.replace("{origin}", origin)}` } };
      });
      try {
        await rejectsWith(getManifest(registry.ref, "v1"), `reading ${registry.ref.registry}/acme/hello:v1 failed: HTTP 401`, 401);
        assert.deepEqual(registry.log, [
          "GET /v2/acme/hello/manifests/v1",
          `GET /token?${query}`,
          "GET /v2/acme/hello/manifests/v1 Bearer t-1",
        ]);
      } finally {
        await registry.stop();
      }
    }
  });

  it("only a 401 asks for a token: another answer with a Bearer challenge is the registry's answer", async () => {
    const registry = await scriptedRegistry((_method, url, origin) =>
      url.startsWith("/token")
        ? { status: 200, body: '{"token":"t"}' }
        : { status: 403, headers: { "www-authenticate": `Bearer realm="${origin}/token"` }, body: "denied" },
    );
    try {
      await rejectsWith(getManifest(registry.ref, "v1"), `reading ${registry.ref.registry}/acme/hello:v1 failed: HTTP 403 denied`, 403);
      assert.deepEqual(registry.log, ["GET /v2/acme/hello/manifests/v1"]);
    } finally {
      await registry.stop();
    }
  });

  it("a token endpoint that answers without a token is one line", async () => {
    const registry = await scriptedRegistry((_method, url, origin) =>
      url.startsWith("/token")
        ? { status: 200, body: "{}" }
        : { status: 401, headers: { "www-authenticate": `Bearer realm="${origin}/token"` } },
    );
    try {
      await rejectsWith(getManifest(registry.ref, "v1"), `registry ${registry.ref.registry} returned no token`, undefined);
    } finally {
      await registry.stop();
    }
  });

  it("putManifest sends the media type and returns the digest the registry confirms, or the bytes' own", async () => {
    const confirmations: readonly [Record<string, string>, string][] = [
      [{ "docker-content-digest": MANIFEST_DIGEST }, MANIFEST_DIGEST],
      [{}, MANIFEST_DIGEST],
    ];
    for (const [headers, expected] of confirmations) {
      const registry = await scriptedRegistry(() => ({ status: 201, headers }));
      let types: (string | undefined)[] = [];
      try {
        const sent = await sentRequests(async () => assert.equal(await putManifest(registry.ref, "v1", manifest), expected));
        types = sent.map((request) => request.headers["content-type"]);
      } finally {
        await registry.stop();
      }
      assert.deepEqual(types, ["application/vnd.oci.image.manifest.v1+json"]);
      assert.deepEqual(registry.log, ["PUT /v2/acme/hello/manifests/v1"]);
    }
  });

  it("putManifest refuses a registry that stored other bytes", async () => {
    const other = `sha256:${"0".repeat(64)}`;
    const registry = await scriptedRegistry(() => ({ status: 201, headers: { "docker-content-digest": other } }));
    try {
      await rejectsWith(putManifest(registry.ref, "v1", manifest), `registry stored v1 as ${other}, expected ${MANIFEST_DIGEST}`, 201);
    } finally {
      await registry.stop();
    }
  });

  it("blobs: present or not, read and checked against their digest, uploaded in one POST and one PUT", async () => {
    const blob = Buffer.from("layer");
    const digest = sha256Digest(blob);
    const registry = await scriptedRegistry((method, url) => {
      if (method === "HEAD") return { status: url.endsWith(digest) ? 200 : 404 };
      if (method === "GET")
        return url.endsWith(digest) ? { status: 200, body: blob } : url.includes("tampered") ? { status: 200, body: "x" } : { status: 404 };
      if (method === "POST") return { status: 202, headers: { location: "/v2/acme/hello/blobs/uploads/u-1?state=s" } };
      return { status: 201 };
    });
    try {
      assert.equal(await hasBlob(registry.ref, digest), true);
      assert.equal(await hasBlob(registry.ref, "sha256:absent"), false);
      assert.deepEqual(await getBlob(registry.ref, digest), blob);
      await rejectsWith(
        getBlob(registry.ref, "sha256:absent"),
        `reading blob sha256:absent from ${registry.ref.registry}/acme/hello: HTTP 404`,
        404,
      );
      await rejectsWith(
        getBlob(registry.ref, "sha256:tampered"),
        `blob sha256:tampered from ${registry.ref.registry} has another digest`,
        undefined,
      );
      const sent = await sentRequests(() => putBlob(registry.ref, digest, blob));
      assert.deepEqual(
        sent.map((request) => `${request.method} ${String(request.headers["content-type"])}`),
        ["POST undefined", "PUT application/octet-stream"],
      );
      assert.deepEqual(registry.log.slice(-2), [
        "POST /v2/acme/hello/blobs/uploads/",
        `PUT /v2/acme/hello/blobs/uploads/u-1?state=s&digest=${encodeURIComponent(digest)}`,
      ]);
    } finally {
      await registry.stop();
    }
  });

  it("an upload the registry does not open or does not finish is one line with the status", async () => {
    const cases: readonly { answers: { post: Answer; put: Answer }; message: (registry: string) => string; status: number }[] = [
      {
        answers: { post: { status: 200, headers: { location: "/u" } }, put: { status: 201 } },
        message: (r) => `starting an upload to ${r}/acme/hello: HTTP 200`,
        status: 200,
      },
      {
        answers: { post: { status: 202 }, put: { status: 201 } },
        message: (r) => `starting an upload to ${r}/acme/hello: HTTP 202`,
        status: 202,
      },
      {
        answers: { post: { status: 202, headers: { location: "/v2/acme/hello/blobs/uploads/u" } }, put: { status: 202 } },
        message: (r) => `uploading sha256:x to ${r}/acme/hello: HTTP 202`,
        status: 202,
      },
    ];
    for (const { answers, message, status } of cases) {
      const registry = await scriptedRegistry((method) => (method === "POST" ? answers.post : answers.put));
      try {
        await rejectsWith(putBlob(registry.ref, "sha256:x", Buffer.from("x")), message(registry.ref.registry), status);
      } finally {
        await registry.stop();
      }
    }
  });

  it("copyImage refuses a source without the manifest or with other bytes, and puts nothing the target has", async () => {
    const config = Buffer.from("{}");
    const image = Buffer.from(JSON.stringify({ config: { digest: sha256Digest(config) }, layers: [] }));
    const digest = sha256Digest(image);
    const source = await scriptedRegistry((_method, url) =>
      url.endsWith(digest) ? { status: 200, body: image } : url.endsWith("tampered") ? { status: 200, body: "{}" } : { status: 404 },
    );
    const target = await scriptedRegistry(() => ({ status: 200, body: image }));
    try {
      await rejectsWith(
        copyImage(source.ref, target.ref, "sha256:absent"),
        `${source.ref.registry}/acme/hello@sha256:absent does not exist`,
        404,
      );
      await rejectsWith(
        copyImage(source.ref, target.ref, "sha256:tampered"),
        `${source.ref.registry} served other bytes for sha256:tampered`,
        undefined,
      );
      assert.deepEqual(await copyImage(source.ref, target.ref, digest), { copiedBlobs: 0 });
      assert.deepEqual(target.log, [`HEAD /v2/acme/hello/blobs/${sha256Digest(config)}`, `GET /v2/acme/hello/manifests/${digest}`]);
    } finally {
      await source.stop();
      await target.stop();
    }
  });

  it("a one-platform image whose config names no platform has no platforms", async () => {
    const config = Buffer.from(JSON.stringify({ os: "linux" }));
    const noOs = Buffer.from(JSON.stringify({ architecture: "amd64" }));
    const platforms: readonly [unknown, Record<string, string>][] = [
      [{ os: "linux", architecture: "amd64" }, { "linux/amd64": "sha256:m" }],
      [{ os: "linux", architecture: "arm64", variant: "" }, { "linux/arm64": "sha256:m" }],
      [{ os: "linux", architecture: "arm", variant: "v7" }, { "linux/arm/v7": "sha256:m" }],
    ];
    const configs = platforms.map(([platform]) => Buffer.from(JSON.stringify(platform)));
    const registry = await scriptedRegistry((_method, url) => ({
      status: 200,
      body: [noOs, ...configs].find((candidate) => url.endsWith(sha256Digest(candidate))) ?? config,
    }));
    const plain: Manifest = {
      digest: "sha256:m",
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      bytes: Buffer.from(JSON.stringify({ config: { digest: sha256Digest(config) } })),
    };
    try {
      assert.deepEqual(await imagePlatforms(registry.ref, plain), {});
      const withoutOs = Buffer.from(JSON.stringify({ config: { digest: sha256Digest(noOs) } }));
      assert.deepEqual(await imagePlatforms(registry.ref, { ...plain, bytes: withoutOs }), {});
      for (const [index, [, expected]] of platforms.entries()) {
        const bytes = Buffer.from(JSON.stringify({ config: { digest: sha256Digest(configs[index] ?? Buffer.alloc(0)) } }));
        assert.deepEqual(await imagePlatforms(registry.ref, { ...plain, bytes }), expected);
      }
      assert.deepEqual(await imagePlatforms(registry.ref, { ...plain, bytes: Buffer.from("{}") }), {}, "no config: no request");
    } finally {
      await registry.stop();
    }
    assert.deepEqual(
      registry.log,
      [config, noOs, ...configs].map((blob) => `GET /v2/acme/hello/blobs/${sha256Digest(blob)}`),
    );
  });
});
