import * as pulumi from "@pulumi/pulumi";

/** The arguments of a dynamic resource: each of its provider's inputs, as a value or an Output. */
export type InputsOf<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };
