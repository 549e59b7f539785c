// Keyless (Sigstore) signatures made in GitHub Actions: cosign gets a short-lived Fulcio certificate for the
// workflow's OIDC identity and logs the signature in Rekor. The job's OIDC token is asked for only when
// signing (it changes on every run, so it is never an input); a signature that already verifies for the
// repository's workflows is adopted, never made again, so a second `pulumi up` changes nothing.
import * as pulumi from "@pulumi/pulumi";
import { cosignSucceeds, runCosign, withRegistryLogin } from "./cosign";
import { SignatureResource, signatureDiff } from "./cosignSignature";
import { InputsOf } from "./inputs";
import type { RegistryCredentials } from "./registryClient";
import { writeAtomically } from "./supplyChainFiles";

export interface KeylessSignatureInputs {
  readonly kind: "image" | "blob";
  /** `repository@sha256:…` for an image; the file's absolute path for a blob. */
  readonly subject: string;
  /** What is signed: the image digest or the blob's sha256. */
  readonly digest: string;
  /** Blobs: where the Sigstore bundle is written. */
  readonly bundlePath?: string | undefined;
  /** The certificate identities that count (`^https://github\.com/<owner>/<repo>/\.github/workflows/`). */
  readonly identityPattern: string;
  readonly oidcIssuer: string;
  readonly fulcioUrl: string;
  readonly rekorUrl: string;
  /** Images: the login for the image's registry (a secret, never returned); none for an open registry. */
  readonly registryCredentials?: RegistryCredentials | undefined;
}

export interface KeylessSignatureOutputs extends Omit<KeylessSignatureInputs, "registryCredentials"> {
  /** True when an existing signature was found to verify and kept. */
  readonly adopted: boolean;
  readonly bundleSha256: string;
  readonly bundleSize: number;
}

/** Why keyless signing cannot run here, with the fix. */
export const NO_OIDC_TOKEN =
  "keyless signing needs the GitHub Actions OIDC token, and ACTIONS_ID_TOKEN_REQUEST_URL or ACTIONS_ID_TOKEN_REQUEST_TOKEN is unset; fix: release from a GitHub Actions job with `permissions: id-token: write`, or set slipway:keyless false";

/** The job's OIDC token for Sigstore (audience `sigstore`), from GitHub Actions' token endpoint. */
export async function githubIdentityToken(env: NodeJS.ProcessEnv, fetchImpl: typeof fetch = fetch): Promise<string> {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (url === undefined || url === "" || bearer === undefined || bearer === "") throw new Error(NO_OIDC_TOKEN);
  const response = await fetchImpl(`${url}${url.includes("?") ? "&" : "?"}audience=sigstore`, {
    headers: { Authorization: `bearer ${bearer}`, Accept: "application/json" },
  });
  if (!response.ok) throw new Error(`the GitHub Actions OIDC token request failed: HTTP ${response.status}`);
  const body = (await response.json()) as { value?: unknown };
  if (typeof body.value !== "string" || body.value === "")
    throw new Error("the GitHub Actions OIDC token endpoint answered without a token");
  return body.value;
}

/** Adopts a signature that verifies for the identity pattern, or signs with the job's identity. Exported for tests. */
export async function ensureKeylessSignature(
  inputs: KeylessSignatureInputs,
  env: NodeJS.ProcessEnv = process.env,
  fetchImpl: typeof fetch = fetch,
): Promise<KeylessSignatureOutputs> {
  const { registryCredentials, ...rest } = inputs;
  const trust = ["--certificate-identity-regexp", inputs.identityPattern, "--certificate-oidc-issuer", inputs.oidcIssuer];
  const where = ["--rekor-url", inputs.rekorUrl];
  const signWith = async () => ({ ...env, SIGSTORE_ID_TOKEN: await githubIdentityToken(env, fetchImpl) });
  if (inputs.kind === "blob") {
    const bundlePath = inputs.bundlePath;
    if (bundlePath === undefined) throw new Error("a keyless blob signature needs bundlePath");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { existsSync, readFileSync, rmSync } = require("node:fs") as typeof import("node:fs");
    const adopted =
      existsSync(bundlePath) && (await cosignSucceeds(["verify-blob", "--bundle", bundlePath, ...trust, ...where, inputs.subject], env));
    if (!adopted) {
      await runCosign(
        ["sign-blob", "--yes", "--fulcio-url", inputs.fulcioUrl, ...where, "--bundle", `${bundlePath}.partial`, inputs.subject],
        await signWith(),
      );
    }
    const bundle = adopted ? readFileSync(bundlePath, "utf8") : readFileSync(`${bundlePath}.partial`, "utf8");
    const written = writeAtomically(bundlePath, bundle);
    rmSync(`${bundlePath}.partial`, { force: true });
    return { ...rest, adopted, bundleSha256: written.sha256, bundleSize: written.size };
  }
  const adopted = await withRegistryLogin(inputs.subject, registryCredentials, env, (loggedIn) =>
    cosignSucceeds(["verify", ...trust, ...where, inputs.subject], loggedIn),
  );
  if (!adopted) {
    const signEnv = await signWith();
    await withRegistryLogin(inputs.subject, registryCredentials, signEnv, (loggedIn) =>
      runCosign(["sign", "--yes", "--fulcio-url", inputs.fulcioUrl, ...where, inputs.subject], loggedIn),
    );
  }
  return { ...rest, adopted, bundleSha256: "", bundleSize: 0 };
}

const COMPARED = ["kind", "subject", "digest", "bundlePath", "identityPattern", "oidcIssuer"] as const;

export const keylessSignatureProvider: pulumi.dynamic.ResourceProvider<KeylessSignatureInputs, KeylessSignatureOutputs> = {
  async create(inputs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { randomUUID } = require("node:crypto") as typeof import("node:crypto");
    return { id: randomUUID(), outs: await ensureKeylessSignature(inputs) };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id, olds, news) {
    return signatureDiff(COMPARED, olds, news);
  },
  async update(_id, _olds, news) {
    return { outs: await ensureKeylessSignature(news) };
  },
  // Signatures stay in the registry, the release and the transparency log.
  async delete() {},
};

/** A keyless Sigstore signature of an image, or the bundle of a file, for the GitHub Actions workflow's identity. */
export class KeylessSignature extends SignatureResource {
  constructor(name: string, args: InputsOf<KeylessSignatureInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      keylessSignatureProvider,
      name,
      { ...args, adopted: undefined, bundleSha256: undefined, bundleSize: undefined },
      pulumi.mergeOptions(opts, { retainOnDelete: true, additionalSecretOutputs: ["registryCredentials"] }),
      "slipway",
      "KeylessSignature",
    );
  }
}
