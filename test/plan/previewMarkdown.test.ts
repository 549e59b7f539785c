// The PR comment from recorded engine events (test/golden/events-*.json: real previews of the local stack
// recorded with the Automation API's onEvent, `__provider` code and debug lines stripped, the temporary
// paths and registry port replaced by fixed ones).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  GITHUB_COMMENT_LIMIT,
  PREVIEW_MARKER,
  PreviewFacts,
  RecordedEvent,
  changeOf,
  foldPreviewEvents,
  renderPreviewMarkdown,
  shortDigest,
  tagsToLookUp,
} from "../../plan/previewMarkdown";
import { assertGolden } from "../support/golden";

const events = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, "..", "golden", `events-${name}.json`), "utf8")) as RecordedEvent[];
const OLD_INDEX = "sha256:3ee3f66c21f01ec6ba9f8f9db4eaa18dd60096f426889154ffd9160ec36c87b1";

describe("changeOf", () => {
  const cases: [string, string | undefined][] = [
    ["create", "create"],
    ["import", "create"],
    ["update", "update"],
    ["replace", "replace"],
    ["create-replacement", "replace"],
    ["delete-replaced", "replace"],
    ["delete", "delete"],
    ["same", undefined],
    ["read", undefined],
    ["refresh", undefined],
  ];
  for (const [op, change] of cases) it(`${op} → ${String(change)}`, () => assert.equal(changeOf(op), change));
});

describe("foldPreviewEvents", () => {
  it("a first release: every tag new, every asset added, nothing rotates", () => {
    const facts = foldPreviewEvents(events("preview-create"));
    assert.equal(facts.stack, "local");
    assert.equal(facts.version, "1.4.0");
    assert.deepEqual(facts.counts, { create: 23 });
    assert.deepEqual(
      facts.tags.map((t) => [t.tag, t.mutable, t.from, t.to]),
      [
        ["latest", true, undefined, undefined],
        ["sha-5a8b7c3", false, undefined, undefined],
        ["v1", true, undefined, undefined],
        ["v1.4", true, undefined, undefined],
        ["v1.4.0", false, undefined, undefined],
      ],
    );
    assert.equal(facts.assets.length, 11);
    assert.ok(facts.assets.every((a) => a.change === "added"));
    assert.deepEqual(facts.rotating, []);
  });

  it("asks the registry only about tags new to the stack", () => {
    assert.deepEqual(
      tagsToLookUp(events("preview-1.4.1")).map((t) => t.tag),
      ["sha-141c0ff", "v1.4.1"],
    );
    assert.deepEqual(tagsToLookUp(events("preview-nochange")), []);
  });

  it("1.4.1 after 1.4.0: floating tags move from the stack's digest; rotation names only the secrets", () => {
    const facts = foldPreviewEvents(events("preview-1.4.1"), { "127.0.0.1:5000/hello:v1.4.1": null });
    const byTag = Object.fromEntries(facts.tags.map((t) => [t.tag, t]));
    for (const tag of ["latest", "v1", "v1.4"]) assert.equal(byTag[tag]?.from, OLD_INDEX, tag);
    assert.equal(byTag["v1.4.1"]?.from, null, "the registry said the tag does not exist");
    assert.equal(byTag["sha-141c0ff"]?.from, undefined, "not looked up");
    assert.deepEqual(facts.rotating, ["hello-secrets-athens-password-value", "hello-secrets-local-password-b"]);
    // The immutable tags are role-named resources (immutable-0, immutable-1), replaced rather than deleted.
    assert.deepEqual(
      facts.changes.filter((c) => c.op === "replace" && c.name.includes("immutable")).map((c) => c.name),
      ["hello-image-local-immutable-0", "hello-image-local-immutable-1"],
    );
    assert.ok(facts.assets.every((a) => a.change === "added" && a.name.includes("1.4.1") !== (a.name === "SHA256SUMS")));
  });

  it("no change: nothing listed", () => {
    const facts = foldPreviewEvents(events("preview-nochange"));
    assert.deepEqual([facts.changes, facts.tags, facts.assets, facts.rotating], [[], [], [], []]);
    assert.equal(facts.counts.same, 23);
  });

  it("a tag whose digest the registry already has is not a move", () => {
    const digest = "sha256:" + "1".repeat(64);
    const step = (op: string) => ({
      resourcePreEvent: {
        metadata: {
          op,
          urn: "urn:pulumi:s::p::pulumi-nodejs:dynamic/slipway:RegistryTag::t",
          type: "pulumi-nodejs:dynamic/slipway:RegistryTag",
          new: { type: "x", urn: "u", inputs: { registry: "r", repository: "h", tag: "v1", digest, mutable: true } },
        },
      },
    });
    assert.equal(foldPreviewEvents([step("create")], { "r/h:v1": digest }).tags.length, 0);
    assert.equal(foldPreviewEvents([step("create")], { "r/h:v1": null }).tags.length, 1);
  });
});

describe("renderPreviewMarkdown", () => {
  const cases: [string, Record<string, string | null>][] = [
    ["preview-create", { "127.0.0.1:5000/hello:latest": null, "127.0.0.1:5000/hello:v1": null }],
    ["preview-nochange", {}],
    ["preview-1.4.1", { "127.0.0.1:5000/hello:v1.4.1": null, "127.0.0.1:5000/hello:sha-141c0ff": null }],
  ];
  for (const [name, current] of cases) {
    it(`renders ${name} (golden)`, () => {
      const text = renderPreviewMarkdown(foldPreviewEvents(events(name), current));
      assert.ok(text.startsWith(`${PREVIEW_MARKER}\n`));
      assertGolden(`cli-${name}.md`, text);
    });
  }

  it("is deterministic: the same events in another order give the same comment", () => {
    const list = events("preview-1.4.1");
    const steps = list.filter((e) => e.resourcePreEvent !== undefined).reverse();
    const others = list.filter((e) => e.resourcePreEvent === undefined);
    assert.equal(renderPreviewMarkdown(foldPreviewEvents([...steps, ...others])), renderPreviewMarkdown(foldPreviewEvents(list)));
  });

  it("never prints a secret's value", () => {
    const text = renderPreviewMarkdown(foldPreviewEvents(events("preview-1.4.1")));
    assert.doesNotMatch(text, /\[secret\]|ciphertext|plaintext/);
  });

  it("trims to GitHub's limit with a note saying so, keeping the summary", () => {
    const base = foldPreviewEvents(events("preview-1.4.1"));
    const many = Array.from({ length: 3000 }, (_, i) => ({
      ...base.changes[0]!,
      name: `resource-${String(i).padStart(4, "0")}`,
      urn: `urn:${i}`,
    }));
    const facts: PreviewFacts = { ...base, changes: many };
    const text = renderPreviewMarkdown(facts);
    assert.ok(text.length <= GITHUB_COMMENT_LIMIT, `${text.length}`);
    assert.match(text, /_\d+ more changes not shown: the comment is trimmed to GitHub's 65536-character limit/);
    assert.match(text, /Tags that move/);
    assert.match(text, /<\/details>\n$/);
    const small = renderPreviewMarkdown(facts, 5000);
    assert.ok(small.length <= 5000);
  });

  it("shortens digests and names unknown ones", () => {
    assert.equal(shortDigest(OLD_INDEX), "sha256:3ee3f66c21f0…");
    assert.equal(shortDigest(null), "(none)");
    assert.equal(shortDigest(undefined), "(new build)");
    assert.equal(shortDigest(undefined, "(unknown)"), "(unknown)");
  });
});
