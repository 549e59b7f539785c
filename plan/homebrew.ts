// The Homebrew formula (or cask) of a release: rendered from the plan, the tap settings and the archives'
// sha256s. Pure: equal inputs give equal bytes.
import { ArchiveAsset } from "./assets";
import { SlipwayInputError } from "./errors";
import { ReleasePlan } from "./releasePlan";
import { TapSettings, unbuiltSha256 } from "./taps";

/** Where a release asset is downloaded from, e.g. the GitHub release's download URL. */
export type DownloadUrl = (asset: string) => string;

interface Variant {
  readonly os: "darwin" | "linux";
  /** The Ruby condition that picks this archive on a machine of that OS. */
  readonly condition: string;
  readonly archive: ArchiveAsset;
}

const CONDITIONS: Record<string, string> = {
  amd64: "Hardware::CPU.intel? && Hardware::CPU.is_64_bit?",
  arm64: "Hardware::CPU.arm? && Hardware::CPU.is_64_bit?",
  arm: "Hardware::CPU.arm? && !Hardware::CPU.is_64_bit?",
};

/** Homebrew's class name for a formula: `hello-world` → `HelloWorld`. */
export function formulaClassName(name: string): string {
  return name
    .replace(/@/g, "AT")
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => (part[0] as string).toUpperCase() + part.slice(1))
    .join("");
}

/** A Ruby double-quoted string literal. */
export function rubyString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/#\{/g, "\\#{")}"`;
}

/** The archives Homebrew can install: tar archives for macOS and Linux, one per CPU kind (the highest arm level). */
export function homebrewVariants(plan: ReleasePlan): Variant[] {
  const variants: Variant[] = [];
  for (const archive of plan.assets.archives) {
    const condition = CONDITIONS[archive.arch];
    if ((archive.os !== "darwin" && archive.os !== "linux") || condition === undefined || archive.format === "zip") continue;
    const same = variants.findIndex((v) => v.os === archive.os && v.condition === condition);
    const variant: Variant = { os: archive.os, condition, archive };
    if (same < 0) variants.push(variant);
    else if (Number(archive.arm ?? 0) > Number(variants[same]?.archive.arm ?? 0)) variants[same] = variant;
  }
  if (variants.length === 0) {
    throw new SlipwayInputError(
      "homebrew",
      plan.assets.archives.map((a) => a.name),
      "Homebrew installs from tar archives for darwin or linux, and the release has none",
      "add darwin or linux platforms with a tar.gz or tar.xz archive format",
    );
  }
  return variants;
}

function sha256Of(sha256: Readonly<Record<string, string>>, asset: string): string {
  const digest = sha256[asset];
  const known = digest !== undefined && /^[0-9a-f]{64}$/.test(digest);
  if (!known && digest !== unbuiltSha256(asset)) throw new Error(`no sha256 for ${asset}`);
  return digest;
}

function executables(plan: ReleasePlan, archive: ArchiveAsset): string[] {
  return archive.binaries.map((file) => plan.assets.binaries.find((b) => b.file === file)?.executable ?? file);
}

function header(plan: ReleasePlan): string[] {
  return [
    "# typed: false",
    "# frozen_string_literal: true",
    "",
    `# Written by slipway for ${plan.name} ${plan.version} (commit ${plan.commit.short}); the next release replaces it.`,
  ];
}

function metadata(plan: ReleasePlan, tap: TapSettings, indent: string): string[] {
  const description = tap.description ?? plan.labels["org.opencontainers.image.description"];
  const homepage = tap.homepage ?? plan.labels["org.opencontainers.image.source"];
  const license = tap.license ?? plan.labels["org.opencontainers.image.licenses"];
  return [
    ...(description === undefined ? [] : [`${indent}desc ${rubyString(description)}`]),
    ...(homepage === undefined ? [] : [`${indent}homepage ${rubyString(homepage)}`]),
    `${indent}version ${rubyString(plan.version)}`,
    ...(license === undefined ? [] : [`${indent}license ${rubyString(license)}`]),
  ];
}

function urlBlocks(
  variants: readonly Variant[],
  url: DownloadUrl,
  sha256: Readonly<Record<string, string>>,
  extra: (v: Variant) => string[],
): string[] {
  const lines: string[] = [];
  for (const [os, block] of [
    ["darwin", "on_macos"],
    ["linux", "on_linux"],
  ] as const) {
    const mine = variants.filter((v) => v.os === os);
    if (mine.length === 0) continue;
    lines.push("", `  ${block} do`);
    mine.forEach((v, index) => {
      if (index > 0) lines.push("");
      lines.push(
        `    if ${v.condition}`,
        `      url ${rubyString(url(v.archive.name))}`,
        `      sha256 ${rubyString(sha256Of(sha256, v.archive.name))}`,
        ...extra(v),
        "    end",
      );
    });
    lines.push("  end");
  }
  return lines;
}

/** The formula file's text: `class Hello < Formula` with a url and sha256 per OS and CPU. */
export function renderFormula(plan: ReleasePlan, tap: TapSettings, url: DownloadUrl, sha256: Readonly<Record<string, string>>): string {
  const variants = homebrewVariants(plan);
  const installed = [...new Set(variants.flatMap((v) => executables(plan, v.archive)))];
  const test = tap.test ?? `system "#{bin}/${installed[0] ?? plan.name}", "--version"`;
  const lines = [
    ...header(plan),
    `class ${formulaClassName(plan.name)} < Formula`,
    ...metadata(plan, tap, "  "),
    ...urlBlocks(variants, url, sha256, () => []),
    "",
    "  def install",
    ...installed.map((e) => `    bin.install ${rubyString(e)}`),
    "  end",
    "",
    "  test do",
    ...test.split("\n").map((line) => (line.trim() === "" ? "" : `    ${line.trim()}`)),
    "  end",
    "end",
  ];
  return `${lines.join("\n")}\n`;
}

/** The cask file's text: `cask "hello"` with the same archives, binaries linked from the staged archive. */
export function renderCask(plan: ReleasePlan, tap: TapSettings, url: DownloadUrl, sha256: Readonly<Record<string, string>>): string {
  const variants = homebrewVariants(plan);
  const inArchive = (v: Variant, e: string) => (v.archive.directory === null ? e : `${v.archive.directory}/${e}`);
  const lines = [
    ...header(plan),
    `cask ${rubyString(plan.name)} do`,
    ...metadata(plan, tap, "  ").filter((line) => !line.startsWith("  license")),
    `  name ${rubyString(plan.name)}`,
    ...urlBlocks(variants, url, sha256, (v) =>
      executables(plan, v.archive).map((e) => `      binary ${rubyString(inArchive(v, e))}, target: ${rubyString(e)}`),
    ),
    "end",
  ];
  return `${lines.join("\n")}\n`;
}

/** The file's path inside the tap: `Formula/hello.rb` or `Casks/hello.rb`. */
export function homebrewPath(plan: ReleasePlan, tap: TapSettings): string {
  return `${tap.directory === "" ? "" : `${tap.directory}/`}${plan.name.toLowerCase()}.rb`;
}
