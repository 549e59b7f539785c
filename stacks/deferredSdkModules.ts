// Loading @pulumi/pulumi loads its closure serialiser, and with it TypeScript's compiler, npm's Arborist
// and normalize-package-data (about 0.45 s of every `pulumi up` on a 2-core machine), and its Automation API
// with execa and js-yaml (0.13 s), before the program declares anything. The program and the
// dynamic-provider host need none of them: the providers' texts were written by the build
// (providers/dynamicResource.ts), the serialiser runs only when lib/ is stale, and the Automation API is for
// the CLI. The engine's run harness (cmd/run/tracing.js) loads six OpenTelemetry packages for the Zipkin
// tracing of `--tracing`, and uses them only then (0.1 s of the program's start). So the program puts a
// stand-in for each module in require's cache before @pulumi/pulumi loads; the stand-in loads the real module
// the first time it is used. The harness's packages are deferred only when this runs before the harness
// (bin/program-preload.cjs, which Pulumi.yaml has node load first); as the program's first import it is too
// late for them.
import { existsSync, readdirSync } from "node:fs";
import Module from "node:module";
import { dirname, join } from "node:path";

export interface DeferredModule {
  readonly name: string;
  /** The file the SDK's `require` resolves to. */
  readonly file: string;
  /** Whether the real module has been loaded. */
  readonly loaded: boolean;
}

interface Deferral {
  readonly name: string;
  /** A file of the SDK's own, relative to its directory, instead of a package `require` finds. */
  readonly sdkFile?: string;
  /** Where the SDK looks when the package is not installed (without `typescript` it loads the copy it vendors). */
  readonly vendored?: RegExp;
  /**
   * The classes the importer takes from the module when it loads, before using them: the serialiser's
   * `__importStar` copies Arborist's exports at once, so the stand-in offers an `Arborist` whose construction
   * loads the real module and builds the real class.
   */
  readonly classes?: readonly string[];
  /**
   * Whether the stand-in says it is an ES module before loading: the SDK's `__importStar` then keeps the
   * stand-in itself instead of copying its exports (which would load it).
   */
  readonly esModule?: boolean;
  /** Whether the module's exports are a function the importer calls (the stand-in loads it on the first call). */
  readonly callable?: boolean;
}

/** The modules deferred, in the order `deferSdkModules` reports them. */
const DEFERRED: readonly Deferral[] = [
  { name: "typescript", vendored: /^typescript@/ },
  { name: "@npmcli/arborist", classes: ["Arborist"] },
  { name: "normalize-package-data", callable: true },
  { name: "@pulumi/pulumi/automation", sdkFile: join("automation", "index.js"), esModule: true },
  ...[
    "@opentelemetry/resources",
    "@opentelemetry/sdk-trace-base",
    "@opentelemetry/exporter-zipkin",
    "@opentelemetry/instrumentation-grpc",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/instrumentation",
  ].map((name) => ({ name })),
];

/**
 * The file the SDK's `require` gives it in `sdkDir`: its own file, or the installed package's, else the SDK's
 * vendored copy.
 */
function sdkModuleFile(sdkDir: string, { name, sdkFile, vendored }: Deferral): string | undefined {
  if (sdkFile !== undefined) {
    const file = join(sdkDir, sdkFile);
    return existsSync(file) ? file : undefined;
  }
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
 * `module.exports` when a program runs from source. They are answered unloaded: `__esModule` from the
 * deferral, `module.exports` as absent (no deferred module has it).
 */
const INTEROP_KEYS = new Set<string | symbol>(["__esModule", "module.exports"]);

/** A module whose exports load `file` on first use and forward to it from then on. */
function standIn(file: string, { classes = [], esModule = false, callable = false }: Deferral, onLoad: () => void): Module {
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
  const interopAnswer = (key: string | symbol) => (key === "__esModule" && esModule ? true : undefined);
  // A callable stand-in's target is an arrow function: it has no `prototype`, a property the traps could not
  // report as configurable.
  const target: Exports = callable ? ((() => undefined) as unknown as Exports) : {};
  const exports = new Proxy<Exports>(target, {
    apply: (_target, thisArg, args: unknown[]) => Reflect.apply(load() as unknown as (...args: unknown[]) => unknown, thisArg, args),
    get: (_target, key) => (unloadedInterop(key) ? interopAnswer(key) : early(key) ? forwarders.get(key) : load()[key]),
    has: (_target, key) => (unloadedInterop(key) ? interopAnswer(key) !== undefined : early(key) || key in load()),
    ownKeys: () => (real === undefined && forwarders.size > 0 ? [...forwarders.keys()] : Reflect.ownKeys(load())),
    getOwnPropertyDescriptor: (_target, key) => {
      if (unloadedInterop(key)) {
        const value = interopAnswer(key);
        return value === undefined ? undefined : { configurable: true, enumerable: false, writable: false, value };
      }
      if (early(key)) return { configurable: true, enumerable: true, writable: false, value: forwarders.get(key) };
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
  });
  const module = new Module(file);
  module.filename = file;
  module.loaded = true;
  module.exports = exports;
  return module;
}

/**
 * Defers the modules above of the @pulumi/pulumi that `fromDir` resolves. Does nothing for a module that is
 * already loaded or not installed; idempotent.
 */
export function deferSdkModules(fromDir: string = __dirname): readonly DeferredModule[] {
  let sdkDir: string;
  try {
    sdkDir = dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [fromDir] }));
  } catch {
    return deferred;
  }
  for (const deferral of DEFERRED) {
    const file = sdkModuleFile(sdkDir, deferral);
    if (file === undefined || require.cache[file] !== undefined) continue;
    const entry = { name: deferral.name, file, loaded: false };
    require.cache[file] = standIn(file, deferral, () => (entry.loaded = true));
    deferred.push(entry);
  }
  return deferred;
}

deferSdkModules();
