import * as pulumi from "@pulumi/pulumi";
import { RawStackConfig, StackSettings, parseStackConfig } from "../plan/stackConfig";

const NAMESPACE = "slipway:";

interface RuntimeConfigInternals {
  isConfigSecret?: (key: string) => boolean;
}

// The public SDK can read a secret but cannot say whether a value was stored as one; the runtime's
// internal isConfigSecret can, and slipway must refuse credentials kept in plain text.
function isStoredAsSecret(key: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const internals = require("@pulumi/pulumi/runtime/config") as RuntimeConfigInternals;
  if (typeof internals.isConfigSecret !== "function") {
    throw new Error("@pulumi/pulumi no longer exposes runtime isConfigSecret; pin the version in package.json");
  }
  return internals.isConfigSecret(key);
}

/** Reads the stack's `slipway:*` settings as plain data. */
export function readRawStackConfig(): RawStackConfig {
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!key.startsWith(NAMESPACE)) continue;
    const name = key.slice(NAMESPACE.length);
    values[name] = value;
    if (isStoredAsSecret(key)) secretKeys.add(name);
  }
  return { values, secretKeys, project: pulumi.getProject() };
}

/** Validates the stack's settings and plans the release; throws before any resource exists. */
export function loadStackConfig(): StackSettings {
  return parseStackConfig(readRawStackConfig());
}

/** A secret setting's value as a Pulumi secret, for the settings {@link StackSettings.secretSettings} names. */
export function secretSetting(name: string): pulumi.Output<string> {
  return new pulumi.Config("slipway").requireSecret(name);
}
