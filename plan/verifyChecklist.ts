// `slipway verify`: the checklist, evaluated from what the stack recorded and what was observed (by
// the CLI, over HTTP and on disk). Pure: observations in, checklist out.

import { ReleaseRecord } from "./releaseRecord";

export type CheckStatus = "pass" | "fail" | "skip";

export interface CheckItem {
  readonly id: string;
  readonly status: CheckStatus;
  readonly title: string;
  /** Why it failed or was skipped; what was found. */
  readonly detail: string;
}

/** What a registry said about one tag: its digest (null: absent) and, for an index, platform → manifest. */
export interface TagObservation {
  readonly digest: string | null;
  readonly platforms?: Readonly<Record<string, string>>;
  readonly error?: string;
}

export interface RegistryObservation {
  readonly name: string;
  readonly address: string | undefined;
  /** Why this registry cannot be checked from here (e.g. ECR needs AWS credentials); undefined when checked. */
  readonly notCheckable?: string;
  /** Tag → observation. */
  readonly tags: Readonly<Record<string, TagObservation>>;
  /** Platform → sha256 (hex) of the binary inside that platform's image, or an error. */
  readonly binaries: Readonly<Record<string, { readonly sha256?: string; readonly error?: string }>>;
}

export type ReleaseObservation =
  | {
      readonly kind: "local";
      readonly directory: string;
      readonly exists: boolean;
      /** The staging directory of an unfinished publication exists. */
      readonly draft: boolean;
      /** Parsed SHA256SUMS (name → sha256), or undefined when absent. */
      readonly sums: Readonly<Record<string, string>> | undefined;
      /** sha256 of each file in the directory (SHA256SUMS excluded). */
      readonly files: Readonly<Record<string, string>>;
    }
  | { readonly kind: "remote"; readonly location: string; readonly notCheckable: string };

export interface VerifyInput {
  readonly version: string;
  readonly record: ReleaseRecord | undefined;
  /** Versions the stack recorded, for the error when `version` is not one. */
  readonly known: readonly string[];
  /** Image platforms the plan builds (`linux/amd64`, …). */
  readonly platforms: readonly string[];
  /** Platform → the release asset holding that platform's image binary (`<archive>:<member>` inside an archive). */
  readonly binaryAssets: Readonly<Record<string, string>>;
  /** Platform → sha256 of that binary when it is inside an archive (read from the archive). Defaults to none. */
  readonly binaryShas?: Readonly<Record<string, string>>;
  /** Name of the checksums file. Defaults to `SHA256SUMS`. */
  readonly checksumsFile?: string;
  readonly registries: readonly RegistryObservation[];
  readonly release: ReleaseObservation;
}

const short = (digest: string | null | undefined) =>
  digest === null || digest === undefined ? "(none)" : digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;

/** Parses `sha256sum` output: `<64 hex>  <name>` (or ` *<name>` for binary mode). */
export function parseSha256Sums(text: string): Record<string, string> {
  const sums: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trimEnd());
    if (match?.[1] !== undefined && match[2] !== undefined) sums[match[2]] = match[1];
  }
  return sums;
}

function byName<T>(entries: [string, T][]): [string, T][] {
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function evaluateVerify(input: VerifyInput): CheckItem[] {
  const items: CheckItem[] = [];
  const record = input.record;
  if (record === undefined) {
    return [
      {
        id: "record",
        status: "fail",
        title: `the stack recorded release ${input.version}`,
        detail: input.known.length === 0 ? "the stack has recorded no release" : `recorded: ${[...input.known].sort().join(", ")}`,
      },
    ];
  }
  items.push({ id: "record", status: "pass", title: `the stack recorded release ${input.version}`, detail: `commit ${record.commit}` });

  for (const [registryName, tags] of byName(Object.entries(record.tags))) {
    const seen = input.registries.find((r) => r.name === registryName);
    for (const [tag, expected] of byName(Object.entries(tags))) {
      const id = `tag:${registryName}:${tag}`;
      const title = `${registryName} ${tag} → ${short(expected)}`;
      if (seen === undefined) {
        items.push({ id, status: "fail", title, detail: `registry ${registryName} is no longer configured on the stack` });
        continue;
      }
      if (seen.notCheckable !== undefined) {
        items.push({ id, status: "skip", title, detail: seen.notCheckable });
        continue;
      }
      const observed = seen.tags[tag];
      if (observed?.error !== undefined) items.push({ id, status: "fail", title, detail: observed.error });
      else if (observed?.digest === expected)
        items.push({ id, status: "pass", title, detail: `${seen.address ?? registryName} serves ${expected}` });
      else items.push({ id, status: "fail", title, detail: `${seen.address ?? registryName} serves ${observed?.digest ?? "no such tag"}` });
    }
    if (seen === undefined || seen.notCheckable !== undefined) continue;
    // Every tag of a release names the same index; check its platforms and each platform's binary once.
    const digests = [...new Set(Object.values(tags))].sort();
    for (const digest of digests) {
      const observed = Object.values(seen.tags).find((t) => t.digest === digest && t.platforms !== undefined);
      const id = `platforms:${registryName}:${digest}`;
      const title = `${registryName} index ${short(digest)} has ${input.platforms.join(", ")}`;
      if (observed?.platforms === undefined) {
        items.push({ id, status: "fail", title, detail: "the index could not be read" });
        continue;
      }
      const missing = input.platforms.filter((p) => observed.platforms?.[p] === undefined);
      items.push(
        missing.length === 0
          ? { id, status: "pass", title, detail: `platforms: ${Object.keys(observed.platforms).sort().join(", ")}` }
          : { id, status: "fail", title, detail: `missing ${missing.join(", ")}` },
      );
    }
    for (const platform of input.platforms) {
      const asset = input.binaryAssets[platform];
      const id = `binary:${registryName}:${platform}`;
      const title = `${registryName} ${platform} image binary = ${asset ?? "(no asset)"}`;
      const binary = seen.binaries[platform];
      const expected = asset === undefined ? undefined : (input.binaryShas?.[platform] ?? record.assets[asset]);
      if (asset === undefined || expected === undefined)
        items.push({ id, status: "fail", title, detail: `the release has no binary asset for ${platform}` });
      else if (binary?.sha256 === undefined) items.push({ id, status: "fail", title, detail: binary?.error ?? "the image was not read" });
      else if (binary.sha256 === expected) items.push({ id, status: "pass", title, detail: `sha256 ${binary.sha256}` });
      else items.push({ id, status: "fail", title, detail: `the image holds sha256 ${binary.sha256}, the asset is ${expected}` });
    }
  }

  const release = input.release;
  if (release.kind === "remote") {
    items.push({ id: "published", status: "skip", title: `release ${input.version} is published`, detail: release.notCheckable });
    for (const [name] of byName(Object.entries(record.assets))) {
      items.push({ id: `asset:${name}`, status: "skip", title: `${name} matches SHA256SUMS`, detail: release.notCheckable });
    }
    return items;
  }
  const published = release.exists && !release.draft;
  items.push({
    id: "published",
    status: published ? "pass" : "fail",
    title: `release ${input.version} is published`,
    detail: !release.exists
      ? `${release.directory} does not exist`
      : release.draft
        ? "an unfinished draft of it exists"
        : release.directory,
  });
  const sumsFile = input.checksumsFile ?? "SHA256SUMS";
  const expectedNames = Object.keys(record.assets).filter((n) => n !== sumsFile);
  for (const [name, recorded] of byName(Object.entries(record.assets))) {
    if (name === sumsFile) continue;
    const id = `asset:${name}`;
    const title = `${name} matches ${sumsFile}`;
    const listed = release.sums?.[name];
    const actual = release.files[name];
    if (!release.exists) items.push({ id, status: "fail", title, detail: "the release directory does not exist" });
    else if (actual === undefined) items.push({ id, status: "fail", title, detail: `${name} is missing from ${release.directory}` });
    else if (release.sums === undefined) items.push({ id, status: "fail", title, detail: `${sumsFile} is missing` });
    else if (listed === undefined) items.push({ id, status: "fail", title, detail: `${sumsFile} does not list it` });
    else if (actual !== listed)
      items.push({ id, status: "fail", title, detail: `${name} hashes to ${actual}, ${sumsFile} says ${listed}` });
    else if (actual !== recorded)
      items.push({ id, status: "fail", title, detail: `${name} hashes to ${actual}, the stack recorded ${recorded}` });
    else items.push({ id, status: "pass", title, detail: `sha256 ${actual}` });
  }
  if (release.exists) {
    const extra = Object.keys(release.sums ?? {})
      .filter((n) => !expectedNames.includes(n))
      .sort();
    items.push({
      id: "sums-complete",
      status: extra.length === 0 && release.sums !== undefined ? "pass" : "fail",
      title: `${sumsFile} lists exactly the recorded assets`,
      detail:
        release.sums === undefined
          ? `${sumsFile} is missing`
          : extra.length === 0
            ? `${Object.keys(release.sums).length} entries`
            : `unexpected: ${extra.join(", ")}`,
    });
  }
  return items;
}

const MARK: Record<CheckStatus, string> = { pass: "[ok]  ", fail: "[FAIL]", skip: "[skip]" };

export function renderChecklist(version: string, items: readonly CheckItem[]): string {
  const failed = items.filter((i) => i.status === "fail").length;
  const skipped = items.filter((i) => i.status === "skip").length;
  const lines = items.map((i) => `${MARK[i.status]} ${i.title}${i.detail === "" ? "" : `: ${i.detail}`}`);
  const verdict =
    failed === 0 ? `verified: ${items.length - skipped} checks passed` : `NOT verified: ${failed} of ${items.length} checks failed`;
  return `slipway verify ${version}\n${lines.join("\n")}\n${verdict}${skipped > 0 ? `, ${skipped} not checkable here` : ""}\n`;
}
