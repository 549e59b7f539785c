import * as pulumi from "@pulumi/pulumi";
import { Slot, SlotKeys, checkSlotKeys } from "../plan/rotation";
import { RandomSecret, RandomSecretShape, checkRandomSecretArgs, resolveRandomSecretInputs } from "../providers/randomSecret";

export interface TwoSlotSecretArgs extends RandomSecretShape {
  /** Slot keys from `slotKeys()` in plan/rotation.ts; a rotation changes one slot's key. Required. */
  readonly slots: SlotKeys;
}

/**
 * Two random secrets, slot a and slot b, of which a rotation replaces one, alternately. The consumer is
 * handed `current`; the verifier accepts `current` and `previous`, so a holder of the value handed out
 * before the rotation keeps working until the next rotation.
 */
export class TwoSlotSecret extends pulumi.ComponentResource {
  /** Value of the slot rotated last (secret): hand this one out. */
  public readonly current: pulumi.Output<string>;
  /** Value of the other slot (secret): still to be accepted. */
  public readonly previous: pulumi.Output<string>;
  /** Which slot `current` is. */
  public readonly currentSlot: pulumi.Output<Slot>;

  constructor(name: string, args: TwoSlotSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    const { slots } = args;
    checkSlotKeys(name, slots);
    const inputs = { a: resolveRandomSecretInputs(args, slots.a), b: resolveRandomSecretInputs(args, slots.b) };
    checkRandomSecretArgs(name, inputs.a);
    checkRandomSecretArgs(name, inputs.b);
    super("slipway:secrets:TwoSlotSecret", name, {}, opts);

    const values: Record<Slot, pulumi.Output<string>> = {
      a: new RandomSecret(`${name}-a`, inputs.a, { parent: this }).value,
      b: new RandomSecret(`${name}-b`, inputs.b, { parent: this }).value,
    };

    this.current = pulumi.secret(values[slots.current]);
    this.previous = pulumi.secret(values[slots.previous]);
    this.currentSlot = pulumi.output(slots.current);
    this.registerOutputs({ current: this.current, previous: this.previous, currentSlot: this.currentSlot });
  }
}
