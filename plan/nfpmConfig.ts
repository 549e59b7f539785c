// What nfpm reads to build one package: rendered from the packages plan, paths supplied by the caller.
// JSON is YAML, so the canonical JSON text is the config file itself.
import { canonicalJson } from "./canonicalJson";
import { PackageAsset, PackagesPlan, SCRIPT_KINDS } from "./packages";
import { ReleasePlan } from "./releasePlan";

/** Where the package's sources are on the machine that builds it. */
export interface PackageSourcePaths {
  /** Absolute path of the built binary. */
  readonly binary: string;
  /** Absolute module directory; extra files are relative to it. */
  readonly moduleDir: string;
  /**
   * Directory holding each script as `<kind>` (`postinstall`), copied there with the commit time as mtime
   * (apk records a script's own mtime), and the files of {@link stagedPackageFiles}.
   */
  readonly stagingDir: string;
}

/** Files the packages need besides the user's: the Debian copyright file, lintian's overrides and nfpm's changelog. */
export function stagedPackageFiles(plan: ReleasePlan, packages: PackagesPlan): Record<string, string> {
  const copyright = [
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
    `Upstream-Name: ${plan.name}`,
    ...(packages.homepage === undefined ? [] : [`Source: ${packages.homepage}`]),
    "",
    "Files: *",
    `Copyright: ${packages.vendor ?? packages.maintainer}`,
    `License: ${packages.license ?? "NOASSERTION"}`,
    "",
  ].join("\n");
  const changelog = canonicalJson([
    {
      semver: plan.version,
      date: plan.commit.time,
      packager: packages.maintainer,
      changes: [{ commit: plan.commit.sha, note: `Release ${plan.version}.` }],
    },
  ]);
  // Go binaries are built with cgo off, so static by design: lintian's error for that is overridden.
  const lintianOverrides = `${plan.name}: statically-linked-binary\n`;
  return { copyright, "changelog.yml": `${changelog}\n`, "lintian-overrides": lintianOverrides };
}

/** Host name recorded in rpm headers: fixed, so that a package does not depend on the machine that built it. */
export const RPM_BUILD_HOST = "slipway";

/**
 * The nfpm configuration of one package. Every file's mtime is the commit time (with the package's
 * own timestamps, `mtime` and SOURCE_DATE_EPOCH), so a commit gives the same bytes on every run.
 */
export function nfpmConfig(plan: ReleasePlan, packages: PackagesPlan, asset: PackageAsset, paths: PackageSourcePaths): string {
  const mtime = plan.commit.time;
  const fileInfo = (mode: string) => ({ mode: Number.parseInt(mode, 8), mtime, owner: "root", group: "root" });
  const contents = [
    { src: paths.binary, dst: `${packages.bindir}/${asset.executable}`, type: "file", file_info: fileInfo("0755") },
    {
      src: `${paths.stagingDir}/copyright`,
      dst: `/usr/share/doc/${plan.name}/copyright`,
      type: "file",
      packager: "deb",
      file_info: fileInfo("0644"),
    },
    {
      src: `${paths.stagingDir}/lintian-overrides`,
      dst: `/usr/share/lintian/overrides/${plan.name}`,
      type: "file",
      packager: "deb",
      file_info: fileInfo("0644"),
    },
    ...packages.files.map((f) => ({
      src: `${paths.moduleDir}/${f.src}`,
      dst: f.dst,
      type: f.type === "file" ? undefined : f.type,
      file_info: fileInfo(f.mode),
    })),
  ];
  const scripts: Record<string, string> = {};
  for (const kind of SCRIPT_KINDS) {
    const path = packages.scripts[kind];
    if (path !== undefined) scripts[kind] = `${paths.stagingDir}/${kind}`;
  }
  const config = {
    name: plan.name,
    arch: asset.arch,
    platform: "linux",
    version: plan.version,
    version_schema: "semver",
    release: "1",
    section: "utils",
    priority: "optional",
    maintainer: packages.maintainer,
    // Debian wants an extended description after the synopsis line.
    description: packages.description.includes("\n")
      ? packages.description
      : `${packages.description}\n${plan.name} ${plan.version}, built from commit ${plan.commit.short}.`,
    changelog: `${paths.stagingDir}/changelog.yml`,
    vendor: packages.vendor,
    homepage: packages.homepage,
    license: packages.license,
    mtime,
    disable_globbing: true,
    umask: 0o022,
    depends: packages.dependencies.length === 0 ? undefined : packages.dependencies,
    contents,
    scripts: Object.keys(scripts).length === 0 ? undefined : scripts,
    rpm: { buildhost: RPM_BUILD_HOST, summary: firstLine(packages.description) },
    archlinux: { packager: packages.maintainer },
  };
  return `${canonicalJson(config)}\n`;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
