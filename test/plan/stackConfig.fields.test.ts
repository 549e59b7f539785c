// Each structured setting's shape checks in plan/stackConfig.ts, one refusal per rule with its exact message,
// and the values that pass them.
import { describe } from "node:test";
import { RawStackConfig, parseStackConfig } from "../../plan/stackConfig";
import { itRefusesEach, itReturnsEach } from "../support/inputTables";
import { COMMIT, COMMIT_TIME } from "../support/release";

function parse(values: Record<string, string>, secretKeys: string[] = []) {
  const config: RawStackConfig = {
    values: { version: "1.4.0", commit: COMMIT, commitTime: COMMIT_TIME, ...values },
    secretKeys: new Set(secretKeys),
    project: "hello",
  };
  return parseStackConfig(config);
}

const registries = (...entries: unknown[]) => ({ registries: JSON.stringify(entries) });
const ADDRESS_FIX = "fix: write host[:port][/namespace] with no scheme, tag or trailing slash, e.g. ghcr.io/acme or 127.0.0.1:5000";
const SECRET_FIX = "fix: use a name of your own such as ghcrToken, then pulumi config set --secret slipway:ghcrToken <token>";
const GITHUB_FIX = "fix: e.g. github: {owner: acme, repo: hello}";
const EXTERNAL = { kind: "external", address: "ghcr.io/acme", username: "bot", passwordSecret: "ghcrToken" };

describe("stack config: shapes of structured settings", () => {
  itRefusesEach([
    {
      title: "a list that is not JSON",
      run: () => parse({ registries: "[" }),
      message: `slipway:registries = "[": must be a list; fix: set it with pulumi config set --path 'slipway:registries[0]' <value>`,
    },
    {
      title: "a list given as an object",
      run: () => parse({ registries: '{"kind":"local"}' }),
      message: `slipway:registries = {"kind":"local"}: must be a list; fix: set it with pulumi config set --path 'slipway:registries[0]' <value>`,
    },
    {
      title: "an object given as a list",
      run: () => parse({ github: "[]" }),
      message: `slipway:github = []: must be an object; fix: set it with pulumi config set --path 'slipway:github.<field>' <value>`,
    },
    {
      title: "an object given as null",
      run: () => parse({ github: "null" }),
      message: `slipway:github = null: must be an object; fix: set it with pulumi config set --path 'slipway:github.<field>' <value>`,
    },
    {
      title: "an object given as a number",
      run: () => parse({ rotation: "7" }),
      message: `slipway:rotation = 7: must be an object; fix: set it with pulumi config set --path 'slipway:rotation.<field>' <value>`,
    },
    {
      title: "a string-or-object that starts like an object but is not JSON",
      run: () => parse({ archives: "{zip" }),
      message: `slipway:archives = "{zip": must be a string or an object; fix: set it with pulumi config set --path 'slipway:archives.<field>' <value>`,
    },
    {
      title: "a list item that is not a string",
      run: () => parse({ published: "[1]" }),
      message: "slipway:published[0] = 1: must be a string; fix: quote the value",
    },
    {
      title: "a later list item that is not a string",
      run: () => parse({ tagTemplates: '["latest", true]' }),
      message: "slipway:tagTemplates[1] = true: must be a string; fix: quote the value",
    },
  ]);
});

describe("stack config: registries", () => {
  const notObject = "fix: e.g. {kind: local, address: 127.0.0.1:5000}";
  itRefusesEach([
    {
      title: "a registry given as a string",
      run: () => parse(registries("x")),
      message: `slipway:registries[0] = "x": must be an object; ${notObject}`,
    },
    {
      title: "a registry given as null",
      run: () => parse(registries(null)),
      message: `slipway:registries[0] = null: must be an object; ${notObject}`,
    },
    {
      title: "a registry given as a list",
      run: () => parse(registries([])),
      message: `slipway:registries[0] = []: must be an object; ${notObject}`,
    },
    {
      title: "a registry without a kind",
      run: () => parse(registries({})),
      message: "slipway:registries[0].kind = (unset): unknown registry kind; fix: use one of ecr, external, local",
    },
    {
      title: "a kind that is not a string",
      run: () => parse(registries({ kind: 5 })),
      message: "slipway:registries[0].kind = 5: must be a string; fix: quote the value",
    },
    {
      title: "a name that is not a string",
      run: () => parse(registries({ kind: "local", name: 1, address: "127.0.0.1:5000" })),
      message: "slipway:registries[0].name = 1: must be a string; fix: quote the value",
    },
    {
      title: "a local registry without an address",
      run: () => parse(registries({ kind: "local" })),
      message: `slipway:registries[0].address = (unset): a registry address is required; ${ADDRESS_FIX}`,
    },
    {
      title: "an empty address",
      run: () => parse(registries({ kind: "local", address: "" })),
      message: `slipway:registries[0].address = "": a registry address is required; ${ADDRESS_FIX}`,
    },
    {
      title: "an upper-case scheme",
      run: () => parse(registries({ kind: "local", address: "HTTPS://ghcr.io" })),
      message: `slipway:registries[0].address = "HTTPS://ghcr.io": a registry address has no scheme; ${ADDRESS_FIX}`,
    },
    {
      title: "a scheme-like text after the host",
      run: () => parse(registries({ kind: "local", address: "ghcr.io/a://b" })),
      message: `slipway:registries[0].address = "ghcr.io/a://b": not a registry address; ${ADDRESS_FIX}`,
    },
    {
      title: "a host of one label",
      run: () => parse(registries({ kind: "local", address: "registry:5000" })),
      message: `slipway:registries[0].address = "registry:5000": not a registry address; ${ADDRESS_FIX}`,
    },
    {
      title: "a trailing slash",
      run: () => parse(registries({ kind: "local", address: "ghcr.io/acme/" })),
      message: `slipway:registries[0].address = "ghcr.io/acme/": not a registry address; ${ADDRESS_FIX}`,
    },
    {
      title: "a leading space",
      run: () => parse(registries({ kind: "local", address: " ghcr.io" })),
      message: `slipway:registries[0].address = " ghcr.io": not a registry address; ${ADDRESS_FIX}`,
    },
    {
      title: "a port of six digits",
      run: () => parse(registries({ kind: "local", address: "127.0.0.1:123456" })),
      message: `slipway:registries[0].address = "127.0.0.1:123456": not a registry address; ${ADDRESS_FIX}`,
    },
    {
      title: "port 65536",
      run: () => parse(registries({ kind: "local", address: "127.0.0.1:65536" })),
      message: 'slipway:registries[0].address = "127.0.0.1:65536": port 65536 is out of range; fix: use a port from 1 to 65535',
    },
    {
      title: "an ECR region that is not one",
      run: () => parse(registries({ kind: "ecr", region: "moon-1" })),
      message: 'slipway:registries[0].region = "moon-1": not an AWS region; fix: e.g. us-east-1',
    },
    {
      title: "an external registry without a user",
      run: () => parse(registries({ ...EXTERNAL, username: undefined })),
      message: "slipway:registries[0].username = (unset): an external registry needs a login user; fix: set the user the token belongs to",
    },
    {
      title: "an external registry with an empty user",
      run: () => parse(registries({ ...EXTERNAL, username: "" })),
      message: 'slipway:registries[0].username = "": an external registry needs a login user; fix: set the user the token belongs to',
    },
    {
      title: "a region on an external registry",
      run: () => parse(registries({ ...EXTERNAL, region: "us-east-1" })),
      message: 'slipway:registries[0].region = "us-east-1": unknown field; fix: use only kind, name, address, username, passwordSecret',
    },
    {
      title: "an external registry without a password secret",
      run: () => parse(registries({ ...EXTERNAL, passwordSecret: undefined })),
      message: `slipway:registries[0].passwordSecret = (unset): must name a secret setting of this stack; ${SECRET_FIX}`,
    },
    {
      title: "a password secret starting with a digit",
      run: () => parse(registries({ ...EXTERNAL, passwordSecret: "1token" })),
      message: `slipway:registries[0].passwordSecret = "1token": must name a secret setting of this stack; ${SECRET_FIX}`,
    },
    {
      title: "a password secret starting with a dash",
      run: () => parse(registries({ ...EXTERNAL, passwordSecret: "-token" })),
      message: `slipway:registries[0].passwordSecret = "-token": must name a secret setting of this stack; ${SECRET_FIX}`,
    },
    {
      title: "a password secret ending with a dash",
      run: () => parse(registries({ ...EXTERNAL, passwordSecret: "token-" })),
      message: `slipway:registries[0].passwordSecret = "token-": must name a secret setting of this stack; ${SECRET_FIX}`,
    },
    {
      title: "the second registry's secret left empty",
      run: () => parse({ ...registries({ kind: "local", address: "127.0.0.1:5000" }, EXTERNAL), ghcrToken: "" }, ["ghcrToken"]),
      message:
        "slipway:ghcrToken = (unset): required by registries[1] (ghcr.io/acme) but not set; fix: pulumi config set --secret slipway:ghcrToken <value>",
    },
  ]);

  itReturnsEach([
    [
      "explicit names, a default external name from the host, and the secrets the stack reads",
      () => {
        const settings = parse(
          {
            ...registries(
              { kind: "local", name: "mine", address: "[::1]:5000" },
              { kind: "ecr", name: "aws", region: "us-gov-west-1" },
              { ...EXTERNAL, address: "registry.example.com:8443/team/sub" },
              { ...EXTERNAL, name: "second", passwordSecret: "otherToken" },
            ),
            ghcrToken: "t",
            otherToken: "t",
          },
          ["ghcrToken", "otherToken"],
        );
        return { registries: settings.registries, secrets: settings.secretSettings };
      },
      {
        registries: [
          { name: "mine", kind: "local", address: "[::1]:5000", region: undefined, username: undefined, passwordSecret: undefined },
          { name: "aws", kind: "ecr", address: undefined, region: "us-gov-west-1", username: undefined, passwordSecret: undefined },
          {
            name: "registry.example.com:8443",
            kind: "external",
            address: "registry.example.com:8443/team/sub",
            region: undefined,
            username: "bot",
            passwordSecret: "ghcrToken",
          },
          { name: "second", kind: "external", address: "ghcr.io/acme", region: undefined, username: "bot", passwordSecret: "otherToken" },
        ],
        secrets: ["ghcrToken", "otherToken"],
      },
    ],
  ]);
});

describe("stack config: github", () => {
  itRefusesEach([
    {
      title: "an unknown GitHub field",
      run: () => parse({ github: JSON.stringify({ owner: "acme", repo: "hello", token: "x" }) }),
      message: 'slipway:github.token = "x": unknown field; fix: use only owner, repo, tokenSecret',
    },
    {
      title: "an owner starting with a dash",
      run: () => parse({ github: JSON.stringify({ owner: "-acme", repo: "hello" }) }),
      message: `slipway:github.owner = "-acme": not a GitHub owner name; ${GITHUB_FIX}`,
    },
    {
      title: "an owner that is not text",
      run: () => parse({ github: JSON.stringify({ owner: 5, repo: "hello" }) }),
      message: "slipway:github.owner = 5: must be a string; fix: quote the value",
    },
    {
      title: "a repo that is not text",
      run: () => parse({ github: JSON.stringify({ owner: "acme", repo: true }) }),
      message: "slipway:github.repo = true: must be a string; fix: quote the value",
    },
    {
      title: "a repo with a slash",
      run: () => parse({ github: JSON.stringify({ owner: "acme", repo: "hello/x" }) }),
      message: `slipway:github.repo = "hello/x": not a GitHub repo name; ${GITHUB_FIX}`,
    },
    {
      title: "a repo of 101 characters",
      run: () => parse({ github: JSON.stringify({ owner: "acme", repo: "r".repeat(101) }) }),
      message: `slipway:github.repo = "${"r".repeat(101)}": not a GitHub repo name; ${GITHUB_FIX}`,
    },
    {
      title: "a token secret that is not a string",
      run: () => parse({ github: JSON.stringify({ owner: "acme", repo: "hello", tokenSecret: 3 }) }),
      message: "slipway:github.tokenSecret = 3: must be a string; fix: quote the value",
    },
  ]);

  itReturnsEach([
    [
      "a token secret of its own, and names of 100 characters",
      () => {
        const repo = `r.${"x".repeat(96)}_-`;
        const settings = parse({ github: JSON.stringify({ owner: "Acme9", repo, tokenSecret: "ghToken" }), ghToken: "t" }, ["ghToken"]);
        return [settings.github, settings.secretSettings, repo.length];
      },
      [{ owner: "Acme9", repo: `r.${"x".repeat(96)}_-`, tokenSecret: "ghToken" }, ["ghToken"], 100],
    ],
  ]);
});

describe("stack config: build, rotation and plain settings", () => {
  const EMPTY_FIX = "must not be empty; fix: remove the setting to use the default";
  // mainPackage, checksums and imageBinary are refused by the release plan before this check runs.
  const keys = ["module", "dockerfile", "buildDir", "releaseDir", "changelog", "builder"];
  itRefusesEach([
    ...keys.map((key) => ({ title: `an empty ${key}`, run: () => parse({ [key]: " " }), message: `slipway:${key} = " ": ${EMPTY_FIX}` })),
    {
      title: "an external registry address with a scheme, named by its entry",
      run: () => parse(registries({ ...EXTERNAL, address: "https://ghcr.io/acme" })),
      message: `slipway:registries[0].address = "https://ghcr.io/acme": a registry address has no scheme; ${ADDRESS_FIX}`,
    },
    {
      title: "a platform that is not text",
      run: () => parse({ platforms: "[1]" }),
      message: "slipway:platforms[0] = 1: must be a string; fix: quote the value",
    },
    {
      title: "an image platform that is not text",
      run: () => parse({ imagePlatforms: '["linux/amd64",null]' }),
      message: "slipway:imagePlatforms[1] = null: must be a string; fix: quote the value",
    },
    {
      title: "a one-letter cache repository where the first registry is ECR (ECR needs 2 to 256)",
      run: () => parse({ cacheRepository: "c", registries: '[{"kind":"ecr","region":"us-east-1"}]' }),
      message:
        'slipway:cacheRepository = "c": not an ECR repository name; fix: use 2-256 lowercase letters, digits and . _ - separated by /, e.g. acme/hello',
    },
    {
      title: "a generation given as text",
      run: () => parse({ rotation: '{"generation":"2"}' }),
      message:
        'slipway:rotation.generation = "2": must be a whole number of at least 1; fix: start at 1 and bump by one to rotate, e.g. pulumi config set --path slipway:rotation.generation 2',
    },
    {
      title: "rotation every 0 days",
      run: () => parse({ rotation: '{"rotationDays":0}' }),
      message:
        "slipway:rotation.rotationDays = 0: must be a whole number of at least 1; fix: use a number of days such as 90, or unset it and rotate by bumping slipway:rotation.generation",
    },
    {
      title: "two unknown settings: the first in sorted order",
      run: () => parse({ zzz: "1", aaa: "1" }),
      message: `slipway:aaa = "1": unknown setting; fix: remove it; known settings are ${[
        "version, commit, commitTime, published, name, platforms, imagePlatforms, tagTemplates, latest, builds, archives",
        "checksums, title, description, source, licenses, imageName, cacheRepository, registries, github, module, mainPackage",
        "imageBinary, dockerfile, baseImage, builder, buildDir, releaseDir, changelog, requireReleaseNotes, athens, rotation",
        "packages, homebrew, scoop, installScript, releaseNotes, signing, sbom, provenance, keyless",
      ].join(", ")}`,
    },
  ]);

  itReturnsEach([
    [
      "every build setting given",
      () =>
        parse({
          module: "svc",
          dockerfile: "Dockerfile",
          builder: "remote",
          buildDir: "out/build",
          releaseDir: "out/releases",
          changelog: "docs/CHANGES.md",
          requireReleaseNotes: "true",
        }).build,
      {
        module: "svc",
        dockerfile: "Dockerfile",
        baseImage: undefined,
        builder: "remote",
        buildDir: "out/build",
        releaseDir: "out/releases",
        changelog: "docs/CHANGES.md",
        requireReleaseNotes: true,
      },
    ],
    ["requireReleaseNotes false", () => parse({ requireReleaseNotes: "false" }).build.requireReleaseNotes, false],
    ["the module defaults to the repository root", () => parse({}).build.module, "."],
    ["the build cache defaults to <image>-cache", () => parse({}).cacheRepository, "hello-cache"],
    ["no build cache repository", () => parse({ cacheRepository: "none" }).cacheRepository, undefined],
    ["a one-letter cache repository on an OCI registry (only ECR needs two)", () => parse({ cacheRepository: "c" }).cacheRepository, "c"],
    [
      "a rotation with both fields",
      () => parse({ rotation: '{"generation":3,"rotationDays":90}' }).rotation,
      { generation: 3, rotationDays: 90 },
    ],
    ["a rotation with only days", () => parse({ rotation: '{"rotationDays":1}' }).rotation, { generation: 1, rotationDays: 1 }],
    [
      "the name setting names the program and the image",
      () => [parse({ name: "svc" }).plan.name, parse({ name: "svc" }).imageName],
      ["svc", "svc"],
    ],
    ["an image name of its own", () => parse({ imageName: "acme/hello-go" }).imageName, "acme/hello-go"],
    [
      "an archive format given as text",
      () => parse({ archives: "zip" }).plan.assets.archives.map((a) => a.name),
      ["linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64", "windows_arm64"].map((p) => `hello_1.4.0_${p}.zip`),
    ],
  ]);
});
