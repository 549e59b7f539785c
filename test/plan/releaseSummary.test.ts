// The summary `slipway release` ends with, from recorded engine events and stack outputs (golden files).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { RecordedEvent } from "../../plan/previewMarkdown";
import { ReleaseSummaryInput, formatDuration, renderReleaseSummary, summarizeRelease } from "../../plan/releaseSummary";
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
