import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Migration, migrateGoreleaser } from "../../plan/goreleaser";
import { SIGNING_KEYS } from "../../plan/goreleaserSigning";

const ON_GITHUB = { moduleName: "github.com/acme/tool", defaultName: "tool" };
const OFF_GITHUB = { moduleName: "gitlab.com/acme/tool", defaultName: "tool" };
const BUILD = "builds:\n  - goos: [linux]\n    goarch: [amd64]\n";

const CHECKSUMS_SIGNED = "slipway:signing (on by default) signs SHA256SUMS, which lists every asset";
const KEY_PAIR = "the stack's cosign key pair signs SHA256SUMS (cosign.pub is a release asset)";
const KEYLESS = "Sigstore keyless in GitHub Actions signs SHA256SUMS (SHA256SUMS.sigstore.json); needs id-token: write";
const NO_GITHUB = "keyless cosign signing needs the GitHub release (slipway:github); slipway:signing still signs with the stack's key pair";

/** The signing keys' report entries: `line key -> to: note` when mapped, `line key !: note` when not. */
function signingReport(m: Migration): string[] {
  const signing = (key: string): boolean => SIGNING_KEYS.some((top) => key === top || key.startsWith(`${top}[`));
  return [
    ...m.mapped.filter((e) => signing(e.key)).map((e) => `${e.line} ${e.key} -> ${e.to}: ${e.note ?? ""}`),
    ...m.unmapped.filter((e) => signing(e.key)).map((e) => `${e.line} ${e.key} !: ${e.note}`),
  ];
}

describe("GoReleaser signs, binary_signs, docker_signs and sboms", () => {
  const rows: { name: string; yaml: string; github?: false; report: string[]; keyless: boolean }[] = [
    {
      name: "keyless cosign over the checksum file (GoReleaser's own recipe) becomes slipway:keyless",
      yaml: "signs:\n  - cmd: cosign\n    artifacts: checksum\n    args: [sign-blob, '--output-signature=${signature}', '${artifact}', --yes]\n",
      report: [`5 signs[0] -> keyless: ${KEYLESS}`],
      keyless: true,
    },
    {
      name: "keyless cosign without a GitHub release is not carried over, and says the key pair still signs",
      yaml: "signs:\n  - cmd: cosign\n    artifacts: checksum\n",
      github: false,
      report: [`5 signs[0] !: ${NO_GITHUB}`],
      keyless: false,
    },
    {
      name: "cosign with --key=… is the stack's key pair",
      yaml: "signs:\n  - cmd: cosign\n    artifacts: checksum\n    args: [sign-blob, '--key=cosign.key', '${artifact}']\n",
      report: [`5 signs[0] -> signing: ${KEY_PAIR}`],
      keyless: false,
    },
    {
      name: "cosign with --key and its value as the next argument is the stack's key pair",
      yaml: "signs:\n  - cmd: cosign\n    artifacts: checksum\n    args: [sign-blob, ' --key ', 'env://COSIGN_KEY']\n",
      report: [`5 signs[0] -> signing: ${KEY_PAIR}`],
      keyless: false,
    },
    {
      name: "a flag that only starts with --key (--keyring) is not a key: keyless",
      yaml: "signs:\n  - cmd: /usr/local/bin/cosign\n    artifacts: checksum\n    args: ['--keyring=x']\n",
      report: [`5 signs[0] -> keyless: ${KEYLESS}`],
      keyless: true,
    },
    {
      name: "cosign.exe is cosign",
      yaml: "signs:\n  - cmd: cosign.exe\n    artifacts: checksum\n    args: ['--key=k']\n",
      report: [`5 signs[0] -> signing: ${KEY_PAIR}`],
      keyless: false,
    },
    {
      name: "gpg (GoReleaser's default cmd) is not carried over, with what slipway signs instead",
      yaml: "signs:\n  - artifacts: checksum\n",
      report: [`5 signs[0] !: gpg: slipway signs with cosign, not gpg; ${CHECKSUMS_SIGNED}`],
      keyless: false,
    },
    {
      name: "a command merely ending in cosign is another signer",
      yaml: "signs:\n  - cmd: mycosign\n    artifacts: checksum\n",
      report: [`5 signs[0] !: mycosign: slipway signs with cosign, not mycosign; ${CHECKSUMS_SIGNED}`],
      keyless: false,
    },
    {
      name: "a wrapper script whose name starts with cosign is another signer",
      yaml: "signs:\n  - cmd: cosign-wrapper.sh\n    artifacts: checksum\n",
      report: [`5 signs[0] !: cosign-wrapper.sh: slipway signs with cosign, not cosign-wrapper.sh; ${CHECKSUMS_SIGNED}`],
      keyless: false,
    },
    {
      name: "values are read trimmed (' cosign ', ' checksum ')",
      yaml: "signs:\n  - cmd: ' cosign '\n    artifacts: ' checksum '\n    args: ['--key=k']\n",
      report: [`5 signs[0] -> signing: ${KEY_PAIR}`],
      keyless: false,
    },
    {
      name: "cosign over every artifact one by one is not carried over",
      yaml: "signs:\n  - cmd: cosign\n    artifacts: all\n    args: ['--key=k']\n",
      report: [`5 signs[0] !: artifacts: all: slipway signs no file one by one; ${CHECKSUMS_SIGNED}`],
      keyless: false,
    },
    {
      name: "no artifacts (GoReleaser's default none) signs nothing, whatever the command",
      yaml: "signs:\n  - cmd: gpg\n  - cmd: cosign\n    artifacts: none\n",
      report: ["5 signs[0] -> (nothing): artifacts: none signs nothing", "6 signs[1] -> (nothing): artifacts: none signs nothing"],
      keyless: false,
    },
    {
      name: "binary_signs: each entry reported, the checksum file covers every binary",
      yaml: "binary_signs:\n  - cmd: cosign\n  - {}\n",
      report: [
        `5 binary_signs[0] !: slipway signs no binary one by one; ${CHECKSUMS_SIGNED}`,
        `6 binary_signs[1] !: slipway signs no binary one by one; ${CHECKSUMS_SIGNED}`,
      ],
      keyless: false,
    },
    {
      name: "docker_signs with a key signs each image index with the key pair; cosign is its default cmd",
      yaml: "docker_signs:\n  - artifacts: manifests\n    args: [sign, '--key=env://K', '${artifact}']\n",
      report: ["5 docker_signs[0] -> signing: the stack's cosign key pair signs each image index (cosign.pub is a release asset)"],
      keyless: false,
    },
    {
      name: "keyless docker_signs alone turn slipway:keyless on",
      yaml: "docker_signs:\n  - artifacts: all\n    args: [sign, --yes, '${artifact}']\n",
      report: ["5 docker_signs[0] -> keyless: Sigstore keyless in GitHub Actions signs each image index; needs id-token: write"],
      keyless: true,
    },
    {
      name: "docker_signs with no artifacts sign nothing; another signer is reported",
      yaml: "docker_signs:\n  - {}\n  - cmd: notation\n    artifacts: images\n",
      report: [
        "5 docker_signs[0] -> (nothing): artifacts: none signs nothing",
        "6 docker_signs[1] !: notation: slipway signs images with cosign (slipway:signing, on by default)",
      ],
      keyless: false,
    },
    {
      name: "a keyless checksum signature stays keyless when a later image signature uses a key",
      yaml: "signs:\n  - cmd: cosign\n    artifacts: checksum\ndocker_signs:\n  - artifacts: all\n    args: ['--key=k']\n",
      report: [
        `5 signs[0] -> keyless: ${KEYLESS}`,
        "8 docker_signs[0] -> signing: the stack's cosign key pair signs each image index (cosign.pub is a release asset)",
      ],
      keyless: true,
    },
    {
      name: "a keyless image signature stays keyless after a keyed checksum signature",
      yaml: "signs:\n  - cmd: cosign\n    artifacts: checksum\n    args: ['--key=k']\ndocker_signs:\n  - artifacts: all\n",
      report: [
        `5 signs[0] -> signing: ${KEY_PAIR}`,
        "9 docker_signs[0] -> keyless: Sigstore keyless in GitHub Actions signs each image index; needs id-token: write",
      ],
      keyless: true,
    },
    {
      name: "sboms become slipway:sbom, naming what GoReleaser catalogued (archives by default)",
      yaml: "sboms:\n  - {}\n  - artifacts: binary\n  - artifacts: none\n",
      report: [
        "5 sboms[0] -> sbom: a CycloneDX SBOM per binary (<binary>.cdx.json) from its Go build information, not one per archive",
        "6 sboms[1] -> sbom: a CycloneDX SBOM per binary (<binary>.cdx.json) from its Go build information, not one per binary",
        "7 sboms[2] -> (nothing): artifacts: none catalogs nothing",
      ],
      keyless: false,
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const m = migrateGoreleaser(`${BUILD}${row.yaml}`, row.github === false ? OFF_GITHUB : ON_GITHUB);
      assert.deepEqual(signingReport(m), row.report);
      assert.equal(m.releaseSettings.keyless, row.keyless ? true : undefined);
      assert.equal("keyless" in m.releaseSettings, row.keyless);
      assert.equal("keyless" in m.settings, false);
    });
  }

  it("a config without any of them reports none of them and adds no setting", () => {
    const m = migrateGoreleaser(BUILD, ON_GITHUB);
    assert.deepEqual(signingReport(m), []);
    assert.deepEqual(Object.keys(m.releaseSettings), ["github"]);
  });
});
