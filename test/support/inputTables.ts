// Table-driven checks of pure validators: each bad input must throw one SlipwayInputError line with the
// exact message; each good input must return exactly the expected value.
import assert from "node:assert/strict";
import { it } from "node:test";
import { SlipwayInputError } from "../../plan/errors";

export interface BadInput {
  readonly title: string;
  readonly run: () => unknown;
  readonly message: string;
}

/** One test per case: `run` throws a one-line SlipwayInputError whose message is exactly `message`. */
export function itRefusesEach(cases: readonly BadInput[]): void {
  cases.forEach(({ title, run, message }, index) => {
    it(`[${index}] refuses ${title}`, () => {
      assert.throws(run, (error: unknown) => {
        assert.ok(error instanceof SlipwayInputError, `expected SlipwayInputError, got ${String(error)}`);
        assert.equal(error.message, message);
        assert.ok(!error.message.includes("\n"));
        return true;
      });
    });
  });
}

/** One test per case `[title, run, expected]`: `run()` deep-equals `expected`. */
export function itReturnsEach(cases: readonly (readonly [string, () => unknown, unknown])[]): void {
  cases.forEach(([title, run, expected], index) => {
    it(`[${index}] ${title}`, () => assert.deepEqual(run(), expected));
  });
}
