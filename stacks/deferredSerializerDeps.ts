// Loading @pulumi/pulumi loads its closure serialiser, and with it TypeScript's compiler and npm's Arborist:
// about 0.45 s of every `pulumi up` on a 2-core machine, before the program declares anything. The program
// needs neither: its providers' texts were written by the build (providers/dynamicResource.ts), and the
// serialiser runs only when lib/ is stale. So the program puts a stand-in for each module in require's
// cache before @pulumi/pulumi loads; the stand-in loads the real module the first time it is used.
import { readdirSync } from "node:fs";
import Module from "node:module";
import { dirname, join } from "node:path";

export interface DeferredModule {
  readonly name: string;
  /** The file the SDK's `require` resolves to. */
  readonly file: string;
  /** Whether the real module has been loaded. */
  readonly loaded: boolean;
}

/**
 * The SDK's closure serialiser's heavy dependencies: where the SDK looks when the module is not installed
 * (without a `typescript` package it loads the copy it vendors), and the classes the serialiser takes from
 * the module when it loads, before using them: its `__importStar` copies Arborist's exports at once, so the
 * stand-in offers an `Arborist` whose construction loads the real module and builds the real class.
 */
const DEFERRED: readonly { readonly name: string; readonly vendored?: RegExp; readonly classes: readonly string[] }[] = [
  { name: "typescript", vendored: /^typescript@/, classes: [] },
  { name: "@npmcli/arborist", classes: ["Arborist"] },
];

/** The file `require(name)` gives the SDK in `sdkDir`: the installed module's, else the SDK's vendored copy. */
function sdkModuleFile(sdkDir: string, name: string, vendored: RegExp | undefined): string | undefined {
  try {
    return require.resolve(name, { paths: [sdkDir] });
  } catch {
    if (vendored === undefined) return undefined;
    try {
      const copy = readdirSync(join(sdkDir, "vendor")).find((entry) => vendored.test(entry));
      return copy === undefined ? undefined : join(sdkDir, "vendor", copy, `${name}.js`);
    } catch {
      return undefined;
    }
  }
}

const deferred: DeferredModule[] = [];

type Exports = Record<string | symbol, unknown>;

/**
 * What interop helpers ask a module's exports at import time: TypeScript's `__esModule`, and tsx's
 * `module.exports` when a program runs from source. Neither module has them, so they are answered unloaded.
 */
const INTEROP_KEYS = new Set<string | symbol>(["__esModule", "module.exports"]);

/** A module whose exports load `file` on first use and forward to it from then on. */
function standIn(file: string, classes: readonly string[], onLoad: () => void): Module {
  let real: Exports | undefined;
  const load = (): Exports => {
    if (real === undefined) {
      // From here on require gives the real module; whoever took the stand-in keeps being forwarded.
      delete require.cache[file];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      real = require(file) as Exports;
      onLoad();
    }
    return real;
  };
  const forwarders = new Map<string | symbol, unknown>(
    classes.map((name) => [
      name,
      function (...args: unknown[]): unknown {
        const real = load()[name] as new (...args: unknown[]) => unknown;
        return new real(...args);
      },
    ]),
  );
  const early = (key: string | symbol) => real === undefined && forwarders.has(key);
  const unloadedInterop = (key: string | symbol) => real === undefined && INTEROP_KEYS.has(key);
  const exports = new Proxy<Exports>(
    {},
    {
      get: (_target, key) => (unloadedInterop(key) ? undefined : early(key) ? forwarders.get(key) : load()[key]),
      has: (_target, key) => early(key) || key in load(),
      ownKeys: () => (real === undefined && forwarders.size > 0 ? [...forwarders.keys()] : Reflect.ownKeys(load())),
      getOwnPropertyDescriptor: (_target, key) => {
        if (unloadedInterop(key)) return undefined;
        if (early(key)) return { configurable: true, enumerable: true, writable: false, value: forwarders.get(key) };
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
      },
    },
  );
  const module = new Module(file);
  module.filename = file;
  module.loaded = true;
  module.exports = exports;
  return module;
}

/**
 * Defers the closure serialiser's dependencies of the @pulumi/pulumi that `fromDir` resolves. Does nothing
 * for a module that is already loaded or not installed; idempotent.
 */
export function deferSerializerDeps(fromDir: string = __dirname): readonly DeferredModule[] {
  let sdkDir: string;
  try {
    sdkDir = dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [fromDir] }));
  } catch {
    return deferred;
  }
  for (const { name, vendored, classes } of DEFERRED) {
    const file = sdkModuleFile(sdkDir, name, vendored);
    if (file === undefined || require.cache[file] !== undefined) continue;
    const entry = { name, file, loaded: false };
    require.cache[file] = standIn(file, classes, () => (entry.loaded = true));
    deferred.push(entry);
  }
  return deferred;
}

deferSerializerDeps();
