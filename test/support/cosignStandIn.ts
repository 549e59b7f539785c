// A stand-in for cosign's keyless commands, for what cannot run here (Fulcio, Rekor and GitHub's OIDC
// issuer are unreachable): it records each call (arguments and the SIGSTORE_ID_TOKEN it was given), makes
// `sign`/`sign-blob` leave a signature (a marker per subject, and the bundle file cosign would write), and
// makes `verify`/`verify-blob` succeed only for a subject signed so and an identity regexp it was signed for.
// The identity token stands for the certificate identity Fulcio would issue for it: tests pass the workflow's
// identity (`https://github.com/<owner>/<repo>/.github/workflows/<file>@<ref>`) as the token.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CosignCall {
  readonly args: string[];
  readonly identityToken: string;
  /** The registry logins cosign could read (`$DOCKER_CONFIG/config.json`'s auths, decoded `user:password` by host); empty without one. */
  readonly registryLogins: Record<string, string>;
}

export interface CosignStandIn {
  /** The executable: point SLIPWAY_COSIGN at it. */
  readonly path: string;
  calls(): CosignCall[];
}

const SCRIPT = `#!/usr/bin/env node
const fs = require("node:fs");
const path = require("node:path");
const dir = __dirname;
const args = process.argv.slice(2);
const dockerConfig = path.join(process.env.DOCKER_CONFIG ?? "/nonexistent", "config.json");
const auths = fs.existsSync(dockerConfig) ? JSON.parse(fs.readFileSync(dockerConfig, "utf8")).auths : {};
const registryLogins = Object.fromEntries(Object.entries(auths).map(([host, a]) => [host, Buffer.from(a.auth, "base64").toString()]));
fs.appendFileSync(path.join(dir, "calls.jsonl"), JSON.stringify({ args, identityToken: process.env.SIGSTORE_ID_TOKEN ?? "", registryLogins }) + "\\n");
const subject = args[args.length - 1];
const marker = path.join(dir, "signed-" + Buffer.from(subject).toString("hex"));
const flag = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1]; };
if (args[0] === "sign" || args[0] === "sign-blob") {
  if ((process.env.SIGSTORE_ID_TOKEN ?? "") === "") { console.error("no identity token"); process.exit(1); }
  fs.writeFileSync(marker, process.env.SIGSTORE_ID_TOKEN);
  const bundle = flag("--bundle");
  if (bundle !== undefined) fs.writeFileSync(bundle, JSON.stringify({ mediaType: "application/vnd.dev.sigstore.bundle+json", subject }) + "\\n");
  process.exit(0);
}
if (args[0] === "verify" || args[0] === "verify-blob") {
  const identity = new RegExp(flag("--certificate-identity-regexp") ?? "^$");
  const bundle = flag("--bundle");
  const signed = fs.existsSync(marker) && identity.test(fs.readFileSync(marker, "utf8"));
  process.exit(signed && (bundle === undefined || fs.existsSync(bundle)) ? 0 : 1);
}
console.error("unexpected cosign call: " + args.join(" "));
process.exit(2);
`;

/** A new stand-in in its own directory (no signatures yet). */
export function cosignStandIn(): CosignStandIn {
  const dir = mkdtempSync(join(tmpdir(), "slipway-cosign-stand-in-"));
  const path = join(dir, "cosign");
  writeFileSync(path, SCRIPT);
  chmodSync(path, 0o755);
  return {
    path,
    calls: () => {
      const log = join(dir, "calls.jsonl");
      if (!existsSync(log)) return [];
      return readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as CosignCall);
    },
  };
}
