# Installs the toolchain: Go builds from wrapper modules, Debian packages, npm-shipped plugins and the
# buildx builder entry. Sourced by scripts/toolchain.sh, which sets the versions and locations.
# shellcheck shell=bash disable=SC2034

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
	install_service_tools
}

# Built as `go_build` builds them (its compiled packages are reused); vet's facts for every dependency would
# add half a minute to a fresh machine's first run.
test_go_tools() {
	go_env
	local unformatted
	unformatted=$(cd "$TOOLS_DIR/pulumi-language-nodejs" && gofmt -l .)
	[[ -z $unformatted ]] || die "not gofmt-formatted in tools/pulumi-language-nodejs: $unformatted (run gofmt -w)"
	(cd "$TOOLS_DIR/pulumi-language-nodejs" && go test -vet=off -tags osusergo ./...)
}

install_service_tools() {
	go_env
	go_build buildkitd "$BUILDKIT_VERSION" "$TOOLS_DIR/buildkit" \
		"-s -w -X github.com/moby/buildkit/version.Version=v$BUILDKIT_VERSION -X github.com/moby/buildkit/version.Package=github.com/moby/buildkit" \
		"osusergo netgo static_build" github.com/moby/buildkit/cmd/buildkitd
	go_build buildctl "$BUILDKIT_VERSION" "$TOOLS_DIR/buildkit" \
		"-s -w -X github.com/moby/buildkit/version.Version=v$BUILDKIT_VERSION -X github.com/moby/buildkit/version.Package=github.com/moby/buildkit" \
		"osusergo netgo static_build" github.com/moby/buildkit/cmd/buildctl
	go_build proxy "$ATHENS_VERSION" "$TOOLS_DIR/athens" \
		"-s -w -X github.com/gomods/athens/pkg/build.version=v$ATHENS_VERSION" \
		"" github.com/gomods/athens/cmd/proxy
	go_build nfpm "$NFPM_VERSION" "$TOOLS_DIR/nfpm" \
		"-s -w -X main.version=$NFPM_VERSION -X main.builtBy=slipway-toolchain" \
		"" github.com/goreleaser/nfpm/v2/cmd/nfpm
	install_supply_chain_tools
}

install_supply_chain_tools() {
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

install_lint_tools() {
	go_env
	go_build actionlint "$ACTIONLINT_VERSION" "$TOOLS_DIR/actionlint" \
		"-s -w -X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION" \
		"" github.com/rhysd/actionlint/cmd/actionlint
	apt_install shellcheck || die "apt-get install failed (see $DIR/apt.log)"
}

# A GitHub runner has the Pulumi CLI and its plugins from the workflow (pulumi/actions, `pulumi plugin
# install`); it lacks only BuildKit (and Athens for a local proxy, nfpm for packages). Builds those, starts buildkitd, and hands the
# environment to the later steps through $GITHUB_ENV / $GITHUB_PATH.
runner_setup() {
	mkdir -p "$BIN" "$STAMPS" "$STATE" "$LOGS"
	apt_install runc tini git curl unzip ca-certificates || die "apt-get install failed (see $DIR/apt.log)"
	install_service_tools
	write_builder
	start_buildkitd
	if [[ -n ${GITHUB_ENV:-} ]]; then
		printf '%s\n' "BUILDKIT_HOST=$BUILDKIT_HOST_URL" DOCKER_BUILDKIT=1 "SLIPWAY_BUILDER=$BUILDER_NAME" >>"$GITHUB_ENV"
		echo "$BIN" >>"$GITHUB_PATH"
	fi
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
	apt_install runc docker-registry tini git curl unzip zip ca-certificates || die "apt-get install failed (see $DIR/apt.log)"
	# What the package tests read the packages, formula and install.sh with.
	apt_install lintian rpm ruby shellcheck || die "apt-get install failed (see $DIR/apt.log)"
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
	install_lint_tools
	install_npm_plugins "$project"
	write_builder
	# The engine loads docker-build from the plugin cache ($PULUMI_HOME/plugins, ~/.pulumi/plugins by default):
	# `env` sets PULUMI_IGNORE_AMBIENT_PLUGINS, so the copy in $BIN is not used from PATH.
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
