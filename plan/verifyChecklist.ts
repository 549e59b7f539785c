// `slipway verify`: the checklist, evaluated from what the stack recorded and what was observed (by
// the CLI, over HTTP and on disk). Pure: observations in, checklist out.

import { byteOrder } from "./assets";
import { SlipwayInputError } from "./errors";
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
  /** Why this registry could not be checked (e.g. no ECR authorization token); undefined when it was. */
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
  | {
      readonly kind: "github";
      readonly location: string;
      /** The exact-version tag the release must have (`v1.4.0`). */
      readonly tag: string;
      /** Why GitHub could not be asked (unreachable, refused); undefined when it answered. */
      readonly notCheckable?: string;
      /** The release with that tag (drafts included); undefined when there is none. */
      readonly release?: { readonly tagName: string; readonly draft: boolean; readonly htmlUrl: string };
      /** Asset name → GitHub's digest (`sha256:<hex>`, null when it recorded none) and upload state. */
      readonly assets: Readonly<Record<string, { readonly digest: string | null; readonly state: string }>>;
    };

/** The `--allow-unchecked` name of the GitHub release checks; a registry's checks go by the registry's name. */
export const GITHUB_RELEASE_CHECK = "github-release";

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
  /** Platform → why the binary its image is compared with could not be read. Defaults to none. */
  readonly binaryNotCheckable?: Readonly<Record<string, string>>;
  /** Name of the checksums file. Defaults to `SHA256SUMS`. */
  readonly checksumsFile?: string;
  /** Assets the checksums file does not list (the supply chain's: its bundle, keys, SBOMs, provenance), compared with the record only. Defaults to none. */
  readonly unsummed?: readonly string[];
  readonly registries: readonly RegistryObservation[];
  readonly release: ReleaseObservation;
  /** Checks that may go unchecked (registry names, {@link GITHUB_RELEASE_CHECK}): skipped instead of failed. Defaults to none. */
  readonly allowUnchecked?: readonly string[];
}

/**
 * Refuses an `--allow-unchecked` name that names no check of this stack (`checks`: its registries, taps and
 * supply chain; the GitHub release is always one): a misspelt name would otherwise
 * leave the check it meant failing, or worse, a later rename would silently stop allowing anything.
 */
export function checkAllowUnchecked(names: readonly string[], checks: readonly string[]): void {
  const known = [...checks, GITHUB_RELEASE_CHECK];
  for (const name of names) {
    if (!known.includes(name))
      throw new SlipwayInputError("allowUnchecked", name, "names no check of this stack", `use one of ${known.join(", ")}`);
  }
}

/** A check that could not run: a failure unless its name is allowed to go unchecked. */
function unchecked(input: VerifyInput, name: string, id: string, title: string, reason: string): CheckItem {
  return (input.allowUnchecked ?? []).includes(name)
    ? { id, status: "skip", title, detail: `not checked (--allow-unchecked ${name}): ${reason}` }
    : { id, status: "fail", title, detail: `cannot be checked: ${reason}; --allow-unchecked ${name} accepts that` };
}

const short = (digest: string) => (digest.length > 19 ? `${digest.slice(0, 19)}…` : digest);

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
  return entries.sort(([a], [b]) => byteOrder(a, b));
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
        items.push(unchecked(input, registryName, id, title, seen.notCheckable));
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
      const notCheckable = input.binaryNotCheckable?.[platform];
      if (notCheckable !== undefined) items.push(unchecked(input, GITHUB_RELEASE_CHECK, id, title, notCheckable));
      else if (asset === undefined || expected === undefined)
        items.push({ id, status: "fail", title, detail: `the release has no binary asset for ${platform}` });
      else if (binary?.sha256 === undefined) items.push({ id, status: "fail", title, detail: binary?.error ?? "the image was not read" });
      else if (binary.sha256 === expected) items.push({ id, status: "pass", title, detail: `sha256 ${binary.sha256}` });
      else items.push({ id, status: "fail", title, detail: `the image holds sha256 ${binary.sha256}, the asset is ${expected}` });
    }
  }

  const release = input.release;
  if (release.kind === "github") {
    items.push(...githubItems(input, record, release));
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
  const unsummed = input.unsummed ?? [];
  const expectedNames = Object.keys(record.assets).filter((n) => n !== sumsFile && !unsummed.includes(n));
  for (const [name, recorded] of byName(Object.entries(record.assets))) {
    if (name === sumsFile) continue;
    const id = `asset:${name}`;
    if (unsummed.includes(name)) {
      items.push(unsummedItem(id, name, recorded, release));
      continue;
    }
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

/** An asset outside the checksums file: on disk with the sha256 the stack recorded. */
function unsummedItem(id: string, name: string, recorded: string, release: Extract<ReleaseObservation, { kind: "local" }>): CheckItem {
  const title = `${name} matches the stack's record`;
  const actual = release.files[name];
  if (!release.exists) return { id, status: "fail", title, detail: "the release directory does not exist" };
  if (actual === undefined) return { id, status: "fail", title, detail: `${name} is missing from ${release.directory}` };
  if (actual !== recorded) return { id, status: "fail", title, detail: `${name} hashes to ${actual}, the stack recorded ${recorded}` };
  return { id, status: "pass", title, detail: `sha256 ${actual}` };
}

function githubItems(input: VerifyInput, record: ReleaseRecord, release: Extract<ReleaseObservation, { kind: "github" }>): CheckItem[] {
  const items: CheckItem[] = [];
  const tagTitle = `GitHub release of ${input.version} has the tag ${release.tag}`;
  const publishedTitle = `release ${input.version} is published`;
  const assets = byName(Object.entries(record.assets));
  const assetTitle = (name: string, sha: string) => `${name} is a release asset with sha256 ${sha}`;
  if (release.notCheckable !== undefined) {
    const reason = release.notCheckable;
    items.push(unchecked(input, GITHUB_RELEASE_CHECK, "release-tag", tagTitle, reason));
    items.push(unchecked(input, GITHUB_RELEASE_CHECK, "published", publishedTitle, reason));
    for (const [name, sha] of assets) items.push(unchecked(input, GITHUB_RELEASE_CHECK, `asset:${name}`, assetTitle(name, sha), reason));
    return items;
  }
  const found = release.release;
  items.push(
    found === undefined
      ? { id: "release-tag", status: "fail", title: tagTitle, detail: `no release has the tag ${release.tag}` }
      : { id: "release-tag", status: "pass", title: tagTitle, detail: found.htmlUrl },
  );
  items.push(
    found === undefined || found.draft
      ? { id: "published", status: "fail", title: publishedTitle, detail: found === undefined ? "there is no release" : "it is a draft" }
      : { id: "published", status: "pass", title: publishedTitle, detail: found.htmlUrl },
  );
  for (const [name, sha] of assets) {
    const id = `asset:${name}`;
    const title = assetTitle(name, sha);
    const asset = release.assets[name];
    if (found === undefined || asset === undefined) items.push({ id, status: "fail", title, detail: "the release has no such asset" });
    else if (asset.state !== "uploaded") items.push({ id, status: "fail", title, detail: `its upload is unfinished (${asset.state})` });
    else if (asset.digest === null) items.push({ id, status: "fail", title, detail: "GitHub recorded no digest for it" });
    else if (asset.digest !== `sha256:${sha}`) items.push({ id, status: "fail", title, detail: `GitHub holds ${asset.digest}` });
    else items.push({ id, status: "pass", title, detail: asset.digest });
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
  return `slipway verify ${version}\n${lines.join("\n")}\n${verdict}${skipped > 0 ? `, ${skipped} left unchecked as allowed` : ""}\n`;
}
