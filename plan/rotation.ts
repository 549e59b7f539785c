import { SlipwayInputError, showValue } from "./errors";

/**
 * Deterministic secret rotation (pulumi.md §4.2). A stack's policy is an explicit `generation` (bump it by
 * one in a reviewed one-line config change to rotate) and/or `rotationDays` (rotate when a window of that
 * many UTC days, counted from the Unix epoch, begins). `generation` is the recommended default: with
 * `rotationDays` the plan depends on the day it is made, so the same commit can preview differently on
 * different days.
 */
export interface RotationPolicy {
  /** Whole number ≥ 1; a bump by one rotates every secret. Defaults to 1. */
  readonly generation?: number | undefined;
  /** Whole number ≥ 1; secrets also rotate when a new window of this many UTC days begins. Defaults to unset (no time-based rotation). */
  readonly rotationDays?: number | undefined;
}

/** A policy plus the clock it is evaluated against; the clock is read only when `rotationDays` is set. */
export interface RotationInput extends RotationPolicy {
  readonly now: () => Date;
}

/** The two credential slots; a rotation replaces one of them, alternately. */
export const SLOTS = ["a", "b"] as const;
export type Slot = (typeof SLOTS)[number];

export interface SlotKeys {
  /** Rotation key of slot a; the slot's value is replaced exactly when it changes. */
  readonly a: string;
  /** Rotation key of slot b. */
  readonly b: string;
  /** The slot rotated last: hand its value out. */
  readonly current: Slot;
  /** The other slot: still valid, so consumers holding it keep working until the next rotation. */
  readonly previous: Slot;
  /** Rotation step: `generation`, plus the window number when `rotationDays` is set. */
  readonly step: number;
}

export const DEFAULT_GENERATION = 1;
const DAY_MS = 86_400_000;

/** Name of the stack setting that holds the policy, for error messages. */
const SETTING = "rotation";

const GENERATION_FIX = "start at 1 and bump by one to rotate, e.g. pulumi config set --path slipway:rotation.generation 2";
const DAYS_FIX = "use a number of days such as 90, or unset it and rotate by bumping slipway:rotation.generation";

/**
 * The one rule for `rotation.generation` and `rotation.rotationDays`, for the stack's settings
 * (plan/stackConfig.ts) and for StackSecrets' arguments alike: a whole number of at least 1.
 */
export function checkRotationNumber(value: unknown, field: "generation" | "rotationDays"): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new SlipwayInputError(
      `${SETTING}.${field}`,
      value,
      "must be a whole number of at least 1",
      field === "generation" ? GENERATION_FIX : DAYS_FIX,
    );
  }
  return value;
}

/** Validates a policy and applies its defaults; throws {@link SlipwayInputError} naming the bad field. */
export function resolveRotationPolicy(policy: RotationPolicy): { readonly generation: number; readonly rotationDays: number | undefined } {
  return {
    generation: policy.generation === undefined ? DEFAULT_GENERATION : checkRotationNumber(policy.generation, "generation"),
    rotationDays: policy.rotationDays === undefined ? undefined : checkRotationNumber(policy.rotationDays, "rotationDays"),
  };
}

interface Window {
  /** Window number: UTC days since the epoch divided by `rotationDays`, rounded down. */
  readonly index: number;
  /** First UTC day of the window, `YYYY-MM-DD`. */
  readonly start: string;
}

function currentWindow(rotationDays: number, now: () => Date): Window {
  const instant = now();
  const time = instant instanceof Date ? instant.getTime() : Number.NaN;
  // A broken clock is a programming error, not a setting: fail loudly rather than rotate on garbage.
  if (!Number.isFinite(time) || time < 0) {
    throw new Error(`rotation clock returned ${showValue(instant)}; it must return a valid Date at or after 1970-01-01`);
  }
  // Date#getTime counts UTC milliseconds without leap seconds, so every UTC day is exactly DAY_MS long.
  const index = Math.floor(Math.floor(time / DAY_MS) / rotationDays);
  return { index, start: new Date(index * rotationDays * DAY_MS).toISOString().slice(0, 10) };
}

/**
 * A stable key for the secrets' current state: `g<generation>`, or `g<generation>-w<first day of the
 * window>` with `rotationDays`. It changes exactly when a rotation is due: a generation change, or the clock
 * entering a new window. Use it as the rotation input of a single secret.
 */
export function rotationKey(input: RotationInput): string {
  const { generation, rotationDays } = resolveRotationPolicy(input);
  if (rotationDays === undefined) return `g${generation}`;
  return `g${generation}-w${currentWindow(rotationDays, input.now).start}`;
}

/** Slot that holds rotation step `step`: odd steps go to `a`, even steps to `b`, so generation 1 starts in `a`. */
export function slotOfStep(step: number): Slot {
  return step % 2 === 1 ? "a" : "b";
}

/**
 * Two overlapping slots. Each rotation step `s` (generation, plus the window number with `rotationDays`)
 * rewrites only the slot of `s`; the other slot keeps the key of step `s - 1`, so the credential handed out
 * before the rotation stays valid until the next one. The keys depend on the step alone, never on how it
 * was reached, so a bump of the generation and a new window are the same kind of step.
 *
 * A change of more than one step between two deployments (generation bumped by 2, or two window
 * boundaries passed) rewrites both slots, and so does a change of `rotationDays`, which is part of every
 * slot key: then the previous credential stops working at once.
 */
export function slotKeys(input: RotationInput): SlotKeys {
  const { generation, rotationDays } = resolveRotationPolicy(input);
  const step = generation + (rotationDays === undefined ? 0 : currentWindow(rotationDays, input.now).index);
  const keyOf = (s: number) => (rotationDays === undefined ? `r${s}` : `r${s}-d${rotationDays}`);
  const [newest, older] = [keyOf(step), keyOf(step - 1)];
  return slotOfStep(step) === "a"
    ? { a: newest, b: older, current: "a", previous: "b", step }
    : { a: older, b: newest, current: "b", previous: "a", step };
}

/** Refuses slot keys that cannot have come from {@link slotKeys}: both slots must differ in key and role. */
export function checkSlotKeys(owner: string, slots: SlotKeys): void {
  if (slots.a === slots.b || slots.current === slots.previous) {
    throw new SlipwayInputError(
      `${owner}.slots`,
      slots,
      "the two slots must have distinct keys and roles",
      "pass the result of slotKeys()",
    );
  }
}

/** One line for the deployment log; keys only, never values. */
export function describeSlots(name: string, slots: SlotKeys): string {
  return `${name}: slot ${slots.current} is current (${slots[slots.current]}), slot ${slots.previous} stays valid (${slots[slots.previous]})`;
}

/** GitHub Actions secret that carries the Athens basic-auth password. */
export const ATHENS_PASSWORD_SECRET = "SLIPWAY_ATHENS_PASSWORD";

export type CiRegistryKind = "ecr" | "local" | "external";

/** A registry with the names derived from it. */
export interface NamedRegistry<R> {
  readonly registry: R;
  /** The registry's name as it appears in resource names: lower case, every run of other characters as `-`. */
  readonly slug: string;
  /** Start of its GitHub Actions secret names: `SLIPWAY_REGISTRY_<NAME>`. */
  readonly secretPrefix: string;
}

/**
 * Names each registry's resources and GitHub Actions secrets after its name: upper-cased with every run of
 * other characters as `_` for secrets (GitHub allows only `[A-Z0-9_]`), lower-cased with `-` for resources.
 * Two registries that map to the same name are refused rather than overwriting each other's secrets.
 */
export function nameRegistries<R extends { readonly name: string; readonly kind: CiRegistryKind }>(
  registries: readonly R[],
): NamedRegistry<R>[] {
  const seen = new Map<string, string>();
  return registries.map((registry, index) => {
    const token = registry.name
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "");
    const key = `registries[${index}].name`;
    if (token === "") {
      throw new SlipwayInputError(
        key,
        registry.name,
        "has no letter or digit to name its CI secrets after",
        "use a name such as ecr or ghcr.io",
      );
    }
    const clash = seen.get(token);
    if (clash !== undefined) {
      throw new SlipwayInputError(
        key,
        registry.name,
        `its CI secrets would have the same names as those of registry ${showValue(clash)} (SLIPWAY_REGISTRY_${token}_…)`,
        "give the registries names that differ in letters or digits",
      );
    }
    seen.set(token, registry.name);
    return { registry, slug: token.toLowerCase().replace(/_/g, "-"), secretPrefix: `SLIPWAY_REGISTRY_${token}` };
  });
}

/** GitHub Actions secrets that deliver an ECR registry's current access key pair. */
export function ecrSecretNames(named: Pick<NamedRegistry<unknown>, "secretPrefix">): {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
} {
  return { accessKeyId: `${named.secretPrefix}_AWS_ACCESS_KEY_ID`, secretAccessKey: `${named.secretPrefix}_AWS_SECRET_ACCESS_KEY` };
}

/** GitHub Actions secret that delivers a password registry's current password. */
export function passwordSecretName(named: Pick<NamedRegistry<unknown>, "secretPrefix">): string {
  return `${named.secretPrefix}_PASSWORD`;
}
