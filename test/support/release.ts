import { ReleaseInput } from "../../plan/releasePlan";

export const COMMIT = "5a8b7c3d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b";
export const OTHER_COMMIT = "0123456789abcdef0123456789abcdef01234567";
export const COMMIT_TIME = "2026-11-20T10:00:00Z";

/** A release input with every required field, for tests to override. */
export function releaseInput(overrides: Partial<ReleaseInput> = {}): ReleaseInput {
  return { name: "hello", version: "1.4.0", commit: COMMIT, commitTime: COMMIT_TIME, ...overrides };
}

/** A linux/amd64 release of two programs: `hello` (the module root, the image's) and `helper` (./cmd/helper). */
export function twoBuildsInput(): ReleaseInput {
  return releaseInput({
    platforms: ["linux/amd64"],
    builds: [
      { id: "hello", main: "." },
      { id: "helper", main: "./cmd/helper" },
    ],
  });
}

/** Published entries for versions released from some other, unrelated commit. */
export function publishedAt(...versions: string[]): string[] {
  return versions.map((v) => `${v}@${OTHER_COMMIT}`);
}
