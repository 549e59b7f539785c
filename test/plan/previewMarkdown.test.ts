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
  UNKNOWN,
  changeOf,
  countLine,
  foldPreviewEvents,
  renderPreviewMarkdown,
  shortDigest,
  tagKey,
  tagsToLookUp,
  tapFileSteps,
} from "../../plan/previewMarkdown";
import { tagMoveErrors } from "../../plan/tagDrift";
import { assertGolden } from "../support/golden";

const events = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, "..", "golden", `events-${name}.json`), "utf8")) as RecordedEvent[];
const OLD_INDEX = "sha256:3ee3f66c21f01ec6ba9f8f9db4eaa18dd60096f426889154ffd9160ec36c87b1";
const BY_HAND = `sha256:${"b".repeat(64)}`;
/** What the local registry serves for these tags of hello. */
const served = (digest: string | null, ...tags: string[]) => Object.fromEntries(tags.map((t) => [`127.0.0.1:5000/hello:${t}`, digest]));

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
    assert.deepEqual(facts.counts, { create: 42 });
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

  it("asks the registry about every tag the preview declares and every tag the stack records", () => {
    assert.deepEqual(
      tagsToLookUp(events("preview-1.4.1")).map((t) => t.tag),
      ["latest", "sha-141c0ff", "sha-5a8b7c3", "v1", "v1.4", "v1.4.0", "v1.4.1"],
    );
    assert.deepEqual(
      tagsToLookUp(events("preview-nochange")).map(tagKey),
      ["latest", "sha-5a8b7c3", "v1", "v1.4", "v1.4.0"].map((t) => `127.0.0.1:5000/hello:${t}`),
    );
    assert.deepEqual(tagsToLookUp(events("preview-create")).length, 5);
  });

  it("1.4.1 after 1.4.0: floating tags move from the stack's digest; rotation names only the secrets", () => {
    const facts = foldPreviewEvents(events("preview-1.4.1"), { "127.0.0.1:5000/hello:v1.4.1": null });
    const byTag = Object.fromEntries(facts.tags.map((t) => [t.tag, t]));
    for (const tag of ["latest", "v1", "v1.4"]) assert.deepEqual([byTag[tag]?.from, byTag[tag]?.fromRecord], [OLD_INDEX, true], tag);
    assert.equal(byTag["v1.4.1"]?.fromRecord, false);
    assert.deepEqual([facts.drift, facts.refused, facts.overwrites], [[], [], []], "a tag the registry was not asked about is no drift");
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
    assert.equal(facts.counts.same, 42);
  });

  it("drift: a tag the registry serves at another digest than the stack recorded", () => {
    const current = { ...served(OLD_INDEX, "v1", "v1.4", "v1.4.0", "sha-5a8b7c3"), ...served(BY_HAND, "latest") };
    const facts = foldPreviewEvents(events("preview-nochange"), current);
    assert.deepEqual(
      facts.drift.map((d) => [d.tag, d.mutable, d.digest, d.served]),
      [["latest", true, OLD_INDEX, BY_HAND]],
    );
    assert.deepEqual([facts.tags, facts.refused, facts.overwrites], [[], [], []], "the update leaves the tag alone");
    const gone = foldPreviewEvents(events("preview-nochange"), { ...current, ...served(null, "latest", "v1.4.0") });
    assert.deepEqual(
      gone.drift.map((d) => [d.tag, d.mutable, d.served]),
      [
        ["latest", true, null],
        ["v1.4.0", false, null],
      ],
    );
  });

  it("1.4.1 after a hand-moved latest: the move starts from what the registry serves and says what it overwrites", () => {
    const current = {
      ...served(OLD_INDEX, "v1", "v1.4", "v1.4.0", "sha-5a8b7c3"),
      ...served(BY_HAND, "latest"),
      ...served(null, "v1.4.1"),
    };
    const facts = foldPreviewEvents(events("preview-1.4.1"), current);
    assert.equal(facts.tags.find((t) => t.tag === "latest")?.from, BY_HAND);
    assert.deepEqual(facts.overwrites, [
      `127.0.0.1:5000/hello:latest was re-pointed outside slipway: this update overwrites ${BY_HAND} (recorded ${OLD_INDEX}) with the new build`,
    ]);
    assert.deepEqual(facts.refused, []);
  });

  it('"to" is the known digest of the same build when the stack has one, "(new build)" otherwise', () => {
    const known = served(BY_HAND, "v1.4.1", "latest") as Record<string, string>;
    const facts = foldPreviewEvents(events("preview-1.4.1"), served(null, "v1.4.1"), { known });
    const byTag = Object.fromEntries(facts.tags.map((t) => [t.tag, t.to]));
    assert.deepEqual([byTag["v1.4.1"], byTag.latest, byTag.v1], [BY_HAND, BY_HAND, undefined]);
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
    ["preview-1.4.1", { ...served(OLD_INDEX, "latest", "v1", "v1.4", "v1.4.0", "sha-5a8b7c3"), ...served(null, "v1.4.1", "sha-141c0ff") }],
  ];
  for (const [name, current] of cases) {
    it(`renders ${name} (golden)`, () => {
      const text = renderPreviewMarkdown(foldPreviewEvents(events(name), current));
      assert.ok(text.startsWith(`${PREVIEW_MARKER}\n`));
      assertGolden(`cli-${name}.md`, text);
    });
  }

  it("renders drift and a refused immutable move (golden)", () => {
    const current = { ...served(OLD_INDEX, "v1", "v1.4", "sha-5a8b7c3"), ...served(BY_HAND, "latest", "v1.4.0") };
    const base = foldPreviewEvents(events("preview-nochange"), current);
    const move = {
      registry: "127.0.0.1:5000",
      repository: "hello",
      tag: "v1.4.0",
      mutable: false,
      from: BY_HAND,
      fromRecord: false,
      to: OLD_INDEX,
    };
    assert.deepEqual(base.refused, [], "the update does not touch the drifted tags");
    const text = renderPreviewMarkdown({ ...base, tags: [move], refused: tagMoveErrors([move], base.drift) });
    assert.match(text, /<summary>Drift \(2\)<\/summary>/);
    assert.match(text, /\[!CAUTION\]/);
    assertGolden("cli-preview-drift.md", text);
  });

  it("a re-release of a published version says so, with no tag or asset section (golden)", () => {
    const facts = foldPreviewEvents(events("preview-nochange"), {}, { republished: true });
    assert.equal(facts.republished, true);
    const text = renderPreviewMarkdown(facts);
    assert.match(text, /^1\.4\.0 is already published from this commit/m);
    assert.doesNotMatch(text, /Tags that move|Release assets/);
    assertGolden("cli-preview-republished.md", text);
    assert.equal(foldPreviewEvents(events("preview-nochange")).republished, false);
  });

  it("shows the release notes as a section (golden); none without notes", () => {
    const facts = foldPreviewEvents(events("preview-1.4.1"), {});
    const notes = "### Features\n\n- greet in French (4f2a9c1)\n\n### Bug fixes\n\n- trim the name (9b8c7d6)\n";
    const text = renderPreviewMarkdown({ ...facts, notes });
    assertGolden("cli-preview-notes.md", text);
    assert.ok(text.includes("<details open><summary>Release notes</summary>\n\n### Features"));
    assert.doesNotMatch(renderPreviewMarkdown(facts), /Release notes/);
  });

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

describe("tap files in the preview", () => {
  const step = (op: string, type: string, news: Record<string, unknown>, olds?: Record<string, unknown>): RecordedEvent => ({
    resourcePreEvent: {
      metadata: {
        op,
        type,
        urn: `urn:pulumi:local::slipway::x$${type}::${String(news.file ?? news.path)}`,
        new: { type, urn: "", inputs: news },
        old: olds === undefined ? null : { type, urn: "", inputs: olds },
      },
    },
  });
  const GITHUB_FILE = "github:index/repositoryFile:RepositoryFile";
  const LOCAL_FILE = "pulumi-nodejs:dynamic/slipway:LocalGitFile";

  it("collects created and updated tap files with the recorded content; the engine's unknown content stays undefined", () => {
    const steps = tapFileSteps([
      step("update", GITHUB_FILE, { file: "Formula/hello.rb", content: UNKNOWN }, { file: "Formula/hello.rb", content: "old formula\n" }),
      step("create", LOCAL_FILE, { path: "bucket/hello.json", content: "{}\n" }),
      step("same", LOCAL_FILE, { path: "bucket/same.json", content: "{}\n" }, { path: "bucket/same.json", content: "{}\n" }),
      step("delete", GITHUB_FILE, { file: "Formula/gone.rb", content: "x" }, { file: "Formula/gone.rb", content: "x" }),
      step("update", "pulumi-nodejs:dynamic/slipway:TextFile", { path: "notes.txt", content: "x" }, { path: "notes.txt", content: "y" }),
    ]);
    assert.deepEqual(steps, [
      { path: "Formula/hello.rb", before: "old formula\n", after: undefined },
      { path: "bucket/hello.json", before: undefined, after: "{}\n" },
    ]);
  });

  it("shows each changed tap file as an open diff section after the release notes; an unchanged one not at all", () => {
    const facts = foldPreviewEvents(events("preview-1.4.1"), {});
    const text = renderPreviewMarkdown({
      ...facts,
      notes: "- a fix\n",
      tapFiles: [
        {
          channel: "homebrew",
          repository: "acme/homebrew-tap",
          path: "Formula/hello.rb",
          before: 'version "1.4.0"\n',
          after: 'version "1.4.1"\n',
        },
        { channel: "scoop", repository: "/taps/scoop", path: "bucket/hello.json", before: "{}\n", after: "{}\n" },
      ],
    });
    const section =
      '<details open><summary>Homebrew: `Formula/hello.rb` in acme/homebrew-tap</summary>\n\n```diff\n--- Formula/hello.rb\n+++ Formula/hello.rb\n@@ -1,1 +1,1 @@\n-version "1.4.0"\n+version "1.4.1"\n```\n\n</details>';
    assert.ok(text.includes(section), text);
    assert.ok(text.indexOf("Release notes") < text.indexOf("Homebrew:"));
    assert.doesNotMatch(text, /Scoop:/);
  });
});

describe("provider steps in the preview", () => {
  const provider = (op: string): RecordedEvent => ({
    resourcePreEvent: {
      metadata: { op, type: "pulumi:providers:pulumi-nodejs", urn: "urn:pulumi:local::slipway::pulumi:providers:pulumi-nodejs::default" },
    },
  });
  const summary = (resourceChanges: Record<string, number>): RecordedEvent => ({ summaryEvent: { resourceChanges } });

  it("counts a default provider's update (its inputs follow the stack's config) as unchanged: a re-release shows no change", () => {
    const facts = foldPreviewEvents([provider("update"), summary({ update: 1, same: 23 })]);
    assert.deepEqual(facts.changes, []);
    assert.equal(countLine(facts.counts, facts.changes), "0 to create · 0 to update · 0 to replace · 0 to delete · 24 unchanged");
    assert.match(renderPreviewMarkdown(facts), /No changes: the stack already matches this release\./);
  });

  it("still counts and lists a provider that is replaced", () => {
    const facts = foldPreviewEvents([provider("replace"), summary({ replace: 1, same: 23 })]);
    assert.deepEqual(
      facts.changes.map((c) => `${c.op} ${c.type}`),
      ["replace pulumi:providers:pulumi-nodejs"],
    );
    assert.equal(countLine(facts.counts, facts.changes), "0 to create · 0 to update · 1 to replace · 0 to delete · 23 unchanged");
  });
});
