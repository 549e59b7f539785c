import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { compare } from "semver";
import { canonicalJson } from "../../plan/canonicalJson";
import { SlipwayInputError } from "../../plan/errors";
import { planRelease } from "../../plan/releasePlan";
import { OCI_TAG } from "../../plan/tags";
import { COMMIT, releaseInput } from "../support/release";

const hex40 = fc.stringMatching(/^[0-9a-f]{40}$/);

const versionText = fc
  .record({
    major: fc.nat({ max: 4 }),
    minor: fc.nat({ max: 4 }),
    patch: fc.nat({ max: 4 }),
    pre: fc.option(fc.constantFrom("rc.1", "rc.2", "beta", "alpha.0"), { nil: undefined }),
  })
  .map(({ major, minor, patch, pre }) => `${major}.${minor}.${patch}${pre === undefined ? "" : `-${pre}`}`);

const spelled = fc
  .tuple(versionText, fc.boolean(), fc.option(fc.constantFrom("build.7", "ci.42", "x"), { nil: undefined }))
  .map(([v, withV, build]) => `${withV ? "v" : ""}${v}${build === undefined ? "" : `+${build}`}`);

/** Distinct published versions (by precedence), each with some commit. */
const publishedList = fc
  .uniqueArray(versionText, { maxLength: 8 })
  .chain((versions) => fc.tuple(fc.constant(versions), fc.array(hex40, { minLength: versions.length, maxLength: versions.length })))
  .map(([versions, commits]) => versions.map((v, i) => `${v}@${commits[i] ?? COMMIT}`));

const templatePiece = fc.constantFrom(
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
);
const template = fc.array(templatePiece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(""));

function planOrInputError(input: Parameters<typeof planRelease>[0]) {
  try {
    return planRelease(input);
  } catch (error) {
    if (error instanceof SlipwayInputError) return undefined;
    throw error;
  }
}

describe("release plan properties", () => {
  it("is a pure function of its input: byte-identical JSON, whatever the order of published versions", () => {
    fc.assert(
      fc.property(spelled, publishedList, fc.array(template, { minLength: 1, maxLength: 4 }), (version, published, templates) => {
        const input = releaseInput({ version, published, tagTemplates: templates });
        const first = planOrInputError(input);
        const again = planOrInputError(structuredClone(input));
        const reversed = planOrInputError({ ...input, published: [...published].reverse() });
        assert.equal(canonicalJson(again), canonicalJson(first));
        assert.equal(canonicalJson(reversed), canonicalJson(first));
      }),
      { numRuns: 300 },
    );
  });

  it("renders only valid OCI tags, or refuses the template with an input error", () => {
    fc.assert(
      fc.property(spelled, fc.array(template, { minLength: 1, maxLength: 5 }), (version, templates) => {
        const plan = planOrInputError(releaseInput({ version, tagTemplates: templates }));
        for (const tag of [...(plan?.tags ?? []), ...Object.keys(plan?.floating ?? {})]) {
          assert.match(tag, OCI_TAG);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never produces latest for a prerelease", () => {
    fc.assert(
      fc.property(
        versionText.filter((v) => v.includes("-")),
        publishedList,
        (version, published) => {
          const plan = planOrInputError(releaseInput({ version, published }));
          if (plan !== undefined) assert.equal(plan.tags.includes("latest"), false);
        },
      ),
    );
  });

  it("after any release order, latest and each vX, vX.Y are held by exactly the highest stable version of their line", () => {
    fc.assert(
      fc.property(fc.uniqueArray(versionText, { minLength: 1, maxLength: 10 }), (order) => {
        const holders = new Map<string, string>();
        const released: string[] = [];
        for (const version of order) {
          const plan = planRelease(releaseInput({ version, published: released.map((v) => `${v}@${COMMIT}`) }));
          for (const [tag, decision] of Object.entries(plan.floating)) {
            if (decision.moves) {
              if (decision.holder !== null) assert.ok(compare(plan.version, decision.holder) > 0, `${tag} moves backwards`);
              holders.set(tag, plan.version);
            }
          }
          released.push(version);
        }
        const stable = released.filter((v) => !v.includes("-"));
        const highest = (line: (v: string) => boolean) => stable.filter(line).sort(compare).pop();
        assert.equal(
          holders.get("latest"),
          highest(() => true),
        );
        for (const [tag, holder] of holders) {
          const [, major, minor] = /^v(\d+)(?:\.(\d+))?$/.exec(tag) ?? [];
          if (major === undefined) continue;
          const prefix = minor === undefined ? `${major}.` : `${major}.${minor}.`;
          assert.equal(
            holder,
            highest((v) => v.startsWith(prefix)),
            tag,
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
