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
  ]);
});
