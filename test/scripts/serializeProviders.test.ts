// scripts/serializeProviders.cjs, run by the build: lib/providers/serialized.json holds, for the lib/ it was
// written from, every provider's text exactly as pulumi.dynamic.Resource would serialise it, and the
// compiled program uses those texts.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { before, describe, it } from "node:test";
import { REPO } from "../e2e/support/project";
import { SerializedProviders, libDigest } from "../../providers/dynamicResource";

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
 * Run by plain node from a file in a fresh process (tsx would respell the compiled code, and `node -e` makes
 * node's modules globals, which the serialiser then captures as such): for each provider in
 * serialized.json, whether the compiled program uses its text (`providerText` returns it, not an Output) and
 * whether it equals what Pulumi's serialiser writes for pulumi.dynamic.Resource's closure now.
 */
const CHECK = `
const { join } = require("node:path");
const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [process.argv[2]] }));
const providersDir = join(process.argv[2], "lib", "providers");
const { providerText } = require(join(providersDir, "dynamicResource.js"));
const written = require(join(providersDir, "serialized.json"));
(async () => {
  const results = [];
  for (const { module, exportName, text } of written.providers) {
    const provider = require(join(providersDir, module))[exportName];
    const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    results.push({ name: module + "#" + exportName, used: providerText(provider) === text, pulumis: serialized.text === text });
  }
  process.stdout.write(JSON.stringify(results));
})();
`;

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

  it("holds Pulumi's own text for each, and the compiled program uses it", () => {
    const script = join(mkdtempSync(join(tmpdir(), "slipway-serialized-")), "check.cjs");
    writeFileSync(script, CHECK);
    const results = JSON.parse(execFileSync(process.execPath, [script, REPO], { cwd: REPO, encoding: "utf8" })) as {
      name: string;
      used: boolean;
      pulumis: boolean;
    }[];
    assert.deepEqual(
      results.sort((a, b) => a.name.localeCompare(b.name)),
      PROVIDERS.map((name) => ({ name, used: true, pulumis: true })),
    );
    rmSync(dirname(script), { recursive: true, force: true });
  });

  it("captures no path of the machine it was built on", () => {
    for (const { exportName, text } of written.providers) assert.ok(!text.includes(REPO), `${exportName} mentions ${REPO}`);
  });
});
