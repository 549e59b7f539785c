// GoReleaser's goos × goarch × goarm matrix (or `targets`) → slipway platform ids.

import { ARM_LEVELS as GOARM_LEVELS, ARM_OPERATING_SYSTEMS, GO_PLATFORMS } from "./platforms";

/** Every `os/arch` slipway builds (Go 1.26 `go tool dist list` without android/ios); 32-bit arm takes `/vN`. */
const SLIPWAY_PLATFORMS: ReadonlySet<string> = new Set(GO_PLATFORMS);
const ARM_OSES: ReadonlySet<string> = new Set(ARM_OPERATING_SYSTEMS);
const ARM_LEVELS: ReadonlySet<string> = new Set(GOARM_LEVELS);

/** GoReleaser's defaults for a build without goos / goarch / goarm. */
export const DEFAULT_GOOS = ["darwin", "linux", "windows"] as const;
export const DEFAULT_GOARCH = ["386", "amd64", "arm64"] as const;
export const DEFAULT_GOARM = ["6"] as const;

/** Go's first-class ports, what GoReleaser's `targets: [go_first_class]` expands to. */
const FIRST_CLASS = [
  "darwin/amd64",
  "darwin/arm64",
  "linux/386",
  "linux/amd64",
  "linux/arm/v6",
  "linux/arm64",
  "windows/386",
  "windows/amd64",
  "windows/arm64",
];

/** A GoReleaser target that slipway does not build, with the reason. */
export interface DroppedTarget {
  readonly target: string;
  readonly note: string;
  /** Not a Go platform at all: GoReleaser skips it too, so nothing is lost. */
  readonly invalid: boolean;
}

/** Pairs GoReleaser builds (with an older Go or cgo) that slipway cannot: reported as unmapped. */
const DROPPED: ReadonlySet<string> = new Set([
  "darwin/386",
  "darwin/arm",
  "windows/arm",
  "android/386",
  "android/amd64",
  "android/arm",
  "android/arm64",
  "ios/amd64",
  "ios/arm64",
]);

/** The platform ids of a matrix, in GoReleaser's order (goos, then goarch, then goarm), and what was dropped. */
export interface PlatformMatrix {
  readonly platforms: string[];
  readonly dropped: DroppedTarget[];
}

/** One entry of `ignore:` — unset fields match anything. */
export interface IgnoreRule {
  readonly goos?: string;
  readonly goarch?: string;
  readonly goarm?: string;
}

/** Why slipway does not build `os/arch`, or undefined when it does. */
export function unsupportedReason(os: string, arch: string): string | undefined {
  if (DROPPED.has(`${os}/${arch}`) && (os === "android" || os === "ios")) return `${os}/${arch} needs cgo; slipway builds with cgo off`;
  if (arch === "arm" && ARM_OSES.has(os)) return undefined;
  if (SLIPWAY_PLATFORMS.has(`${os}/${arch}`)) return undefined;
  return `${os}/${arch} is not a Go 1.26 platform`;
}

/** The id of one target: `linux/amd64`, `linux/arm/v7`. */
export function platformId(os: string, arch: string, arm: string): string {
  return arch === "arm" ? `${os}/arm/v${arm}` : `${os}/${arch}`;
}

function ignored(rules: readonly IgnoreRule[], os: string, arch: string, arm: string): boolean {
  return rules.some(
    (rule) =>
      (rule.goos ?? os) === os && (rule.goarch ?? arch) === arch && (rule.goarm === undefined || (arch === "arm" && rule.goarm === arm)),
  );
}

/** Expands goos × goarch × goarm minus `ignore` into slipway platform ids. */
export function expandMatrix(
  goos: readonly string[],
  goarch: readonly string[],
  goarm: readonly string[],
  ignore: readonly IgnoreRule[],
): PlatformMatrix {
  const platforms: string[] = [];
  const dropped: DroppedTarget[] = [];
  for (const os of goos) {
    for (const arch of goarch) {
      for (const arm of arch === "arm" ? goarm : [""]) {
        if (ignored(ignore, os, arch, arm)) continue;
        addTarget(platforms, dropped, os, arch, arm);
      }
    }
  }
  return { platforms, dropped };
}

function addTarget(platforms: string[], dropped: DroppedTarget[], os: string, arch: string, arm: string): void {
  const reason = unsupportedReason(os, arch);
  const id = platformId(os, arch, arm);
  if (reason !== undefined) {
    const target = `${os}/${arch}`;
    const invalid = !DROPPED.has(target);
    const note = invalid ? `${target} is not a Go platform; GoReleaser skips it too` : `${reason}; dropped`;
    if (!dropped.some((entry) => entry.target === target)) dropped.push({ target, note, invalid });
    return;
  }
  if (arch === "arm" && !ARM_LEVELS.has(arm)) {
    dropped.push({ target: id, note: `GOARM=${arm} is not one of 5, 6, 7; dropped`, invalid: false });
    return;
  }
  if (!platforms.includes(id)) platforms.push(id);
}

/** Expands GoReleaser `targets` (`linux_amd64_v1`, `linux_arm_7`, `go_first_class`) into slipway platform ids. */
export function expandTargets(targets: readonly string[]): PlatformMatrix {
  const platforms: string[] = [];
  const dropped: DroppedTarget[] = [];
  for (const target of targets) {
    if (target === "go_first_class" || target === "go_118_first_class") {
      for (const id of FIRST_CLASS) if (!platforms.includes(id)) platforms.push(id);
      continue;
    }
    const [os = "", arch = "", variant = ""] = target.split("_");
    const variantNote = targetVariantNote(arch, variant);
    if (variantNote !== undefined) {
      dropped.push({ target, note: variantNote, invalid: false });
      continue;
    }
    addTarget(platforms, dropped, os, arch, arch === "arm" ? variant || "6" : "");
  }
  return { platforms, dropped };
}

function targetVariantNote(arch: string, variant: string): string | undefined {
  if (variant === "" || arch === "arm") return undefined;
  const defaults: Readonly<Record<string, string>> = {
    amd64: "v1",
    arm64: "v8.0",
    "386": "sse2",
    mips: "hardfloat",
    mipsle: "hardfloat",
    mips64: "hardfloat",
    mips64le: "hardfloat",
    ppc64: "power8",
    ppc64le: "power8",
    riscv64: "rva20u64",
  };
  if (defaults[arch] === variant) return undefined;
  return `${arch} variant ${variant}: slipway builds with Go's default (${defaults[arch] ?? "none"}); dropped`;
}
