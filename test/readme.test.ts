import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SETTINGS } from "../plan/settings";

const README = readFileSync(join(__dirname, "..", "README.md"), "utf8");

function settingsTable(): string {
  const rows = Object.entries(SETTINGS).map(([key, spec]) => `| \`slipway:${key}\` | ${spec.type} | ${spec.default} | ${spec.meaning} |`);
  return ["| key | type | default | meaning |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

describe("README", () => {
  it("documents every slipway:* setting exactly as the loader defines it", () => {
    assert.ok(README.includes(settingsTable()), `README's config table should read:\n${settingsTable()}`);
  });

  it("names the set-up and test commands that CI runs", () => {
    const ci = readFileSync(join(__dirname, "..", ".ci", "run"), "utf8");
    assert.match(README, /npm ci && scripts\/toolchain\.sh start && npm test && npm run test:e2e/);
    const steps = ci
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#") && !line.startsWith("set ") && !line.startsWith("cd "));
    assert.deepEqual(steps, ["npm ci", "scripts/toolchain.sh start", "npm test", "npm run test:e2e"]);
  });
});
