import * as pulumi from "@pulumi/pulumi";

/** A function the dynamic-provider host does not have: asking for it makes the engine start the host, nothing more. */
export const START_HOST_TOKEN = "pulumi-nodejs:dynamic:startHost";

/**
 * Has the engine start the dynamic-provider host (the `pulumi-nodejs` provider every slipway provider runs
 * in) while the program declares its components, instead of at the first dynamic resource, where its start
 * (a Node.js process loading @pulumi/pulumi, about 0.4 s) held up every update. Resolves once the request
 * is on its way: the declarations that follow are synchronous and would hold it back.
 *
 * The host answers "unknown function", which is dropped; a host that cannot start fails the first dynamic
 * resource, which reports it.
 */
export async function startDynamicProviderHost(): Promise<void> {
  pulumi.runtime.invoke(START_HOST_TOKEN, {}).then(
    () => undefined,
    () => undefined,
  );
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Gives stack traces back to Node.js's own formatter. The engine's run harness installs source-map-support
 * (unless bin/program-preload.cjs ran first; a Pulumi.yaml written before it does not have node load it),
 * which maps every frame of every trace, and the SDK takes a trace for each promise it makes: about 0.2 s
 * of every update, spent on slipway's compiled code, which ships no source maps. Node still maps frames
 * itself when run with --enable-source-maps.
 */
export function useNodeStackTraces(): void {
  (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
}
