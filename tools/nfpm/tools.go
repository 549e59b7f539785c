//go:build tools

// Wrapper module for nfpm (Linux packages: deb, rpm, apk, archlinux), built from the Go module proxy and
// pinned by the committed go.sum, the same way as the toolchain's other tools.
package tools

import (
	_ "github.com/goreleaser/nfpm/v2/cmd/nfpm"
)
