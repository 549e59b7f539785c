// cosign, run as a program: keyed signing without a transparency log (--tlog-upload=false), verification
// that ignores the log (--insecure-ignore-tlog). Keys never touch a command line or a log: the private key
// is written to a file only this process can read, in a directory removed right after, and its password
// travels in COSIGN_PASSWORD.
import { programOutput } from "./childProcess";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RegistryCredentials } from "./registryClient";

/** A cosign key pair: the encrypted private key (PEM), its password, and the public key (PEM). */
export interface CosignKey {
  readonly privateKey: string;
  readonly password: string;
  readonly publicKey: string;
}

/** Attestation types slipway publishes, as `cosign attest --type` names them. */
export type AttestationType = "cyclonedx" | "slsaprovenance1";

/** The cosign binary: `SLIPWAY_COSIGN`, else `cosign` on PATH (the toolchain puts it there). */
export function cosignBinary(): string {
  return process.env.SLIPWAY_COSIGN ?? "cosign";
}

/** cosign's standard output, never blocking the provider process (see childProcess.ts). */
function run(args: readonly string[], password?: string, cwd?: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return programOutput(
    cosignBinary(),
    args,
    { cwd, env: { ...env, COSIGN_YES: "true", COSIGN_PASSWORD: password ?? "", COSIGN_EXPERIMENTAL: "0" } },
    ({ error }) => new Error(error.message, { cause: error }),
  );
}

/** Runs cosign with `args` in `env` (defaults to this process's); rejects with its output when it fails. */
export function runCosign(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return run(args, undefined, undefined, env);
}

/** Whether cosign with `args` succeeds (a verification). */
export function cosignSucceeds(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<boolean> {
  return succeeds(() => run(args, undefined, undefined, env));
}

/** Runs `body` with the named files written (mode 0600) to a fresh private directory, removed once it has settled. */
async function withFiles<T>(files: Readonly<Record<string, string>>, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "slipway-cosign-"));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content, { mode: 0o600 });
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function succeeds(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    return true;
  } catch {
    return false;
  }
}

const DOCKER_HUB_HOSTS = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

/**
 * Docker's `config.json` holding one login for the registry of `ref` (`host[:port]/path…`), the file cosign
 * reads credentials from. Docker Hub's login is looked up under its legacy index address.
 */
export function dockerConfigFor(ref: string, login: RegistryCredentials): string {
  const host = ref.split("/")[0] ?? ref;
  const auth = { auth: Buffer.from(`${login.username}:${login.password}`).toString("base64") };
  const hosts = DOCKER_HUB_HOSTS.has(host) ? [host, "https://index.docker.io/v1/"] : [host];
  return `${JSON.stringify({ auths: Object.fromEntries(hosts.map((h) => [h, auth])) })}\n`;
}

/**
 * Runs `body` with `env` whose DOCKER_CONFIG is a private directory holding only the login for `ref`'s
 * registry, removed afterwards; without a login, with `env` as it is (an open registry, or the user's own
 * docker login).
 */
export function withRegistryLogin<T>(
  ref: string,
  login: RegistryCredentials | undefined,
  env: NodeJS.ProcessEnv,
  body: (env: NodeJS.ProcessEnv) => Promise<T>,
): Promise<T> {
  if (login === undefined) return body(env);
  return withFiles({ "config.json": dockerConfigFor(ref, login) }, (dir) => body({ ...env, DOCKER_CONFIG: dir }));
}

/** A new ECDSA P-256 key pair, the private key encrypted with `password`. */
export function generateKeyPair(password: string): Promise<CosignKey> {
  return withFiles({}, async (dir) => {
    await run(["generate-key-pair"], password, dir);
    return {
      privateKey: readFileSync(join(dir, "cosign.key"), "utf8"),
      password,
      publicKey: readFileSync(join(dir, "cosign.pub"), "utf8"),
    };
  });
}

/** Signs an image (`repository@sha256:…`); the signature is pushed beside it in the registry. cosign runs in `env` (defaults to this process's). */
export async function signImage(ref: string, key: CosignKey, env?: NodeJS.ProcessEnv): Promise<void> {
  await withFiles({ "cosign.key": key.privateKey }, (dir) =>
    run(["sign", "--key", join(dir, "cosign.key"), "--tlog-upload=false", ref], key.password, undefined, env),
  );
}

/** Whether the image has a signature that verifies with `publicKey`; cosign runs in `env` (defaults to this process's). */
export function imageSignatureVerifies(ref: string, publicKey: string, env?: NodeJS.ProcessEnv): Promise<boolean> {
  return withFiles({ "cosign.pub": publicKey }, (dir) =>
    succeeds(() => run(["verify", "--key", join(dir, "cosign.pub"), "--insecure-ignore-tlog=true", ref], undefined, undefined, env)),
  );
}

/** Attaches a signed in-toto attestation of `type` with `predicate` (JSON text) to the image; cosign runs in `env` (defaults to this process's). */
export async function attestImage(
  ref: string,
  type: AttestationType,
  predicate: string,
  key: CosignKey,
  env?: NodeJS.ProcessEnv,
): Promise<void> {
  await withFiles({ "cosign.key": key.privateKey, "predicate.json": predicate }, (dir) =>
    run(
      ["attest", "--key", join(dir, "cosign.key"), "--type", type, "--predicate", join(dir, "predicate.json"), "--tlog-upload=false", ref],
      key.password,
      undefined,
      env,
    ),
  );
}

/** Predicates of the image's attestations of `type` that verify with `publicKey` (empty when none do); cosign runs in `env`. */
export function verifiedPredicates(ref: string, type: AttestationType, publicKey: string, env?: NodeJS.ProcessEnv): Promise<unknown[]> {
  return withFiles({ "cosign.pub": publicKey }, async (dir) => {
    let output: string;
    try {
      output = await run(
        ["verify-attestation", "--key", join(dir, "cosign.pub"), "--type", type, "--insecure-ignore-tlog=true", ref],
        undefined,
        undefined,
        env,
      );
    } catch {
      return [];
    }
    return output
      .split("\n")
      .filter((line) => line.trim().startsWith("{"))
      .map((line) => {
        const envelope = JSON.parse(line) as { payload?: string };
        const statement = JSON.parse(Buffer.from(envelope.payload ?? "", "base64").toString("utf8")) as { predicate?: unknown };
        return statement.predicate;
      });
  });
}

/** A `cosign sign-blob` bundle (JSON text) of the file. */
export function signBlob(path: string, key: CosignKey): Promise<string> {
  return withFiles({ "cosign.key": key.privateKey }, async (dir) => {
    const bundle = join(dir, "bundle.json");
    await run(["sign-blob", "--key", join(dir, "cosign.key"), "--tlog-upload=false", "--bundle", bundle, path], key.password);
    return readFileSync(bundle, "utf8");
  });
}

/** Whether `bundle` holds a signature of the file that verifies with `publicKey`; cosign runs in `env` (defaults to this process's). */
export function blobBundleVerifies(path: string, bundle: string, publicKey: string, env?: NodeJS.ProcessEnv): Promise<boolean> {
  return withFiles({ "cosign.pub": publicKey, "bundle.json": bundle }, (dir) =>
    succeeds(() =>
      run(
        ["verify-blob", "--key", join(dir, "cosign.pub"), "--bundle", join(dir, "bundle.json"), "--insecure-ignore-tlog=true", path],
        undefined,
        undefined,
        env,
      ),
    ),
  );
}
