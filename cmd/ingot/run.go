package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/image/source"
	"github.com/ingot-dev/ingot/run"
)

func init() { register(newRunCmd) }

// exitCodeError carries a container's non-zero exit status to main, which
// exits with it instead of printing an error.
type exitCodeError struct{ code int }

func (e *exitCodeError) Error() string {
	return fmt.Sprintf("the container exited with status %d", e.code)
}

// ExitCode is the status main should exit with.
func (e *exitCodeError) ExitCode() int { return e.code }

type runFlags struct {
	platform   string
	user       string
	env        []string
	entrypoint string
	network    string
	keep       bool
	insecure   bool
}

const needRootAndRunc = "ingot run needs root and runc: apt-get install runc, then run it as root"

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run IMAGE [-- CMD...]",
		Short: "Run an image with runc (as root)",
		Long: `Run an image the way docker run would, without a daemon: unpack it into a
temporary runc bundle, run it with runc honouring the image's user, env,
workdir, entrypoint and cmd, stream its output and exit with its status.

IMAGE is an OCI layout directory (./out/base, oci:./out/base:TAG,
./out/base@sha256:...), a docker tarball (./base.tar, docker-archive:./base.tar)
or a registry reference (127.0.0.1:5000/golden/base:1). From an index the image
for --platform (default: linux on this machine's architecture) is chosen.

Arguments after the image replace its cmd; --entrypoint replaces the
entrypoint and drops the cmd. The container gets a network namespace with only
loopback unless --network says otherwise.`,
		Example: `  sudo ingot run ./out/base -- /usr/bin/openssl version
  sudo ingot run --user 65532 --env LANG=C.UTF-8 ./base.tar
  sudo ingot run --network host --insecure 127.0.0.1:5000/golden/base:1 -- id`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runRun(cmd, f, args) },
	}
	fl := cmd.Flags()
	// Everything after IMAGE belongs to the container's command.
	fl.SetInterspersed(false)
	fl.StringVar(&f.platform, "platform", "", "os/arch[/variant] to choose from an index (default: linux/<this machine's arch>)")
	fl.StringVarP(&f.user, "user", "u", "", `run as "name", "uid", "uid:gid" or "name:group" (default: the image's user)`)
	fl.StringArrayVarP(&f.env, "env", "e", nil, "set KEY=VALUE in the container (repeatable)")
	fl.StringVar(&f.entrypoint, "entrypoint", "", "replace the image's entrypoint with this program (drops the image's cmd)")
	fl.StringVar(&f.network, "network", run.NetworkNone, `"none" (loopback only), "host", or a network namespace path such as /var/run/netns/NAME`)
	fl.BoolVar(&f.keep, "keep", false, "keep the unpacked bundle after the container exits (its path is logged)")
	fl.BoolVar(&f.insecure, "insecure", false, "allow a plain-HTTP registry")
	return cmd
}

func runRun(cmd *cobra.Command, f runFlags, args []string) error {
	ref, command := args[0], args[1:]
	if len(command) > 0 && command[0] == "--" {
		command = command[1:]
	}
	for _, kv := range f.env {
		if kv == "" || kv[0] == '=' || !strings.Contains(kv, "=") {
			return fmt.Errorf("--env %q: want KEY=VALUE", kv)
		}
	}
	if err := run.CheckNetwork(f.network); err != nil {
		return err
	}
	var platform *v1.Platform
	if f.platform != "" {
		p, err := source.ParsePlatform(f.platform)
		if err != nil {
			return err
		}
		platform = &p
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("%s (running as uid %d)", needRootAndRunc, os.Geteuid())
	}
	if _, err := exec.LookPath("runc"); err != nil {
		return fmt.Errorf("%s (runc is not on $PATH)", needRootAndRunc)
	}

	ctx := cmd.Context()
	log := logger(cmd)
	img, err := source.Image(ctx, ref, platform, source.WithInsecure(f.insecure), source.WithLogger(log))
	if err != nil {
		return err
	}
	opts := []run.Option{
		run.WithStdin(cmd.InOrStdin()),
		run.WithStdout(cmd.OutOrStdout()),
		run.WithStderr(cmd.ErrOrStderr()),
		run.WithEnv(f.env),
		run.WithUser(f.user),
		run.WithNetwork(f.network),
		run.WithKeep(f.keep),
		run.WithLogger(log),
	}
	if f.entrypoint != "" {
		opts = append(opts, run.WithEntrypoint([]string{f.entrypoint}))
	}
	if len(command) > 0 || f.entrypoint != "" {
		opts = append(opts, run.WithArgs(command))
	}
	code, err := run.Run(ctx, img, opts...)
	if errors.Is(err, run.ErrNeedsRoot) || errors.Is(err, run.ErrNoRunc) {
		return fmt.Errorf("%s: %w", needRootAndRunc, err)
	}
	if err != nil {
		return fmt.Errorf("running %s: %w", ref, err)
	}
	if code != 0 {
		return &exitCodeError{code: code}
	}
	return nil
}
