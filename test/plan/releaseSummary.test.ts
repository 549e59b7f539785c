// The summary `slipway release` ends with, from recorded engine events and stack outputs (golden files).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { GITHUB_ASSET_TYPE, LOCAL_RELEASE_TYPE, REGISTRY_TAG_TYPE, RecordedEvent } from "../../plan/previewMarkdown";
import { ReleaseOutcome, ReleaseSummaryInput, formatDuration, renderReleaseSummary, summarizeRelease } from "../../plan/releaseSummary";
import { assertGolden } from "../support/golden";

const golden = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, "..", "golden", `events-${name}.json`), "utf8"));
const events = (name: string) => golden(name) as RecordedEvent[];
const outputs = golden("up-1.4.0-outputs") as NonNullable<ReleaseSummaryInput["outputs"]>;
const base = { stack: "local", version: "1.4.0", commit: "5a8b7c3d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b", status: "new" as const };

describe("summarizeRelease", () => {
  it("after the first update: every tag → digest, every asset → sha256, the location; nothing skipped", () => {
    const summary = summarizeRelease({ ...base, dryRun: false, outcome: "succeeded", events: events("up-1.4.0"), outputs });
    assert.deepEqual(summary.changes, { create: 42, update: 0, replace: 0, delete: 0, same: 0 });
    const recorded = events("up-1.4.0");
    assert.equal(summary.durationSeconds, (recorded.at(-1)?.timestamp ?? 0) - (recorded[0]?.timestamp ?? 0), "first to last event");
    assert.deepEqual(
      summary.tags.map((t) => t.tag),
      ["latest", "sha-5a8b7c3", "v1", "v1.4", "v1.4.0"],
    );
    assert.equal(new Set(summary.tags.map((t) => t.digest)).size, 1);
    assert.equal(summary.assets.length, 19, "10 files and SHA256SUMS, 5 SBOMs, cosign.pub, the checksums bundle, provenance");
    assert.equal(summary.location, "/tmp/slipway-recorded/project/dist/releases/1.4.0");
    assert.deepEqual(summary.skipped, []);
    assertGolden("cli-release-summary-1.4.0.txt", renderReleaseSummary(summary));
  });

  it("a dry run of an already published release lists what is left as it was", () => {
    const summary = summarizeRelease({
      ...base,
      status: "published",
      dryRun: true,
      outcome: "previewed",
      events: events("preview-nochange"),
      outputs: undefined,
    });
    assert.deepEqual(summary.skipped, [
      "release /tmp/slipway-recorded/project/dist/releases/1.4.0",
      "tag 127.0.0.1:5000/hello:latest",
      "tag 127.0.0.1:5000/hello:sha-5a8b7c3",
      "tag 127.0.0.1:5000/hello:v1",
      "tag 127.0.0.1:5000/hello:v1.4",
      "tag 127.0.0.1:5000/hello:v1.4.0",
    ]);
    assertGolden("cli-release-summary-nochange.txt", renderReleaseSummary(summary));
  });

  it("a failed step is named with the engine's error", () => {
    const urn = "urn:pulumi:local::slipway::pulumi-nodejs:dynamic/slipway:RegistryTag::hello-image-local-latest";
    const failing: RecordedEvent[] = [
      ...events("preview-1.4.1").filter((e) => e.summaryEvent === undefined),
      { diagnosticEvent: { urn, message: "registry 127.0.0.1:5000 is unreachable (fetch failed)\n", severity: "error" } },
      { resOpFailedEvent: { metadata: { op: "update", urn, type: "pulumi-nodejs:dynamic/slipway:RegistryTag" } } },
      { summaryEvent: { resourceChanges: { update: 4, same: 12 }, durationSeconds: 61 } },
    ];
    const summary = summarizeRelease({ ...base, version: "1.4.1", dryRun: false, outcome: "failed", events: failing, outputs: undefined });
    assert.deepEqual(summary.failures, [
      { resource: "hello-image-local-latest", message: "registry 127.0.0.1:5000 is unreachable (fetch failed)" },
    ]);
    const text = renderReleaseSummary(summary);
    assert.match(text, /: FAILED in 1m 01s\n/);
    assert.match(text, /^hello-image-local-latest {2}registry 127\.0\.0\.1:5000 is unreachable \(fetch failed\)$/m);
  });
});

describe("summarizeRelease on synthetic events: order, fallbacks and what is ignored", () => {
  const urn = (type: string, name: string) => `urn:pulumi:local::slipway::${type}::${name}`;
  const step = (
    op: string,
    type: string,
    name: string,
    state: Record<string, unknown> | undefined,
    where: "old" | "new",
  ): RecordedEvent => ({
    resourcePreEvent: {
      metadata: {
        op,
        type,
        urn: urn(type, name),
        ...(state === undefined ? {} : { [where]: { type, urn: urn(type, name), [where === "old" ? "outputs" : "inputs"]: state } }),
      },
    },
  });
  const failedStep = (name: string, ...messages: string[]): RecordedEvent[] => [
    ...messages.map((message) => ({ diagnosticEvent: { urn: urn(REGISTRY_TAG_TYPE, name), message, severity: "error" } })),
    { resOpFailedEvent: { metadata: { op: "create", urn: urn(REGISTRY_TAG_TYPE, name), type: REGISTRY_TAG_TYPE } } },
  ];
  const recorded: RecordedEvent[] = [
    step("same", GITHUB_ASSET_TYPE, "hello-asset-b", { name: "b.tar.gz" }, "old"),
    step("same", GITHUB_ASSET_TYPE, "hello-asset-a", undefined, "old"),
    step("same", REGISTRY_TAG_TYPE, "hello-tag-v1", { tag: 7 }, "old"),
    step("same", REGISTRY_TAG_TYPE, "hello-tag-latest", { registry: "ghcr.io", repository: "acme/hello", tag: "latest" }, "new"),
    step("same", LOCAL_RELEASE_TYPE, "hello-release", {}, "old"),
    step("same", "pulumi:pulumi:Stack", "slipway-local", {}, "old"),
    step("create", GITHUB_ASSET_TYPE, "hello-asset-c", { name: "c.tar.gz" }, "new"),
    // a step seen twice counts by its last event
    step("create", REGISTRY_TAG_TYPE, "hello-tag-v2", { registry: "r", repository: "x", tag: "v2" }, "new"),
    step("same", REGISTRY_TAG_TYPE, "hello-tag-v2", { registry: "r", repository: "x", tag: "v2" }, "new"),
    ...failedStep("hello-tag-z", "first line\n  of z"),
    ...failedStep("hello-tag-m", "m went wrong\t(twice)  ", " see above"),
    { resOpFailedEvent: { metadata: { op: "create", urn: urn(REGISTRY_TAG_TYPE, "hello-tag-silent"), type: REGISTRY_TAG_TYPE } } },
    { diagnosticEvent: { urn: "", message: "an error of no resource", severity: "error" } },
    { diagnosticEvent: { message: "another error of no resource", severity: "error" } },
    { diagnosticEvent: { urn: urn(REGISTRY_TAG_TYPE, "hello-tag-warned"), message: "only a warning", severity: "warning" } },
    { summaryEvent: { resourceChanges: { create: 2, same: 5, read: 3, "create-replacement": 1, discard: 1 }, durationSeconds: 3725 } },
  ];
  const unsortedOutputs = {
    assets: { "z.tar.gz": "1".repeat(64), "a.tar.gz": "2".repeat(64), "m.tar.gz": "3".repeat(64) },
    tags: { zeta: { v1: "sha256:z1", latest: "sha256:z0" }, alpha: { "v1.4.0": "sha256:a1" }, "alpha-2": { latest: "sha256:b1" } },
    location: "https://github.com/acme/hello/releases/tag/v1.4.0",
  };
  const summary = summarizeRelease({ ...base, dryRun: false, outcome: "cancelled", events: recorded, outputs: unsortedOutputs });

  it("counts the engine's changes, folding its ops and ignoring those that change nothing", () => {
    assert.deepEqual(summary.changes, { create: 2, update: 0, replace: 1, delete: 1, same: 5 });
  });

  it("lists what was left alone by its inputs, falling back to the resource name, sorted", () => {
    assert.deepEqual(summary.skipped, [
      "asset b.tar.gz",
      "asset hello-asset-a",
      "release hello-release",
      "tag ghcr.io/acme/hello:latest",
      "tag hello-tag-v1",
      "tag r/x:v2",
    ]);
  });

  it("sorts tags by registry then tag, and assets by name", () => {
    assert.deepEqual(
      summary.tags.map((t) => `${t.registry} ${t.tag} ${t.digest}`),
      ["alpha v1.4.0 sha256:a1", "alpha-2 latest sha256:b1", "zeta latest sha256:z0", "zeta v1 sha256:z1"],
    );
    assert.deepEqual(
      summary.assets.map((a) => a.name),
      ["a.tar.gz", "m.tar.gz", "z.tar.gz"],
    );
  });

  it("names each failed resource once, sorted, with its error lines on one line", () => {
    assert.deepEqual(summary.failures, [
      { resource: "hello-tag-m", message: "m went wrong (twice) see above" },
      { resource: "hello-tag-silent", message: "" },
      { resource: "hello-tag-z", message: "first line of z" },
    ]);
  });

  it("cuts a long error at 400 characters", () => {
    const long = summarizeRelease({
      ...base,
      dryRun: false,
      outcome: "failed",
      events: failedStep("x", "e".repeat(500)),
      outputs: undefined,
    });
    assert.equal(long.failures[0]?.message, "e".repeat(400));
  });

  it("renders it all (golden)", () => {
    assertGolden("cli-release-summary-cancelled.txt", renderReleaseSummary(summary));
  });

  const headlines: readonly [ReleaseOutcome, string][] = [
    ["succeeded", "released"],
    ["failed", "FAILED"],
    ["cancelled", "CANCELLED"],
    ["previewed", "dry run (nothing changed)"],
    ["declined", "not released (declined at the prompt)"],
  ];
  for (const [outcome, headline] of headlines) {
    it(`headline when ${outcome}, without a duration when no summary event came`, () => {
      const text = renderReleaseSummary(summarizeRelease({ ...base, dryRun: true, outcome, events: [], outputs: undefined }));
      assert.equal(
        text,
        `slipway release 1.4.0 on local (commit 5a8b7c3d1e2f): ${headline}\nresources: 0 to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged\n`,
      );
    });
  }
});

describe("formatDuration", () => {
  for (const [seconds, text] of [
    [0, "0s"],
    [59.4, "59s"],
    [60, "1m 00s"],
    [130, "2m 10s"],
    [3725, "62m 05s"],
  ] as const) {
    it(`${seconds}s → ${text}`, () => assert.equal(formatDuration(seconds), text));
  }
});
