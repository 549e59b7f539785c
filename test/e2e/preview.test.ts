// The preview tells the truth, end to end on the `local` stack of a fresh checkout with the real engine,
// BuildKit and registry: before each update the registry is asked (over its HTTP API, not through slipway)
// what it serves for every tag the preview lists; afterwards every "from" must be what it served before and
// every known "to" what it serves after. A re-release of a published version changes nothing, and a tag
// re-pointed by hand shows as drift and makes verify fail.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { release } from "../../engine/release";
import { preview } from "../../engine/preview";
import { verify } from "../../engine/verify";
import { PreviewFacts, RecordedEvent, changeOf, countLine, tagKey } from "../../plan/previewMarkdown";
import { REGISTRY_BINARY, TestRegistry, freePort, startRegistry } from "../support/registry";
import { digestOf, retag } from "./support/oci";
import { Checkout } from "./support/project";

const COMMIT_140 = "5a8b7c3d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b";
const COMMIT_139 = "1394c0ffee1394c0ffee1394c0ffee1394c0ffee";
const COMMIT_RC = "15c0ffee15c0ffee15c0ffee15c0ffee15c0ffee";
const COMMIT_141 = "141c0ffee141c0ffee141c0ffee141c0ffee1410";
const COMMIT_TIME = "2026-11-20T10:00:00Z";
const REPOSITORY = "hello";

describe("slipway preview against the registry, on the local stack", { concurrency: false }, () => {
  let project: Checkout;
  let registry: TestRegistry;
  const target = () => ({ projectDir: project.dir, stack: "local", env: project.env });

  /** What the registry serves for each tag, asked over its HTTP API (null: no such tag). */
  async function served(tags: readonly { registry: string; repository: string; tag: string }[]): Promise<Record<string, string | null>> {
    const out: Record<string, string | null> = {};
    for (const t of tags) out[tagKey(t)] = (await digestOf(t.registry, t.repository, t.tag)) ?? null;
    return out;
  }

  /** Releases `version` and checks every tag of its preview against the registry before and after. */
  async function releaseChecked(version: string, commit: string): Promise<{ preview: PreviewFacts; events: readonly RecordedEvent[] }> {
    let before: Record<string, string | null> = {};
    const result = await release({
      ...target(),
      version,
      commit,
      commitTime: COMMIT_TIME,
      confirm: async (facts) => {
        before = await served(facts.tags);
        return true;
      },
    });
    assert.equal(result.summary.outcome, "succeeded");
    const facts = result.preview;
    const now = await served(facts.tags);
    for (const t of facts.tags) {
      assert.notEqual(t.from, undefined, `${tagKey(t)}: the registry was readable, so "from" is known`);
      assert.equal(t.fromRecord, false, tagKey(t));
      assert.equal(t.from, before[tagKey(t)], `${tagKey(t)}: "from" is what the registry served before the update`);
      if (t.to !== undefined) assert.equal(t.to, now[tagKey(t)], `${tagKey(t)}: the known "to" is what it serves after`);
      assert.notEqual(now[tagKey(t)], null, `${tagKey(t)} exists after the update`);
      if (!t.mutable) assert.equal(t.from, null, `${tagKey(t)}: an immutable tag only goes from (none) to a digest`);
    }
    assert.deepEqual([facts.drift, facts.refused], [[], []]);
    return { preview: facts, events: result.events };
  }

  before(async () => {
    assert.ok(existsSync(REGISTRY_BINARY), "scripts/toolchain.sh install provides docker-registry");
    project = new Checkout(randomBytes(16).toString("hex"));
    registry = await startRegistry();
    project.ok("stack", "init", "local", "--secrets-provider", "passphrase");
    project.ok("config", "set", "--stack", "local", "--path", "slipway:registries[0].address", registry.address);
    project.ok("config", "set", "--stack", "local", "--path", "slipway:athens.port", String(await freePort()), "--type", "int");
  });

  after(async () => {
    project?.pulumi("destroy", "--stack", "local", "--yes");
    await registry?.stop();
  });

  it("a first release: every tag goes from (none)", async () => {
    const { preview: facts } = await releaseChecked("1.4.0", COMMIT_140);
    assert.deepEqual(facts.tags.map((t) => [t.tag, t.from]).sort(), [
      ["latest", null],
      ["sha-5a8b7c3", null],
      ["v1", null],
      ["v1.4", null],
      ["v1.4.0", null],
    ]);
  });

  it("a hotfix below the latest moves only its own line", async () => {
    const { preview: facts } = await releaseChecked("1.3.9", COMMIT_139);
    assert.deepEqual(facts.tags.map((t) => t.tag).sort(), ["sha-1394c0f", "v1.3", "v1.3.9"]);
  });

  it("a prerelease publishes only its exact and commit tags", async () => {
    const { preview: facts } = await releaseChecked("1.5.0-rc.1", COMMIT_RC);
    assert.deepEqual(facts.tags.map((t) => t.tag).sort(), ["sha-15c0ffe", "v1.5.0-rc.1"]);
  });

  it("the next patch moves the floating tags from 1.4.0's digest", async () => {
    const index140 = await digestOf(registry.address, REPOSITORY, "v1.4.0");
    const { preview: facts } = await releaseChecked("1.4.1", COMMIT_141);
    const floating = facts.tags.filter((t) => t.mutable);
    assert.deepEqual(floating.map((t) => [t.tag, t.from]).sort(), [
      ["latest", index140],
      ["v1", index140],
      ["v1.4", index140],
    ]);
  });

  it("re-releasing the published 1.4.0 publishes, replaces and rebuilds nothing", async () => {
    const tagsBefore = await served(
      ["latest", "v1.4.0", "v1.4.1"].map((tag) => ({ registry: registry.address, repository: REPOSITORY, tag })),
    );
    const { preview: facts, events } = await releaseChecked("1.4.0", COMMIT_140);
    assert.equal(facts.republished, true);
    assert.deepEqual([facts.tags, facts.assets], [[], []]);
    assert.match(countLine(facts.counts, facts.changes), /^0 to create · 0 to update · 0 to replace · 0 to delete · \d+ unchanged$/);
    // The engine updates the default dynamic provider (its inputs follow the stack's config, which now says
    // 1.4.0); no resource is created, updated, replaced or deleted.
    const changed = events.flatMap((e) => {
      const step = e.resourcePreEvent?.metadata;
      if (step === undefined || changeOf(step.op) === undefined) return [];
      return step.op === "update" && step.type.startsWith("pulumi:providers:") ? [] : [`${step.op} ${step.urn}`];
    });
    assert.deepEqual(changed, [], "the update's engine events show no create, replace or delete");
    assert.deepEqual(
      await served(["latest", "v1.4.0", "v1.4.1"].map((tag) => ({ registry: registry.address, repository: REPOSITORY, tag }))),
      tagsBefore,
    );
  });

  it("a floating tag re-pointed by hand shows as drift, and verify fails naming it", async () => {
    const latest = await digestOf(registry.address, REPOSITORY, "latest");
    // Re-point latest at 1.3.9's index with the registry API.
    await retag(registry.address, REPOSITORY, "v1.3.9", "latest");
    const byHand = await digestOf(registry.address, REPOSITORY, "v1.3.9");
    assert.notEqual(byHand, latest);

    const result = await preview(target());
    assert.deepEqual(
      result.facts.drift.map((d) => [d.tag, d.digest, d.served]),
      [["latest", latest, byHand]],
    );
    assert.match(result.markdown, /<summary>Drift \(1\)<\/summary>/);
    const report = await verify({ ...target(), version: "1.4.1" });
    assert.equal(report.ok, false);
    const failed = report.items.filter((i) => i.status === "fail");
    assert.ok(
      failed.some((i) => i.id.endsWith(":latest")),
      JSON.stringify(failed),
    );
  });
});
