import { SlipwayInputError } from "./errors";

/** Refuses a field of a structured setting that is not among `allowed`, naming the ones that are. */
export function rejectUnknownFields(entry: Record<string, unknown>, allowed: readonly string[], key: string): void {
  for (const name of Object.keys(entry)) {
    if (!allowed.includes(name)) {
      throw new SlipwayInputError(`${key}.${name}`, entry[name], "unknown field", `use only ${allowed.join(", ")}`);
    }
  }
}
