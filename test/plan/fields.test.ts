import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rejectUnknownFields } from "../../plan/fields";
import { itRefusesEach } from "../support/inputTables";

describe("rejectUnknownFields", () => {
  it("accepts an entry whose fields are all allowed, in any order, and an empty entry", () => {
    assert.doesNotThrow(() => rejectUnknownFields({ region: "eu-west-1", kind: "ecr" }, ["kind", "name", "region"], "registries[0]"));
    assert.doesNotThrow(() => rejectUnknownFields({}, ["kind"], "registries[0]"));
  });

  itRefusesEach([
    {
      title: "a field not allowed, naming it under the setting and listing the allowed ones",
      run: () => rejectUnknownFields({ kind: "ecr", address: "x:5000" }, ["kind", "name", "region"], "registries[0]"),
      message: 'slipway:registries[0].address = "x:5000": unknown field; fix: use only kind, name, region',
    },
    {
      title: "the first unknown field of several",
      run: () => rejectUnknownFields({ owner: "o", tokn: 1, repoo: 2 }, ["owner", "repo", "tokenSecret"], "github"),
      message: "slipway:github.tokn = 1: unknown field; fix: use only owner, repo, tokenSecret",
    },
  ]);
});
