// What a sealed Athens's disk storage lacks for a go.sum (plan/athensSealedStorage.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { missingFromDiskStorage } from "../../plan/athensSealedStorage";

describe("a sealed proxy's storage against go.sum", () => {
  it("reads indented, CRLF and tab- or multi-space-separated lines, and skips blank lines and lines without a version", () => {
    const messy = [
      "   ",
      "  example.com/indented v1.0.0 h1:x=\r",
      "example.com/tabs\tv2.0.0/go.mod\th1:y=",
      "example.com/spaces   v3.0.0  h1:z=",
      "example.com/alone",
    ].join("\n");
    assert.deepEqual(
      missingFromDiskStorage(messy, "/s", () => false),
      ["example.com/indented@v1.0.0", "example.com/spaces@v3.0.0", "example.com/tabs@v2.0.0"],
    );
  });

  const GO_SUM = [
    "github.com/google/uuid v1.6.0 h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=",
    "github.com/google/uuid v1.6.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=",
    "github.com/BurntSushi/toml v1.4.0/go.mod h1:ukJfTF/6rtPPRCnwkur4qwRxa8vTRFBF0uk2lLoLwho=",
    "",
  ].join("\n");
  const cases: { title: string; stored: string[]; missing: string[] }[] = [
    {
      title: "everything stored",
      stored: [
        "/s/github.com/google/uuid/v1.6.0/source.zip",
        "/s/github.com/google/uuid/v1.6.0/go.mod",
        "/s/github.com/BurntSushi/toml/v1.4.0/go.mod",
      ],
      missing: [],
    },
    {
      title: "empty storage lists each module once, sorted",
      stored: [],
      missing: ["github.com/BurntSushi/toml@v1.4.0", "github.com/google/uuid@v1.6.0"],
    },
    {
      title: "a go.mod without its zip is not enough for a module the build compiles",
      stored: ["/s/github.com/google/uuid/v1.6.0/go.mod", "/s/github.com/BurntSushi/toml/v1.4.0/go.mod"],
      missing: ["github.com/google/uuid@v1.6.0"],
    },
    {
      title: "module paths keep their case, as Athens writes them",
      stored: [
        "/s/github.com/google/uuid/v1.6.0/source.zip",
        "/s/github.com/google/uuid/v1.6.0/go.mod",
        "/s/github.com/burntsushi/toml/v1.4.0/go.mod",
      ],
      missing: ["github.com/BurntSushi/toml@v1.4.0"],
    },
  ];
  for (const c of cases) {
    it(c.title, () => {
      const stored = new Set(c.stored);
      assert.deepEqual(
        missingFromDiskStorage(GO_SUM, "/s", (path) => stored.has(path)),
        c.missing,
      );
    });
  }
});
