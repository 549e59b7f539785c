import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SlipwayInputError } from "../../plan/errors";
import { planRelease } from "../../plan/releasePlan";
import { TagKind, decideLatest, parseLatestPolicy, parseTagTemplate, planTags, sanitizeTag } from "../../plan/tags";
import { parseVersion } from "../../plan/version";
import { COMMIT, OTHER_COMMIT, publishedAt, releaseInput } from "../support/release";

const SHA = "sha-5a8b7c3";

interface TagCase {
  readonly title: string;
  readonly version: string;
  readonly published: readonly string[];
  readonly templates?: readonly string[];
  readonly tags: readonly string[];
  /** Floating tags that stay where they are, with the version that keeps them. */
  readonly kept?: Readonly<Record<string, string>>;
}

const CASES: readonly TagCase[] = [
  {
    title: "first release takes every tag",
    version: "1.0.0",
    published: [],
    tags: ["v1.0.0", "v1.0", "v1", "latest", SHA],
  },
  {
    title: "patch moves minor, major and latest",
    version: "1.4.1",
    published: publishedAt("1.3.0", "1.4.0"),
    tags: ["v1.4.1", "v1.4", "v1", "latest", SHA],
  },
  {
    title: "minor bump starts a new minor line",
    version: "1.5.0",
    published: publishedAt("1.4.0", "1.4.1"),
    tags: ["v1.5.0", "v1.5", "v1", "latest", SHA],
  },
  {
    title: "major bump starts a new major line",
    version: "2.0.0",
    published: publishedAt("1.4.1", "1.5.0"),
    tags: ["v2.0.0", "v2.0", "v2", "latest", SHA],
  },
  {
    title: "hotfix after a newer minor moves its minor tag only",
    version: "1.3.9",
    published: publishedAt("1.3.8", "1.4.0"),
    tags: ["v1.3.9", "v1.3", SHA],
    kept: { v1: "1.4.0", latest: "1.4.0" },
  },
  {
    title: "hotfix after a newer major moves its minor and major tags",
    version: "1.9.1",
    published: publishedAt("1.9.0", "2.0.0"),
    tags: ["v1.9.1", "v1.9", "v1", SHA],
    kept: { latest: "2.0.0" },
  },
  {
    title: "older patch of a line that moved on keeps nothing floating",
    version: "1.4.1",
    published: publishedAt("1.4.2"),
    tags: ["v1.4.1", SHA],
    kept: { "v1.4": "1.4.2", v1: "1.4.2", latest: "1.4.2" },
  },
  {
    title: "prerelease publishes only its exact and commit tags",
    version: "1.5.0-rc.1",
    published: publishedAt("1.4.0"),
    tags: ["v1.5.0-rc.1", SHA],
    kept: { "v1.5": "", v1: "1.4.0", latest: "1.4.0" },
  },
  {
    title: "prerelease renders {{major}}.{{minor}} templates as the version, metadata-action style",
    version: "v2.0.0-beta.2",
    published: [],
    templates: ["{{major}}.{{minor}}.{{patch}}", "{{major}}", "stable", "{{raw}}"],
    tags: ["2.0.0-beta.2", "v2.0.0-beta.2"],
  },
  {
    title: "published prereleases never hold floating tags",
    version: "1.5.0",
    published: publishedAt("1.4.0", "2.0.0-rc.1"),
    tags: ["v1.5.0", "v1.5", "v1", "latest", SHA],
  },
  {
    title: "build metadata is dropped from {{version}}",
    version: "1.4.0+build.7",
    published: [],
    tags: ["v1.4.0", "v1.4", "v1", "latest", SHA],
  },
  {
    title: "build metadata in {{raw}} is sanitised to a valid tag",
    version: "v1.4.0+build.7",
    published: [],
    templates: ["{{raw}}", "{{version}}"],
    tags: ["v1.4.0-build.7", "1.4.0"],
  },
  {
    title: "a version with a leading v",
    version: "v1.4.0",
    published: [],
    tags: ["v1.4.0", "v1.4", "v1", "latest", SHA],
  },
  {
    title: "{{raw}} keeps the version as given",
    version: "v1.4.0",
    published: [],
    templates: ["{{raw}}", "{{major}}.{{minor}}", "edge-{{sha}}"],
    tags: ["v1.4.0", "1.4", "edge-5a8b7c3"],
  },
  {
    title: "templates that render the same tag publish it once",
    version: "1.4.0",
    published: [],
    templates: ["v{{version}}", "v{{major}}.{{minor}}.{{patch}}", "latest", "latest"],
    tags: ["v1.4.0", "latest"],
  },
  {
    title: "mutant 'the minor line ignores the major': 1.4.1 after 2.4.0 still moves v1.4 and v1, not latest",
    version: "1.4.1",
    published: publishedAt("1.4.0", "2.4.0"),
    tags: ["v1.4.1", "v1.4", "v1", SHA],
    kept: { latest: "2.4.0" },
  },
  {
    title: "mutant 'the minor line ignores the major': v1 stays on 1.5.0 when 1.4.1 follows 2.4.0",
    version: "1.4.1",
    published: publishedAt("1.5.0", "2.4.0"),
    tags: ["v1.4.1", "v1.4", SHA],
    kept: { v1: "1.5.0", latest: "2.4.0" },
  },
  {
    title: "mutant '{{patch}} no longer exact': v{{major}}.{{minor}}.{{patch}} names one release even below a newer patch",
    version: "1.4.0",
    published: publishedAt("1.4.1"),
    templates: ["v{{major}}.{{minor}}.{{patch}}", "v{{major}}.{{minor}}"],
    tags: ["v1.4.0"],
    kept: { "v1.4": "1.4.1" },
  },
];

describe("tag rules", () => {
  for (const c of CASES) {
    it(c.title, () => {
      const plan = planRelease(releaseInput({ version: c.version, published: c.published, tagTemplates: c.templates }));
      assert.deepEqual(plan.tags, c.tags);
      for (const [tag, decision] of Object.entries(plan.floating)) {
        const keeper = c.kept?.[tag];
        assert.equal(decision.moves, keeper === undefined && plan.tags.includes(tag), `${tag} moves`);
        if (keeper !== undefined && keeper !== "") assert.equal(decision.holder, keeper, `${tag} holder`);
        assert.ok(decision.reason.length > 0);
      }
    });
  }

  it("with and without a leading v plan the same tags", () => {
    const plain = planRelease(releaseInput({ version: "1.4.0" }));
    const withV = planRelease(releaseInput({ version: "v1.4.0" }));
    assert.deepEqual(plain.tags, withV.tags);
    assert.equal(plain.raw, "1.4.0");
    assert.equal(withV.raw, "v1.4.0");
  });

  it("a prerelease never produces latest", () => {
    const plan = planRelease(releaseInput({ version: "3.0.0-alpha.0" }));
    assert.equal(plan.tags.includes("latest"), false);
    assert.match(plan.floating.latest?.reason ?? "", /never produced for a prerelease/);
  });

  it("says why a floating tag stays and where it moves from", () => {
    const plan = planRelease(releaseInput({ version: "1.3.9", published: publishedAt("1.3.8", "1.4.0") }));
    assert.deepEqual(plan.floating["v1.3"], {
      tag: "v1.3",
      kind: "minor",
      line: "1.3.x",
      moves: true,
      holder: "1.3.8",
      reason: "1.3.9 is higher than 1.3.8, the highest published of 1.3.x",
    });
    assert.deepEqual(plan.floating.v1, {
      tag: "v1",
      kind: "major",
      line: "1.x",
      moves: false,
      holder: "1.4.0",
      reason: "1.4.0 stays: it is higher than 1.3.9 among 1.x",
    });
  });
});

describe("re-releasing a published version", () => {
  it("with the same commit is a no-op plan", () => {
    const plan = planRelease(releaseInput({ version: "1.4.0", published: [`1.4.0@${COMMIT}`, ...publishedAt("1.3.0")] }));
    assert.equal(plan.status, "published");
    assert.deepEqual(plan.tags, ["v1.4.0", "v1.4", "v1", "latest", SHA]);
  });

  it("with the same commit after a newer patch does not move tags back", () => {
    const plan = planRelease(releaseInput({ version: "1.4.0", published: [`1.4.0@${COMMIT}`, ...publishedAt("1.4.1")] }));
    assert.equal(plan.status, "published");
    assert.deepEqual(plan.tags, ["v1.4.0", SHA]);
  });

  it("with another commit is an error naming both commits", () => {
    assert.throws(
      () => planRelease(releaseInput({ version: "v1.4.0", published: publishedAt("1.4.0") })),
      (error: unknown) =>
        error instanceof SlipwayInputError &&
        error.key === "commit" &&
        error.message ===
          `slipway:commit = "${COMMIT}": 1.4.0 is already published from commit ${OTHER_COMMIT.slice(0, 12)}; published versions are never rewritten; fix: release a new version, or build 1.4.0 from ${OTHER_COMMIT}`,
    );
  });

  it("with build metadata is still the same release", () => {
    assert.throws(() => planRelease(releaseInput({ version: "1.4.0+rebuild", published: publishedAt("1.4.0") })), /already published/);
  });

  it("when the published entry has no commit is an error with the fix", () => {
    assert.throws(
      () => planRelease(releaseInput({ version: "1.4.0", published: ["1.4.0"] })),
      /slipway:published = "1.4.0": 1.4.0 is already published, but with no commit recorded.*fix: record it as 1.4.0@<commit sha>/,
    );
  });
});

describe("the latest policy", () => {
  interface LatestCase {
    readonly title: string;
    readonly version: string;
    readonly published: readonly string[];
    readonly latest: string | undefined;
    readonly templates?: readonly string[];
    /** Whether `latest` moves (tag and GitHub's Latest release), or the error it stops with. */
    readonly expect: boolean | RegExp;
  }
  const LATEST_CASES: readonly LatestCase[] = [
    { title: "auto moves latest for the highest stable", version: "1.5.0", published: publishedAt("1.4.0"), latest: "auto", expect: true },
    { title: "unset is auto", version: "1.5.0", published: publishedAt("1.4.0"), latest: undefined, expect: true },
    { title: "auto keeps latest for a hotfix", version: "1.3.9", published: publishedAt("1.4.0"), latest: "auto", expect: false },
    { title: "auto keeps latest for a prerelease", version: "1.6.0-rc.1", published: publishedAt("1.5.0"), latest: "auto", expect: false },
    {
      title: "false keeps latest even for the highest stable",
      version: "1.5.0",
      published: publishedAt("1.4.0"),
      latest: "false",
      expect: false,
    },
    { title: "false on a first release leaves latest unset", version: "1.0.0", published: [], latest: "false", expect: false },
    { title: "true for the highest stable moves it", version: "2.0.0", published: publishedAt("1.9.0"), latest: "true", expect: true },
    {
      title: "true for a prerelease is refused",
      version: "1.5.0-rc.1",
      published: publishedAt("1.4.0"),
      latest: "true",
      expect: /^slipway:latest = "true": 1\.5\.0-rc\.1 is a prerelease, and a prerelease is never latest; fix: use auto /,
    },
    {
      title: "true for a hotfix below the highest is refused",
      version: "1.3.9",
      published: publishedAt("1.4.0"),
      latest: "true",
      expect:
        /^slipway:latest = "true": 1\.4\.0 is published and higher, and latest never moves back; fix: use auto to release 1\.3\.9 without moving latest$/,
    },
    {
      title: "an unknown policy is refused",
      version: "1.5.0",
      published: [],
      latest: "always",
      expect: /^slipway:latest = "always": must be auto, true or false; fix: /,
    },
    {
      title: "without a latest template GitHub's latest still follows the rule",
      version: "1.5.0",
      published: publishedAt("1.4.0"),
      latest: "auto",
      templates: ["v{{version}}"],
      expect: true,
    },
  ];
  for (const c of LATEST_CASES) {
    it(c.title, () => {
      const input = releaseInput({ version: c.version, published: c.published, tagTemplates: c.templates, latest: c.latest });
      if (c.expect instanceof RegExp) {
        assert.throws(
          () => planRelease(input),
          (error: unknown) => error instanceof SlipwayInputError && error.key === "latest" && (c.expect as RegExp).test(error.message),
        );
        return;
      }
      const plan = planRelease(input);
      assert.equal(plan.latest.moves, c.expect);
      assert.equal(plan.tags.includes("latest"), c.expect && c.templates === undefined);
      if (c.templates === undefined) assert.deepEqual(plan.floating.latest, plan.latest, "the tag and GitHub's latest agree");
    });
  }

  it("false says who keeps latest", () => {
    const plan = planRelease(releaseInput({ version: "1.5.0", published: publishedAt("1.4.0"), latest: "false" }));
    assert.equal(plan.latest.reason, "latest is set to false: latest stays on 1.4.0");
    assert.deepEqual(plan.tags, ["v1.5.0", "v1.5", "v1", SHA], "the other floating tags still move");
  });
});

/** Survivors of `npm run test:mutation -- --mutate plan/tags.ts`, each named after its mutant. */
describe("tag template rules that mutation testing found untested", () => {
  const KINDS: readonly [string, TagKind][] = [
    ["v{{version}}", "exact"],
    ["v{{major}}.{{minor}}.{{patch}}", "exact"],
    ["{{raw}}", "exact"],
    ["sha-{{sha}}", "commit"],
    ["v{{ major }}.{{minor}}", "minor"],
    ["v{{major}}", "major"],
    ["latest", "global"],
  ];
  for (const [template, kind] of KINDS) {
    it(`mutant 'classify returns no kind': ${template} is ${kind}`, () => assert.equal(parseTagTemplate(template, "k").kind, kind));
  }

  for (const template of ["", "   ", 7]) {
    it(`mutant 'empty template accepted': ${JSON.stringify(template)} is refused`, () => {
      assert.throws(
        () => parseTagTemplate(template as string, "tagTemplates[0]"),
        (error: unknown) => error instanceof SlipwayInputError && error.problem === "a tag template must not be empty",
      );
    });
  }

  it("mutant 'OCI tag without its end anchor': a tag over 128 characters is refused", () => {
    assert.throws(() => planRelease(releaseInput({ tagTemplates: ["a".repeat(129)] })), /is not a valid OCI tag/);
    assert.deepEqual(planRelease(releaseInput({ tagTemplates: ["a".repeat(128)] })).tags, ["a".repeat(128)]);
  });

  it("mutant 'one dash per stray character': a run of characters not allowed in a tag becomes one dash", () => {
    assert.equal(sanitizeTag("v1.4.0+build/7 x"), "v1.4.0-build-7-x");
    assert.equal(sanitizeTag("a+/ b"), "a-b");
  });

  const PRERELEASE_TEMPLATES: readonly [string, string][] = [
    ["{{raw}}.{{major}}", "v2.0.0-rc.1.2"],
    ["{{version}}-{{major}}", "2.0.0-rc.1"],
    ["pre-{{major}}.{{minor}}-post-{{sha}}", "pre-2.0.0-rc.1-post-5a8b7c3"],
    ["{{sha}}-{{major}}.{{minor}}", "5a8b7c3-2.0.0-rc.1"],
    ["{{sha}}{{major}}", "5a8b7c32.0.0-rc.1"],
  ];
  for (const [template, tag] of PRERELEASE_TEMPLATES) {
    it(`mutant 'prerelease rewrite of semver placeholders': ${template} renders ${tag} for v2.0.0-rc.1`, () => {
      assert.deepEqual(planRelease(releaseInput({ version: "v2.0.0-rc.1", tagTemplates: [template] })).tags, [tag]);
    });
  }

  it("mutant 'holder is the last published, not the highest': published order does not matter", () => {
    const plan = planRelease(releaseInput({ version: "1.3.9", published: publishedAt("1.4.0", "1.3.8", "1.2.0") }));
    assert.deepEqual(plan.tags, ["v1.3.9", "v1.3", SHA]);
    assert.equal(plan.floating.v1?.holder, "1.4.0");
    assert.equal(plan.floating["v1.3"]?.holder, "1.3.8");
  });

  it("mutant 'every line named like a major line': latest follows every stable version", () => {
    const plan = planRelease(releaseInput({ version: "1.0.0" }));
    assert.deepEqual(plan.floating.latest, {
      tag: "latest",
      kind: "global",
      line: "*",
      moves: true,
      holder: null,
      reason: "first stable release of stable versions",
    });
    assert.deepEqual(plan.floating.v1?.line, "1.x");
    assert.equal(plan.floating["v1.0"]?.reason, "first stable release of 1.0.x");
  });

  it("mutant 'every prerelease reason says never produced': a minor tag says prereleases never move it", () => {
    const plan = planRelease(releaseInput({ version: "1.5.0-rc.1" }));
    assert.equal(plan.floating["v1.5"]?.reason, "1.5.0-rc.1 is a prerelease; prereleases never move floating tags");
  });

  it("mutant 'exact tags start with junk': immutable tags are the exact and commit tags only", () => {
    assert.deepEqual(planRelease(releaseInput()).immutableTags, ["v1.4.0", SHA]);
  });

  const POLICIES: readonly [unknown, string | undefined][] = [
    [undefined, "auto"],
    ["auto", "auto"],
    [true, "true"],
    [false, "false"],
    ["false", "false"],
    [["auto"], undefined],
    [1, undefined],
    ["yes", undefined],
  ];
  for (const [value, policy] of POLICIES) {
    it(`mutant 'latest policy from any value': ${JSON.stringify(value)} is ${policy ?? "refused"}`, () => {
      if (policy !== undefined) assert.equal(parseLatestPolicy(value, "latest"), policy);
      else
        assert.throws(
          () => parseLatestPolicy(value, "latest"),
          (error: unknown) =>
            error instanceof SlipwayInputError &&
            error.message.endsWith(
              "must be auto, true or false; fix: use auto to move latest only when this release is the highest stable version",
            ),
        );
    });
  }

  it("mutant 'false rewrites a reason it does not change': a hotfix under latest=false keeps the earned reason", () => {
    const hotfix = planRelease(releaseInput({ version: "1.3.9", published: publishedAt("1.4.0"), latest: "false" }));
    assert.equal(hotfix.latest.reason, "1.4.0 stays: it is higher than 1.3.9 among stable versions");
    const first = planRelease(releaseInput({ version: "1.0.0", latest: "false" }));
    assert.equal(first.latest.reason, "latest is set to false: latest is not set");
    assert.equal(decideLatest(parseVersion("1.0.0"), [], "false", "stable").reason, "latest is set to false: stable is not set");
  });

  it("mutant 'no default latest policy': planTags defaults to auto", () => {
    const plan = planTags([parseTagTemplate("latest", "k")], parseVersion("1.3.9"), "5a8b7c3", [parseVersion("1.4.0")], () => "k");
    assert.deepEqual(plan.tags, []);
    assert.equal(plan.floating.latest?.holder, "1.4.0");
  });
});
