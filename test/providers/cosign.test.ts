// How cosign is given a registry login: Docker's config.json in a private DOCKER_CONFIG for one run.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cosignBinary, dockerConfigFor, withRegistryLogin } from "../../providers/cosign";

const LOGIN = { username: "release-bot", password: "s3cret" };
const AUTH = { auth: Buffer.from("release-bot:s3cret").toString("base64") };

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

  it("runs with a private DOCKER_CONFIG holding the login, removed afterwards; the caller's environment is untouched", () => {
    const env = { PATH: "/usr/bin", DOCKER_CONFIG: "/home/user/.docker" };
    let seen = "";
    const result = withRegistryLogin("ghcr.io/acme/hello", LOGIN, env, (runEnv) => {
      seen = runEnv.DOCKER_CONFIG ?? "";
      assert.notEqual(seen, "/home/user/.docker");
      assert.equal(runEnv.PATH, "/usr/bin");
      const file = join(seen, "config.json");
      assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), { auths: { "ghcr.io": AUTH } });
      assert.equal(statSync(file).mode & 0o077, 0, "only this user reads the login");
      return 42;
    });
    assert.equal(result, 42);
    assert.equal(existsSync(seen), false, "the login is removed after the run");
    assert.deepEqual(env, { PATH: "/usr/bin", DOCKER_CONFIG: "/home/user/.docker" });
  });

  it("runs in the environment as it is without a login (an open registry, or the user's own docker login)", () => {
    const env = { DOCKER_CONFIG: "/home/user/.docker" };
    withRegistryLogin("127.0.0.1:5000/hello", undefined, env, (runEnv) => assert.equal(runEnv, env));
  });

  it("removes the login when the run fails", () => {
    let seen = "";
    assert.throws(
      () =>
        withRegistryLogin("ghcr.io/acme/hello", LOGIN, {}, (runEnv) => {
          seen = runEnv.DOCKER_CONFIG ?? "";
          throw new Error("cosign failed");
        }),
      /cosign failed/,
    );
    assert.notEqual(seen, "");
    assert.equal(existsSync(seen), false);
  });
});
