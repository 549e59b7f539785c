// When to retry a GitHub call: GitHub's rate-limit guidance and exponential backoff, pure (the time and
// the response are given), so githubApi.ts's requests and the tests share one rule.

/** How hard to try. Waits grow as `baseDelayMs · 2^(attempt-1)`, each capped at `maxDelayMs`. */
export interface RetryPolicy {
  /** Attempts per request, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A rate limit that resets later than this is reported at once instead of being waited out. */
  readonly maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxWaitMs: 5 * 60_000,
};

/** Time, injectable so that tests neither sleep nor depend on the wall clock. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** What the caller knows about a response it may retry. */
export interface RetryableResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** GitHub's error message, when the body had one. */
  readonly message: string | undefined;
}

/** The verdict on one failed attempt: wait and try again, or stop with a reason. */
export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false; readonly reason: string };

/**
 * Decides whether and when to retry after `attempt` (1-based) failed with `response` (undefined for a
 * network error). Follows GitHub's guidance for rate limits: `retry-after` seconds when given; the
 * `x-ratelimit-reset` time when `x-ratelimit-remaining` is 0; otherwise at least a minute for a
 * secondary limit. 5xx and network errors back off exponentially. Other statuses are not retried.
 */
export function decideRetry(response: RetryableResponse | undefined, attempt: number, now: number, policy: RetryPolicy): RetryDecision {
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  let delayMs: number;
  if (response === undefined || response.status >= 500) {
    delayMs = backoff;
  } else if (isRateLimited(response)) {
    const retryAfter = parseSeconds(response.headers["retry-after"]);
    const reset = parseSeconds(response.headers["x-ratelimit-reset"]);
    if (retryAfter !== undefined) {
      delayMs = retryAfter * 1000;
    } else if (response.headers["x-ratelimit-remaining"] === "0" && reset !== undefined) {
      // One more second: the reset time is whole seconds and clocks differ a little.
      delayMs = Math.max(0, reset * 1000 - now) + 1000;
    } else {
      delayMs = Math.max(60_000, backoff);
    }
    if (delayMs > policy.maxWaitMs) {
      const until = new Date(now + delayMs).toISOString();
      return {
        retry: false,
        reason: `rate limited until ${until}, longer than the ${policy.maxWaitMs / 1000}s this run waits; run again after that`,
      };
    }
  } else {
    return { retry: false, reason: "not retryable" };
  }
  if (attempt >= policy.maxAttempts) return { retry: false, reason: `gave up after ${attempt} attempts` };
  return { retry: true, delayMs };
}

/** 429 always; 403 only when it is a (primary or secondary) rate limit, not a permission problem. */
function isRateLimited(response: RetryableResponse): boolean {
  if (response.status === 429) return true;
  if (response.status !== 403) return false;
  return (
    response.headers["retry-after"] !== undefined ||
    response.headers["x-ratelimit-remaining"] === "0" ||
    /rate limit/i.test(response.message ?? "")
  );
}

function parseSeconds(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}
