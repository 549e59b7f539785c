// @pulumi/aws takes about a third of a second to load, on every `pulumi up`: its index defines every AWS
// service. A stack without AWS resources (a local registry and Athens, GitHub only) never loads it.
import type * as Aws from "@pulumi/aws";

let loaded: typeof Aws | undefined;

/** `@pulumi/aws`, loaded on first use. */
export const aws: typeof Aws = new Proxy({} as typeof Aws, {
  get(_target, key) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded ??= require("@pulumi/aws") as typeof Aws;
    return (loaded as unknown as Record<string | symbol, unknown>)[key];
  },
});
