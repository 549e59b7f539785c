// Program names, byte order of asset names, and the settings named by template errors (plan/assets.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { byteOrder, checkProgramName } from "../../plan/assets";
import { planRelease } from "../../plan/releasePlan";
import { itRefusesEach, itReturnsEach } from "../support/inputTables";
import { releaseInput } from "../support/release";

const NAME_FIX = "fix: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. hello";

describe("checkProgramName", () => {
  itReturnsEach(
    ["a", "hello", "A1._-", `h${"x".repeat(63)}`].map(
      (name) => [`${name.length} characters: ${name.slice(0, 12)}`, () => checkProgramName(name, "name"), name] as const,
    ),
  );
  itRefusesEach(
    ["", "-hello", ".hello", " hello", "hello ", "hel lo", "a/b", "héllo", `h${"x".repeat(64)}`, 42].map((name) => ({
      title: JSON.stringify(name),
      run: () => checkProgramName(name, "name"),
      message: `slipway:name = ${JSON.stringify(name)}: not a usable program name; ${NAME_FIX}`,
    })),
  );
});

describe("byteOrder", () => {
  itReturnsEach([
    ["a before b", () => byteOrder("a", "b"), -1],
    ["b after a", () => byteOrder("b", "a"), 1],
    ["equal", () => byteOrder("a", "a"), 0],
    ["upper case before lower case", () => byteOrder("B", "a"), -1],
    ["a prefix first", () => byteOrder("a", "a."), -1],
    ["sorts as LC_ALL=C sort does", () => ["b", "a.", "B", "a", "_"].sort(byteOrder), ["B", "_", "a", "a.", "b"]],
  ]);
});

describe("template errors name their setting", () => {
  for (const field of ["nameTemplate", "binaryNameTemplate"]) {
    it(`archives.${field}`, () => {
      assert.throws(
        () => planRelease(releaseInput({ archives: { [field]: "{{nope}}" } })),
        (error: unknown) =>
          error instanceof Error &&
          error.message.startsWith(`slipway:archives.${field} = "{{nope}}": unknown placeholder {{nope}}; fix: use `),
      );
    });
  }
});
