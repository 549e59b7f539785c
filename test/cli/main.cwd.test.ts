import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { takeCwd } from "../../cli/main";
import { UsageError } from "../../cli/usage";

const MISSING = "slipway: --cwd needs a directory, e.g. --cwd ../my-repo";

describe("takeCwd", () => {
  const rows: [string[], string | undefined, string[]][] = [
    [[], undefined, []],
    [["plan", "--version", "1.0.0"], undefined, ["plan", "--version", "1.0.0"]],
    [["--cwd", "x", "plan"], "x", ["plan"]],
    [["--cwd=x", "plan"], "x", ["plan"]],
    [["plan", "--cwd", "../repo", "--json"], "../repo", ["plan", "--json"]],
    [["plan", "--json", "--cwd=/abs/repo"], "/abs/repo", ["plan", "--json"]],
    [["release", "1.0.0", "--cwd", "a=b"], "a=b", ["release", "1.0.0"]],
    [["--cwd", "first", "plan", "--cwd=second"], "second", ["plan"]],
    [["plan", "--cwdx", "y"], undefined, ["plan", "--cwdx", "y"]],
    [["plan", "-cwd", "y"], undefined, ["plan", "-cwd", "y"]],
  ];
  for (const [argv, cwd, rest] of rows) {
    it(JSON.stringify(argv), () => assert.deepEqual(takeCwd(argv), { cwd, rest }));
  }

  for (const argv of [
    ["plan", "--cwd"],
    ["--cwd", "", "plan"],
    ["plan", "--cwd="],
  ]) {
    it(`refuses ${JSON.stringify(argv)}`, () => {
      assert.throws(
        () => takeCwd(argv),
        (error: unknown) => error instanceof UsageError && error.message === MISSING,
      );
    });
  }
});
