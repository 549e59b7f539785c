import * as pulumi from "@pulumi/pulumi";
import { SlotKeys, checkSlotKeys } from "../plan/rotation";
import { CosignKey } from "../providers/cosign";
import { CosignKeyPair } from "../providers/cosignSignature";

export interface SigningKeysArgs {
  /** Slot keys from `slotKeys()` (the stack's rotation settings): a rotation replaces one slot's pair. Required. */
  readonly slots: SlotKeys;
}

/**
 * The stack's signing key pairs in two slots, rotated like the other two-slot secrets: the current slot
 * signs; both public keys are published, so signatures made before a rotation verify during the overlap.
 */
export class SigningKeys extends pulumi.ComponentResource {
  /** The current slot's key pair (secret: holds the private key and its password). */
  public readonly current: pulumi.Output<CosignKey>;
  /** The current slot's public key (PEM). */
  public readonly currentPublicKey: pulumi.Output<string>;
  /** Both public keys, current first: the content of `cosign.pub`. */
  public readonly publicKeys: pulumi.Output<string>;

  constructor(name: string, args: SigningKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    const { slots } = args;
    checkSlotKeys(name, slots);
    super("slipway:signing:SigningKeys", name, {}, opts);
    const pairs = {
      a: new CosignKeyPair(`${name}-a`, { rotationKey: slots.a }, { parent: this }),
      b: new CosignKeyPair(`${name}-b`, { rotationKey: slots.b }, { parent: this }),
    };
    const current = pairs[slots.current];
    const previous = pairs[slots.previous];
    this.current = pulumi.secret(
      pulumi.all([current.privateKey, current.password, current.publicKey]).apply(([privateKey, password, publicKey]) => ({
        privateKey,
        password,
        publicKey,
      })),
    );
    this.currentPublicKey = current.publicKey;
    this.publicKeys = pulumi
      .all([current.publicKey, previous.publicKey])
      .apply((keys) => `${keys.map((k) => (k ?? "").trimEnd()).join("\n")}\n`);
    this.registerOutputs({ current: this.current, currentPublicKey: this.currentPublicKey, publicKeys: this.publicKeys });
  }
}
