// providers/awsModule.ts: @pulumi/aws is loaded only by a stack that declares AWS resources.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { REPO } from "../e2e/support/project";

/** Runs `script` in a fresh process of the sources: whether @pulumi/aws was loaded before it, and after it (`after`, which the script may set). */
function loadedAws(script: string): { before: boolean; after: boolean } {
  const check = `
const loaded = () => Object.keys(require.cache).some((file) => /node_modules\\/@pulumi\\/aws\\/index\\.js$/.test(file));
require("./program");
const before = loaded();
let after;
${script}
process.stdout.write(JSON.stringify({ before, after: after ?? loaded() }));
`;
  return JSON.parse(execFileSync(process.execPath, ["--import", "tsx", "-e", check], { cwd: REPO, encoding: "utf8" })) as {
    before: boolean;
    after: boolean;
  };
}

describe("@pulumi/aws is loaded on first use", () => {
  it("the whole program loads without it", () => {
    assert.deepEqual(loadedAws(""), { before: false, after: false });
  });

  it("the first AWS resource loads it, and gets the real module", () => {
    const script = `
const { aws } = require("./providers/awsModule");
const repository = aws.ecr.Repository;
after = loaded();
if (repository !== require("@pulumi/aws").ecr.Repository) throw new Error("another module");`;
    assert.deepEqual(loadedAws(script), { before: false, after: true });
  });
});
