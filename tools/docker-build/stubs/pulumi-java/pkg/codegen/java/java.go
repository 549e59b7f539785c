// Package java is a slipway stub: pulumi-docker-build only uses this type to fill the
// "java" entry of its schema's language map, and the real module is not on this machine's Go proxy.
package java

type PackageInfo struct {
	BuildFiles                      string            `json:"buildFiles,omitempty"`
	GradleNexusPublishPluginVersion string            `json:"gradleNexusPublishPluginVersion,omitempty"`
	Dependencies                    map[string]string `json:"dependencies,omitempty"`
}
