import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SlipwayInputError } from "../../plan/errors";
import { Source, byLine } from "../../plan/goreleaserSource";

/** The top-level fields of `yaml`, by key. */
function top(yaml: string): { src: Source; field: (key: string) => unknown } {
  const src = Source.parse(yaml);
  const fields = src.fields(src.root(), "");
  return { src, field: (key) => fields.find((entry) => entry.key === key)?.node };
}

describe("Source.parse", () => {
  it("a syntax error names the line, the parser's first message line and the fix", () => {
    assert.throws(
      () => Source.parse("a: 1\nb: [x\nc: 2\n"),
      (error: unknown) => {
        assert.ok(error instanceof SlipwayInputError);
        assert.equal(error.key, "goreleaser");
        assert.equal(error.value, "line 3");
        assert.equal(
          error.problem,
          "YAML syntax error at line 3: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1:",
        );
        assert.equal(error.fix, "fix the GoReleaser file's YAML");
        return true;
      },
    );
  });

  it("a repeated key is not an error: the later one wins, at its own line", () => {
    const src = Source.parse("a: 1\nb: 2\na: 3\n");
    assert.deepEqual(
      src.fields(src.root(), "").map((field) => [field.key, field.line, src.value(field.node)]),
      [
        ["b", 2, 2],
        ["a", 3, 3],
      ],
    );
  });
});

describe("Source.fields", () => {
  it("a key written beside a merge key wins over the merged one", () => {
    const src = Source.parse("base: &b\n  a: merged\n  c: only\nx:\n  a: own\n  <<: *b\n");
    const x = src.fields(src.root(), "").find((field) => field.key === "x");
    assert.deepEqual(
      src.fields(x?.node, "x").map((field) => [field.path, src.value(field.node)]),
      [
        ["x.a", "own"],
        ["x.c", "only"],
      ],
    );
  });

  it("a non-map has no fields", () => {
    const { src, field } = top("list: [1, 2]\n");
    assert.deepEqual(src.fields(field("list"), "list"), []);
  });
});

describe("Source.items", () => {
  it("a sequence: one field per item, keyed by index, at its line", () => {
    const { src, field } = top("list:\n  - a\n  - b\n");
    assert.deepEqual(
      src.items(field("list"), "list").map((item) => [item.key, item.path, item.line, src.value(item.node)]),
      [
        ["0", "list[0]", 2, "a"],
        ["1", "list[1]", 3, "b"],
      ],
    );
  });

  it("a scalar is a one-item list at the parent's path", () => {
    const { src, field } = top("one: a\n");
    assert.deepEqual(
      src.items(field("one"), "one").map((item) => [item.key, item.path, item.line, src.value(item.node)]),
      [["0", "one", 1, "a"]],
    );
  });

  for (const absent of [null, undefined])
    it(`${String(absent)} has no items`, () => assert.deepEqual(Source.parse("").items(absent, "x"), []));
});

describe("Source.value, text and strings", () => {
  const src = Source.parse("");
  const rows: [string, unknown, unknown, string, string[]][] = [
    // name, node, value, text, strings
    ["null", null, null, "", []],
    ["undefined", undefined, undefined, "", []],
    ["a string", "x", "x", "x", ["x"]],
    ["a number", 3, 3, "3", ["3"]],
    ["a boolean", false, false, "false", ["false"]],
    ["a plain object without toJS", { a: 1 }, { a: 1 }, '{"a":1}', ['{"a":1}']],
    ["an object whose toJS is not a function", { toJS: 5 }, { toJS: 5 }, '{"toJS":5}', ['{"toJS":5}']],
    ["a list", ["a", 1], ["a", 1], '["a",1]', ["a", "1"]],
  ];
  for (const [name, node, value, text, strings] of rows) {
    it(`${name}: value, text and strings`, () => {
      assert.deepEqual(src.value(node), value);
      assert.equal(src.text(node), text);
      assert.deepEqual(src.strings(node), strings);
    });
  }

  it("YAML nodes are read as plain values", () => {
    const { src: doc, field } = top("map: {a: [1, true]}\nnum: 7\n");
    assert.deepEqual(doc.value(field("map")), { a: [1, true] });
    assert.equal(doc.text(field("map")), '{"a":[1,true]}');
    assert.equal(doc.text(field("num")), "7");
  });

  it("YAML's .nan and -.inf read as Go would print them, not as JSON null", () => {
    const { src: doc, field } = top("nan: .nan\ninf: -.inf\n");
    assert.equal(doc.text(field("nan")), "NaN");
    assert.equal(doc.text(field("inf")), "-Infinity");
  });

  it("a value JSON cannot spell is empty text", () => assert.equal(src.text(Symbol("x")), ""));
});

describe("Source.lineOf", () => {
  it("a node without a position is at line 1", () => {
    const src = Source.parse("\n\na: 1\n");
    assert.equal(src.lineOf(null), 1);
    assert.equal(src.lineOf({}), 1);
    assert.equal(src.fields(src.root(), "")[0]?.line, 3);
  });
});

describe("Source.map and unmap", () => {
  it("a mapped key without a note has no note property", () => {
    const src = Source.parse("");
    src.map({ line: 2, path: "a" }, "x");
    src.map({ line: 3, path: "b" }, "y", "why");
    src.unmap({ line: 4, path: "c" }, "no");
    assert.deepEqual(src.mapped, [
      { line: 2, key: "a", to: "x" },
      { line: 3, key: "b", to: "y", note: "why" },
    ]);
    assert.deepEqual(src.unmapped, [{ line: 4, key: "c", note: "no" }]);
  });
});

describe("byLine", () => {
  it("sorts by line, then key, then the whole entry", () => {
    const entries = [
      { line: 2, key: "b", note: "z" },
      { line: 2, key: "b", note: "a" },
      { line: 2, key: "a", note: "q" },
      { line: 1, key: "z", note: "q" },
    ];
    assert.deepEqual(byLine(entries), [
      { line: 1, key: "z", note: "q" },
      { line: 2, key: "a", note: "q" },
      { line: 2, key: "b", note: "a" },
      { line: 2, key: "b", note: "z" },
    ]);
  });
});
