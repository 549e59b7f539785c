// The base of slipway's dynamic resources. Pulumi stores a dynamic resource's provider as JavaScript text
// (`__provider`), written by its closure serialiser on every run: TypeScript's parser and an inspector session
// for each provider, about a second of every `pulumi up`, and a copy of the provider's code (up to 40 KB) in
// the state twice per resource, which the engine writes after every step. `npm run build` writes each
// provider's text once instead (scripts/serializeProviders.cjs → lib/providers/serialized.json): a few lines
// that load the provider from the slipway the project has installed, as the engine loads any provider plugin
// from its installed version. An update uses those texts only while lib/ is exactly the code they were
// written for, and serialises as Pulumi does otherwise (under tsx, or after a plain `tsc`).
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

/** Where the build writes the serialised providers: beside the compiled providers. */
export const SERIALIZED_PROVIDERS_FILE = "serialized.json";

/** One provider's text, named by the compiled module (relative to lib/providers) and export that hold it. */
export interface SerializedProvider {
  readonly module: string;
  readonly exportName: string;
  readonly text: string;
}

/** lib/providers/serialized.json. */
export interface SerializedProviders {
  /** `libDigest` of the compiled code the texts were written from. */
  readonly libDigest: string;
  readonly providers: readonly SerializedProvider[];
}

/** What the build writes as `__provider` for `exportName` of `lib/providers/<module>`. */
export function installedProviderText(module: string, exportName: string): string {
  const request = `slipway/lib/providers/${module}`;
  // Loaded as the dynamic-provider host loads every __provider (require-from-string): `require` is node's own
  // and the working directory is the project's, where slipway resolves (or is the package itself).
  return [
    `"use strict";`,
    `// slipway's ${exportName}: the installed slipway's code, not a copy of it in the state.`,
    `exports.handler = function () {`,
    `  const { createRequire } = require("node:module");`,
    `  const { join } = require("node:path");`,
    `  let loaded;`,
    `  try {`,
    `    loaded = createRequire(join(process.cwd(), "slipway-provider.js"))(${JSON.stringify(request)});`,
    `  } catch (error) {`,
    `    throw new Error(`,
    `      "slipway's resources run the slipway package the project has installed, and ${request} cannot be loaded from " +`,
    `        process.cwd() + " (" + (error instanceof Error ? error.message.split("\\n")[0] : String(error)) + "); install slipway (npm ci; in a checkout of slipway itself, npm run build) and run again",`,
    `    );`,
    `  }`,
    `  return loaded[${JSON.stringify(exportName)}];`,
    `};`,
    ``,
  ].join("\n");
}

/** sha256 over every compiled `.js` file under `libDir` (path and content, sorted by path). */
export function libDigest(libDir: string): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".js")) files.push(path);
    }
  };
  walk(libDir);
  const hash = createHash("sha256");
  for (const file of files.map((path) => relative(libDir, path).split("\\").join("/")).sort()) {
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(libDir, file)))
      .update("\0");
  }
  return hash.digest("hex");
}

/**
 * The build's texts by provider object, read from `providersDir`'s serialized.json; empty when there is
 * none or when the compiled code changed since it was written.
 */
export function loadSerializedProviders(providersDir: string): Map<object, string> {
  let written: SerializedProviders;
  try {
    written = JSON.parse(readFileSync(join(providersDir, SERIALIZED_PROVIDERS_FILE), "utf8")) as SerializedProviders;
  } catch {
    return new Map();
  }
  if (written.libDigest !== libDigest(join(providersDir, ".."))) return new Map();
  const texts = new Map<object, string>();
  for (const { module, exportName, text } of written.providers) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const provider = (require(join(providersDir, module)) as Record<string, unknown>)[exportName];
    if (typeof provider === "object" && provider !== null) texts.set(provider, text);
  }
  return texts;
}

let serialized: Map<object, string> | undefined;
const serializedAtRunTime = new WeakMap<object, pulumi.Output<string>>();

/** The `__provider` text of `provider`: the build's when it is current, else serialised now (once per provider). */
export function providerText(provider: pulumi.dynamic.ResourceProvider): pulumi.Input<string> {
  serialized ??= loadSerializedProviders(__dirname);
  const written = serialized.get(provider);
  if (written !== undefined) return written;
  let text = serializedAtRunTime.get(provider);
  if (text === undefined) {
    // The same closure, by the same name, as pulumi.dynamic.Resource serialises: the texts are identical.
    const serializedFunction = pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    text = pulumi.output(serializedFunction).apply((f) => (f.containsSecrets ? pulumi.secret(f.text) : pulumi.output(f.text)));
    serializedAtRunTime.set(provider, text);
  }
  return text;
}

/** pulumi.dynamic.Resource with the build's provider text: the same type token, inputs and state. */
export abstract class DynamicResource extends pulumi.CustomResource {
  constructor(
    provider: pulumi.dynamic.ResourceProvider,
    name: string,
    props: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions | undefined,
    module: string,
    type: string,
  ) {
    super(`pulumi-nodejs:dynamic/${module}:${type}`, name, { ...props, __provider: providerText(provider) }, opts);
  }
}
