// How cosign is run: its binary, side by side with other runs, and a registry login as Docker's config.json
// in a private DOCKER_CONFIG for one run.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cosignBinary, cosignSucceeds, dockerConfigFor, generateKeyPair, runCosign, withRegistryLogin } from "../../providers/cosign";

const LOGIN = { username: "release-bot", password: "s3cret" };
const AUTH = { auth: Buffer.from("release-bot:s3cret").toString("base64") };

describe("cosign runs", () => {
  it("run side by side: every signature of an update is made in one provider process, so none may wait for another", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-cosign-runs-"));
    const calls = join(dir, "calls");
    const standIn = join(dir, "cosign");
    writeFileSync(
      standIn,
      `#!/bin/sh\nprintf 'start\\n' >> '${calls}'\nsleep 0.4\nprintf 'end\\n' >> '${calls}'\nprintf '%s|%s|%s\\n' "$*" "$COSIGN_YES" "$COSIGN_PASSWORD"\n[ "$1" != fail ]\n`,
      { mode: 0o755 },
    );
    const saved = process.env.SLIPWAY_COSIGN;
    process.env.SLIPWAY_COSIGN = standIn;
    try {
      const [signed, verified, failed] = await Promise.all([
        runCosign(["sign", "one"]),
        cosignSucceeds(["verify", "two"]),
        cosignSucceeds(["fail", "three"]),
      ]);
      assert.equal(signed, "sign one|true|\n");
      assert.deepEqual([verified, failed], [true, false]);
      assert.deepEqual(readFileSync(calls, "utf8").trim().split("\n"), ["start", "start", "start", "end", "end", "end"]);
      await assert.rejects(runCosign(["fail", "four"]), (error: Error) => {
        assert.match(String(error), /^Error: Command failed: \S+cosign fail four\n$/);
        assert.equal((error.cause as { code?: unknown } | undefined)?.code, 1, "cosign's own exit is kept as the cause");
        return true;
      });
    } finally {
      if (saved === undefined) delete process.env.SLIPWAY_COSIGN;
      else process.env.SLIPWAY_COSIGN = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("cosign key pairs", () => {
  it("are generated with the password in COSIGN_PASSWORD, in a private directory removed afterwards", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-cosign-keys-"));
    const standIn = join(dir, "cosign");
    // Writes the key files where it runs, the private one holding the password it was given and that directory.
    writeFileSync(standIn, `#!/bin/sh\nprintf '%s in %s' "$COSIGN_PASSWORD" "$PWD" > cosign.key\nprintf 'public' > cosign.pub\n`, {
      mode: 0o755,
    });
    const saved = process.env.SLIPWAY_COSIGN;
    process.env.SLIPWAY_COSIGN = standIn;
    try {
      const key = await generateKeyPair("correct horse");
      const [password, where] = key.privateKey.split(" in ");
      assert.equal(password, "correct horse");
      assert.deepEqual({ password: key.password, publicKey: key.publicKey }, { password: "correct horse", publicKey: "public" });
      assert.match(where ?? "", /slipway-cosign-/);
      assert.equal(existsSync(where ?? ""), false, "the key directory is removed");
    } finally {
      if (saved === undefined) delete process.env.SLIPWAY_COSIGN;
      else process.env.SLIPWAY_COSIGN = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the cosign binary", () => {
  it("is SLIPWAY_COSIGN when set, else cosign on PATH", () => {
    const saved = process.env.SLIPWAY_COSIGN;
    try {
      process.env.SLIPWAY_COSIGN = "/opt/tools/cosign";
      assert.equal(cosignBinary(), "/opt/tools/cosign");
      delete process.env.SLIPWAY_COSIGN;
      assert.equal(cosignBinary(), "cosign");
    } finally {
      if (saved === undefined) delete process.env.SLIPWAY_COSIGN;
      else process.env.SLIPWAY_COSIGN = saved;
    }
  });
});

describe("cosign registry logins", () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ["a registry with a port", "127.0.0.1:5000/acme/hello@sha256:abc", { "127.0.0.1:5000": AUTH }],
    ["GHCR", "ghcr.io/acme/hello@sha256:abc", { "ghcr.io": AUTH }],
    ["ECR", "123456789012.dkr.ecr.us-east-1.amazonaws.com/hello", { "123456789012.dkr.ecr.us-east-1.amazonaws.com": AUTH }],
    ["Docker Hub, also under its legacy index address", "docker.io/acme/hello", { "docker.io": AUTH, "https://index.docker.io/v1/": AUTH }],
    ["Docker Hub's index host", "index.docker.io/acme/hello", { "index.docker.io": AUTH, "https://index.docker.io/v1/": AUTH }],
    [
      "Docker Hub's registry host",
      "registry-1.docker.io/acme/hello",
      { "registry-1.docker.io": AUTH, "https://index.docker.io/v1/": AUTH },
    ],
  ];
  for (const [title, ref, auths] of cases) {
    it(`config.json for ${title}`, () => {
      assert.deepEqual(JSON.parse(dockerConfigFor(ref, LOGIN)), { auths });
    });
  }

  it("runs with a private DOCKER_CONFIG holding the login, removed once the run has settled; the caller's environment is untouched", async () => {
    const env = { PATH: "/usr/bin", DOCKER_CONFIG: "/home/user/.docker" };
    let seen = "";
    const result = await withRegistryLogin("ghcr.io/acme/hello", LOGIN, env, async (runEnv) => {
      seen = runEnv.DOCKER_CONFIG ?? "";
      assert.notEqual(seen, "/home/user/.docker");
      assert.equal(runEnv.PATH, "/usr/bin");
      const file = join(seen, "config.json");
      assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), { auths: { "ghcr.io": AUTH } });
      assert.equal(statSync(file).mode & 0o077, 0, "only this user reads the login");
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(existsSync(file), true, "the login stays while the run is pending");
      return 42;
    });
    assert.equal(result, 42);
    assert.equal(existsSync(seen), false, "the login is removed after the run");
    assert.deepEqual(env, { PATH: "/usr/bin", DOCKER_CONFIG: "/home/user/.docker" });
  });

  it("runs in the environment as it is without a login (an open registry, or the user's own docker login)", async () => {
    const env = { DOCKER_CONFIG: "/home/user/.docker" };
    assert.equal(await withRegistryLogin("127.0.0.1:5000/hello", undefined, env, (runEnv) => Promise.resolve(runEnv)), env);
  });

  it("removes the login when the run fails", async () => {
    let seen = "";
    await assert.rejects(
      withRegistryLogin("ghcr.io/acme/hello", LOGIN, {}, (runEnv) => {
        seen = runEnv.DOCKER_CONFIG ?? "";
        return Promise.reject(new Error("cosign failed"));
      }),
      /cosign failed/,
    );
    assert.notEqual(seen, "");
    assert.equal(existsSync(seen), false);
  });
});
