// The settings table's "did you mean" (plan/settings.ts): typos within two edits (adjacent swaps count
// once) find their setting; anything further finds none.
import { describe } from "node:test";
import { SETTINGS, closest } from "../../plan/settings";
import { itReturnsEach } from "../support/inputTables";

const KNOWN = Object.keys(SETTINGS);

describe("the closest known setting", () => {
  itReturnsEach([
    ["a swapped pair", () => closest("platfrom", KNOWN), "platforms"],
    ["another case", () => closest("ImageName", KNOWN), "imageName"],
    ["two edits away", () => closest("vresio", KNOWN), "version"],
    ["nothing within two edits", () => closest("apiKey", KNOWN), undefined],
    ["the first of equally near ones", () => closest("builde", ["builds", "builder"]), "builds"],
    ["nothing to choose from", () => closest("version", []), undefined],
    ["an upper-case candidate", () => closest("abcd", ["ABCD"]), "ABCD"],
    ["an upper-case name", () => closest("ABCD", ["abcd"]), "abcd"],
    ["two insertions", () => closest("abc", ["abcde"]), "abcde"],
    ["three insertions", () => closest("abc", ["abcdef"]), undefined],
    ["from nothing, two insertions", () => closest("", ["ab"]), "ab"],
    ["to nothing, two deletions", () => closest("ab", [""]), ""],
    ["three substitutions", () => closest("abc", ["xyz"]), undefined],
    ["from nothing, three insertions", () => closest("", ["abc"]), undefined],
    ["three insertions in front", () => closest("xyz", ["abcxyz"]), undefined],
    ["a swap and two deletions", () => closest("abxy", ["ba"]), undefined],
    // Pairs at distance 3 (or 2) that a looser or stricter swap rule would bring within (or push out of) reach.
    ["a swap needs both characters to match (aaab, abca)", () => closest("aaab", ["abca"]), undefined],
    ["a swap needs both characters to match (aaab, abbc)", () => closest("aaab", ["abbc"]), undefined],
    ["a swap and a substitution", () => closest("aaab", ["abba"]), "abba"],
  ]);
});
