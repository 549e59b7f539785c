// The GitHub workflows, parsed: what runs on pull requests and on version tags, with which permissions,
// which pinned actions and which concurrency.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as semver from "semver";

import { TOOLCHAIN_DIR } from "./support/toolchain";

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
  "actions/setup-go": "d35c59abb061a4a6fb18e82ac0862c26744d6ab5", // v5.5.0
  "actions/cache": "27d5ce7f107fe9357f9df03efb73ab90386fccae", // v5.0.5
  "pulumi/actions": "8e5e406f4007fca908480587cb9893c07090f58d", // v7.0.0
  "aws-actions/configure-aws-credentials": "e6de054238d6b7531b4efff3b6587d9aade6a06c", // v6.2.3
  "actions/attest-build-provenance": "a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32", // v4.1.0
};
const WRITE_SCOPES = [
  "contents",
  "pull-requests",
  "issues",
  "packages",
  "id-token",
  "attestations",
  "actions",
  "deployments",
  "statuses",
  "checks",
];

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
    assert.deepEqual(preview.permissions, { contents: "read", "pull-requests": "write", "id-token": "write" });
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
    for (const step of forks.steps) {
      // setup-go caches unless told not to; setup-node only when asked.
      const expected = (step.uses ?? "").startsWith("actions/setup-go@") ? false : undefined;
      assert.equal(step.with?.cache, expected, step.uses);
    }
    assert.equal(
      forks.steps.some((s) => (s.uses ?? "").startsWith("actions/cache")),
      false,
    );
  });
});

describe("preview.yml: a fork's checks", () => {
  const forks = load("preview.yml").workflow.jobs["fork-checks"];

  it("runs every check of npm test that needs no offline toolchain, with the workflows' Go", () => {
    assert.ok(forks !== undefined);
    const scripts = runs(forks);
    assert.match(scripts, /^npm ci$/m);
    const test =
      (JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.test ?? "";
    const checks = test.split(" && ").filter((step) => step !== "npm run test:unit");
    assert.ok(checks.length >= 5 && checks.length === test.split(" && ").length - 1, test);
    assert.match(scripts, new RegExp(`^${checks.join(" && ").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
    // The unit tests need actionlint, cosign, the Pulumi engine …: scripts/toolchain.sh start.
    assert.doesNotMatch(scripts, /npm test|test:unit/);
    const go = forks.steps.find((s) => (s.uses ?? "").startsWith("actions/setup-go@"));
    const releaseGo = load("release.yml").workflow.jobs.release?.steps.find((s) => (s.uses ?? "").startsWith("actions/setup-go@"));
    assert.equal(go?.with?.["go-version"], releaseGo?.with?.["go-version"]);
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

  it("grants the workflow token no write scope but the OIDC token and artifact attestations", () => {
    assert.deepEqual(release?.permissions, { contents: "read", "id-token": "write", attestations: "write" });
  });

  it("attests every file of the checksums file after the release is verified, from the published SHA256SUMS", () => {
    assert.ok(release !== undefined);
    const steps = release.steps;
    const verifyAt = steps.findIndex((s) => (s.run ?? "").includes("npx slipway verify"));
    const downloadAt = steps.findIndex((s) => (s.run ?? "").includes('gh release download "$TAG" --pattern SHA256SUMS'));
    const attestAt = steps.findIndex((s) => (s.uses ?? "").startsWith("actions/attest-build-provenance@"));
    assert.ok(verifyAt >= 0 && downloadAt > verifyAt && attestAt > downloadAt, "verify, then download the checksums, then attest");
    assert.equal(steps[downloadAt]?.env?.GH_TOKEN, "${{ github.token }}");
    assert.deepEqual(steps[attestAt]?.with, { "subject-checksums": "${{ runner.temp }}/attest/SHA256SUMS" });
  });
});

const PACKAGE = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
/** Provider packages the release stack's program declares resources of (its stack snapshot, test/program.stacks.test.ts). */
function releaseStackProviders(): string[] {
  const resources = JSON.parse(readFileSync(join(__dirname, "golden", "stack-release.json"), "utf8")) as { type: string }[];
  const packages = new Set(resources.map((r) => r.type.split(":")[0] ?? ""));
  for (const builtIn of ["pulumi", "pulumi-nodejs", "slipway"]) packages.delete(builtIn);
  return [...packages].sort();
}

for (const file of ["preview.yml", "release.yml"]) {
  describe(`${file}: the engine and its plugins on a GitHub runner`, () => {
    const { workflow } = load(file);
    const job = workflow.jobs[file === "release.yml" ? "release" : "preview"];
    assert.ok(job !== undefined);

    it("installs the Pulumi CLI with pulumi/actions at the version package.json pins", () => {
      const setup = job.steps.find((s) => (s.uses ?? "").startsWith("pulumi/actions@"));
      assert.equal(setup?.with?.["pulumi-version"], PACKAGE.devDependencies["@pulumi/pulumi"]);
    });

    it("installs every provider plugin the release stack loads, at package.json's version", () => {
      const providers = releaseStackProviders();
      assert.deepEqual(providers, ["aws", "docker-build", "github"]);
      for (const name of providers) {
        const version = PACKAGE.dependencies[`@pulumi/${name}`];
        assert.ok(version !== undefined, `package.json depends on @pulumi/${name}`);
        assert.match(runs(job), new RegExp(`^\\s*pulumi plugin install resource ${name} ${version.replace(/\./g, "\\.")}$`, "m"));
      }
    });

    it("takes AWS credentials from an OIDC role, never from static keys", () => {
      const aws = job.steps.find((s) => (s.uses ?? "").startsWith("aws-actions/configure-aws-credentials@"));
      assert.equal(aws?.with?.["role-to-assume"], "${{ vars.SLIPWAY_AWS_ROLE_ARN }}");
      assert.doesNotMatch(JSON.stringify(workflow), /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id/);
    });

    it("builds only BuildKit, Athens, cosign and cyclonedx-gomod from Go modules, cached between runs with what they were built from", () => {
      const cache = job.steps.find((s) => (s.uses ?? "").startsWith("actions/cache@"));
      // Without its stamps a cached binary is built again (scripts/toolchain/install.sh, go_build).
      assert.deepEqual(String(cache?.with?.path).trim().split("\n"), [
        "~/.cache/slipway-toolchain/bin",
        "~/.cache/slipway-toolchain/stamps",
      ]);
      assert.match(
        String(cache?.with?.key),
        /hashFiles\('scripts\/toolchain\.sh', 'scripts\/toolchain\/\*\.sh', 'tools\/\*\/go\.mod', 'tools\/\*\/go\.sum'\)/,
      );
      assert.match(runs(job), /scripts\/toolchain\.sh runner/);
      assert.doesNotMatch(runs(job), /scripts\/toolchain\.sh (install|start)/);
    });

    it("sets up one exact Go, new enough for every tool the toolchain builds, and the toolchain runs as root with it", () => {
      const setupAt = job.steps.findIndex((s) => (s.uses ?? "").startsWith("actions/setup-go@"));
      const toolchainAt = job.steps.findIndex((s) => (s.run ?? "").includes("scripts/toolchain.sh runner"));
      assert.ok(setupAt >= 0 && toolchainAt > setupAt, "setup-go, then the toolchain");
      const setup = job.steps[setupAt]?.with;
      const version = String(setup?.["go-version"]);
      assert.match(version, /^\d+\.\d+\.\d+$/, "an exact release: the same commit builds the same bytes");
      assert.equal(setup?.cache, false, "no module or build cache of setup-go's own");
      const tools = join(__dirname, "..", "tools");
      for (const tool of readdirSync(tools)) {
        const required = /^go (\S+)$/m.exec(readFileSync(join(tools, tool, "go.mod"), "utf8"))?.[1];
        assert.ok(required !== undefined, `tools/${tool}/go.mod has a go line`);
        assert.ok(
          semver.gte(version, semver.coerce(required) ?? "99.0.0"),
          `Go ${version} builds tools/${tool} (go ${required}; GOTOOLCHAIN=local)`,
        );
      }
      const cache = job.steps.find((s) => (s.uses ?? "").startsWith("actions/cache@"));
      assert.match(
        String(cache?.with?.key),
        new RegExp(`-go${version.replace(/\./g, "\\.")}-`),
        "binaries built by another Go are another cache",
      );
      // sudo's secure_path would put the runner's own Go first.
      assert.match(
        job.steps[toolchainAt]?.run ?? "",
        /^sudo --preserve-env=HOME,GITHUB_ENV,GITHUB_PATH env "PATH=\$PATH" scripts\/toolchain\.sh runner$/,
      );
    });
  });
}

describe("actionlint (built by scripts/toolchain.sh install, with Debian's shellcheck for run scripts)", () => {
  const actionlint = join(TOOLCHAIN_DIR, "bin", "actionlint");
  const lint = (cwd: string) => spawnSync(actionlint, ["-no-color"], { cwd, encoding: "utf8" });

  it("finds nothing in .github/workflows", () => {
    assert.ok(existsSync(actionlint), `${actionlint} is missing: run scripts/toolchain.sh install`);
    const result = lint(join(__dirname, ".."));
    assert.equal(`${result.stdout}${result.stderr}`, "");
    assert.equal(result.status, 0);
  });

  it("reports a broken workflow (the linter really runs)", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-actionlint-"));
    spawnSync("git", ["init", "-q", dir]);
    mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
    writeFileSync(
      join(dir, ".github", "workflows", "bad.yml"),
      "on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.event.head_commit.message }}\n        shell: bash\n      - run: cd $UNQUOTED_DIR\n",
    );
    const result = lint(dir);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /bad\.yml:6:.*github\.event\.head_commit\.message.*potentially untrusted/);
    assert.match(result.stdout, /SC2086/);
  });
});
