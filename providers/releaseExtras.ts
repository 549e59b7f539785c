// The release files built after the Go build: Linux packages (nfpm), rendered files such as install.sh,
// and the checksums file over everything. Built into a staging directory and moved into place whole.
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource } from "./dynamicResource";
import { lastLines, programOutput } from "./childProcess";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { byteOrder } from "../plan/assets";
import { BuiltFile } from "./goBuild";
import { InputsOf } from "./inputs";

export interface ExtraPackage {
  /** Release asset name. */
  readonly name: string;
  /** nfpm's packager: deb, rpm, apk, archlinux. */
  readonly format: string;
  /** The nfpm configuration (plan/nfpmConfig.ts); its staged files are in {@link stagingDirectory}. */
  readonly config: string;
}

export interface ReleaseExtrasInputs {
  /** The nfpm binary. */
  readonly nfpm: string;
  readonly outputDir: string;
  readonly commitEpoch: number;
  readonly packages: readonly ExtraPackage[];
  /** Files staged for the packages, with the commit time: the scripts as `<kind>` and `stagedPackageFiles`. */
  readonly staged: Readonly<Record<string, string>>;
  /** Content hash of the module files the packages carry, so that editing one rebuilds them. */
  readonly sourcesHash: string;
  /** Files written as given: asset name → content. */
  readonly texts: Readonly<Record<string, string>>;
  /** The Go build's checksums file, whose lines the new one keeps. */
  readonly baseChecksums: BuiltFile;
  readonly checksumsFile: string;
}

export interface ReleaseExtrasOutputs extends ReleaseExtrasInputs {
  /** The new files by asset name, the checksums file over all release files included. */
  readonly files: Record<string, BuiltFile>;
}

/** Where scripts and the packages' own files are staged; nfpmConfig's `stagingDir`. */
export function stagingDirectory(outputDir: string): string {
  return join(outputDir, "staged");
}

function sha256Of(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

async function nfpm(binary: string, args: string[], env: Record<string, string>): Promise<void> {
  await programOutput(
    binary,
    args,
    { env, timeoutMs: 10 * 60 * 1000, maxBuffer: 16 * 1024 * 1024 },
    ({ error, stderr }) => new Error(`nfpm ${args.join(" ")}: ${lastLines(stderr, 4) || error.message}`),
  );
}

/** Checksum lines of the base file plus the new files, in byte order of the names (as `sha256sum` of a sorted glob). */
export function mergeChecksums(base: string, added: Readonly<Record<string, string>>): string {
  const lines = new Map<string, string>();
  for (const line of base.split(/\r?\n/)) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match !== null) lines.set(match[2] as string, match[1] as string);
  }
  for (const [name, digest] of Object.entries(added)) lines.set(name, digest);
  return [...lines.keys()]
    .sort(byteOrder)
    .map((name) => `${lines.get(name) as string}  ${name}\n`)
    .join("");
}

export async function buildReleaseExtras(inputs: ReleaseExtrasInputs): Promise<ReleaseExtrasOutputs> {
  if (sha256Of(inputs.baseChecksums.path) !== inputs.baseChecksums.sha256) {
    throw new Error(`${inputs.baseChecksums.path} changed since the build; run pulumi up again to rebuild`);
  }
  const staging = `${inputs.outputDir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  let digests: Record<string, string>;
  try {
    digests = await buildInto(inputs, staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const published = join(inputs.outputDir, "files");
  rmSync(published, { recursive: true, force: true });
  mkdirSync(inputs.outputDir, { recursive: true });
  renameSync(staging, published);
  const files: Record<string, BuiltFile> = {};
  for (const [name, sha256] of Object.entries(digests)) {
    const path = join(published, name);
    files[name] = { path, sha256, size: readFileSync(path).length };
  }
  return { ...inputs, files };
}

/** Builds every package, text and the checksums file into `staging`; their digests by file name. */
async function buildInto(inputs: ReleaseExtrasInputs, staging: string): Promise<Record<string, string>> {
  mkdirSync(staging, { recursive: true });
  // The configs name the final scripts directory, so scripts are staged there directly.
  const stagingDir = stagingDirectory(inputs.outputDir);
  rmSync(stagingDir, { recursive: true, force: true });
  mkdirSync(stagingDir, { recursive: true });
  for (const [name, content] of Object.entries(inputs.staged)) {
    writeFileSync(join(stagingDir, name), content, { mode: 0o644 });
    utimesSync(join(stagingDir, name), inputs.commitEpoch, inputs.commitEpoch);
  }
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", SOURCE_DATE_EPOCH: String(inputs.commitEpoch), HOME: staging };
  const digests: Record<string, string> = {};
  for (const pkg of inputs.packages) {
    const config = join(staging, `.${pkg.name}.yaml`);
    writeFileSync(config, pkg.config);
    await nfpm(inputs.nfpm, ["package", "--config", config, "--packager", pkg.format, "--target", join(staging, pkg.name)], env);
    rmSync(config);
  }
  for (const [name, content] of Object.entries(inputs.texts)) writeFileSync(join(staging, name), content, { mode: 0o644 });
  for (const name of [...inputs.packages.map((p) => p.name), ...Object.keys(inputs.texts)]) {
    utimesSync(join(staging, name), inputs.commitEpoch, inputs.commitEpoch);
    digests[name] = sha256Of(join(staging, name));
  }
  const checksums = join(staging, inputs.checksumsFile);
  writeFileSync(checksums, mergeChecksums(readFileSync(inputs.baseChecksums.path, "utf8"), digests), { mode: 0o644 });
  utimesSync(checksums, inputs.commitEpoch, inputs.commitEpoch);
  digests[inputs.checksumsFile] = sha256Of(checksums);
  return digests;
}

function intact(outputs: ReleaseExtrasOutputs): boolean {
  return Object.values(outputs.files ?? {}).every((f) => existsSync(f.path) && sha256Of(f.path) === f.sha256);
}

const INPUT_KEYS: readonly (keyof ReleaseExtrasInputs)[] = [
  "nfpm",
  "outputDir",
  "commitEpoch",
  "packages",
  "staged",
  "sourcesHash",
  "texts",
  "baseChecksums",
  "checksumsFile",
];

export const releaseExtrasProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ReleaseExtrasInputs) {
    return { id: inputs.outputDir, outs: await buildReleaseExtras(inputs) };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id: string, olds: ReleaseExtrasOutputs, news: ReleaseExtrasInputs) {
    const changed = INPUT_KEYS.filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
    if (changed.length === 0 && !intact(olds)) changed.push("files" as never);
    return { changes: changed.length > 0, replaces: [], stables: [] };
  },
  async update(_id: string, _olds: ReleaseExtrasOutputs, news: ReleaseExtrasInputs) {
    return { outs: await buildReleaseExtras(news) };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async delete(_id: string, props: ReleaseExtrasOutputs) {
    rmSync(props.outputDir, { recursive: true, force: true });
  },
};

/** Linux packages, rendered files and the checksums file over every release file. */
export class ReleaseExtras extends DynamicResource {
  declare public readonly files: pulumi.Output<Record<string, BuiltFile>>;

  constructor(name: string, args: InputsOf<ReleaseExtrasInputs>, opts?: pulumi.CustomResourceOptions) {
    super(releaseExtrasProvider, name, { ...args, files: undefined }, opts, "slipway", "ReleaseExtras");
  }
}
