// The base of slipway's dynamic resources. Pulumi stores a dynamic resource's provider as JavaScript text
// (`__provider`) that its closure serialiser writes on every run: TypeScript's parser and an inspector
// session for each provider, about a second of every `pulumi up`. `npm run build` writes the same text once
// (scripts/serializeProviders.cjs → lib/providers/serialized.json); an update uses it only while lib/ is
// exactly the code it was written from, and serialises as Pulumi does otherwise (under tsx, or after a
// plain `tsc`), so a stale text never runs.
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
