// The GitHub workflows, parsed: what runs on pull requests and on version tags, with which permissions,
// which pinned actions and which concurrency.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

// js-yaml comes with @pulumi/pulumi and has no type declarations here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml") as { load(text: string): unknown };

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly if?: string;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group: string; "cancel-in-progress": boolean };
  readonly jobs: Record<string, Job>;
}

const DIR = join(__dirname, "..", ".github", "workflows");
const load = (name: string) => ({
  text: readFileSync(join(DIR, name), "utf8"),
  workflow: yaml.load(readFileSync(join(DIR, name), "utf8")) as Workflow,
});

/** The published commits of the tags the workflows use (git show-ref --tags on the actions' repositories). */
const PINNED: Record<string, string> = {
  "actions/checkout": "11bd71901bbe5b1630ceea73d27597364c9af683", // v4.2.2
  "actions/setup-node": "49933ea5288caeca8642d1e84afbd3f7d6820020", // v4.4.0
};
const WRITE_SCOPES = ["contents", "pull-requests", "issues", "packages", "id-token", "actions", "deployments", "statuses", "checks"];

function allSteps(w: Workflow): Step[] {
  return Object.values(w.jobs).flatMap((j) => [...j.steps]);
}
function runs(job: Job): string {
  return job.steps.map((s) => s.run ?? "").join("\n");
}
function usesSecrets(job: Job): boolean {
  return JSON.stringify(job).includes("secrets.");
}

for (const file of ["preview.yml", "release.yml"]) {
  describe(`${file}: common rules`, () => {
    const { workflow } = load(file);
    it("pins every action by a full 40-hex commit, to the published commit", () => {
      const used = allSteps(workflow).filter((s) => s.uses !== undefined);
      assert.ok(used.length >= 2);
      for (const step of used) {
        const [action = "", ref = ""] = (step.uses ?? "").split("@");
        assert.match(ref, /^[0-9a-f]{40}$/, `${step.uses} is pinned by commit`);
        assert.equal(ref, PINNED[action], `${action} pinned to its published commit`);
      }
    });
    it("reads only by default and grants writes per job", () => {
      assert.deepEqual(workflow.permissions, { contents: "read" });
      for (const [name, job] of Object.entries(workflow.jobs)) {
        assert.ok(job.permissions !== undefined, `${name} declares its permissions`);
        assert.equal(job.permissions.contents, "read", `${name}: contents read`);
      }
    });
    it("never uses pull_request_target or workflow_run", () => {
      assert.equal("pull_request_target" in workflow.on, false);
      assert.equal("workflow_run" in workflow.on, false);
    });
    it("does not interpolate event data into shell scripts", () => {
      for (const step of allSteps(workflow)) assert.doesNotMatch(step.run ?? "", /\$\{\{/, step.run);
    });
  });
}

describe("preview.yml", () => {
  const { workflow } = load("preview.yml");
  const preview = workflow.jobs.preview;
  const forks = workflow.jobs["fork-checks"];

  it("runs on pull_request", () => assert.deepEqual(Object.keys(workflow.on), ["pull_request"]));

  it("previews the release stack as markdown and posts or updates one comment found by its marker", () => {
    assert.ok(preview !== undefined);
    assert.match(runs(preview), /npx slipway preview --stack release --markdown --out preview\.md/);
    const post = preview.steps.find((s) => (s.run ?? "").includes("gh api"));
    assert.ok(post?.run !== undefined);
    assert.match(post.run, /startswith\("<!-- slipway-preview -->"\)/);
    assert.match(post.run, /--method PATCH "repos\/\$REPO\/issues\/comments\/\$id"/);
    assert.match(post.run, /--method POST "repos\/\$REPO\/issues\/\$PR\/comments"/);
    assert.deepEqual(preview.permissions, { contents: "read", "pull-requests": "write" });
  });

  it("gives secrets and a write token only to same-repository pull requests", () => {
    assert.equal(preview?.if, "github.event.pull_request.head.repo.full_name == github.repository");
    assert.equal(forks?.if, "github.event.pull_request.head.repo.full_name != github.repository");
    assert.ok(forks !== undefined);
    assert.equal(usesSecrets(forks), false, "the fork job reads no secrets");
    for (const scope of WRITE_SCOPES) assert.notEqual(forks.permissions?.[scope], "write", scope);
  });

  it("writes no cache from a fork", () => {
    assert.ok(forks !== undefined);
    for (const step of forks.steps) assert.equal(step.with?.cache, undefined, step.uses);
    assert.equal(
      forks.steps.some((s) => (s.uses ?? "").startsWith("actions/cache")),
      false,
    );
  });
});

describe("release.yml", () => {
  const { workflow } = load("release.yml");
  const release = workflow.jobs.release;

  it("runs on pushed version tags only", () => {
    assert.deepEqual(workflow.on, { push: { tags: ["v*"] } });
  });

  it("releases the tag on the release stack, then verifies it", () => {
    assert.ok(release !== undefined);
    const script = runs(release);
    const releaseAt = script.indexOf('npx slipway release "$TAG" --stack release --commit "$GITHUB_SHA" --yes');
    const verifyAt = script.indexOf('npx slipway verify "$TAG" --stack release');
    assert.ok(releaseAt >= 0 && verifyAt > releaseAt, "release, then verify");
    assert.equal(release.env?.TAG, "${{ github.ref_name }}");
  });

  it("never runs two releases at once and never cancels one half-way", () => {
    assert.deepEqual(workflow.concurrency, { group: "slipway-release", "cancel-in-progress": false });
  });

  it("grants no write scope to the workflow token", () => {
    for (const scope of WRITE_SCOPES) assert.notEqual(release?.permissions?.[scope], "write", scope);
  });
});
