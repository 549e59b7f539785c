// `slipway verify <version> --stack <s>`: checks a published release without rebuilding anything, from
// the stack's record of it: the registries over HTTP, the release directory on disk, the image binaries
// by downloading and unpacking their layers.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { canonicalJson } from "../plan/canonicalJson";
import { RegistrySettings, parseStackConfig } from "../plan/stackConfig";
import {
  CheckItem,
  RegistryObservation,
  ReleaseObservation,
  TagObservation,
  evaluateVerify,
  parseSha256Sums,
  renderChecklist,
} from "../plan/verifyChecklist";
import { parseVersion } from "../plan/version";
import { RegistryCredentials, RepositoryRef, getManifest, platformDigests, registryBaseUrl } from "../providers/registryClient";
import { planSupplyChain } from "../plan/supplyChain";
import { verifySupplyChain } from "../providers/supplyChainVerify";
import { StackOptions, openStack, rawConfig, slipwayOutputs } from "./automation";
import { CommandIo, guarded } from "./release";
import { EXIT, parseCommandArgs, versionAndStack } from "./usage";

export const VERIFY_HELP = `Usage: slipway verify <version> --stack <stack> [--json]

Checks a published release against what the stack recorded for it, without rebuilding anything:
every recorded tag resolves to the recorded digest in every registry; each image index has every planned
platform; the binary in each platform's image equals its release asset; every asset matches SHA256SUMS;
the release is published (not a draft). Prints a checklist.

Options:
  --stack <s>    the stack that published the release (required)
  --json         print the checklist as JSON
  -h, --help     show this help

Not checkable offline (reported as skipped, with the reason): ECR registries (they need AWS credentials)
and GitHub releases (they need the GitHub API).
Exit codes: 0 every check passed, 1 a check failed, 2 bad input.
`;

export interface VerifyOptions extends StackOptions {
  /** The version to verify, as released (`1.4.0` or `v1.4.0`). Required. */
  readonly version: string;
}

export interface VerifyReport {
  readonly version: string;
  readonly ok: boolean;
  readonly items: readonly CheckItem[];
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function repositoryRef(
  registry: RegistrySettings,
  imageName: string,
  credentials: RegistryCredentials | undefined,
): RepositoryRef | undefined {
  if (registry.address === undefined) return undefined;
  const slash = registry.address.indexOf("/");
  const host = slash < 0 ? registry.address : registry.address.slice(0, slash);
  const namespace = slash < 0 ? "" : `${registry.address.slice(slash + 1)}/`;
  return { registry: host, repository: `${namespace}${imageName}`, credentials };
}

async function fetchBlob(ref: RepositoryRef, digest: string): Promise<Buffer> {
  const headers: Record<string, string> = {};
  if (ref.credentials !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${ref.credentials.username}:${ref.credentials.password}`).toString("base64")}`;
  }
  const response = await fetch(`${registryBaseUrl(ref.registry)}/v2/${ref.repository}/blobs/${digest}`, {
    headers,
    signal: AbortSignal.timeout(120_000),
  });
  if (!response.ok) throw new Error(`blob ${digest}: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (`sha256:${sha256(bytes)}` !== digest) throw new Error(`blob ${digest} came back with other content`);
  return bytes;
}

function findFile(root: string, name: string): string | undefined {
  const direct = join(root, name);
  if (existsSync(direct) && statSync(direct).isFile()) return direct;
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === name) return join(entry.parentPath, entry.name);
  }
  return undefined;
}

/** Unpacks one platform's image layers (in order, with tar) and hashes the file named `executable`. */
async function imageBinarySha(ref: RepositoryRef, manifestDigest: string, executable: string): Promise<string> {
  const manifest = await getManifest(ref, manifestDigest);
  if (manifest === undefined) throw new Error(`manifest ${manifestDigest} is missing`);
  const layers = (JSON.parse(manifest.bytes.toString("utf8")) as { layers?: { digest: string; mediaType: string }[] }).layers ?? [];
  const work = mkdtempSync(join(tmpdir(), "slipway-verify-"));
  try {
    const rootfs = join(work, "rootfs");
    execFileSync("mkdir", ["-p", rootfs]);
    for (const layer of layers) {
      const file = join(work, "layer");
      writeFileSync(file, await fetchBlob(ref, layer.digest));
      execFileSync("tar", [layer.mediaType.includes("gzip") ? "-xzf" : "-xf", file, "-C", rootfs, "--no-same-owner"]);
    }
    const binary = findFile(rootfs, executable);
    if (binary === undefined) throw new Error(`the image has no file ${executable}`);
    return sha256(readFileSync(binary));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function errorOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function observeRegistry(
  registry: RegistrySettings,
  ref: RepositoryRef | undefined,
  tags: Readonly<Record<string, string>>,
  platforms: readonly string[],
  executableFor: (platform: string) => string,
): Promise<RegistryObservation> {
  const base = { name: registry.name, address: registry.address };
  if (registry.kind === "ecr" || ref === undefined) {
    return { ...base, notCheckable: "ECR needs AWS credentials, which verify does not use", tags: {}, binaries: {} };
  }
  const observed: Record<string, TagObservation> = {};
  for (const [tag] of Object.entries(tags).sort()) {
    try {
      const manifest = await getManifest(ref, tag);
      observed[tag] = manifest === undefined ? { digest: null } : { digest: manifest.digest, platforms: platformDigests(manifest) };
    } catch (error) {
      observed[tag] = { digest: null, error: errorOf(error) };
    }
  }
  const binaries: Record<string, { sha256?: string; error?: string }> = {};
  const index = [...new Set(Object.values(tags))].sort()[0];
  const indexPlatforms = Object.values(observed).find((t) => t.digest === index)?.platforms ?? {};
  for (const platform of platforms) {
    const manifest = indexPlatforms[platform];
    if (manifest === undefined) {
      binaries[platform] = { error: `the index has no ${platform} image` };
      continue;
    }
    try {
      binaries[platform] = { sha256: await imageBinarySha(ref, manifest, executableFor(platform)) };
    } catch (error) {
      binaries[platform] = { error: errorOf(error) };
    }
  }
  return { ...base, tags: observed, binaries };
}

function observeRelease(location: string, version: string, checksumsFile: string): ReleaseObservation {
  if (/^https?:\/\//.test(location)) {
    return { kind: "remote", location, notCheckable: `${location} is a GitHub release; verify reads no GitHub API` };
  }
  const exists = existsSync(location) && statSync(location).isDirectory();
  const draft = existsSync(join(dirname(location), `.draft-${basename(location) || version}`));
  const files: Record<string, string> = {};
  let sums: Record<string, string> | undefined;
  if (exists) {
    for (const name of readdirSync(location).sort()) {
      const path = join(location, name);
      if (!statSync(path).isFile()) continue;
      if (name === checksumsFile) sums = parseSha256Sums(readFileSync(path, "utf8"));
      else files[name] = sha256(readFileSync(path));
    }
  }
  return { kind: "local", directory: location, exists, draft, sums, files };
}

/** Verifies a release of a stack; the report's `ok` is false when any check failed. */
export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const version = parseVersion(options.version, "version").version;
  const stack = await openStack(options);
  const outputs = slipwayOutputs(await stack.outputs());
  const raw = await rawConfig(stack);
  const settings = parseStackConfig(raw);
  const record = outputs.releases[version];
  const plan =
    record === undefined ? settings.plan : parseStackConfig({ ...raw, values: { ...raw.values, version, commit: record.commit } }).plan;
  const platforms = plan.image.platforms;
  // The image's binary is compared with the release's: the bare binary when it is an asset, else the
  // file inside that platform's archive.
  const binaryAssets: Record<string, string> = {};
  const binaryShas: Record<string, string> = {};
  for (const platform of platforms) {
    const binary = plan.assets.binaries.find((b) => b.build === plan.image.build && b.platform === platform);
    if (binary === undefined) continue;
    if (binary.published) {
      binaryAssets[platform] = binary.file;
      continue;
    }
    const archive = plan.assets.archives.find((a) => a.binaries.includes(binary.file));
    if (archive === undefined) continue;
    const member = `${archive.directory === null ? "" : `${archive.directory}/`}${binary.executable}`;
    binaryAssets[platform] = `${archive.name}:${member}`;
    const path = record === undefined || /^https?:\/\//.test(record.location) ? undefined : join(record.location, archive.name);
    if (path !== undefined && existsSync(path)) {
      try {
        binaryShas[platform] = sha256(execFileSync("tar", ["-xOf", path, member], { maxBuffer: 1024 * 1024 * 1024 }));
      } catch {
        // An archive without the member: the check fails below as "no binary".
      }
    }
  }
  const executableFor = () => plan.image.executable;
  const registries: RegistryObservation[] = [];
  const images: { repository: string; digest: string }[] = [];
  for (const registry of settings.registries) {
    const password = registry.passwordSecret === undefined ? undefined : raw.values[registry.passwordSecret];
    const credentials = registry.username !== undefined && password !== undefined ? { username: registry.username, password } : undefined;
    const ref = repositoryRef(registry, settings.imageName, credentials);
    const digest = Object.values(record?.tags[registry.name] ?? {})[0];
    if (ref !== undefined && digest !== undefined) images.push({ repository: `${ref.registry}/${ref.repository}`, digest });
    registries.push(
      await observeRegistry(registry, ref, record?.tags[registry.name] ?? {}, record === undefined ? [] : platforms, executableFor),
    );
  }
  const release: ReleaseObservation =
    record === undefined
      ? { kind: "local", directory: "", exists: false, draft: false, sums: undefined, files: {} }
      : observeRelease(record.location, version, plan.assets.checksums.file);
  const items = evaluateVerify({
    version,
    record,
    known: Object.keys(outputs.releases),
    platforms,
    binaryAssets,
    binaryShas,
    checksumsFile: plan.assets.checksums.file,
    registries,
    release,
  });
  items.push(
    ...verifySupplyChain({
      chain: planSupplyChain(plan, settings.supplyChain),
      releaseDir: record === undefined || /^https?:\/\//.test(record.location) ? undefined : record.location,
      assets: record?.assets ?? {},
      images,
    }),
  );
  return { version, ok: items.every((i) => i.status !== "fail"), items };
}

export async function runVerify(argv: readonly string[], io: CommandIo): Promise<number> {
  return guarded(io, async () => {
    const { values, positionals } = parseCommandArgs(
      argv,
      { stack: { type: "string", short: "s" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      "verify",
    );
    if (values.help === true) {
      io.stdout(VERIFY_HELP);
      return EXIT.ok;
    }
    const { version, stack } = versionAndStack("verify", positionals, values.stack);
    const report = await verify({ stack, version, cwd: io.cwd, env: io.env });
    io.stdout(values.json === true ? `${canonicalJson(report)}\n` : renderChecklist(report.version, report.items));
    return report.ok ? EXIT.ok : EXIT.failed;
  });
}
