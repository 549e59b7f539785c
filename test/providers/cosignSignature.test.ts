// The signing resources against real cosign and a real registry: a signature that verifies with the current
// key is adopted (no new signature, so a second `pulumi up` changes nothing); a rotated key signs once and the
// old signature still verifies with the old key.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
import {
  CosignKeyPairOutputs,
  CosignSignatureInputs,
  CosignSignatureOutputs,
  carriesPredicate,
  cosignKeyPairProvider,
  cosignSignatureProvider,
  ensureSignature,
  signatureDiff,
} from "../../providers/cosignSignature";
import { REGISTRY_BINARY, TestRegistry, pushSyntheticImage, requireTool, startRegistry } from "../support/registry";
import { TOOLCHAIN_DIR } from "../support/toolchain";

const COSIGN = process.env.SLIPWAY_COSIGN ?? join(TOOLCHAIN_DIR, "bin", "cosign");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** What diff answers: no change, or a signature made again in place (never a replacement). */
const UNCHANGED = { changes: false, replaces: [], deleteBeforeReplace: false };
const RESIGN = { changes: true, replaces: [], deleteBeforeReplace: false };

const sha256 = (content: string) => createHash("sha256").update(content).digest("hex");

/** A provider method the SDK's type leaves optional (diff, update); the providers here all have it. */
function method<T>(m: T | undefined): T {
  assert.ok(m !== undefined);
  return m;
}

/** What a create answered: its id and outputs. */
function created<T>(result: { id: string; outs?: T }): { id: string; outs: T } {
  assert.ok(result.outs !== undefined);
  return { id: result.id, outs: result.outs };
}

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
    keys = [await generateKeyPair("first-password"), await generateKeyPair("second-password")];
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

  it("signs an index once, adopts the signature next time, and re-signs once after a rotation", async (t) => {
    if (!requireTool(t, COSIGN, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const [first, second] = keys as [CosignKey, CosignKey];
    assert.equal((await ensureSignature(inputs(first, {}))).adopted, false);
    assert.equal((await ensureSignature(inputs(first, {}))).adopted, true);
    assert.equal((await ensureSignature(inputs(second, {}))).adopted, false, "a new key signs");
    assert.equal((await ensureSignature(inputs(second, {}))).adopted, true);
    const ref = inputs(first, {}).subject;
    assert.equal(await imageSignatureVerifies(ref, first.publicKey), true, "the old signature still verifies in the overlap");
    assert.equal(await imageSignatureVerifies(ref, second.publicKey), true);
  });

  it("hands keys and bundles over as text, and reads no attestation from an image it cannot read", async (t) => {
    if (!requireTool(t, COSIGN, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const [first] = keys as [CosignKey];
    assert.match(first.publicKey, /^-----BEGIN PUBLIC KEY-----\n/);
    assert.match(first.privateKey, /^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
    const file = join(dir, "notes.txt");
    writeFileSync(file, "release notes\n");
    const bundle = await signBlob(file, first);
    assert.equal(typeof bundle, "string");
    assert.equal(await blobBundleVerifies(file, bundle, first.publicKey), true);
    assert.deepEqual(
      await verifiedPredicates(`${registry?.address ?? ""}/acme/absent@sha256:${"0".repeat(64)}`, "cyclonedx", first.publicKey),
      [],
    );
  });

  it("keeps a checksums bundle that verifies, and refuses a tampered file", async (t) => {
    if (!requireTool(t, COSIGN, "cosign")) return;
    const [first] = keys as [CosignKey];
    const sums = join(dir, "SHA256SUMS");
    writeFileSync(sums, `${"a".repeat(64)}  hello\n`);
    const bundlePath = join(dir, "SHA256SUMS.cosign.bundle");
    const blob = { kind: "blob" as const, subject: sums, bundlePath };
    const made = await ensureSignature(inputs(first, blob));
    assert.equal(made.adopted, false);
    const bundle = readFileSync(bundlePath, "utf8");
    assert.equal((await ensureSignature(inputs(first, blob))).adopted, true);
    assert.equal(readFileSync(bundlePath, "utf8"), bundle, "the adopted bundle is byte for byte the same");
    writeFileSync(sums, `${"b".repeat(64)}  hello\n`);
    assert.equal(await blobBundleVerifies(sums, bundle, first.publicKey), false);
  });

  it("attests a predicate once and adopts the attestation whose predicate matches", async (t) => {
    if (!requireTool(t, COSIGN, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const [first] = keys as [CosignKey];
    const predicatePath = join(dir, "predicate.json");
    writeFileSync(
      predicatePath,
      JSON.stringify({ buildDefinition: { buildType: "urn:slipway:release:v1" }, runDetails: { builder: { id: "urn:test" } } }),
    );
    const attestation = { kind: "attestation" as const, attestationType: "slsaprovenance1" as const, predicatePath, predicateSha256: "x" };
    assert.equal((await ensureSignature(inputs(first, attestation))).adopted, false);
    assert.equal((await ensureSignature(inputs(first, attestation))).adopted, true);
    writeFileSync(
      predicatePath,
      JSON.stringify({ buildDefinition: { buildType: "urn:slipway:release:v1" }, runDetails: { builder: { id: "urn:other" } } }),
    );
    assert.equal((await ensureSignature(inputs(first, attestation))).adopted, false, "another predicate is attested anew");
    const sbomPath = join(dir, "sbom.json");
    writeFileSync(
      sbomPath,
      JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.6", components: [{ name: "github.com/google/uuid", version: "v1.6.0" }] }),
    );
    const sbom = { kind: "attestation" as const, attestationType: "cyclonedx" as const, predicatePath: sbomPath, predicateSha256: "y" };
    assert.equal((await ensureSignature(inputs(first, sbom))).adopted, false);
    assert.equal((await ensureSignature(inputs(first, sbom))).adopted, true);
  });

  it("the provider signs and attests an image on create, sees no change next time, adopts both on update; outputs carry no key", async (t) => {
    if (!requireTool(t, COSIGN, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const [first] = keys as [CosignKey];
    const pushed = await pushSyntheticImage(registry?.address ?? "", "acme/provider", "provider");
    const subject = `${registry?.address ?? ""}/acme/provider@${pushed.index}`;
    const image = inputs(first, { subject, digest: pushed.index });
    const predicatePath = join(dir, "provider-sbom.json");
    writeFileSync(predicatePath, JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.6", components: [] }));
    const sbom = inputs(first, {
      kind: "attestation",
      subject,
      digest: pushed.index,
      attestationType: "cyclonedx",
      predicatePath,
      predicateSha256: "p",
    });
    const nothingMade = { bundle: "", bundleSha256: "", bundleSize: 0 };
    const imageOuts = { kind: "image", subject, digest: pushed.index, publicKey: first.publicKey, ...nothingMade };
    const sbomOuts = { ...imageOuts, kind: "attestation", attestationType: "cyclonedx", predicatePath, predicateSha256: "p" };
    for (const [what, news, outs] of [
      ["image", image, imageOuts],
      ["attestation", sbom, sbomOuts],
    ] as const) {
      const made = created(await cosignSignatureProvider.create(news));
      assert.match(made.id, UUID);
      assert.deepEqual(made.outs, { ...outs, adopted: false }, what);
      assert.deepEqual(await method(cosignSignatureProvider.diff)(made.id, made.outs, news), UNCHANGED, what);
      assert.deepEqual(await method(cosignSignatureProvider.update)(made.id, made.outs, news), { outs: { ...outs, adopted: true } }, what);
    }
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
    key = await generateKeyPair("login-password");
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

  it("is refused without the login", async (t) => {
    if (!requireTool(t, COSIGN, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    await assert.rejects(ensureSignature(signature({})), /UNAUTHORIZED|401|authentication required/i);
  });

  it("signs the index with the registry's login, adopts the signature next time, and only the login reads it", async (t) => {
    if (!requireTool(t, COSIGN, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
    const publicKey = key?.publicKey ?? "";
    assert.equal((await ensureSignature(signature({ registryCredentials: login }))).adopted, false);
    assert.equal((await ensureSignature(signature({ registryCredentials: login }))).adopted, true);
    assert.equal(await imageSignatureVerifies(subject, publicKey), false, "the registry refuses a reader without the login");
    assert.equal(await withRegistryLogin(subject, login, process.env, (env) => imageSignatureVerifies(subject, publicKey, env)), true);
    assert.equal(
      await withRegistryLogin(subject, { ...login, password: "wrong" }, process.env, (env) =>
        imageSignatureVerifies(subject, publicKey, env),
      ),
      false,
      "a wrong password reads nothing",
    );
  });

  it("attests an SBOM on a platform manifest with the registry's login, and adopts it next time", async (t) => {
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
    assert.equal((await ensureSignature(sbom)).adopted, false);
    assert.equal((await ensureSignature(sbom)).adopted, true);
    const predicates = await withRegistryLogin(platform, login, process.env, (env) =>
      verifiedPredicates(platform, "cyclonedx", key?.publicKey ?? "", env),
    );
    assert.equal(predicates.length, 1);
  });
});

describe("the key pair provider", () => {
  const dir = mkdtempSync(join(tmpdir(), "slipway-cosign-key-pair-test-"));
  before(() => {
    if (existsSync(COSIGN)) process.env.SLIPWAY_COSIGN = COSIGN;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const pair: CosignKeyPairOutputs = { rotationKey: "r1", publicKey: "PUB", privateKey: "KEY", password: "PW" };

  it("makes a pair whose random password opens its private key; the outputs are the inputs and the key", async (t) => {
    if (!requireTool(t, COSIGN, "cosign")) return;
    const made = created(await cosignKeyPairProvider.create({ rotationKey: "r1" }));
    assert.match(made.id, UUID);
    assert.deepEqual(Object.keys(made.outs).sort(), ["password", "privateKey", "publicKey", "rotationKey"]);
    assert.equal(made.outs.rotationKey, "r1");
    assert.match(made.outs.password, /^[A-Za-z0-9_-]{43}$/, "32 random bytes, base64url");
    assert.match(made.outs.publicKey, /^-----BEGIN PUBLIC KEY-----\n/);
    assert.match(made.outs.privateKey, /^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
    const file = join(dir, "notes.txt");
    writeFileSync(file, "release notes\n");
    assert.equal(await blobBundleVerifies(file, await signBlob(file, made.outs), made.outs.publicKey), true);
  });

  it("replaces the pair for a new rotation key, and only then", async () => {
    const diff = method(cosignKeyPairProvider.diff);
    for (const [rotationKey, expected] of [
      ["r1", UNCHANGED],
      ["r2", { changes: true, replaces: ["rotationKey"], deleteBeforeReplace: false }],
    ] as const) {
      assert.deepEqual(await diff("id", pair, { rotationKey }), expected, rotationKey);
    }
  });

  it("an update keeps the key and takes the new inputs", async () => {
    assert.deepEqual(await method(cosignKeyPairProvider.update)("id", pair, { rotationKey: "r2" }), {
      outs: { rotationKey: "r2", publicKey: "PUB", privateKey: "KEY", password: "PW" },
    });
  });
});

describe("carriesPredicate: every value slipway wrote is in the predicate, unchanged, or in cosign's {Data: …} wrapper", () => {
  const cases: readonly (readonly [string, unknown, unknown, boolean])[] = [
    ["the same string", "urn:test", "urn:test", true],
    ["null for null", null, null, true],
    ["another string", "urn:other", "urn:test", false],
    ["an object with the fields cosign adds", { id: "urn:test", externalParameters: null }, { id: "urn:test" }, true],
    ["an object with another value", { id: "urn:other" }, { id: "urn:test" }, false],
    ["an empty object for an empty one", {}, {}, true],
    ["null for an object", null, {}, false],
    ["a string for an object", "text", {}, false],
    ["an array for an object", [], {}, false],
    ["undefined for an object", undefined, { id: "urn:test" }, false],
    ["an array carrying each item in order", [{ name: "uuid", version: "v1.6.0" }, "b"], [{ name: "uuid" }, "b"], true],
    ["an array with another item", ["a", "c"], ["a", "b"], false],
    ["a longer array", ["a", "b"], ["a"], false],
    ["a shorter array", ["a"], ["a", "b"], false],
    ["an object indexed like an array", { 0: "a" }, ["a"], false],
    ["the predicate wrapped in {Data: …}", { Data: { id: "urn:test" } }, { id: "urn:test" }, true],
    ["another predicate wrapped in {Data: …}", { Data: { id: "urn:other" } }, { id: "urn:test" }, false],
  ];
  for (const [name, actual, wanted, expected] of cases) {
    it(`${name}: ${String(expected)}`, () => assert.equal(carriesPredicate(actual, wanted), expected));
  }
});

describe("signature diff: signed again when a compared input changes or a blob's bundle file is gone or changed, else nothing", () => {
  const dir = mkdtempSync(join(tmpdir(), "slipway-cosign-diff-test-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const present = join(dir, "present.bundle");
  const absent = join(dir, "absent.bundle");
  const changed = join(dir, "changed.bundle");
  writeFileSync(present, "{}\n");
  writeFileSync(changed, "{ }\n");
  const blob: CosignSignatureInputs = {
    kind: "blob",
    subject: "/out/SHA256SUMS",
    digest: "a".repeat(64),
    bundlePath: present,
    publicKey: "PUB",
    privateKey: "KEY",
    password: "PW",
  };
  const image: CosignSignatureInputs = { ...blob, kind: "image", subject: `r/hello@sha256:${"f".repeat(64)}`, bundlePath: undefined };
  /** The outputs `inputs` made: the inputs without the secrets, and the bundle. */
  const made = (inputs: CosignSignatureInputs): CosignSignatureOutputs => ({
    kind: inputs.kind,
    subject: inputs.subject,
    digest: inputs.digest,
    ...(inputs.bundlePath === undefined ? {} : { bundlePath: inputs.bundlePath }),
    publicKey: inputs.publicKey,
    adopted: false,
    bundle: "{}\n",
    bundleSha256: sha256("{}\n"),
    bundleSize: 3,
  });
  const cases: readonly (readonly [string, CosignSignatureInputs, CosignSignatureInputs, typeof UNCHANGED | typeof RESIGN])[] = [
    ["nothing changed and the bundle file is there", blob, blob, UNCHANGED],
    ["a new private key and password for the same public key", blob, { ...blob, privateKey: "KEY2", password: "PW2" }, UNCHANGED],
    ["a new registry login", image, { ...image, registryCredentials: { username: "u", password: "p" } }, UNCHANGED],
    ["an empty predicate hash where none was", image, { ...image, predicateSha256: "" }, UNCHANGED],
    ["a new public key", blob, { ...blob, publicKey: "PUB2" }, RESIGN],
    ["a new digest", image, { ...image, digest: "b".repeat(64) }, RESIGN],
    ["a new predicate hash", { ...image, predicateSha256: "c" }, { ...image, predicateSha256: "d" }, RESIGN],
    ["the bundle file is gone", { ...blob, bundlePath: absent }, { ...blob, bundlePath: absent }, RESIGN],
    ["the bundle file's bytes changed", { ...blob, bundlePath: changed }, { ...blob, bundlePath: changed }, RESIGN],
    ["a blob with no bundle path", { ...blob, bundlePath: undefined }, { ...blob, bundlePath: undefined }, UNCHANGED],
    ["an image naming a bundle path that is not there", { ...image, bundlePath: absent }, { ...image, bundlePath: absent }, UNCHANGED],
  ];
  for (const [name, olds, news, expected] of cases) {
    it(`${name}: ${expected.changes ? "signed again" : "no change"}`, async () => {
      assert.deepEqual(await method(cosignSignatureProvider.diff)("id", made(olds), news), expected);
    });
  }

  it("a state without a recorded bundle digest: no change while the file is there", async () => {
    const olds = { ...made({ ...blob, bundlePath: changed }), bundleSha256: "" };
    assert.deepEqual(await method(cosignSignatureProvider.diff)("id", olds, { ...blob, bundlePath: changed }), UNCHANGED);
  });

  it("compares only the inputs it is given, an absent one as empty", () => {
    const olds = { kind: "image", digest: "d" };
    const cases: readonly (readonly [string[], { readonly kind: string } & Readonly<Record<string, string>>, typeof UNCHANGED])[] = [
      [["digest"], { kind: "image", digest: "d", publicKey: "new" }, UNCHANGED],
      [["identity"], { kind: "image", identity: "" }, UNCHANGED],
      [["identity"], { kind: "image", identity: "x" }, RESIGN],
    ];
    for (const [compared, news, expected] of cases) {
      assert.deepEqual(signatureDiff(compared, olds, news), expected, JSON.stringify(news));
    }
  });
});

describe("blob signatures through the provider", () => {
  const dir = mkdtempSync(join(tmpdir(), "slipway-cosign-blob-test-"));
  let key: CosignKey | undefined;
  before(async () => {
    if (!existsSync(COSIGN)) return;
    process.env.SLIPWAY_COSIGN = COSIGN;
    key = await generateKeyPair("blob-password");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const blob = (name: string, bundlePath: string | undefined): CosignSignatureInputs => {
    const subject = join(dir, name);
    writeFileSync(subject, `${"a".repeat(64)}  ${name}\n`);
    return {
      kind: "blob",
      subject,
      digest: sha256(readFileSync(subject, "utf8")),
      bundlePath,
      publicKey: key?.publicKey ?? "",
      privateKey: key?.privateKey ?? "",
      password: key?.password ?? "",
    };
  };
  /** The outputs of a blob signature whose bundle is `bundle`. */
  const outputs = (inputs: CosignSignatureInputs, adopted: boolean, bundle: string): CosignSignatureOutputs => ({
    kind: "blob",
    subject: inputs.subject,
    digest: inputs.digest,
    bundlePath: inputs.bundlePath,
    publicKey: inputs.publicKey,
    adopted,
    bundle,
    bundleSha256: sha256(bundle),
    bundleSize: Buffer.byteLength(bundle),
  });

  it("signs a file on create; when the bundle file is lost or spoiled, an update writes back the bundle in state", async (t) => {
    if (!requireTool(t, COSIGN, "cosign")) return;
    const bundlePath = join(dir, "release", "SHA256SUMS.cosign.bundle");
    const inputs = blob("SHA256SUMS", bundlePath);
    const made = created(await cosignSignatureProvider.create(inputs));
    const bundle = readFileSync(bundlePath, "utf8");
    assert.match(made.id, UUID);
    assert.deepEqual(made.outs, outputs(inputs, false, bundle));
    assert.equal(await blobBundleVerifies(inputs.subject, bundle, inputs.publicKey), true);
    const diff = method(cosignSignatureProvider.diff);
    const update = method(cosignSignatureProvider.update);
    assert.deepEqual(await diff(made.id, made.outs, inputs), UNCHANGED);
    for (const spoil of [() => rmSync(bundlePath), () => writeFileSync(bundlePath, "{}\n")]) {
      spoil();
      assert.deepEqual(await diff(made.id, made.outs, inputs), RESIGN, "a lost or spoiled bundle file is a change");
      assert.deepEqual(await update(made.id, made.outs, inputs), { outs: outputs(inputs, true, bundle) });
      assert.equal(readFileSync(bundlePath, "utf8"), bundle);
    }
    rmSync(bundlePath);
    assert.deepEqual(await diff(made.id, made.outs, inputs), RESIGN, "a lost bundle file is a change");
  });

  it("refuses a blob without a bundle path and an attestation without its type or predicate", async (t) => {
    if (!requireTool(t, COSIGN, "cosign")) return;
    await assert.rejects(ensureSignature(blob("notes.txt", undefined)), { name: "Error", message: "a blob signature needs bundlePath" });
    const predicatePath = join(dir, "predicate.json");
    writeFileSync(predicatePath, JSON.stringify({ bomFormat: "CycloneDX" }));
    const attestation = {
      ...blob("unused", undefined),
      kind: "attestation" as const,
      subject: `127.0.0.1:9/acme/none@sha256:${"0".repeat(64)}`,
    };
    for (const [attestationType, path] of [
      [undefined, predicatePath],
      ["cyclonedx", undefined],
      [undefined, undefined],
    ] as const) {
      await assert.rejects(ensureSignature({ ...attestation, attestationType, predicatePath: path }), {
        name: "Error",
        message: "an attestation needs attestationType and predicatePath",
      });
    }
  });

  it("runs cosign only as needed: a bundle on disk first, then the one in state, and signs only when neither verifies", async (t) => {
    if (!requireTool(t, COSIGN, "cosign")) return;
    // The real cosign behind a wrapper that notes each subcommand.
    const log = join(dir, "cosign-calls");
    const wrapper = join(dir, "cosign");
    writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\nexec '${COSIGN}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    const bundlePath = join(dir, "checksums.bundle");
    const inputs = blob("checksums", bundlePath);
    const signed = await signBlob(inputs.subject, key as CosignKey);
    const cases: readonly (readonly [string, string | undefined, string | undefined, readonly string[], boolean])[] = [
      ["no bundle anywhere", undefined, undefined, ["sign-blob"], false],
      ["a verifying bundle on disk", signed, undefined, ["verify-blob"], true],
      ["a verifying bundle on disk, beside a spoiled one in state", signed, "{}\n", ["verify-blob"], true],
      ["the file gone, the bundle in state", undefined, signed, ["verify-blob"], true],
      ["a spoiled file, the bundle in state", "{}\n", signed, ["verify-blob", "verify-blob"], true],
      ["neither verifies", "{}\n", "{}\n", ["verify-blob", "verify-blob", "sign-blob"], false],
    ];
    try {
      process.env.SLIPWAY_COSIGN = wrapper;
      for (const [name, onDisk, inState, calls, adopted] of cases) {
        rmSync(bundlePath, { force: true });
        rmSync(log, { force: true });
        if (onDisk !== undefined) writeFileSync(bundlePath, onDisk);
        const outs = inState === undefined ? await ensureSignature(inputs) : await ensureSignature(inputs, inState);
        const written = readFileSync(bundlePath, "utf8");
        assert.deepEqual(outs, outputs(inputs, adopted, written), name);
        assert.equal(written === signed, adopted, `${name}: the adopted bundle, or a new one`);
        assert.deepEqual(existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [], calls, name);
      }
    } finally {
      process.env.SLIPWAY_COSIGN = COSIGN;
    }
  });
});
