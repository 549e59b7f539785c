// The Node SDK sends the engine a debug line with every RPC answer it gets (runtime/resource.js:
// "RegisterResource RPC finished: …, resp: …"), the secret outputs of the resource in plain text among them.
// The CLI hides debug lines, but the engine's event stream (Automation API, `--event-log`) hands them to
// whoever listens, so a signing key or a generated password would leave the program in clear. The program
// drops every debug line that carries a secret value: a secret is serialised with the SDK's signature key.

type Debug = (message: string, ...rest: unknown[]) => Promise<void>;

interface LogModule {
  debug: Debug;
}

/** `debug` that drops the lines carrying `signature` (a secret value) and forwards the rest. */
export function secretFreeDebug(debug: Debug, signature: string): Debug {
  return (message, ...rest) => (String(message).includes(signature) ? Promise.resolve() : debug(message, ...rest));
}

/** Replaces the SDK's `log.debug` (the one runtime/resource.js calls) with {@link secretFreeDebug}; idempotent. */
export function dropSecretDebugLines(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const log = require("@pulumi/pulumi/log") as LogModule & { readonly __esModule?: boolean; __slipwayFiltered?: boolean };
  const { specialSigKey } = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey?: unknown };
  /* eslint-enable @typescript-eslint/no-require-imports */
  // runtime/resource.js reads `log.debug` from this very module object only when it is an ES module.
  if (typeof log.debug !== "function" || log.__esModule !== true || typeof specialSigKey !== "string") {
    throw new Error("@pulumi/pulumi changed its log or rpc module; pin the version in package.json");
  }
  if (log.__slipwayFiltered === true) return;
  log.debug = secretFreeDebug(log.debug.bind(log), specialSigKey);
  log.__slipwayFiltered = true;
}
