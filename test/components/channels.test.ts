// LinuxPackages, TapFile and declareChannels with mocks: what they declare. The real packages are built by
// test/providers/releaseExtras.test.ts, the local tap's commits by test/providers/localGitFile.test.ts.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { declareChannels } from "../../components/channels";
import { LinuxPackages } from "../../components/linuxPackages";
import { TapFile } from "../../components/tapFile";
import { planChannels } from "../../plan/channels";
import { planPackages } from "../../plan/packages";
import { planRelease } from "../../plan/releasePlan";
import { parseTapSettings } from "../../plan/taps";
import { BuiltFile } from "../../providers/goBuild";
import { Registration, named, ofType, recordRegistrations, settle, valueOf } from "../support/mocks";
import { releaseInput } from "../support/release";

const plan = planRelease(releaseInput({ platforms: ["linux/amd64", "darwin/arm64", "windows/amd64"] }));
const MODULE = mkdtempSync(join(tmpdir(), "slipway-channels-"));
mkdirSync(join(MODULE, "docs"));
writeFileSync(join(MODULE, "docs", "hello.1.gz"), "man");
writeFileSync(join(MODULE, "postinstall.sh"), "#!/bin/sh\n");
const BUILT: Record<string, BuiltFile> = Object.fromEntries(
  [...plan.assets.checksums.order, "SHA256SUMS"].map((n, i) => [n, { path: `/out/${n}`, sha256: String(i).repeat(64), size: 1 }]),
);
const PACKAGES = planPackages(
  {
    formats: ["deb", "rpm"],
    maintainer: "Jane Doe <jane@example.com>",
    files: [{ src: "docs/hello.1.gz", dst: "/usr/share/man/man1/hello.1.gz" }],
    scripts: { postinstall: "postinstall.sh" },
  },
  plan,
);
let registrations: Registration[];

describe("channels", () => {
  before(async () => {
    registrations = await recordRegistrations({
      outputs: (r) =>
        r.type.endsWith(":ReleaseExtras")
          ? {
              files: {
                "hello_1.4.0_linux_amd64.deb": { path: "/pk/deb", sha256: "d".repeat(64), size: 2 },
                SHA256SUMS: { path: "/pk/SUMS", sha256: "e".repeat(64), size: 3 },
              },
            }
          : r.type.endsWith(":LocalGitFile")
            ? { commit: "c".repeat(40) }
            : r.type === "github:index/repositoryFile:RepositoryFile"
              ? { sha: "b".repeat(40) }
              : {},
    });
  });

  it("LinuxPackages declares one nfpm build of every package and install.sh, over the Go build's checksums", async () => {
    const packages = new LinuxPackages("lp", {
      plan,
      packages: PACKAGES,
      installScriptUrl: "https://github.com/acme/hello/releases/download/v1.4.0",
      moduleDir: MODULE,
      binaryDir: "/out",
      files: BUILT,
      outputDir: "/out-packages",
    });
    await settle();
    const build = named(registrations, "lp-build");
    assert.equal(build.type, "pulumi-nodejs:dynamic/slipway:ReleaseExtras");
    assert.deepEqual(
      (build.inputs.packages as { name: string; format: string }[]).map((p) => [p.name, p.format]),
      [
        ["hello_1.4.0_linux_amd64.deb", "deb"],
        ["hello_1.4.0_linux_amd64.rpm", "rpm"],
      ],
    );
    assert.deepEqual(Object.keys(build.inputs.texts as object), ["install.sh"]);
    assert.deepEqual(Object.keys(build.inputs.staged as object).sort(), ["changelog.yml", "copyright", "lintian-overrides", "postinstall"]);
    assert.equal((build.inputs.baseChecksums as BuiltFile).path, "/out/SHA256SUMS");
    assert.equal(build.inputs.checksumsFile, "SHA256SUMS");
    assert.equal(build.inputs.nfpm, "nfpm");
    assert.deepEqual(packages.assetNames, ["hello_1.4.0_linux_amd64.deb", "hello_1.4.0_linux_amd64.rpm", "install.sh"]);
    const files = await valueOf(packages.files);
    assert.equal(files.SHA256SUMS?.path, "/pk/SUMS", "the new checksums file replaces the Go build's");
    assert.equal(files["hello_1.4.0_linux_amd64.tar.gz"]?.path, "/out/hello_1.4.0_linux_amd64.tar.gz");
  });

  it("LinuxPackages refuses an extra file that does not exist before declaring anything", () => {
    const missing = planPackages(
      { formats: ["deb"], maintainer: "J <j@example.com>", files: [{ src: "nope.1", dst: "/usr/share/man/man1/nope.1" }] },
      plan,
    );
    const before = registrations.length;
    assert.throws(
      () => new LinuxPackages("missing", { plan, packages: missing, moduleDir: MODULE, binaryDir: "/out", files: BUILT, outputDir: "/x" }),
      {
        message: `slipway:packages.files[0].src = "nope.1": ${join(MODULE, "nope.1")} cannot be read; fix: point it at a file inside the module`,
      },
    );
    assert.equal(registrations.length, before);
  });

  it("TapFile commits to a GitHub repository with RepositoryFile, the author configured and the token secret", async () => {
    const tap = parseTapSettings(
      { repository: "acme/homebrew-tap", tokenSecret: "tapToken", author: { name: "Bot", email: "bot@example.com" } },
      "homebrew",
    );
    assert.ok(tap !== undefined);
    const file = new TapFile("gh", {
      tap,
      path: "Formula/hello.rb",
      content: "class Hello < Formula\nend\n",
      message: "hello 1.4.0",
      commitEpoch: 1,
      token: pulumi.secret("t0ken"),
    });
    await settle();
    const provider = named(registrations, "gh-github");
    assert.equal(provider.type, "pulumi:providers:github");
    assert.equal(provider.inputs.owner, "acme");
    const repositoryFile = named(registrations, "gh-file");
    assert.equal(repositoryFile.type, "github:index/repositoryFile:RepositoryFile");
    assert.deepEqual(
      { ...repositoryFile.inputs },
      {
        repository: "homebrew-tap",
        branch: "main",
        file: "Formula/hello.rb",
        content: "class Hello < Formula\nend\n",
        commitMessage: "hello 1.4.0",
        commitAuthor: "Bot",
        commitEmail: "bot@example.com",
        overwriteOnCreate: true,
      },
    );
    assert.equal(await valueOf(file.revision), "b".repeat(40));
  });

  it("TapFile commits into a local git repository standing in for the tap", async () => {
    const tap = parseTapSettings({ path: "/taps/homebrew" }, "homebrew");
    assert.ok(tap !== undefined);
    const file = new TapFile("local", { tap, path: "Formula/hello.rb", content: "x", message: "hello 1.4.0", commitEpoch: 42 });
    await settle();
    const local = named(registrations, "local-file");
    assert.equal(local.type, "pulumi-nodejs:dynamic/slipway:LocalGitFile");
    assert.equal(local.inputs.repository, "/taps/homebrew");
    assert.equal(local.inputs.commitEpoch, 42);
    assert.equal(local.inputs.authorName, "slipway");
    assert.equal(await valueOf(file.revision), "c".repeat(40));
  });

  it("TapFile refuses a GitHub repository without a token, and a relative local path", () => {
    const github = parseTapSettings({ repository: "acme/tap", tokenSecret: "tapToken" }, "homebrew");
    const local = parseTapSettings({ path: "dist/tap" }, "scoop");
    assert.ok(github !== undefined && local !== undefined);
    assert.throws(() => new TapFile("no-token", { tap: github, path: "a", content: "b", message: "c", commitEpoch: 1 }), {
      message:
        "slipway:tokenSecret = (unset): committing to acme/tap needs a token; fix: pulumi config set --secret slipway:tapToken <token>",
    });
    assert.throws(() => new TapFile("relative", { tap: local, path: "a", content: "b", message: "c", commitEpoch: 1 }), /must be absolute/);
  });

  it("declareChannels declares nothing without channels, and taps from the Go build's sha256s", async () => {
    const parent = new pulumi.ComponentResource("test:index:Parent", "none");
    const none = declareChannels(
      "none",
      {
        plan,
        channels: undefined,
        moduleDir: MODULE,
        buildDir: "/b",
        files: pulumi.output(BUILT),
        downloadBase: "file:///r/1.4.0",
        secret: () => pulumi.secret("x"),
      },
      parent,
    );
    assert.deepEqual(none.assetNames, []);
    const channels = planChannels(
      { homebrew: JSON.stringify({ path: "/taps/brew" }), scoop: JSON.stringify({ path: "/taps/scoop" }) },
      plan,
    );
    const parent2 = new pulumi.ComponentResource("test:index:Parent", "taps");
    const taps = declareChannels(
      "taps",
      {
        plan,
        channels,
        moduleDir: MODULE,
        buildDir: "/b",
        files: pulumi.output(BUILT),
        downloadBase: "file:///r/1.4.0",
        secret: () => pulumi.secret("x"),
      },
      parent2,
    );
    await settle();
    assert.deepEqual(taps.assetNames, []);
    assert.equal(registrations.filter((r) => r.name.startsWith("none-")).length, 0);
    assert.deepEqual(
      ofType(registrations, "slipway:packages:TapFile")
        .map((r) => r.name)
        .filter((n) => n.startsWith("taps-")),
      ["taps-homebrew", "taps-scoop"],
    );
    const formula = named(registrations, "taps-homebrew-file").inputs.content as string;
    assert.match(formula, /url "file:\/\/\/r\/1\.4\.0\/hello_1\.4\.0_darwin_arm64\.tar\.gz"/);
    const darwinIndex = [...plan.assets.checksums.order, "SHA256SUMS"].indexOf("hello_1.4.0_darwin_arm64.tar.gz");
    assert.match(formula, new RegExp(`sha256 "${String(darwinIndex).repeat(64)}"`));
    assert.equal(named(registrations, "taps-scoop-file").inputs.path, "bucket/hello.json");
  });
});
