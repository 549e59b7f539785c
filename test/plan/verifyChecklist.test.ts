// The verify checklist from observations: table-driven, one broken fact per case.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkAllowUnchecked,
  CheckItem,
  RegistryObservation,
  ReleaseObservation,
  VerifyInput,
  evaluateVerify,
  parseSha256Sums,
  renderChecklist,
} from "../../plan/verifyChecklist";
import { assertGolden } from "../support/golden";

const INDEX = `sha256:${"a".repeat(64)}`;
const OTHER = `sha256:${"b".repeat(64)}`;
const AMD = "1".repeat(64);
const ARM = "2".repeat(64);
const SUMS = "3".repeat(64);
const ASSETS = { hello_1_linux_amd64: AMD, hello_1_linux_arm64: ARM, SHA256SUMS: SUMS };
const DIR = "/srv/releases/1.0.0";

const registry: RegistryObservation = {
  name: "local",
  address: "127.0.0.1:5000",
  tags: {
    "v1.0.0": { digest: INDEX, platforms: { "linux/amd64": "sha256:m1", "linux/arm64": "sha256:m2" } },
    latest: { digest: INDEX, platforms: { "linux/amd64": "sha256:m1", "linux/arm64": "sha256:m2" } },
  },
  binaries: { "linux/amd64": { sha256: AMD }, "linux/arm64": { sha256: ARM } },
};

const GOOD: VerifyInput = {
  version: "1.0.0",
  record: { commit: "c".repeat(40), assets: ASSETS, tags: { local: { "v1.0.0": INDEX, latest: INDEX } }, location: DIR },
  known: ["1.0.0"],
  platforms: ["linux/amd64", "linux/arm64"],
  binaryAssets: { "linux/amd64": "hello_1_linux_amd64", "linux/arm64": "hello_1_linux_arm64" },
  registries: [registry],
  release: {
    kind: "local",
    directory: DIR,
    exists: true,
    draft: false,
    sums: { hello_1_linux_amd64: AMD, hello_1_linux_arm64: ARM },
    files: { hello_1_linux_amd64: AMD, hello_1_linux_arm64: ARM },
  },
};

const failed = (items: CheckItem[]) => items.filter((i) => i.status === "fail").map((i) => `${i.id}: ${i.detail}`);

describe("evaluateVerify", () => {
  it("passes a complete release (golden checklist)", () => {
    const items = evaluateVerify(GOOD);
    assert.deepEqual(failed(items), []);
    assert.deepEqual(
      items.map((i) => i.id),
      [
        "record",
        "tag:local:latest",
        "tag:local:v1.0.0",
        `platforms:local:${INDEX}`,
        "binary:local:linux/amd64",
        "binary:local:linux/arm64",
        "published",
        "asset:hello_1_linux_amd64",
        "asset:hello_1_linux_arm64",
        "sums-complete",
      ],
    );
    assertGolden("cli-verify-pass.txt", renderChecklist("1.0.0", items));
  });

  const local = GOOD.release.kind === "local" ? GOOD.release : undefined;
  assert.ok(local !== undefined);
  const CASES: { title: string; input: VerifyInput; fails: string[] }[] = [
    { title: "an unknown version", input: { ...GOOD, record: undefined, known: ["0.9.0"] }, fails: ["record: recorded: 0.9.0"] },
    {
      title: "a tag moved elsewhere",
      input: { ...GOOD, registries: [{ ...registry, tags: { ...registry.tags, latest: { digest: OTHER, platforms: {} } } }] },
      fails: [`tag:local:latest: 127.0.0.1:5000 serves ${OTHER}`],
    },
    {
      title: "a tag gone",
      input: { ...GOOD, registries: [{ ...registry, tags: { ...registry.tags, latest: { digest: null } } }] },
      fails: ["tag:local:latest: 127.0.0.1:5000 serves no such tag"],
    },
    {
      title: "the registry unreachable",
      input: {
        ...GOOD,
        registries: [
          {
            ...registry,
            tags: { latest: { digest: null, error: "registry down" }, "v1.0.0": { digest: null, error: "registry down" } },
            binaries: {},
          },
        ],
      },
      fails: [
        "tag:local:latest: registry down",
        "tag:local:v1.0.0: registry down",
        `platforms:local:${INDEX}: the index could not be read`,
        "binary:local:linux/amd64: the image was not read",
        "binary:local:linux/arm64: the image was not read",
      ],
    },
    {
      title: "a platform missing from the index",
      input: {
        ...GOOD,
        registries: [
          {
            ...registry,
            tags: {
              "v1.0.0": { digest: INDEX, platforms: { "linux/amd64": "sha256:m1" } },
              latest: { digest: INDEX, platforms: { "linux/amd64": "sha256:m1" } },
            },
          },
        ],
      },
      fails: [`platforms:local:${INDEX}: missing linux/arm64`],
    },
    {
      title: "an image binary that is not the asset",
      input: { ...GOOD, registries: [{ ...registry, binaries: { ...registry.binaries, "linux/arm64": { sha256: AMD } } }] },
      fails: [`binary:local:linux/arm64: the image holds sha256 ${AMD}, the asset is ${ARM}`],
    },
    {
      title: "a registry no longer configured",
      input: { ...GOOD, registries: [] },
      fails: [
        "tag:local:latest: registry local is no longer configured on the stack",
        "tag:local:v1.0.0: registry local is no longer configured on the stack",
      ],
    },
    {
      title: "a changed asset",
      input: { ...GOOD, release: { ...local, files: { ...local.files, hello_1_linux_amd64: ARM } } },
      fails: [`asset:hello_1_linux_amd64: hello_1_linux_amd64 hashes to ${ARM}, SHA256SUMS says ${AMD}`],
    },
    {
      title: "a missing asset",
      input: { ...GOOD, release: { ...local, files: { hello_1_linux_arm64: ARM } } },
      fails: [`asset:hello_1_linux_amd64: hello_1_linux_amd64 is missing from ${DIR}`],
    },
    {
      title: "asset and SHA256SUMS changed together",
      input: {
        ...GOOD,
        release: { ...local, sums: { ...local.sums, hello_1_linux_amd64: ARM }, files: { ...local.files, hello_1_linux_amd64: ARM } },
      },
      fails: [`asset:hello_1_linux_amd64: hello_1_linux_amd64 hashes to ${ARM}, the stack recorded ${AMD}`],
    },
    {
      title: "no SHA256SUMS",
      input: { ...GOOD, release: { ...local, sums: undefined } },
      fails: [
        "asset:hello_1_linux_amd64: SHA256SUMS is missing",
        "asset:hello_1_linux_arm64: SHA256SUMS is missing",
        "sums-complete: SHA256SUMS is missing",
      ],
    },
    {
      title: "an extra line in SHA256SUMS",
      input: { ...GOOD, release: { ...local, sums: { ...local.sums, evil: AMD } } },
      fails: ["sums-complete: unexpected: evil"],
    },
    {
      title: "a draft left behind",
      input: { ...GOOD, release: { ...local, draft: true } },
      fails: ["published: an unfinished draft of it exists"],
    },
    {
      title: "no release directory",
      input: { ...GOOD, release: { ...local, exists: false, files: {}, sums: undefined } },
      fails: [
        `published: ${DIR} does not exist`,
        "asset:hello_1_linux_amd64: the release directory does not exist",
        "asset:hello_1_linux_arm64: the release directory does not exist",
      ],
    },
  ];
  for (const c of CASES) {
    it(`fails on ${c.title}`, () => assert.deepEqual(failed(evaluateVerify(c.input)), c.fails));
  }

  const ghcr: RegistryObservation = {
    name: "ghcr",
    address: "ghcr.io/acme",
    tags: { "v1.0.0": { digest: OTHER, platforms: { "linux/arm64": "sha256:g2", "linux/amd64": "sha256:g1" } } },
    binaries: { "linux/amd64": { sha256: AMD }, "linux/arm64": { sha256: ARM } },
  };
  const twoRegistries = { ...GOOD.record!, tags: { local: GOOD.record!.tags.local!, ghcr: { "v1.0.0": OTHER } } };
  const MORE_CASES: { title: string; input: VerifyInput; fails: string[] }[] = [
    {
      title: "a stack with no release recorded",
      input: { ...GOOD, record: undefined, known: [] },
      fails: ["record: the stack has recorded no release"],
    },
    {
      title: "an unknown version among several (listed sorted)",
      input: { ...GOOD, record: undefined, known: ["1.1.0", "0.9.0", "1.0.1"] },
      fails: ["record: recorded: 0.9.0, 1.0.1, 1.1.0"],
    },
    {
      title: "two registries, each checked against its own observations",
      input: { ...GOOD, record: twoRegistries, registries: [ghcr, registry] },
      fails: [],
    },
    {
      title: "two registries, one serving the other's index",
      input: { ...GOOD, record: twoRegistries, registries: [{ ...ghcr, tags: { "v1.0.0": registry.tags["v1.0.0"]! } }, registry] },
      fails: [`tag:ghcr:v1.0.0: ghcr.io/acme serves ${INDEX}`, `platforms:ghcr:${OTHER}: the index could not be read`],
    },
    {
      title: "a tag the registry did not report at all, on a registry without an address",
      input: { ...GOOD, registries: [{ ...registry, address: undefined, tags: { "v1.0.0": registry.tags["v1.0.0"]! } }] },
      fails: ["tag:local:latest: local serves no such tag"],
    },
    {
      title: "tags recorded on two indexes, one of them unreadable",
      input: {
        ...GOOD,
        record: { ...GOOD.record!, tags: { local: { "v1.0.0": OTHER, latest: INDEX } } },
        registries: [{ ...registry, tags: { ...registry.tags, "v1.0.0": { digest: OTHER } } }],
      },
      fails: [`platforms:local:${OTHER}: the index could not be read`],
    },
    {
      title: "an index whose first tag was read without its platforms",
      input: { ...GOOD, registries: [{ ...registry, tags: { latest: { digest: INDEX }, "v1.0.0": registry.tags["v1.0.0"]! } }] },
      fails: [],
    },
    {
      title: "only another index's platforms were read",
      input: {
        ...GOOD,
        registries: [
          {
            ...registry,
            tags: { latest: { digest: INDEX }, "v1.0.0": { digest: INDEX }, edge: { digest: OTHER, platforms: { "linux/amd64": "m" } } },
          },
        ],
      },
      fails: [`platforms:local:${INDEX}: the index could not be read`],
    },
    {
      title: "an index missing two platforms, listed in the order asked",
      input: {
        ...GOOD,
        platforms: ["linux/s390x", "linux/amd64", "linux/arm64", "linux/386"],
        binaryAssets: {},
      },
      fails: [
        `platforms:local:${INDEX}: missing linux/s390x, linux/386`,
        "binary:local:linux/s390x: the release has no binary asset for linux/s390x",
        "binary:local:linux/amd64: the release has no binary asset for linux/amd64",
        "binary:local:linux/arm64: the release has no binary asset for linux/arm64",
        "binary:local:linux/386: the release has no binary asset for linux/386",
      ],
    },
    {
      title: "an image binary asset the stack did not record",
      input: { ...GOOD, binaryAssets: { ...GOOD.binaryAssets, "linux/arm64": "hello_1_linux_arm64.exe" } },
      fails: ["binary:local:linux/arm64: the release has no binary asset for linux/arm64"],
    },
    {
      title: "a short recorded digest, shown whole",
      input: {
        ...GOOD,
        record: { ...GOOD.record!, tags: { local: { latest: "sha256:0123456789ab", edge: "sha256:0123456789abc" } } },
        registries: [{ ...registry, tags: { latest: { digest: "sha256:0123456789ab" }, edge: { digest: "sha256:0123456789abc" } } }],
      },
      fails: [
        "platforms:local:sha256:0123456789ab: the index could not be read",
        "platforms:local:sha256:0123456789abc: the index could not be read",
      ],
    },
    {
      title: "SHA256SUMS listing itself and a file kept out of it, unsorted",
      input: {
        ...GOOD,
        record: { ...GOOD.record!, assets: { ...ASSETS, "cosign.pub": SUMS } },
        unsummed: ["cosign.pub"],
        release: { ...local, sums: { ...local.sums, "cosign.pub": SUMS, SHA256SUMS: SUMS }, files: { ...local.files, "cosign.pub": SUMS } },
      },
      fails: ["sums-complete: unexpected: SHA256SUMS, cosign.pub"],
    },
    {
      title: "no release directory, with a file kept out of SHA256SUMS",
      input: {
        ...GOOD,
        record: { ...GOOD.record!, assets: { ...ASSETS, "cosign.pub": SUMS } },
        unsummed: ["cosign.pub"],
        release: { ...local, exists: false, files: {}, sums: undefined },
      },
      fails: [
        `published: ${DIR} does not exist`,
        "asset:cosign.pub: the release directory does not exist",
        "asset:hello_1_linux_amd64: the release directory does not exist",
        "asset:hello_1_linux_arm64: the release directory does not exist",
      ],
    },
  ];
  for (const c of MORE_CASES) {
    it(`${c.fails.length === 0 ? "passes" : "fails"} on ${c.title}`, () => assert.deepEqual(failed(evaluateVerify(c.input)), c.fails));
  }

  it("every case's whole checklist: titles, details, marks and verdict (golden)", () => {
    const text = [...CASES, ...MORE_CASES]
      .map((c) => `## ${c.title}\n${renderChecklist(c.input.version, evaluateVerify(c.input))}`)
      .join("\n");
    assertGolden("verify-checklists-local.txt", text);
  });

  describe("assets outside SHA256SUMS (the supply chain's) are compared with the record", () => {
    const KEYS = "4".repeat(64);
    const signed: VerifyInput = {
      ...GOOD,
      record: { ...(GOOD.record as NonNullable<VerifyInput["record"]>), assets: { ...ASSETS, "cosign.pub": KEYS } },
      release: { ...local, files: { ...local.files, "cosign.pub": KEYS } },
      unsummed: ["cosign.pub"],
    };
    const item = (input: VerifyInput) => evaluateVerify(input).find((i) => i.id === "asset:cosign.pub");
    it("passes when the file has the recorded sha256, and SHA256SUMS need not list it", () => {
      assert.deepEqual(failed(evaluateVerify(signed)), []);
      assert.equal(item(signed)?.title, "cosign.pub matches the stack's record");
    });
    it("fails when it is tampered with or missing", () => {
      assert.deepEqual(failed(evaluateVerify({ ...signed, release: { ...local, files: { ...local.files, "cosign.pub": AMD } } })), [
        `asset:cosign.pub: cosign.pub hashes to ${AMD}, the stack recorded ${KEYS}`,
      ]);
      assert.deepEqual(failed(evaluateVerify({ ...signed, release: local })), [`asset:cosign.pub: cosign.pub is missing from ${DIR}`]);
    });
    it("without unsummed, the same file fails as unlisted in SHA256SUMS", () => {
      assert.deepEqual(failed(evaluateVerify({ ...signed, unsummed: undefined })), ["asset:cosign.pub: SHA256SUMS does not list it"]);
    });
  });

  it("checks archive-only releases: the image binary against the archive's member, a checksums file of another name", () => {
    const archive = "hello_1_linux_amd64.tar.gz";
    const input: VerifyInput = {
      ...GOOD,
      record: { ...GOOD.record!, assets: { [archive]: SUMS, "checksums.txt": "4".repeat(64) } },
      platforms: ["linux/amd64"],
      binaryAssets: { "linux/amd64": `${archive}:hello` },
      binaryShas: { "linux/amd64": AMD },
      checksumsFile: "checksums.txt",
      registries: [{ ...registry, binaries: { "linux/amd64": { sha256: AMD } } }],
      release: { ...local, sums: { [archive]: SUMS }, files: { [archive]: SUMS } },
    };
    const items = evaluateVerify(input);
    assert.deepEqual(failed(items), []);
    assert.deepEqual(
      items.filter((i) => i.id.startsWith("binary:") || i.id === "sums-complete").map((i) => i.title),
      [`local linux/amd64 image binary = ${archive}:hello`, "checksums.txt lists exactly the recorded assets"],
    );
    assert.deepEqual(failed(evaluateVerify({ ...input, binaryShas: { "linux/amd64": ARM } })), [
      `binary:local:linux/amd64: the image holds sha256 ${AMD}, the asset is ${ARM}`,
    ]);
    assert.deepEqual(failed(evaluateVerify({ ...input, release: { ...local, sums: undefined, files: { [archive]: SUMS } } })), [
      `asset:${archive}: checksums.txt is missing`,
      "sums-complete: checksums.txt is missing",
    ]);
  });

  const GITHUB_URL = "https://github.com/acme/hello/releases/tag/v1.0.0";
  const githubRecord = { ...GOOD.record!, tags: { ecr: { latest: INDEX } }, location: GITHUB_URL };
  const ecrUnreadable: RegistryObservation = { name: "ecr", address: undefined, notCheckable: "no ECR token", tags: {}, binaries: {} };
  const githubDown = { kind: "github", location: GITHUB_URL, tag: "v1.0.0", assets: {}, notCheckable: "GitHub is unreachable" } as const;

  it("a registry or GitHub release that cannot be checked fails, naming the flag that accepts it", () => {
    const items = evaluateVerify({ ...GOOD, record: githubRecord, registries: [ecrUnreadable], release: githubDown });
    assert.deepEqual(failed(items), [
      "tag:ecr:latest: cannot be checked: no ECR token; --allow-unchecked ecr accepts that",
      "release-tag: cannot be checked: GitHub is unreachable; --allow-unchecked github-release accepts that",
      "published: cannot be checked: GitHub is unreachable; --allow-unchecked github-release accepts that",
      "asset:SHA256SUMS: cannot be checked: GitHub is unreachable; --allow-unchecked github-release accepts that",
      "asset:hello_1_linux_amd64: cannot be checked: GitHub is unreachable; --allow-unchecked github-release accepts that",
      "asset:hello_1_linux_arm64: cannot be checked: GitHub is unreachable; --allow-unchecked github-release accepts that",
    ]);
  });

  it("--allow-unchecked turns exactly the named checks into skips", () => {
    const input = { ...GOOD, record: githubRecord, registries: [ecrUnreadable], release: githubDown };
    const onlyEcr = evaluateVerify({ ...input, allowUnchecked: ["ecr"] });
    assert.deepEqual(
      onlyEcr.filter((i) => i.status === "skip").map((i) => `${i.id}: ${i.detail}`),
      ["tag:ecr:latest: not checked (--allow-unchecked ecr): no ECR token"],
    );
    assert.equal(failed(onlyEcr).length, 5);
    const both = evaluateVerify({ ...input, allowUnchecked: ["ecr", "github-release"] });
    assert.deepEqual(failed(both), []);
    assert.match(renderChecklist("1.0.0", both), /verified: 1 checks passed, 6 left unchecked as allowed\n$/);
  });

  describe("a GitHub release", () => {
    const githubGood = {
      kind: "github",
      location: GITHUB_URL,
      tag: "v1.0.0",
      release: { tagName: "v1.0.0", draft: false, htmlUrl: GITHUB_URL },
      assets: Object.fromEntries(Object.entries(ASSETS).map(([n, sha]) => [n, { digest: `sha256:${sha}`, state: "uploaded" }])),
    } as const;
    const input: VerifyInput = { ...GOOD, record: { ...GOOD.record!, location: GITHUB_URL }, release: githubGood };
    it("passes with the exact tag, published, every asset with its digest", () => {
      const items = evaluateVerify(input);
      assert.deepEqual(failed(items), []);
      assert.deepEqual(
        items.filter((i) => !i.id.includes("local")).map((i) => i.id),
        ["record", "release-tag", "published", "asset:SHA256SUMS", "asset:hello_1_linux_amd64", "asset:hello_1_linux_arm64"],
      );
    });
    const NO_RELEASE = [
      "release-tag: no release has the tag v1.0.0",
      "published: there is no release",
      "asset:SHA256SUMS: the release has no such asset",
      "asset:hello_1_linux_amd64: the release has no such asset",
      "asset:hello_1_linux_arm64: the release has no such asset",
    ];
    const CASES: { title: string; release: ReleaseObservation; fails: string[] }[] = [
      {
        title: "no release with the tag",
        release: { ...githubGood, release: undefined, assets: {} },
        fails: NO_RELEASE,
      },
      {
        title: "a draft",
        release: { ...githubGood, release: { ...githubGood.release, draft: true } },
        fails: ["published: it is a draft"],
      },
      {
        title: "a missing asset",
        release: { ...githubGood, assets: { ...githubGood.assets, hello_1_linux_arm64: undefined } as never },
        fails: ["asset:hello_1_linux_arm64: the release has no such asset"],
      },
      {
        title: "an asset with another digest",
        release: { ...githubGood, assets: { ...githubGood.assets, SHA256SUMS: { digest: OTHER, state: "uploaded" } } },
        fails: [`asset:SHA256SUMS: GitHub holds ${OTHER}`],
      },
      {
        title: "a partial upload",
        release: { ...githubGood, assets: { ...githubGood.assets, SHA256SUMS: { digest: null, state: "open" } } },
        fails: ["asset:SHA256SUMS: its upload is unfinished (open)"],
      },
      {
        title: "an asset GitHub recorded no digest for",
        release: { ...githubGood, assets: { ...githubGood.assets, SHA256SUMS: { digest: null, state: "uploaded" } } },
        fails: ["asset:SHA256SUMS: GitHub recorded no digest for it"],
      },
      { title: "assets listed on a release that has no such tag", release: { ...githubGood, release: undefined }, fails: NO_RELEASE },
    ];
    for (const c of CASES)
      it(`fails on ${c.title}`, () => assert.deepEqual(failed(evaluateVerify({ ...input, release: c.release })), c.fails));

    it("every case's whole checklist, a good one and an unreachable GitHub with and without --allow-unchecked (golden)", () => {
      const cases: [string, VerifyInput][] = [
        ["a good release", input],
        ...CASES.map((c): [string, VerifyInput] => [c.title, { ...input, release: c.release }]),
        ["GitHub unreachable", { ...input, release: githubDown }],
        ["GitHub unreachable, allowed", { ...input, release: githubDown, allowUnchecked: ["github-release"] }],
      ];
      assertGolden(
        "verify-checklists-github.txt",
        cases.map(([title, c]) => `## ${title}\n${renderChecklist(c.version, evaluateVerify(c))}`).join("\n"),
      );
    });

    it("an image binary inside an archive on GitHub is unchecked, not failed, only when allowed", () => {
      const reason = "verify does not download hello.tar.gz from GitHub to read its hello";
      const notCheckable = { "linux/amd64": reason };
      assert.deepEqual(failed(evaluateVerify({ ...input, binaryNotCheckable: notCheckable })), [
        `binary:local:linux/amd64: cannot be checked: ${reason}; --allow-unchecked github-release accepts that`,
      ]);
      assert.deepEqual(failed(evaluateVerify({ ...input, binaryNotCheckable: notCheckable, allowUnchecked: ["github-release"] })), []);
    });
  });

  it("renders a failure as NOT verified", () => {
    const items = evaluateVerify({ ...GOOD, release: { ...local, draft: true } });
    assert.match(
      renderChecklist("1.0.0", items),
      /\[FAIL\] release 1\.0\.0 is published: an unfinished draft of it exists\n[\s\S]*NOT verified: 1 of 10 checks failed\n$/,
    );
  });
});

describe("parseSha256Sums", () => {
  it("reads text and binary mode lines and ignores the rest", () => {
    assert.deepEqual(parseSha256Sums(`${AMD}  a\n${ARM} *b c\nnot a line\n\n`), { a: AMD, "b c": ARM });
  });
  it("reads CRLF lines and trailing blanks as the bare name", () => {
    assert.deepEqual(parseSha256Sums(`${AMD}  a\r\n${ARM}  b  \r\n`), { a: AMD, b: ARM });
  });
  it("ignores a line that does not start with the sum", () => {
    assert.deepEqual(parseSha256Sums(`x${AMD}  a\n ${ARM}  b\n${AMD}  c\rd\n`), {});
  });
});

describe("renderChecklist", () => {
  it("marks each status and leaves the colon out of an empty detail", () => {
    const items: CheckItem[] = [
      { id: "a", status: "pass", title: "one", detail: "" },
      { id: "b", status: "skip", title: "two", detail: "why" },
      { id: "c", status: "fail", title: "three", detail: "broken" },
    ];
    assert.equal(
      renderChecklist("2.0.0", items),
      "slipway verify 2.0.0\n[ok]   one\n[skip] two: why\n[FAIL] three: broken\nNOT verified: 1 of 3 checks failed, 1 left unchecked as allowed\n",
    );
  });
});

describe("checkAllowUnchecked", () => {
  const registries = ["ecr", "ghcr"];
  const accepted: readonly (readonly string[])[] = [[], ["ecr"], ["ghcr", "github-release"], ["ecr", "ecr"]];
  for (const names of accepted) {
    it(`accepts [${names.join(", ")}]`, () => assert.doesNotThrow(() => checkAllowUnchecked(names, registries)));
  }
  const refused: readonly [readonly string[], string][] = [
    [["github"], 'slipway:allowUnchecked = "github": names no check of this stack; fix: use one of ecr, ghcr, github-release'],
    [["ecr", "ECR"], 'slipway:allowUnchecked = "ECR": names no check of this stack; fix: use one of ecr, ghcr, github-release'],
    [[""], 'slipway:allowUnchecked = "": names no check of this stack; fix: use one of ecr, ghcr, github-release'],
  ];
  for (const [names, message] of refused) {
    it(`refuses [${names.join(", ")}] in one line naming the bad name and every good one`, () =>
      assert.throws(() => checkAllowUnchecked(names, registries), { name: "SlipwayInputError", message }));
  }
  it("a stack without registries still knows github-release", () => {
    assert.doesNotThrow(() => checkAllowUnchecked(["github-release"], []));
    assert.throws(() => checkAllowUnchecked(["local"], []), /use one of github-release$/);
  });
});
