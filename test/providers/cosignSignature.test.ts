// The signing resources against real cosign and a real registry: a signature that verifies with the current
// key is adopted (no new signature, so a second `pulumi up` changes nothing); a rotated key signs once and the
// old signature still verifies with the old key.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CosignKey,
  blobBundleVerifies,
  generateKeyPair,
  imageSignatureVerifies,
  signBlob,
  verifiedPredicates,
  withRegistryLogin,
} from "../../providers/cosign";
import { CosignSignatureInputs, ensureSignature } from "../../providers/cosignSignature";
import { REGISTRY_BINARY, TestRegistry, pushSyntheticImage, requireTool, startRegistry } from "../support/registry";
import { TOOLCHAIN_DIR } from "../support/toolchain";

const COSIGN = process.env.SLIPWAY_COSIGN ?? join(TOOLCHAIN_DIR, "bin", "cosign");

describe("cosign signatures", () => {
  let registry: TestRegistry | undefined;
  let index = "";
  let keys: CosignKey[] = [];
  const dir = mkdtempSync(join(tmpdir(), "slipway-cosign-test-"));

  before(async () => {
    if (!existsSync(REGISTRY_BINARY) || !existsSync(COSIGN)) return;
    process.env.SLIPWAY_COSIGN = COSIGN;
    registry = await startRegistry();
    index = (await pushSyntheticImage(registry.address, "acme/hello", "one")).index;
    keys = [generateKeyPair("first-password"), generateKeyPair("second-password")];
  });
  after(async () => registry?.stop());

  const inputs = (key: CosignKey, extra: Partial<CosignSignatureInputs>): CosignSignatureInputs => ({
    kind: "image",
    subject: `${registry?.address ?? ""}/acme/hello@${index}`,
    digest: index,
    publicKey: key.publicKey,
    privateKey: key.privateKey,
    password: key.password,
    ...extra,
  });

  it("signs an index once, adopts the signature next time, and re-signs once after a rotation", (t) => {
    if (!requireTool(t, COSIGN, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const [first, second] = keys as [CosignKey, CosignKey];
    assert.equal(ensureSignature(inputs(first, {})).adopted, false);
    assert.equal(ensureSignature(inputs(first, {})).adopted, true);
    assert.equal(ensureSignature(inputs(second, {})).adopted, false, "a new key signs");
    assert.equal(ensureSignature(inputs(second, {})).adopted, true);
    const ref = inputs(first, {}).subject;
    assert.equal(imageSignatureVerifies(ref, first.publicKey), true, "the old signature still verifies in the overlap");
    assert.equal(imageSignatureVerifies(ref, second.publicKey), true);
  });

  it("hands keys and bundles over as text, and reads no attestation from an image it cannot read", (t) => {
    if (!requireTool(t, COSIGN, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const [first] = keys as [CosignKey];
    assert.match(first.publicKey, /^-----BEGIN PUBLIC KEY-----\n/);
    assert.match(first.privateKey, /^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
    const file = join(dir, "notes.txt");
    writeFileSync(file, "release notes\n");
    const bundle = signBlob(file, first);
    assert.equal(typeof bundle, "string");
    assert.equal(blobBundleVerifies(file, bundle, first.publicKey), true);
    assert.deepEqual(
      verifiedPredicates(`${registry?.address ?? ""}/acme/absent@sha256:${"0".repeat(64)}`, "cyclonedx", first.publicKey),
      [],
    );
  });

  it("keeps a checksums bundle that verifies, and refuses a tampered file", (t) => {
    if (!requireTool(t, COSIGN, "cosign")) return;
    const [first] = keys as [CosignKey];
    const sums = join(dir, "SHA256SUMS");
    writeFileSync(sums, `${"a".repeat(64)}  hello\n`);
    const bundlePath = join(dir, "SHA256SUMS.cosign.bundle");
    const blob = { kind: "blob" as const, subject: sums, bundlePath };
    const made = ensureSignature(inputs(first, blob));
    assert.equal(made.adopted, false);
    const bundle = readFileSync(bundlePath, "utf8");
    assert.equal(ensureSignature(inputs(first, blob)).adopted, true);
    assert.equal(readFileSync(bundlePath, "utf8"), bundle, "the adopted bundle is byte for byte the same");
    writeFileSync(sums, `${"b".repeat(64)}  hello\n`);
    assert.equal(blobBundleVerifies(sums, bundle, first.publicKey), false);
  });

  it("attests a predicate once and adopts the attestation whose predicate matches", (t) => {
    if (!requireTool(t, COSIGN, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const [first] = keys as [CosignKey];
    const predicatePath = join(dir, "predicate.json");
    writeFileSync(
      predicatePath,
      JSON.stringify({ buildDefinition: { buildType: "urn:slipway:release:v1" }, runDetails: { builder: { id: "urn:test" } } }),
    );
    const attestation = { kind: "attestation" as const, attestationType: "slsaprovenance1" as const, predicatePath, predicateSha256: "x" };
    assert.equal(ensureSignature(inputs(first, attestation)).adopted, false);
    assert.equal(ensureSignature(inputs(first, attestation)).adopted, true);
    writeFileSync(
      predicatePath,
      JSON.stringify({ buildDefinition: { buildType: "urn:slipway:release:v1" }, runDetails: { builder: { id: "urn:other" } } }),
    );
    assert.equal(ensureSignature(inputs(first, attestation)).adopted, false, "another predicate is attested anew");
    const sbomPath = join(dir, "sbom.json");
    writeFileSync(
      sbomPath,
      JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.6", components: [{ name: "github.com/google/uuid", version: "v1.6.0" }] }),
    );
    const sbom = { kind: "attestation" as const, attestationType: "cyclonedx" as const, predicatePath: sbomPath, predicateSha256: "y" };
    assert.equal(ensureSignature(inputs(first, sbom)).adopted, false);
    assert.equal(ensureSignature(inputs(first, sbom)).adopted, true);
  });
});

describe("cosign signatures in a registry that needs a login (htpasswd, as GHCR, Docker Hub and ECR need one)", () => {
  const login = { username: "release-bot", password: "s3cret-token" };
  let registry: TestRegistry | undefined;
  let subject = "";
  let platform = "";
  let key: CosignKey | undefined;
  const dir = mkdtempSync(join(tmpdir(), "slipway-cosign-login-test-"));

  before(async () => {
    if (!existsSync(REGISTRY_BINARY) || !existsSync(COSIGN)) return;
    process.env.SLIPWAY_COSIGN = COSIGN;
    registry = await startRegistry(undefined, login);
    const pushed = await pushSyntheticImage(registry.address, "acme/private", "private", login);
    subject = `${registry.address}/acme/private@${pushed.index}`;
    platform = `${registry.address}/acme/private@${pushed.platforms["linux/amd64"] ?? ""}`;
    key = generateKeyPair("login-password");
  });
  after(async () => registry?.stop());

  const signature = (extra: Partial<CosignSignatureInputs>): CosignSignatureInputs => ({
    kind: "image",
    subject,
    digest: subject.split("@")[1] ?? "",
    publicKey: key?.publicKey ?? "",
    privateKey: key?.privateKey ?? "",
    password: key?.password ?? "",
    ...extra,
  });

  it("is refused without the login", (t) => {
    if (!requireTool(t, COSIGN, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    assert.throws(() => ensureSignature(signature({})), /UNAUTHORIZED|401|authentication required/i);
  });

  it("signs the index with the registry's login, adopts the signature next time, and only the login reads it", (t) => {
    if (!requireTool(t, COSIGN, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const publicKey = key?.publicKey ?? "";
    assert.equal(ensureSignature(signature({ registryCredentials: login })).adopted, false);
    assert.equal(ensureSignature(signature({ registryCredentials: login })).adopted, true);
    assert.equal(imageSignatureVerifies(subject, publicKey), false, "the registry refuses a reader without the login");
    assert.equal(
      withRegistryLogin(subject, login, process.env, (env) => imageSignatureVerifies(subject, publicKey, env)),
      true,
    );
    assert.equal(
      withRegistryLogin(subject, { ...login, password: "wrong" }, process.env, (env) => imageSignatureVerifies(subject, publicKey, env)),
      false,
      "a wrong password reads nothing",
    );
  });

  it("attests an SBOM on a platform manifest with the registry's login, and adopts it next time", (t) => {
    if (!requireTool(t, COSIGN, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const predicatePath = join(dir, "sbom.json");
    writeFileSync(predicatePath, JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.6", components: [] }));
    const sbom = signature({
      kind: "attestation",
      subject: platform,
      digest: platform.split("@")[1] ?? "",
      attestationType: "cyclonedx",
      predicatePath,
      predicateSha256: "z",
      registryCredentials: login,
    });
    assert.equal(ensureSignature(sbom).adopted, false);
    assert.equal(ensureSignature(sbom).adopted, true);
    const predicates = withRegistryLogin(platform, login, process.env, (env) =>
      verifiedPredicates(platform, "cyclonedx", key?.publicKey ?? "", env),
    );
    assert.equal(predicates.length, 1);
  });
});
