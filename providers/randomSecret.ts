// A random secret kept in Pulumi state, replaced exactly when its rotation key (or shape) changes. It
// stands in for `random.RandomPassword` + `keepers`, whose plugin cannot be built offline.
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource } from "./dynamicResource";
import { InputsOf } from "./inputs";
import { SlipwayInputError } from "../plan/errors";

export const BYTE_ENCODINGS = ["hex", "base64", "base64url"] as const;
export type ByteEncoding = (typeof BYTE_ENCODINGS)[number];

/** Letters and digits: safe in URLs, basic-auth headers, htpasswd files and shell variables. */
export const DEFAULT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** 32 characters of {@link DEFAULT_ALPHABET}: about 190 bits. */
export const DEFAULT_LENGTH = 32;
/** Below this a generated secret is refused. */
export const MIN_ENTROPY_BITS = 128;
/** Longest value, in characters or bytes. */
export const MAX_LENGTH = 4096;

export interface RandomSecretInputs {
  /** A new key replaces the value (a rotation). */
  readonly rotationKey: string;
  /** Characters drawn from `alphabet`, or bytes drawn and then written with `encoding`. */
  readonly length: number;
  /** Characters to draw from, each equally likely; exclusive with `encoding`. */
  readonly alphabet?: string | undefined;
  /** How random bytes are written; exclusive with `alphabet`. */
  readonly encoding?: ByteEncoding | undefined;
}

export interface RandomSecretOutputs extends RandomSecretInputs {
  readonly value: string;
}

/**
 * What is wrong with the inputs, as `{property, reason}` (the dynamic-provider check format); empty when
 * they are fine. It refers to nothing but two numeric constants: the provider's `check` carries it into
 * `__provider`.
 */
export function randomSecretProblems(inputs: Partial<Record<keyof RandomSecretInputs, unknown>>): { property: string; reason: string }[] {
  const problems: { property: string; reason: string }[] = [];
  const { rotationKey, length, alphabet, encoding } = inputs;
  if (typeof rotationKey !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(rotationKey)) {
    problems.push({
      property: "rotationKey",
      reason: "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit",
    });
  }
  if (typeof length !== "number" || !Number.isInteger(length) || length < 1 || length > MAX_LENGTH) {
    problems.push({ property: "length", reason: `must be a whole number from 1 to ${MAX_LENGTH}` });
  }
  let symbols = 0;
  if (alphabet !== undefined && encoding !== undefined) {
    problems.push({ property: "alphabet", reason: "set either alphabet or encoding, not both" });
  } else if (alphabet === undefined && encoding === undefined) {
    problems.push({ property: "alphabet", reason: "set either alphabet or encoding" });
  } else if (alphabet !== undefined) {
    const chars = typeof alphabet === "string" ? Array.from(alphabet) : [];
    if (chars.length < 2 || new Set(chars).size !== chars.length) {
      problems.push({ property: "alphabet", reason: "must list at least 2 characters, each once" });
    } else {
      symbols = chars.length;
    }
  } else if (encoding === "hex" || encoding === "base64" || encoding === "base64url") {
    symbols = 256;
  } else {
    problems.push({ property: "encoding", reason: "must be hex, base64 or base64url" });
  }
  if (problems.length === 0) {
    const bits = (length as number) * Math.log2(symbols);
    if (bits < MIN_ENTROPY_BITS) {
      problems.push({ property: "length", reason: `gives ${Math.floor(bits)} bits of entropy; at least ${MIN_ENTROPY_BITS} are needed` });
    }
  }
  return problems;
}

/** How a secret is drawn, as components take it: every field optional. */
export interface RandomSecretShape {
  /** Characters (with `alphabet`) or random bytes (with `encoding`). Defaults to 32. */
  readonly length?: number | undefined;
  /** Characters to draw from, each equally likely; exclusive with `encoding`. Defaults to letters and digits unless `encoding` is set. */
  readonly alphabet?: string | undefined;
  /** Write random bytes as `hex`, `base64` or `base64url` instead of drawing characters. Defaults to unset. */
  readonly encoding?: ByteEncoding | undefined;
}

/** Provider inputs with the defaults applied: {@link DEFAULT_LENGTH} letters and digits unless an encoding is asked for. */
export function resolveRandomSecretInputs(shape: RandomSecretShape, rotationKey: string): RandomSecretInputs {
  return {
    rotationKey,
    length: shape.length ?? DEFAULT_LENGTH,
    alphabet: shape.encoding === undefined ? (shape.alphabet ?? DEFAULT_ALPHABET) : shape.alphabet,
    encoding: shape.encoding,
  };
}

/**
 * Validates component arguments for a random secret and throws {@link SlipwayInputError} for the first
 * problem, keyed `<owner>.<argument>`.
 */
export function checkRandomSecretArgs(owner: string, inputs: RandomSecretInputs): void {
  const [problem] = randomSecretProblems(inputs);
  if (problem === undefined) return;
  const property = problem.property as keyof RandomSecretInputs;
  throw new SlipwayInputError(`${owner}.${property}`, inputs[property], problem.reason, fixFor(property));
}

function fixFor(property: keyof RandomSecretInputs): string {
  switch (property) {
    case "rotationKey":
      return "derive it with rotationKey() or slotKeys() from plan/rotation.ts";
    case "length":
      return `use at least ${Math.ceil(MIN_ENTROPY_BITS / Math.log2(DEFAULT_ALPHABET.length))} letters and digits or ${MIN_ENTROPY_BITS / 8} random bytes, at most ${MAX_LENGTH}; the default is ${DEFAULT_LENGTH}`;
    case "alphabet":
    case "encoding":
      return `give an alphabet of distinct characters or an encoding (${BYTE_ENCODINGS.join(", ")}), not both`;
  }
}

/**
 * The provider, serialised into every RandomSecret's `__provider`. It captures no state: modules are
 * `require`d inside the methods; `check` refers to the pure {@link randomSecretProblems}, copied by value.
 * Every input shapes the value, so `diff` replaces on any input change and `update` never regenerates.
 */
export const randomSecretProvider: pulumi.dynamic.ResourceProvider<RandomSecretInputs, RandomSecretOutputs> = {
  // eslint-disable-next-line @typescript-eslint/require-await
  async check(_olds: RandomSecretInputs, news: RandomSecretInputs) {
    return { inputs: news, failures: randomSecretProblems(news) };
  },

  // eslint-disable-next-line @typescript-eslint/require-await
  async create(inputs: RandomSecretInputs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { randomBytes, randomInt, randomUUID } = require("node:crypto") as typeof import("node:crypto");
    let value: string;
    if (inputs.encoding !== undefined) {
      value = randomBytes(inputs.length).toString(inputs.encoding);
    } else {
      const chars = Array.from(inputs.alphabet ?? "");
      if (chars.length < 2) throw new Error("RandomSecret needs an alphabet of at least 2 characters or an encoding");
      // randomInt rejects and redraws out-of-range samples internally, so every character is equally likely
      // (no modulo bias).
      value = Array.from({ length: inputs.length }, () => chars[randomInt(chars.length)]).join("");
    }
    return { id: randomUUID(), outs: { ...inputs, value } };
  },

  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id: string, olds: RandomSecretOutputs, news: RandomSecretInputs) {
    const replaces = (["rotationKey", "length", "alphabet", "encoding"] as const).filter((key) => olds[key] !== news[key]);
    // The value lives only in state, so the replacement can be created before the old one goes.
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },

  // Only reached if a future diff reports an in-place change: keep the value, never regenerate it.
  // eslint-disable-next-line @typescript-eslint/require-await
  async update(_id: string, olds: RandomSecretOutputs, news: RandomSecretInputs) {
    return { outs: { ...news, value: olds.value } };
  },

  // Nothing exists outside the state, so there is nothing to delete.
  async delete() {},
};

/** {@link RandomSecretInputs} as resource arguments. */
export type RandomSecretArgs = InputsOf<RandomSecretInputs>;

/** A random value in state, replaced when `rotationKey`, `length`, `alphabet` or `encoding` changes. */
export class RandomSecret extends DynamicResource {
  /** The generated value; secret in state and in every output. */
  declare public readonly value: pulumi.Output<string>;
  declare public readonly rotationKey: pulumi.Output<string>;

  constructor(name: string, args: RandomSecretArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      randomSecretProvider,
      name,
      { ...args, value: undefined },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["value"] }),
      "slipway",
      "RandomSecret",
    );
  }
}
