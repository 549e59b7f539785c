#!/bin/sh
# Installs hello 1.4.0 (commit 5a8b7c3): downloads the archive for this machine,
# checks it against SHA256SUMS and copies its programs into BINDIR.
#   sh install.sh [-b BINDIR]        environment: BINDIR, INSTALL_BASE_URL
set -eu

name='hello'
version='1.4.0'
checksums='SHA256SUMS'
base_url=${INSTALL_BASE_URL:-'https://mirror.example/it'\''s/v1.4.0'}
bindir=${BINDIR:-/usr/local/bin}

fail() {
	echo "install.sh: $*" >&2
	exit 1
}

while getopts "b:h" option; do
	case "$option" in
	b) bindir=$OPTARG ;;
	h)
		echo "usage: install.sh [-b BINDIR]"
		exit 0
		;;
	*) fail "usage: install.sh [-b BINDIR]" ;;
	esac
done

case "$(uname -s)" in
Linux) os=linux ;;
Darwin) os=darwin ;;
FreeBSD) os=freebsd ;;
OpenBSD) os=openbsd ;;
NetBSD) os=netbsd ;;
*) fail "unsupported operating system $(uname -s)" ;;
esac
case "$(uname -m)" in
x86_64 | amd64) arch=amd64 ;;
aarch64 | arm64) arch=arm64 ;;
armv7*) arch=armv7 ;;
armv6*) arch=armv6 ;;
i386 | i686) arch=386 ;;
riscv64) arch=riscv64 ;;
ppc64le) arch=ppc64le ;;
s390x) arch=s390x ;;
*) fail "unsupported CPU $(uname -m)" ;;
esac

case "$os/$arch" in
	linux/amd64)
		archive='hello_1.4.0_linux_amd64.tar.gz'
		directory=''
		programs='hi helloctl'
		;;
	darwin/arm64)
		archive='hello_1.4.0_darwin_arm64.tar.gz'
		directory=''
		programs='hi helloctl'
		;;
	*) fail "$name $version has no archive for $os/$arch" ;;
esac

download() {
	if command -v curl >/dev/null 2>&1; then
		curl -fsSL -o "$2" "$1"
	elif command -v wget >/dev/null 2>&1; then
		wget -q -O "$2" "$1"
	else
		fail "neither curl nor wget is installed"
	fi
}

sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d ' ' -f 1
	else
		shasum -a 256 "$1" | cut -d ' ' -f 1
	fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
download "$base_url/$archive" "$tmp/$archive" || fail "cannot download $base_url/$archive"
download "$base_url/$checksums" "$tmp/$checksums" || fail "cannot download $base_url/$checksums"
expected=$(awk -v file="$archive" '$2 == file || $2 == ("*" file) { print $1 }' "$tmp/$checksums")
[ -n "$expected" ] || fail "$checksums lists no $archive"
actual=$(sha256 "$tmp/$archive")
[ "$actual" = "$expected" ] || fail "$archive does not match $checksums (sha256 $actual, expected $expected): not installed"

mkdir "$tmp/unpacked"
case "$archive" in
*.tar.gz) tar -xzf "$tmp/$archive" -C "$tmp/unpacked" ;;
*.tar.xz) tar -xJf "$tmp/$archive" -C "$tmp/unpacked" ;;
esac
mkdir -p "$bindir"
for program in $programs; do
	source="$tmp/unpacked/${directory:+$directory/}$program"
	[ -f "$source" ] || fail "$archive holds no $program"
	cp "$source" "$bindir/$program.tmp"
	chmod 0755 "$bindir/$program.tmp"
	mv -f "$bindir/$program.tmp" "$bindir/$program"
	echo "installed $bindir/$program ($name $version)"
done
