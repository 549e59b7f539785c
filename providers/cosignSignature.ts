// Signing keys and signatures as resources. A signature that already verifies with the current public key
// is adopted, never made again: ECDSA signatures differ on every run, so re-signing would make every
// `pulumi up` a change. A rotation changes the current key, which re-signs exactly once.
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource } from "./dynamicResource";
import {
  AttestationType,
  CosignKey,
  attestImage,
  blobBundleVerifies,
  generateKeyPair,
  imageSignatureVerifies,
  signBlob,
  signImage,
  verifiedPredicates,
  withRegistryLogin,
} from "./cosign";
import { InputsOf } from "./inputs";
import type { RegistryCredentials } from "./registryClient";
import { writeAtomically } from "./supplyChainFiles";
import { firstPassing } from "./toolkit";

export interface CosignKeyPairInputs {
  /** Slot key from `slotKeys()`: a new key makes a new pair. */
  readonly rotationKey: string;
}

export interface CosignKeyPairOutputs extends CosignKeyPairInputs, CosignKey {}

export const cosignKeyPairProvider: pulumi.dynamic.ResourceProvider<CosignKeyPairInputs, CosignKeyPairOutputs> = {
  async create(inputs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { randomBytes, randomUUID } = require("node:crypto") as typeof import("node:crypto");
    const key = await generateKeyPair(randomBytes(32).toString("base64url"));
    return { id: randomUUID(), outs: { ...inputs, ...key } };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id, olds, news) {
    const replaces = olds.rotationKey === news.rotationKey ? [] : ["rotationKey"];
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async update(_id, olds, news) {
    return { outs: { ...olds, ...news } };
  },
  // The key lives only in state.
  async delete() {},
};

/** One slot's signing key pair; the private key and its password are secrets in state and outputs. */
export class CosignKeyPair extends DynamicResource {
  declare public readonly publicKey: pulumi.Output<string>;
  declare public readonly privateKey: pulumi.Output<string>;
  declare public readonly password: pulumi.Output<string>;

  constructor(name: string, args: InputsOf<CosignKeyPairInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      cosignKeyPairProvider,
      name,
      { ...args, publicKey: undefined, privateKey: undefined, password: undefined },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["privateKey", "password"] }),
      "slipway",
      "CosignKeyPair",
    );
  }
}

export type SignatureKind = "image" | "attestation" | "blob";

export interface CosignSignatureInputs {
  readonly kind: SignatureKind;
  /** `repository@sha256:…` for an image or attestation; the file's absolute path for a blob. */
  readonly subject: string;
  /** What is signed: the image digest or the blob's sha256. */
  readonly digest: string;
  /** Attestations: the predicate type, the file holding the predicate (JSON) and its sha256. */
  readonly attestationType?: AttestationType | undefined;
  readonly predicatePath?: string | undefined;
  readonly predicateSha256?: string | undefined;
  /** Blobs: where the bundle is written. */
  readonly bundlePath?: string | undefined;
  /** The current public key: a signature that verifies with it is adopted. */
  readonly publicKey: string;
  /** The current private key and its password (secrets; used only to sign, never returned). */
  readonly privateKey: string;
  readonly password: string;
  /** Images and attestations: the login for the image's registry (a secret, never returned); none for an open registry. */
  readonly registryCredentials?: RegistryCredentials | undefined;
}

export interface CosignSignatureOutputs extends Omit<CosignSignatureInputs, "privateKey" | "password" | "registryCredentials"> {
  /** True when an existing signature was found to verify and kept. */
  readonly adopted: boolean;
  /** Blobs: the bundle (public), its sha256 and size. */
  readonly bundle: string;
  readonly bundleSha256: string;
  readonly bundleSize: number;
}

/**
 * Whether an attested predicate carries everything in `wanted`. cosign re-encodes known predicate types
 * through its own structs (adding empty fields such as `externalParameters: null`) and may wrap a predicate
 * in `{Data: …}`, so equality of bytes is too strict: every value slipway wrote must be there, unchanged.
 */
export function carriesPredicate(actual: unknown, wanted: unknown): boolean {
  const contains = (a: unknown, w: unknown): boolean => {
    if (Array.isArray(w)) return Array.isArray(a) && a.length === w.length && w.every((item, i) => contains(a[i], item));
    if (w !== null && typeof w === "object") {
      if (a === null || typeof a !== "object" || Array.isArray(a)) return false;
      return Object.entries(w).every(([key, value]) => contains((a as Record<string, unknown>)[key], value));
    }
    return a === w;
  };
  const data = actual !== null && typeof actual === "object" ? (actual as { Data?: unknown }).Data : undefined;
  return contains(actual, wanted) || (data !== undefined && contains(data, wanted));
}

/** Adopts a signature that verifies with the current key, or signs. Exported for tests. */
export async function ensureSignature(inputs: CosignSignatureInputs, previousBundle = ""): Promise<CosignSignatureOutputs> {
  const { privateKey, password, registryCredentials, ...rest } = inputs;
  const key: CosignKey = { privateKey, password, publicKey: inputs.publicKey };
  if (inputs.kind === "blob") {
    const bundlePath = inputs.bundlePath;
    if (bundlePath === undefined) throw new Error("a blob signature needs bundlePath");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { existsSync, readFileSync } = require("node:fs") as typeof import("node:fs");
    const candidates = [existsSync(bundlePath) ? readFileSync(bundlePath, "utf8") : "", previousBundle].filter((b) => b !== "");
    const kept = await firstPassing(candidates, (candidate) => blobBundleVerifies(inputs.subject, candidate, inputs.publicKey));
    const bundle = kept ?? (await signBlob(inputs.subject, key));
    const written = writeAtomically(bundlePath, bundle);
    return { ...rest, adopted: kept !== undefined, bundle, bundleSha256: written.sha256, bundleSize: written.size };
  }
  if (inputs.kind === "image") {
    const adopted = await withRegistryLogin(inputs.subject, registryCredentials, process.env, async (env) => {
      if (await imageSignatureVerifies(inputs.subject, inputs.publicKey, env)) return true;
      await signImage(inputs.subject, key, env);
      return false;
    });
    return { ...rest, adopted, bundle: "", bundleSha256: "", bundleSize: 0 };
  }
  const type = inputs.attestationType;
  if (type === undefined || inputs.predicatePath === undefined) throw new Error("an attestation needs attestationType and predicatePath");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readFileSync } = require("node:fs") as typeof import("node:fs");
  const predicate = readFileSync(inputs.predicatePath, "utf8");
  const wanted = JSON.parse(predicate) as unknown;
  const adopted = await withRegistryLogin(inputs.subject, registryCredentials, process.env, async (env) => {
    if ((await verifiedPredicates(inputs.subject, type, inputs.publicKey, env)).some((p) => carriesPredicate(p, wanted))) return true;
    await attestImage(inputs.subject, type, predicate, key, env);
    return false;
  });
  return { ...rest, adopted, bundle: "", bundleSha256: "", bundleSize: 0 };
}

const COMPARED = ["kind", "subject", "digest", "attestationType", "predicateSha256", "bundlePath", "publicKey"] as const;

/** Whether a signature must be made again: one of the `compared` inputs changed, or a blob's bundle file is gone or changed. */
export function signatureDiff(
  compared: readonly string[],
  olds: object,
  news: { readonly kind: string; readonly bundlePath?: string | undefined },
): pulumi.dynamic.DiffResult {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { existsSync, readFileSync } = require("node:fs") as typeof import("node:fs");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  // olds are the outputs (the inputs and what was made); only the compared inputs count.
  const value = (record: object, key: string) => (record as Readonly<Record<string, unknown>>)[key] ?? "";
  const changed = compared.some((key) => value(olds, key) !== value(news, key));
  const recorded = value(olds, "bundleSha256");
  const bundleLost = (path: string) =>
    !existsSync(path) || (recorded !== "" && createHash("sha256").update(readFileSync(path)).digest("hex") !== recorded);
  const bundleStale = news.kind === "blob" && news.bundlePath !== undefined && bundleLost(news.bundlePath);
  return { changes: changed || bundleStale, replaces: [], deleteBeforeReplace: false };
}

/** What a signature resource reports: whether an existing signature was adopted, and a blob's bundle file. */
export abstract class SignatureResource extends DynamicResource {
  declare public readonly adopted: pulumi.Output<boolean>;
  declare public readonly bundlePath: pulumi.Output<string | undefined>;
  declare public readonly bundleSha256: pulumi.Output<string>;
  declare public readonly bundleSize: pulumi.Output<number>;
}

export const cosignSignatureProvider: pulumi.dynamic.ResourceProvider<CosignSignatureInputs, CosignSignatureOutputs> = {
  async create(inputs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { randomUUID } = require("node:crypto") as typeof import("node:crypto");
    return { id: randomUUID(), outs: await ensureSignature(inputs) };
  },
  // A changed private key alone (same public key) changes nothing: the signature still verifies; nor does a
  // registry login (an ECR token is new on every run).
  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id, olds, news) {
    return signatureDiff(COMPARED, olds, news);
  },
  async update(_id, olds, news) {
    return { outs: await ensureSignature(news, olds.bundle) };
  },
  // Signatures stay in the registry and the release: removing them would un-sign a published release.
  async delete() {},
};

/** A cosign signature or attestation of an image, or the signature bundle of a file. */
export class CosignSignature extends SignatureResource {
  constructor(name: string, args: InputsOf<CosignSignatureInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      cosignSignatureProvider,
      name,
      { ...args, adopted: undefined, bundle: undefined, bundleSha256: undefined, bundleSize: undefined },
      // The outputs leave the key out; listing it keeps it secret should an output ever echo it (and the policy pack asks).
      pulumi.mergeOptions(opts, { retainOnDelete: true, additionalSecretOutputs: ["privateKey", "password", "registryCredentials"] }),
      "slipway",
      "CosignSignature",
    );
  }
}
