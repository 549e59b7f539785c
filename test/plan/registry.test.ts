// The pure registry rules: ECR exclusion filters (and which release tags a wildcard could make mutable),
// the lifecycle and repository policy documents, addresses and image references.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SlipwayInputError } from "../../plan/errors";
import {
  ECR_PULL_ACTIONS,
  ECR_PUSH_ACTIONS,
  LifecyclePolicyDocument,
  RepositoryPolicyDocument,
  checkPinnedImage,
  checkRepositoryName,
  exclusionFilterProblem,
  lifecyclePolicyDocument,
  localRegistryBinding,
  planExclusionFilters,
  policyJson,
  registryHost,
  releaseTagMatchedBy,
  repositoryPolicyDocument,
  repositoryUrl,
  wildcardMatches,
} from "../../plan/registry";
import { planRelease } from "../../plan/releasePlan";
import { assertGolden } from "../support/golden";
import { publishedAt, releaseInput } from "../support/release";

const PUSHER = "arn:aws:iam::111122223333:role/release-ci";
const PULLER = "arn:aws:iam::444455556666:root";
const OTHER_PULLER = "arn:aws:iam::111122223333:role/path/to/deployer";

function inputError(fn: () => unknown): SlipwayInputError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof SlipwayInputError, `expected a SlipwayInputError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected a SlipwayInputError, nothing was thrown");
}

describe("wildcardMatches", () => {
  const rows: readonly [string, string, boolean][] = [
    ["latest", "latest", true],
    ["latest", "latest2", false],
    ["cache-*", "cache-", true],
    ["cache-*", "cache-amd64", true],
    ["cache-*", "xcache-amd64", false],
    ["v1.4", "v1x4", false],
    ["*-rc*", "v1.5.0-rc.1", true],
    ["*", "", true],
  ];
  for (const [filter, tag, expected] of rows) {
    it(`${filter} ${expected ? "matches" : "does not match"} ${JSON.stringify(tag)}`, () => {
      assert.equal(wildcardMatches(filter, tag), expected);
    });
  }
});

describe("releaseTagMatchedBy: can a filter match an exact-version or sha- tag?", () => {
  const rows: readonly [string, string | undefined][] = [
    ["latest", undefined],
    ["v1", undefined],
    ["v1.4", undefined],
    ["1.2", undefined],
    ["cache-*", undefined],
    ["edge*", undefined],
    ["V*", undefined],
    ["sha-xyz", undefined],
    ["v1.2.3", "v1.2.3"],
    ["1.2.3", "1.2.3"],
    ["sha-5a8b7c3", "sha-5a8b7c3"],
    ["v*", "v0.0.0"],
    ["*", "0.0.0"],
    ["v1.*", "v1.0.0"],
    ["v9.*", "v9.0.0"],
    ["s*", "sha-0"],
    ["sha-*", "sha-0"],
    ["*latest", "0.0.0-latest"],
    ["v*-rc", "v0.0.0-rc"],
    ["*.*", "0.0.0"],
  ];
  for (const [filter, witness] of rows) {
    it(`${filter} → ${witness ?? "no release tag"}`, () => {
      const found = releaseTagMatchedBy(filter);
      assert.equal(found, witness);
      if (found !== undefined) assert.ok(wildcardMatches(filter, found), `${filter} must match its own witness ${found}`);
    });
  }
});

describe("exclusionFilterProblem", () => {
  const rows: readonly [string, string | undefined][] = [
    ["latest", undefined],
    ["a*b*", undefined],
    ["*a*b*", "an ECR exclusion filter has at most 2 wildcards, this one 3"],
    ["", "an ECR exclusion filter has 1 to 128 characters, this one 0"],
    ["x".repeat(129), "an ECR exclusion filter has 1 to 128 characters, this one 129"],
    ["a/b", "an ECR exclusion filter may contain only letters, digits and . _ - *"],
  ];
  for (const [filter, problem] of rows) {
    it(`${filter.length > 20 ? `${filter.slice(0, 8)}…(${filter.length})` : JSON.stringify(filter)} → ${problem ?? "valid"}`, () => {
      assert.equal(exclusionFilterProblem(filter), problem);
    });
  }
});

describe("planExclusionFilters", () => {
  const rows: readonly { title: string; floating: readonly string[]; prefix: string; filters: readonly string[] }[] = [
    {
      title: "default floating tags and the cache prefix, sorted",
      floating: ["v1.4", "v1", "latest"],
      prefix: "cache-",
      filters: ["cache-*", "latest", "v1", "v1.4"],
    },
    { title: "no floating tags: only cache refs are mutable", floating: [], prefix: "cache-", filters: ["cache-*"] },
    { title: "duplicates collapse", floating: ["latest", "latest"], prefix: "cache-", filters: ["cache-*", "latest"] },
    {
      title: "a floating tag covered by the cache filter needs no filter",
      floating: ["cache-latest", "edge"],
      prefix: "cache-",
      filters: ["cache-*", "edge"],
    },
    {
      title: "four floating tags fill the five filters",
      floating: ["a", "b", "c", "d"],
      prefix: "buildcache.",
      filters: ["a", "b", "buildcache.*", "c", "d"],
    },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const filters = planExclusionFilters(row.floating, row.prefix, "registries.ecr");
      assert.deepEqual(
        filters.map((f) => f.filter),
        row.filters,
      );
      assert.ok(filters.every((f) => f.filterType === "WILDCARD" && exclusionFilterProblem(f.filter) === undefined));
    });
  }

  it("refuses more filters than ECR takes, naming the templates to trim", () => {
    const error = inputError(() => planExclusionFilters(["a", "b", "c", "d", "e"], "cache-", "registries.ecr"));
    assert.equal(
      error.message,
      'slipway:tagTemplates = ["a","b","c","d","e"]: an ECR repository takes at most 5 mutable-tag filters, and these floating tags plus cache-* need 6; ' +
        "fix: keep at most 4 floating tag templates (the defaults have 3: v{{major}}.{{minor}}, v{{major}}, latest)",
    );
  });

  const badPrefixes: readonly [string, string][] = [
    ["v", "cache tags v* would include release tags such as v0.0.0, making them mutable"],
    ["sha", "cache tags sha* would include release tags such as sha-0, making them mutable"],
    ["1", "cache tags 1* would include release tags such as 1.0.0, making them mutable"],
    ["", "not a tag prefix ([A-Za-z0-9_][A-Za-z0-9_.-]{0,126})"],
    ["-cache", "not a tag prefix ([A-Za-z0-9_][A-Za-z0-9_.-]{0,126})"],
  ];
  for (const [prefix, problem] of badPrefixes) {
    it(`refuses cache prefix ${JSON.stringify(prefix)}`, () => {
      const error = inputError(() => planExclusionFilters([], prefix, "registries.ecr"));
      assert.equal(error.key, "registries.ecr.cacheTagPrefix");
      assert.equal(error.problem, problem);
    });
  }

  it("refuses a floating tag that names a release", () => {
    const error = inputError(() => planExclusionFilters(["latest", "1.2.3"], "cache-", "registries.ecr"));
    assert.equal(error.key, "tagTemplates");
    assert.equal(error.value, "1.2.3");
  });

  it("refuses a floating tag that is not a tag", () => {
    const error = inputError(() => planExclusionFilters(["latest", "no spaces"], "cache-", "registries.ecr"));
    assert.equal(error.key, "registries.ecr.floatingTags[1]");
  });

  // The whole point: for real plans, every floating tag is mutable and every release tag is not.
  const plans: readonly [string, string, readonly string[]][] = [
    ["first release", "1.0.0", []],
    ["minor release", "1.5.0", publishedAt("1.4.0")],
    ["hotfix on an older line", "1.3.9", publishedAt("1.3.8", "1.4.0")],
    ["prerelease", "1.5.0-rc.1", publishedAt("1.4.0")],
    ["build metadata", "2.0.0+build.7", publishedAt("1.4.0")],
  ];
  for (const [title, version, published] of plans) {
    it(`plan of ${version} (${title}): floating tags mutable, release tags immutable`, () => {
      const plan = planRelease(
        releaseInput({
          version,
          published,
          tagTemplates: ["v{{version}}", "v{{major}}.{{minor}}", "v{{major}}", "latest", "sha-{{sha}}", "{{raw}}"],
        }),
      );
      const filters = planExclusionFilters(Object.keys(plan.floating), "cache-", "registries.ecr").map((f) => f.filter);
      const mutable = (tag: string) => filters.some((f) => wildcardMatches(f, tag));
      for (const tag of Object.keys(plan.floating)) assert.ok(mutable(tag), `${tag} must stay movable`);
      for (const tag of plan.immutableTags) assert.ok(!mutable(tag), `${tag} must be immutable; filters ${filters.join(", ")}`);
      assert.ok(mutable("cache-buildkit"));
    });
  }
});

describe("lifecycle policy", () => {
  it("expires cache refs and untagged manifests, never a release tag (golden)", () => {
    const document = lifecyclePolicyDocument({ cacheTagPrefix: "cache-", untaggedExpiryDays: 14, cacheExpiryDays: 30 }, "registries.ecr");
    const text = policyJson(document);
    assertGolden("registry-lifecycle.json", `${text}\n`);
    const parsed = JSON.parse(text) as LifecyclePolicyDocument;
    assert.deepEqual(
      parsed.rules.map((r) => [
        r.rulePriority,
        r.selection.tagStatus,
        r.selection.tagPrefixList,
        r.selection.countType,
        r.selection.countNumber,
        r.action.type,
      ]),
      [
        [1, "tagged", ["cache-"], "sinceImagePushed", 30, "expire"],
        [2, "untagged", undefined, "sinceImagePushed", 14, "expire"],
      ],
    );
  });

  const badDays: readonly unknown[] = [0, -1, 1.5, Number.NaN, "7"];
  for (const days of badDays) {
    it(`refuses ${String(days)} (${typeof days}) days`, () => {
      const error = inputError(() =>
        lifecyclePolicyDocument({ cacheTagPrefix: "cache-", untaggedExpiryDays: days as number, cacheExpiryDays: 30 }, "registries.ecr"),
      );
      assert.equal(error.key, "registries.ecr.untaggedExpiryDays");
    });
  }
});

describe("repository policy", () => {
  it("grants push to pushers and pull to pullers, nobody else (golden)", () => {
    const document = repositoryPolicyDocument([PUSHER], [PULLER, OTHER_PULLER, PULLER], "registries.ecr");
    assert.ok(document !== undefined);
    const text = policyJson(document);
    assertGolden("registry-policy.json", `${text}\n`);
    const parsed = JSON.parse(text) as RepositoryPolicyDocument;
    assert.deepEqual(
      parsed.Statement.map((s) => [s.Sid, s.Effect, s.Principal.AWS, s.Action]),
      [
        ["SlipwayPush", "Allow", [PUSHER], [...ECR_PUSH_ACTIONS]],
        ["SlipwayPull", "Allow", [PULLER, OTHER_PULLER].sort(), [...ECR_PULL_ACTIONS]],
      ],
    );
  });

  it("is absent when nobody is named", () => {
    assert.equal(repositoryPolicyDocument([], [], "registries.ecr"), undefined);
  });

  it("has only a push statement when every puller also pushes", () => {
    const document = repositoryPolicyDocument([PUSHER], [PUSHER], "registries.ecr");
    assert.deepEqual(
      document?.Statement.map((s) => s.Sid),
      ["SlipwayPush"],
    );
  });

  it("has only a pull statement without pushers (golden)", () => {
    const document = repositoryPolicyDocument([], [PULLER], "registries.ecr");
    assert.ok(document !== undefined);
    assertGolden("registry-policy-pull-only.json", `${policyJson(document)}\n`);
  });

  const badPrincipals: readonly unknown[] = ["*", "111122223333", "arn:aws:iam::*:root", "arn:aws:sts::111122223333:assumed-role/x/y", 42];
  for (const principal of badPrincipals) {
    it(`refuses principal ${JSON.stringify(principal)}`, () => {
      const error = inputError(() => repositoryPolicyDocument([], [PULLER, principal as string], "registries.ecr"));
      assert.equal(error.key, "registries.ecr.pullPrincipals[1]");
    });
  }
});

describe("names and addresses", () => {
  const names: readonly [unknown, "ecr" | "oci", boolean][] = [
    ["hello", "ecr", true],
    ["acme/hello", "ecr", true],
    ["a", "ecr", false],
    ["a", "oci", true],
    ["Hello", "oci", false],
    ["acme//hello", "oci", false],
    ["my__app", "oci", true],
    ["my__app", "ecr", false],
  ];
  for (const [name, kind, ok] of names) {
    it(`${kind} repository name ${JSON.stringify(name)} is ${ok ? "accepted" : "refused"}`, () => {
      if (ok) assert.equal(checkRepositoryName(name, kind, "imageName"), name);
      else assert.equal(inputError(() => checkRepositoryName(name, kind, "imageName")).key, "imageName");
    });
  }

  const hosts: readonly [string, string][] = [
    ["ghcr.io/acme", "ghcr.io"],
    ["127.0.0.1:5000", "127.0.0.1:5000"],
    ["111122223333.dkr.ecr.eu-west-1.amazonaws.com/hello", "111122223333.dkr.ecr.eu-west-1.amazonaws.com"],
  ];
  for (const [address, host] of hosts) {
    it(`host of ${address} is ${host}`, () => assert.equal(registryHost(address), host));
  }
  it("joins address and repository", () => assert.equal(repositoryUrl("ghcr.io/acme", "hello"), "ghcr.io/acme/hello"));

  const bindings: readonly [string, { ip: string; port: number } | undefined, mutant?: string][] = [
    ["127.0.0.1:5000", { ip: "127.0.0.1", port: 5000 }],
    ["localhost:5001/ns", { ip: "127.0.0.1", port: 5001 }],
    ["[::1]:5000", { ip: "::1", port: 5000 }],
    ["127.0.0.1", undefined],
    ["0.0.0.0:5000", undefined],
    ["192.168.1.10:5000", undefined],
    ["127.0.0.1:70000", undefined],
    ["127.0.0.1:0", undefined, "registry port 0 accepted"],
    ["127.0.0.1:1", { ip: "127.0.0.1", port: 1 }, "registry port 0 accepted"],
    ["127.0.0.1:65535", { ip: "127.0.0.1", port: 65535 }],
    ["127.0.0.1:65536", undefined],
  ];
  for (const [address, binding, mutant] of bindings) {
    const outcome = binding === undefined ? "refused" : `${binding.ip}:${binding.port}`;
    it(`local registry container at ${address}: ${outcome}${mutant === undefined ? "" : ` (mutant '${mutant}')`}`, () => {
      if (binding !== undefined) assert.deepEqual(localRegistryBinding(address, "registries.local.address"), binding);
      else assert.equal(inputError(() => localRegistryBinding(address, "registries.local.address")).key, "registries.local.address");
    });
  }

  const digest = `sha256:${"a".repeat(64)}`;
  const SHORT_DIGEST = "a shortened digest accepted";
  const images: readonly [unknown, string | undefined, mutant?: string][] = [
    [`registry.acme.internal/mirror/registry@${digest}`, undefined],
    [`127.0.0.1:5000/registry@${digest}`, undefined],
    [`localhost/registry@${digest}`, undefined],
    ["registry.acme.internal/mirror/registry:2", "images are named with their registry and pinned by digest"],
    [`registry@${digest}`, "images are named with their registry and pinned by digest"],
    [`library/registry@${digest}`, "library is not a registry host, so the image would come from Docker Hub"],
    [`docker.io/library/registry@${digest}`, "images are not pulled from Docker Hub"],
    [`registry-1.docker.io/library/registry@${digest}`, "images are not pulled from Docker Hub"],
    [undefined, "images are named with their registry and pinned by digest"],
    [`127.0.0.1:5000/registry@sha256:${"a".repeat(63)}`, "images are named with their registry and pinned by digest", SHORT_DIGEST],
    [`127.0.0.1:5000/registry@sha256:${"a".repeat(12)}`, "images are named with their registry and pinned by digest", SHORT_DIGEST],
    [`127.0.0.1:5000/registry@${digest}0`, "images are named with their registry and pinned by digest"],
  ];
  for (const [reference, problem, mutant] of images) {
    const outcome = problem === undefined ? "accepted" : "refused";
    it(`image ${String(reference).replace(digest, "sha256:…")} is ${outcome}${mutant === undefined ? "" : ` (mutant '${mutant}')`}`, () => {
      if (problem === undefined) assert.equal(checkPinnedImage(reference, "registries.local.localRegistryImage"), reference);
      else assert.equal(inputError(() => checkPinnedImage(reference, "registries.local.localRegistryImage")).problem, problem);
    });
  }
});
