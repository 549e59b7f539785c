// Each stack's whole program under mocks: every declared resource with its inputs, as a golden snapshot
// (updated only deliberately, with UPDATE_GOLDEN=1), and byte-identical across two separate runs.
// Mocks cannot prove that providers accept the inputs; the e2e suite runs the local stack for real.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseStackConfig } from "../plan/stackConfig";
import { assertGolden } from "./support/golden";
import { SNAPSHOT_MARKER, stackConfig } from "./support/stackSnapshot";

const SCRIPT = join(__dirname, "support", "stackSnapshot.ts");
const RELEASE_SETTINGS = [
  "slipway:version=1.4.0",
  "slipway:commit=5a8b7c3d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b",
  "slipway:commitTime=2026-11-20T10:00:00Z",
];

function snapshot(stack: string, overrides: readonly string[], env: Record<string, string> = {}): string {
  const run = spawnSync(process.execPath, ["--import", "tsx", SCRIPT, stack, ...overrides], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  assert.equal(run.status, 0, run.stderr);
  const at = run.stdout.indexOf(SNAPSHOT_MARKER);
  assert.ok(at >= 0, run.stdout);
  return run.stdout.slice(at + SNAPSHOT_MARKER.length + 1);
}

describe("stack snapshots", () => {
  for (const [stack, overrides] of [
    ["local", []],
    ["release", RELEASE_SETTINGS],
  ] as const) {
    it(`${stack}: the declared resources match the golden snapshot and do not vary between runs`, () => {
      const first = snapshot(stack, overrides);
      const second = snapshot(stack, overrides);
      assert.equal(second, first, "two runs declare byte-identical resources");
      assertGolden(`stack-${stack}.json`, first);
      const resources = JSON.parse(first) as { type: string; inputs: Record<string, unknown> }[];
      const types = new Set(resources.map((r) => r.type));
      for (const type of [
        "slipway:release:Release",
        "slipway:build:GoBinaries",
        "slipway:image:MultiArchImage",
        "slipway:athens:AthensProxy",
        "slipway:secrets:StackSecrets",
      ]) {
        assert.ok(types.has(type), `${stack} declares ${type}`);
      }
      assert.ok(types.has(stack === "local" ? "slipway:release:LocalRelease" : "slipway:github:GithubRelease"));
    });
  }
});

describe("a re-release of a published version", () => {
  interface Declared {
    readonly type: string;
    readonly inputs: { readonly targets?: readonly { readonly file: string }[] };
    readonly ignoreChanges?: readonly string[];
  }
  const [first, second] = ["1", "2"].map((d) => d.repeat(40));
  const settings = (version: string, commit: string) => [`slipway:version=${version}`, `slipway:commit=${commit}`];
  const values = Object.fromEntries(
    Object.entries(stackConfig("local", settings("1.4.1", second ?? ""))).flatMap(([k, v]) =>
      k.startsWith("slipway:") ? [[k.slice(8), v]] : [],
    ),
  );
  // The stack last applied 1.4.1; 1.4.0 was published before it from another commit.
  const remembered = {
    releases: { "1.4.0": { commit: first }, "1.4.1": { commit: second } },
    releasePlan: parseStackConfig({ values, secretKeys: new Set(), project: "slipway" }).plan,
  };
  const goBuild = (version: string, commit: string) => {
    const declared = JSON.parse(
      snapshot("local", settings(version, commit), { SLIPWAY_SNAPSHOT_REMEMBERED: JSON.stringify(remembered) }),
    ) as Declared[];
    const build = declared.find((r) => r.type.endsWith(":GoBuild"));
    assert.ok(build !== undefined, "the program declares its Go build");
    return build;
  };

  it("declares the last applied plan again and keeps its recorded build, whatever source the working tree holds", () => {
    const build = goBuild("1.4.0", first ?? "");
    assert.deepEqual(build.ignoreChanges, ["sourceHash", "goVersion"]);
    assert.ok(
      build.inputs.targets?.every((t) => t.file.startsWith("hello_1.4.1_")),
      "1.4.1's plan, the one the stack applied",
    );
  });

  it("builds a new version from the working tree", () => {
    const build = goBuild("1.4.2", "3".repeat(40));
    assert.equal(build.ignoreChanges, undefined);
    assert.ok(build.inputs.targets?.every((t) => t.file.startsWith("hello_1.4.2_")));
  });
});
