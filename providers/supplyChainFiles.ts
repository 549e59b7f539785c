// Files a release publishes beside its build output: text rendered by slipway (provenance, cosign.pub) and
// CycloneDX SBOMs read from the binaries by cyclonedx-gomod. Both are reproducible, so a file that is
// missing or changed on disk is simply written again with the same bytes. A new build whose build
// information is the previous one's (a source change, no module or setting changed) gets the SBOM the tool
// would write, made from the previous SBOM: only the binary's name and hashes differ.
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource } from "./dynamicResource";
import { findOnPath, programOutput } from "./childProcess";
import { statKey } from "./goBuild";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { InputsOf } from "./inputs";

export interface WrittenFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export interface TextFileInputs {
  /** Absolute path to write. */
  readonly path: string;
  readonly content: string;
}

export interface SbomFileInputs {
  /** Absolute path of the Go binary. */
  readonly binary: string;
  /** sha256 of the binary: a new binary makes a new SBOM. */
  readonly binarySha256: string;
  /** The binary's GOOS: cyclonedx-gomod names it in every package URL, and takes it from `go env`. */
  readonly goos: string;
  /** The binary's GOARCH, likewise. */
  readonly goarch: string;
  /** Absolute path of the SBOM to write. */
  readonly path: string;
}

export interface SbomFileOutputs extends SbomFileInputs, WrittenFile {
  /** The cyclonedx-gomod that wrote it: its real path and {@link statKey}. Absent when it was not found. */
  readonly tool?: string;
  /** sha256 of the binary's build information as `go version -m` prints it. Absent when go could not read it. */
  readonly buildInfo?: string;
}

function sha256(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

function readIfPresent(path: string): Buffer | undefined {
  return existsSync(path) ? readFileSync(path) : undefined;
}

function onDiskSha256(path: string): string | undefined {
  const content = readIfPresent(path);
  return content === undefined ? undefined : sha256(content);
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
export function writeAtomically(path: string, content: string): WrittenFile {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.partial`, content);
  renameSync(`${path}.partial`, path);
  return { path, sha256: sha256(content), size: Buffer.byteLength(content) };
}

/** The cyclonedx-gomod binary: `SLIPWAY_CYCLONEDX_GOMOD`, else `cyclonedx-gomod` on PATH. */
export function cyclonedxBinary(): string {
  return process.env.SLIPWAY_CYCLONEDX_GOMOD ?? "cyclonedx-gomod";
}

/** The cyclonedx-gomod {@link binarySbom} runs, as its real path and {@link statKey}; undefined when it is not found. */
export function cyclonedxIdentity(): string | undefined {
  const binary = cyclonedxBinary();
  const path = binary.includes("/") ? binary : findOnPath(binary, process.env.PATH);
  if (path === undefined) return undefined;
  try {
    const real = realpathSync(path);
    const key = statKey(real);
    return key === undefined ? undefined : `${real}:${key}`;
  } catch {
    return undefined;
  }
}

/**
 * The CycloneDX SBOM of a Go binary, from its embedded build information: no serial number, no timestamp, so
 * reproducible. cyclonedx-gomod writes `go env`'s GOOS and GOARCH into every package URL, so it runs with the
 * binary's; one whose URLs name another platform (e.g. `go env` failed) is an error. Runs beside the other
 * SBOMs: every dynamic resource shares one provider process.
 */
export async function binarySbom(binary: string, goos: string, goarch: string): Promise<string> {
  const sbom = await programOutput(
    cyclonedxBinary(),
    ["bin", "-json", "-noserial", "-notimestamp", binary],
    { env: { ...process.env, GOOS: goos, GOARCH: goarch, GOTOOLCHAIN: "local" } },
    ({ error, stderr }) => new Error(`${error.message}${stderr}`),
  );
  const purl = mainPackageUrl(sbom);
  if (!purl.includes(`?goarch=${goarch}&goos=${goos}&`)) {
    throw new Error(
      `cyclonedx-gomod wrote the package URL ${purl || "(none)"} for ${basename(binary)}, a ${goos}/${goarch} binary; ` +
        "it takes the platform from `go env`: check that go is on PATH and that GOFLAGS and GOENV are valid",
    );
  }
  return sbom;
}

function mainPackageUrl(sbom: string): string {
  try {
    const document = JSON.parse(sbom) as { metadata?: { component?: { purl?: unknown } } };
    const purl = document.metadata?.component?.purl;
    return typeof purl === "string" ? purl : "";
  } catch {
    return "";
  }
}

/** sha256 of the binary's build information (`go version -m`, without the file's name); undefined when go cannot read it. */
export async function buildInfoDigest(binary: string): Promise<string | undefined> {
  try {
    const printed = await programOutput(
      "go",
      ["version", "-m", binary],
      { env: { ...process.env, GOTOOLCHAIN: "local" } },
      ({ error }) => error,
    );
    const prefix = `${binary}: `;
    return printed.startsWith(prefix) ? sha256(printed.slice(prefix.length)) : undefined;
  } catch {
    return undefined;
  }
}

/** The properties cyclonedx-gomod derives from the binary's bytes and name, and how to compute each. */
const BINARY_PROPERTIES: readonly [string, (name: string, content: Buffer) => string][] = [
  ["cdx:gomod:binary:hash:MD5", (_, content) => createHash("md5").update(content).digest("hex")],
  ["cdx:gomod:binary:hash:SHA-1", (_, content) => createHash("sha1").update(content).digest("hex")],
  ["cdx:gomod:binary:hash:SHA-256", (_, content) => createHash("sha256").update(content).digest("hex")],
  ["cdx:gomod:binary:hash:SHA-384", (_, content) => createHash("sha384").update(content).digest("hex")],
  ["cdx:gomod:binary:hash:SHA-512", (_, content) => createHash("sha512").update(content).digest("hex")],
  ["cdx:gomod:binary:name", (name) => name],
];

/**
 * The SBOM cyclonedx-gomod writes for the binary `name` with `content`, made from `previous`, its SBOM of a
 * binary with the same build information, by replacing the binary's name and hashes. Undefined when
 * `previous` does not hold each of them exactly once, or the name needs escaping in JSON.
 */
export function rebindSbom(previous: string, name: string, content: Buffer): string | undefined {
  if (!/^[A-Za-z0-9._+-]+$/.test(name)) return undefined;
  let properties: unknown;
  try {
    properties = (JSON.parse(previous) as { metadata?: { properties?: unknown } }).metadata?.properties;
  } catch {
    return undefined;
  }
  if (!Array.isArray(properties)) return undefined;
  const replacements: { at: number; from: string; to: string }[] = [];
  for (const [property, compute] of BINARY_PROPERTIES) {
    const matching = (properties as { name?: unknown; value?: unknown }[]).filter((p) => p.name === property);
    const value = matching[0]?.value;
    if (matching.length !== 1 || typeof value !== "string") return undefined;
    const from = `"value": ${JSON.stringify(value)}`;
    const at = previous.indexOf(from);
    if (at < 0 || previous.indexOf(from, at + 1) >= 0) return undefined;
    replacements.push({ at, from, to: `"value": "${compute(name, content)}"` });
  }
  return replacements
    .sort((a, b) => b.at - a.at)
    .reduce((text, { at, from, to }) => text.slice(0, at) + to + text.slice(at + from.length), previous);
}

/** Module paths (`path@version`) an SBOM lists as components. */
export function sbomModules(sbom: string): string[] {
  const document = JSON.parse(sbom) as { components?: { name?: string; version?: string }[] };
  return (document.components ?? []).map((c) => `${c.name ?? ""}@${c.version ?? ""}`).sort();
}

function diffWritten<T extends object>(olds: T & WrittenFile, news: T, keys: readonly (keyof T)[]) {
  const changed = keys.some((key) => olds[key] !== news[key]);
  return { changes: changed || onDiskSha256(olds.path) !== olds.sha256, replaces: [], deleteBeforeReplace: false };
}

export const textFileProvider: pulumi.dynamic.ResourceProvider<TextFileInputs, TextFileInputs & WrittenFile> = {
  // eslint-disable-next-line @typescript-eslint/require-await
  async create(inputs) {
    return { id: inputs.path, outs: { ...inputs, ...writeAtomically(inputs.path, inputs.content) } };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id, olds, news) {
    return diffWritten<TextFileInputs>(olds, news, ["path", "content"]);
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async update(_id, olds, news) {
    const outs = { ...news, ...writeAtomically(news.path, news.content) };
    removeMoved(olds, news);
    return { outs };
  },
  // The file is part of the build output; the published copy lives in the release.
  async delete() {},
};

/** The file at `path` when its bytes are the ones recorded, else undefined. */
function recordedText(path: string, recordedSha256: string): string | undefined {
  const content = readIfPresent(path);
  return content !== undefined && sha256(content) === recordedSha256 ? content.toString("utf8") : undefined;
}

async function writeSbom(news: SbomFileInputs, previous: SbomFileOutputs | undefined): Promise<SbomFileOutputs> {
  const [tool, buildInfo] = [cyclonedxIdentity(), await buildInfoDigest(news.binary)];
  let sbom: string | undefined;
  const sameBuild =
    previous !== undefined &&
    tool !== undefined &&
    buildInfo !== undefined &&
    previous.tool === tool &&
    previous.buildInfo === buildInfo &&
    previous.goos === news.goos &&
    previous.goarch === news.goarch;
  if (sameBuild) {
    const text = recordedText(previous.path, previous.sha256);
    if (text !== undefined) sbom = rebindSbom(text, basename(news.binary), readFileSync(news.binary));
  }
  sbom ??= await binarySbom(news.binary, news.goos, news.goarch);
  return { ...news, ...writeAtomically(news.path, sbom), tool, buildInfo };
}

/** A file written for a release that is now written elsewhere (the next version's name) is removed. */
function removeMoved(olds: { path: string }, news: { path: string }): void {
  if (olds.path !== news.path) rmSync(olds.path, { force: true });
}

export const sbomFileProvider: pulumi.dynamic.ResourceProvider<SbomFileInputs, SbomFileOutputs> = {
  async create(inputs) {
    return { id: inputs.path, outs: await writeSbom(inputs, undefined) };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id, olds, news) {
    return diffWritten<SbomFileInputs>(olds, news, ["binary", "binarySha256", "goos", "goarch", "path"]);
  },
  async update(_id, olds, news) {
    const outs = await writeSbom(news, olds);
    removeMoved(olds, news);
    return { outs };
  },
  async delete() {},
};

/** A text file slipway renders (provenance, public keys), kept written. */
export class TextFile extends DynamicResource {
  declare public readonly path: pulumi.Output<string>;
  declare public readonly sha256: pulumi.Output<string>;
  declare public readonly size: pulumi.Output<number>;

  constructor(name: string, args: InputsOf<TextFileInputs>, opts?: pulumi.CustomResourceOptions) {
    super(textFileProvider, name, { ...args, sha256: undefined, size: undefined }, opts, "slipway", "TextFile");
  }
}

/** The CycloneDX SBOM of one release binary. */
export class SbomFile extends DynamicResource {
  declare public readonly path: pulumi.Output<string>;
  declare public readonly sha256: pulumi.Output<string>;
  declare public readonly size: pulumi.Output<number>;

  constructor(name: string, args: InputsOf<SbomFileInputs>, opts?: pulumi.CustomResourceOptions) {
    super(sbomFileProvider, name, { ...args, sha256: undefined, size: undefined }, opts, "slipway", "SbomFile");
  }
}
