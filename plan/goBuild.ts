import { ArchiveFormat } from "./assets";
import { BuildPlan } from "./builds";
import { ReleasePlan } from "./releasePlan";
import { PlatformTarget } from "./platforms";

export interface GoBuildTarget {
  /** The build's id. */
  readonly build: string;
  readonly platform: string;
  readonly os: string;
  readonly arch: string;
  /** GOARM level for 32-bit arm. */
  readonly arm?: string | undefined;
  /** File name of the built binary (its release asset name when published). */
  readonly file: string;
  /** File name inside archives and images (`hello`, `hello.exe`). */
  readonly executable: string;
  /** Package to build, relative to the module. */
  readonly main: string;
  readonly ldflags: string;
  readonly flags: readonly string[];
  readonly tags: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The setting the linker flags come from, for messages: `builds[1].ldflags`. */
  readonly ldflagsSetting: string;
}

export interface GoBuildArchive {
  readonly name: string;
  readonly format: Exclude<ArchiveFormat, "none">;
  /** Directory the content is wrapped in, or null. */
  readonly directory: string | null;
  /** Binaries it holds: the built file, stored under its executable name. */
  readonly members: readonly { readonly file: string; readonly executable: string }[];
}

/** One compile per build and platform, with the build's flags. */
export function buildTargets(plan: ReleasePlan): GoBuildTarget[] {
  return plan.assets.binaries.map((binary) => {
    const buildIndex = plan.builds.findIndex((b) => b.id === binary.build);
    const build = plan.builds[buildIndex];
    if (build === undefined) throw new Error(`the plan's binary ${binary.file} names an unknown build ${binary.build}`);
    return {
      build: build.id,
      platform: binary.platform,
      os: binary.os,
      arch: binary.arch,
      ...(binary.arm === undefined ? {} : { arm: binary.arm }),
      file: binary.file,
      executable: binary.executable,
      main: build.main,
      ldflags: build.ldflags,
      flags: [...build.flags],
      tags: [...build.tags],
      env: { ...build.env },
      ldflagsSetting: `builds[${buildIndex}].ldflags`,
    };
  });
}

/** The archives to write, each with the built files it holds and their names inside it. */
export function archiveTargets(plan: ReleasePlan): GoBuildArchive[] {
  const executable = new Map(plan.assets.binaries.map((b) => [b.file, b.executable]));
  return plan.assets.archives.map((archive) => ({
    name: archive.name,
    format: archive.format,
    directory: archive.directory,
    members: archive.binaries.map((file) => ({ file, executable: executable.get(file) ?? file })),
  }));
}

/** What one `go build` needs of its build: the package, flags, tags and linker flags. */
export type GoBuildSpec = Pick<BuildPlan, "main" | "ldflags" | "flags" | "tags">;

/**
 * The arguments of a reproducible release build: -trimpath and -buildvcs=false, so that the same commit
 * builds byte-identical binaries on any machine with the same Go toolchain; the linker flags always carry
 * `-buildid=` (see planBuilds).
 */
export function goBuildArgs(spec: GoBuildSpec, output: string): string[] {
  const tags = spec.tags.length === 0 ? [] : ["-tags", spec.tags.join(",")];
  return ["build", "-trimpath", "-buildvcs=false", ...tags, ...spec.flags, "-ldflags", spec.ldflags, "-o", output, spec.main];
}

/**
 * Environment of the compile step. It starts from nothing (no inherited GOFLAGS or GOAMD64), forbids
 * module downloads (GOPROXY=off: everything was fetched and verified through the proxy beforehand) and
 * pins the microarchitecture levels so the output does not depend on the builder's environment.
 */
export function goCompileEnv(target: PlatformTarget, buildEnv: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    ...buildEnv,
    CGO_ENABLED: "0",
    GOARCH: target.arch,
    GOFLAGS: "-mod=readonly",
    GOOS: target.os,
    GOPROXY: "off",
    GOSUMDB: "off",
    GOTOOLCHAIN: "local",
    GOVCS: "*:off",
    GOWORK: "off",
    ...(target.arch === "amd64" ? { GOAMD64: "v1" } : {}),
    ...(target.arch === "arm64" ? { GOARM64: "v8.0" } : {}),
    ...(target.arch === "386" ? { GO386: "sse2" } : {}),
    ...(target.arm === undefined ? {} : { GOARM: target.arm }),
  };
}

/**
 * Environment of the download step: modules come only from the private proxy (no `direct`, no VCS),
 * go.sum must already list every module (-mod=readonly), and the checksum database is consulted through
 * the proxy only for what go.sum lacks — which readonly mode turns into an error.
 */
export function goDownloadEnv(goproxy: string): Record<string, string> {
  return {
    CGO_ENABLED: "0",
    GOFLAGS: "-mod=readonly",
    GOPROXY: goproxy,
    GOTOOLCHAIN: "local",
    GOVCS: "*:off",
    GOWORK: "off",
  };
}

/** `SHA256SUMS` content: `<hex>  <name>` lines in the plan's order, as sha256sum prints them. */
export function renderChecksums(order: readonly string[], sha256: Readonly<Record<string, string>>): string {
  return order
    .map((name) => {
      const digest = sha256[name];
      if (digest === undefined) throw new Error(`no checksum for ${name}`);
      return `${digest}  ${name}\n`;
    })
    .join("");
}

export interface CompileIsolation {
  /** Command words before `go build`. */
  readonly prefix: readonly string[];
  /** How the compile step is kept off the network, as the build records it. */
  readonly isolation: string;
}

/**
 * The compile step's isolation, from why `unshare --net` is refused here (undefined: it is permitted).
 * Without it the step still cannot fetch modules (GOPROXY=off, -mod=readonly), but has network access.
 */
export function compileIsolation(unshareRefusal: string | undefined): CompileIsolation {
  return unshareRefusal === undefined
    ? { prefix: ["unshare", "--net", "--"], isolation: "network namespace without interfaces (unshare --net), GOPROXY=off" }
    : { prefix: [], isolation: "GOPROXY=off and -mod=readonly (unshare unavailable)" };
}

/** The one warning of a release whose compile step cannot get a network namespace. */
export function compileIsolationWarning(unshareRefusal: string): string {
  return (
    `the compile step runs with network access: unshare --net is not permitted here (${unshareRefusal}); ` +
    "modules still come only through the proxy (GOPROXY=off and -mod=readonly while compiling); " +
    "fix: run the release as root (e.g. sudo -E env PATH=$PATH npx slipway release ...) so the compile step gets a network namespace without interfaces"
  );
}
