import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { details, escapeCell, mdTable, shortDigest } from "../../plan/markdown";
import { itReturnsEach } from "../support/inputTables";

const DIGEST = "sha256:3ee3f66c21f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a";

describe("shortDigest", () => {
  itReturnsEach([
    ["the algorithm and the first 12 hex digits", () => shortDigest(DIGEST), "sha256:3ee3f66c21f0…"],
    ["a hex part of 12 digits or fewer, still marked as cut", () => shortDigest("sha256:abc"), "sha256:abc…"],
    ["text without an algorithm, as it is", () => shortDigest("3ee3f66c21f0a1b2c3d4"), "3ee3f66c21f0a1b2c3d4"],
    ["null: no digest at all", () => shortDigest(null), "(none)"],
    ["undefined: not built yet", () => shortDigest(undefined), "(new build)"],
    ["undefined, with the caller's word for it", () => shortDigest(undefined, "(unknown)"), "(unknown)"],
    ["null, whatever the caller's word for unknown", () => shortDigest(null, "(unknown)"), "(none)"],
  ]);
});

describe("escapeCell", () => {
  itReturnsEach([
    ["plain text unchanged", () => escapeCell("v1.4.0 moves"), "v1.4.0 moves"],
    ["every pipe escaped", () => escapeCell("a|b|c"), "a\\|b\\|c"],
    ["every backslash doubled, before pipes are escaped", () => escapeCell("a\\b\\|c"), "a\\\\b\\\\\\|c"],
    ["every < as an entity, so no HTML opens", () => escapeCell("<b>x</b>"), "&lt;b>x&lt;/b>"],
    ["every line break, LF or CRLF, as one space", () => escapeCell("a\nb\r\nc\n"), "a b c "],
    ["a lone CR left alone", () => escapeCell("a\rb"), "a\rb"],
  ]);
});

describe("mdTable", () => {
  it("renders the header, a separator per column and one escaped line per row", () => {
    assert.equal(
      mdTable(
        ["tag", "from"],
        [
          ["v1|x", "a\nb"],
          ["latest", "<none>"],
        ],
      ),
      ["| tag | from |", "| --- | --- |", "| v1\\|x | a b |", "| latest | &lt;none> |"].join("\n"),
    );
  });

  it("renders a table with no rows as its header and separator", () => {
    assert.equal(mdTable(["one"], []), "| one |\n| --- |");
  });
});

describe("details", () => {
  itReturnsEach([
    ["closed by default", () => details("Tags", "body"), "<details><summary>Tags</summary>\n\nbody\n\n</details>"],
    ["closed when asked", () => details("Tags", "body", false), "<details><summary>Tags</summary>\n\nbody\n\n</details>"],
    ["open when asked", () => details("Tags", "body", true), "<details open><summary>Tags</summary>\n\nbody\n\n</details>"],
  ]);
});
