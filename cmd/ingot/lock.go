package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/debian/repo"
)

func init() { register(newLockCmd) }

type lockOptions struct {
	archs          []string
	suites         []string
	components     []string
	mirror         string
	securityMirror string
	keyring        string
	allowExpired   bool
	lockfile       string
	update         bool
	recommends     bool
	essential      bool
}

// lockReport is what `ingot lock` prints with -o json.
type lockReport struct {
	Lockfile        string         `json:"lockfile"`
	Written         bool           `json:"written"`
	Created         bool           `json:"created"` // there was no lock before
	UpToDate        bool           `json:"upToDate"`
	SourceDateEpoch int64          `json:"sourceDateEpoch"`
	Packages        map[string]int `json:"packages"` // per architecture
	Changes         []lock.Change  `json:"changes"`
}

func newLockCmd() *cobra.Command {
	var o lockOptions
	cmd := &cobra.Command{
		Use:   "lock [PACKAGE...]",
		Short: "Resolve Debian packages and pin them in ingot.lock",
		Long: `Resolve the packages (and their dependencies) for each architecture against
the verified Debian archive and pin the exact files in a lock file, which builds
then use without downloading any index.

Without --update an existing lock made from the same request is left alone;
with --update it is re-resolved against the archive and the changes are
printed. Without packages, the existing lock's request is used.

The mirror and suites default to this machine's apt configuration;
INGOT_MIRROR and INGOT_SECURITY_MIRROR (or --mirror, --security-mirror)
override the mirrors. Downloads are cached in INGOT_CACHE_DIR (default: the
user cache directory).`,
		Example: `  ingot lock base-files netbase tzdata ca-certificates libc6 libssl3 --arch amd64 --arch arm64
  ingot lock --update
  ingot lock --update -o json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLock(cmd.Context(), cmd, o, args)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.archs, "arch", nil, "Debian architecture to lock, repeatable (default: this machine's, or the lock's)")
	f.StringArrayVar(&o.suites, "suite", nil, "suite to resolve from, repeatable (default: apt's, or the lock's)")
	f.StringArrayVar(&o.components, "component", nil, `archive component, repeatable (default: "main", or the lock's)`)
	f.StringVar(&o.mirror, "mirror", "", "Debian mirror URL (default: $INGOT_MIRROR, else apt's)")
	f.StringVar(&o.securityMirror, "security-mirror", "", "mirror URL for -security suites (default: $INGOT_SECURITY_MIRROR, else apt's, else --mirror)")
	f.StringVar(&o.keyring, "keyring", "", "OpenPGP keyring that signs the archive (default: "+repo.DefaultKeyring+")")
	f.BoolVar(&o.allowExpired, "allow-expired", false, "accept Release files past their Valid-Until (snapshot mirrors)")
	f.StringVar(&o.lockfile, "lockfile", "ingot.lock", "lock file to write")
	f.BoolVar(&o.update, "update", false, "re-resolve against the archive and print what changed")
	f.BoolVar(&o.recommends, "recommends", false, "also install Recommends")
	f.BoolVar(&o.essential, "essential", false, "also install the Essential set")
	return cmd
}

func runLock(ctx context.Context, cmd *cobra.Command, o lockOptions, args []string) error {
	log := logger(cmd)
	old, err := readOldLock(o.lockfile, o.update, log)
	if err != nil {
		return err
	}
	src, err := lockSource(cmd, o)
	if err != nil {
		return err
	}
	req, err := lockRequest(cmd, o, args, old, src)
	if err != nil {
		return err
	}
	src.Suites, src.Components = req.Suites, req.Components
	if err := src.Validate(); err != nil {
		return err
	}

	report := lockReport{Lockfile: o.lockfile, Changes: []lock.Change{}}
	if old != nil && !o.update && !old.Stale(req) {
		report.UpToDate = true
		return printLockReport(cmd, report, old)
	}

	dir, err := fetch.DefaultDir()
	if err != nil {
		return err
	}
	cache, err := fetch.New(dir, fetch.WithLogger(log), fetch.WithProgress(cmd.ErrOrStderr(), isTerminal()))
	if err != nil {
		return err
	}
	l, err := lock.Generate(ctx, repo.New(cache, repo.WithLogger(log)), src, req)
	if err != nil {
		return err
	}
	report.Changes = lock.Diff(old, l)
	if report.Changes == nil {
		report.Changes = []lock.Change{}
	}
	if old != nil && len(report.Changes) == 0 && !old.Stale(req) {
		// Keep the old file, and with it its SOURCE_DATE_EPOCH: nothing a
		// build would install has changed, so its digests must not either.
		report.UpToDate = true
		return printLockReport(cmd, report, old)
	}
	if err := l.WriteFile(o.lockfile); err != nil {
		return fmt.Errorf("%w (check that the directory exists and is writable, or pass --lockfile)", err)
	}
	report.Written, report.Created = true, old == nil
	return printLockReport(cmd, report, l)
}

// readOldLock reads the existing lock file, if any. With --update a damaged
// lock is replaced; otherwise it is an error.
func readOldLock(path string, update bool, log *slog.Logger) (*lock.Lock, error) {
	l, err := lock.ReadFile(path)
	switch {
	case err == nil:
		return l, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case update && errors.Is(err, lock.ErrInvalid):
		log.Warn("replacing a lock file that cannot be read", "path", path, "err", err)
		return nil, nil
	}
	return nil, err
}

// lockSource is the machine's apt source with the flags applied.
func lockSource(cmd *cobra.Command, o lockOptions) (repo.Source, error) {
	src, err := repo.SystemSource()
	if err != nil {
		if o.mirror == "" {
			return src, fmt.Errorf("finding a Debian mirror: %w (or pass --mirror and --suite)", err)
		}
		src = repo.Source{}
	}
	if o.mirror != "" {
		src.Mirror = strings.TrimRight(o.mirror, "/")
	}
	if o.securityMirror != "" {
		src.SecurityMirror = strings.TrimRight(o.securityMirror, "/")
	}
	if o.keyring != "" {
		src.Keyring = o.keyring
	}
	if cmd.Flags().Changed("allow-expired") {
		src.AllowExpired = o.allowExpired
	}
	return src, nil
}

// lockRequest builds the request: flags and arguments first, then the old
// lock's request, then the defaults.
func lockRequest(cmd *cobra.Command, o lockOptions, args []string, old *lock.Lock, src repo.Source) (lock.Request, error) {
	var req lock.Request
	if old != nil {
		req = old.Request
	}
	if len(args) > 0 {
		req.Packages = args
	}
	if len(req.Packages) == 0 {
		return req, fmt.Errorf("no packages to lock: name them (ingot lock base-files libc6 ...) or run in a directory with %s", o.lockfile)
	}
	changed := cmd.Flags().Changed
	if changed("arch") {
		req.Architectures = o.archs
	}
	if len(req.Architectures) == 0 {
		arch, ok := hostDebianArch()
		if !ok {
			return req, fmt.Errorf("no Debian architecture for %s: pass --arch", runtime.GOARCH)
		}
		req.Architectures = []string{arch}
	}
	if changed("suite") {
		req.Suites = o.suites
	}
	if changed("component") {
		req.Components = o.components
	}
	if changed("recommends") {
		req.Recommends = o.recommends
	}
	if changed("essential") {
		req.Essential = o.essential
	}
	if len(req.Suites) == 0 && len(src.Suites) == 0 {
		return req, errors.New("no suites to resolve from: apt names none; pass --suite (for example --suite bookworm --suite bookworm-updates --suite bookworm-security)")
	}
	return req.Complete(src), nil
}

// hostDebianArch maps Go's GOARCH to Debian's architecture name.
func hostDebianArch() (string, bool) {
	a, ok := map[string]string{
		"amd64": "amd64", "arm64": "arm64", "386": "i386", "arm": "armhf",
		"ppc64le": "ppc64el", "s390x": "s390x", "riscv64": "riscv64",
		"mips64le": "mips64el", "loong64": "loong64",
	}[runtime.GOARCH]
	return a, ok
}

func printLockReport(cmd *cobra.Command, r lockReport, l *lock.Lock) error {
	r.SourceDateEpoch = l.SourceDateEpoch
	r.Packages = map[string]int{}
	var counts []string
	for _, a := range l.Architectures {
		r.Packages[a.Name] = len(a.Packages)
		counts = append(counts, fmt.Sprintf("%d packages for %s", len(a.Packages), a.Name))
	}
	return printOut(cmd, r, func() string {
		var b strings.Builder
		switch {
		case r.UpToDate:
			fmt.Fprintf(&b, "%s is up to date (%s)\n", r.Lockfile, strings.Join(counts, ", "))
		case r.Created:
			fmt.Fprintf(&b, "wrote %s (%s)\n", r.Lockfile, strings.Join(counts, ", "))
		default:
			for _, c := range r.Changes {
				fmt.Fprintln(&b, c)
			}
			fmt.Fprintf(&b, "updated %s: %d changes (%s)\n", r.Lockfile, len(r.Changes), strings.Join(counts, ", "))
		}
		return b.String()
	})
}
