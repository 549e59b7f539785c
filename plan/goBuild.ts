import { PlatformAssets } from "./assets";

export interface GoBuildSpec {
  readonly version: string;
  readonly commit: string;
  /** Go package to build, relative to the module root. */
  readonly mainPackage: string;
  /** Extra `-X` assignments beyond main.version and main.commit. */
  readonly extraLdflags?: readonly string[];
}

/**
 * The linker flags of a reproducible release build: symbols stripped, no build ID, version and commit
 * stamped into `main`. Together with -trimpath and -buildvcs=false the same commit builds byte-identical
 * binaries on any machine with the same Go toolchain.
 */
export function releaseLdflags(spec: GoBuildSpec): string {
  return ["-s", "-w", "-buildid=", `-X main.version=${spec.version}`, `-X main.commit=${spec.commit}`, ...(spec.extraLdflags ?? [])].join(" ");
}

export function goBuildArgs(spec: GoBuildSpec, output: string): string[] {
  return ["build", "-trimpath", "-buildvcs=false", "-ldflags", releaseLdflags(spec), "-o", output, spec.mainPackage];
}

/**
 * Environment of the compile step. It starts from nothing (no inherited GOFLAGS or GOAMD64), forbids
 * module downloads (GOPROXY=off: everything was fetched and verified through the proxy beforehand) and
 * pins the microarchitecture levels so the output does not depend on the builder's environment.
 */
export function goCompileEnv(target: Pick<PlatformAssets, "os" | "arch">): Record<string, string> {
  return {
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
