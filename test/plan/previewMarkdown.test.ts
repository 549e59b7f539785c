// The PR comment from recorded engine events (test/golden/events-*.json: real previews of the local stack
// recorded with the Automation API's onEvent, `__provider` code and debug lines stripped, the temporary
// paths and registry port replaced by fixed ones).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  ChangeOp,
  GITHUB_COMMENT_LIMIT,
  PREVIEW_MARKER,
  PreviewFacts,
  RecordedEvent,
  ResourceChange,
  StepState,
  UNKNOWN,
  changeOf,
  countLine,
  foldPreviewEvents,
  renderPreviewMarkdown,
  shortType,
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

// Resource types spelled out rather than imported, so that a mutated constant in the module cannot match itself.
const TAG = "pulumi-nodejs:dynamic/slipway:RegistryTag";
const SECRET = "pulumi-nodejs:dynamic/slipway:RandomSecret";
const LOCAL_RELEASE = "pulumi-nodejs:dynamic/slipway:LocalRelease";
const GITHUB_ASSET = "pulumi-nodejs:dynamic/slipway:GithubReleaseAsset";
const STACK = "pulumi:pulumi:Stack";
const TEXT_FILE = "pulumi-nodejs:dynamic/slipway:TextFile";
const GITHUB_FILE = "github:index/repositoryFile:RepositoryFile";
const LOCAL_FILE = "pulumi-nodejs:dynamic/slipway:LocalGitFile";

interface StepSpec {
  readonly urn?: string;
  /** The new state's inputs; no new state when unset. */
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** The old state; none when unset. */
  readonly old?: Omit<StepState, "type" | "urn">;
  readonly diffs?: readonly string[];
}

/** A resourcePreEvent: step `op` on the resource `name` of `type` in the stack `dev`. */
const pre = (op: string, type: string, name: string, spec: StepSpec = {}): RecordedEvent => {
  const urn = spec.urn ?? `urn:pulumi:dev::slipway::${type}::${name}`;
  return {
    resourcePreEvent: {
      metadata: {
        op,
        type,
        urn,
        ...(spec.inputs === undefined ? {} : { new: { type, urn, inputs: spec.inputs } }),
        ...(spec.old === undefined ? {} : { old: { type, urn, ...spec.old } }),
        ...(spec.diffs === undefined ? {} : { diffs: spec.diffs }),
      },
    },
  };
};

/** The stack's resOutputsEvent, with its new and old outputs when given. */
const stackOutputs = (outputs: { new?: Record<string, unknown>; old?: Record<string, unknown> }): RecordedEvent => {
  const urn = `urn:pulumi:dev::slipway::${STACK}::slipway-dev`;
  return {
    resOutputsEvent: {
      metadata: {
        op: "same",
        type: STACK,
        urn,
        ...(outputs.new === undefined ? {} : { new: { type: STACK, urn, outputs: outputs.new } }),
        ...(outputs.old === undefined ? {} : { old: { type: STACK, urn, outputs: outputs.old } }),
      },
    },
  };
};

const summary = (resourceChanges: Record<string, number>): RecordedEvent => ({ summaryEvent: { resourceChanges } });

describe("changeOf", () => {
  const cases: [string, string | undefined][] = [
    ["create", "create"],
    ["import", "create"],
    ["update", "update"],
    ["replace", "replace"],
    ["create-replacement", "replace"],
    ["delete-replaced", "replace"],
    ["discard-replaced", "replace"],
    ["replace-replaced", "replace"],
    ["delete", "delete"],
    ["discard", "delete"],
    ["remove-pending-replace", "delete"],
    ["same", undefined],
    ["read", undefined],
    ["refresh", undefined],
    ["an-op-of-a-newer-engine", undefined],
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

  it("sorts by path; skips events that are no step, a step without new state and a file without a path", () => {
    const steps = tapFileSteps([
      summary({ update: 2 }),
      pre("update", LOCAL_FILE, "zeta", { inputs: { path: "bucket/zeta.json", content: "{}\n" }, old: { inputs: { content: "" } } }),
      pre("create", GITHUB_FILE, "hello", { inputs: { file: "Formula/hello.rb", content: "class Hello\n" } }),
      pre("delete-replaced", GITHUB_FILE, "old", { old: { inputs: { file: "Formula/old.rb", content: "class Old\n" } } }),
      pre("create", LOCAL_FILE, "pathless", { inputs: { content: "{}\n" } }),
      pre("create", LOCAL_FILE, "alpha", { inputs: { path: "bucket/alpha.json", content: "[]\n" } }),
    ]);
    assert.deepEqual(steps, [
      { path: "Formula/hello.rb", before: undefined, after: "class Hello\n" },
      { path: "bucket/alpha.json", before: undefined, after: "[]\n" },
      { path: "bucket/zeta.json", before: "", after: "{}\n" },
    ]);
  });

  it("reads content that is no string, and an old state without inputs, as unknown", () => {
    const step = pre("update", LOCAL_FILE, "hello", {
      inputs: { path: "bucket/hello.json", content: null },
      old: { outputs: { path: "bucket/hello.json", content: "{}\n" } },
    });
    assert.deepEqual(tapFileSteps([step]), [{ path: "bucket/hello.json", before: undefined, after: undefined }]);
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

  it("counts a default provider's update (its inputs follow the stack's config) as unchanged: a re-release shows no change", () => {
    const facts = foldPreviewEvents([provider("update"), summary({ update: 1, same: 23 })]);
    assert.deepEqual(facts.changes, []);
    assert.equal(countLine(facts.counts, facts.changes), "0 to create · 0 to update · 0 to replace · 0 to delete · 24 unchanged");
    assert.match(renderPreviewMarkdown(facts), /No changes: the stack already matches this release\./);
  });

  it("leaves the engine's counts as they are without a provider update, or without an update count to move", () => {
    const notes = pre("create", TEXT_FILE, "notes");
    assert.deepEqual(foldPreviewEvents([notes, summary({ create: 1, update: 2 })]).counts, { create: 1, update: 2 });
    assert.deepEqual(foldPreviewEvents([provider("update"), summary({ same: 5 })]).counts, { same: 5 });
    assert.deepEqual(foldPreviewEvents([provider("update")]).counts, {}, "no summary: the preview failed before it");
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

describe("shortType", () => {
  const cases: [string, string][] = [
    ["pulumi-nodejs:dynamic/slipway:RegistryTag", "slipway:RegistryTag"],
    ["slipway:image:MultiArchImage", "slipway:image:MultiArchImage"],
    ["pulumi:providers:pulumi-nodejs", "pulumi:providers:pulumi-nodejs"],
    // Only a leading prefix is the dynamic provider's.
    ["acme:index:pulumi-nodejs:dynamic/Thing", "acme:index:pulumi-nodejs:dynamic/Thing"],
  ];
  for (const [type, short] of cases) it(`${type} → ${short}`, () => assert.equal(shortType(type), short));
});

describe("foldPreviewEvents on synthetic events", () => {
  const textFileUrn = (name: string) => `urn:pulumi:dev::slipway::${TEXT_FILE}::${name}`;

  it("names the stack from the first URN; none without steps or for a URN that is not urn:pulumi:<stack>::…", () => {
    const stackOf = (urn: string) => foldPreviewEvents([pre("create", TEXT_FILE, "notes", { urn })]).stack;
    assert.equal(foldPreviewEvents([]).stack, undefined);
    assert.equal(stackOf("urn:pulumi:prod::slipway::pulumi:pulumi:Stack::slipway-prod"), "prod");
    assert.equal(stackOf("prod::slipway::pulumi:pulumi:Stack::slipway-prod"), undefined);
    assert.equal(stackOf("legacy-urn:pulumi:prod::slipway::pulumi:pulumi:Stack::slipway-prod"), undefined);
  });

  it("lists each change with its short type, name and sorted diffs; deleting a retained resource only forgets it", () => {
    const facts = foldPreviewEvents([
      pre("delete", TEXT_FILE, "a-retained", { old: { retainOnDelete: true } }),
      pre("discard", TEXT_FILE, "b-retained-discard", { old: { retainOnDelete: true } }),
      pre("delete", TEXT_FILE, "c-not-retained", { old: { retainOnDelete: false } }),
      pre("delete", TEXT_FILE, "d-no-old-state"),
      pre("update", TEXT_FILE, "e-updated", { inputs: {}, old: { retainOnDelete: true }, diffs: ["path", "content"] }),
    ]);
    const change = (op: ChangeOp, name: string, retained: boolean, diffs: string[] = []): ResourceChange => ({
      op,
      type: "slipway:TextFile",
      name,
      urn: textFileUrn(name),
      diffs,
      retained,
    });
    assert.deepEqual(facts.changes, [
      change("delete", "a-retained", true),
      change("delete", "b-retained-discard", true),
      change("delete", "c-not-retained", false),
      change("delete", "d-no-old-state", false),
      change("update", "e-updated", false, ["content", "path"]),
    ]);
  });

  it("a resource's later step stands for it when the earlier one is no replacement (a refresh before the update)", () => {
    const facts = foldPreviewEvents([pre("refresh", TEXT_FILE, "notes"), pre("update", TEXT_FILE, "notes", { diffs: ["content"] })]);
    assert.deepEqual(
      facts.changes.map((c) => [c.op, c.name, c.diffs]),
      [["update", "notes", ["content"]]],
    );
  });

  it("a failed step marks the preview failed", () => {
    const metadata = { op: "create", type: TEXT_FILE, urn: textFileUrn("notes") };
    assert.equal(foldPreviewEvents([{ resourcePreEvent: { metadata } }, { resOpFailedEvent: { metadata } }]).failed, true);
    assert.equal(foldPreviewEvents([{ resourcePreEvent: { metadata } }]).failed, false);
  });

  it("secrets that rotate are sorted by name, whatever the order of their URNs", () => {
    const secret = (component: string, name: string) =>
      pre("replace", SECRET, name, { urn: `urn:pulumi:dev::slipway::slipway:secrets:${component}$${SECRET}::${name}` });
    assert.deepEqual(foldPreviewEvents([secret("Api", "zeta-token"), secret("Db", "alpha-password")]).rotating, [
      "alpha-password",
      "zeta-token",
    ]);
  });

  describe("tags", () => {
    const ref = { registry: "ghcr.io", repository: "acme/hello" };
    const ASKED = `sha256:${"a".repeat(64)}`;

    it("a deleted tag is no move; an unknown registry or repository stays empty and an unknown tag is named by its resource", () => {
      const facts = foldPreviewEvents([
        pre("delete", TAG, "hello-v1.3.0", { old: { outputs: { ...ref, tag: "v1.3.0", digest: OLD_INDEX, mutable: false } } }),
        pre("create", TAG, "hello-latest", {
          inputs: { registry: UNKNOWN, repository: UNKNOWN, tag: UNKNOWN, digest: UNKNOWN, mutable: true },
        }),
      ]);
      assert.deepEqual(facts.tags, [
        { registry: "", repository: "", tag: "hello-latest", mutable: true, from: undefined, fromRecord: false, to: undefined },
      ]);
      assert.deepEqual(
        facts.changes.map((c) => [c.op, c.name]),
        [
          ["create", "hello-latest"],
          ["delete", "hello-v1.3.0"],
        ],
      );
    });

    it("the stack's record of a tag is its old outputs, before its old inputs", () => {
      const events = [
        pre("update", TAG, "hello-latest", {
          inputs: { ...ref, tag: "latest", digest: UNKNOWN, mutable: true },
          old: {
            inputs: { ...ref, tag: "latest", digest: ASKED, mutable: true },
            outputs: { ...ref, tag: "latest", digest: OLD_INDEX, mutable: true },
          },
        }),
      ];
      assert.deepEqual(
        foldPreviewEvents(events).tags.map((t) => [t.from, t.fromRecord]),
        [[OLD_INDEX, true]],
      );
      assert.deepEqual(
        foldPreviewEvents(events, { "ghcr.io/acme/hello:latest": ASKED }).drift.map((d) => [tagKey(d), d.digest, d.served]),
        [["ghcr.io/acme/hello:latest", OLD_INDEX, ASKED]],
      );
    });

    it("only tag resources record tags: another resource's registry, repository, tag and digest are no drift", () => {
      const image = pre("same", "docker-build:index:Image", "hello-image", {
        old: { outputs: { ...ref, tag: "latest", digest: OLD_INDEX } },
      });
      assert.deepEqual(foldPreviewEvents([image], { "ghcr.io/acme/hello:latest": BY_HAND }).drift, []);
    });

    it("two tag resources that push the same tag keep their URN order", () => {
      const push = (name: string, digest: string) => pre("create", TAG, name, { inputs: { ...ref, tag: "latest", digest, mutable: true } });
      assert.deepEqual(
        foldPreviewEvents([push("b-latest", BY_HAND), push("a-latest", OLD_INDEX)]).tags.map((t) => t.to),
        [OLD_INDEX, BY_HAND],
      );
    });
  });

  it("GitHub release assets: a created one is added, a replaced one replaced, named by its name input or else its resource", () => {
    const asset = (op: string, resource: string, name?: string) =>
      pre(op, GITHUB_ASSET, resource, name === undefined ? {} : { inputs: { name } });
    const facts = foldPreviewEvents([
      asset("create", "asset-0", "hello_2.0.0_linux_amd64.tar.gz"),
      asset("replace", "asset-1", "SHA256SUMS"),
      asset("create", "checksums.sig"),
      asset("update", "asset-3", "hello.spdx.json"),
      asset("same", "asset-4", "cosign.pub"),
      asset("delete", "asset-5"),
    ]);
    assert.deepEqual(facts.assets, [
      { name: "SHA256SUMS", change: "replaced" },
      { name: "checksums.sig", change: "added" },
      { name: "hello_2.0.0_linux_amd64.tar.gz", change: "added" },
    ]);
  });

  describe("local release assets", () => {
    const plan = (checksums: Record<string, unknown>) => ({ releasePlan: { assets: { checksums } } });
    const PLAN = plan({ file: "SHA256SUMS", order: ["hello_1.4.0_linux_amd64.tar.gz", "hello_1.4.0_darwin_arm64.tar.gz"] });
    /** What the stack published last time (its `assets` output: name to sha256). */
    const PUBLISHED = { assets: { SHA256SUMS: "1".repeat(64), "hello_1.4.0_linux_amd64.tar.gz": "2".repeat(64) } };
    const release = (op: string, version: string, oldVersion?: string) =>
      pre(op, LOCAL_RELEASE, "hello-local-publication", {
        inputs: { version },
        ...(oldVersion === undefined ? {} : { old: { outputs: { version: oldVersion } } }),
      });
    const stackStep = (oldOutputs: Record<string, unknown>) => pre("same", STACK, "slipway-dev", { old: { outputs: oldOutputs } });
    const SAME_VERSION_AGAIN = [
      { name: "SHA256SUMS", change: "replaced" },
      { name: "hello_1.4.0_darwin_arm64.tar.gz", change: "added" },
      { name: "hello_1.4.0_linux_amd64.tar.gz", change: "replaced" },
    ];

    it("the same version again: the files it published are replaced, the others added (old outputs from the stack's step)", () => {
      const facts = foldPreviewEvents([stackStep(PUBLISHED), release("replace", "1.4.0", "1.4.0"), stackOutputs({ new: PLAN })]);
      assert.deepEqual(facts.assets, SAME_VERSION_AGAIN);
    });

    it("the same version again, with the old outputs from the stack's outputs event", () => {
      const facts = foldPreviewEvents([release("replace", "1.4.0", "1.4.0"), stackOutputs({ new: PLAN, old: PUBLISHED })]);
      assert.deepEqual(facts.assets, SAME_VERSION_AGAIN);
    });

    it("another version, or a first release: every file is added, even one named as a published one", () => {
      for (const step of [release("replace", "1.4.0", "1.3.9"), release("create", "1.4.0")]) {
        const facts = foldPreviewEvents([stackStep(PUBLISHED), step, stackOutputs({ new: PLAN })]);
        assert.deepEqual(facts.assets, [
          { name: "SHA256SUMS", change: "added" },
          { name: "hello_1.4.0_darwin_arm64.tar.gz", change: "added" },
          { name: "hello_1.4.0_linux_amd64.tar.gz", change: "added" },
        ]);
      }
    });

    it("an update of the release lists no asset", () => {
      assert.deepEqual(
        foldPreviewEvents([stackStep(PUBLISHED), release("update", "1.4.0", "1.4.0"), stackOutputs({ new: PLAN })]).assets,
        [],
      );
    });

    const plans: [string, RecordedEvent[], string[]][] = [
      ["no stack outputs", [], []],
      ["stack outputs without new state", [stackOutputs({ old: PUBLISHED })], []],
      ["no release plan", [stackOutputs({ new: {} })], []],
      ["a release plan without assets", [stackOutputs({ new: { releasePlan: {} } })], []],
      ["assets without checksums", [stackOutputs({ new: { releasePlan: { assets: {} } } })], []],
      ["checksums without an order", [stackOutputs({ new: plan({ file: "SHA256SUMS" }) })], []],
      [
        "an order with things other than names and no checksums file",
        [stackOutputs({ new: plan({ order: ["hello.tar.gz", 7, null] }) })],
        ["hello.tar.gz"],
      ],
    ];
    for (const [what, outputs, names] of plans) {
      it(`plans ${JSON.stringify(names)} from ${what}`, () => {
        const facts = foldPreviewEvents([release("create", "1.4.0"), ...outputs]);
        assert.deepEqual(
          facts.assets,
          names.map((name) => ({ name, change: "added" })),
        );
      });
    }
  });
});

describe("tagsToLookUp on synthetic events", () => {
  const declare = (inputs: Record<string, unknown>) =>
    pre("create", TAG, "hello-v2", { inputs: { registry: "ghcr.io", repository: "acme/hello", tag: "v2", ...inputs } });

  const unknowns: [string, Record<string, unknown>][] = [
    ["registry", { registry: UNKNOWN }],
    ["repository", { repository: UNKNOWN }],
    ["tag", { tag: UNKNOWN }],
  ];
  for (const [what, inputs] of unknowns) {
    it(`skips a declared tag whose ${what} is not known yet`, () => assert.deepEqual(tagsToLookUp([declare(inputs)]), []));
  }

  it("looks up a declared tag that is fully known", () => {
    assert.deepEqual(tagsToLookUp([declare({})]), [{ registry: "ghcr.io", repository: "acme/hello", tag: "v2" }]);
  });

  it("looks a deleted tag up by the stack's record (its old outputs) only, never by inputs its event carries", () => {
    const ref = { registry: "ghcr.io", repository: "acme/hello" };
    const deleted = pre("delete", TAG, "hello-v1.3.0", {
      inputs: { ...ref, tag: "latest" },
      old: { inputs: { ...ref, tag: "v1.3.0" }, outputs: { ...ref, tag: "v1.3.0", digest: OLD_INDEX } },
    });
    assert.deepEqual(tagsToLookUp([deleted]).map(tagKey), ["ghcr.io/acme/hello:v1.3.0"]);
  });
});

describe("countLine", () => {
  const change = (op: ChangeOp): ResourceChange => ({
    op,
    type: "slipway:TextFile",
    name: op,
    urn: `urn:${op}`,
    diffs: [],
    retained: false,
  });

  it("counts the listed changes when the engine gave no counts", () => {
    assert.equal(
      countLine({}, [change("create"), change("create"), change("update"), change("delete")]),
      "2 to create · 1 to update · 0 to replace · 1 to delete · 0 unchanged",
    );
  });

  it("folds the engine's counts into the four ops, whatever is listed", () => {
    assert.equal(
      countLine({ create: 1, import: 2, "delete-replaced": 1, discard: 1, same: 7 }, [change("update")]),
      "3 to create · 0 to update · 1 to replace · 1 to delete · 7 unchanged",
    );
  });
});

describe("renderPreviewMarkdown on synthetic facts", () => {
  const factsOf = (overrides: Partial<PreviewFacts> = {}): PreviewFacts => ({
    stack: "dev",
    version: "2.0.0",
    changes: [],
    counts: {},
    tags: [],
    assets: [],
    rotating: [],
    failed: false,
    republished: false,
    drift: [],
    refused: [],
    overwrites: [],
    ...overrides,
  });
  const TITLE = "### slipway preview of `dev` for 2.0.0";
  const NO_COUNTS = "**0 to create · 0 to update · 0 to replace · 0 to delete · 0 unchanged**";
  const create = (name: string): ResourceChange => ({
    op: "create",
    type: "slipway:TextFile",
    name,
    urn: `urn:pulumi:dev::slipway::${TEXT_FILE}::${name}`,
    diffs: [],
    retained: false,
  });

  const titles: [string | undefined, string | undefined, string][] = [
    ["dev", "2.0.0", TITLE],
    [undefined, "2.0.0", "### slipway preview for 2.0.0"],
    ["dev", undefined, "### slipway preview of `dev`"],
    [undefined, undefined, "### slipway preview"],
  ];
  for (const [stack, version, title] of titles) {
    it(`titles the comment "${title}"`, () => assert.equal(renderPreviewMarkdown(factsOf({ stack, version })).split("\n")[1], title));
  }

  it("warns that a failed preview is partial, and does not claim there are no changes", () => {
    assert.equal(
      renderPreviewMarkdown(factsOf({ failed: true })),
      [
        PREVIEW_MARKER,
        TITLE,
        "",
        NO_COUNTS,
        "",
        "> [!WARNING]",
        "> The preview failed; the lists below are what the engine reached.",
        "",
      ].join("\n"),
    );
  });

  it('a re-release of an unnamed version says "This version"', () => {
    assert.equal(
      renderPreviewMarkdown(factsOf({ version: undefined, republished: true })),
      [
        PREVIEW_MARKER,
        "### slipway preview of `dev`",
        "",
        NO_COUNTS,
        "",
        "This version is already published from this commit: nothing is built or published.",
        "",
        "No changes: the stack already matches this release.",
        "",
      ].join("\n"),
    );
  });

  it("one change, a retained delete: the resource list says it stays published", () => {
    const retained: ResourceChange = { ...create("hello-v1.3.0"), op: "delete", type: "slipway:RegistryTag", retained: true };
    assert.equal(
      renderPreviewMarkdown(factsOf({ changes: [retained], counts: { delete: 1 } })),
      [
        PREVIEW_MARKER,
        TITLE,
        "",
        "**0 to create · 0 to update · 0 to replace · 1 to delete · 0 unchanged**",
        "",
        "<details><summary>Resources (1 change)</summary>",
        "",
        "| op | type | name | changed |",
        "| --- | --- | --- | --- |",
        "| delete | `slipway:RegistryTag` | `hello-v1.3.0` | removed from the stack only; stays published (retainOnDelete) |",
        "",
        "</details>",
        "",
      ].join("\n"),
    );
  });

  it("renders assets added and replaced, only the tap files that change, and rotating secrets (golden)", () => {
    const text = renderPreviewMarkdown(
      factsOf({
        changes: [create("notes")],
        counts: { create: 1, same: 3 },
        assets: [
          { name: "SHA256SUMS", change: "replaced" },
          { name: "hello_2.0.0_darwin_arm64.tar.gz", change: "added" },
          { name: "hello_2.0.0_linux_amd64.tar.gz", change: "added" },
        ],
        rotating: ["hello-api-token"],
        tapFiles: [
          { channel: "homebrew", repository: "acme/homebrew-tap", path: "Formula/hello.rb", before: "unchanged\n", after: "unchanged\n" },
          {
            channel: "scoop",
            repository: "acme/scoop-bucket",
            path: "bucket/hello.json",
            before: '{"version":"1.9.0"}\n',
            after: '{"version":"2.0.0"}\n',
          },
        ],
      }),
    );
    assert.match(text, /<summary>Release assets: 2 added, 1 replaced<\/summary>/);
    assert.match(text, /<summary>Scoop: `bucket\/hello\.json` in acme\/scoop-bucket<\/summary>/);
    assertGolden("preview-synthetic-sections.md", text);
  });

  describe("trimming to maxLength", () => {
    const facts = factsOf({
      changes: Array.from({ length: 40 }, (_, i) => create(`file-${String(i).padStart(2, "0")}`)),
      counts: { create: 40 },
    });
    const full = renderPreviewMarkdown(facts);
    const cutNote = (maxLength: number) =>
      `\n\n_Trimmed to GitHub's ${maxLength}-character limit; run \`slipway preview\` locally for the whole preview._\n`;

    it("keeps a comment exactly maxLength long whole", () => {
      assert.equal(renderPreviewMarkdown(facts, full.length), full);
      const unchanged = renderPreviewMarkdown(factsOf());
      assert.equal(renderPreviewMarkdown(factsOf(), unchanged.length), unchanged);
    });

    it("one character over: drops as few rows as make room for the note (golden)", () => {
      const text = renderPreviewMarkdown(facts, full.length - 1);
      assert.ok(text.length <= full.length - 1, `${text.length}`);
      const limit = full.length - 1;
      assert.ok(
        text.endsWith(
          `| \`file-36\` |  |\n\n_3 more changes not shown: the comment is trimmed to GitHub's ${limit}-character limit; run \`slipway preview\` locally for all._\n\n</details>\n`,
        ),
      );
      assertGolden("preview-trimmed-one-over.md", text);
    });

    it("cuts the text with a note when even the summary does not fit", () => {
      const text = renderPreviewMarkdown(facts, 300);
      assert.equal(text.length, 300);
      assert.equal(text, full.slice(0, 300 - cutNote(300).length) + cutNote(300));
    });

    it("leaves only the note when the limit is shorter than the note", () => {
      assert.equal(renderPreviewMarkdown(facts, 10), cutNote(10));
    });
  });
});
