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
#   scripts/toolchain.sh runner                  on a GitHub runner (Pulumi from the workflow): BuildKit, Athens,
#                                                cosign and cyclonedx-gomod only, buildkitd started, environment
#                                                to $GITHUB_ENV
#   scripts/toolchain.sh stop                    stop the services started by `start`
#   scripts/toolchain.sh test                    gofmt and the Go tests of slipway's own tools (language host)
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
NFPM_VERSION=2.45.2               # slipway:packages (deb, rpm, apk, archlinux)
TYPESCRIPT_VERSION=5.9.3          # only for the throwaway npm project
COSIGN_VERSION=2.6.5              # signatures and attestations (slipway:signing); keyed, offline: --tlog-upload=false
CYCLONEDX_GOMOD_VERSION=1.10.0    # SBOMs of the binaries (slipway:sbom); `bin -json -noserial -notimestamp` is reproducible
GORELEASER_VERSION=2.16.0         # bench/ only; 2.17 needs a module this Go proxy refuses (go-msix, 403)
ACTIONLINT_VERSION=1.7.12         # npm test lints .github/workflows with it (and Debian's shellcheck)

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

# shellcheck source=scripts/toolchain/install.sh
source "$REPO_ROOT/scripts/toolchain/install.sh"
# shellcheck source=scripts/toolchain/services.sh
source "$REPO_ROOT/scripts/toolchain/services.sh"

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
runner) with_lock runner_setup ;;
stop) stop_all ;;
status) status ;;
test) test_go_tools ;;
env) print_env "$(cd "${2:-$DEFAULT_PROJECT}" && pwd)" ;;
*)
	sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
