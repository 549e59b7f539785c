import { SlipwayInputError } from "./errors";

export interface CommitTime {
  /** UTC, whole seconds: `2026-11-20T10:00:00Z`. */
  readonly iso: string;
  /** Seconds since the epoch, the value of SOURCE_DATE_EPOCH. */
  readonly epoch: number;
}

const ISO_8601_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Commit time with an explicit zone; the plan never reads the wall clock. */
export function parseCommitTime(text: unknown, key: string): CommitTime {
  const fix = "give an ISO 8601 time with a zone, e.g. 2026-11-20T10:00:00Z (git show -s --format=%cI <commit>)";
  if (text === undefined) throw new SlipwayInputError(key, text, "the commit time is required", fix);
  const match = typeof text === "string" ? ISO_8601_WITH_ZONE.exec(text) : null;
  if (typeof text !== "string" || match === null) {
    throw new SlipwayInputError(key, text, "not an ISO 8601 time with a zone", fix);
  }
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const millis = Date.parse(text);
  const check = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 0, hour, minute, second));
  const calendarValid =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() + 1 === month &&
    check.getUTCDate() === day &&
    check.getUTCHours() === hour &&
    check.getUTCMinutes() === minute &&
    check.getUTCSeconds() === second;
  if (Number.isNaN(millis) || !calendarValid) {
    throw new SlipwayInputError(key, text, "not a real calendar time", fix);
  }
  const epoch = Math.floor(millis / 1000);
  if (epoch < 0) {
    throw new SlipwayInputError(key, text, "before 1970, which SOURCE_DATE_EPOCH cannot express", fix);
  }
  return { epoch, iso: new Date(epoch * 1000).toISOString().replace(".000Z", "Z") };
}

const COMMIT = /^[0-9a-fA-F]{40}$/;

export function parseCommit(text: unknown, key: string): string {
  if (text === undefined) {
    throw new SlipwayInputError(key, text, "the commit is required", "give the full sha, e.g. from git rev-parse HEAD");
  }
  if (typeof text !== "string" || !COMMIT.test(text)) {
    throw new SlipwayInputError(key, text, "not a full commit sha (40 hex digits)", "give the full sha, e.g. from git rev-parse HEAD");
  }
  return text.toLowerCase();
}

export interface ImageMetadataInput {
  readonly name: string;
  readonly version: string;
  readonly commit: string;
  readonly commitTime: CommitTime;
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  readonly source?: string | undefined;
  readonly licenses?: string | undefined;
}

export interface ImageMetadata {
  /** OCI image labels (image config) and, with the same keys, the annotations for manifests and the index. */
  readonly labels: Readonly<Record<string, string>>;
  /** Build arguments every image build gets; none is secret. */
  readonly buildArgs: Readonly<Record<string, string>>;
}

export function planImageMetadata(input: ImageMetadataInput): ImageMetadata {
  const labels: Record<string, string> = {
    "org.opencontainers.image.created": input.commitTime.iso,
    "org.opencontainers.image.revision": input.commit,
    "org.opencontainers.image.title": input.title ?? input.name,
    "org.opencontainers.image.version": input.version,
  };
  if (input.description !== undefined) labels["org.opencontainers.image.description"] = input.description;
  if (input.source !== undefined) labels["org.opencontainers.image.source"] = input.source;
  if (input.licenses !== undefined) labels["org.opencontainers.image.licenses"] = input.licenses;
  return {
    labels,
    buildArgs: {
      COMMIT: input.commit,
      SOURCE_DATE_EPOCH: String(input.commitTime.epoch),
      VERSION: input.version,
    },
  };
}

const SOURCE_URL = /^https:\/\/[^\s/]+\/\S+$/;

export function checkSourceUrl(text: unknown, key: string): string {
  if (typeof text !== "string" || !SOURCE_URL.test(text)) {
    throw new SlipwayInputError(key, text, "not an https URL of the source repository", "e.g. https://github.com/acme/hello");
  }
  return text;
}

const SPDX_EXPRESSION = /^[A-Za-z0-9.+\-() ]+$/;

export function checkLicenses(text: unknown, key: string): string {
  if (typeof text !== "string" || !SPDX_EXPRESSION.test(text) || text.trim() !== text) {
    throw new SlipwayInputError(key, text, "not an SPDX license expression", "e.g. Apache-2.0 or MIT OR Apache-2.0");
  }
  return text;
}
