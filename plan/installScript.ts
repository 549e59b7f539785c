// install.sh, a release asset: picks the archive for the machine, checks it against the checksums file
// and installs its programs. Rendered from the plan; POSIX sh, shellcheck-clean.
import { ReleasePlan } from "./releasePlan";

export const INSTALL_SCRIPT = "install.sh";

/** A shell single-quoted word. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The `case` arms: `linux/amd64)` → archive name, wrapping directory and programs. */
function platformArms(plan: ReleasePlan): string[] {
  const arms: string[] = [];
  for (const archive of plan.assets.archives) {
    if (archive.format === "zip") continue;
    const key = `${archive.os}/${archive.arch}${archive.arm === undefined ? "" : `v${archive.arm}`}`;
    const programs = archive.binaries.map((file) => plan.assets.binaries.find((b) => b.file === file)?.executable ?? file);
    arms.push(
      `\t${key})`,
      `\t\tarchive=${quote(archive.name)}`,
      `\t\tdirectory=${quote(archive.directory ?? "")}`,
      `\t\tprograms=${quote(programs.join(" "))}`,
      "\t\t;;",
    );
  }
  return arms;
}

/**
 * The script's text. `baseUrl` is where the release's assets are downloaded from (the GitHub release's
 * download URL); users may point `INSTALL_BASE_URL` at a mirror, and choose the directory with `-b DIR`
 * or `BINDIR` (default `/usr/local/bin`).
 */
export function renderInstallScript(plan: ReleasePlan, baseUrl: string): string {
  const lines = [
    "#!/bin/sh",
    `# Installs ${plan.name} ${plan.version} (commit ${plan.commit.short}): downloads the archive for this machine,`,
    `# checks it against ${plan.assets.checksums.file} and copies its programs into BINDIR.`,
    "#   sh install.sh [-b BINDIR]        environment: BINDIR, INSTALL_BASE_URL",
    "set -eu",
    "",
    `name=${quote(plan.name)}`,
    `version=${quote(plan.version)}`,
    `checksums=${quote(plan.assets.checksums.file)}`,
    `base_url=\${INSTALL_BASE_URL:-${quote(baseUrl)}}`,
    "bindir=${BINDIR:-/usr/local/bin}",
    "",
    "fail() {",
    '\techo "install.sh: $*" >&2',
    "\texit 1",
    "}",
    "",
    'while getopts "b:h" option; do',
    '\tcase "$option" in',
    "\tb) bindir=$OPTARG ;;",
    "\th)",
    '\t\techo "usage: install.sh [-b BINDIR]"',
    "\t\texit 0",
    "\t\t;;",
    '\t*) fail "usage: install.sh [-b BINDIR]" ;;',
    "\tesac",
    "done",
    "",
    'case "$(uname -s)" in',
    "Linux) os=linux ;;",
    "Darwin) os=darwin ;;",
    "FreeBSD) os=freebsd ;;",
    "OpenBSD) os=openbsd ;;",
    "NetBSD) os=netbsd ;;",
    '*) fail "unsupported operating system $(uname -s)" ;;',
    "esac",
    'case "$(uname -m)" in',
    "x86_64 | amd64) arch=amd64 ;;",
    "aarch64 | arm64) arch=arm64 ;;",
    "armv7*) arch=armv7 ;;",
    "armv6*) arch=armv6 ;;",
    "i386 | i686) arch=386 ;;",
    "riscv64) arch=riscv64 ;;",
    "ppc64le) arch=ppc64le ;;",
    "s390x) arch=s390x ;;",
    '*) fail "unsupported CPU $(uname -m)" ;;',
    "esac",
    "",
    'case "$os/$arch" in',
    ...platformArms(plan),
    '\t*) fail "$name $version has no archive for $os/$arch" ;;',
    "esac",
    "",
    "download() {",
    "\tif command -v curl >/dev/null 2>&1; then",
    '\t\tcurl -fsSL -o "$2" "$1"',
    "\telif command -v wget >/dev/null 2>&1; then",
    '\t\twget -q -O "$2" "$1"',
    "\telse",
    '\t\tfail "neither curl nor wget is installed"',
    "\tfi",
    "}",
    "",
    "sha256() {",
    "\tif command -v sha256sum >/dev/null 2>&1; then",
    "\t\tsha256sum \"$1\" | cut -d ' ' -f 1",
    "\telse",
    "\t\tshasum -a 256 \"$1\" | cut -d ' ' -f 1",
    "\tfi",
    "}",
    "",
    "tmp=$(mktemp -d)",
    "trap 'rm -rf \"$tmp\"' EXIT",
    'download "$base_url/$archive" "$tmp/$archive" || fail "cannot download $base_url/$archive"',
    'download "$base_url/$checksums" "$tmp/$checksums" || fail "cannot download $base_url/$checksums"',
    'expected=$(awk -v file="$archive" \'$2 == file || $2 == ("*" file) { print $1 }\' "$tmp/$checksums")',
    '[ -n "$expected" ] || fail "$checksums lists no $archive"',
    'actual=$(sha256 "$tmp/$archive")',
    '[ "$actual" = "$expected" ] || fail "$archive does not match $checksums (sha256 $actual, expected $expected): not installed"',
    "",
    'mkdir "$tmp/unpacked"',
    'case "$archive" in',
    '*.tar.gz) tar -xzf "$tmp/$archive" -C "$tmp/unpacked" ;;',
    '*.tar.xz) tar -xJf "$tmp/$archive" -C "$tmp/unpacked" ;;',
    "esac",
    'mkdir -p "$bindir"',
    "for program in $programs; do",
    '\tsource="$tmp/unpacked/${directory:+$directory/}$program"',
    '\t[ -f "$source" ] || fail "$archive holds no $program"',
    '\tcp "$source" "$bindir/$program.tmp"',
    '\tchmod 0755 "$bindir/$program.tmp"',
    '\tmv -f "$bindir/$program.tmp" "$bindir/$program"',
    '\techo "installed $bindir/$program ($name $version)"',
    "done",
  ];
  return `${lines.join("\n")}\n`;
}
