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
  cacheLifecyclePolicyDocument,
  BUILD_CACHE_TAG,
  checkExpiryDays,
  checkPinnedImage,
  checkRepositoryName,
  exclusionFilterProblem,
  lifecyclePolicyDocument,
  localRegistryBinding,
  planCacheRepository,
  planExclusionFilters,
  policyJson,
  registryHost,
  releaseTagMatchedBy,
  repositoryPolicyDocument,
  repositoryUrl,
  wildcardMatches,
} from "../../plan/registry";
import { planRelease } from "../../plan/releasePlan";
import { OCI_TAG } from "../../plan/tags";
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
    ["12.34.56", "12.34.56"],
    ["v10.20.30-rc.1", "v10.20.30-rc.1"],
    ["1.23.4", "1.23.4"],
    ["1.2.34", "1.2.34"],
    ["sha-5a8b7c3x", undefined],
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
    ["x".repeat(128), undefined],
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
  const rows: readonly { title: string; floating: readonly string[]; filters: readonly string[] }[] = [
    { title: "default floating tags, sorted", floating: ["v1.4", "v1", "latest"], filters: ["latest", "v1", "v1.4"] },
    { title: "no floating tags: no filter (the repository is then IMMUTABLE)", floating: [], filters: [] },
    { title: "duplicates collapse", floating: ["latest", "latest"], filters: ["latest"] },
    { title: "five floating tags fill the five filters", floating: ["e", "a", "b", "c", "d"], filters: ["a", "b", "c", "d", "e"] },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const filters = planExclusionFilters(row.floating, "registries.ecr");
      assert.deepEqual(
        filters.map((f) => f.filter),
        row.filters,
      );
      assert.ok(filters.every((f) => f.filterType === "WILDCARD" && exclusionFilterProblem(f.filter) === undefined));
    });
  }

  it("refuses more filters than ECR takes, naming the templates to trim", () => {
    const error = inputError(() => planExclusionFilters(["a", "b", "c", "d", "e", "f"], "registries.ecr"));
    assert.equal(
      error.message,
      'slipway:tagTemplates = ["a","b","c","d","e","f"]: an ECR repository takes at most 5 mutable-tag filters, and these floating tags need 6; ' +
        "fix: keep at most 5 floating tag templates (the defaults have 3: v{{major}}.{{minor}}, v{{major}}, latest)",
    );
  });

  it("refuses a floating tag that names a release", () => {
    const error = inputError(() => planExclusionFilters(["latest", "1.2.3"], "registries.ecr"));
    assert.equal(
      error.message,
      'slipway:tagTemplates = "1.2.3": a floating tag that looks like an exact version or commit tag would make that release tag mutable; ' +
        "fix: give floating tags names that are not versions, e.g. v{{major}}.{{minor}} or latest",
    );
  });

  it("refuses a floating tag that is not a tag", () => {
    const error = inputError(() => planExclusionFilters(["latest", "no spaces"], "registries.ecr"));
    assert.equal(
      error.message,
      'slipway:registries.ecr.floatingTags[1] = "no spaces": not a tag; fix: pass the plan\'s floating tag names (the keys of plan.floating)',
    );
  });

  // "-edge" is a valid ECR filter but not a tag (a tag cannot start with "-"); 42 would pass the tag pattern as "42".
  const notTags: readonly unknown[] = ["-edge", ".edge", 42, null];
  for (const tag of notTags) {
    it(`refuses floating tag ${JSON.stringify(tag)}`, () => {
      assert.equal(inputError(() => planExclusionFilters([tag as string], "registries.ecr")).key, "registries.ecr.floatingTags[0]");
    });
  }

  it("the build cache's tags (buildkit-<platform>) are tags and can never look like a release tag", () => {
    for (const platform of ["linux-amd64", "linux-arm64", "linux-arm-v7"]) {
      const tag = `${BUILD_CACHE_TAG}-${platform}`;
      assert.match(tag, OCI_TAG);
      assert.ok(tag.startsWith("buildkit-"), tag);
    }
    assert.equal(releaseTagMatchedBy(`${BUILD_CACHE_TAG}-*`), undefined);
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
      const filters = planExclusionFilters(Object.keys(plan.floating), "registries.ecr").map((f) => f.filter);
      const mutable = (tag: string) => filters.some((f) => wildcardMatches(f, tag));
      for (const tag of Object.keys(plan.floating)) assert.ok(mutable(tag), `${tag} must stay movable`);
      for (const tag of plan.immutableTags) assert.ok(!mutable(tag), `${tag} must be immutable; filters ${filters.join(", ")}`);
    });
  }
});

describe("lifecycle policy", () => {
  it("the release repository: untagged manifests expire, never a release tag (golden)", () => {
    const text = policyJson(lifecyclePolicyDocument(14, "registries.ecr"));
    assertGolden("registry-lifecycle.json", `${text}\n`);
    const parsed = JSON.parse(text) as LifecyclePolicyDocument;
    assert.deepEqual(
      parsed.rules.map((r) => [r.rulePriority, r.selection.tagStatus, r.selection.countType, r.selection.countNumber, r.action.type]),
      [[1, "untagged", "sinceImagePushed", 14, "expire"]],
    );
  });

  it("the build-cache repository: everything expires (golden)", () => {
    const text = policyJson(cacheLifecyclePolicyDocument(30, "registries.ecr"));
    assertGolden("registry-cache-lifecycle.json", `${text}\n`);
    const parsed = JSON.parse(text) as LifecyclePolicyDocument;
    assert.deepEqual(
      parsed.rules.map((r) => [r.rulePriority, r.selection.tagStatus, r.selection.countType, r.selection.countNumber, r.action.type]),
      [[1, "any", "sinceImagePushed", 30, "expire"]],
    );
  });

  it("takes one day, the shortest expiry", () => {
    assert.equal(lifecyclePolicyDocument(1, "registries.ecr").rules[0]?.selection.countNumber, 1);
    assert.equal(checkExpiryDays(1, "registries.ecr.cacheExpiryDays"), 1);
  });

  it("refuses a bad expiry in one line with the fix", () => {
    assert.equal(
      inputError(() => cacheLifecyclePolicyDocument(0, "registries.ecr")).message,
      "slipway:registries.ecr.cacheExpiryDays = 0: must be a whole number of days, at least 1; fix: e.g. 14",
    );
  });

  const badDays: readonly unknown[] = [0, -1, 1.5, Number.NaN, "7"];
  for (const days of badDays) {
    it(`refuses ${String(days)} (${typeof days}) days`, () => {
      assert.equal(inputError(() => lifecyclePolicyDocument(days as number, "registries.ecr")).key, "registries.ecr.untaggedExpiryDays");
      assert.equal(inputError(() => cacheLifecyclePolicyDocument(days as number, "registries.ecr")).key, "registries.ecr.cacheExpiryDays");
    });
  }
});

describe("planCacheRepository", () => {
  const rows: readonly [string | undefined, boolean, string | undefined][] = [
    [undefined, false, "hello-cache"],
    [undefined, true, "hello-cache"],
    ["none", false, undefined],
    ["none", true, undefined],
    ["acme/build-cache", false, "acme/build-cache"],
    ["hello", false, "refused"],
    ["Hello-Cache", false, "refused"],
    ["a", true, "refused"],
    ["a", false, "a"],
  ];
  for (const [value, ecr, expected] of rows) {
    it(`${JSON.stringify(value)} on ${ecr ? "ECR" : "an OCI registry"} → ${expected ?? "no cache"}`, () => {
      if (expected === "refused") assert.equal(inputError(() => planCacheRepository(value, "hello", ecr)).key, "cacheRepository");
      else assert.equal(planCacheRepository(value, "hello", ecr), expected);
    });
  }

  it("refuses the image's own repository in one line with the fix", () => {
    assert.equal(
      inputError(() => planCacheRepository("hello", "hello", false)).message,
      "slipway:cacheRepository = \"hello\": is the image's own repository, whose tag list users read as the release's; fix: use a repository of its own, e.g. hello-cache, or none",
    );
  });
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

  it("sorts and de-duplicates pushers", () => {
    const document = repositoryPolicyDocument([PUSHER, OTHER_PULLER, PUSHER], [], "registries.ecr");
    assert.deepEqual(document?.Statement[0]?.Principal.AWS, [OTHER_PULLER, PUSHER]);
  });

  it("refuses a bad pusher in one line, naming its place in the list", () => {
    assert.equal(
      inputError(() => repositoryPolicyDocument([PUSHER, "*"], [], "registries.ecr")).message,
      'slipway:registries.ecr.pushPrincipals[1] = "*": not an IAM principal ARN (no wildcards, no account ids alone); ' +
        "fix: use arn:aws:iam::<account>:role/<name>, …:user/<name> or …:root",
    );
  });

  const badPrincipals: readonly unknown[] = [
    "*",
    "111122223333",
    "arn:aws:iam::*:root",
    "arn:aws:sts::111122223333:assumed-role/x/y",
    42,
    ` ${PULLER}`,
    `x${PULLER}`,
    `${PULLER}*`,
    `${PUSHER}/*`,
  ];
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
    ["acme-corp/my.app", "ecr", true],
    ["acme_corp/my-app_2", "ecr", true],
    [`acme/${"a".repeat(251)}`, "ecr", true],
    [`acme/${"a".repeat(252)}`, "ecr", false],
    [42, "oci", false],
    [42, "ecr", false],
  ];
  for (const [name, kind, ok] of names) {
    const shown = typeof name === "string" && name.length > 40 ? `${name.slice(0, 8)}…(${name.length})` : JSON.stringify(name);
    it(`${kind} repository name ${shown} is ${ok ? "accepted" : "refused"}`, () => {
      if (ok) assert.equal(checkRepositoryName(name, kind, "imageName"), name);
      else assert.equal(inputError(() => checkRepositoryName(name, kind, "imageName")).key, "imageName");
    });
  }

  it("refuses a bad name in one line, with ECR's stricter rule named", () => {
    assert.equal(
      inputError(() => checkRepositoryName("Hello", "ecr", "imageName")).message,
      'slipway:imageName = "Hello": not an ECR repository name; fix: use 2-256 lowercase letters, digits and . _ - separated by /, e.g. acme/hello',
    );
    assert.equal(
      inputError(() => checkRepositoryName("Hello", "oci", "imageName")).message,
      'slipway:imageName = "Hello": not a repository name; fix: use lowercase letters, digits and . _ - separated by /, e.g. acme/hello',
    );
  });

  const hosts: readonly [string, string][] = [
    ["ghcr.io/acme", "ghcr.io"],
    ["127.0.0.1:5000", "127.0.0.1:5000"],
    ["111122223333.dkr.ecr.eu-west-1.amazonaws.com/hello", "111122223333.dkr.ecr.eu-west-1.amazonaws.com"],
    ["/acme", ""],
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
    ["127.0.0.1:5000x", undefined],
    ["x127.0.0.1:5000", undefined],
  ];
  for (const [address, binding, mutant] of bindings) {
    const outcome = binding === undefined ? "refused" : `${binding.ip}:${binding.port}`;
    it(`local registry container at ${address}: ${outcome}${mutant === undefined ? "" : ` (mutant '${mutant}')`}`, () => {
      if (binding !== undefined) assert.deepEqual(localRegistryBinding(address, "registries.local.address"), binding);
      else assert.equal(inputError(() => localRegistryBinding(address, "registries.local.address")).key, "registries.local.address");
    });
  }

  it("refuses a registry outside loopback in one line with the fix", () => {
    assert.equal(
      inputError(() => localRegistryBinding("0.0.0.0:5000", "registries.local.address")).message,
      'slipway:registries.local.address = "0.0.0.0:5000": a registry container run by slipway listens on loopback only, at an explicit port; ' +
        "fix: use an address such as 127.0.0.1:5000 or localhost:5000",
    );
  });

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
    [`index.docker.io/library/registry@${digest}`, "images are not pulled from Docker Hub"],
    [`registry.hub.docker.com/library/registry@${digest}`, "images are not pulled from Docker Hub"],
    [`Docker.IO/library/registry@${digest}`, "images are not pulled from Docker Hub"],
    [`@127.0.0.1:5000/registry@${digest}`, "images are named with their registry and pinned by digest"],
    [[`127.0.0.1:5000/registry@${digest}`], "images are named with their registry and pinned by digest"],
  ];
  for (const [reference, problem, mutant] of images) {
    const outcome = problem === undefined ? "accepted" : "refused";
    it(`image ${String(reference).replace(digest, "sha256:…")} is ${outcome}${mutant === undefined ? "" : ` (mutant '${mutant}')`}`, () => {
      if (problem === undefined) assert.equal(checkPinnedImage(reference, "registries.local.localRegistryImage"), reference);
      else assert.equal(inputError(() => checkPinnedImage(reference, "registries.local.localRegistryImage")).problem, problem);
    });
  }

  it("refuses an unpinned image in one line with the fix", () => {
    assert.equal(
      inputError(() => checkPinnedImage("registry:2", "registries.local.localRegistryImage")).message,
      'slipway:registries.local.localRegistryImage = "registry:2": images are named with their registry and pinned by digest; ' +
        "fix: mirror the image into a registry of your own and use <host>/<name>@sha256:<digest>",
    );
  });
});
