// Keyless signing as GitHub Actions would run it, against stand-ins: the job's OIDC token endpoint on
// 127.0.0.1 and a cosign stand-in (Fulcio and Rekor are unreachable here; test/support/cosignStandIn.ts).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, IncomingMessage, Server } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SIGSTORE, workflowIdentityPattern } from "../../plan/supplyChain";
import {
  KeylessSignatureInputs,
  NO_OIDC_TOKEN,
  ensureKeylessSignature,
  githubIdentityToken,
  keylessSignatureProvider,
} from "../../providers/keylessSignature";
import { cosignStandIn } from "../support/cosignStandIn";

const JOB_TOKEN = "job-request-token";
/** The stand-in cosign takes the token as the identity Fulcio would certify (test/support/cosignStandIn.ts). */
const OIDC_TOKEN = "https://github.com/acme/hello/.github/workflows/release.yml@refs/tags/v1.4.0";

describe("keyless signatures in GitHub Actions", () => {
  let server: Server;
  const requests: IncomingMessage[] = [];
  let env: NodeJS.ProcessEnv;
  const previousCosign = process.env.SLIPWAY_COSIGN;

  before(async () => {
    server = createServer((request, response) => {
      requests.push(request);
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const ok = request.headers.authorization === `bearer ${JOB_TOKEN}` && url.searchParams.get("audience") === "sigstore";
      response.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      response.end(ok ? JSON.stringify({ value: OIDC_TOKEN }) : JSON.stringify({ message: "Bad credentials" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    env = {
      ...process.env,
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: JOB_TOKEN,
    };
  });
  after(async () => {
    if (previousCosign === undefined) delete process.env.SLIPWAY_COSIGN;
    else process.env.SLIPWAY_COSIGN = previousCosign;
    await new Promise((resolve) => server.close(resolve));
  });

  it("asks the job's token endpoint for a Sigstore-audience token with the job's bearer", async () => {
    assert.equal(await githubIdentityToken(env), OIDC_TOKEN);
    const url = new URL(requests.at(-1)?.url ?? "/", "http://127.0.0.1");
    assert.deepEqual([url.searchParams.get("api-version"), url.searchParams.get("audience")], ["2.0", "sigstore"]);
  });

  const noToken: [string, NodeJS.ProcessEnv][] = [
    ["no token endpoint (not in Actions, or no id-token: write)", { ACTIONS_ID_TOKEN_REQUEST_TOKEN: JOB_TOKEN }],
    ["no request token", { ACTIONS_ID_TOKEN_REQUEST_URL: "http://127.0.0.1:1/token" }],
  ];
  for (const [title, partial] of noToken) {
    it(`says what is missing and how to fix it: ${title}`, async () => {
      await assert.rejects(githubIdentityToken(partial), (error: Error) => error.message === NO_OIDC_TOKEN);
      assert.match(
        NO_OIDC_TOKEN,
        /fix: release from a GitHub Actions job with `permissions: id-token: write`, or set slipway:keyless false$/,
      );
    });
  }

  it("fails naming the HTTP status when the endpoint refuses the job's token", async () => {
    await assert.rejects(
      githubIdentityToken({ ...env, ACTIONS_ID_TOKEN_REQUEST_TOKEN: "expired" }),
      /^Error: the GitHub Actions OIDC token request failed: HTTP 401$/,
    );
  });

  const inputs = (kind: "image" | "blob", subject: string, bundlePath?: string): KeylessSignatureInputs => ({
    kind,
    subject,
    digest: `sha256:${"d".repeat(64)}`,
    bundlePath,
    identityPattern: workflowIdentityPattern("acme", "hello"),
    ...SIGSTORE,
  });

  it("signs the index once with the job's identity (token in the environment, never in the arguments), then adopts it", async () => {
    const cosign = cosignStandIn();
    process.env.SLIPWAY_COSIGN = cosign.path;
    const ref = `127.0.0.1:5000/hello@sha256:${"d".repeat(64)}`;
    const first = await ensureKeylessSignature(inputs("image", ref), env);
    assert.equal(first.adopted, false);
    const sign = cosign.calls().find((c) => c.args[0] === "sign");
    assert.deepEqual(sign?.args, ["sign", "--yes", "--fulcio-url", SIGSTORE.fulcioUrl, "--rekor-url", SIGSTORE.rekorUrl, ref]);
    assert.equal(sign?.identityToken, OIDC_TOKEN);
    assert.ok(
      cosign.calls().every((c) => !c.args.join(" ").includes(OIDC_TOKEN)),
      "the token is never an argument",
    );

    const asked = requests.length;
    const second = await ensureKeylessSignature(inputs("image", ref), env);
    assert.equal(second.adopted, true);
    assert.equal(cosign.calls().filter((c) => c.args[0] === "sign").length, 1, "signed exactly once");
    assert.equal(requests.length, asked, "no token is asked for to adopt");
    const verify = cosign.calls().at(-1);
    assert.deepEqual(verify?.args.slice(0, 5), [
      "verify",
      "--certificate-identity-regexp",
      inputs("image", ref).identityPattern,
      "--certificate-oidc-issuer",
      SIGSTORE.oidcIssuer,
    ]);
  });

  it("reads and signs an index in a registry that needs a login with that registry's login only, never the user's own", async () => {
    const cosign = cosignStandIn();
    process.env.SLIPWAY_COSIGN = cosign.path;
    const ref = `ghcr.io/acme/hello@sha256:${"d".repeat(64)}`;
    const login = { username: "acme-bot", password: "ghcr-token" };
    const made = await ensureKeylessSignature(
      { ...inputs("image", ref), registryCredentials: login },
      { ...env, DOCKER_CONFIG: "/home/user/.docker" },
    );
    assert.equal(made.adopted, false);
    assert.equal("registryCredentials" in made, false, "the login is never an output");
    assert.deepEqual(
      cosign.calls().map((c) => [c.args[0], c.registryLogins]),
      [
        ["verify", { "ghcr.io": "acme-bot:ghcr-token" }],
        ["sign", { "ghcr.io": "acme-bot:ghcr-token" }],
      ],
    );
    assert.ok(
      cosign.calls().every((c) => !c.args.join(" ").includes("ghcr-token")),
      "the password is never an argument",
    );
  });

  it("signs the checksums file into its bundle (written whole, its sha256 recorded), then adopts the bundle", async () => {
    const cosign = cosignStandIn();
    process.env.SLIPWAY_COSIGN = cosign.path;
    const dir = mkdtempSync(join(tmpdir(), "slipway-keyless-"));
    const sums = join(dir, "SHA256SUMS");
    writeFileSync(sums, `${"a".repeat(64)}  hello_1.4.0_linux_amd64\n`);
    const bundlePath = join(dir, "SHA256SUMS.sigstore.json");
    const first = await ensureKeylessSignature(inputs("blob", sums, bundlePath), env);
    assert.equal(first.adopted, false);
    assert.equal(first.bundleSha256, createHash("sha256").update(readFileSync(bundlePath)).digest("hex"));
    assert.equal(existsSync(`${bundlePath}.partial`), false, "no partial bundle is left behind");
    const second = await ensureKeylessSignature(inputs("blob", sums, bundlePath), env);
    assert.deepEqual([second.adopted, second.bundleSha256], [true, first.bundleSha256]);
    assert.equal(cosign.calls().filter((c) => c.args[0] === "sign-blob").length, 1);
  });

  it("does not adopt a signature made for another repository's workflows: it signs", async () => {
    const cosign = cosignStandIn();
    process.env.SLIPWAY_COSIGN = cosign.path;
    const ref = `127.0.0.1:5000/other@sha256:${"e".repeat(64)}`;
    await ensureKeylessSignature(inputs("image", ref), env);
    const foreign = await ensureKeylessSignature(
      { ...inputs("image", ref), identityPattern: workflowIdentityPattern("acme", "other") },
      env,
    );
    assert.equal(foreign.adopted, false);
    assert.equal(cosign.calls().filter((c) => c.args[0] === "sign").length, 2);
  });

  it("fails before calling cosign to sign when there is no OIDC token", async () => {
    const cosign = cosignStandIn();
    process.env.SLIPWAY_COSIGN = cosign.path;
    await assert.rejects(
      ensureKeylessSignature(inputs("image", `r@sha256:${"f".repeat(64)}`), {}),
      (e: Error) => e.message === NO_OIDC_TOKEN,
    );
    assert.deepEqual(
      cosign.calls().map((c) => c.args[0]),
      ["verify"],
    );
  });

  const diffs: [string, Partial<KeylessSignatureInputs>, boolean][] = [
    ["nothing changed", {}, false],
    ["a new index digest", { digest: `sha256:${"0".repeat(64)}` }, true],
    ["another identity", { identityPattern: "^https://github\\.com/acme/other/" }, true],
    ["another Rekor (the signature already exists in the log it was made in)", { rekorUrl: "https://rekor.example" }, false],
  ];
  for (const [title, change, expected] of diffs) {
    it(`diff: ${title}`, async () => {
      const olds = { ...inputs("image", "r@x"), adopted: true, bundleSha256: "", bundleSize: 0 };
      const result = await keylessSignatureProvider.diff?.("id", olds, { ...inputs("image", "r@x"), ...change });
      assert.equal(result?.changes, expected);
    });
  }
});
