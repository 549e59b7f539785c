// The supply-chain checks of `slipway verify` on a release directory written here. Signature checks need
// cosign and run in cosignSignature.test.ts, but for the index check against a registry that needs a login;
// these cover the SBOM and provenance checks and the key file.
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { renderProvenance } from "../../plan/provenance";
import { planRelease } from "../../plan/releasePlan";
import { SIGSTORE, planSupplyChain, workflowIdentityPattern } from "../../plan/supplyChain";
import { generateKeyPair } from "../../providers/cosign";
import { ensureSignature } from "../../providers/cosignSignature";
import { ensureKeylessSignature } from "../../providers/keylessSignature";
import { publicKeysOf, supplyChainFiles, verifySupplyChain } from "../../providers/supplyChainVerify";
import { cosignStandIn } from "../support/cosignStandIn";
import { REGISTRY_BINARY, TestRegistry, pushSyntheticImage, requireTool, startRegistry } from "../support/registry";
import { TOOLCHAIN_DIR } from "../support/toolchain";
import { releaseInput } from "../support/release";

const plan = planRelease(releaseInput({ platforms: ["linux/amd64"], archives: "none" }));
// Signing off, so no cosign runs; provenance is on only to check its subjects here.
const chain = planSupplyChain(plan, { signing: false, sbom: true, provenance: true, keyless: false });
const hex = (c: string) => c.repeat(64);
const assets = { "hello_1.4.0_linux_amd64": hex("a"), SHA256SUMS: hex("b"), "hello_1.4.0_linux_amd64.cdx.json": hex("c") };
const images = [{ repository: "127.0.0.1:5000/hello", digest: `sha256:${hex("d")}` }];
const SBOM = JSON.stringify({ bomFormat: "CycloneDX", components: [{ name: "github.com/google/uuid", version: "v1.6.0" }] });

function release(provenanceAssets: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "slipway-verify-chain-"));
  writeFileSync(join(dir, "hello_1.4.0_linux_amd64.cdx.json"), SBOM);
  const facts = {
    assets: provenanceAssets,
    images,
    goVersion: "go1.26.8",
    goproxy: "off",
    modules: [],
    builder: { id: "urn:slipway:local", version: "0" },
  };
  writeFileSync(join(dir, "provenance.intoto.jsonl"), renderProvenance(plan, facts));
  return dir;
}

describe("verifySupplyChain", () => {
  it("passes when the SBOM is there and provenance covers every recorded asset", () => {
    const items = verifySupplyChain({ chain, releaseDir: release(assets), assets, images });
    assert.deepEqual(
      items.map((i) => [i.id, i.status]),
      [
        ["sbom.hello_1.4.0_linux_amd64", "pass"],
        ["provenance.subjects", "pass"],
      ],
    );
  });

  it("compares the SBOM with the binary's modules by the go of the given tool environment, not this process's PATH", () => {
    const dir = release(assets);
    writeFileSync(join(dir, "hello_1.4.0_linux_amd64"), "not a real binary: only the stand-in go reads it");
    const tools = mkdtempSync(join(tmpdir(), "slipway-verify-tools-"));
    const goListing = (dep: string) => {
      writeFileSync(join(tools, "go"), `#!/bin/sh\nprintf 'x: go1.26.8\\n\\tdep\\t${dep}\\th1:x\\n'\n`);
      chmodSync(join(tools, "go"), 0o755);
    };
    const sbomItem = () =>
      verifySupplyChain({ chain, releaseDir: dir, assets, images, toolEnv: { PATH: `${tools}:/usr/bin:/bin` } }).find((i) =>
        i.id.startsWith("sbom."),
      );
    goListing("github.com/google/uuid\\tv1.6.0");
    assert.deepEqual([sbomItem()?.status, sbomItem()?.detail], ["pass", "1 components"]);
    goListing("golang.org/x/sys\\tv0.30.0");
    assert.deepEqual([sbomItem()?.status, sbomItem()?.detail], ["fail", "does not list golang.org/x/sys@v0.30.0"]);
  });

  it("fails when an asset differs from its provenance subject (a tampered asset)", () => {
    const items = verifySupplyChain({ chain, releaseDir: release(assets), assets: { ...assets, SHA256SUMS: hex("e") }, images });
    const provenance = items.find((i) => i.id === "provenance.subjects");
    assert.equal(provenance?.status, "fail");
    assert.equal(provenance?.detail, "not matching: SHA256SUMS");
  });

  it("checks the provenance file against the release's files only: the index has its own attestation", () => {
    const moved = [{ repository: "127.0.0.1:5000/hello", digest: `sha256:${hex("f")}` }];
    const items = verifySupplyChain({ chain, releaseDir: release(assets), assets, images: moved });
    assert.equal(items.find((i) => i.id === "provenance.subjects")?.status, "pass");
    const missing = verifySupplyChain({ chain, releaseDir: release({}), assets, images });
    assert.equal(
      missing.find((i) => i.id === "provenance.subjects")?.detail,
      "not matching: hello_1.4.0_linux_amd64, SHA256SUMS, hello_1.4.0_linux_amd64.cdx.json",
    );
  });

  it("fails on a missing SBOM and a missing provenance file", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-verify-chain-"));
    const items = verifySupplyChain({ chain, releaseDir: dir, assets, images });
    assert.deepEqual(
      items.map((i) => [i.id, i.status, i.detail]),
      [
        ["sbom.hello_1.4.0_linux_amd64", "fail", "missing"],
        ["provenance.subjects", "fail", "no provenance.intoto.jsonl"],
      ],
    );
  });

  it("fails when the release's files cannot be read, naming why, unless --allow-unchecked supply-chain", () => {
    const run = (allowUnchecked: string[]) =>
      verifySupplyChain({ chain, releaseDir: undefined, unreadable: "GitHub is down", assets, images, allowUnchecked }).map(
        (i) => `${i.id}:${i.status}:${i.detail}`,
      );
    assert.deepEqual(run([]), ["supply-chain:fail:cannot be checked: GitHub is down; --allow-unchecked supply-chain accepts that"]);
    assert.deepEqual(run(["ecr", "supply-chain"]), ["supply-chain:skip:not checked (--allow-unchecked supply-chain): GitHub is down"]);
  });

  it("names the files the checks read, each once, in byte order", () => {
    assert.deepEqual(supplyChainFiles(chain), ["hello_1.4.0_linux_amd64", "hello_1.4.0_linux_amd64.cdx.json", "provenance.intoto.jsonl"]);
    const signed = planSupplyChain(plan, { signing: true, sbom: true, provenance: true, keyless: false });
    assert.deepEqual(supplyChainFiles(signed), [
      "SHA256SUMS",
      "SHA256SUMS.cosign.bundle",
      "cosign.pub",
      "hello_1.4.0_linux_amd64",
      "hello_1.4.0_linux_amd64.cdx.json",
      "provenance.intoto.jsonl",
    ]);
    assert.deepEqual(supplyChainFiles(planSupplyChain(plan, { signing: false, sbom: false, provenance: false, keyless: false })), []);
    assert.deepEqual(supplyChainFiles(planSupplyChain(plan, { signing: false, sbom: false, provenance: false, keyless: true })), [
      "SHA256SUMS",
      "SHA256SUMS.sigstore.json",
    ]);
  });

  describe("keyless signatures (cosign stand-in: Fulcio and Rekor are unreachable here)", () => {
    const keyless = planSupplyChain(plan, { signing: false, sbom: false, provenance: true, keyless: true });
    const identity = workflowIdentityPattern("acme", "hello");
    const previous = process.env.SLIPWAY_COSIGN;
    after(() => {
      if (previous === undefined) delete process.env.SLIPWAY_COSIGN;
      else process.env.SLIPWAY_COSIGN = previous;
    });
    const signedRelease = async (owner: string) => {
      const cosign = cosignStandIn();
      process.env.SLIPWAY_COSIGN = cosign.path;
      const dir = release(assets);
      writeFileSync(join(dir, "SHA256SUMS"), "sums\n");
      const env = { ACTIONS_ID_TOKEN_REQUEST_URL: "unused", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "unused" };
      const base = { identityPattern: workflowIdentityPattern(owner, "hello"), ...SIGSTORE, digest: images[0]?.digest ?? "" };
      const workflow = `https://github.com/${owner}/hello/.github/workflows/release.yml@refs/tags/v1.4.0`;
      const token = () => Promise.resolve(new Response(JSON.stringify({ value: workflow })));
      await ensureKeylessSignature(
        { ...base, kind: "blob", subject: join(dir, "SHA256SUMS"), bundlePath: join(dir, "SHA256SUMS.sigstore.json") },
        env,
        token,
      );
      await ensureKeylessSignature(
        { ...base, kind: "image", subject: `${images[0]?.repository ?? ""}@${images[0]?.digest ?? ""}` },
        env,
        token,
      );
      return dir;
    };
    const keylessStatus = (dir: string, keylessIdentity: string | undefined) =>
      verifySupplyChain({
        chain: keyless,
        releaseDir: dir,
        assets: { ...assets, "SHA256SUMS.sigstore.json": hex("9") },
        images,
        keylessIdentity,
      })
        .filter((i) => i.id.startsWith("keyless.") || i.id === "provenance.subjects")
        .map((i) => `${i.id}:${i.status}`);

    it("passes when the checksums bundle and each index verify for the repository's workflows; the bundle is no provenance subject", async () => {
      assert.deepEqual(keylessStatus(await signedRelease("acme"), identity), [
        "keyless.checksums:pass",
        "keyless.index.127.0.0.1:5000/hello:pass",
        "provenance.subjects:pass",
      ]);
    });

    it("fails when the signatures carry another repository's identity, or verify knows no identity", async () => {
      const dir = await signedRelease("mallory");
      assert.deepEqual(keylessStatus(dir, identity).slice(0, 2), ["keyless.checksums:fail", "keyless.index.127.0.0.1:5000/hello:fail"]);
      assert.deepEqual(keylessStatus(await signedRelease("acme"), undefined).slice(0, 2), [
        "keyless.checksums:fail",
        "keyless.index.127.0.0.1:5000/hello:fail",
      ]);
    });
  });

  describe("the index signature in a registry that needs a login (real cosign and registry)", () => {
    const cosign = process.env.SLIPWAY_COSIGN ?? join(TOOLCHAIN_DIR, "bin", "cosign");
    const login = { username: "release-bot", password: "s3cret-token" };
    const signing = planSupplyChain(plan, { signing: true, sbom: false, provenance: false, keyless: false });
    let registry: TestRegistry | undefined;
    let dir = "";
    let image = { repository: "", digest: "" };
    const previous = process.env.SLIPWAY_COSIGN;
    before(async () => {
      if (!existsSync(REGISTRY_BINARY) || !existsSync(cosign)) return;
      process.env.SLIPWAY_COSIGN = cosign;
      registry = await startRegistry(undefined, login);
      const pushed = await pushSyntheticImage(registry.address, "acme/hello", "verify", login);
      image = { repository: `${registry.address}/acme/hello`, digest: pushed.index };
      const key = generateKeyPair("verify-password");
      ensureSignature({
        kind: "image",
        subject: `${image.repository}@${image.digest}`,
        digest: image.digest,
        publicKey: key.publicKey,
        privateKey: key.privateKey,
        password: key.password,
        registryCredentials: login,
      });
      dir = release(assets);
      writeFileSync(join(dir, "cosign.pub"), key.publicKey);
    });
    after(async () => {
      await registry?.stop();
      if (previous === undefined) delete process.env.SLIPWAY_COSIGN;
      else process.env.SLIPWAY_COSIGN = previous;
    });
    const indexStatus = (credentials: typeof login | undefined) =>
      verifySupplyChain({ chain: signing, releaseDir: dir, assets, images: [{ ...image, credentials }] })
        .filter((i) => i.id.startsWith("signing.index."))
        .map((i) => i.status);

    it("verifies with the registry's login, and fails without it (the registry answers 401, no signature is read)", (t) => {
      if (!requireTool(t, cosign, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
      assert.deepEqual(indexStatus(login), ["pass"]);
      assert.deepEqual(indexStatus(undefined), ["fail"]);
      assert.deepEqual(indexStatus({ ...login, password: "wrong" }), ["fail"]);
    });
  });

  it("reads both public keys of cosign.pub, current first", () => {
    const pem = (body: string) => `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`;
    assert.deepEqual(publicKeysOf(`${pem("NEW")}\n${pem("OLD")}\n`), [`${pem("NEW")}\n`, `${pem("OLD")}\n`]);
    assert.deepEqual(publicKeysOf("garbage"), []);
  });
});
