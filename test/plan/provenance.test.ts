import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProvenanceFacts, provenanceStatement, redactGoproxy, renderProvenance, renderProvenancePredicate } from "../../plan/provenance";
import { planRelease } from "../../plan/releasePlan";
import { assertGolden } from "../support/golden";
import { releaseInput } from "../support/release";

const plan = planRelease(releaseInput({ platforms: ["linux/amd64", "linux/arm64"], source: "https://github.com/acme/hello" }));
const hex = (c: string) => c.repeat(64);
const facts: ProvenanceFacts = {
  assets: {
    "hello_1.4.0_linux_arm64.tar.gz": hex("b"),
    "hello_1.4.0_linux_amd64.tar.gz": hex("a"),
    SHA256SUMS: hex("c"),
    "hello_1.4.0_linux_amd64.cdx.json": hex("d"),
  },
  images: [{ repository: "127.0.0.1:5000/hello", digest: `sha256:${hex("e")}` }],
  goVersion: "go1.26.8",
  goproxy: "https://slipway:s3cr3t@athens.example.com/,off",
  modules: ["golang.org/x/text@v0.21.0", "github.com/acme/lib@v1.2.3", "golang.org/x/text@v0.21.0"],
  builder: { id: "urn:slipway:local", version: "0.1.0" },
};

describe("provenanceStatement", () => {
  it("renders the SLSA v1 statement as one canonical line (golden)", () => {
    const text = renderProvenance(plan, facts);
    assert.equal(text.split("\n").length, 2, "one JSON line and the final newline");
    assertGolden("provenance-1.4.0.json", `${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  });

  it("is the same bytes whatever order the facts come in", () => {
    const reordered: ProvenanceFacts = {
      ...facts,
      assets: Object.fromEntries(Object.entries(facts.assets).reverse()),
      modules: [...facts.modules].reverse(),
    };
    assert.equal(renderProvenance(plan, reordered), renderProvenance(plan, facts));
  });

  it("changes with any subject digest", () => {
    const tampered = { ...facts, assets: { ...facts.assets, SHA256SUMS: hex("f") } };
    assert.notEqual(renderProvenance(plan, tampered), renderProvenance(plan, facts));
  });

  it("takes its times from the commit only", () => {
    const statement = provenanceStatement(plan, facts) as { predicate: { runDetails: { metadata: Record<string, string> } } };
    assert.deepEqual(statement.predicate.runDetails.metadata, {
      invocationId: `hello@1.4.0+${plan.commit.sha}`,
      startedOn: "2026-11-20T10:00:00Z",
      finishedOn: "2026-11-20T10:00:00Z",
    });
  });

  it("never records proxy credentials", () => {
    assert.ok(!renderProvenance(plan, facts).includes("s3cr3t"));
    assert.ok(!renderProvenancePredicate(plan, facts).includes("s3cr3t"));
  });

  it("the predicate alone is the statement's predicate", () => {
    const statement = JSON.parse(renderProvenance(plan, facts)) as { predicate: unknown };
    assert.deepEqual(JSON.parse(renderProvenancePredicate(plan, facts)), statement.predicate);
  });

  it("records each build's flags, tags and environment, and the bare commit when the source is unknown", () => {
    const tuned = planRelease(
      releaseInput({
        platforms: ["linux/amd64"],
        builds: [{ id: "hello", main: ".", flags: ["-a"], tags: ["netgo", "osusergo"], env: ["GOEXPERIMENT=loopvar"] }],
      }),
    );
    const statement = provenanceStatement(tuned, facts) as {
      predicate: { buildDefinition: { externalParameters: { builds: unknown[] }; resolvedDependencies: { uri: string }[] } };
    };
    const definition = statement.predicate.buildDefinition;
    assert.deepEqual(
      definition.externalParameters.builds.map((b) => {
        const { flags, tags, env } = b as Record<string, unknown>;
        return { flags, tags, env };
      }),
      [{ flags: ["-a"], tags: ["netgo", "osusergo"], env: { GOEXPERIMENT: "loopvar" } }],
    );
    assert.equal(definition.resolvedDependencies[0]?.uri, `git+commit:${tuned.commit.sha}`);
  });

  it("refuses a digest that is not sha256 (a bug upstream, not a setting)", () => {
    for (const bad of [`x${hex("a")}`, `${hex("a")}0`, hex("A")]) {
      assert.throws(() => provenanceStatement(plan, { ...facts, assets: { SHA256SUMS: bad } }), /SHA256SUMS has no sha256 digest/);
    }
    assert.throws(() => provenanceStatement(plan, { ...facts, assets: { SHA256SUMS: "abc" } }), /SHA256SUMS has no sha256 digest/);
    assert.throws(
      () => provenanceStatement(plan, { ...facts, images: [{ repository: "r/hello", digest: "sha512:00" }] }),
      /r\/hello has no sha256/,
    );
  });
});

describe("redactGoproxy", () => {
  const cases: [string, string][] = [
    ["https://u:p@athens.example.com/,off", "https://athens.example.com/,off"],
    ["http://127.0.0.1:3000", "http://127.0.0.1:3000"],
    ["https://a@one.example/|https://b:c@two.example/path,direct", "https://one.example/|https://two.example/path,direct"],
    ["off", "off"],
  ];
  for (const [input, expected] of cases) it(`${input} → ${expected}`, () => assert.equal(redactGoproxy(input), expected));
});
