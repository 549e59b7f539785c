// What a stack file (`stacks/Pulumi.<stack>.yaml`) carries besides settings: the passphrase salt Pulumi
// writes on first use, and any secret values encrypted with it. Pure: text in, text out.
import { parse } from "yaml";

/** The config keys whose values are secrets (`key: {secure: ...}`), in file order. */
export function secureSettings(text: string): string[] {
  const file = parse(text) as { config?: Record<string, unknown> } | null;
  return Object.entries(file?.config ?? {})
    .filter(([, value]) => containsSecure(value))
    .map(([key]) => key);
}

function containsSecure(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsSecure);
  if (value === null || typeof value !== "object") return false;
  return Object.entries(value).some(([key, inner]) => key === "secure" || containsSecure(inner));
}

/** Whether the file holds a passphrase salt (`encryptionsalt: v1:…`). */
export function hasEncryptionSalt(text: string): boolean {
  return /^encryptionsalt:/m.test(text);
}

/** The file without its passphrase salt, everything else (comments, order, settings) as it was. */
export function withoutEncryptionSalt(text: string): string {
  return text.replace(/^encryptionsalt:.*(\r?\n|$)/m, "");
}
