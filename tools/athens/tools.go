//go:build tools

package tools

import (
	_ "github.com/gomods/athens/cmd/proxy"
)
