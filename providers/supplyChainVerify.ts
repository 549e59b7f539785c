// `slipway verify`'s supply-chain checks: signatures (index, checksums) with the published keys, SBOMs that
// list the binary's modules, provenance subjects that match what the stack recorded. cosign and
// `go version -m` do the reading; a miss is a failed check, never an exception.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SIGSTORE, SupplyChainPlan } from "../plan/supplyChain";
import { CheckItem } from "../plan/verifyChecklist";
import { blobBundleVerifies, cosignSucceeds, imageSignatureVerifies, withRegistryLogin } from "./cosign";
import type { RegistryCredentials } from "./registryClient";
import { sbomModules } from "./supplyChainFiles";
import { firstPassing } from "./toolkit";

export interface SupplyChainVerifyInput {
  readonly chain: SupplyChainPlan;
  /** A directory holding the release's files (the local release, or what was downloaded from GitHub); undefined when they cannot be read. */
  readonly releaseDir: string | undefined;
  /** Why the files cannot be read, when `releaseDir` is undefined. Defaults to "the release's files cannot be read". */
  readonly unreadable?: string;
  /** Asset name → sha256, as recorded by the stack. */
  readonly assets: Readonly<Record<string, string>>;
  /** Recorded image indexes: repository, index digest and the registry's login (none for an open registry), one per registry. */
  readonly images: readonly VerifiedImage[];
  /** `--allow-unchecked` names; {@link SUPPLY_CHAIN_CHECK} lets a GitHub release's supply chain go unchecked. Defaults to none. */
  readonly allowUnchecked?: readonly string[];
  /** The certificate identities keyless signatures must carry (`workflowIdentityPattern`); required when the chain signs keyless. */
  readonly keylessIdentity?: string;
  /** Environment cosign and go run in (the toolchain's PATH). Defaults to this process's. */
  readonly toolEnv?: NodeJS.ProcessEnv;
}

export interface VerifiedImage {
  readonly repository: string;
  readonly digest: string;
  readonly credentials?: RegistryCredentials | undefined;
}

/** The `--allow-unchecked` name of the supply-chain checks when the release's files cannot be read (GitHub unreachable). */
export const SUPPLY_CHAIN_CHECK = "supply-chain";

/** The PEM public keys in a `cosign.pub` (slipway publishes both slots', current first). */
export function publicKeysOf(text: string): string[] {
  return [...text.matchAll(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g)].map((m) => `${m[0]}\n`);
}

/** `path@version` of every module `go version -m` lists as a dependency of the binary. */
export function binaryModules(binary: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const run = spawnSync("go", ["version", "-m", binary], { encoding: "utf8", env: { ...env, GOTOOLCHAIN: "local" } });
  if (run.status !== 0) {
    const reason =
      run.error?.message ?? (run.stderr.trim().split("\n").pop() || `no Go build information (exit status ${String(run.status)})`);
    throw new Error(`go version -m ${binary}: ${reason}`);
  }
  return run.stdout
    .split("\n")
    .map((line) => line.trim().split("\t"))
    .filter((fields) => fields[0] === "dep" && fields.length >= 3)
    .map((fields) => `${fields[1]}@${fields[2]}`)
    .sort();
}

const item = (id: string, ok: boolean, title: string, detail: string): CheckItem => ({ id, status: ok ? "pass" : "fail", title, detail });
const skip = (id: string, title: string, detail: string): CheckItem => ({ id, status: "skip", title, detail });

function provenanceItems(input: SupplyChainVerifyInput, text: string): CheckItem[] {
  let subjects: { name: string; digest: { sha256: string } }[];
  try {
    subjects = (JSON.parse(text) as { subject: typeof subjects }).subject;
  } catch {
    return [item("provenance.subjects", false, "provenance is an in-toto statement", "provenance.intoto.jsonl is not JSON")];
  }
  const covered = new Set([input.chain.publicKey, input.chain.checksums?.bundle, input.chain.keyless?.bundle, input.chain.provenance]);
  // The file covers the release's files; the index is covered by its own attestation (see SupplyChain).
  const wanted: [string, string][] = Object.entries(input.assets).filter(([name]) => !covered.has(name));
  const misses = wanted.filter(([name, sha]) => !subjects.some((s) => s.name === name && s.digest.sha256 === sha)).map(([name]) => name);
  return [
    item(
      "provenance.subjects",
      misses.length === 0,
      "provenance subjects match every recorded asset",
      misses.length === 0 ? `${wanted.length} subjects` : `not matching: ${misses.join(", ")}`,
    ),
  ];
}

/** Keyless (Sigstore) signatures of the checksums file and each index, for the repository's workflows. */
async function keylessItems(
  input: SupplyChainVerifyInput,
  keyless: { readonly file: string; readonly bundle: string },
  file: (name: string) => string | undefined,
): Promise<CheckItem[]> {
  const identity = input.keylessIdentity ?? "";
  const trust = ["--certificate-identity-regexp", identity, "--certificate-oidc-issuer", SIGSTORE.oidcIssuer];
  const sums = file(keyless.file);
  const bundle = file(keyless.bundle);
  const signed =
    identity !== "" &&
    sums !== undefined &&
    bundle !== undefined &&
    existsSync(sums) &&
    existsSync(bundle) &&
    (await cosignSucceeds(["verify-blob", "--bundle", bundle, ...trust, sums], input.toolEnv));
  const items = [
    item(
      "keyless.checksums",
      signed,
      `${keyless.file} is signed keyless (${keyless.bundle})`,
      signed ? "verified" : "no keyless signature verifies",
    ),
  ];
  for (const image of input.images) {
    const ref = `${image.repository}@${image.digest}`;
    const ok =
      identity !== "" &&
      (await withRegistryLogin(ref, image.credentials, input.toolEnv ?? process.env, (env) =>
        cosignSucceeds(["verify", ...trust, ref], env),
      ));
    items.push(
      item(
        `keyless.index.${image.repository}`,
        ok,
        `the index ${ref} is signed keyless`,
        ok ? "verified" : "no keyless signature verifies",
      ),
    );
  }
  return items;
}

/** The release files the checks read: keys, checksums and their bundle, SBOMs and the binaries they describe, provenance. */
export function supplyChainFiles(chain: SupplyChainPlan): string[] {
  const names = [
    chain.publicKey,
    chain.checksums?.file,
    chain.checksums?.bundle,
    chain.keyless?.file,
    chain.keyless?.bundle,
    ...chain.sboms.flatMap((s) => [s.asset, s.binary]),
    chain.provenance,
  ];
  return [...new Set(names.filter((n): n is string => n !== undefined))].sort();
}

export async function verifySupplyChain(input: SupplyChainVerifyInput): Promise<CheckItem[]> {
  const { chain, releaseDir } = input;
  const items: CheckItem[] = [];
  const file = (name: string) => (releaseDir === undefined ? undefined : join(releaseDir, name));
  const read = (name: string) => {
    const path = file(name);
    return path !== undefined && existsSync(path) ? readFileSync(path, "utf8") : undefined;
  };
  if (releaseDir === undefined) {
    if (chain.assets.length === 0) return items;
    const reason = input.unreadable ?? "the release's files cannot be read";
    items.push(
      (input.allowUnchecked ?? []).includes(SUPPLY_CHAIN_CHECK)
        ? skip(SUPPLY_CHAIN_CHECK, "signatures, SBOMs and provenance", `not checked (--allow-unchecked ${SUPPLY_CHAIN_CHECK}): ${reason}`)
        : item(
            SUPPLY_CHAIN_CHECK,
            false,
            "signatures, SBOMs and provenance",
            `cannot be checked: ${reason}; --allow-unchecked ${SUPPLY_CHAIN_CHECK} accepts that`,
          ),
    );
    return items;
  }
  const keys = chain.publicKey === undefined ? [] : publicKeysOf(read(chain.publicKey) ?? "");
  if (chain.publicKey !== undefined) {
    items.push(item("signing.keys", keys.length > 0, `${chain.publicKey} holds the stack's public keys`, `${keys.length} keys`));
  }
  if (chain.signIndex) {
    for (const image of input.images) {
      const ref = `${image.repository}@${image.digest}`;
      const ok = await withRegistryLogin(ref, image.credentials, input.toolEnv ?? process.env, (env) =>
        firstPassing(keys, (key) => imageSignatureVerifies(ref, key, env)).then((key) => key !== undefined),
      );
      items.push(
        item(
          `signing.index.${image.repository}`,
          ok,
          `the index ${ref} is signed by a published key`,
          ok ? "verified" : "no signature verifies",
        ),
      );
    }
  }
  if (chain.checksums !== undefined) {
    const sums = file(chain.checksums.file) as string;
    const bundle = read(chain.checksums.bundle) ?? "";
    const ok = existsSync(sums) && (await firstPassing(keys, (key) => blobBundleVerifies(sums, bundle, key, input.toolEnv))) !== undefined;
    items.push(
      item(
        "signing.checksums",
        ok,
        `${chain.checksums.file} is signed (${chain.checksums.bundle})`,
        ok ? "verified" : "no signature verifies",
      ),
    );
  }
  if (chain.keyless !== undefined) items.push(...(await keylessItems(input, chain.keyless, file)));
  for (const sbom of chain.sboms) {
    const text = read(sbom.asset);
    const binary = file(sbom.binary) as string;
    let detail = "missing";
    let ok = false;
    if (text !== undefined) {
      try {
        const listed = new Set(sbomModules(text));
        const missing = existsSync(binary) ? binaryModules(binary, input.toolEnv).filter((m) => !listed.has(m)) : [];
        ok = missing.length === 0;
        detail = ok ? `${listed.size} components` : `does not list ${missing.join(", ")}`;
      } catch (error) {
        detail = error instanceof Error ? (error.message.split("\n")[0] ?? "unreadable") : "unreadable";
      }
    }
    items.push(item(`sbom.${sbom.binary}`, ok, `${sbom.asset} lists the binary's modules`, detail));
  }
  if (chain.provenance !== undefined) {
    const text = read(chain.provenance);
    items.push(
      ...(text === undefined
        ? [item("provenance.subjects", false, "provenance is published", `no ${chain.provenance}`)]
        : provenanceItems(input, text)),
    );
  }
  return items;
}
