// Command pulumi-language-nodejs is slipway's minimal Node.js language host for the Pulumi engine.
//
// Upstream's host has been an untagged Go module since Pulumi v3.69.0 and this machine's Go module proxy
// does not serve it. The v3.68.0 host (last one inside the tagged sdk/v3 module) runs programs but routes
// them through an old resource-monitor proxy (no stack transforms, resource hooks, RegisterPackage) and has
// no RunPlugin (no policy packs). This host implements just what `pulumi up/preview/destroy` and
// `--policy-pack` need on top of the tagged sdk/v3 module, handing the real monitor address to
// @pulumi/pulumi's own cmd/run, cmd/run-policy-pack and cmd/run-plugin scripts.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Version is set with -ldflags "-X main.Version=...".
var Version = "0.0.0"

// Exit code @pulumi/pulumi uses after it already printed an actionable error.
const exitAfterUserMessage = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func main() {
	flag.String("tracing", "", "ignored")
	flag.String("root", "", "ignored")
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 {
		cmdutil.Exit(errors.New("missing engine address"))
	}
	engineAddress := args[0]

	ctx, cancel := context.WithCancel(context.Background())
	// Exit when the engine goes away.
	if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel); err != nil {
		cmdutil.Exit(fmt.Errorf("could not start health check: %w", err))
	}
	stop := make(chan bool)
	go func() { <-ctx.Done(); close(stop) }()

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &host{engineAddress: engineAddress})
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(err)
	}
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

// resolveModule finds an @pulumi/pulumi script the way node's require.resolve does from dir: without
// starting node when the layout is the usual one (see resolveInNodeModules), else by asking node.
func resolveModule(dir, module string) (string, error) {
	if path, ok := resolveInNodeModules(dir, module); ok {
		return path, nil
	}
	cmd := exec.Command("node", "-e", fmt.Sprintf("console.log(require.resolve(%q))", module))
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("cannot resolve %s from %s (is @pulumi/pulumi installed? run npm ci): %w", module, dir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// resolveInNodeModules answers require.resolve("<package>/<subpath>") from dir for the layout npm installs,
// where starting node only to ask would put 0.1 s before every program: the first
// node_modules/<package>/<subpath>/index.js up from dir's physical path, symlinks resolved. It declines
// (false) whatever node resolves by other rules: a package with an "exports" map, a <subpath> file (with or
// without an extension) or directory package.json, symlinks node is told to preserve, nothing found.
func resolveInNodeModules(dir, module string) (string, bool) {
	if os.Getenv("NODE_PRESERVE_SYMLINKS") != "" || strings.Contains(os.Getenv("NODE_OPTIONS"), "preserve-symlinks") {
		return "", false
	}
	pkg, subpath, ok := splitPackage(module)
	if !ok {
		return "", false
	}
	physical, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", false
	}
	for d := physical; ; d = filepath.Dir(d) {
		if filepath.Base(d) != "node_modules" {
			root := filepath.Join(d, "node_modules", filepath.FromSlash(pkg))
			if hasExports(filepath.Join(root, "package.json")) {
				return "", false
			}
			base := filepath.Join(root, filepath.FromSlash(subpath))
			for _, other := range []string{base, base + ".js", base + ".json", base + ".node", filepath.Join(base, "package.json")} {
				if info, err := os.Stat(other); err == nil && !info.IsDir() {
					return "", false
				}
			}
			if info, err := os.Stat(filepath.Join(base, "index.js")); err == nil && !info.IsDir() {
				real, err := filepath.EvalSymlinks(filepath.Join(base, "index.js"))
				return real, err == nil
			}
		}
		if filepath.Dir(d) == d {
			return "", false
		}
	}
}

// splitPackage splits "@scope/name/sub/path" or "name/sub/path" into the package and a non-empty subpath.
func splitPackage(module string) (string, string, bool) {
	parts := strings.Split(module, "/")
	n := 1
	if strings.HasPrefix(module, "@") {
		n = 2
	}
	if len(parts) <= n || slices.Contains(parts, "") || slices.Contains(parts, ".") || slices.Contains(parts, "..") {
		return "", "", false
	}
	return strings.Join(parts[:n], "/"), strings.Join(parts[n:], "/"), true
}

// hasExports reports whether a package.json exists and declares "exports" (or cannot be read as JSON, which
// node would also refuse).
func hasExports(manifest string) bool {
	data, err := os.ReadFile(manifest)
	if errors.Is(err, os.ErrNotExist) {
		return false
	}
	var fields map[string]json.RawMessage
	if err != nil || json.Unmarshal(data, &fields) != nil {
		return true
	}
	_, declared := fields["exports"]
	return declared
}

func option(info *pulumirpc.ProgramInfo, name string) (any, bool) {
	if info == nil || info.GetOptions() == nil {
		return nil, false
	}
	v, ok := info.GetOptions().AsMap()[name]
	return v, ok
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := req.GetPwd()
	entry := req.GetProgram()
	if info != nil {
		programDir = info.GetProgramDirectory()
		entry = info.GetEntryPoint()
	}
	if entry == "" {
		entry = "."
	}
	runPath, err := resolveModule(programDir, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	var nodeArgs []string
	if v, ok := option(info, "nodeargs"); ok {
		nodeArgs = strings.Fields(fmt.Sprint(v))
	}
	args := append(nodeArgs, runPath)
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("pwd", req.GetPwd())
	if info != nil {
		add("root-directory", info.GetRootDirectory())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("query-mode", fmt.Sprint(req.GetQueryMode()))
	add("parallel", fmt.Sprint(req.GetParallel()))
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	typescript := true
	if v, ok := option(info, "typescript"); ok {
		if b, isBool := v.(bool); isBool {
			typescript = b
		}
	}
	if typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if v, ok := option(info, "tsconfig"); ok {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+fmt.Sprint(v))
	}
	if req.GetLoaderTarget() != "" {
		env = append(env, "PULUMI_LOADER_TARGET="+req.GetLoaderTarget())
	}

	// #nosec G204 -- runs the project's own @pulumi/pulumi entry point.
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = req.GetPwd()
	cmd.Stdout, cmd.Stderr, cmd.Env = os.Stdout, os.Stderr, env
	if err := cmd.Run(); err != nil {
		_ = os.Stdout.Sync()
		_ = os.Stderr.Sync()
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitAfterUserMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: "Problem executing program (could not run language executor): " + err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// GetRequiredPlugins lists the resource plugins that installed npm packages declare
// ("pulumi": {"resource": true, "name", "version", "server"} in package.json).
func (h *host) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	dir := req.GetPwd()
	if info := req.GetInfo(); info != nil {
		dir = info.GetProgramDirectory()
	}
	seen := map[string]bool{}
	var plugins []*pulumirpc.PluginDependency
	for d := dir; ; d = filepath.Dir(d) {
		nm := filepath.Join(d, "node_modules")
		for _, p := range pluginsOf(packageManifests(nm)) {
			if p != nil && !seen[p.Name+"@"+p.Version] {
				seen[p.Name+"@"+p.Version] = true
				plugins = append(plugins, p)
			}
		}
		if _, err := os.Stat(nm); err == nil || filepath.Dir(d) == d {
			break
		}
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// packageManifests lists <nm>/<name>/package.json and <nm>/@<scope>/<name>/package.json for each directory
// entry (existing or not: reading them tells), sorted as the directory listings are.
func packageManifests(nm string) []string {
	var manifests []string
	entries, _ := os.ReadDir(nm)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "@") {
			manifests = append(manifests, filepath.Join(nm, e.Name(), "package.json"))
			continue
		}
		scoped, _ := os.ReadDir(filepath.Join(nm, e.Name()))
		for _, s := range scoped {
			manifests = append(manifests, filepath.Join(nm, e.Name(), s.Name(), "package.json"))
		}
	}
	return manifests
}

// pluginsOf reads the manifests a few at a time (hundreds in a project, mostly file system calls), each
// result at its manifest's index, nil where a manifest declares no plugin.
func pluginsOf(manifests []string) []*pulumirpc.PluginDependency {
	plugins := make([]*pulumirpc.PluginDependency, len(manifests))
	next := make(chan int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				plugins[i] = pluginOf(manifests[i])
			}
		}()
	}
	for i := range manifests {
		next <- i
	}
	close(next)
	wg.Wait()
	return plugins
}

func pluginOf(manifest string) *pulumirpc.PluginDependency {
	data, err := os.ReadFile(manifest)
	if err != nil {
		return nil
	}
	var pkg struct {
		Version string `json:"version"`
		Pulumi  *struct {
			Resource bool   `json:"resource"`
			Name     string `json:"name"`
			Version  string `json:"version"`
			Server   string `json:"server"`
		} `json:"pulumi"`
	}
	if json.Unmarshal(data, &pkg) != nil || pkg.Pulumi == nil || !pkg.Pulumi.Resource {
		return nil
	}
	name, version := pkg.Pulumi.Name, pkg.Pulumi.Version
	if name == "" {
		name = strings.TrimPrefix(filepath.Base(filepath.Dir(manifest)), "pulumi-")
	}
	if version == "" {
		version = pkg.Version
	}
	if version != "" && !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	return &pulumirpc.PluginDependency{Name: name, Kind: "resource", Version: version, Server: pkg.Pulumi.Server}
}

func (h *host) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return nil, err
	}
	node, _ := exec.LookPath("node")
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(out))}, nil
}

// RunPlugin runs a plugin written in Node.js: a policy pack (kind "analyzer") or a provider (kind "resource").
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	dir := req.GetPwd()
	program := req.GetProgram()
	if info := req.GetInfo(); info != nil {
		dir = info.GetProgramDirectory()
		program = info.GetProgramDirectory()
		if e := info.GetEntryPoint(); e != "" && e != "." {
			program = filepath.Join(program, e)
		}
	}
	script := "@pulumi/pulumi/cmd/run-plugin"
	if req.GetKind() == "analyzer" {
		script = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	runPath, err := resolveModule(dir, script)
	if err != nil {
		return err
	}
	args := append([]string{runPath}, req.GetArgs()...)
	args = append(args, program)

	// #nosec G204 -- runs the plugin's own @pulumi/pulumi entry point.
	cmd := exec.CommandContext(server.Context(), "node", args...)
	// The plugin's own directory, not the stack's: @pulumi/policy reads ./package.json for the pack version.
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), req.GetEnv()...)
	cmd.Env = append(cmd.Env, "PULUMI_NODEJS_TYPESCRIPT=true")
	stdout := &streamWriter{send: func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	stderr := &streamWriter{send: func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	code := 0
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return err
		}
		code = exitErr.ExitCode()
	}
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)}})
}

// streamWriter forwards each write as one gRPC message; exec.Cmd serializes writes per stream.
type streamWriter struct {
	send func([]byte) error
}

func (w *streamWriter) Write(p []byte) (int, error) {
	if err := w.send(bytes.Clone(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

var _ io.Writer = (*streamWriter)(nil)
