// The recorded engine events (test/golden/events-*.json, re-recorded by `npm run golden:events`) must be
// events of the current program: every resource they name is one the local stack declares today.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SNAPSHOT_MARKER } from "./support/stackSnapshot";

const GOLDEN = join(__dirname, "golden");
const FIXTURES = readdirSync(GOLDEN).filter((f) => /^events-.*\.json$/.test(f) && !f.endsWith("-outputs.json"));

/** `type name` of every resource the local stack's program declares (under mocks). */
function declaredResources(): Set<string> {
  const run = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "support", "stackSnapshot.ts"), "local"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(run.status, 0, run.stderr);
  const resources = JSON.parse(run.stdout.slice(run.stdout.indexOf(SNAPSHOT_MARKER) + SNAPSHOT_MARKER.length + 1)) as {
    type: string;
    name: string;
  }[];
  return new Set(resources.map((r) => `${r.type} ${r.name}`));
}

/** `type name` of every resource a fixture's URNs name; the engine's own (stack, default providers) aside. */
function namedResources(events: unknown): Set<string> {
  const named = new Set<string>();
  for (const [, urn] of JSON.stringify(events).matchAll(/"(urn:pulumi:[^"]+)"/g)) {
    const [, , qualifiedType = "", name = ""] = (urn as string).split("::");
    const type = qualifiedType.split("$").pop() ?? "";
    if (type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:")) continue;
    named.add(`${type} ${name}`);
  }
  return named;
}

describe("recorded engine events", () => {
  it("exist", () => assert.ok(FIXTURES.length >= 4, FIXTURES.join(", ")));

  const declared = declaredResources();
  for (const fixture of FIXTURES) {
    it(`${fixture} names only resources the current program declares`, () => {
      const named = namedResources(JSON.parse(readFileSync(join(GOLDEN, fixture), "utf8")));
      assert.ok(named.size > 10, `${fixture} names the program's resources`);
      const unknown = [...named].filter((r) => !declared.has(r)).sort();
      assert.deepEqual(unknown, [], `${fixture} was recorded from another program: re-record with npm run golden:events`);
    });
  }
});
