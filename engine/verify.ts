// Verifying a release without rebuilding anything, from the stack's record of it: the registries (ECR
// with a GetAuthorizationToken login) over HTTP, the GitHub release through its API or the release
// directory on disk, the image binaries by downloading and unpacking their layers.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { ReleaseRecord } from "../plan/releaseRecord";
import { RawStackConfig, RegistrySettings, StackSettings, parseStackConfig } from "../plan/stackConfig";
import {
  CheckItem,
  RegistryObservation,
  ReleaseObservation,
  TagObservation,
  checkAllowUnchecked,
  evaluateVerify,
  parseSha256Sums,
} from "../plan/verifyChecklist";
import { parseVersion } from "../plan/version";
import { SupplyChainPlan, planSupplyChain, workflowIdentityPattern } from "../plan/supplyChain";
import { SUPPLY_CHAIN_CHECK, VerifiedImage, supplyChainFiles, verifySupplyChain } from "../providers/supplyChainVerify";
import { RegistryCredentials, RepositoryRef, getBlob, getManifest, imagePlatforms } from "../providers/registryClient";
import { engineEnvironment } from "./environment";
import { StackOptions, openStack, rawConfig, slipwayOutputs } from "./stack";
import { channelChecks } from "./verifyChannels";
import { EcrAuthorizationSource, awsCliEcrAuthorization, ecrRepositoryRef, observeGithubRelease } from "./verifyRemote";

/** Where verify reaches what it cannot find in the stack. */
export interface VerifySources {
  /** ECR GetAuthorizationToken for a region. Defaults to the aws CLI (`aws ecr get-authorization-token`). */
  readonly ecrAuthorization?: EcrAuthorizationSource;
  /** GitHub's REST API root. Defaults to `https://api.github.com`. */
  readonly githubApiUrl?: string;
  /** Environment the checks run cosign and go in. Defaults to this process's; `verify` gives the toolchain's PATH. */
  readonly toolEnv?: NodeJS.ProcessEnv;
}

export interface VerifyOptions extends StackOptions, VerifySources {
  /** The version to verify, as released (`1.4.0` or `v1.4.0`). Required. */
  readonly version: string;
  /** Names of checks that may go unchecked (a registry's name, `github-release`) instead of failing. Defaults to none. */
  readonly allowUnchecked?: readonly string[];
}

/** What verify needs from the stack: its settings and the releases it recorded. */
export interface RecordedStack {
  readonly raw: RawStackConfig;
  /** The project, which local taps are relative to. Defaults to unset (local taps go unchecked). */
  readonly projectDir?: string;
  readonly releases: Readonly<Record<string, ReleaseRecord>>;
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
      writeFileSync(file, await getBlob(ref, layer.digest));
      execFileSync("tar", [layer.mediaType.includes("gzip") ? "-xzf" : "-xf", file, "-C", rootfs, "--no-same-owner"]);
    }
    const binary = findFile(rootfs, executable);
    if (binary === undefined) throw new Error(`the image has no file ${executable}`);
    return sha256(readFileSync(binary));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The bytes of `member` inside an archive (tar.gz, tar.xz or zip, by the archive's name). */
function archiveMember(archive: Buffer, name: string, member: string): Buffer {
  const work = mkdtempSync(join(tmpdir(), "slipway-verify-"));
  try {
    const file = join(work, basename(name));
    writeFileSync(file, archive);
    const maxBuffer = 1024 * 1024 * 1024;
    return name.endsWith(".zip")
      ? execFileSync("unzip", ["-p", file, member], { maxBuffer })
      : execFileSync("tar", ["-xOf", file, member], { maxBuffer, stdio: ["ignore", "pipe", "pipe"] });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function errorOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function observeRegistry(
  registry: RegistrySettings,
  /** Where to read it, or why it cannot be read. */
  ref: RepositoryRef | string,
  tags: Readonly<Record<string, string>>,
  platforms: readonly string[],
  executableFor: (platform: string) => string,
): Promise<RegistryObservation> {
  const base = { name: registry.name, address: registry.address ?? (typeof ref === "string" ? undefined : ref.registry) };
  if (typeof ref === "string") return { ...base, notCheckable: ref, tags: {}, binaries: {} };
  const observed: Record<string, TagObservation> = {};
  for (const [tag] of Object.entries(tags).sort()) {
    try {
      const manifest = await getManifest(ref, tag);
      observed[tag] =
        manifest === undefined ? { digest: null } : { digest: manifest.digest, platforms: await imagePlatforms(ref, manifest) };
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

function observeLocalRelease(location: string, version: string, checksumsFile: string): ReleaseObservation {
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

/**
 * The supply-chain checks on the release's files: the local directory as it is, a GitHub release's files
 * downloaded into a scratch directory first (a file that is not there fails its check).
 */
async function supplyChainChecks(
  chain: SupplyChainPlan,
  release: ReleaseObservation,
  record: ReleaseRecord | undefined,
  readAsset: (name: string) => Promise<Buffer>,
  images: readonly VerifiedImage[],
  options: Pick<VerifyOptions, "allowUnchecked" | "toolEnv"> & { readonly keylessIdentity: string | undefined },
): Promise<CheckItem[]> {
  const base = {
    chain,
    assets: record?.assets ?? {},
    images,
    allowUnchecked: options.allowUnchecked,
    toolEnv: options.toolEnv,
    keylessIdentity: options.keylessIdentity,
  };
  if (release.kind === "local") return verifySupplyChain({ ...base, releaseDir: record === undefined ? undefined : record.location });
  if (release.notCheckable !== undefined || chain.assets.length === 0) {
    return verifySupplyChain({
      ...base,
      releaseDir: undefined,
      unreadable: `the GitHub release cannot be read: ${release.notCheckable ?? ""}`,
    });
  }
  const dir = mkdtempSync(join(tmpdir(), "slipway-verify-chain-"));
  try {
    for (const name of supplyChainFiles(chain)) {
      if (release.assets[name] === undefined) continue;
      try {
        writeFileSync(join(dir, name), await readAsset(name));
      } catch {
        // Not downloaded: the check that reads it fails as missing.
      }
    }
    return await verifySupplyChain({ ...base, releaseDir: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Verifies a release of a stack; the report's `ok` is false when any check failed. */
export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const version = parseVersion(options.version, "version").version;
  const stack = await openStack(options);
  const outputs = slipwayOutputs(await stack.outputs());
  // The checks run the toolchain's cosign and go, as the release did: a user's shell need not have them on PATH.
  const toolEnv = options.toolEnv ?? {
    ...process.env,
    PATH: engineEnvironment(options.projectDir, options.env ?? process.env).PATH ?? process.env.PATH,
  };
  return verifyRecorded(
    { raw: await rawConfig(stack), releases: outputs.releases, projectDir: options.projectDir },
    { ...options, version, toolEnv },
  );
}

async function registryRef(
  registry: RegistrySettings,
  settings: StackSettings,
  raw: RawStackConfig,
  ecrAuthorization: EcrAuthorizationSource,
): Promise<RepositoryRef | string> {
  if (registry.kind === "ecr") {
    try {
      return ecrRepositoryRef(await ecrAuthorization(registry.region ?? ""), settings.imageName);
    } catch (error) {
      return `no ECR authorization token: ${errorOf(error)}`;
    }
  }
  const password = registry.passwordSecret === undefined ? undefined : raw.values[registry.passwordSecret];
  const credentials = registry.username !== undefined && password !== undefined ? { username: registry.username, password } : undefined;
  return repositoryRef(registry, settings.imageName, credentials) ?? `registry ${registry.name} has no address`;
}

/** Verifies `options.version` against a stack's settings and records (what {@link verify} reads from the stack). */
export async function verifyRecorded(stack: RecordedStack, options: Omit<VerifyOptions, keyof StackOptions>): Promise<VerifyReport> {
  const version = parseVersion(options.version, "version").version;
  const { raw, releases } = stack;
  const settings = parseStackConfig(raw);
  const record = releases[version];
  const recorded =
    record === undefined ? settings : parseStackConfig({ ...raw, values: { ...raw.values, version, commit: record.commit } });
  const plan = recorded.plan;
  const platforms = plan.image.platforms;
  const chain = planSupplyChain(plan, settings.supplyChain);
  checkAllowUnchecked(options.allowUnchecked ?? [], [
    ...settings.registries.map((r) => r.name),
    ...(settings.channels.homebrew === undefined ? [] : ["homebrew"]),
    ...(settings.channels.scoop === undefined ? [] : ["scoop"]),
    ...(chain.assets.length > 0 || chain.signIndex ? [SUPPLY_CHAIN_CHECK] : []),
  ]);
  // The image's binary is compared with the release's: the bare binary when it is an asset, else the
  // file inside that platform's archive (read from the release directory or downloaded from GitHub).
  const binaryAssets: Record<string, string> = {};
  const inArchive: Record<string, { readonly archive: string; readonly member: string }> = {};
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
    inArchive[platform] = { archive: archive.name, member };
  }
  const executableFor = () => plan.image.executable;
  const registries: RegistryObservation[] = [];
  const images: VerifiedImage[] = [];
  for (const registry of settings.registries) {
    const ref = await registryRef(registry, settings, raw, options.ecrAuthorization ?? awsCliEcrAuthorization);
    const digest = Object.values(record?.tags[registry.name] ?? {})[0];
    if (typeof ref !== "string" && digest !== undefined)
      images.push({ repository: `${ref.registry}/${ref.repository}`, digest, credentials: ref.credentials });
    registries.push(
      await observeRegistry(registry, ref, record?.tags[registry.name] ?? {}, record === undefined ? [] : platforms, executableFor),
    );
  }
  let release: ReleaseObservation = { kind: "local", directory: "", exists: false, draft: false, sums: undefined, files: {} };
  let readAsset: (name: string) => Promise<Buffer> = (name) => Promise.reject(new Error(`no release to read ${name} from`));
  const onGithub = record !== undefined && /^https?:\/\//.test(record.location);
  if (record !== undefined && onGithub) {
    const github = settings.github;
    if (github === undefined) {
      release = {
        kind: "github",
        location: record.location,
        tag: `v${version}`,
        assets: {},
        notCheckable: "the stack has no slipway:github",
      };
    } else {
      const observed = await observeGithubRelease(record.location, {
        apiUrl: options.githubApiUrl ?? "https://api.github.com",
        owner: github.owner,
        repo: github.repo,
        token: raw.values[github.tokenSecret],
        tag: `v${version}`,
      });
      release = observed.observation;
      readAsset = observed.download;
    }
  } else if (record !== undefined) {
    release = observeLocalRelease(record.location, version, plan.assets.checksums.file);
    readAsset = (name) => Promise.resolve(readFileSync(join(record.location, name)));
  }
  const binaryShas: Record<string, string> = {};
  const binaryNotCheckable: Record<string, string> = {};
  for (const [platform, { archive, member }] of Object.entries(inArchive)) {
    if (record === undefined) continue;
    let bytes: Buffer;
    try {
      bytes = await readAsset(archive);
    } catch (error) {
      // A missing local archive fails below as "no binary"; a download that failed is a check that could not run.
      if (onGithub) binaryNotCheckable[platform] = `${archive} could not be downloaded from GitHub: ${errorOf(error)}`;
      continue;
    }
    try {
      binaryShas[platform] = sha256(archiveMember(bytes, archive, member));
    } catch {
      // An archive without the member: the check fails below as "no binary".
    }
  }
  const items = evaluateVerify({
    version,
    record,
    known: Object.keys(releases),
    platforms,
    binaryAssets,
    binaryShas,
    checksumsFile: plan.assets.checksums.file,
    registries,
    release,
    binaryNotCheckable,
    allowUnchecked: options.allowUnchecked,
    unsummed: chain.assets,
  });
  items.push(...channelChecks(recorded, release, stack.projectDir, options.allowUnchecked));
  const github = recorded.github;
  const keylessIdentity = github === undefined ? undefined : workflowIdentityPattern(github.owner, github.repo);
  items.push(...(await supplyChainChecks(chain, release, record, readAsset, images, { ...options, keylessIdentity })));
  return { version, ok: items.every((i) => i.status !== "fail"), items };
}
