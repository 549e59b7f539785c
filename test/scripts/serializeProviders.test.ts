// scripts/serializeProviders.cjs, run by the build: lib/providers/serialized.json holds, for the lib/ it was
// written from, every provider's text, which loads that provider from the installed slipway when the
// dynamic-provider host loads it, and the compiled program uses those texts.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { before, describe, it } from "node:test";
import { REPO } from "../e2e/support/project";
import { SerializedProviders, installedProviderText, libDigest } from "../../providers/dynamicResource";

import * as build from "../../scripts/build.cjs";

/** Every dynamic provider slipway declares resources with: dropping one from the build fails here. */
const PROVIDERS = [
  "cosignSignature.js#cosignKeyPairProvider",
  "cosignSignature.js#cosignSignatureProvider",
  "githubReleaseAssets.js#githubReleaseAssetProvider",
  "githubReleaseAssets.js#githubReleasePublicationProvider",
  "goBuild.js#goBuildProvider",
  "imageIndex.js#imageIndexProvider",
  "imageMirror.js#imageMirrorProvider",
  "keylessSignature.js#keylessSignatureProvider",
  "localAthens.js#localAthensProvider",
  "localGitFile.js#localGitFileProvider",
  "localRelease.js#localReleaseProvider",
  "randomSecret.js#randomSecretProvider",
  "registryTag.js#registryTagProvider",
  "releaseExtras.js#releaseExtrasProvider",
  "supplyChainFiles.js#sbomFileProvider",
  "supplyChainFiles.js#textFileProvider",
];

/**
 * Run by plain node from a file in a fresh process (tsx would respell the compiled code), in the working
 * directory given: for each provider in serialized.json, whether the compiled program uses its text
 * (`providerText` returns it, not an Output), and what the text gives when loaded the way Pulumi's
 * dynamic-provider host loads a `__provider` (require-from-string, then `handler()`): the very provider
 * object of this lib/, or the error it throws.
 */
const CHECK = `
const { join } = require("node:path");
const repo = process.argv[2];
const requireFromString = require(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi", { paths: [repo] })] }));
const providersDir = join(repo, "lib", "providers");
const { providerText } = require(join(providersDir, "dynamicResource.js"));
const written = require(join(providersDir, "serialized.json"));
const results = [];
for (const { module, exportName, text } of written.providers) {
  const provider = require(join(providersDir, module))[exportName];
  let loads;
  try {
    loads = requireFromString(text).handler() === provider ? "this provider" : "another object";
  } catch (error) {
    loads = error.message;
  }
  results.push({ name: module + "#" + exportName, used: providerText(provider) === text, loads });
}
process.stdout.write(JSON.stringify(results));
`;

/** CHECK's results in `cwd`, sorted by provider. */
function check(cwd: string): { name: string; used: boolean; loads: string }[] {
  const script = join(mkdtempSync(join(tmpdir(), "slipway-serialized-")), "check.cjs");
  writeFileSync(script, CHECK);
  try {
    const results = JSON.parse(execFileSync(process.execPath, [script, REPO], { cwd, encoding: "utf8" })) as {
      name: string;
      used: boolean;
      loads: string;
    }[];
    return results.sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    rmSync(dirname(script), { recursive: true, force: true });
  }
}

describe("lib/providers/serialized.json, written by the build", () => {
  let written: SerializedProviders;
  before(() => {
    build.buildIfStale(REPO);
    written = JSON.parse(readFileSync(join(REPO, "lib", "providers", "serialized.json"), "utf8")) as SerializedProviders;
  });

  it("was written from the lib/ that is there now", () => {
    assert.equal(written.libDigest, libDigest(join(REPO, "lib")));
  });

  it("lists every provider once", () => {
    assert.deepEqual(written.providers.map((p) => `${p.module}#${p.exportName}`).sort(), PROVIDERS);
  });

  it("holds each provider's loader, and the compiled program uses it", () => {
    for (const { module, exportName, text } of written.providers) assert.equal(text, installedProviderText(module, exportName));
  });

  it("loads each provider from this package when the project is slipway itself (the dynamic-provider host's working directory)", () => {
    assert.deepEqual(
      check(REPO),
      PROVIDERS.map((name) => ({ name, used: true, loads: "this provider" })),
    );
  });

  it("loads each provider from node_modules/slipway in a project that installed slipway, from any of its directories", () => {
    const project = mkdtempSync(join(tmpdir(), "slipway-installed-"));
    try {
      writeFileSync(join(project, "package.json"), '{ "name": "hello-go", "private": true }\n');
      mkdirSync(join(project, "node_modules"));
      symlinkSync(REPO, join(project, "node_modules", "slipway"));
      mkdirSync(join(project, "scripts"));
      for (const cwd of [project, join(project, "scripts")]) {
        assert.deepEqual(
          check(cwd),
          PROVIDERS.map((name) => ({ name, used: true, loads: "this provider" })),
          cwd,
        );
      }
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it("says, in one line, to install slipway when the project has not", () => {
    const project = mkdtempSync(join(tmpdir(), "slipway-not-installed-"));
    try {
      writeFileSync(join(project, "package.json"), '{ "name": "hello-go", "private": true }\n');
      const results = check(project);
      assert.equal(results.length, PROVIDERS.length);
      for (const { name, loads } of results) {
        const request = `slipway/lib/providers/${name.split("#")[0] ?? ""}`;
        assert.equal(
          loads,
          `slipway's resources run the slipway package the project has installed, and ${request} cannot be loaded from ${realpathSync(project)} ` +
            `(Cannot find module '${request}'); install slipway (npm ci; in a checkout of slipway itself, npm run build) and run again`,
        );
      }
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it("captures no path of the machine it was built on", () => {
    for (const { exportName, text } of written.providers) assert.ok(!text.includes(REPO), `${exportName} mentions ${REPO}`);
  });
});
