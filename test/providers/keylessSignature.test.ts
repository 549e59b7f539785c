// Keyless signing as GitHub Actions would run it, against stand-ins: the job's OIDC token endpoint on
// 127.0.0.1 and a cosign stand-in (Fulcio and Rekor are unreachable here; test/support/cosignStandIn.ts).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/** What the token endpoint answers on other paths than /token: bodies without a usable token. */
const TOKEN_BODIES: Record<string, unknown> = {
  "/no-value": { count: 1 },
  "/empty-value": { value: "" },
  "/number-value": { value: 42 },
  "/null-value": { value: null },
};

describe("keyless signatures in GitHub Actions", () => {
  let server: Server;
  const requests: IncomingMessage[] = [];
  let env: NodeJS.ProcessEnv;
  let origin = "";
  const previousCosign = process.env.SLIPWAY_COSIGN;

  before(async () => {
    server = createServer((request, response) => {
      requests.push(request);
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const ok = request.headers.authorization === `bearer ${JOB_TOKEN}` && url.searchParams.get("audience") === "sigstore";
      response.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      response.end(JSON.stringify(ok ? (TOKEN_BODIES[url.pathname] ?? { value: OIDC_TOKEN }) : { message: "Bad credentials" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env = {
      ...process.env,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${origin}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: JOB_TOKEN,
    };
  });
  after(async () => {
    if (previousCosign === undefined) delete process.env.SLIPWAY_COSIGN;
    else process.env.SLIPWAY_COSIGN = previousCosign;
    await new Promise((resolve) => server.close(resolve));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-keyless-"));
    dirs.push(dir);
    return dir;
  };

  it("asks the job's token endpoint for a Sigstore-audience token with the job's bearer", async () => {
    assert.equal(await githubIdentityToken(env), OIDC_TOKEN);
    const url = new URL(requests.at(-1)?.url ?? "/", "http://127.0.0.1");
    assert.deepEqual([url.searchParams.get("api-version"), url.searchParams.get("audience")], ["2.0", "sigstore"]);
  });

  const endpoints: [string, string, string][] = [
    [
      "a query of its own (GitHub's api-version): the audience is added with &",
      "/token?api-version=2.0",
      "/token?api-version=2.0&audience=sigstore",
    ],
    ["no query: the audience is the query", "/token", "/token?audience=sigstore"],
  ];
  for (const [title, path, asked] of endpoints) {
    it(`asks an endpoint with ${title}, for JSON, with the job's bearer`, async () => {
      assert.equal(await githubIdentityToken({ ...env, ACTIONS_ID_TOKEN_REQUEST_URL: `${origin}${path}` }), OIDC_TOKEN);
      const request = requests.at(-1);
      assert.deepEqual(
        [request?.url, request?.headers.authorization, request?.headers.accept],
        [asked, `bearer ${JOB_TOKEN}`, "application/json"],
      );
    });
  }

  const noToken: [string, () => NodeJS.ProcessEnv][] = [
    ["no token endpoint (not in Actions, or no id-token: write)", () => ({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: JOB_TOKEN })],
    ["no request token", () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: "http://127.0.0.1:1/token" })],
    ["an empty token endpoint", () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: "", ACTIONS_ID_TOKEN_REQUEST_TOKEN: JOB_TOKEN })],
    ["an empty request token", () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: `${origin}/token`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: "" })],
  ];
  for (const [title, partial] of noToken) {
    it(`says what is missing and how to fix it, asking nothing: ${title}`, async () => {
      const asked = requests.length;
      await assert.rejects(githubIdentityToken(partial()), (error: Error) => error.message === NO_OIDC_TOKEN);
      assert.equal(requests.length, asked);
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

  for (const [path, body] of Object.entries(TOKEN_BODIES)) {
    it(`fails when the endpoint answers without a token string: ${JSON.stringify(body)}`, async () => {
      await assert.rejects(
        githubIdentityToken({ ...env, ACTIONS_ID_TOKEN_REQUEST_URL: `${origin}${path}` }),
        (error: Error) => error.message === "the GitHub Actions OIDC token endpoint answered without a token",
      );
    });
  }

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

  it("signs a file into a partial bundle it then writes whole, and adopts it with verify-blob for the identity in the same Rekor", async () => {
    const cosign = cosignStandIn();
    process.env.SLIPWAY_COSIGN = cosign.path;
    const dir = tempDir();
    const sums = join(dir, "SHA256SUMS");
    writeFileSync(sums, `${"a".repeat(64)}  hello_1.4.0_linux_amd64\n`);
    const bundlePath = join(dir, "SHA256SUMS.sigstore.json");
    const blob = inputs("blob", sums, bundlePath);
    const first = await ensureKeylessSignature(blob, env);
    assert.equal(existsSync(`${bundlePath}.partial`), false, "no partial bundle is left behind");
    const bundle = readFileSync(bundlePath);
    const made = { ...blob, adopted: false, bundleSha256: createHash("sha256").update(bundle).digest("hex"), bundleSize: bundle.length };
    assert.deepEqual(first, made);
    assert.deepEqual(await ensureKeylessSignature(blob, env), { ...made, adopted: true });
    assert.deepEqual(
      cosign.calls().map((c) => c.args),
      [
        [
          "sign-blob",
          "--yes",
          "--fulcio-url",
          SIGSTORE.fulcioUrl,
          "--rekor-url",
          SIGSTORE.rekorUrl,
          "--bundle",
          `${bundlePath}.partial`,
          sums,
        ],
        [
          "verify-blob",
          "--bundle",
          bundlePath,
          "--certificate-identity-regexp",
          blob.identityPattern,
          "--certificate-oidc-issuer",
          SIGSTORE.oidcIssuer,
          "--rekor-url",
          SIGSTORE.rekorUrl,
          sums,
        ],
      ],
    );
  });

  it("replaces a bundle that is there but does not verify (left by another run) with a new signature", async () => {
    const cosign = cosignStandIn();
    process.env.SLIPWAY_COSIGN = cosign.path;
    const dir = tempDir();
    const sums = join(dir, "SHA256SUMS");
    writeFileSync(sums, "sums\n");
    const bundlePath = join(dir, "SHA256SUMS.sigstore.json");
    writeFileSync(bundlePath, "stale\n");
    const made = await ensureKeylessSignature(inputs("blob", sums, bundlePath), env);
    assert.equal(made.adopted, false);
    assert.deepEqual(
      cosign.calls().map((c) => c.args[0]),
      ["verify-blob", "sign-blob"],
    );
    assert.equal(
      readFileSync(bundlePath, "utf8"),
      `${JSON.stringify({ mediaType: "application/vnd.dev.sigstore.bundle+json", subject: sums })}\n`,
      "the stale bundle is replaced by the one cosign wrote",
    );
  });

  it("refuses a file signature without a bundle path, before running cosign or asking for a token", async () => {
    const cosign = cosignStandIn();
    process.env.SLIPWAY_COSIGN = cosign.path;
    const asked = requests.length;
    await assert.rejects(
      ensureKeylessSignature(inputs("blob", "/release/SHA256SUMS"), env),
      (e: Error) => e.message === "a keyless blob signature needs bundlePath",
    );
    assert.deepEqual(cosign.calls(), []);
    assert.equal(requests.length, asked);
  });

  it("provider: create signs with this process's environment under a new id; update adopts the signature", async () => {
    const cosign = cosignStandIn();
    process.env.SLIPWAY_COSIGN = cosign.path;
    const saved = [process.env.ACTIONS_ID_TOKEN_REQUEST_URL, process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN];
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = env.ACTIONS_ID_TOKEN_REQUEST_URL;
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = JOB_TOKEN;
    try {
      const image = inputs("image", `127.0.0.1:5000/provider@sha256:${"c".repeat(64)}`);
      const created = await keylessSignatureProvider.create(image);
      assert.match(created.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.deepEqual(created.outs, { ...image, adopted: false, bundleSha256: "", bundleSize: 0 });
      assert.deepEqual(await keylessSignatureProvider.update?.(created.id, created.outs as never, image), {
        outs: { ...image, adopted: true, bundleSha256: "", bundleSize: 0 },
      });
      assert.deepEqual(
        cosign.calls().map((c) => [c.args[0], c.identityToken]),
        [
          ["verify", ""],
          ["sign", OIDC_TOKEN],
          ["verify", ""],
        ],
      );
    } finally {
      const [url, token] = saved;
      if (url === undefined) delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
      else process.env.ACTIONS_ID_TOKEN_REQUEST_URL = url;
      if (token === undefined) delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
      else process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = token;
    }
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
