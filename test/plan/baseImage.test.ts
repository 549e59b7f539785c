// Every base-image rule, decided before anything is declared (plan/baseImage.ts is their one place).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BaseImageRegistry, buildsAnImage, parsePinnedImage, planBaseImage } from "../../plan/baseImage";
import { showValue } from "../../plan/errors";

const DIGEST = `sha256:${"a".repeat(64)}`;
const SOURCE = `docker.io/library/alpine@${DIGEST}`;
const ECR_BASE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/base/static@${DIGEST}`;
const LOCAL: BaseImageRegistry = { kind: "local", address: "127.0.0.1:5000" };
const GHCR: BaseImageRegistry = { kind: "external", address: "ghcr.io/acme" };
const ECR: BaseImageRegistry = { kind: "ecr", address: undefined, region: "us-east-1" };
const PLATFORMS = ["linux/amd64"];

describe("parsePinnedImage", () => {
  it("splits registry, repository and digest", () => {
    assert.deepEqual(parsePinnedImage(`127.0.0.1:5000/library/alpine@${DIGEST}`), {
      registry: "127.0.0.1:5000",
      repository: "library/alpine",
      digest: DIGEST,
    });
    assert.equal(parsePinnedImage(`localhost/alpine@${DIGEST}`).registry, "localhost");
  });

  const refused: [string, string][] = [
    ["a tag, no digest", "debian:12"],
    ["no registry", `debian@${DIGEST}`],
    ["a Docker Hub namespace, not a registry", `library/alpine@${DIGEST}`],
    ["a short digest", "ghcr.io/acme/base@sha256:abc"],
    ["a tag and a digest", `ghcr.io/acme/base:1@sha256:${"A".repeat(64)}`],
    ["a second image reference after a space", `docker.io/x ghcr.io/acme/base@${DIGEST}`],
    ["a digest with text after it", `ghcr.io/acme/base@${DIGEST}x`],
    ["a host that only ends in localhost", `mylocalhost/alpine@${DIGEST}`],
    ["a host that only starts with localhost", `localhostx/alpine@${DIGEST}`],
  ];
  for (const [title, source] of refused) {
    it(`refuses ${title}`, () => {
      assert.throws(() => parsePinnedImage(source), {
        message: `slipway:baseImage = ${JSON.stringify(source)}: base images are pinned by digest, with the registry named; fix: use <registry>/<name>@sha256:<digest>, e.g. 127.0.0.1:5000/library/alpine@sha256:<digest>`,
      });
    });
  }
});

describe("buildsAnImage", () => {
  const cases: [readonly string[], readonly unknown[], boolean][] = [
    [PLATFORMS, [LOCAL], true],
    [[], [LOCAL], false],
    [PLATFORMS, [], false],
  ];
  for (const [platforms, registries, expected] of cases) {
    it(`${platforms.length} platforms, ${registries.length} registries → ${expected}`, () =>
      assert.equal(buildsAnImage(platforms, registries), expected));
  }
});

describe("planBaseImage", () => {
  it("plans nothing without a base image, whatever the registries", () => {
    assert.equal(planBaseImage(undefined, [LOCAL], PLATFORMS), undefined);
    assert.equal(planBaseImage(undefined, [], []), undefined);
  });

  it("mirrors into the first registry that is not ECR, under mirror/<repository>", () => {
    assert.deepEqual(planBaseImage(SOURCE, [ECR, GHCR, LOCAL], PLATFORMS), {
      source: SOURCE,
      ownRegistries: ["ghcr.io", "127.0.0.1:5000"],
      mirrorRepositoryUrl: "ghcr.io/acme/mirror/library/alpine",
      mirrorIndex: 1,
    });
  });

  it("mutant 'the first registry is never a mirror target': mirrors into the only registry, at index 0", () => {
    assert.deepEqual(planBaseImage(SOURCE, [LOCAL], PLATFORMS), {
      source: SOURCE,
      ownRegistries: ["127.0.0.1:5000"],
      mirrorRepositoryUrl: "127.0.0.1:5000/mirror/library/alpine",
      mirrorIndex: 0,
    });
  });

  it("uses an image already in a registry of the stack's own as it is", () => {
    const own = `127.0.0.1:5000/base@${DIGEST}`;
    assert.deepEqual(planBaseImage(own, [ECR, LOCAL], PLATFORMS), {
      source: own,
      ownRegistries: ["127.0.0.1:5000"],
      mirrorRepositoryUrl: "",
      mirrorIndex: -1,
    });
  });

  it("a host that merely contains an ECR host name is not the stack's ECR: it is mirrored", () => {
    for (const host of ["x123456789012.dkr.ecr.us-east-1.amazonaws.com", "123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.io"]) {
      const plan = planBaseImage(`${host}/base/static@${DIGEST}`, [ECR, LOCAL], PLATFORMS);
      assert.equal(plan?.mirrorIndex, 1, host);
      assert.deepEqual(plan?.ownRegistries, ["127.0.0.1:5000"], host);
    }
  });

  it("uses an image in ECR of the stack's ECR region as it is, also when ECR is the only registry", () => {
    for (const registries of [[ECR], [ECR, LOCAL]]) {
      const plan = planBaseImage(ECR_BASE, registries, PLATFORMS);
      assert.equal(plan?.mirrorIndex, -1);
      assert.ok(plan?.ownRegistries.includes("123456789012.dkr.ecr.us-east-1.amazonaws.com"));
    }
  });

  const refused: [string, string, readonly BaseImageRegistry[], readonly string[], string][] = [
    [
      "a foreign image when ECR is the only registry",
      SOURCE,
      [ECR],
      PLATFORMS,
      `is not in a registry of the stack's own, and ECR repositories are not mirror targets; fix: copy it into ECR in us-east-1 (e.g. a pull-through cache rule) and set slipway:baseImage to the copy, <account>.dkr.ecr.us-east-1.amazonaws.com/library/alpine@<digest>`,
    ],
    [
      "an image in ECR of another region when ECR is the only registry",
      ECR_BASE.replace("us-east-1", "eu-west-1"),
      [ECR],
      PLATFORMS,
      `is in ECR of eu-west-1, not of the stack's ECR region us-east-1, and ECR repositories are not mirror targets; fix: copy it into ECR in us-east-1 (e.g. a pull-through cache rule) and set slipway:baseImage to the copy, <account>.dkr.ecr.us-east-1.amazonaws.com/base/static@<digest>`,
    ],
    [
      "a base image without registries",
      SOURCE,
      [],
      PLATFORMS,
      "the stack has no registries, so no image is built on it; fix: remove slipway:baseImage, or add a registry to slipway:registries",
    ],
    [
      "a base image without image platforms",
      SOURCE,
      [LOCAL],
      [],
      "slipway:imagePlatforms is [], so no image is built on it; fix: remove slipway:baseImage",
    ],
    [
      "an image without its registry, before anything else",
      `alpine@${DIGEST}`,
      [],
      [],
      "base images are pinned by digest, with the registry named; fix: use <registry>/<name>@sha256:<digest>, e.g. 127.0.0.1:5000/library/alpine@sha256:<digest>",
    ],
  ];
  for (const [title, source, registries, platforms, message] of refused) {
    it(`refuses ${title}, with one line and a fix that is not the configured value`, () => {
      assert.throws(() => planBaseImage(source, registries, platforms), {
        message: `slipway:baseImage = ${showValue(source)}: ${message}`,
      });
      assert.ok(!message.split("; fix: ")[1]?.includes(source));
    });
  }
});
