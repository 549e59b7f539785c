// Where a release's time goes, computed from engine events: phases by resource type, overlapping steps
// counted once, components and providers never counted (they only span their children).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { PHASES, Phase, parseEventLog, phaseOf, timeBreakdown } from "../../bench/breakdown";

const step = (urn: string, type: string, start: number, end: number) => [
  { timestamp: start, resourcePreEvent: { metadata: { urn, type } } },
  { timestamp: end, resOutputsEvent: { metadata: { urn, type } } },
];

describe("bench time breakdown", () => {
  const types: [string, Phase | undefined][] = [
    ["pulumi-nodejs:dynamic/slipway:GoBuild", "goBuild"],
    ["pulumi-nodejs:dynamic/slipway:LocalAthens", "proxy"],
    ["pulumi-nodejs:dynamic/slipway:CosignKeyPair", "keys"],
    ["pulumi-nodejs:dynamic/slipway:RandomSecret", "keys"],
    ["aws:iam/accessKey:AccessKey", "keys"],
    ["github:index/actionsSecret:ActionsSecret", "keys"],
    ["pulumi-nodejs:dynamic/slipway:SbomFile", "sboms"],
    ["docker-build:index:Image", "images"],
    ["pulumi-nodejs:dynamic/slipway:ImageIndex", "tags"],
    ["pulumi-nodejs:dynamic/slipway:RegistryTag", "tags"],
    ["pulumi-nodejs:dynamic/slipway:ImageMirror", "tags"],
    ["pulumi-nodejs:dynamic/slipway:CosignSignature", "signing"],
    ["pulumi-nodejs:dynamic/slipway:KeylessSignature", "signing"],
    ["pulumi-nodejs:dynamic/slipway:TextFile", "signing"],
    ["pulumi-nodejs:dynamic/slipway:LocalRelease", "release"],
    ["pulumi-nodejs:dynamic/slipway:GithubReleaseAsset", "release"],
    ["pulumi-nodejs:dynamic/slipway:GithubReleasePublication", "release"],
    ["github:index/release:Release", "release"],
    ["slipway:release:Release", undefined],
    ["slipway:athens:AthensLocalProcess", undefined],
    ["slipway:release:LocalRelease", undefined],
    ["pulumi:pulumi:Stack", undefined],
    ["pulumi:providers:docker-build", undefined],
    ["aws:ecr/repository:Repository", undefined],
  ];
  for (const [type, phase] of types) {
    it(`${type} → ${phase ?? "not counted"}`, () => assert.equal(phaseOf(type), phase));
  }

  it("counts overlapping steps of a phase once, the engine up to the first step, and the total to the last event", () => {
    const events = [
      { timestamp: 100 },
      ...step("a", "docker-build:index:Image", 110, 120),
      ...step("b", "docker-build:index:Image", 115, 125),
      ...step("c", "docker-build:index:Image", 130, 131),
      ...step("d", "pulumi-nodejs:dynamic/slipway:GoBuild", 104, 110),
      ...step("e", "slipway:image:MultiArchImage", 100, 140),
      { timestamp: 141 },
    ];
    const result = timeBreakdown(events, 101);
    assert.deepEqual(result, {
      engine: 3,
      keys: 0,
      proxy: 0,
      goBuild: 6,
      sboms: 0,
      images: 16,
      tags: 0,
      signing: 0,
      release: 0,
      total: 40,
    });
  });

  it("ignores a step that never finished (a failed update) and outputs without their start", () => {
    const events = [
      { timestamp: 10, resourcePreEvent: { metadata: { urn: "x", type: "pulumi-nodejs:dynamic/slipway:GoBuild" } } },
      { timestamp: 20, resOutputsEvent: { metadata: { urn: "y", type: "pulumi-nodejs:dynamic/slipway:GoBuild" } } },
    ];
    const result = timeBreakdown(events, 5);
    assert.equal(result.goBuild, 0);
    assert.equal(result.engine, 5);
    assert.equal(result.total, 15);
  });

  it("on a recorded release: every phase is measured, the Go build is the GoBuild step, and no phase exceeds the total", () => {
    const text = readFileSync(join(__dirname, "..", "golden", "events-up-1.4.0.json"), "utf8");
    const events = JSON.parse(text) as Parameters<typeof timeBreakdown>[0];
    const first = events[0]?.timestamp ?? 0;
    const result = timeBreakdown(events, first);
    const build = events.filter(
      (e) => e.resourcePreEvent?.metadata.type.endsWith(":GoBuild") || e.resOutputsEvent?.metadata.type.endsWith(":GoBuild"),
    );
    assert.equal(build.length, 2);
    assert.equal(result.goBuild, (build[1]?.timestamp ?? 0) - (build[0]?.timestamp ?? 0));
    assert.ok(result.goBuild > 0);
    for (const phase of PHASES) assert.ok(result[phase] <= result.total, phase);
    assert.deepEqual(parseEventLog(events.map((e) => JSON.stringify(e)).join("\n") + "\n"), events);
  });
});
