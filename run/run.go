package run

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// ErrNeedsRoot is returned by Run when not running as root.
var ErrNeedsRoot = errors.New("running a container needs root (runc without rootless mode)")

// ErrNoRunc is returned by Run when the runc binary cannot be found.
var ErrNoRunc = errors.New("runc not found: install it (apt-get install runc) or pass its path")

// RuncError is a failure of runc itself (bad bundle, missing binary in the
// image, ...), as opposed to the container exiting non-zero.
type RuncError struct {
	Msg string
}

func (e *RuncError) Error() string { return "runc: " + e.Msg }

// Run unpacks img into a fresh bundle and runs it with `runc run`, streaming
// the container's stdio, and returns the container's exit code (128+signal
// when it was killed). The container is always deleted and the bundle removed
// unless WithKeep. Cancelling ctx kills the container.
func Run(ctx context.Context, img v1.Image, opts ...Option) (exitCode int, err error) {
	o := makeOptions(opts)
	if os.Geteuid() != 0 {
		return -1, ErrNeedsRoot
	}
	runc, err := exec.LookPath(o.runc)
	if err != nil {
		return -1, fmt.Errorf("%w: %v", ErrNoRunc, err)
	}
	base := o.workDir
	if base == "" {
		base = os.TempDir()
	}
	dir, err := os.MkdirTemp(base, "ingot-run-")
	if err != nil {
		return -1, fmt.Errorf("creating the bundle directory: %w", err)
	}
	if o.keep {
		o.logger.Info("keeping the bundle", "dir", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	b, err := unpack(ctx, img, filepath.Join(dir, "bundle"), &o)
	if err != nil {
		return -1, err
	}
	id := "ingot-" + randomHex(8)
	return runBundle(ctx, runc, b, id, filepath.Join(dir, "runc.log"), &o)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func runBundle(ctx context.Context, runc string, b *Bundle, id, logPath string, o *options) (int, error) {
	defer func() {
		// Always remove the container, even after cancellation.
		out, err := exec.Command(runc, "delete", "--force", id).CombinedOutput()
		if err != nil && !strings.Contains(string(out), "does not exist") {
			o.logger.Warn("deleting the container", "id", id, "err", err, "output", strings.TrimSpace(string(out)))
		}
	}()
	cmd := exec.CommandContext(ctx, runc, "--log", logPath, "--log-format", "json", "run", "--bundle", b.Dir, id)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = o.stdin, o.stdout, o.stderr
	cmd.Cancel = func() error {
		// runc run forwards signals to the container; kill the container
		// itself so nothing is left behind, then runc exits.
		if err := exec.Command(runc, "kill", id, "KILL").Run(); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = 10 * time.Second
	o.logger.Debug("running", "runc", runc, "bundle", b.Dir, "id", id, "args", b.Spec.Process.Args)
	err := cmd.Run()
	if ctx.Err() != nil {
		return -1, fmt.Errorf("running %s: %w", id, ctx.Err())
	}
	if msg := runcFailure(logPath); msg != "" {
		return -1, &RuncError{Msg: msg}
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return -1, fmt.Errorf("running runc: %w", err)
	}
	return 0, nil
}

// runcFailure returns the message of the first error runc logged, if any.
func runcFailure(logPath string) string {
	data, err := os.ReadFile(logPath)
	if err != nil {
		return ""
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		var entry struct {
			Level string `json:"level"`
			Msg   string `json:"msg"`
		}
		if json.Unmarshal(line, &entry) == nil && (entry.Level == "error" || entry.Level == "fatal") {
			return strings.TrimPrefix(entry.Msg, "runc run failed: ")
		}
	}
	return ""
}
