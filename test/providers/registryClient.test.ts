// The registry client against registries that demand credentials: the Bearer token flow (GHCR, Docker
// Hub) and Basic auth (ECR), for manifests and blobs.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RegistryError, getBlob, getManifest, imagePlatforms, platformDigests } from "../../providers/registryClient";
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
