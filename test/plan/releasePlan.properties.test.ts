import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { compare } from "semver";
import { canonicalJson } from "../../plan/canonicalJson";
import { SlipwayInputError } from "../../plan/errors";
import { ReleaseInput, ReleasePlan, planRelease } from "../../plan/releasePlan";
import { OCI_TAG } from "../../plan/tags";
import { COMMIT, OTHER_COMMIT, releaseInput } from "../support/release";

const hex40 = fc.stringMatching(/^[0-9a-f]{40}$/);

const stableText = fc
  .tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.nat({ max: 3 }))
  .map(([major, minor, patch]) => `${major}.${minor}.${patch}`);
const prereleaseText = fc.tuple(stableText, fc.constantFrom("rc.1", "rc.2", "beta", "alpha.0")).map(([stable, pre]) => `${stable}-${pre}`);
/** Mostly stable versions, as real histories are. */
const versionText = fc.oneof({ arbitrary: stableText, weight: 3 }, { arbitrary: prereleaseText, weight: 1 });

const spelled = fc
  .tuple(versionText, fc.boolean(), fc.option(fc.constantFrom("build.7", "ci.42", "x"), { nil: undefined }))
  .map(([v, withV, build]) => `${withV ? "v" : ""}${v}${build === undefined ? "" : `+${build}`}`);

/** Distinct published versions (by precedence), each with the commit it was built from. */
const publishedList = fc
  .uniqueArray(fc.tuple(versionText, hex40), { maxLength: 8, selector: ([version]) => version })
  .map((entries) => entries.map(([version, commit]) => `${version}@${commit}`));

/** Templates that are valid for every version: the ones users write, metadata-action style. */
const validTemplate = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("", "v", "release-"),
      fc.constantFrom("{{version}}", "{{major}}.{{minor}}.{{patch}}", "{{major}}.{{minor}}", "{{major}}", "{{raw}}"),
    )
    .map(([prefix, body]) => prefix + body),
  fc.constantFrom("latest", "stable", "sha-{{sha}}", "{{version}}-{{sha}}", "edge"),
);
const validTemplates = fc.uniqueArray(validTemplate, { minLength: 1, maxLength: 5 });

/** Template text from pieces, most of which do not make a valid tag: for the refusal property. */
const anyTemplate = fc
  .array(
    fc.constantFrom(
      "v",
      "{{version}}",
      "{{major}}",
      "{{minor}}",
      "{{patch}}",
      "{{raw}}",
      "{{sha}}",
      ".",
      "-",
      "_",
      "+",
      "/",
      " ",
      "latest",
      "x",
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(""));

/** Plans, counting the inputs refused with an input error, so a property can tell how many cases it really spent. */
class Planner {
  runs = 0;
  refused = 0;

  plan(input: ReleaseInput): ReleasePlan | undefined {
    this.runs++;
    try {
      return planRelease(input);
    } catch (error) {
      if (!(error instanceof SlipwayInputError)) throw error;
      this.refused++;
      return undefined;
    }
  }

  assertMostlyPlanned(maxRefusedShare: number): void {
    assert.ok(this.runs > 0, "no case ran");
    assert.ok(this.refused / this.runs <= maxRefusedShare, `${this.refused} of ${this.runs} cases were refused inputs`);
  }
}

/** The floating tags of the default templates that follow a version's lines. */
function lineTags(version: string): string[] {
  const [major, minor] = version.split(".");
  return [`v${major}.${minor}`, `v${major}`, "latest"];
}

function inLineOf(tag: string): (version: string) => boolean {
  if (tag === "latest") return () => true;
  const prefix = `${tag.slice(1)}.`;
  return (version) => version.startsWith(prefix);
}

function highestStable(versions: readonly string[], tag: string): string | null {
  return (
    versions
      .filter((v) => !v.includes("-") && inLineOf(tag)(v))
      .sort(compare)
      .pop() ?? null
  );
}

describe("release plan properties", () => {
  it("is a pure function of its input: byte-identical JSON, whatever the order of published versions", () => {
    const planner = new Planner();
    fc.assert(
      fc.property(spelled, publishedList, validTemplates, (version, published, templates) => {
        const input = releaseInput({ version, published, tagTemplates: templates });
        const first = planner.plan(input);
        const again = planner.plan(structuredClone(input));
        const reversed = planner.plan({ ...input, published: [...published].reverse() });
        assert.equal(canonicalJson(again), canonicalJson(first));
        assert.equal(canonicalJson(reversed), canonicalJson(first));
      }),
      { numRuns: 300 },
    );
    // Only a version already published from another commit is refused.
    planner.assertMostlyPlanned(0.1);
  });

  it("plans every valid template of every version, with valid OCI tags only", () => {
    const planner = new Planner();
    fc.assert(
      fc.property(spelled, publishedList, validTemplates, (version, published, templates) => {
        const plan = planner.plan(
          releaseInput({ version, published: published.map((p) => p.replace(/@.*/, `@${COMMIT}`)), tagTemplates: templates }),
        );
        assert.ok(plan !== undefined, "a valid input is planned");
        for (const tag of [...plan.tags, ...Object.keys(plan.floating)]) assert.match(tag, OCI_TAG);
      }),
      { numRuns: 300 },
    );
    planner.assertMostlyPlanned(0);
  });

  it("renders only valid OCI tags, or refuses the template with an input error", () => {
    const planner = new Planner();
    fc.assert(
      fc.property(spelled, fc.array(anyTemplate, { minLength: 1, maxLength: 3 }), (version, templates) => {
        const plan = planner.plan(releaseInput({ version, tagTemplates: templates }));
        for (const tag of [...(plan?.tags ?? []), ...Object.keys(plan?.floating ?? {})]) {
          assert.match(tag, OCI_TAG);
        }
      }),
      { numRuns: 500 },
    );
    // Most of these templates are bad on purpose; the property still has to see some good ones.
    planner.assertMostlyPlanned(0.9);
  });

  it("a prerelease moves no floating tag and never produces latest", () => {
    const planner = new Planner();
    fc.assert(
      fc.property(prereleaseText, publishedList, (version, published) => {
        const plan = planner.plan(releaseInput({ version, published }));
        if (plan === undefined) return;
        assert.equal(plan.tags.includes("latest"), false);
        assert.equal(plan.latest.moves, false);
        for (const [tag, decision] of Object.entries(plan.floating)) assert.equal(decision.moves, false, tag);
      }),
      { numRuns: 300 },
    );
    planner.assertMostlyPlanned(0.1);
  });

  it("after any release order, every floating tag of every line is held by the highest stable version of its line", () => {
    fc.assert(
      fc.property(fc.uniqueArray(versionText, { minLength: 1, maxLength: 10 }), (order) => {
        const holders = new Map<string, string>();
        const released: string[] = [];
        for (const version of order) {
          const plan = planRelease(releaseInput({ version, published: released.map((v) => `${v}@${OTHER_COMMIT}`) }));
          // Every floating tag of this version's lines is decided, including those that stay where they are.
          assert.deepEqual(Object.keys(plan.floating).sort(), lineTags(version).sort());
          for (const [tag, decision] of Object.entries(plan.floating)) {
            const holder = highestStable(released, tag);
            assert.equal(decision.holder, holder, `${tag} holder before ${version}`);
            assert.equal(holder, holders.get(tag) ?? null, `${tag} is held by the version it last moved to`);
            const earns = !version.includes("-") && (holder === null || compare(version, holder) > 0);
            assert.equal(decision.moves, earns, `${tag} moves to ${version}`);
            assert.equal(plan.tags.includes(tag), earns, `${tag} published with ${version}`);
            if (decision.moves) holders.set(tag, plan.version);
          }
          released.push(version);
        }
        const expected = new Map<string, string>();
        for (const tag of new Set(released.flatMap(lineTags))) {
          const holder = highestStable(released, tag);
          if (holder !== null) expected.set(tag, holder);
        }
        assert.deepEqual(new Map([...holders].sort()), new Map([...expected].sort()));
      }),
      { numRuns: 300 },
    );
  });

  it("re-releasing a published version is a no-op from its own commit and refused from another", () => {
    fc.assert(
      fc.property(
        publishedList.filter((list) => list.length > 0),
        fc.nat(),
        (published, pick) => {
          const [version, commit] = (published[pick % published.length] as string).split("@") as [string, string];
          const again = planRelease(releaseInput({ version, commit, published }));
          assert.equal(again.status, "published");
          const other = commit === COMMIT ? OTHER_COMMIT : COMMIT;
          assert.throws(
            () => planRelease(releaseInput({ version, commit: other, published })),
            (error: unknown) => error instanceof SlipwayInputError && error.key === "commit",
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
