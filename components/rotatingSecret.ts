import * as pulumi from "@pulumi/pulumi";
import { RandomSecret, RandomSecretShape, checkRandomSecretArgs, resolveRandomSecretInputs } from "../providers/randomSecret";

export interface RotatingSecretArgs extends RandomSecretShape {
  /** Rotation key from `rotationKey()` in plan/rotation.ts; a new key replaces the value. Required. */
  readonly rotationKey: string;
}

/**
 * One random secret that rotates when its rotation key changes. The old value is gone in the same
 * deployment, so use it where the consumer accepts a single credential (e.g. Athens basic auth); use
 * TwoSlotSecret where old and new must overlap.
 */
export class RotatingSecret extends pulumi.ComponentResource {
  /** The current value (secret). */
  public readonly value: pulumi.Output<string>;
  /** The key the value belongs to; not secret, so a rotation is visible in a preview. */
  public readonly rotationKey: pulumi.Output<string>;

  constructor(name: string, args: RotatingSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    const inputs = resolveRandomSecretInputs(args, args.rotationKey);
    checkRandomSecretArgs(name, inputs);
    super("slipway:secrets:RotatingSecret", name, {}, opts);

    const random = new RandomSecret(`${name}-value`, inputs, { parent: this });

    this.value = pulumi.secret(random.value);
    this.rotationKey = pulumi.output(inputs.rotationKey);
    this.registerOutputs({ value: this.value, rotationKey: this.rotationKey });
  }
}
