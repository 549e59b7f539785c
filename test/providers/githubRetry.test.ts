// GitHub's retry rules, table-driven: which failures are retried, after how long, and when a run gives up.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_RETRY_POLICY, RetryableResponse, decideRetry } from "../../providers/githubRetry";

const NOW = Date.UTC(2026, 10, 20, 10, 0, 0);

describe("decideRetry", () => {
  const policy = DEFAULT_RETRY_POLICY;
  const response = (status: number, headers: Record<string, string> = {}, message?: string): RetryableResponse => ({
    status,
    headers,
    message,
  });
  const rows: [string, RetryableResponse | undefined, number, ReturnType<typeof decideRetry>][] = [
    ["502 backs off from the base delay", response(502), 1, { retry: true, delayMs: 1000 }],
    ["503 doubles per attempt", response(503), 3, { retry: true, delayMs: 4000 }],
    ["500 waits at most maxDelayMs", response(500), 4, { retry: true, delayMs: 8000 }],
    ["a network error backs off like 5xx", undefined, 2, { retry: true, delayMs: 2000 }],
    ["5xx on the last attempt gives up", response(502), 5, { retry: false, reason: "gave up after 5 attempts" }],
    ["429 honours retry-after seconds", response(429, { "retry-after": "7" }), 1, { retry: true, delayMs: 7000 }],
    [
      "403 with x-ratelimit-remaining 0 waits for x-ratelimit-reset",
      response(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 30) }),
      1,
      { retry: true, delayMs: 31_000 },
    ],
    [
      "403 secondary limit without headers waits a minute",
      response(403, {}, "You have exceeded a secondary rate limit."),
      1,
      { retry: true, delayMs: 60_000 },
    ],
    ["429 without headers waits a minute", response(429), 2, { retry: true, delayMs: 60_000 }],
    [
      "403 for a permission problem fails at once",
      response(403, {}, "Resource not accessible by integration"),
      1,
      { retry: false, reason: "not retryable" },
    ],
    ["404 fails at once", response(404, {}, "Not Found"), 1, { retry: false, reason: "not retryable" }],
    ["422 fails at once", response(422), 1, { retry: false, reason: "not retryable" }],
    [
      "a rate limit resetting after maxWaitMs is reported, not waited for",
      response(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 3600) }),
      1,
      { retry: false, reason: "rate limited until 2026-11-20T11:00:01.000Z, longer than the 300s this run waits; run again after that" },
    ],
    ["a wait of exactly maxWaitMs is still waited", response(429, { "retry-after": "300" }), 1, { retry: true, delayMs: 300_000 }],
    [
      "a wait just over maxWaitMs is reported",
      response(429, { "retry-after": "301" }),
      1,
      { retry: false, reason: "rate limited until 2026-11-20T10:05:01.000Z, longer than the 300s this run waits; run again after that" },
    ],
    ["403 with retry-after alone is a rate limit", response(403, { "retry-after": "5" }), 1, { retry: true, delayMs: 5000 }],
    [
      "403 with x-ratelimit-remaining 0 alone is a rate limit",
      response(403, { "x-ratelimit-remaining": "0" }),
      1,
      { retry: true, delayMs: 60_000 },
    ],
    ["403 without headers or message fails at once", response(403), 1, { retry: false, reason: "not retryable" }],
    [
      "429 with remaining requests ignores x-ratelimit-reset",
      response(429, { "x-ratelimit-remaining": "5", "x-ratelimit-reset": String(NOW / 1000 + 30) }),
      1,
      { retry: true, delayMs: 60_000 },
    ],
    [
      "404 with rate-limit headers and message fails at once",
      response(404, { "retry-after": "5", "x-ratelimit-remaining": "0" }, "API rate limit exceeded"),
      1,
      { retry: false, reason: "not retryable" },
    ],
    ["422 mentioning a rate limit fails at once", response(422, {}, "rate limit"), 1, { retry: false, reason: "not retryable" }],
    ["retry-after with spaces around is read", response(429, { "retry-after": " 7 " }), 1, { retry: true, delayMs: 7000 }],
    ["a fractional retry-after is ignored", response(429, { "retry-after": "1.5" }), 1, { retry: true, delayMs: 60_000 }],
    ["retry-after with a unit is ignored", response(429, { "retry-after": "5s" }), 1, { retry: true, delayMs: 60_000 }],
    [
      "an HTTP-date retry-after is ignored",
      response(429, { "retry-after": "Fri, 20 Nov 2026 10:01:00 GMT" }),
      1,
      { retry: true, delayMs: 60_000 },
    ],
    [
      "a fractional x-ratelimit-reset is ignored",
      response(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": `${NOW / 1000 + 30}.5` }),
      1,
      { retry: true, delayMs: 60_000 },
    ],
    [
      "a reset already past waits one second",
      response(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 - 30) }),
      1,
      { retry: true, delayMs: 1000 },
    ],
    [
      "a rate limit on the last attempt gives up",
      response(429, { "retry-after": "1" }),
      5,
      { retry: false, reason: "gave up after 5 attempts" },
    ],
  ];
  rows.forEach(([title, given, attempt, expected], index) => {
    it(`[${index}] ${title}`, () => {
      assert.deepEqual(decideRetry(given, attempt, NOW, policy), expected);
    });
  });

  it("caps exponential backoff at maxDelayMs", () => {
    assert.deepEqual(decideRetry(response(502), 9, NOW, { ...policy, maxAttempts: 20 }), { retry: true, delayMs: 60_000 });
  });
});
