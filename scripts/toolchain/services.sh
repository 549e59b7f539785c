# Starts, stops and reports the local services (registry, buildkitd, dockerd) and prints the engine's
# environment. Sourced by scripts/toolchain.sh, which sets the versions and locations.
# shellcheck shell=bash

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
	for f in pulumi pulumi-language-nodejs pulumi-resource-docker-build pulumi-resource-pulumi-nodejs buildkitd buildctl proxy nfpm cosign cyclonedx-gomod; do
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

# PULUMI_IGNORE_AMBIENT_PLUGINS: the engine takes docker-build from the plugin cache (`install` puts it there),
# not from $BIN on PATH, which it would announce on every update with "using … from $PATH"; the bundled
# plugins next to bin/pulumi are found either way.
print_env() {
	local project=$1
	cat <<EOF
export PATH="$BIN:\$PATH"
export PULUMI_IGNORE_AMBIENT_PLUGINS=true
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
