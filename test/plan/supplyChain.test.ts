import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SlipwayInputError } from "../../plan/errors";
import { ReleasePlan, planRelease } from "../../plan/releasePlan";
import {
  CYCLONEDX_PREDICATE,
  DEFAULT_SUPPLY_CHAIN,
  IN_TOTO_STATEMENT_V1,
  SLIPWAY_BUILD_TYPE,
  SLSA_PROVENANCE_V1,
  SupplyChainSetting,
  SupplyChainSettings,
  checksumsBundleName,
  parseSupplyChainSettings,
  planSupplyChain,
  sbomAssetName,
  workflowIdentityPattern,
} from "../../plan/supplyChain";
import { releaseInput, twoBuildsInput } from "../support/release";

describe("parseSupplyChainSettings", () => {
  const cases: { title: string; values: Record<string, unknown>; expected: SupplyChainSettings }[] = [
    { title: "unset: everything on", values: {}, expected: { signing: true, sbom: true, provenance: true, keyless: false } },
    {
      title: "strings as Pulumi stores them",
      values: { signing: "true", sbom: "false", provenance: "true" },
      expected: { signing: true, sbom: false, provenance: true, keyless: false },
    },
    {
      title: "booleans",
      values: { signing: false, sbom: true, provenance: false, keyless: false },
      expected: { signing: false, sbom: true, provenance: false, keyless: false },
    },
    {
      title: "keyless on, as the release stack sets it",
      values: { keyless: "true" },
      expected: { signing: true, sbom: true, provenance: true, keyless: true },
    },
    {
      title: "all off",
      values: { signing: "false", sbom: "false", provenance: "false" },
      expected: { signing: false, sbom: false, provenance: false, keyless: false },
    },
  ];
  for (const { title, values, expected } of cases) {
    it(title, () => assert.deepEqual(parseSupplyChainSettings(values), expected));
  }

  const bad: { values: Record<string, unknown>; key: string; message: string }[] = [
    {
      values: { signing: "yes" },
      key: "signing",
      message: 'slipway:signing = "yes": must be true or false; fix: pulumi config set slipway:signing false (or true, the default)',
    },
    {
      values: { sbom: "1" },
      key: "sbom",
      message: 'slipway:sbom = "1": must be true or false; fix: pulumi config set slipway:sbom false (or true, the default)',
    },
    {
      values: { provenance: "" },
      key: "provenance",
      message: 'slipway:provenance = "": must be true or false; fix: pulumi config set slipway:provenance false (or true, the default)',
    },
    {
      values: { keyless: "on" },
      key: "keyless",
      message: 'slipway:keyless = "on": must be true or false; fix: pulumi config set slipway:keyless true (or false, the default)',
    },
    {
      values: { signing: "false" },
      key: "provenance",
      message:
        "slipway:provenance = true: provenance is published as a signed attestation, which needs slipway:signing; fix: set slipway:signing true, or slipway:provenance false",
    },
  ];
  for (const { values, key, message } of bad) {
    it(`refuses ${JSON.stringify(values)} naming slipway:${key}`, () => {
      assert.throws(
        () => parseSupplyChainSettings(values),
        (error: unknown) => error instanceof SlipwayInputError && error.key === key && error.message === message,
      );
    });
  }
});

describe("planSupplyChain", () => {
  const plan = planRelease(releaseInput({ platforms: ["linux/amd64", "linux/arm64", "windows/amd64"] }));

  it("everything on: an SBOM per binary (attested on the image platforms), signatures, provenance and cosign.pub", () => {
    const chain = planSupplyChain(plan, DEFAULT_SUPPLY_CHAIN);
    assert.deepEqual(
      chain.sboms.map((s) => [s.binary, s.asset, s.inImage]),
      [
        ["hello_1.4.0_linux_amd64", "hello_1.4.0_linux_amd64.cdx.json", true],
        ["hello_1.4.0_linux_arm64", "hello_1.4.0_linux_arm64.cdx.json", true],
        ["hello_1.4.0_windows_amd64.exe", "hello_1.4.0_windows_amd64.exe.cdx.json", false],
      ],
    );
    assert.equal(chain.signIndex, true);
    assert.deepEqual(chain.checksums, { file: "SHA256SUMS", bundle: "SHA256SUMS.cosign.bundle" });
    assert.equal(chain.provenance, "provenance.intoto.jsonl");
    assert.equal(chain.publicKey, "cosign.pub");
    assert.deepEqual(chain.assets, [
      "SHA256SUMS.cosign.bundle",
      "cosign.pub",
      "hello_1.4.0_linux_amd64.cdx.json",
      "hello_1.4.0_linux_arm64.cdx.json",
      "hello_1.4.0_windows_amd64.exe.cdx.json",
      "provenance.intoto.jsonl",
    ]);
  });

  it("signing off: SBOM assets only, nothing signed", () => {
    const chain = planSupplyChain(plan, { signing: false, sbom: true, provenance: false, keyless: false });
    assert.equal(chain.signIndex, false);
    assert.equal(chain.checksums, undefined);
    assert.equal(chain.publicKey, undefined);
    assert.equal(chain.provenance, undefined);
    assert.equal(chain.sboms.length, 3);
    assert.equal(chain.assets.length, 3);
  });

  it("keyless: the checksums file's Sigstore bundle is a release asset too; off by default", () => {
    assert.equal(planSupplyChain(plan, DEFAULT_SUPPLY_CHAIN).keyless, undefined);
    const chain = planSupplyChain(plan, { ...DEFAULT_SUPPLY_CHAIN, keyless: true });
    assert.deepEqual(chain.keyless, { file: "SHA256SUMS", bundle: "SHA256SUMS.sigstore.json" });
    assert.ok(chain.assets.includes("SHA256SUMS.sigstore.json"));
    assert.equal(chain.assets.length, planSupplyChain(plan, DEFAULT_SUPPLY_CHAIN).assets.length + 1);
  });

  it("names the repository's workflows as the keyless identity, its dots escaped", () => {
    const pattern = workflowIdentityPattern("acme.io", "hello-go");
    assert.equal(pattern, "^https://github\\.com/acme\\.io/hello-go/\\.github/workflows/");
    const re = new RegExp(pattern);
    assert.ok(re.test("https://github.com/acme.io/hello-go/.github/workflows/release.yml@refs/tags/v1.4.0"));
    assert.ok(!re.test("https://github.com/acmexio/hello-go/.github/workflows/release.yml@refs/tags/v1.4.0"));
    assert.ok(!re.test("https://github.com/acme.io/hello-go-fork/.github/workflows/release.yml@refs/tags/v1.4.0"));
  });

  it("sbom off: no SBOMs, signatures still", () => {
    const chain = planSupplyChain(plan, { signing: true, sbom: false, provenance: true, keyless: false });
    assert.deepEqual(chain.sboms, []);
    assert.deepEqual(chain.assets, ["SHA256SUMS.cosign.bundle", "cosign.pub", "provenance.intoto.jsonl"]);
  });

  it("no image platforms: the index is not signed, the checksums are", () => {
    const chain = planSupplyChain(planRelease(releaseInput({ imagePlatforms: [] })), DEFAULT_SUPPLY_CHAIN);
    assert.equal(chain.signIndex, false);
    assert.equal(chain.checksums?.bundle, "SHA256SUMS.cosign.bundle");
    assert.ok(chain.sboms.every((s) => !s.inImage));
  });

  it("the image's SBOMs are those of the image binary's build only", () => {
    const twoBuilds = planRelease(twoBuildsInput());
    assert.deepEqual(
      planSupplyChain(twoBuilds, DEFAULT_SUPPLY_CHAIN).sboms.map((s) => [s.build, s.inImage]),
      [
        ["hello", true],
        ["helper", false],
      ],
    );
  });

  it("refuses an asset name it would publish twice, naming the setting that adds it", () => {
    const clash = planRelease(releaseInput({ checksums: "provenance.intoto.jsonl" }));
    assert.throws(
      () => planSupplyChain(clash, DEFAULT_SUPPLY_CHAIN),
      (error: unknown) =>
        error instanceof SlipwayInputError &&
        error.message ===
          "slipway:provenance = true: the release already has an asset named provenance.intoto.jsonl, which slipway:provenance would publish; fix: rename that asset (slipway:archives or slipway:checksums), or set slipway:provenance false",
    );
    assert.equal(planSupplyChain(clash, { signing: true, sbom: true, provenance: false, keyless: false }).provenance, undefined);
  });

  const withAssets = (extra: readonly string[], binaryFile?: string): ReleasePlan => ({
    ...plan,
    assets: {
      ...plan.assets,
      checksums: { ...plan.assets.checksums, order: [...plan.assets.checksums.order, ...extra] },
      binaries: plan.assets.binaries.map((b, i) => (i === 0 && binaryFile !== undefined ? { ...b, file: binaryFile } : b)),
    },
  });
  const clashes: [string, ReleasePlan, SupplyChainSettings, SupplyChainSetting, string][] = [
    ["an SBOM", withAssets(["hello_1.4.0_linux_arm64.cdx.json"]), DEFAULT_SUPPLY_CHAIN, "sbom", "hello_1.4.0_linux_arm64.cdx.json"],
    ["the checksums bundle", withAssets(["SHA256SUMS.cosign.bundle"]), DEFAULT_SUPPLY_CHAIN, "signing", "SHA256SUMS.cosign.bundle"],
    ["the public keys, as an archive", withAssets(["cosign.pub"]), DEFAULT_SUPPLY_CHAIN, "signing", "cosign.pub"],
    ["the public keys, as a binary", withAssets([], "cosign.pub"), DEFAULT_SUPPLY_CHAIN, "signing", "cosign.pub"],
    [
      "the keyless bundle",
      withAssets(["SHA256SUMS.sigstore.json"]),
      { ...DEFAULT_SUPPLY_CHAIN, keyless: true },
      "keyless",
      "SHA256SUMS.sigstore.json",
    ],
  ];
  for (const [what, clashing, settings, setting, asset] of clashes) {
    it(`refuses a release asset named like ${what}, naming slipway:${setting}`, () => {
      assert.throws(
        () => planSupplyChain(clashing, settings),
        (error: unknown) =>
          error instanceof SlipwayInputError &&
          error.message ===
            `slipway:${setting} = ${String(settings[setting])}: the release already has an asset named ${asset}, which slipway:${setting} would publish; fix: rename that asset (slipway:archives or slipway:checksums), or set slipway:${setting} false`,
      );
    });
  }

  it("the statement, predicate and build types are the standard URIs verifiers look for", () => {
    assert.deepEqual(
      [IN_TOTO_STATEMENT_V1, SLSA_PROVENANCE_V1, CYCLONEDX_PREDICATE, SLIPWAY_BUILD_TYPE],
      ["https://in-toto.io/Statement/v1", "https://slsa.dev/provenance/v1", "https://cyclonedx.org/bom", "urn:slipway:release:v1"],
    );
  });

  it("names", () => {
    assert.equal(sbomAssetName("hello_1.4.0_linux_amd64"), "hello_1.4.0_linux_amd64.cdx.json");
    assert.equal(checksumsBundleName("hello_1.4.0_checksums.txt"), "hello_1.4.0_checksums.txt.cosign.bundle");
  });
});
