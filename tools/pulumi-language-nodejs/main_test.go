package main

import (
	"context"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const runScript = "@pulumi/pulumi/cmd/run"

// write creates each file (parents too) under root with its content.
func write(t *testing.T, root string, fileSets ...map[string]string) {
	t.Helper()
	files := map[string]string{}
	for _, set := range fileSets {
		maps.Copy(files, set)
	}
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// nodeResolves is node's own answer, the one resolveInNodeModules must give without starting node.
func nodeResolves(t *testing.T, dir, module string) string {
	t.Helper()
	cmd := exec.Command("node", "-e", "console.log(require.resolve(process.argv[1]))", module)
	cmd.Dir = dir
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "NODE_OPTIONS=") || strings.HasPrefix(kv, "NODE_PRESERVE_SYMLINKS=") || strings.HasPrefix(kv, "NODE_PATH=")
	})
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node cannot resolve %s from %s: %v", module, dir, err)
	}
	return strings.TrimSpace(string(out))
}

const sdkManifest = `{"name":"@pulumi/pulumi","version":"3.248.0"}`

// sdkAt is an installed @pulumi/pulumi with its run script in <dir>/node_modules ("" for root's).
func sdkAt(dir string) map[string]string {
	pkg := path.Join(dir, "node_modules/@pulumi/pulumi")
	return map[string]string{pkg + "/package.json": sdkManifest, pkg + "/cmd/run/index.js": ""}
}

// Each layout's program directory is <root>/project/scripts; npm's usual layouts and the ones node answers
// by walking further up.
func TestResolveInNodeModulesAnswersAsNodeDoes(t *testing.T) {
	layouts := map[string]func(t *testing.T, root string){
		"installed in the project": func(t *testing.T, root string) {
			write(t, root, map[string]string{
				"project/scripts/program.js": "",
			}, sdkAt("project"))
		},
		"node_modules a symlink to another checkout's": func(t *testing.T, root string) {
			write(t, root, map[string]string{
				"project/scripts/program.js": "",
			}, sdkAt("other"))
			symlink(t, filepath.Join(root, "other", "node_modules"), filepath.Join(root, "project", "node_modules"))
		},
		"the package a symlink (npm link, workspaces)": func(t *testing.T, root string) {
			write(t, root, map[string]string{
				"project/scripts/program.js": "",
				"sdk/package.json":           sdkManifest,
				"sdk/cmd/run/index.js":       "",
				"project/node_modules/.keep": "",
			})
			symlink(t, filepath.Join(root, "sdk"), filepath.Join(root, "project", "node_modules", "@pulumi", "pulumi"))
		},
		"the program directory reached through a symlink": func(t *testing.T, root string) {
			write(t, root, map[string]string{
				"real/scripts/program.js": "",
			}, sdkAt("real"))
			symlink(t, filepath.Join(root, "real"), filepath.Join(root, "project"))
		},
		"the program directory a symlink into a tree with another SDK": func(t *testing.T, root string) {
			write(t, root, map[string]string{
				"a/project/scripts/program.js": "",
			}, sdkAt(""), sdkAt("a"))
			// Walked up by name, <root>/project/scripts would find <root>/node_modules; node walks a/.
			symlink(t, filepath.Join(root, "a", "project"), filepath.Join(root, "project"))
		},
		"a program inside node_modules (node never looks in node_modules/node_modules)": func(t *testing.T, root string) {
			write(t, root, map[string]string{
				"x/node_modules/app/scripts/program.js": "",
			}, sdkAt("x"), sdkAt("x/node_modules"))
			symlink(t, filepath.Join(root, "x", "node_modules", "app"), filepath.Join(root, "project"))
		},
		"a nearer node_modules without the package": func(t *testing.T, root string) {
			write(t, root, map[string]string{
				"project/scripts/node_modules/left-pad/package.json": `{"name":"left-pad"}`,
			}, sdkAt("project"))
		},
		"a nearer copy of the package without the script": func(t *testing.T, root string) {
			write(t, root, map[string]string{
				"project/scripts/node_modules/@pulumi/pulumi/package.json": sdkManifest,
			}, sdkAt("project"))
		},
		"installed above the project (a monorepo)": func(t *testing.T, root string) {
			write(t, root, map[string]string{
				"project/scripts/program.js": "",
			}, sdkAt(""))
		},
	}
	for name, layout := range layouts {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			layout(t, root)
			dir := filepath.Join(root, "project", "scripts")
			got, ok := resolveInNodeModules(dir, runScript)
			if !ok {
				t.Fatalf("declined; node answers %s", nodeResolves(t, dir, runScript))
			}
			if want := nodeResolves(t, dir, runScript); got != want {
				t.Fatalf("resolved %s, node resolves %s", got, want)
			}
		})
	}
}

// Layouts node resolves by rules the fast path does not follow: it must decline, and resolveModule must
// then give node's own answer.
func TestResolveInNodeModulesLeavesOtherRulesToNode(t *testing.T) {
	base := map[string]string{
		"project/scripts/program.js":                           "",
		"project/node_modules/@pulumi/pulumi/cmd/run/index.js": "module.exports = 'index';",
	}
	cases := map[string]struct {
		files map[string]string
		env   map[string]string
	}{
		"an exports map": {files: map[string]string{
			"project/node_modules/@pulumi/pulumi/package.json":     `{"name":"@pulumi/pulumi","exports":{"./cmd/run":"./cmd/run/other.js"}}`,
			"project/node_modules/@pulumi/pulumi/cmd/run/other.js": "",
		}},
		"an exports map in a nearer copy": {files: map[string]string{
			"project/node_modules/@pulumi/pulumi/package.json":         sdkManifest,
			"project/scripts/node_modules/@pulumi/pulumi/package.json": `{"name":"@pulumi/pulumi","exports":{"./cmd/run":"./run.js"}}`,
			"project/scripts/node_modules/@pulumi/pulumi/run.js":       "",
		}},
		"a file named like the directory, with an extension": {files: map[string]string{
			"project/node_modules/@pulumi/pulumi/package.json": sdkManifest,
			"project/node_modules/@pulumi/pulumi/cmd/run.js":   "",
		}},
		"a package.json in the script's directory": {files: map[string]string{
			"project/node_modules/@pulumi/pulumi/package.json":         sdkManifest,
			"project/node_modules/@pulumi/pulumi/cmd/run/package.json": `{"main":"main.js"}`,
			"project/node_modules/@pulumi/pulumi/cmd/run/main.js":      "",
		}},
		"symlinks to preserve (NODE_PRESERVE_SYMLINKS)": {
			files: map[string]string{"project/node_modules/@pulumi/pulumi/package.json": sdkManifest},
			env:   map[string]string{"NODE_PRESERVE_SYMLINKS": "1"},
		},
		"symlinks to preserve (NODE_OPTIONS)": {
			files: map[string]string{"project/node_modules/@pulumi/pulumi/package.json": sdkManifest},
			env:   map[string]string{"NODE_OPTIONS": "--preserve-symlinks"},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			write(t, root, base, c.files)
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			dir := filepath.Join(root, "project", "scripts")
			if got, ok := resolveInNodeModules(dir, runScript); ok {
				t.Fatalf("resolved %s; node's rules apply here", got)
			}
			got, err := resolveModule(dir, runScript)
			if err != nil {
				t.Fatal(err)
			}
			if c.env == nil {
				if want := nodeResolves(t, dir, runScript); got != want {
					t.Fatalf("resolveModule gave %s, node resolves %s", got, want)
				}
			}
		})
	}
}

func TestResolveModuleWithoutTheSDKSaysToInstallIt(t *testing.T) {
	dir := t.TempDir()
	if got, ok := resolveInNodeModules(dir, runScript); ok {
		t.Fatalf("resolved %s in an empty directory", got)
	}
	_, err := resolveModule(dir, runScript)
	if err == nil || !strings.Contains(err.Error(), "cannot resolve @pulumi/pulumi/cmd/run from "+dir+" (is @pulumi/pulumi installed? run npm ci)") {
		t.Fatalf("error %v", err)
	}
}

func TestSplitPackage(t *testing.T) {
	cases := []struct {
		module, pkg, subpath string
		ok                   bool
	}{
		{"@pulumi/pulumi/cmd/run", "@pulumi/pulumi", "cmd/run", true},
		{"@pulumi/pulumi/cmd/run-plugin", "@pulumi/pulumi", "cmd/run-plugin", true},
		{"left-pad/lib/index", "left-pad", "lib/index", true},
		{"@pulumi/pulumi", "", "", false},
		{"left-pad", "", "", false},
		{"@pulumi/pulumi/../x", "", "", false},
		{"@pulumi/pulumi/./cmd", "", "", false},
		{"@pulumi//cmd", "", "", false},
		{"@pulumi/pulumi/cmd/", "", "", false},
	}
	for _, c := range cases {
		pkg, subpath, ok := splitPackage(c.module)
		if pkg != c.pkg || subpath != c.subpath || ok != c.ok {
			t.Errorf("splitPackage(%q) = %q, %q, %v; want %q, %q, %v", c.module, pkg, subpath, ok, c.pkg, c.subpath, c.ok)
		}
	}
}

func TestGetRequiredPluginsReadsEveryInstalledPackage(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"project/scripts/program.js":                       "",
		"project/node_modules/.package-lock.json":          "{}",
		"project/node_modules/@pulumi/aws/package.json":    `{"version":"7.48.0","pulumi":{"resource":true,"name":"aws","version":"7.48.0"}}`,
		"project/node_modules/@pulumi/pulumi/package.json": `{"version":"3.248.0"}`,
		"project/node_modules/@scope/tool/package.json":    `{"version":"1.0.0","pulumi":{"resource":false,"name":"tool"}}`,
		"project/node_modules/pulumi-foo/package.json":     `{"version":"2.1.0","pulumi":{"resource":true}}`,
		"project/node_modules/server/package.json":         `{"version":"0.1.0","pulumi":{"resource":true,"name":"srv","version":"v0.2.0","server":"https://example.test/srv"}}`,
		"project/node_modules/broken/package.json":         `{"pulumi":`,
		"project/node_modules/nomanifest/index.js":         "",
		"linked/package.json":                              `{"version":"1.2.3","pulumi":{"resource":true,"name":"linked"}}`,
		// Only the nearest node_modules counts.
		"node_modules/@pulumi/gcp/package.json": `{"version":"9.0.0","pulumi":{"resource":true,"name":"gcp"}}`,
	})
	symlink(t, filepath.Join(root, "linked"), filepath.Join(root, "project", "node_modules", "@scope", "linked"))
	h := &host{}
	got, err := h.GetRequiredPlugins(context.Background(), &pulumirpc.GetRequiredPluginsRequest{Pwd: filepath.Join(root, "project", "scripts")})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range got.GetPlugins() {
		if p.GetKind() != "resource" {
			t.Errorf("%s: kind %q", p.GetName(), p.GetKind())
		}
		names = append(names, p.GetName()+"@"+p.GetVersion()+" "+p.GetServer())
	}
	want := []string{"aws@v7.48.0 ", "linked@v1.2.3 ", "foo@v2.1.0 ", "srv@v0.2.0 https://example.test/srv"}
	if !slices.Equal(names, want) {
		t.Fatalf("plugins %q, want %q", names, want)
	}
}
