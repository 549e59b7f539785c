import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planRelease } from "../../plan/releasePlan";
import { renderPlanText, table } from "../../plan/render";
import { assertGolden } from "../support/golden";
import { itReturnsEach } from "../support/inputTables";
import { COMMIT, publishedAt, releaseInput } from "../support/release";

describe("table", () => {
  itReturnsEach([
    ["columns padded to the widest cell, two spaces apart", () => table(["A", "BB"], [["ccc", "d"]]), "A    BB\nccc  d"],
    ["the header may be the widest", () => table(["LONG", "X"], [["a", "b"]]), "LONG  X\na     b"],
    [
      "the last column is not padded and no line ends in spaces",
      () =>
        table(
          ["A", "B", "C"],
          [
            ["a", "", ""],
            ["aa", "bbbb", ""],
          ],
        ),
      "A   B     C\na\naa  bbbb",
    ],
    ["a short row counts as empty cells", () => table(["A", "B"], [["aaaa"]]), "A     B\naaaa"],
    ["no rows: the header alone", () => table(["A", "B"], []), "A  B"],
    ["a missing middle cell is empty, not wider", () => table(["A", "B", "C"], [["a"]]), "A  B  C\na"],
  ]);
});

describe("renderPlanText", () => {
  it("says none for no published versions and lists every image platform", () => {
    const text = renderPlanText(planRelease(releaseInput()));
    assert.match(text, /\npublished before: none\n/);
    assert.match(text, /\nimage platforms: linux\/amd64, linux\/arm64\n/);
  });

  it("a new stable release with archives, a moving latest and every label (golden)", () => {
    const plan = planRelease(
      releaseInput({
        version: "v1.4.0",
        published: publishedAt("1.3.0", "1.3.8"),
        platforms: ["linux/amd64", "windows/arm64"],
        source: "https://github.com/acme/hello",
        licenses: "Apache-2.0",
        description: "says hello",
      }),
    );
    assertGolden("plan-text-new.txt", renderPlanText(plan));
  });

  it("a published prerelease with build metadata, two builds and one platform (golden)", () => {
    const plan = planRelease(
      releaseInput({
        version: "2.0.0-rc.1+build.7",
        published: [`2.0.0-rc.1@${COMMIT}`, ...publishedAt("1.4.0")],
        platforms: ["linux/arm64"],
        builds: [{ main: "./cmd/hello" }, { main: "./cmd/helper" }],
        archives: "none",
        tagTemplates: ["v{{version}}", "v{{major}}", "latest"],
      }),
    );
    assertGolden("plan-text-published.txt", renderPlanText(plan));
  });

  it("a stable release published from this commit: its floating tags hold (golden)", () => {
    const plan = planRelease(
      releaseInput({ published: [`1.4.0@${COMMIT}`, ...publishedAt("1.3.8")], platforms: ["linux/amd64"], archives: "none" }),
    );
    assertGolden("plan-text-holds.txt", renderPlanText(plan));
  });
});
