// What every dynamic provider shares: the preview placeholder for unknown values, one serialisable error
// class, one line describing a failed fetch, and the first of several candidates that passes a check.
// Providers are serialised into the stack's state with whatever they capture from here, so nothing here
// holds a client, a secret or a module at load time.

/** Dynamic providers see values that preview cannot know yet as this placeholder (`pulumi.runtime.unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when `value` is, or contains, a value preview does not know yet. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * A failed call of a provider: one line, and the HTTP status when there was one. Subclasses pass their
 * name and declare a prototype member (`service`): Pulumi's closure serialiser rebuilds a class's
 * prototype chain only when the class has one, and without it a serialised subclass's errors are neither
 * `instanceof ProviderError` nor `instanceof Error` (test/providers/toolkit.test.ts).
 */
export class ProviderError extends Error {
  readonly status: number | undefined;

  constructor(name: string, message: string, status: number | undefined) {
    super(message);
    // In a serialised copy Error's constructor does not set the message on `this` (and `new.target` is
    // undefined, hence the explicit name); set both so the engine reports them.
    this.message = message;
    this.name = name;
    this.status = status;
  }

  /** What was called, for messages. */
  get service(): string {
    return "provider";
  }

  /** Unreachable or 5xx: a later attempt may succeed. */
  get transient(): boolean {
    return this.status === undefined || this.status >= 500;
  }

  override toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

/** `fetch failed: connect ECONNREFUSED 127.0.0.1:1`: the error and its cause, on one line. */
export function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}

/** The first of `items`, tried one after another, for which `check` resolves true; undefined when none does. */
export async function firstPassing<T>(items: readonly T[], check: (item: T) => Promise<boolean>): Promise<T | undefined> {
  for (const item of items) if (await check(item)) return item;
  return undefined;
}
