package node

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/image/layer"
)

// deps are the installed production dependencies of one lock for one CPU.
type deps struct {
	entries  []layer.Entry // under <appDir>/node_modules
	packages []string      // name=version
}

// NpmError is a failed `npm ci`, with what npm said.
type NpmError struct {
	Dir    string
	Args   []string
	Output string // the tail of npm's output
	Err    error
}

func (e *NpmError) Error() string {
	return fmt.Sprintf("installing the dependencies of %s failed: npm %s: %v; npm said:\n%s",
		e.Dir, strings.Join(e.Args, " "), e.Err, strings.TrimRight(e.Output, "\n"))
}

func (e *NpmError) Unwrap() error { return e.Err }

// NativeModuleError says that dependencies need install scripts (they build
// native code) while scripts are off.
type NativeModuleError struct {
	Dir      string
	Packages []string // node_modules paths of the packages with native code
}

func (e *NativeModuleError) Error() string {
	return fmt.Sprintf("the dependencies of %s include native modules that must be compiled by their install scripts: %s. "+
		"Install scripts are off by default because they run arbitrary code from the registry on the build machine; "+
		"if you trust these packages, build with --allow-install-scripts (native code is then built for this machine's architecture, %s, so build only for it with --arch %s), "+
		"or replace them with pure JavaScript packages",
		e.Dir, strings.Join(e.Packages, ", "), runtime.GOARCH, runtime.GOARCH)
}

// npmCPU maps GOARCH to npm's cpu (Node's process.arch).
var npmCPU = map[string]string{
	"amd64": "x64", "arm64": "arm64", "arm": "arm", "386": "ia32",
	"ppc64le": "ppc64", "s390x": "s390x", "riscv64": "riscv64",
}

// maxOutput bounds the npm output kept for an error message.
const maxOutput = 64 << 10

// install returns the production dependencies of req.Dir for req.Platform,
// running npm once per lock, package.json, CPU and script setting.
func (b *builder) install(ctx context.Context, req app.Request, log *slog.Logger) (*deps, error) {
	lock, err := readBounded(filepath.Join(req.Dir, "package-lock.json"))
	if err != nil {
		return nil, err
	}
	manifest, err := readBounded(filepath.Join(req.Dir, "package.json"))
	if err != nil {
		return nil, err
	}
	if _, err := lockPackages(lock); err != nil {
		return nil, fmt.Errorf("reading %s: %w", filepath.Join(req.Dir, "package-lock.json"), err)
	}
	cpu, ok := npmCPU[req.Platform.Architecture]
	if !ok {
		return nil, fmt.Errorf("npm has no CPU name for the architecture %s of the base: build for another architecture with --arch", req.Platform.Architecture)
	}
	h := sha256.New()
	for _, part := range [][]byte{lock, manifest, []byte(cpu), []byte(fmt.Sprint(req.Options.AllowInstallScripts))} {
		fmt.Fprintf(h, "%d:", len(part))
		h.Write(part)
	}
	key := hex.EncodeToString(h.Sum(nil))
	b.mu.Lock()
	d, ok := b.deps[key]
	b.mu.Unlock()
	if ok {
		return d, nil
	}
	d, err = b.npmCI(ctx, req, cpu, log)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.deps[key] = d
	b.mu.Unlock()
	return d, nil
}

// npmCI runs npm ci in a temporary directory holding the manifests and
// returns node_modules as layer entries.
func (b *builder) npmCI(ctx context.Context, req app.Request, cpu string, log *slog.Logger) (*deps, error) {
	tmp, err := os.MkdirTemp("", "ingot-npm-")
	if err != nil {
		return nil, fmt.Errorf("creating a directory for npm: %w", err)
	}
	defer os.RemoveAll(tmp)
	for _, f := range []string{"package.json", "package-lock.json", ".npmrc"} {
		src := filepath.Join(req.Dir, f)
		body, err := os.ReadFile(src)
		if errors.Is(err, fs.ErrNotExist) && f == ".npmrc" {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("copying %s for npm: %w", src, err)
		}
		if err := os.WriteFile(filepath.Join(tmp, f), body, 0o600); err != nil {
			return nil, fmt.Errorf("copying %s for npm: %w", src, err)
		}
	}
	args := []string{"ci", "--omit=dev", "--os=linux", "--cpu=" + cpu, "--libc=glibc",
		"--no-audit", "--no-fund", "--no-update-notifier", "--loglevel=warn"}
	if !req.Options.AllowInstallScripts {
		args = append(args, "--ignore-scripts")
	}
	log.Info("installing Node.js dependencies", "npm", b.npm, "args", strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, b.npm, args...)
	cmd.Dir = tmp
	var buf tailBuffer
	var w io.Writer = &buf
	if req.Options.Progress != nil {
		w = io.MultiWriter(&buf, req.Options.Progress)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, fmt.Errorf("running %s: %w: install Node.js and npm on this machine (apt-get install npm)", b.npm, err)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &NpmError{Dir: req.Dir, Args: args, Output: buf.String(), Err: err}
	}
	modules := filepath.Join(tmp, "node_modules")
	if _, err := os.Stat(modules); errors.Is(err, fs.ErrNotExist) {
		return &deps{}, nil // no production dependencies
	}
	native, err := nativeModules(modules)
	if err != nil {
		return nil, err
	}
	if len(native) > 0 {
		if !req.Options.AllowInstallScripts {
			return nil, &NativeModuleError{Dir: req.Dir, Packages: native}
		}
		if req.Platform.Architecture != runtime.GOARCH {
			return nil, fmt.Errorf("the native modules %s were built for this machine (%s) and cannot run on %s: build with --arch %s, or on a %s machine",
				strings.Join(native, ", "), runtime.GOARCH, req.Platform.Architecture, runtime.GOARCH, req.Platform.Architecture)
		}
	}
	var packages []string
	if hidden, err := readBounded(filepath.Join(modules, ".package-lock.json")); err == nil {
		packages, _ = lockPackages(hidden)
	}
	// npm's hidden lock file only speeds up later npm runs, and its contents
	// vary with the npm version: it stays out of the image.
	entries, err := app.Files(modules, b.appDir+"/node_modules", app.WithExclude(".package-lock.json"))
	if err != nil {
		return nil, err
	}
	if len(entries) > 0 {
		parent := layerDir(b.appDir)
		entries = append(parent, entries...)
	}
	return &deps{entries: entries, packages: packages}, nil
}

// layerDir returns the directory entries of dir and its parents.
func layerDir(dir string) []layer.Entry {
	var out []layer.Entry
	parts := strings.Split(strings.Trim(dir, "/"), "/")
	for i := range parts {
		out = append(out, layer.Entry{Path: strings.Join(parts[:i+1], "/"), Type: tar.TypeDir, Mode: 0o755})
	}
	return out
}

// nativeModules returns the packages under modules that build native code:
// a binding.gyp at their root or "gypfile": true in their package.json.
func nativeModules(modules string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(modules, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		dir := filepath.Dir(p)
		if !isPackageRoot(dir) {
			return nil
		}
		rel, _ := filepath.Rel(filepath.Dir(modules), dir)
		switch d.Name() {
		case "binding.gyp":
			out = append(out, filepath.ToSlash(rel))
		case "package.json":
			b, err := readBounded(p)
			if err != nil {
				return err
			}
			if pkg, err := parsePackage(b); err == nil && pkg.Gypfile {
				out = append(out, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("looking for native modules in the dependencies: %w", err)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// isPackageRoot reports whether dir is node_modules/NAME or
// node_modules/@SCOPE/NAME.
func isPackageRoot(dir string) bool {
	parent := filepath.Dir(dir)
	if filepath.Base(parent) == "node_modules" {
		return true
	}
	return strings.HasPrefix(filepath.Base(parent), "@") && filepath.Base(filepath.Dir(parent)) == "node_modules"
}

// tailBuffer keeps the last maxOutput bytes written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if over := len(t.b) - maxOutput; over > 0 {
		t.b = t.b[over:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }
