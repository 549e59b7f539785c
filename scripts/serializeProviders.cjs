"use strict";
// Writes lib/providers/serialized.json: the `__provider` text of every dynamic provider in lib/providers,
// serialised once here by Pulumi's own closure serialiser, instead of on every `pulumi up`
// (providers/dynamicResource.ts). Run by scripts/build.cjs after tsc; `node scripts/serializeProviders.cjs [ROOT]`.
const { readdirSync, writeFileSync } = require("node:fs");
const path = require("node:path");

/**
 * @param {string} root the directory holding lib/
 * @returns {Promise<number>} how many providers were written
 */
async function serializeProviders(root) {
  const providersDir = path.join(root, "lib", "providers");
  const pulumi = /** @type {typeof import("@pulumi/pulumi")} */ (load(require.resolve("@pulumi/pulumi", { paths: [root] })));
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
      // The closure and its variable name are pulumi.dynamic.Resource's, so the text is the one it writes.
      const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
      if (serialized.containsSecrets)
        throw new Error(`lib/providers/${module}: ${exportName} captures a secret; a provider must hold none`);
      providers.push({ module, exportName, text: serialized.text });
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
  serializeProviders(path.resolve(process.argv[2] ?? path.join(__dirname, ".."))).catch((/** @type {unknown} */ error) => {
    process.stderr.write(`serializeProviders: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
