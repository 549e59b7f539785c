"use strict";
// Writes lib/providers/serialized.json: the `__provider` text of every dynamic provider in lib/providers, a
// few lines that load it from the installed slipway (providers/dynamicResource.ts, installedProviderText),
// written once here instead of serialising the provider's code on every `pulumi up`. Run by
// scripts/build.cjs after tsc; `node scripts/serializeProviders.cjs [ROOT]`.
const { readdirSync, writeFileSync } = require("node:fs");
const path = require("node:path");

/**
 * @param {string} root the directory holding lib/
 * @returns {number} how many providers were written
 */
function serializeProviders(root) {
  const providersDir = path.join(root, "lib", "providers");
  const dynamicResource = /** @type {typeof import("../providers/dynamicResource")} */ (
    load(path.join(providersDir, "dynamicResource.js"))
  );
  /** @type {import("../providers/dynamicResource").SerializedProvider[]} */
  const providers = [];
  for (const module of readdirSync(providersDir)
    .filter((file) => file.endsWith(".js"))
    .sort()) {
    const exported = /** @type {Record<string, unknown>} */ (load(path.join(providersDir, module)));
    for (const [exportName, provider] of Object.entries(exported)) {
      if (!isResourceProvider(provider)) continue;
      providers.push({ module, exportName, text: dynamicResource.installedProviderText(module, exportName) });
    }
  }
  /** @type {import("../providers/dynamicResource").SerializedProviders} */
  const written = { libDigest: dynamicResource.libDigest(path.join(root, "lib")), providers };
  writeFileSync(path.join(providersDir, dynamicResource.SERIALIZED_PROVIDERS_FILE), `${JSON.stringify(written)}\n`);
  return providers.length;
}

/**
 * @param {string} file
 * @returns {unknown}
 */
function load(file) {
  return require(file);
}

/**
 * A dynamic provider: an object with create (every slipway provider has one).
 * @param {unknown} value
 * @returns {value is import("@pulumi/pulumi").dynamic.ResourceProvider}
 */
function isResourceProvider(value) {
  return typeof value === "object" && value !== null && typeof (/** @type {{ create?: unknown }} */ (value).create) === "function";
}

module.exports = { serializeProviders };

if (require.main === module) {
  try {
    serializeProviders(path.resolve(process.argv[2] ?? path.join(__dirname, "..")));
  } catch (error) {
    process.stderr.write(`serializeProviders: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
