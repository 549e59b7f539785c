// The Node SDK sends the engine a debug line for every resource it registers and every RPC answer it gets
// (runtime/resource.js: "Registering resource: …", "RegisterResource RPC prepared/finished: …"), about 150
// lines in an update of the release stack, each its own RPC, one at a time. The CLI shows them only under
// `--debug`, and they cost every update about 0.08 s (measured on a no-op), so the program sends them only
// when SLIPWAY_SDK_DEBUG=1. Even then, a line carrying a secret value is dropped: the lines carry the secret
// outputs of a resource in plain text, and the engine's event stream (Automation API, `--event-log`) hands
// them to whoever listens, so a signing key or a generated password would leave the program in clear. A
// secret is serialised with the SDK's signature key.

type Debug = (message: string, ...rest: unknown[]) => Promise<void>;

interface LogModule {
  debug: Debug;
}

/** The environment variable that has the program send the SDK's debug lines (without secrets) to the engine. */
export const SDK_DEBUG_VARIABLE = "SLIPWAY_SDK_DEBUG";

/** `debug` that drops the lines carrying `signature` (a secret value) and forwards the rest. */
export function secretFreeDebug(debug: Debug, signature: string): Debug {
  return (message, ...rest) => (String(message).includes(signature) ? Promise.resolve() : debug(message, ...rest));
}

const sendNothing: Debug = () => Promise.resolve();

/**
 * Replaces the SDK's `log.debug` (the one runtime/resource.js calls): with {@link secretFreeDebug} when
 * `env` has SLIPWAY_SDK_DEBUG=1, else with one that sends nothing. Idempotent.
 */
export function filterSdkDebugLines(env: NodeJS.ProcessEnv = process.env): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const log = require("@pulumi/pulumi/log") as LogModule & { readonly __esModule?: boolean; __slipwayFiltered?: boolean };
  const { specialSigKey } = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey?: unknown };
  /* eslint-enable @typescript-eslint/no-require-imports */
  // runtime/resource.js reads `log.debug` from this very module object only when it is an ES module.
  if (typeof log.debug !== "function" || log.__esModule !== true || typeof specialSigKey !== "string") {
    throw new Error("@pulumi/pulumi changed its log or rpc module; pin the version in package.json");
  }
  if (log.__slipwayFiltered === true) return;
  log.debug = env[SDK_DEBUG_VARIABLE] === "1" ? secretFreeDebug(log.debug.bind(log), specialSigKey) : sendNothing;
  log.__slipwayFiltered = true;
}
