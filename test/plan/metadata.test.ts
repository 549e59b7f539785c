import { describe } from "node:test";
import { checkLicenses, checkSourceUrl, parseCommit, parseCommitTime, planImageMetadata } from "../../plan/metadata";
import { itRefusesEach, itReturnsEach } from "../support/inputTables";

const TIME_FIX = "fix: give an ISO 8601 time with a zone, e.g. 2026-11-20T10:00:00Z (git show -s --format=%cI <commit>)";
const COMMIT_FIX = "fix: give the full sha, e.g. from git rev-parse HEAD";
const SHA = "5a8b7c3d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b";

describe("parseCommitTime", () => {
  itReturnsEach([
    ["UTC", () => parseCommitTime("2026-11-20T10:00:00Z", "commitTime"), { epoch: 1795168800, iso: "2026-11-20T10:00:00Z" }],
    [
      "an offset, normalised to UTC",
      () => parseCommitTime("2026-11-20T12:30:00+02:00", "t"),
      { epoch: 1795170600, iso: "2026-11-20T10:30:00Z" },
    ],
    [
      "a negative offset across midnight",
      () => parseCommitTime("2026-11-19T23:00:00-01:00", "t"),
      { epoch: 1795132800, iso: "2026-11-20T00:00:00Z" },
    ],
    [
      "fractions of a second cut to whole seconds",
      () => parseCommitTime("2026-02-28T23:59:59.999Z", "t"),
      { epoch: 1772323199, iso: "2026-02-28T23:59:59Z" },
    ],
    ["a leap day", () => parseCommitTime("2028-02-29T00:00:00Z", "t"), { epoch: 1835395200, iso: "2028-02-29T00:00:00Z" }],
    ["the epoch itself", () => parseCommitTime("1970-01-01T00:00:00Z", "t"), { epoch: 0, iso: "1970-01-01T00:00:00Z" }],
  ]);

  const refusals: [string, unknown, string][] = [
    ["no zone", "2026-11-20T10:00:00", "not an ISO 8601 time with a zone"],
    ["a space for the T", "2026-11-20 10:00:00Z", "not an ISO 8601 time with a zone"],
    ["text before", "x2026-11-20T10:00:00Z", "not an ISO 8601 time with a zone"],
    ["text after", "2026-11-20T10:00:00Zx", "not an ISO 8601 time with a zone"],
    ["an offset without a colon", "2026-11-20T10:00:00+0200", "not an ISO 8601 time with a zone"],
    ["a number", 1795168800, "not an ISO 8601 time with a zone"],
    ["February 30th", "2026-02-30T10:00:00Z", "not a real calendar time"],
    ["November 31st", "2026-11-31T10:00:00Z", "not a real calendar time"],
    ["February 29th of a common year", "2026-02-29T10:00:00Z", "not a real calendar time"],
    ["hour 24", "2026-11-20T24:00:00Z", "not a real calendar time"],
    ["month 13", "2026-13-01T10:00:00Z", "not a real calendar time"],
    ["minute 60", "2026-11-20T10:60:00Z", "not a real calendar time"],
    ["an offset of 24 hours", "2026-11-20T10:00:00+24:00", "not a real calendar time"],
    ["a year below 100 (Date.UTC reads it as 19xx)", "0050-06-01T00:00:00Z", "not a real calendar time"],
    ["one second before 1970", "1969-12-31T23:59:59Z", "before 1970, which SOURCE_DATE_EPOCH cannot express"],
    ["1970 in a zone east of UTC", "1970-01-01T00:30:00+01:00", "before 1970, which SOURCE_DATE_EPOCH cannot express"],
  ];
  itRefusesEach([
    {
      title: "no commit time",
      run: () => parseCommitTime(undefined, "commitTime"),
      message: `slipway:commitTime = (unset): the commit time is required; ${TIME_FIX}`,
    },
    ...refusals.map(([title, text, problem]) => ({
      title,
      run: () => parseCommitTime(text, "commitTime"),
      message: `slipway:commitTime = ${JSON.stringify(text)}: ${problem}; ${TIME_FIX}`,
    })),
  ]);
});

describe("parseCommit", () => {
  itReturnsEach([
    ["a lower-case sha", () => parseCommit(SHA, "commit"), SHA],
    ["an upper-case sha, lowered", () => parseCommit(SHA.toUpperCase(), "commit"), SHA],
  ]);
  const notSha = (value: unknown) => `slipway:commit = ${JSON.stringify(value)}: not a full commit sha (40 hex digits); ${COMMIT_FIX}`;
  itRefusesEach([
    {
      title: "no commit",
      run: () => parseCommit(undefined, "commit"),
      message: `slipway:commit = (unset): the commit is required; ${COMMIT_FIX}`,
    },
    { title: "a short sha", run: () => parseCommit(SHA.slice(0, 7), "commit"), message: notSha(SHA.slice(0, 7)) },
    { title: "39 digits", run: () => parseCommit(SHA.slice(1), "commit"), message: notSha(SHA.slice(1)) },
    { title: "41 digits", run: () => parseCommit(`${SHA}0`, "commit"), message: notSha(`${SHA}0`) },
    { title: "a letter after f", run: () => parseCommit(`g${SHA.slice(1)}`, "commit"), message: notSha(`g${SHA.slice(1)}`) },
    { title: "text before", run: () => parseCommit(` ${SHA}`, "commit"), message: notSha(` ${SHA}`) },
    { title: "a number", run: () => parseCommit(5, "commit"), message: notSha(5) },
    { title: "an object that prints as a sha", run: () => parseCommit({ toString: () => SHA }, "commit"), message: notSha({}) },
  ]);
});

describe("planImageMetadata", () => {
  const base = { name: "hello", version: "1.4.0", commit: SHA, commitTime: { iso: "2026-11-20T10:00:00Z", epoch: 1795168800 } };
  const buildArgs = { COMMIT: SHA, SOURCE_DATE_EPOCH: "1795168800", VERSION: "1.4.0" };
  itReturnsEach([
    [
      "the required labels, titled by the name",
      () => planImageMetadata(base),
      {
        labels: {
          "org.opencontainers.image.created": "2026-11-20T10:00:00Z",
          "org.opencontainers.image.revision": SHA,
          "org.opencontainers.image.title": "hello",
          "org.opencontainers.image.version": "1.4.0",
        },
        buildArgs,
      },
    ],
    [
      "every optional label",
      () =>
        planImageMetadata({ ...base, title: "Hello", description: "says hello", source: "https://github.com/acme/hello", licenses: "MIT" }),
      {
        labels: {
          "org.opencontainers.image.created": "2026-11-20T10:00:00Z",
          "org.opencontainers.image.revision": SHA,
          "org.opencontainers.image.title": "Hello",
          "org.opencontainers.image.version": "1.4.0",
          "org.opencontainers.image.description": "says hello",
          "org.opencontainers.image.source": "https://github.com/acme/hello",
          "org.opencontainers.image.licenses": "MIT",
        },
        buildArgs,
      },
    ],
  ]);
});

describe("checkSourceUrl and checkLicenses", () => {
  itReturnsEach([
    ["an https repository URL", () => checkSourceUrl("https://github.com/acme/hello", "source"), "https://github.com/acme/hello"],
    ["an SPDX expression with OR and parentheses", () => checkLicenses("(MIT OR Apache-2.0)", "licenses"), "(MIT OR Apache-2.0)"],
    ["an SPDX id with a plus and a dot", () => checkLicenses("GPL-2.0+", "licenses"), "GPL-2.0+"],
  ]);
  const badUrl = (value: unknown) =>
    `slipway:source = ${JSON.stringify(value)}: not an https URL of the source repository; fix: e.g. https://github.com/acme/hello`;
  const badSpdx = (value: unknown) =>
    `slipway:licenses = ${JSON.stringify(value)}: not an SPDX license expression; fix: e.g. Apache-2.0 or MIT OR Apache-2.0`;
  itRefusesEach([
    {
      title: "an object that prints as a URL",
      run: () => checkSourceUrl({ toString: () => "https://github.com/acme/hello" }, "source"),
      message: badUrl({}),
    },
    ...[
      "http://github.com/acme/hello",
      "https://github.com",
      "https://github.com/",
      "https:///acme",
      " https://github.com/acme",
      "https://github.com/acme hello",
      7,
    ].map((value) => ({ title: `source ${JSON.stringify(value)}`, run: () => checkSourceUrl(value, "source"), message: badUrl(value) })),
    ...["", " MIT", "MIT ", "MIT/X11", "MIT\nOR Apache-2.0", 7].map((value) => ({
      title: `licenses ${JSON.stringify(value)}`,
      run: () => checkLicenses(value, "licenses"),
      message: badSpdx(value),
    })),
  ]);
});
