import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  RecordedTag,
  TagMoveLike,
  driftLines,
  driftOverwrites,
  findDrift,
  recordedTag,
  renderDriftMarkdown,
  tagMoveErrors,
  tagMoveLine,
  tagWarningsMarkdown,
} from "../../plan/tagDrift";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const C = `sha256:${"c".repeat(64)}`;
const ref = (tag: string) => ({ registry: "r:5000", repository: "hello", tag });
const rec = (tag: string, digest: string, mutable = tag === "latest"): RecordedTag => ({ ...ref(tag), mutable, digest });
const move = (tag: string, from: string | null | undefined, to: string | undefined, mutable = tag === "latest"): TagMoveLike => ({
  ...ref(tag),
  mutable,
  from,
  to,
});

describe("recordedTag", () => {
  const cases: [string, Record<string, unknown> | undefined, RecordedTag | undefined][] = [
    ["a full record", { ...ref("v1"), digest: A, mutable: true, platforms: {} }, rec("v1", A, true)],
    ["immutable unless marked mutable", { ...ref("v1.4.0"), digest: A }, rec("v1.4.0", A, false)],
    ["no digest (a tag read back as gone)", { ...ref("v1"), digest: "" }, undefined],
    ["no tag name", { registry: "r:5000", repository: "hello", digest: A }, undefined],
    ["no registry", { repository: "hello", tag: "v1", digest: A }, undefined],
    ["no repository", { registry: "r:5000", tag: "v1", digest: A }, undefined],
    ["a digest that is not a string", { ...ref("v1"), digest: 42 }, undefined],
    ["mutable only when exactly true", { ...ref("latest"), digest: A, mutable: "true" }, rec("latest", A, false)],
    ["no old state", undefined, undefined],
  ];
  for (const [title, olds, expected] of cases) it(title, () => assert.deepEqual(recordedTag(olds), expected));
});

describe("findDrift", () => {
  const recorded = [rec("latest", A), rec("v1.4.0", A)];
  const cases: [string, Record<string, string | null>, [string, string | null][]][] = [
    ["the registry serves what the stack recorded", { "r:5000/hello:latest": A, "r:5000/hello:v1.4.0": A }, []],
    ["latest re-pointed by hand", { "r:5000/hello:latest": B, "r:5000/hello:v1.4.0": A }, [["latest", B]]],
    ["an immutable tag deleted", { "r:5000/hello:latest": A, "r:5000/hello:v1.4.0": null }, [["v1.4.0", null]]],
    ["an unreadable registry is no drift", {}, []],
  ];
  for (const [title, served, expected] of cases) {
    it(title, () =>
      assert.deepEqual(
        findDrift(recorded, served).map((d) => [d.tag, d.served]),
        expected,
      ),
    );
  }
  it("lists drift sorted by registry, repository and tag, whatever the order recorded", () => {
    const scrambled = [
      rec("v1", A),
      { ...rec("latest", A), registry: "a:5000" },
      rec("latest", A),
      rec("v1.4.0", A),
      { ...rec("v1", A), repository: "hell" },
    ];
    const served = Object.fromEntries(scrambled.map((t) => [`${t.registry}/${t.repository}:${t.tag}`, B]));
    assert.deepEqual(
      findDrift(scrambled, served).map((d) => `${d.registry}/${d.repository}:${d.tag}`),
      ["a:5000/hello:latest", "r:5000/hell:v1", "r:5000/hello:latest", "r:5000/hello:v1", "r:5000/hello:v1.4.0"],
    );
  });
  it("names a tag recorded twice once", () =>
    assert.equal(findDrift([rec("latest", A), rec("latest", A)], { "r:5000/hello:latest": B }).length, 1));
});

describe("tagMoveErrors", () => {
  const drift = findDrift([rec("v1.4.0", A)], { "r:5000/hello:v1.4.0": B });
  const cases: [string, TagMoveLike, string | undefined][] = [
    ["immutable from (none) to a digest", move("v1.4.1", null, C), undefined],
    ["immutable from (none) to a new build", move("v1.4.1", null, undefined), undefined],
    ["immutable, registry unreadable", move("v1.4.1", undefined, undefined), undefined],
    ["floating from a digest", move("latest", A, C), undefined],
    ["immutable from a digest to a build not yet known (a resumed release adopts it)", move("v1.4.1", A, undefined), undefined],
    [
      "immutable from a digest to another",
      move("v1.4.1", A, C),
      `r:5000/hello:v1.4.1 is immutable and already points at ${A}; it cannot move to ${C}; fix: release a new version`,
    ],
    [
      "immutable and drifted, to a build not yet known",
      move("v1.4.0", B, undefined),
      `r:5000/hello:v1.4.0 is immutable and drifted: the stack recorded ${A}, the registry serves ${B}; fix: point it back at ${A} (e.g. skopeo copy docker://r:5000/hello@${A} docker://r:5000/hello:v1.4.0), or release a new version`,
    ],
    [
      "immutable and drifted",
      move("v1.4.0", B, A),
      `r:5000/hello:v1.4.0 is immutable and drifted: the stack recorded ${A}, the registry serves ${B}; fix: point it back at ${A} (e.g. skopeo copy docker://r:5000/hello@${A} docker://r:5000/hello:v1.4.0), or release a new version`,
    ],
  ];
  for (const [title, m, expected] of cases) {
    it(title, () => assert.deepEqual(tagMoveErrors([m], drift), expected === undefined ? [] : [expected]));
  }
  it("an immutable tag deleted by hand: the registry serves no such tag", () => {
    const deleted = findDrift([rec("v1.4.0", A)], { "r:5000/hello:v1.4.0": null });
    assert.deepEqual(tagMoveErrors([move("v1.4.0", A, C)], deleted), [
      `r:5000/hello:v1.4.0 is immutable and drifted: the stack recorded ${A}, the registry serves no such tag; fix: point it back at ${A} (e.g. skopeo copy docker://r:5000/hello@${A} docker://r:5000/hello:v1.4.0), or release a new version`,
    ]);
  });
});

describe("driftOverwrites", () => {
  const drift = findDrift([rec("latest", A), rec("v1.4.0", A)], { "r:5000/hello:latest": B, "r:5000/hello:v1.4.0": null });
  const cases: [string, TagMoveLike, string[]][] = [
    [
      "a drifted floating tag the update moves",
      move("latest", B, C),
      [`r:5000/hello:latest was re-pointed outside slipway: this update overwrites ${B} (recorded ${A}) with ${C}`],
    ],
    ["a floating tag that did not drift", move("v1", A, C, true), []],
    ["an immutable tag is refused, not overwritten", move("v1.4.0", null, C), []],
    [
      "an existing immutable tag whose new digest only the build knows",
      move("v1.4.1", A, undefined),
      [`r:5000/hello:v1.4.1 already points at ${A}: the update keeps it if the build gives that digest, and stops otherwise`],
    ],
  ];
  for (const [title, m, expected] of cases) it(title, () => assert.deepEqual(driftOverwrites([m], drift), expected));

  const more: [string, TagMoveLike, string[]][] = [
    ["a floating tag that did not drift, to a build not yet known", move("v1", A, undefined, true), []],
    ["a drifted immutable tag, to a build not yet known, is refused, not overwritten", move("v1.4.0", A, undefined), []],
    ["a new immutable tag, to a build not yet known", move("v1.4.1", null, undefined), []],
    ["an immutable tag the registry could not tell", move("v1.4.1", undefined, undefined), []],
    ["an existing immutable tag to a known digest is refused, not overwritten", move("v1.4.1", A, C), []],
    [
      "a deleted floating tag the update puts back",
      move("latest", null, undefined),
      [`r:5000/hello:latest was re-pointed outside slipway: this update overwrites (none) (recorded ${A}) with the new build`],
    ],
  ];
  const gone = findDrift([rec("latest", A), rec("v1.4.0", A)], { "r:5000/hello:latest": null, "r:5000/hello:v1.4.0": B });
  for (const [title, m, expected] of more) it(title, () => assert.deepEqual(driftOverwrites([m], gone), expected));
});

describe("drift as text and as the comment's section", () => {
  const drift = findDrift([rec("latest", A), rec("v1.4.0", A)], { "r:5000/hello:latest": B, "r:5000/hello:v1.4.0": null });
  it("one plain line per drifted tag", () =>
    assert.deepEqual(driftLines(drift), [
      `drift r:5000/hello:latest (floating): recorded ${A}, served ${B}`,
      `drift r:5000/hello:v1.4.0 (immutable): recorded ${A}, served (none)`,
    ]));
  it("no section without drift", () => assert.equal(renderDriftMarkdown([]), ""));
  it("an open section with a warning and a table of short digests", () =>
    assert.equal(
      renderDriftMarkdown(drift),
      [
        "<details open><summary>Drift (2)</summary>",
        "",
        "> [!WARNING]",
        "> These tags were re-pointed outside slipway since the stack recorded them; `slipway verify` fails until they are put back.",
        "",
        "| tag | kind | recorded | served |",
        "| --- | --- | --- | --- |",
        "| `r:5000/hello:latest` | floating | `sha256:aaaaaaaaaaaa…` | `sha256:bbbbbbbbbbbb…` |",
        "| `r:5000/hello:v1.4.0` | immutable | `sha256:aaaaaaaaaaaa…` | `(none)` |",
        "",
        "</details>",
      ].join("\n"),
    ));
});

describe("tagWarningsMarkdown", () => {
  it("nothing when there is nothing to warn of", () => assert.deepEqual(tagWarningsMarkdown([], []), []));
  it("a caution block for refusals, a list for overwrites", () =>
    assert.deepEqual(tagWarningsMarkdown(["e1"], ["o1"]), [
      "",
      "> [!CAUTION]\n> `slipway release` refuses this update: immutable tags only ever go from (none) to a digest.\n> - e1",
      "",
      "- o1",
    ]));
});

describe("tagMoveLine", () => {
  const cases: [string, TagMoveLike, string][] = [
    ["from the registry", move("latest", A, undefined), `tag r:5000/hello:latest: ${A} -> (new build)`],
    ["from the stack's record", { ...move("latest", A, C), fromRecord: true }, `tag r:5000/hello:latest: ${A} (stack record) -> ${C}`],
    ["a new tag", move("v1.4.1", null, C), `tag r:5000/hello:v1.4.1: (none) -> ${C}`],
    ["unreadable, no record", move("v1.4.1", undefined, undefined), "tag r:5000/hello:v1.4.1: (unknown) -> (new build)"],
  ];
  for (const [title, m, expected] of cases) it(title, () => assert.equal(tagMoveLine(m), expected));
});
