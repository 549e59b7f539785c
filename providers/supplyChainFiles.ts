// Files a release publishes beside its build output: text rendered by slipway (provenance, cosign.pub) and
// CycloneDX SBOMs read from the binaries by cyclonedx-gomod. Both are reproducible, so a file that is
// missing or changed on disk is simply written again with the same bytes.
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource } from "./dynamicResource";
import { programOutput } from "./childProcess";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
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
  /** Absolute path of the SBOM to write. */
  readonly path: string;
}

function sha256(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

function onDiskSha256(path: string): string | undefined {
  return existsSync(path) ? sha256(readFileSync(path)) : undefined;
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

/**
 * The CycloneDX SBOM of a Go binary, from its embedded build information: no serial number, no timestamp, so
 * reproducible. Runs beside the other SBOMs: every dynamic resource shares one provider process.
 */
export function binarySbom(binary: string): Promise<string> {
  return programOutput(
    cyclonedxBinary(),
    ["bin", "-json", "-noserial", "-notimestamp", binary],
    {},
    ({ error, stderr }) => new Error(`${error.message}${stderr}`),
  );
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
  async update(_id, _olds, news) {
    return { outs: { ...news, ...writeAtomically(news.path, news.content) } };
  },
  // The file is part of the build output; the published copy lives in the release.
  async delete() {},
};

export const sbomFileProvider: pulumi.dynamic.ResourceProvider<SbomFileInputs, SbomFileInputs & WrittenFile> = {
  async create(inputs) {
    return { id: inputs.path, outs: { ...inputs, ...writeAtomically(inputs.path, await binarySbom(inputs.binary)) } };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id, olds, news) {
    return diffWritten<SbomFileInputs>(olds, news, ["binary", "binarySha256", "path"]);
  },
  async update(_id, _olds, news) {
    return { outs: { ...news, ...writeAtomically(news.path, await binarySbom(news.binary)) } };
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
