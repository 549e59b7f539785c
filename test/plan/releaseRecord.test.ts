import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planRelease } from "../../plan/releasePlan";
import { knownDigests, planToDeclare } from "../../plan/releaseRecord";
import { COMMIT, OTHER_COMMIT, releaseInput } from "../support/release";

// The stack released 1.4.0 from COMMIT, then the hotfix 1.3.9 from OTHER_COMMIT: its last applied plan is 1.3.9's.
const applied140 = JSON.parse(JSON.stringify(planRelease(releaseInput()))) as unknown;
const applied139 = JSON.parse(
  JSON.stringify(planRelease(releaseInput({ version: "1.3.9", commit: OTHER_COMMIT, published: [`1.4.0@${COMMIT}`] }))),
) as unknown;

describe("planToDeclare", () => {
  const rerelease = planRelease(releaseInput({ published: [`1.4.0@${COMMIT}`, `1.3.9@${OTHER_COMMIT}`] }));
  const next = planRelease(releaseInput({ version: "1.4.1", published: [`1.4.0@${COMMIT}`] }));
  const cases: [string, ReturnType<typeof planRelease>, unknown, unknown][] = [
    ["re-release after a hotfix declares the hotfix's applied plan", rerelease, applied139, applied139],
    ["re-release of the stack's own last version declares that plan unchanged", rerelease, applied140, applied140],
    ["a new version declares its own plan", next, applied140, next],
    ["a first update (no applied plan) declares the new plan", next, undefined, next],
    ["a re-release on a stack with no applied plan declares the plan as today", rerelease, undefined, rerelease],
    ["an output that is not a plan is ignored", rerelease, { version: "1.3.9" }, rerelease],
    ["a null output is ignored", rerelease, null, rerelease],
  ];
  for (const [title, plan, applied, expected] of cases) {
    it(title, () => assert.deepEqual(planToDeclare(plan, applied), expected));
  }

  // Each field a re-release declares again, missing or of the wrong kind: the applied output is not a plan.
  const broken: [string, unknown][] = [
    ["name", undefined],
    ["name", 7],
    ["version", undefined],
    ["commit", null],
    ["commit", { sha: 7 }],
    ["tags", {}],
    ["builds", "hello"],
    ["assets", null],
    ["assets", "SHA256SUMS"],
    ["image", null],
    ["image", "hello"],
  ];
  for (const [field, value] of broken) {
    it(`an applied plan whose ${field} is ${JSON.stringify(value) ?? "missing"} is not declared again`, () => {
      const damaged = { ...(applied139 as Record<string, unknown>), [field]: value };
      assert.deepEqual(planToDeclare(rerelease, damaged), rerelease);
    });
  }

  it("the re-released plan would differ from the applied one (so declaring it would replace resources)", () => {
    assert.equal(rerelease.status, "published");
    assert.notDeepEqual(JSON.parse(JSON.stringify(rerelease)), applied140);
  });
});

describe("knownDigests", () => {
  const A = `sha256:${"a".repeat(64)}`;
  const releases = {
    "1.4.0": { commit: COMMIT, assets: {}, tags: { local: { "v1.4.0": A, latest: A }, ecr: { "v1.4.0": A } }, location: "/r/1.4.0" },
  };
  const registries = [
    { name: "local", address: "127.0.0.1:5000" },
    { name: "ecr", address: undefined },
  ];
  const cases: [string, string, string, Record<string, string>][] = [
    ["the same release from the same commit", "1.4.0", COMMIT, { "127.0.0.1:5000/hello:latest": A, "127.0.0.1:5000/hello:v1.4.0": A }],
    ["the same version from another commit knows nothing", "1.4.0", OTHER_COMMIT, {}],
    ["a version never released knows nothing", "1.4.1", COMMIT, {}],
  ];
  for (const [title, version, commit, expected] of cases) {
    it(title, () => assert.deepEqual(knownDigests(releases, version, commit, registries, "hello"), expected));
  }
});
