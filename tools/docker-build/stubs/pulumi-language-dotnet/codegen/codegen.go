// Package codegen is a slipway stub: pulumi-docker-build only uses this type to fill the
// "csharp" entry of its schema's language map, and the real module is not on this machine's Go proxy.
package codegen

type CSharpPackageInfo struct {
	RespectSchemaVersion bool              `json:"respectSchemaVersion,omitempty"`
	PackageReferences    map[string]string `json:"packageReferences,omitempty"`
}
