// Where a base image is mirrored, decided before anything is declared.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planBaseImage } from "../../plan/baseImage";

const SOURCE = `docker.io/library/alpine@sha256:${"a".repeat(64)}`;
const LOCAL = { kind: "local", address: "127.0.0.1:5000" };
const GHCR = { kind: "external", address: "ghcr.io/acme" };
const ECR = { kind: "ecr", address: undefined };

describe("planBaseImage", () => {
  it("plans nothing without a base image", () => {
    assert.equal(planBaseImage(undefined, [LOCAL]), undefined);
  });

  it("mirrors into the first registry that is not ECR, under mirror/<repository>", () => {
    assert.deepEqual(planBaseImage(SOURCE, [ECR, GHCR, LOCAL]), {
      source: SOURCE,
      ownRegistries: ["ghcr.io", "127.0.0.1:5000"],
      mirrorRepositoryUrl: "ghcr.io/acme/mirror/library/alpine",
      mirrorIndex: 1,
    });
  });

  it("uses an image already in a registry of the stack's own, even with only ECR to mirror to", () => {
    const own = `127.0.0.1:5000/base@sha256:${"b".repeat(64)}`;
    assert.deepEqual(planBaseImage(own, [ECR, { kind: "ecr", address: "127.0.0.1:5000" }])?.ownRegistries, ["127.0.0.1:5000"]);
  });

  it("mutant 'the first registry is never a mirror target': mirrors into the only registry, at index 0", () => {
    assert.deepEqual(planBaseImage(SOURCE, [LOCAL]), {
      source: SOURCE,
      ownRegistries: ["127.0.0.1:5000"],
      mirrorRepositoryUrl: "127.0.0.1:5000/mirror/library/alpine",
      mirrorIndex: 0,
    });
  });

  it("mutant 'a made-up mirror address': an image in an own registry with only ECR has no mirror address", () => {
    const own = `127.0.0.1:5000/base@sha256:${"b".repeat(64)}`;
    const plan = planBaseImage(own, [ECR, { kind: "ecr", address: "127.0.0.1:5000" }]);
    assert.equal(plan?.mirrorIndex, -1);
    assert.equal(plan?.mirrorRepositoryUrl, "/mirror/base");
  });

  it("refuses a foreign image when ECR is the only registry, with one line and the fix", () => {
    assert.throws(() => planBaseImage(SOURCE, [ECR]), {
      message: `slipway:baseImage = "${SOURCE}": is not in a registry of the stack's own, and ECR repositories are not mirror targets; fix: copy it into ECR with a pull-through cache rule and set slipway:baseImage to the ECR copy`,
    });
  });
});
