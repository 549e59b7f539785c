import { describe } from "node:test";
import { canonicalJson } from "../../plan/canonicalJson";
import { itReturnsEach } from "../support/inputTables";

describe("canonicalJson", () => {
  itReturnsEach([
    [
      "keys sorted at every depth, two-space indent",
      () => canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: null } }),
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "e": 2,\n        "f": 1\n      }\n    ]\n  },\n  "b": 1\n}',
    ],
    ["undefined entries dropped", () => canonicalJson({ a: undefined, b: "x" }, 0), '{"b":"x"}'],
    ["arrays keep their order", () => canonicalJson([3, 1, 2], 0), "[3,1,2]"],
    ["scalars as they are", () => canonicalJson("s", 0), '"s"'],
    ["null", () => canonicalJson(null), "null"],
    ["another indent", () => canonicalJson({ a: 1 }, 4), '{\n    "a": 1\n}'],
  ]);
});
