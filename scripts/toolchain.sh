#!/usr/bin/env bash
# Offline Pulumi toolchain for slipway: builds the Pulumi engine, the docker-build provider, BuildKit, Athens,
# cosign and cyclonedx-gomod from Go modules, installs runc/registry/tini from Debian, and starts the local
# services on 127.0.0.1.
#
#   scripts/toolchain.sh install [PROJECT_DIR]   build/install only (cached)
#   scripts/toolchain.sh start   [PROJECT_DIR]   install, then start registry and buildkitd, and prepare the
#                                                project's file state backend and passphrase
#   scripts/toolchain.sh bench   [PROJECT_DIR]   start, plus what only bench/ needs: GoReleaser (the peer) and
#                                                rsvg-convert (the chart's PNG)
#   scripts/toolchain.sh stop                    stop the services started by `start`
#   scripts/toolchain.sh status                  show binaries and service health
#   scripts/toolchain.sh env     [PROJECT_DIR]   print `export ...` lines; use: eval "$(scripts/toolchain.sh env)"
#
# PROJECT_DIR (default: the repo root, or the current directory when it holds a Pulumi.yaml and slipway is
# installed as a package) is the Pulumi project: node_modules/@pulumi/pulumi is looked for there, to put its
# pulumi-resource-pulumi-nodejs shim on PATH, and its state and passphrase live in PROJECT_DIR/.slipway/.
set -euo pipefail

# ---- pinned versions ---------------------------------------------------------------------------------------
PULUMI_VERSION=3.248.0            # npm @pulumi/pulumi is pinned to this (>=3.249 needs Node 22)
# Upstream's Node.js language host is an untagged module that the Go proxy here does not serve, so
# tools/pulumi-language-nodejs is slipway's own minimal host on top of sdk/v3 (reports this version).
PULUMI_LANGUAGE_NODEJS_VERSION=$PULUMI_VERSION+slipway
DOCKER_BUILD_VERSION=0.0.22       # what npm @pulumi/docker-build 0.0.22 requests
BUILDKIT_VERSION=0.32.2
ATHENS_VERSION=0.18.0
TYPESCRIPT_VERSION=5.9.3          # only for the throwaway npm project
COSIGN_VERSION=2.6.5              # signatures and attestations (slipway:signing); keyed, offline: --tlog-upload=false
CYCLONEDX_GOMOD_VERSION=1.10.0    # SBOMs of the binaries (slipway:sbom); `bin -json -noserial -notimestamp` is reproducible
GORELEASER_VERSION=2.16.0         # bench/ only; 2.17 needs a module this Go proxy refuses (go-msix, 403)

# ---- locations -------------------------------------------------------------------------------------------------
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Installed as a package (…/node_modules/slipway), the project is the repository that installed it.
DEFAULT_PROJECT=$REPO_ROOT
if [[ $REPO_ROOT == */node_modules/* ]]; then DEFAULT_PROJECT=${REPO_ROOT%%/node_modules/*}; fi
TOOLS_DIR=$REPO_ROOT/tools
DIR=${SLIPWAY_TOOLCHAIN_DIR:-$HOME/.cache/slipway-toolchain}
BIN=$DIR/bin
STAMPS=$DIR/stamps
STATE=${SLIPWAY_STATE_DIR:-$DIR/state}
LOGS=$STATE/logs
RUN_DIR=${SLIPWAY_RUN_DIR:-/run/slipway}
BUILDKIT_SOCK=$RUN_DIR/buildkitd.sock
BUILDKIT_HOST_URL=unix://$BUILDKIT_SOCK
REGISTRY_ADDR=127.0.0.1:5000
BUILDER_NAME=slipway
DOCKER_CONFIG_DIR=${DOCKER_CONFIG:-$HOME/.docker}

log() { printf '[toolchain] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---- Go builds ----------------------------------------------------------------------------------------------------
go_env() {
	export GOTOOLCHAIN=local CGO_ENABLED=0
	# -mod=readonly: the wrapper go.sum files are committed; a missing line must fail, not resolve anew.
	export GOFLAGS="-trimpath -buildvcs=false -mod=readonly"
	# The checksum database behind this machine's proxy has no entry for pulumi/pkg/v3 v3.248.0 (404);
	# go.sum in tools/pulumi pins its hash instead.
	export GONOSUMDB=${GONOSUMDB:+$GONOSUMDB,}github.com/pulumi/pulumi/pkg/v3
}

# stamp key: version + hash of the wrapper module files, so editing go.mod/go.sum rebuilds.
wrapper_key() {
	local version=$1 wrapper=$2
	{
		echo "$version"
		go version
		# Relative paths: the key must not depend on where the checkout is (CI clones elsewhere every run).
		(cd "$wrapper" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) -print0 | sort -z | xargs -0 sha256sum)
	} | sha256sum | cut -d' ' -f1
}

# go_build NAME VERSION WRAPPER_DIR LDFLAGS TAGS PKG
go_build() {
	local name=$1 version=$2 wrapper=$3 ldflags=$4 tags=$5 pkg=$6
	local key stamp=$STAMPS/$name
	key=$(wrapper_key "$version" "$wrapper")
	if [[ -x $BIN/$name && -f $stamp && $(cat "$stamp") == "$key" ]]; then
		log "$name $version: cached"
		return
	fi
	log "$name $version: building (log: $DIR/build-$name.log)"
	local start=$SECONDS
	if ! (cd "$wrapper" && go build -tags "$tags" -ldflags "$ldflags" -o "$BIN/$name.tmp" "$pkg") >"$DIR/build-$name.log" 2>&1; then
		tail -n 30 "$DIR/build-$name.log" >&2
		die "building $name failed"
	fi
	mv -f "$BIN/$name.tmp" "$BIN/$name"
	echo "$key" >"$stamp"
	log "$name $version: built in $((SECONDS - start))s"
}

install_go_tools() {
	go_env
	go_build pulumi "$PULUMI_VERSION" "$TOOLS_DIR/pulumi" \
		"-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
		osusergo,grpcnotrace github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
	go_build pulumi-language-nodejs "$PULUMI_LANGUAGE_NODEJS_VERSION" "$TOOLS_DIR/pulumi-language-nodejs" \
		"-s -w -X main.Version=$PULUMI_LANGUAGE_NODEJS_VERSION" \
		osusergo .
	go_build pulumi-resource-docker-build "$DOCKER_BUILD_VERSION" "$TOOLS_DIR/docker-build" \
		"-s -w -X github.com/pulumi/pulumi-docker-build/provider.Version=$DOCKER_BUILD_VERSION" \
		osusergo github.com/pulumi/pulumi-docker-build/provider/cmd/pulumi-resource-docker-build
	go_build buildkitd "$BUILDKIT_VERSION" "$TOOLS_DIR/buildkit" \
		"-s -w -X github.com/moby/buildkit/version.Version=v$BUILDKIT_VERSION -X github.com/moby/buildkit/version.Package=github.com/moby/buildkit" \
		"osusergo netgo static_build" github.com/moby/buildkit/cmd/buildkitd
	go_build buildctl "$BUILDKIT_VERSION" "$TOOLS_DIR/buildkit" \
		"-s -w -X github.com/moby/buildkit/version.Version=v$BUILDKIT_VERSION -X github.com/moby/buildkit/version.Package=github.com/moby/buildkit" \
		"osusergo netgo static_build" github.com/moby/buildkit/cmd/buildctl
	go_build proxy "$ATHENS_VERSION" "$TOOLS_DIR/athens" \
		"-s -w -X github.com/gomods/athens/pkg/build.version=v$ATHENS_VERSION" \
		"" github.com/gomods/athens/cmd/proxy
	go_build cosign "$COSIGN_VERSION" "$TOOLS_DIR/cosign" \
		"-s -w -buildid= -X sigs.k8s.io/release-utils/version.gitVersion=v$COSIGN_VERSION" \
		"" github.com/sigstore/cosign/v2/cmd/cosign
	go_build cyclonedx-gomod "$CYCLONEDX_GOMOD_VERSION" "$TOOLS_DIR/cyclonedx-gomod" \
		"-s -w" "" github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod
}

install_bench_tools() {
	go_env
	go_build goreleaser "$GORELEASER_VERSION" "$TOOLS_DIR/goreleaser" \
		"-s -w -X main.version=$GORELEASER_VERSION -X main.builtBy=slipway-toolchain" \
		"" github.com/goreleaser/goreleaser/v2
	apt_install librsvg2-bin fonts-dejavu-core || die "apt-get install failed (see $DIR/apt.log)"
}

# ---- Debian packages ------------------------------------------------------------------------------------------------
APT_UPDATED=
apt_install() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	if [[ -z $APT_UPDATED ]]; then
		log "apt-get update"
		apt-get update -qq >"$DIR/apt.log" 2>&1 || { tail -n 20 "$DIR/apt.log" >&2; return 1; }
		APT_UPDATED=1
	fi
	log "apt-get install ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$DIR/apt.log" 2>&1 ||
		{ tail -n 20 "$DIR/apt.log" >&2; return 1; }
}

install_debian() {
	[[ $(id -u) == 0 ]] || die "run as root (apt-get, buildkitd)"
	apt_install runc docker-registry tini git curl ca-certificates || die "apt-get install failed (see $DIR/apt.log)"
	# Optional: lets arm64 RUN steps execute under emulation. COPY-only arm64 images don't need it.
	if apt_install qemu-user-static binfmt-support; then
		enable_binfmt
	else
		log "qemu-user-static/binfmt-support unavailable: arm64 RUN steps will fail (COPY-only images still work)"
	fi
	if [[ ${SLIPWAY_DOCKER:-0} == 1 ]]; then
		apt_install docker.io || log "docker.io unavailable: skipping dockerd"
	fi
}

enable_binfmt() {
	if [[ ! -e /proc/sys/fs/binfmt_misc/status ]]; then
		mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null ||
			{ log "binfmt_misc cannot be mounted here: no arm64 emulation for RUN steps"; return 0; }
	fi
	local arch
	for arch in aarch64 arm; do
		if [[ ! -e /proc/sys/fs/binfmt_misc/qemu-$arch ]]; then
			update-binfmts --enable "qemu-$arch" >/dev/null 2>&1 ||
				log "update-binfmts --enable qemu-$arch failed: no $arch emulation for RUN steps or foreign binaries"
		fi
	done
}

# ---- npm-shipped plugins ------------------------------------------------------------------------------------------
# pulumi-resource-pulumi-nodejs (dynamic providers) and pulumi-analyzer-policy ship inside @pulumi/pulumi.
install_npm_plugins() {
	local project=$1 sdk=$1/node_modules/@pulumi/pulumi
	if [[ ! -d $sdk ]]; then
		sdk=$DIR/npm/node_modules/@pulumi/pulumi
		if [[ ! -d $sdk || $(node -p "require('$sdk/package.json').version" 2>/dev/null) != "$PULUMI_VERSION" ]]; then
			log "no $project/node_modules/@pulumi/pulumi; installing @pulumi/pulumi@$PULUMI_VERSION into $DIR/npm"
			mkdir -p "$DIR/npm"
			[[ -f $DIR/npm/package.json ]] || echo '{"name":"slipway-toolchain-npm","private":true}' >"$DIR/npm/package.json"
			(cd "$DIR/npm" && npm install --no-audit --no-fund --save-exact "@pulumi/pulumi@$PULUMI_VERSION" \
				"typescript@$TYPESCRIPT_VERSION") >"$DIR/npm.log" 2>&1 || { tail -n 20 "$DIR/npm.log" >&2; die "npm install failed"; }
		fi
	fi
	local f found=0
	for f in pulumi-resource-pulumi-nodejs pulumi-analyzer-policy; do
		if [[ -f $sdk/$f ]]; then
			install -m 0755 "$sdk/$f" "$BIN/$f"
			found=1
		fi
	done
	((found)) || die "no pulumi-resource-pulumi-nodejs in $sdk"
	log "copied npm plugin shims from $sdk"
}

install_all() {
	local project=${1:-$REPO_ROOT}
	mkdir -p "$BIN" "$STAMPS"
	install_debian
	install_go_tools
	install_npm_plugins "$project"
	write_builder
	# Plugins are also on PATH via $BIN; registering in ~/.pulumi/plugins covers tools that don't use our PATH.
	if ! "$BIN/pulumi" plugin ls 2>/dev/null | grep -q "^docker-build *resource *$DOCKER_BUILD_VERSION "; then
		PULUMI_SKIP_UPDATE_CHECK=true "$BIN/pulumi" plugin install resource docker-build "$DOCKER_BUILD_VERSION" \
			--file "$BIN/pulumi-resource-docker-build" >/dev/null
	fi
}

# ---- buildx builder entry (read by the docker-build provider; no buildx binary needed) ----------------------------------
write_builder() {
	local dir=$DOCKER_CONFIG_DIR/buildx
	mkdir -p "$dir/instances" "$dir/defaults" "$dir/activity"
	cat >"$dir/instances/$BUILDER_NAME.tmp" <<EOF
{"Name":"$BUILDER_NAME","Driver":"remote","Nodes":[{"Name":"${BUILDER_NAME}0","Endpoint":"$BUILDKIT_HOST_URL","Platforms":null,"DriverOpts":null,"Flags":null,"Files":null}],"Dynamic":false}
EOF
	mv -f "$dir/instances/$BUILDER_NAME.tmp" "$dir/instances/$BUILDER_NAME"
	# "Global": true makes it the current builder for every docker context.
	printf '{"Key":"","Name":"%s","Global":true}' "$BUILDER_NAME" >"$dir/current"
}

# ---- services ----------------------------------------------------------------------------------------------------------
pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

registry_healthy() { [[ $(curl -s -o /dev/null -w '%{http_code}' "http://$REGISTRY_ADDR/v2/" 2>/dev/null) == 200 ]]; }
buildkit_healthy() { "$BIN/buildctl" --addr "$BUILDKIT_HOST_URL" debug workers >/dev/null 2>&1; }

# start_service NAME HEALTH_FN CMD...   (detached in its own session; pidfile + log under $STATE)
start_service() {
	local name=$1 health=$2
	shift 2
	local pidfile=$STATE/$name.pid
	if $health; then
		if pid_alive "$pidfile"; then
			log "$name: already running (pid $(cat "$pidfile"))"
		else
			log "$name: already answering (not started by this script)"
		fi
		return
	fi
	if pid_alive "$pidfile"; then
		log "$name: pid $(cat "$pidfile") alive but unhealthy; restarting"
		stop_service "$name"
	fi
	log "$name: starting (log: $LOGS/$name.log)"
	# 9>&-: a daemon must not inherit the install lock, or the next `start` would wait for it forever.
	setsid nohup "$@" >>"$LOGS/$name.log" 2>&1 </dev/null 9>&- &
	echo $! >"$pidfile"
	local i
	for ((i = 0; i < 60; i++)); do
		$health && { log "$name: up"; return; }
		pid_alive "$pidfile" || break
		sleep 0.5
	done
	tail -n 20 "$LOGS/$name.log" >&2
	die "$name did not become healthy"
}

stop_service() {
	local name=$1 pidfile=$STATE/$1.pid i
	if pid_alive "$pidfile"; then
		local pid
		pid=$(cat "$pidfile")
		kill "$pid"
		for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
		log "$name: stopped (pid $pid)"
	fi
	rm -f "$pidfile"
}

start_registry() {
	mkdir -p "$STATE/registry"
	cat >"$STATE/registry.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $STATE/registry
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
EOF
	start_service registry registry_healthy /usr/bin/docker-registry serve "$STATE/registry.yml"
}

start_buildkitd() {
	mkdir -p "$STATE/buildkit" "$RUN_DIR"
	cat >"$STATE/buildkitd.toml" <<EOF
root = "$STATE/buildkit"
insecure-entitlements = ["network.host"]

[grpc]
  address = ["$BUILDKIT_HOST_URL"]

[worker.oci]
  enabled = true
  gc = true

[worker.containerd]
  enabled = false

[registry."$REGISTRY_ADDR"]
  http = true
  insecure = true
EOF
	start_service buildkitd buildkit_healthy "$BIN/buildkitd" --config "$STATE/buildkitd.toml" \
		--allow-insecure-entitlement network.host
}

docker_healthy() { docker info >/dev/null 2>&1; }
start_dockerd() {
	[[ ${SLIPWAY_DOCKER:-0} == 1 ]] || return 0
	command -v dockerd >/dev/null || { log "dockerd not installed: skipping"; return 0; }
	start_service dockerd docker_healthy dockerd --host unix:///var/run/docker.sock --data-root "$STATE/docker"
}

# The project keeps its Pulumi state in a file backend inside it, encrypted with a passphrase generated
# once per checkout (no Pulumi Cloud login). Athens is not started here: the stacks provision their own.
prepare_project() {
	local project=$1
	mkdir -p "$project/.slipway/state"
	if [[ ! -s $project/.slipway/passphrase ]]; then
		(umask 077 && head -c 24 /dev/urandom | base64 >"$project/.slipway/passphrase")
		log "generated the stack passphrase in $project/.slipway/passphrase (keep it: it decrypts the stacks' secrets)"
	fi
}

start_all() {
	install_all "${1:-$REPO_ROOT}"
	mkdir -p "$STATE" "$LOGS"
	command -v update-binfmts >/dev/null && enable_binfmt
	start_registry
	start_buildkitd
	start_dockerd
	prepare_project "${1:-$REPO_ROOT}"
}

bench_all() {
	start_all "$1"
	install_bench_tools
}

stop_all() {
	local s
	for s in dockerd buildkitd registry; do stop_service "$s"; done
}

status() {
	local f
	for f in pulumi pulumi-language-nodejs pulumi-resource-docker-build pulumi-resource-pulumi-nodejs buildkitd buildctl proxy cosign cyclonedx-gomod; do
		if [[ -x $BIN/$f ]]; then printf '%-32s %s\n' "$f" "$BIN/$f"; else printf '%-32s missing\n' "$f"; fi
	done
	local rc=0 svc
	for svc in "registry:registry_healthy:http://$REGISTRY_ADDR" "buildkitd:buildkit_healthy:$BUILDKIT_HOST_URL"; do
		IFS=: read -r name health addr <<<"$svc"
		if $health; then printf '%-10s up    %s\n' "$name" "$addr"; else printf '%-10s down\n' "$name"; rc=1; fi
	done
	if [[ ${SLIPWAY_DOCKER:-0} == 1 ]]; then
		if docker_healthy; then echo "dockerd    up"; else echo "dockerd    down"; fi
	fi
	echo "state: $STATE  logs: $LOGS"
	return $rc
}

print_env() {
	local project=$1
	cat <<EOF
export PATH="$BIN:\$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_DISABLE_REGISTRY_RESOLVE=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
export BUILDKIT_HOST="$BUILDKIT_HOST_URL"
export DOCKER_BUILDKIT=1
export SLIPWAY_BUILDER=$BUILDER_NAME
export SLIPWAY_REGISTRY=$REGISTRY_ADDR
export PULUMI_BACKEND_URL="file://$project/.slipway/state"
export PULUMI_CONFIG_PASSPHRASE_FILE="$project/.slipway/passphrase"
EOF
}

# One install or start at a time per cache: two checkouts building into the same bin/ would race.
with_lock() {
	mkdir -p "$DIR"
	exec 9>"$DIR/.lock"
	flock -w "${SLIPWAY_LOCK_TIMEOUT:-1800}" 9 ||
		die "another scripts/toolchain.sh holds $DIR/.lock for over ${SLIPWAY_LOCK_TIMEOUT:-1800}s: find it with 'fuser $DIR/.lock' and stop it"
	"$@"
}

case ${1:-} in
install) with_lock install_all "${2:-$DEFAULT_PROJECT}" ;;
start) with_lock start_all "${2:-$DEFAULT_PROJECT}" ;;
bench) with_lock bench_all "${2:-$DEFAULT_PROJECT}" ;;
stop) stop_all ;;
status) status ;;
env) print_env "$(cd "${2:-$DEFAULT_PROJECT}" && pwd)" ;;
*)
	sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
