import { AWS_REGION } from "./aws";
import { planBaseImage } from "./baseImage";
import { ChannelSettings, parseTaps, planChannels } from "./channels";
import { SlipwayInputError } from "./errors";
import { rejectUnknownFields } from "./fields";
import { DEFAULT_GENERATION, checkRotationNumber } from "./rotation";
import { AthensSettings, parseAthensSettings } from "./athensSettings";
import { SETTINGS, SettingName, closest } from "./settings";
import { PublishedInput, ReleaseInput, ReleasePlan, planRelease } from "./releasePlan";
import { planCacheRepository } from "./registry";
import { SupplyChainSettings, parseSupplyChainSettings } from "./supplyChain";

/** Where a setting's value comes from: the stack's `slipway:*` config, already read, not yet trusted. */
export interface RawStackConfig {
  /** Values keyed without the `slipway:` prefix; structured settings arrive as JSON text, as Pulumi stores them. */
  readonly values: Readonly<Record<string, string>>;
  /** Keys (without prefix) whose values are stored as secrets. */
  readonly secretKeys: ReadonlySet<string>;
  /** The Pulumi project name, the default program name. */
  readonly project: string;
}

export const REGISTRY_KINDS = ["ecr", "external", "local"] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

export interface RegistrySettings {
  /** Stable logical name, used in resource names: `ecr`, `ghcr.io`, … Defaults to the address's host or the kind. */
  readonly name: string;
  readonly kind: RegistryKind;
  /** `host[:port][/namespace]` for external and local registries; unset for ECR (AWS assigns it). */
  readonly address: string | undefined;
  /** AWS region, ECR only. */
  readonly region: string | undefined;
  /** Login user, external registries only. */
  readonly username: string | undefined;
  /** Setting that holds the password or token as a secret, external registries only. */
  readonly passwordSecret: string | undefined;
}

export interface GithubSettings {
  readonly owner: string;
  readonly repo: string;
  /** Setting that holds the GitHub token as a secret. */
  readonly tokenSecret: string;
}

export interface BuildSettings {
  /** Relative to the project unless absolute. */
  readonly module: string;
  /** Unset: slipway's own recipe. */
  readonly dockerfile: string | undefined;
  readonly baseImage: string | undefined;
  readonly builder: string | undefined;
  readonly buildDir: string;
  readonly releaseDir: string;
  readonly changelog: string;
  readonly requireReleaseNotes: boolean;
}

export interface RotationSettings {
  readonly generation: number;
  readonly rotationDays: number | undefined;
}

export interface StackSettings {
  readonly release: ReleaseInput;
  readonly plan: ReleasePlan;
  readonly imageName: string;
  /** Repository of the build cache in the first registry (`<imageName>-cache`); undefined: no cache. */
  readonly cacheRepository: string | undefined;
  readonly registries: readonly RegistrySettings[];
  readonly github: GithubSettings | undefined;
  readonly build: BuildSettings;
  readonly athens: AthensSettings;
  readonly rotation: RotationSettings;
  /** Packages, taps, install.sh and the release notes' settings. */
  readonly channels: ChannelSettings;
  /** What the release signs and attests. */
  readonly supplyChain: SupplyChainSettings;
  /** Names of the secret settings the stack reads (values are read by the Pulumi loader, never here). */
  readonly secretSettings: readonly string[];
}

const HOST_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const HOST = `(?:localhost|${HOST_LABEL}(?:\\.${HOST_LABEL})+|\\[[0-9A-Fa-f:]+\\])`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const REGISTRY_ADDRESS = new RegExp(`^${HOST}(?::(\\d{1,5}))?(?:/${PATH_COMPONENT})*$`);
const GITHUB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99})$/;
const SETTING_KEY = /^[A-Za-z][A-Za-z0-9]*$/;
const REPOSITORY_NAME = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);

/** Checks a registry address `host[:port][/namespace]` and says precisely what is wrong with a bad one. */
export function checkRegistryAddress(address: unknown, key: string): string {
  const fix = "write host[:port][/namespace] with no scheme, tag or trailing slash, e.g. ghcr.io/acme or 127.0.0.1:5000";
  if (typeof address !== "string" || address === "") {
    throw new SlipwayInputError(key, address, "a registry address is required", fix);
  }
  if (/^[a-z]+:\/\//i.test(address)) {
    throw new SlipwayInputError(key, address, "a registry address has no scheme", fix);
  }
  const match = REGISTRY_ADDRESS.exec(address);
  if (match === null) {
    throw new SlipwayInputError(key, address, "not a registry address", fix);
  }
  const port = match[1] === undefined ? undefined : Number(match[1]);
  if (port !== undefined && (port < 1 || port > 65535)) {
    throw new SlipwayInputError(key, address, `port ${port} is out of range`, "use a port from 1 to 65535");
  }
  return address;
}

function parseJson(values: Readonly<Record<string, string>>, key: SettingName): unknown {
  const text = values[key];
  if (text === undefined) return undefined;
  const type = SETTINGS[key].type;
  if (type === "string") return text;
  if (type === "string or object" && !text.startsWith("{")) return text;
  const example =
    type === "list" ? `pulumi config set --path 'slipway:${key}[0]' <value>` : `pulumi config set --path 'slipway:${key}.<field>' <value>`;
  const shape = type === "list" ? "must be a list" : type === "object" ? "must be an object" : "must be a string or an object";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SlipwayInputError(key, text, shape, `set it with ${example}`);
  }
  const ok = type === "list" ? Array.isArray(value) : value !== null && typeof value === "object" && !Array.isArray(value);
  if (!ok) throw new SlipwayInputError(key, value, shape, `set it with ${example}`);
  return value;
}

function stringList(value: unknown, key: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = value as unknown[];
  list.forEach((item, index) => {
    if (typeof item !== "string") {
      throw new SlipwayInputError(`${key}[${index}]`, item, "must be a string", "quote the value");
    }
  });
  return list as string[];
}

function field(entry: Record<string, unknown>, name: string, key: string): string | undefined {
  const value = entry[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") {
    throw new SlipwayInputError(`${key}.${name}`, value, "must be a string", "quote the value");
  }
  return value;
}

function checkSecretSetting(name: unknown, key: string): string {
  if (typeof name !== "string" || !SETTING_KEY.test(name) || name in SETTINGS) {
    throw new SlipwayInputError(
      key,
      name,
      "must name a secret setting of this stack",
      "use a name of your own such as ghcrToken, then pulumi config set --secret slipway:ghcrToken <token>",
    );
  }
  return name;
}

function parseRegistry(raw: unknown, index: number): RegistrySettings {
  const key = `registries[${index}]`;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new SlipwayInputError(key, raw, "must be an object", "e.g. {kind: local, address: 127.0.0.1:5000}");
  }
  const entry = raw as Record<string, unknown>;
  const kind = field(entry, "kind", key);
  if (kind === undefined || !(REGISTRY_KINDS as readonly string[]).includes(kind)) {
    throw new SlipwayInputError(`${key}.kind`, kind, "unknown registry kind", `use one of ${REGISTRY_KINDS.join(", ")}`);
  }
  const explicitName = field(entry, "name", key);
  switch (kind as RegistryKind) {
    case "ecr": {
      rejectUnknownFields(entry, ["kind", "name", "region"], key);
      const region = field(entry, "region", key);
      if (region === undefined || !AWS_REGION.test(region)) {
        throw new SlipwayInputError(`${key}.region`, region, "not an AWS region", "e.g. us-east-1");
      }
      return { name: explicitName ?? "ecr", kind: "ecr", address: undefined, region, username: undefined, passwordSecret: undefined };
    }
    case "external": {
      rejectUnknownFields(entry, ["kind", "name", "address", "username", "passwordSecret"], key);
      const address = checkRegistryAddress(field(entry, "address", key), `${key}.address`);
      const username = field(entry, "username", key);
      if (username === undefined || username === "") {
        throw new SlipwayInputError(
          `${key}.username`,
          username,
          "an external registry needs a login user",
          "set the user the token belongs to",
        );
      }
      const passwordSecret = checkSecretSetting(field(entry, "passwordSecret", key), `${key}.passwordSecret`);
      return { name: explicitName ?? hostOf(address), kind: "external", address, region: undefined, username, passwordSecret };
    }
    case "local": {
      rejectUnknownFields(entry, ["kind", "name", "address"], key);
      const address = checkRegistryAddress(field(entry, "address", key), `${key}.address`);
      return { name: explicitName ?? "local", kind: "local", address, region: undefined, username: undefined, passwordSecret: undefined };
    }
  }
}

function hostOf(address: string): string {
  return address.split("/")[0] ?? address;
}

function parseGithub(raw: unknown): GithubSettings | undefined {
  if (raw === undefined) return undefined;
  const entry = raw as Record<string, unknown>;
  rejectUnknownFields(entry, ["owner", "repo", "tokenSecret"], "github");
  const owner = field(entry, "owner", "github");
  const repo = field(entry, "repo", "github");
  for (const [name, value] of [
    ["owner", owner],
    ["repo", repo],
  ] as const) {
    if (value === undefined || !GITHUB_NAME.test(value)) {
      throw new SlipwayInputError(`github.${name}`, value, `not a GitHub ${name} name`, "e.g. github: {owner: acme, repo: hello}");
    }
  }
  const tokenSecret = checkSecretSetting(field(entry, "tokenSecret", "github") ?? "githubToken", "github.tokenSecret");
  return { owner: owner as string, repo: repo as string, tokenSecret };
}

function parseRotation(raw: unknown): RotationSettings {
  if (raw === undefined) return { generation: 1, rotationDays: undefined };
  const entry = raw as Record<string, unknown>;
  rejectUnknownFields(entry, ["generation", "rotationDays"], "rotation");
  return {
    generation: entry.generation === undefined ? DEFAULT_GENERATION : checkRotationNumber(entry.generation, "generation"),
    rotationDays: entry.rotationDays === undefined ? undefined : checkRotationNumber(entry.rotationDays, "rotationDays"),
  };
}

function parseBuild(values: Readonly<Record<string, string>>): BuildSettings {
  const module = values.module ?? ".";
  const requireReleaseNotes = values.requireReleaseNotes ?? "false";
  if (requireReleaseNotes !== "true" && requireReleaseNotes !== "false") {
    throw new SlipwayInputError(
      "requireReleaseNotes",
      requireReleaseNotes,
      "must be true or false",
      "pulumi config set slipway:requireReleaseNotes true",
    );
  }
  for (const key of [
    "module",
    "mainPackage",
    "dockerfile",
    "buildDir",
    "releaseDir",
    "changelog",
    "builder",
    "checksums",
    "imageBinary",
  ] as const) {
    const value = values[key];
    if (value !== undefined && value.trim() === "") {
      throw new SlipwayInputError(key, value, "must not be empty", "remove the setting to use the default");
    }
  }
  return {
    module,
    dockerfile: values.dockerfile,
    baseImage: values.baseImage,
    builder: values.builder,
    buildDir: values.buildDir ?? "dist/build",
    releaseDir: values.releaseDir ?? "dist/releases",
    changelog: values.changelog ?? `${module}/CHANGELOG.md`,
    requireReleaseNotes: requireReleaseNotes === "true",
  };
}

function requireSecret(config: RawStackConfig, name: string, neededBy: string): void {
  const setIt = `pulumi config set --secret slipway:${name} <value>`;
  if (config.values[name] === undefined || config.values[name] === "") {
    throw new SlipwayInputError(name, undefined, `required by ${neededBy} but not set`, setIt);
  }
  if (!config.secretKeys.has(name)) {
    throw new SlipwayInputError(name, REDACTED, `stored in plain text, but it is a credential`, `store it encrypted: ${setIt}`);
  }
}

/** Stands for a value that must not be printed. */
const REDACTED = { toJSON: () => "(value not shown)" };

/**
 * Validates every `slipway:*` setting and builds the release plan, before any resource is declared.
 * Throws {@link SlipwayInputError} for the first bad setting.
 */
export function parseStackConfig(config: RawStackConfig, remembered: readonly PublishedInput[] = []): StackSettings {
  const values = config.values;
  const registries = ((parseJson(values, "registries") as unknown[] | undefined) ?? []).map(parseRegistry);
  const github = parseGithub(parseJson(values, "github"));
  const secretSettings = [
    ...registries.flatMap((r) => (r.passwordSecret === undefined ? [] : [r.passwordSecret])),
    ...(github === undefined ? [] : [github.tokenSecret]),
  ];
  const taps = parseTaps(values);
  secretSettings.push(...taps.secrets.filter((name) => !secretSettings.includes(name)));
  const known = [...Object.keys(SETTINGS), ...secretSettings];
  for (const key of Object.keys(values).sort()) {
    if (!known.includes(key)) {
      const guess = closest(key, known);
      throw new SlipwayInputError(
        key,
        config.secretKeys.has(key) ? REDACTED : values[key],
        "unknown setting",
        guess === undefined ? `remove it; known settings are ${Object.keys(SETTINGS).join(", ")}` : `did you mean slipway:${guess}?`,
      );
    }
  }
  const names = new Set<string>();
  registries.forEach((r, index) => {
    if (names.has(r.name)) {
      throw new SlipwayInputError(
        `registries[${index}].name`,
        r.name,
        "two registries have the same name",
        "give each registry a distinct name",
      );
    }
    names.add(r.name);
  });
  registries.forEach((r, index) => {
    if (r.passwordSecret !== undefined) requireSecret(config, r.passwordSecret, `registries[${index}] (${r.address ?? r.kind})`);
  });
  if (github !== undefined) requireSecret(config, github.tokenSecret, `the GitHub release of ${github.owner}/${github.repo}`);
  for (const [kind, tap] of [
    ["Homebrew tap", taps.homebrew],
    ["Scoop bucket", taps.scoop],
  ] as const) {
    if (tap?.repository.kind === "github") {
      requireSecret(config, tap.repository.tokenSecret, `the ${kind} ${tap.repository.owner}/${tap.repository.repo}`);
    }
  }

  const release: ReleaseInput = {
    name: values.name ?? config.project,
    version: values.version as string,
    commit: values.commit as string,
    commitTime: values.commitTime as string,
    published: [...(stringList(parseJson(values, "published"), "published") ?? []), ...remembered],
    platforms: stringList(parseJson(values, "platforms"), "platforms"),
    imagePlatforms: stringList(parseJson(values, "imagePlatforms"), "imagePlatforms"),
    tagTemplates: stringList(parseJson(values, "tagTemplates"), "tagTemplates"),
    builds: parseJson(values, "builds") as unknown[] | undefined,
    mainPackage: values.mainPackage,
    archives: parseJson(values, "archives"),
    checksums: values.checksums,
    imageBinary: values.imageBinary,
    latest: values.latest,
    title: values.title,
    description: values.description,
    source: values.source,
    licenses: values.licenses,
  };
  const plan = planRelease(release);
  const imageName = values.imageName ?? plan.name;
  if (!REPOSITORY_NAME.test(imageName)) {
    throw new SlipwayInputError(
      "imageName",
      imageName,
      "not a repository name",
      "use lowercase letters, digits and . _ - separated by /, e.g. acme/hello",
    );
  }
  const cacheRepository = planCacheRepository(values.cacheRepository, imageName, registries[0]?.kind === "ecr");
  const build = parseBuild(values);
  planBaseImage(build.baseImage, registries, plan.image.platforms);
  const athens = parseAthensSettings(parseJson(values, "athens"));
  const rotation = parseRotation(parseJson(values, "rotation"));
  const channels = planChannels(values, plan);
  const supplyChain = parseSupplyChainSettings(values);
  if (supplyChain.keyless && github === undefined) {
    throw new SlipwayInputError(
      "keyless",
      true,
      "keyless signing carries the GitHub Actions workflow's identity and its bundle is a GitHub release asset, and this stack has no slipway:github",
      "set slipway:github, or slipway:keyless false",
    );
  }
  return { release, plan, imageName, cacheRepository, registries, github, build, athens, rotation, channels, supplyChain, secretSettings };
}
