// The Go builds of a release: which packages, under which names, with which linker flags, for which
// platforms. Parsed and rendered here, before any resource exists.
import { SlipwayInputError } from "./errors";
import { Platform, parsePlatforms } from "./platforms";
import { releaseTag } from "./version";

/** A `slipway:builds` entry as written; every field is optional. */
export type BuildInput = Readonly<Record<string, unknown>>;

export interface BuildPlan {
  /** Unique among the builds; names the build in settings and messages. */
  readonly id: string;
  /** The package to build, relative to the module: `.` or `./cmd/foo`. */
  readonly main: string;
  /** The program's file name, without `.exe`. */
  readonly binary: string;
  /** The linker flags, placeholders rendered; `-buildid=` always included. */
  readonly ldflags: string;
  /** Extra `go build` flags. */
  readonly flags: readonly string[];
  /** Build tags. */
  readonly tags: readonly string[];
  /** Extra environment of the compile step. */
  readonly env: Readonly<Record<string, string>>;
  readonly platforms: readonly Platform[];
}

/** What the ldflags placeholders stand for. */
export interface LdflagsContext {
  readonly name: string;
  readonly version: string;
  readonly commit: string;
  readonly commitIso: string;
  readonly commitEpoch: number;
}

export const DEFAULT_LDFLAGS: readonly string[] = [
  "-s",
  "-w",
  "-X main.version={{version}}",
  "-X main.commit={{commit}}",
  "-X main.date={{date}}",
];

const BUILD_FIELDS = ["id", "main", "binary", "ldflags", "flags", "tags", "env", "platforms"] as const;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PACKAGE_PATH = /^(?:\.|(?:\.\/)?[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*)$/;
/** Flags slipway sets itself, or that would make the build depend on more than the module. */
export const OWNED_FLAGS = ["-o", "-ldflags", "-buildvcs", "-mod", "-modfile", "-toolexec", "-overlay", "-pgo", "-trimpath"];
/** Environment the compile step controls for hermeticity and the target platform. */
export const OWNED_ENV = [
  "GOOS",
  "GOARCH",
  "GOARM",
  "GOAMD64",
  "GO386",
  "GOARM64",
  "GOPROXY",
  "GOFLAGS",
  "GOPATH",
  "GOCACHE",
  "GOMODCACHE",
  "GOSUMDB",
  "GONOSUMDB",
  "GOPRIVATE",
  "GONOPROXY",
  "GOTOOLCHAIN",
  "GOWORK",
  "GOENV",
  "HOME",
  "PATH",
];
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Renders `{{name}}` placeholders from `values`; an unknown one is an error naming the known ones. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>, key: string): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new SlipwayInputError(
        key,
        template,
        `unknown placeholder ${whole}`,
        `use ${Object.keys(values)
          .map((k) => `{{${k}}}`)
          .join(", ")}`,
      );
    }
    return value;
  });
}

function ldflagsValues(context: LdflagsContext, binary: string): Record<string, string> {
  return {
    name: context.name,
    binary,
    version: context.version,
    tag: releaseTag(context.version),
    commit: context.commit,
    shortCommit: context.commit.slice(0, 7),
    date: context.commitIso,
    timestamp: String(context.commitEpoch),
  };
}

function stringField(entry: BuildInput, field: string, key: string): string | undefined {
  const value = entry[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw new SlipwayInputError(`${key}.${field}`, value, "must be a non-empty string", "quote the value, or remove it for the default");
  }
  return value;
}

function stringsField(entry: BuildInput, field: string, key: string): string[] | undefined {
  const value = entry[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    throw new SlipwayInputError(`${key}.${field}`, value, "must be a list of strings", `e.g. ${field}: ["..."]`);
  }
  return value.map((item: unknown, index) => {
    if (typeof item !== "string" || item.trim() === "") {
      throw new SlipwayInputError(`${key}.${field}[${index}]`, item, "must be a non-empty string", "quote the value");
    }
    return item;
  });
}

function parseMain(main: string | undefined, key: string): string {
  if (main === undefined) return ".";
  const trimmed = main.replace(/\/+$/, "");
  if (!PACKAGE_PATH.test(trimmed) || trimmed.split("/").includes("..") || trimmed.endsWith(".go")) {
    throw new SlipwayInputError(
      key,
      main,
      "not a package directory inside the module",
      "use . or a relative directory such as ./cmd/hello",
    );
  }
  return trimmed === "." || trimmed.startsWith("./") ? trimmed : `./${trimmed}`;
}

function parseFlags(flags: readonly string[], key: string): string[] {
  flags.forEach((flag, index) => {
    const name = (flag.split("=")[0] ?? flag).replace(/^--/, "-");
    if (!flag.startsWith("-")) {
      throw new SlipwayInputError(`${key}[${index}]`, flag, "not a go build flag", "write flags as -name or -name=value, e.g. -tags=netgo");
    }
    if (OWNED_FLAGS.includes(name)) {
      throw new SlipwayInputError(
        `${key}[${index}]`,
        flag,
        "slipway sets this flag itself",
        name === "-ldflags" ? "use the build's ldflags list" : "remove it",
      );
    }
  });
  return [...flags];
}

function parseEnv(env: readonly string[], key: string): Record<string, string> {
  const parsed: Record<string, string> = {};
  env.forEach((item, index) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(item);
    const entryKey = `${key}[${index}]`;
    if (match === null) throw new SlipwayInputError(entryKey, item, "not KEY=VALUE", "e.g. CGO_ENABLED=0");
    const [, name = "", value = ""] = match;
    if (OWNED_ENV.includes(name)) {
      throw new SlipwayInputError(
        entryKey,
        item,
        `slipway sets ${name} itself for a hermetic build`,
        "remove it (platforms are set with platforms)",
      );
    }
    if (name === "CGO_ENABLED" && value !== "0") {
      throw new SlipwayInputError(entryKey, item, "release builds cross-compile with cgo off", "use CGO_ENABLED=0 or remove it");
    }
    parsed[name] = value;
  });
  return parsed;
}

function lastElement(main: string): string | undefined {
  return main === "." ? undefined : main.split("/").pop();
}

export interface BuildDefaults {
  /** `slipway:name`: the binary of a build at `.`. */
  readonly name: string;
  /** `slipway:mainPackage`: the package of the default build. */
  readonly mainPackage: string | undefined;
  /** `slipway:platforms`, parsed. */
  readonly platforms: readonly Platform[];
}

/**
 * Parses `slipway:builds` (or the one default build), renders their linker flags and checks that ids
 * are unique and that no two builds write the same binary for one platform.
 */
export function planBuilds(raw: readonly unknown[] | undefined, defaults: BuildDefaults, context: LdflagsContext): BuildPlan[] {
  const entries: BuildInput[] =
    raw === undefined
      ? [{ main: defaults.mainPackage ?? ".", binary: defaults.name }]
      : raw.map((entry, index) => {
          if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
            throw new SlipwayInputError(`builds[${index}]`, entry, "must be an object", "e.g. {main: ./cmd/hello}");
          }
          return entry as BuildInput;
        });
  if (entries.length === 0)
    throw new SlipwayInputError("builds", [], "no builds listed", "list at least one, or remove the setting for the default build");
  const builds = entries.map((entry, index) => planBuild(entry, raw === undefined ? "mainPackage" : `builds[${index}]`, defaults, context));
  const seenIds = new Map<string, number>();
  const seenBinaries = new Map<string, number>();
  builds.forEach((build, index) => {
    if (seenIds.has(build.id)) {
      throw new SlipwayInputError(
        `builds[${index}].id`,
        build.id,
        `builds[${seenIds.get(build.id)}] has the same id`,
        "give each build its own id",
      );
    }
    seenIds.set(build.id, index);
    for (const platform of build.platforms) {
      const slot = `${build.binary} ${platform.id}`;
      const twin = seenBinaries.get(slot);
      if (twin !== undefined) {
        throw new SlipwayInputError(
          `builds[${index}].binary`,
          build.binary,
          `builds[${twin}] also builds ${build.binary} for ${platform.id}`,
          "give each build its own binary name",
        );
      }
      seenBinaries.set(slot, index);
    }
  });
  return builds;
}

function planBuild(entry: BuildInput, key: string, defaults: BuildDefaults, context: LdflagsContext): BuildPlan {
  const isDefault = key === "mainPackage";
  if (!isDefault) {
    for (const field of Object.keys(entry)) {
      if (!(BUILD_FIELDS as readonly string[]).includes(field)) {
        throw new SlipwayInputError(`${key}.${field}`, entry[field], "unknown field", `use only ${BUILD_FIELDS.join(", ")}`);
      }
    }
  }
  const main = parseMain(stringField(entry, "main", key), isDefault ? key : `${key}.main`);
  const binary = stringField(entry, "binary", key) ?? lastElement(main) ?? defaults.name;
  if (!ID.test(binary)) {
    throw new SlipwayInputError(`${key}.binary`, binary, "not a usable file name", "use letters, digits, '.', '_' or '-'");
  }
  const id = stringField(entry, "id", key) ?? binary;
  if (!ID.test(id)) throw new SlipwayInputError(`${key}.id`, id, "not a usable id", "use letters, digits, '.', '_' or '-'");
  const ldflagsKey = `${key}.ldflags`;
  const templates = stringsField(entry, "ldflags", key) ?? DEFAULT_LDFLAGS;
  const rendered = templates.map((t, i) => renderTemplate(t, ldflagsValues(context, binary), `${ldflagsKey}[${i}]`));
  const platformList = entry.platforms;
  if (platformList !== undefined && !Array.isArray(platformList)) {
    throw new SlipwayInputError(`${key}.platforms`, platformList, "must be a list", "e.g. platforms: [linux/amd64, linux/arm/v7]");
  }
  return {
    id,
    main,
    binary,
    ldflags: ["-buildid=", ...rendered.filter((flag) => !/^-buildid=/.test(flag))].join(" "),
    flags: parseFlags(stringsField(entry, "flags", key) ?? [], `${key}.flags`),
    tags: stringsField(entry, "tags", key) ?? [],
    env: parseEnv(stringsField(entry, "env", key) ?? [], `${key}.env`),
    platforms: platformList === undefined ? defaults.platforms : parsePlatforms(platformList as unknown[], `${key}.platforms`),
  };
}
