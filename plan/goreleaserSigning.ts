// GoReleaser's signs, binary_signs, docker_signs and sboms → slipway:signing, keyless and sbom. slipway signs and
// writes SBOMs by default, so each entry is reported by what it meant: what slipway does for it, or why it differs.
import { Field, Source } from "./goreleaserSource";

/** What the signing keys of a GoReleaser config add to the release stack. */
export interface MappedSigning {
  /** Set when a keyless cosign signature was configured and the release stack publishes to GitHub. */
  readonly keyless?: true;
}

const CHECKSUMS_SIGNED = "slipway:signing (on by default) signs SHA256SUMS, which lists every asset";

interface SignEntry {
  readonly cmd: string;
  readonly artifacts: string;
  readonly withKey: boolean;
}

function signEntry(src: Source, item: Field, defaults: { cmd: string; artifacts: string }): SignEntry {
  const keys = new Map(src.fields(item.node, item.path).map((field) => [field.key, field]));
  const text = (key: string, fallback: string): string => {
    const field = keys.get(key);
    const value = field === undefined ? "" : src.text(field.node).trim();
    return value === "" ? fallback : value;
  };
  const args = keys.get("args");
  const withKey = args !== undefined && src.strings(args.node).some((arg) => /^--key(=|$)/.test(arg.trim()));
  return { cmd: text("cmd", defaults.cmd), artifacts: text("artifacts", defaults.artifacts), withKey };
}

const isCosign = (cmd: string): boolean => /(^|\/)cosign(\.exe)?$/.test(cmd);

/** One cosign signature: with a key it is the stack's key pair; without, keyless (needs the GitHub release). */
function cosignSignature(src: Source, item: Field, entry: SignEntry, what: string, github: boolean): boolean {
  if (entry.withKey) {
    src.map(item, "signing", `the stack's cosign key pair signs ${what} (cosign.pub is a release asset)`);
    return false;
  }
  if (!github) {
    src.unmap(
      item,
      "keyless cosign signing needs the GitHub release (slipway:github); slipway:signing still signs with the stack's key pair",
    );
    return false;
  }
  src.map(
    item,
    "keyless",
    `Sigstore keyless in GitHub Actions signs ${what}${what === "SHA256SUMS" ? " (SHA256SUMS.sigstore.json)" : ""}; needs id-token: write`,
  );
  return true;
}

function signs(src: Source, field: Field, github: boolean): boolean {
  let keyless = false;
  for (const item of src.items(field.node, field.path)) {
    const entry = signEntry(src, item, { cmd: "gpg", artifacts: "none" });
    if (entry.artifacts === "none") src.map(item, "(nothing)", "artifacts: none signs nothing");
    else if (!isCosign(entry.cmd)) {
      src.unmap(item, `${entry.cmd}: slipway signs with cosign, not ${entry.cmd}; ${CHECKSUMS_SIGNED}`);
    } else if (entry.artifacts !== "checksum") {
      src.unmap(item, `artifacts: ${entry.artifacts}: slipway signs no file one by one; ${CHECKSUMS_SIGNED}`);
    } else keyless = cosignSignature(src, item, entry, "SHA256SUMS", github) || keyless;
  }
  return keyless;
}

function dockerSigns(src: Source, field: Field, github: boolean): boolean {
  let keyless = false;
  for (const item of src.items(field.node, field.path)) {
    const entry = signEntry(src, item, { cmd: "cosign", artifacts: "none" });
    if (entry.artifacts === "none") src.map(item, "(nothing)", "artifacts: none signs nothing");
    else if (!isCosign(entry.cmd)) src.unmap(item, `${entry.cmd}: slipway signs images with cosign (slipway:signing, on by default)`);
    else keyless = cosignSignature(src, item, entry, "each image index", github) || keyless;
  }
  return keyless;
}

/** Maps the signing and SBOM keys; `github` says whether the release stack publishes a GitHub release. */
export function mapSigning(src: Source, fields: ReadonlyMap<string, Field>, github: boolean): MappedSigning {
  let keyless = false;
  const signsField = fields.get("signs");
  if (signsField !== undefined) keyless = signs(src, signsField, github);
  const binaryField = fields.get("binary_signs");
  for (const item of binaryField === undefined ? [] : src.items(binaryField.node, binaryField.path)) {
    src.unmap(item, `slipway signs no binary one by one; ${CHECKSUMS_SIGNED}`);
  }
  const dockerField = fields.get("docker_signs");
  if (dockerField !== undefined) keyless = dockerSigns(src, dockerField, github) || keyless;
  const sbomsField = fields.get("sboms");
  for (const item of sbomsField === undefined ? [] : src.items(sbomsField.node, sbomsField.path)) {
    const artifacts = signEntry(src, item, { cmd: "syft", artifacts: "archive" }).artifacts;
    if (artifacts === "none") src.map(item, "(nothing)", "artifacts: none catalogs nothing");
    else src.map(item, "sbom", `a CycloneDX SBOM per binary (<binary>.cdx.json) from its Go build information, not one per ${artifacts}`);
  }
  return keyless ? { keyless: true } : {};
}

/** Top-level keys `mapSigning` reports. */
export const SIGNING_KEYS: readonly string[] = ["signs", "binary_signs", "docker_signs", "sboms"];
