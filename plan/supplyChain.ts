import { byteOrder } from "./assets";
import { SlipwayInputError } from "./errors";
import { ReleasePlan } from "./releasePlan";

/** What a release signs and attests (`slipway:signing`, `slipway:sbom`, `slipway:provenance`). */
export interface SupplyChainSettings {
  /** Sign the image index and the checksums file with the stack's key pair. */
  readonly signing: boolean;
  /** A CycloneDX SBOM per binary as a release asset (and, when signing, per image platform as an attestation). */
  readonly sbom: boolean;
  /** A SLSA v1 provenance statement as a release asset and a signed image attestation. Needs `signing`. */
  readonly provenance: boolean;
  /**
   * Also sign keyless (Sigstore: a Fulcio certificate for the GitHub Actions workflow's OIDC identity,
   * logged in Rekor): the image index, and the checksums file as a `.sigstore.json` bundle. Needs `slipway:github`.
   */
  readonly keyless: boolean;
}

export const SUPPLY_CHAIN_SETTINGS = ["signing", "sbom", "provenance", "keyless"] as const;
export type SupplyChainSetting = (typeof SUPPLY_CHAIN_SETTINGS)[number];

export const DEFAULT_SUPPLY_CHAIN: SupplyChainSettings = { signing: true, sbom: true, provenance: true, keyless: false };

/** The Sigstore services and the OIDC issuer keyless signatures use (the public-good instance, GitHub Actions). */
export const SIGSTORE = {
  fulcioUrl: "https://fulcio.sigstore.dev",
  rekorUrl: "https://rekor.sigstore.dev",
  oidcIssuer: "https://token.actions.githubusercontent.com",
} as const;

/** The certificate identities of a repository's GitHub Actions workflows, as a cosign identity regexp. */
export function workflowIdentityPattern(owner: string, repo: string): string {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return `^https://github\\.com/${escape(owner)}/${escape(repo)}/\\.github/workflows/`;
}

/** The public keys of both key slots, so signatures made before a rotation verify during the overlap. */
export const PUBLIC_KEY_ASSET = "cosign.pub";
export const PROVENANCE_ASSET = "provenance.intoto.jsonl";
export const SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
export const IN_TOTO_STATEMENT_V1 = "https://in-toto.io/Statement/v1";
export const CYCLONEDX_PREDICATE = "https://cyclonedx.org/bom";
/** The build type slipway's provenance records: a release plan run by `pulumi up`. */
export const SLIPWAY_BUILD_TYPE = "urn:slipway:release:v1";

/** Release asset holding the CycloneDX SBOM of one binary. */
export function sbomAssetName(binaryFile: string): string {
  return `${binaryFile}.cdx.json`;
}

/** Release asset holding the keyless Sigstore bundle of the checksums file. */
export function keylessBundleName(checksumsFile: string): string {
  return `${checksumsFile}.sigstore.json`;
}

/** Release asset holding the `cosign sign-blob` bundle of the checksums file. */
export function checksumsBundleName(checksumsFile: string): string {
  return `${checksumsFile}.cosign.bundle`;
}

function flag(value: unknown, setting: SupplyChainSetting): boolean {
  if (value === undefined) return DEFAULT_SUPPLY_CHAIN[setting];
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  const byDefault = DEFAULT_SUPPLY_CHAIN[setting];
  throw new SlipwayInputError(
    setting,
    value,
    "must be true or false",
    `pulumi config set slipway:${setting} ${String(!byDefault)} (or ${String(byDefault)}, the default)`,
  );
}

/**
 * Reads the three settings as Pulumi stores them (`"true"`/`"false"`, unset means on). Provenance is only
 * published signed, so it needs signing.
 */
export function parseSupplyChainSettings(values: Readonly<Record<string, unknown>>): SupplyChainSettings {
  const settings = {
    signing: flag(values.signing, "signing"),
    sbom: flag(values.sbom, "sbom"),
    provenance: flag(values.provenance, "provenance"),
    keyless: flag(values.keyless, "keyless"),
  };
  if (settings.provenance && !settings.signing) {
    throw new SlipwayInputError(
      "provenance",
      true,
      "provenance is published as a signed attestation, which needs slipway:signing",
      "set slipway:signing true, or slipway:provenance false",
    );
  }
  return settings;
}

/** The SBOM of one binary: a release asset, and an image attestation when the binary is in the image. */
export interface SbomPlan {
  /** The binary's file name (`hello_1.4.0_linux_amd64`). */
  readonly binary: string;
  readonly build: string;
  readonly platform: string;
  /** The binary's GOOS and GOARCH. */
  readonly os: string;
  readonly arch: string;
  /** Release asset name: `<binary>.cdx.json`. */
  readonly asset: string;
  /** Whether the image runs this binary on `platform`, so the SBOM is also attested on that platform's image. */
  readonly inImage: boolean;
}

export interface SupplyChainPlan {
  readonly settings: SupplyChainSettings;
  readonly sboms: readonly SbomPlan[];
  /** The image index gets a cosign signature (when the release has an image). */
  readonly signIndex: boolean;
  /** The checksums file and its signature bundle, when signing. */
  readonly checksums: { readonly file: string; readonly bundle: string } | undefined;
  /** Provenance release asset, when on. */
  readonly provenance: string | undefined;
  /** The public keys asset, when signing. */
  readonly publicKey: string | undefined;
  /** Keyless: the checksums file and its Sigstore bundle asset; the index is signed too when there is one. */
  readonly keyless: { readonly file: string; readonly bundle: string } | undefined;
  /** Every release asset this adds, in byte order. */
  readonly assets: readonly string[];
}

/** What gets signed, attested and published beside the release's own assets; refuses names that clash with them. */
export function planSupplyChain(plan: ReleasePlan, settings: SupplyChainSettings): SupplyChainPlan {
  const imageBuild = plan.image.build;
  const sboms: SbomPlan[] = settings.sbom
    ? plan.assets.binaries.map((b) => ({
        binary: b.file,
        build: b.build,
        platform: b.platform,
        os: b.os,
        arch: b.arch,
        asset: sbomAssetName(b.file),
        inImage: b.build === imageBuild && plan.image.platforms.includes(b.platform),
      }))
    : [];
  const checksums = settings.signing
    ? { file: plan.assets.checksums.file, bundle: checksumsBundleName(plan.assets.checksums.file) }
    : undefined;
  const provenance = settings.provenance ? PROVENANCE_ASSET : undefined;
  const publicKey = settings.signing ? PUBLIC_KEY_ASSET : undefined;
  const keyless = settings.keyless
    ? { file: plan.assets.checksums.file, bundle: keylessBundleName(plan.assets.checksums.file) }
    : undefined;

  const owners = new Map<string, SupplyChainSetting>();
  const add = (asset: string | undefined, setting: SupplyChainSetting) => {
    if (asset !== undefined) owners.set(asset, setting);
  };
  sboms.forEach((s) => add(s.asset, "sbom"));
  add(checksums?.bundle, "signing");
  add(publicKey, "signing");
  add(provenance, "provenance");
  add(keyless?.bundle, "keyless");
  const existing = new Set([...plan.assets.checksums.order, plan.assets.checksums.file, ...plan.assets.binaries.map((b) => b.file)]);
  for (const [asset, setting] of owners) {
    if (existing.has(asset)) {
      throw new SlipwayInputError(
        setting,
        settings[setting],
        `the release already has an asset named ${asset}, which slipway:${setting} would publish`,
        `rename that asset (slipway:archives or slipway:checksums), or set slipway:${setting} false`,
      );
    }
  }
  return {
    settings,
    sboms,
    signIndex: settings.signing && plan.image.platforms.length > 0,
    checksums,
    provenance,
    publicKey,
    keyless,
    assets: [...owners.keys()].sort(byteOrder),
  };
}
