import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { migrationExitCode, renderMigrationReport } from "../../plan/goreleaserReport";
import type { MappedKey, UnmappedKey } from "../../plan/goreleaserSource";

const mapped = (count: number): MappedKey[] => Array.from({ length: count }, (_, i) => ({ line: i + 1, key: `k${i}`, to: "x" }));

describe("renderMigrationReport", () => {
  it("lists unmapped keys by line, then by key, whatever their order, then the summary", () => {
    const unmapped: UnmappedKey[] = [
      { line: 9, key: "b", note: "nine b" },
      { line: 3, key: "z", note: "three z" },
      { line: 9, key: "a", note: "nine a" },
      { line: 10, key: "c", note: "ten" },
    ];
    assert.deepEqual(renderMigrationReport({ mapped: mapped(2), unmapped }, "g.yml"), [
      "g.yml:3: z: three z",
      "g.yml:9: a: nine a",
      "g.yml:9: b: nine b",
      "g.yml:10: c: ten",
      "g.yml: 2 keys mapped, 4 keys not mapped (review the lines above)",
    ]);
  });

  it("does not reorder the migration's own list", () => {
    const unmapped: UnmappedKey[] = [
      { line: 2, key: "b", note: "n" },
      { line: 1, key: "a", note: "n" },
    ];
    renderMigrationReport({ mapped: [], unmapped }, "g.yml");
    assert.deepEqual(
      unmapped.map((entry) => entry.line),
      [2, 1],
    );
  });

  const summaries: [number, number, string][] = [
    [0, 0, "f: 0 keys mapped, nothing left unmapped"],
    [1, 0, "f: 1 key mapped, nothing left unmapped"],
    [1, 1, "f: 1 key mapped, 1 key not mapped (review the lines above)"],
    [3, 2, "f: 3 keys mapped, 2 keys not mapped (review the lines above)"],
  ];
  for (const [mappedCount, unmappedCount, summary] of summaries) {
    it(`summary with ${mappedCount} mapped and ${unmappedCount} unmapped: ${summary}`, () => {
      const unmapped = mapped(unmappedCount).map((entry) => ({ line: entry.line, key: entry.key, note: "n" }));
      const lines = renderMigrationReport({ mapped: mapped(mappedCount), unmapped }, "f");
      assert.equal(lines.length, unmappedCount + 1);
      assert.equal(lines[lines.length - 1], summary);
    });
  }
});

describe("migrationExitCode", () => {
  it("0 when nothing is left unmapped, 3 otherwise", () => {
    assert.equal(migrationExitCode({ unmapped: [] }), 0);
    assert.equal(migrationExitCode({ unmapped: [{ line: 1, key: "a", note: "n" }] }), 3);
  });
});
