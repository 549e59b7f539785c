import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SlipwayInputError, showValue } from "../../plan/errors";
import { itReturnsEach } from "../support/inputTables";

describe("showValue", () => {
  itReturnsEach([
    ["unset", () => showValue(undefined), "(unset)"],
    ["an empty string, quoted so it is visible", () => showValue(""), '""'],
    ["null", () => showValue(null), "null"],
    ["an object as JSON", () => showValue({ a: [1] }), '{"a":[1]}'],
    ["a function, by its type", () => showValue(() => 1), "function"],
    ["120 characters in full", () => showValue("x".repeat(118)), `"${"x".repeat(118)}"`],
    ["121 characters cut to 117 and an ellipsis", () => showValue("x".repeat(119)), `"${"x".repeat(116)}...`],
  ]);
});

describe("SlipwayInputError", () => {
  const error = new SlipwayInputError("registries[0].address", "a\nb", "not an address\n  at all", "write\r\nhost:port");

  it("is one line: setting, value, problem and fix, line breaks and the space around them folded", () => {
    assert.equal(error.message, 'slipway:registries[0].address = "a\\nb": not an address at all; fix: write host:port');
    assert.equal(error.name, "SlipwayInputError");
    assert.ok(error instanceof Error);
  });

  it("keeps its parts", () => {
    assert.deepEqual(
      [error.key, error.value, error.problem, error.fix],
      ["registries[0].address", "a\nb", "not an address\n  at all", "write\r\nhost:port"],
    );
  });

  it("spells the setting as the front end asks", () => {
    assert.equal(
      error.describe((key) => `--${key}`),
      '--registries[0].address = "a\\nb": not an address at all; fix: write host:port',
    );
  });

  it("folds a bare carriage return too", () => {
    assert.equal(new SlipwayInputError("k", undefined, "a\rb", "c").message, "slipway:k = (unset): a b; fix: c");
  });
});
