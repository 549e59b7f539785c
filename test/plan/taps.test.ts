// Every rule of slipway:homebrew and slipway:scoop (plan/taps.ts): one refusal per rule with its exact message,
// and the settings each valid shape yields.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_AUTHOR, TapKind, TapSettings, parseTapSettings, tapTokenSecret, unbuiltSha256 } from "../../plan/taps";
import { itRefusesEach, itReturnsEach } from "../support/inputTables";

const GITHUB = { repository: "acme/homebrew-tap", tokenSecret: "tapToken" };
const parse = (raw: unknown, kind: TapKind = "homebrew"): TapSettings | undefined => parseTapSettings(raw, kind);
const TOKEN_FIX = "fix: name a secret setting, e.g. tokenSecret: tapToken, then pulumi config set --secret slipway:tapToken <token>";
const LINE_FIX = "must be one non-empty line; fix: quote the value, or remove the field";
const AUTHOR_FIX = "must be {name, email}; fix: e.g. author: {name: Release Bot, email: bot@example.com}";

describe("tap settings: refusals", () => {
  itRefusesEach([
    ...([null, [], "acme/tap", 5] as unknown[]).map((raw) => ({
      title: `a homebrew setting that is ${JSON.stringify(raw)}`,
      run: () => parse(raw),
      message: `slipway:homebrew = ${JSON.stringify(raw)}: must be an object; fix: e.g. homebrew: {path: dist/homebrew}`,
    })),
    {
      title: "a scoop setting that is not an object, with the scoop example",
      run: () => parse("x", "scoop"),
      message: 'slipway:scoop = "x": must be an object; fix: e.g. scoop: {path: dist/scoop}',
    },
    {
      title: "a Homebrew-only field on a Scoop bucket",
      run: () => parse({ path: "b", test: "x" }, "scoop"),
      message:
        'slipway:scoop.test = "x": unknown field; fix: use only repository, path, branch, tokenSecret, directory, author, description, homepage, license',
    },
    {
      title: "cask given as text",
      run: () => parse({ path: "t", cask: "yes" }),
      message: 'slipway:homebrew.cask = "yes": must be true or false; fix: write cask: true for a cask',
    },
    ...["../x", "a/../b", "/abs", "a//b", "a b"].map((directory) => ({
      title: `the directory ${directory}`,
      run: () => parse({ path: "t", directory }),
      message: `slipway:homebrew.directory = ${JSON.stringify(directory)}: not a directory inside the repository; fix: e.g. Formula`,
    })),
    ...[5, " "].map((test) => ({
      title: `a test block ${JSON.stringify(test)}`,
      run: () => parse({ path: "t", test }),
      message: `slipway:homebrew.test = ${JSON.stringify(test)}: must be Ruby code; fix: e.g. test: system "#{bin}/hello", "--version"`,
    })),
    ...(["description", "homepage", "license", "branch", "directory"] as const).flatMap((name) =>
      [7, " ", "a\nb", "a\rb"].map((value) => ({
        title: `${name} = ${JSON.stringify(value)}`,
        run: () => parse({ path: "t", [name]: value }),
        message: `slipway:homebrew.${name} = ${JSON.stringify(value)}: ${LINE_FIX}`,
      })),
    ),
    ...["-main", "a..b", "a b", "x".repeat(101)].map((branch) => ({
      title: `the branch ${branch.slice(0, 12)}`,
      run: () => parse({ path: "t", branch }),
      message: `slipway:homebrew.branch = ${JSON.stringify(branch)}: not a branch name; fix: e.g. main`,
    })),
    {
      title: "neither repository nor path (homebrew example)",
      run: () => parse({}),
      message:
        "slipway:homebrew = {}: needs exactly one of repository (a GitHub owner/repo) and path (a local git repository); fix: e.g. homebrew: {repository: acme/homebrew-tap, tokenSecret: tapToken}",
    },
    {
      title: "both repository and path (scoop example)",
      run: () => parse({ repository: "acme/b", path: "b" }, "scoop"),
      message:
        'slipway:scoop = {"repository":"acme/b","path":"b"}: needs exactly one of repository (a GitHub owner/repo) and path (a local git repository); fix: e.g. scoop: {repository: acme/scoop-bucket, tokenSecret: tapToken}',
    },
    {
      title: "a token for a local repository",
      run: () => parse({ path: "t", tokenSecret: "tapToken" }),
      message: 'slipway:homebrew.tokenSecret = "tapToken": a local repository takes no token; fix: remove tokenSecret',
    },
    ...["acme", "acme/tap/x", "-acme/tap", `${"a".repeat(40)}/tap`, "acme/ta p", "acme/"].map((repository) => ({
      title: `the repository ${repository.slice(0, 20)}`,
      run: () => parse({ repository, tokenSecret: "tapToken" }, "scoop"),
      message: `slipway:scoop.repository = ${JSON.stringify(repository)}: not a GitHub owner/repo; fix: e.g. acme/scoop-bucket`,
    })),
    ...([undefined, 5, "tap-token", "1tap"] as unknown[]).map((tokenSecret) => ({
      title: `a GitHub repository with tokenSecret ${JSON.stringify(tokenSecret)}`,
      run: () => parse({ repository: "acme/homebrew-tap", tokenSecret }),
      message: `slipway:homebrew.tokenSecret = ${tokenSecret === undefined ? "(unset)" : JSON.stringify(tokenSecret)}: committing to acme/homebrew-tap needs a token that may write to it; ${TOKEN_FIX}`,
    })),
    ...(
      [
        null,
        {},
        { name: "Bot" },
        { name: " ", email: "b@x.io" },
        { name: "Bot", email: "b@x" },
        { name: "Bot", email: "<b@x.io>" },
        { name: "Bot", email: "Bot b@x.io" },
        { name: "Bot", email: "b@x.io extra" },
        { name: "Bot", email: "b@x.io", extra: 1 },
        { name: 5, email: "b@x.io" },
      ] as unknown[]
    ).map((author) => ({
      title: `the author ${JSON.stringify(author)}`,
      run: () => parse({ path: "t", author }),
      message: `slipway:homebrew.author = ${JSON.stringify(author)}: ${AUTHOR_FIX}`,
    })),
  ]);
});

describe("tap settings: values", () => {
  const local = (extra: Record<string, unknown> = {}, kind: TapKind = "homebrew") => parse({ path: "dist/tap", ...extra }, kind);
  itReturnsEach([
    ["unset", () => parse(undefined), undefined],
    [
      "a local Homebrew tap with every default",
      () => local(),
      {
        repository: { kind: "local", path: "dist/tap", branch: "main" },
        directory: "Formula",
        author: DEFAULT_AUTHOR,
        description: undefined,
        homepage: undefined,
        license: undefined,
        test: undefined,
        cask: false,
      },
    ],
    ["a cask goes to Casks", () => [local({ cask: true })?.directory, local({ cask: true })?.cask], ["Casks", true]],
    ["a Scoop bucket goes to bucket", () => local({}, "scoop")?.directory, "bucket"],
    ["the repository root as the directory", () => local({ directory: "" })?.directory, ""],
    ["a nested directory", () => local({ directory: "Formula/h" })?.directory, "Formula/h"],
    ["a branch with slashes and dots", () => local({ branch: "release/v1.x" })?.repository.branch, "release/v1.x"],
    ["a 100-character branch", () => local({ branch: "b".repeat(100) })?.repository.branch, "b".repeat(100)],
    [
      "the author's name trimmed",
      () => local({ author: { name: " Bot ", email: "bot@example.com" } })?.author,
      { name: "Bot", email: "bot@example.com" },
    ],
    [
      "the text fields and the test block kept as given",
      () => {
        const tap = local({ description: "A tool", homepage: "https://x.io", license: "MIT", test: 'system "#{bin}/t"' });
        return [tap?.description, tap?.homepage, tap?.license, tap?.test];
      },
      ["A tool", "https://x.io", "MIT", 'system "#{bin}/t"'],
    ],
    [
      "a GitHub tap splits owner and repo and keeps its token setting",
      () => parse({ ...GITHUB, branch: "gh-pages" })?.repository,
      { kind: "github", owner: "acme", repo: "homebrew-tap", branch: "gh-pages", tokenSecret: "tapToken" },
    ],
    [
      "a 39-character owner and dotted repo",
      () => parse({ repository: `${"a".repeat(39)}/my.bucket_1`, tokenSecret: "t" }, "scoop")?.repository,
      { kind: "github", owner: "a".repeat(39), repo: "my.bucket_1", branch: "main", tokenSecret: "t" },
    ],
  ]);

  it("names the token secret of a GitHub tap only", () => {
    assert.equal(tapTokenSecret(parse(GITHUB)), "tapToken");
    assert.equal(tapTokenSecret(local()), undefined);
    assert.equal(tapTokenSecret(undefined), undefined);
  });

  it("stands in for an unbuilt archive's sha256 with its name", () => {
    assert.equal(unbuiltSha256("hello_1.4.0_darwin_arm64.tar.gz"), "(sha256 of hello_1.4.0_darwin_arm64.tar.gz, from the build)");
  });
});
