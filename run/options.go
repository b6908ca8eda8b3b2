package run

import (
	"io"
	"log/slog"
)

// Option configures Unpack and Run.
type Option func(*options)

type options struct {
	args       []string
	argsSet    bool
	entrypoint []string
	entrySet   bool
	stdin      io.Reader
	stdout     io.Writer
	stderr     io.Writer
	env        []string
	user       string
	network    string
	workDir    string
	keep       bool
	runc       string
	hostname   string
	maxBytes   int64
	logger     *slog.Logger
}

func makeOptions(opts []Option) options {
	o := options{
		stdout:   io.Discard,
		stderr:   io.Discard,
		network:  NetworkNone,
		runc:     "runc",
		hostname: "ingot",
		maxBytes: 32 << 30,
		logger:   slog.New(slog.DiscardHandler),
	}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// Network modes for WithNetwork; any other value is the path of a network
// namespace to join (e.g. /var/run/netns/NAME).
const (
	NetworkNone = "none" // a new network namespace with only loopback
	NetworkHost = "host" // the host's network namespace
)

// WithArgs replaces the image's Cmd (the entrypoint stays unless
// WithEntrypoint replaces it too). Default: the image's Cmd.
func WithArgs(args []string) Option {
	return func(o *options) { o.args, o.argsSet = args, true }
}

// WithEntrypoint replaces the image's Entrypoint and, as Docker does, drops
// the image's Cmd (give arguments with WithArgs). Default: the image's Entrypoint.
func WithEntrypoint(entrypoint []string) Option {
	return func(o *options) { o.entrypoint, o.entrySet = entrypoint, true }
}

// WithStdin connects the container's stdin. Default: empty (/dev/null).
func WithStdin(r io.Reader) Option { return func(o *options) { o.stdin = r } }

// WithStdout receives the container's stdout. Default: discarded.
func WithStdout(w io.Writer) Option { return func(o *options) { o.stdout = w } }

// WithStderr receives the container's stderr. Default: discarded.
func WithStderr(w io.Writer) Option { return func(o *options) { o.stderr = w } }

// WithEnv adds KEY=VALUE variables, overriding the image's. Default: none.
func WithEnv(env []string) Option { return func(o *options) { o.env = append(o.env, env...) } }

// WithUser runs as "name", "uid", "uid:gid", "name:group" (resolved through
// the image's /etc/passwd and /etc/group). Default: the image's User, or root.
func WithUser(user string) Option { return func(o *options) { o.user = user } }

// WithNetwork picks the network: NetworkNone, NetworkHost, or the path of a
// network namespace. Default: NetworkNone.
func WithNetwork(mode string) Option { return func(o *options) { o.network = mode } }

// WithWorkDir sets the directory in which Run creates the bundle. Default:
// os.TempDir().
func WithWorkDir(dir string) Option { return func(o *options) { o.workDir = dir } }

// WithKeep keeps the bundle after Run returns (its path is logged). Default: false.
func WithKeep(keep bool) Option { return func(o *options) { o.keep = keep } }

// WithRuncPath sets the runc binary. Default: "runc" from $PATH.
func WithRuncPath(path string) Option { return func(o *options) { o.runc = path } }

// WithHostname sets the container's hostname. Default: "ingot".
func WithHostname(name string) Option { return func(o *options) { o.hostname = name } }

// WithMaxSize bounds the bytes Unpack writes, against decompression bombs.
// Default: 32 GiB.
func WithMaxSize(n int64) Option { return func(o *options) { o.maxBytes = n } }

// WithLogger sets the logger for progress details. Default: discard.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }
