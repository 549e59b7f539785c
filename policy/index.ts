// The slipway policy pack: `pulumi preview --policy-pack ./policy`. Constructing a PolicyPack starts its
// gRPC server, so this is the only place one is constructed; tests import ./policies instead.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("slipway", {
  description: "Release safety: immutable, scanned, signed and retained releases; a private Athens; no plaintext credentials.",
  enforcementLevel: "mandatory",
  policies,
});
