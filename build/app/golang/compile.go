package golang

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/image/layer"
)

// maxOutput bounds the compiler output kept for an error message.
const maxOutput = 64 << 10

// CompileError is a failed `go build`, with what the compiler said.
type CompileError struct {
	Package string
	Output  string // the tail of the compiler's output
	Err     error
}

func (e *CompileError) Error() string {
	return fmt.Sprintf("compiling %s failed (%v); the compiler said:\n%s", e.Package, e.Err, strings.TrimRight(e.Output, "\n"))
}

func (e *CompileError) Unwrap() error { return e.Err }

// compile builds pkg in dir with env and returns the binary.
func (b *builder) compile(ctx context.Context, dir, pkg string, env []string, progress io.Writer) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "ingot-go-")
	if err != nil {
		return nil, fmt.Errorf("creating a directory for the Go binary: %w", err)
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "bin")
	cmd := exec.CommandContext(ctx, b.gobin, "build", "-trimpath", "-buildvcs=false", "-ldflags=-buildid=", "-o", out, pkg)
	cmd.Dir, cmd.Env = dir, env
	var buf tailBuffer
	var w io.Writer = &buf
	if progress != nil {
		w = io.MultiWriter(&buf, progress)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, fmt.Errorf("running %s: %w: install Go (https://go.dev/dl) or put it on $PATH", b.gobin, err)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &CompileError{Package: pkg, Output: buf.String(), Err: err}
	}
	bin, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("reading the compiled binary: %w", err)
	}
	return bin, nil
}

// buildEnv is the host environment without anything that changes what the
// go command produces, plus the fixed settings of a reproducible static
// cross-compile for p. The module proxy settings (GOPROXY, GONOSUMDB, ...)
// and caches are the host's.
func buildEnv(p v1.Platform, mod module) ([]string, error) {
	if p.OS != "" && p.OS != "linux" {
		return nil, fmt.Errorf("platform %s: only linux images are built", p)
	}
	env := []string{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if dropped(k) {
			continue
		}
		env = append(env, kv)
	}
	goflags := ""
	if mod.requires && !mod.goSum && !mod.vendor {
		goflags = "-mod=mod" // no go.sum yet: let the go command record the sums
	}
	env = append(env,
		"GOOS=linux", "GOARCH="+p.Architecture, "CGO_ENABLED=0",
		"GOFLAGS="+goflags, "GOWORK=off", "GOEXPERIMENT=",
	)
	switch p.Architecture {
	case "amd64":
		level := "v1"
		if v := p.Variant; v == "v2" || v == "v3" || v == "v4" {
			level = v
		}
		env = append(env, "GOAMD64="+level)
	case "arm64":
		env = append(env, "GOARM64=v8.0")
	case "arm":
		v := strings.TrimPrefix(p.Variant, "v")
		if v != "5" && v != "6" && v != "7" {
			v = "7"
		}
		env = append(env, "GOARM="+v)
	case "386":
		env = append(env, "GO386=sse2")
	}
	return env, nil
}

// dropped reports whether an environment variable from the host must not
// reach the go command: it would change the binary.
func dropped(k string) bool {
	switch k {
	case "GOFLAGS", "GOOS", "GOARCH", "GOARM", "GOARM64", "GOAMD64", "GO386", "GOMIPS", "GOMIPS64",
		"GOPPC64", "GORISCV64", "GOWASM", "GOEXPERIMENT", "GOWORK", "GOFIPS140", "PWD":
		return true
	}
	return strings.HasPrefix(k, "CGO_")
}

// binaryEntries is the application layer: dir/name, root-owned, executable.
func binaryEntries(dir, name string, bin []byte) []layer.Entry {
	return []layer.Entry{
		{Path: dir, Type: tar.TypeDir, Mode: 0o755},
		{Path: dir + "/" + name, Type: tar.TypeReg, Mode: 0o755, Body: bin},
	}
}

// tailBuffer keeps the last maxOutput bytes written to it.
type tailBuffer struct{ b bytes.Buffer }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b.Write(p)
	if over := t.b.Len() - maxOutput; over > 0 {
		t.b.Next(over)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return t.b.String() }
