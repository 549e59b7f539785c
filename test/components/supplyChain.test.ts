// SigningKeys and SupplyChain with mocks: what they declare, which inputs are secret, and both branches of
// every optional child. cosign and cyclonedx-gomod themselves run in test/providers/cosignSignature.test.ts.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { SigningKeys } from "../../components/signingKeys";
import { SupplyChain } from "../../components/supplyChain";
import { SlipwayInputError } from "../../plan/errors";
import { planRelease } from "../../plan/releasePlan";
import { slotKeys } from "../../plan/rotation";
import { DEFAULT_SUPPLY_CHAIN, SIGSTORE, planSupplyChain, workflowIdentityPattern } from "../../plan/supplyChain";
import { Registration, named, ofType, recordRegistrations, settle, valueOf } from "../support/mocks";
import { releaseInput } from "../support/release";

const plan = planRelease(releaseInput({ platforms: ["linux/amd64", "windows/amd64"], imagePlatforms: ["linux/amd64"] }));
const hex = (c: string) => c.repeat(64);
const built = Object.fromEntries(
  [...plan.assets.checksums.order, plan.assets.checksums.file].map((n) => [n, { path: `/out/${n}`, sha256: hex("a"), size: 1 }]),
);
// Every compiled binary, published or only archived: where the SBOMs read from (not the release files).
const compiled = Object.fromEntries(plan.assets.binaries.map((b) => [b.file, { path: `/build/${b.file}`, sha256: hex("b"), size: 1 }]));
const KEY_PAIR = "pulumi-nodejs:dynamic/slipway:CosignKeyPair";
const SIGNATURE = "pulumi-nodejs:dynamic/slipway:CosignSignature";
const KEYLESS = "pulumi-nodejs:dynamic/slipway:KeylessSignature";
let registrations: Registration[];
/** A signing chain with the default settings and a mocked key pair (current PUB, previous OLD). */
const signed = () => ({
  plan,
  chain: planSupplyChain(plan, DEFAULT_SUPPLY_CHAIN),
  files: built,
  binaries: compiled,
  outputDir: "/out/supply-chain",
  key: pulumi.secret({ privateKey: "PRIVATE", password: "PASSWORD", publicKey: "PUB" }),
  publicKey: "PUB",
  publicKeys: "PUB\nOLD\n",
});
// How the engine sees a secret input: the SDK's secret signature around the value.
const SECRET_LOGIN = {
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value: { username: "acme-bot", password: "TOKEN" },
};

describe("SigningKeys and SupplyChain", () => {
  before(async () => {
    registrations = await recordRegistrations({
      outputs: (r) =>
        r.type === KEY_PAIR
          ? { publicKey: `PUB-${String(r.inputs.rotationKey)}\n`, privateKey: "PRIVATE", password: "PASSWORD" }
          : r.type.endsWith(":SbomFile") || r.type.endsWith(":TextFile")
            ? { sha256: hex("d"), size: 2 }
            : r.type === SIGNATURE
              ? { adopted: false, bundleSha256: hex("e"), bundleSize: 3 }
              : {},
    });
  });

  it("SigningKeys: a key pair per slot, the current one secret, both public keys current first", async () => {
    const slots = slotKeys({ generation: 2, now: () => new Date(0) });
    const keys = new SigningKeys("hello-keys", { slots });
    await settle();
    assert.deepEqual(
      ofType(registrations, KEY_PAIR).map((r) => [r.name, r.inputs.rotationKey, r.options.additionalSecretOutputs]),
      [
        ["hello-keys-a", "r1", ["privateKey", "password"]],
        ["hello-keys-b", "r2", ["privateKey", "password"]],
      ],
      "each slot's private key and password are secret in state",
    );
    assert.equal(await pulumi.isSecret(keys.current), true);
    assert.equal(await valueOf(keys.currentPublicKey), "PUB-r2\n");
    assert.equal(await valueOf(keys.publicKeys), "PUB-r2\nPUB-r1\n");
  });

  it("SupplyChain with an image: SBOMs, bundle, cosign.pub, provenance, index signature and attestations", async () => {
    const chain = new SupplyChain("hello-chain", {
      ...signed(),
      image: {
        digest: `sha256:${hex("f")}`,
        platformDigests: { "linux/amd64": `sha256:${hex("1")}` },
        repositories: [
          { url: "127.0.0.1:5000/hello" },
          { url: "ghcr.io/acme/hello", credentials: pulumi.secret({ username: "acme-bot", password: "TOKEN" }) },
        ],
      },
      build: { goVersion: "go1.26.8", goproxy: "http://u:p@127.0.0.1:3000", modules: [] },
    });
    await settle();
    const mine = registrations.filter((r) => r.name.startsWith("hello-chain-"));
    assert.deepEqual(mine.map((r) => r.name).sort(), [
      "hello-chain-checksums-signature",
      "hello-chain-index-signature-0",
      "hello-chain-index-signature-1",
      "hello-chain-provenance",
      "hello-chain-provenance-attestation-0",
      "hello-chain-provenance-attestation-1",
      "hello-chain-provenance-predicate",
      "hello-chain-public-keys",
      "hello-chain-sbom-attestation-0-linux-amd64",
      "hello-chain-sbom-attestation-1-linux-amd64",
      "hello-chain-sbom-hello-linux-amd64",
      "hello-chain-sbom-hello-windows-amd64",
    ]);
    const index = named(registrations, "hello-chain-index-signature-0");
    assert.equal(index.inputs.subject, `127.0.0.1:5000/hello@sha256:${hex("f")}`);
    for (const signature of mine.filter((r) => r.type === SIGNATURE)) {
      assert.deepEqual(
        signature.options.additionalSecretOutputs,
        ["privateKey", "password", "registryCredentials"],
        `${signature.name} keeps the key and the registry login secret`,
      );
      assert.equal(signature.options.retainOnDelete, true, `${signature.name} stays published`);
    }
    // Signatures are pushed beside the index: each registry's own login goes with them, none to an open registry.
    const inRegistry = mine.filter((r) => r.type === SIGNATURE && r.name !== "hello-chain-checksums-signature");
    assert.deepEqual(inRegistry.map((r) => [r.name, String(r.inputs.subject).split("@")[0], r.inputs.registryCredentials]).sort(), [
      ["hello-chain-index-signature-0", "127.0.0.1:5000/hello", undefined],
      ["hello-chain-index-signature-1", "ghcr.io/acme/hello", SECRET_LOGIN],
      ["hello-chain-provenance-attestation-0", "127.0.0.1:5000/hello", undefined],
      ["hello-chain-provenance-attestation-1", "ghcr.io/acme/hello", SECRET_LOGIN],
      ["hello-chain-sbom-attestation-0-linux-amd64", "127.0.0.1:5000/hello", undefined],
      ["hello-chain-sbom-attestation-1-linux-amd64", "ghcr.io/acme/hello", SECRET_LOGIN],
    ]);
    assert.equal(named(registrations, "hello-chain-checksums-signature").inputs.registryCredentials, undefined, "a file needs no login");
    const sbom = named(registrations, "hello-chain-sbom-attestation-0-linux-amd64");
    assert.equal(sbom.inputs.subject, `127.0.0.1:5000/hello@sha256:${hex("1")}`);
    assert.equal(sbom.inputs.attestationType, "cyclonedx");
    assert.equal(named(registrations, "hello-chain-provenance-attestation-0").inputs.attestationType, "slsaprovenance1");
    // The release file covers the release's files only (the release never waits for the image); the
    // predicate attested on the index is where the image is named.
    const provenance = String(named(registrations, "hello-chain-provenance").inputs.content);
    assert.ok(!provenance.includes(`"name":"127.0.0.1:5000/hello"`), "the release file names no image");
    assert.ok(provenance.includes(`"name":"SHA256SUMS"`));
    assert.ok(!provenance.includes("u:p@"), "no proxy credentials in provenance");
    assert.deepEqual(Object.keys(await valueOf(chain.files)).sort(), [
      "SHA256SUMS.cosign.bundle",
      "cosign.pub",
      "hello_1.4.0_linux_amd64.cdx.json",
      "hello_1.4.0_windows_amd64.exe.cdx.json",
      "provenance.intoto.jsonl",
    ]);
    assert.equal(await valueOf(chain.registrySignatures), 6);
  });

  it("SupplyChain without an image and with signing off: SBOM files only, of binaries the release only archives", async () => {
    const archivedOnly = Object.fromEntries(Object.entries(built).filter(([name]) => !(name in compiled)));
    const chain = new SupplyChain("bare-chain", {
      plan,
      chain: planSupplyChain(plan, { signing: false, sbom: true, provenance: false, keyless: false }),
      files: archivedOnly,
      binaries: compiled,
      outputDir: "/out/supply-chain",
    });
    await settle();
    const mine = registrations.filter((r) => r.name.startsWith("bare-chain-"));
    assert.deepEqual(mine.map((r) => r.type.split(":").pop()).sort(), ["SbomFile", "SbomFile"]);
    assert.deepEqual(mine.map((r) => [r.inputs.binary, r.inputs.binarySha256]).sort(), [
      ["/build/hello_1.4.0_linux_amd64", hex("b")],
      ["/build/hello_1.4.0_windows_amd64.exe", hex("b")],
    ]);
    assert.equal(await valueOf(chain.registrySignatures), 0);
  });

  it("keyless: the checksums file's Sigstore bundle and each index, for the repository's workflows; none by default", async () => {
    const identity = workflowIdentityPattern("acme", "hello");
    const chain = new SupplyChain("keyless-chain", {
      plan,
      chain: planSupplyChain(plan, { signing: false, sbom: false, provenance: false, keyless: true }),
      files: built,
      binaries: compiled,
      outputDir: "/out/supply-chain",
      keylessIdentity: identity,
      image: {
        digest: `sha256:${hex("f")}`,
        platformDigests: {},
        repositories: [
          { url: "127.0.0.1:5000/hello" },
          { url: "ghcr.io/acme/hello", credentials: pulumi.secret({ username: "acme-bot", password: "TOKEN" }) },
        ],
      },
    });
    await settle();
    const mine = registrations.filter((r) => r.name.startsWith("keyless-chain-"));
    assert.deepEqual(mine.map((r) => [r.name, r.type, r.inputs.subject]).sort(), [
      ["keyless-chain-keyless-checksums-signature", KEYLESS, "/out/SHA256SUMS"],
      ["keyless-chain-keyless-index-signature-0", KEYLESS, `127.0.0.1:5000/hello@sha256:${hex("f")}`],
      ["keyless-chain-keyless-index-signature-1", KEYLESS, `ghcr.io/acme/hello@sha256:${hex("f")}`],
    ]);
    assert.deepEqual(mine.map((r) => [r.name, r.inputs.registryCredentials, r.options.additionalSecretOutputs]).sort(), [
      ["keyless-chain-keyless-checksums-signature", undefined, ["registryCredentials"]],
      ["keyless-chain-keyless-index-signature-0", undefined, ["registryCredentials"]],
      ["keyless-chain-keyless-index-signature-1", SECRET_LOGIN, ["registryCredentials"]],
    ]);
    for (const signature of mine) {
      assert.equal(signature.inputs.identityPattern, identity);
      assert.deepEqual(
        [signature.inputs.fulcioUrl, signature.inputs.rekorUrl, signature.inputs.oidcIssuer],
        [SIGSTORE.fulcioUrl, SIGSTORE.rekorUrl, SIGSTORE.oidcIssuer],
      );
      assert.equal(signature.options.retainOnDelete, true, `${signature.name} stays published`);
    }
    assert.equal(
      named(registrations, "keyless-chain-keyless-checksums-signature").inputs.bundlePath,
      "/out/supply-chain/SHA256SUMS.sigstore.json",
    );
    assert.deepEqual(Object.keys(await valueOf(chain.files)), ["SHA256SUMS.sigstore.json"]);
    assert.equal(await valueOf(chain.registrySignatures), 2);
    assert.equal(
      registrations.filter((r) => r.type === KEYLESS && r.name.startsWith("hello-chain-")).length,
      0,
      "keyless is off by default",
    );
  });

  it("refuses keyless signing without the identity it is made for, before declaring anything", () => {
    const count = registrations.length;
    assert.throws(
      () =>
        new SupplyChain("anonymous", {
          plan,
          chain: planSupplyChain(plan, { signing: false, sbom: false, provenance: false, keyless: true }),
          files: built,
          binaries: compiled,
          outputDir: "/out/supply-chain",
        }),
      SlipwayInputError,
    );
    assert.equal(registrations.length, count);
  });

  it("refuses to sign without a key, before declaring anything", () => {
    const before = registrations.length;
    assert.throws(
      () =>
        new SupplyChain("keyless", {
          plan,
          chain: planSupplyChain(plan, DEFAULT_SUPPLY_CHAIN),
          files: built,
          binaries: compiled,
          outputDir: "/out/supply-chain",
        }),
      SlipwayInputError,
    );
    assert.equal(registrations.length, before);
  });

  it("a published version keeps its cosign.pub and checksums bundle through a key rotation; registry signatures follow the key", async () => {
    const declare = (name: string, republished: boolean | undefined) =>
      new SupplyChain(name, {
        ...signed(),
        image: {
          digest: `sha256:${hex("f")}`,
          platformDigests: { "linux/amd64": `sha256:${hex("1")}` },
          repositories: [{ url: "r/hello" }],
        },
        build: { goVersion: "go1.26.8", goproxy: "off", modules: [] },
        republished,
      });
    declare("again", true);
    declare("first", false);
    declare("plain", undefined);
    await settle();
    const kept = (prefix: string) =>
      registrations
        .filter((r) => r.name.startsWith(`${prefix}-`) && r.options.ignoreChanges.length > 0)
        .map((r) => [r.name, r.options.ignoreChanges]);
    assert.deepEqual(kept("again"), [
      ["again-public-keys", ["content"]],
      ["again-checksums-signature", ["publicKey", "privateKey", "password"]],
    ]);
    assert.deepEqual(kept("first"), []);
    assert.deepEqual(kept("plain"), []);
  });
});
