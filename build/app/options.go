package app

import (
	"io"
	"log/slog"
	"runtime"
	"time"
)

// Option configures Build.
type Option func(*options)

type options struct {
	builders Registry
	fallback Builder
	builder  string
	app      Options
	owner    string
	name     string
	epoch    *time.Time
	archs    []string
	jobs     int
	log      *slog.Logger
	progress io.Writer

	layout   string
	tarball  string
	push     bool
	tag      string
	insecure bool
}

func defaultOptions() options {
	return options{log: slog.New(slog.DiscardHandler), jobs: max(2, runtime.GOMAXPROCS(0))}
}

// WithBuilders sets the builders tried, in detection order. Default: none,
// so every directory is refused (callers pass golang.New() and the others).
func WithBuilders(bs ...Builder) Option {
	return func(o *options) { o.builders = append(Registry(nil), bs...) }
}

// WithFallback sets the builder used when none of WithBuilders recognises
// the directory and a command was given (WithCmd): the command builder.
// Default: none.
func WithFallback(b Builder) Option { return func(o *options) { o.fallback = b } }

// WithKind forces the builder named kind ("go", "node", ...) from WithBuilders
// and WithFallback instead of detecting it. Default: detect.
func WithKind(kind string) Option { return func(o *options) { o.builder = kind } }

// WithMain selects the Go main package ("./cmd/server"). Default: the Go
// builder's choice.
func WithMain(pkg string) Option { return func(o *options) { o.app.Main = pkg } }

// WithCmd sets an explicit command (see Options.Cmd). Default: none.
func WithCmd(cmd ...string) Option { return func(o *options) { o.app.Cmd = cmd } }

// WithInstallScripts lets package managers run install scripts. Default:
// false.
func WithInstallScripts(allow bool) Option {
	return func(o *options) { o.app.AllowInstallScripts = allow }
}

// WithOwner sets the owner recorded on the application's layers and as the
// image vendor ("team <contact>" or "team"). Default: none.
func WithOwner(owner string) Option { return func(o *options) { o.owner = owner } }

// WithName sets the image name: its title annotation, the reference a
// tarball is tagged with and the default push reference. Default: the
// directory's base name.
func WithName(ref string) Option { return func(o *options) { o.name = ref } }

// WithEpoch sets SOURCE_DATE_EPOCH, every timestamp of the new layers and
// configs. Default: the latest creation time of the base's images.
func WithEpoch(t time.Time) Option { return func(o *options) { o.epoch = &t } }

// WithArchitectures builds only for these architectures of the base
// ("amd64", "arm64"). Default: every platform of the base.
func WithArchitectures(archs ...string) Option { return func(o *options) { o.archs = archs } }

// WithJobs bounds how many platforms are built at once, for builders that
// allow it (Concurrent). Default: GOMAXPROCS, at least 2.
func WithJobs(n int) Option { return func(o *options) { o.jobs = n } }

// WithLogger sets the logger, also handed to builders. Default: discard.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithProgress receives the output of compilers and package managers as they
// run, and a line per platform. Default: none (tool output is shown only
// when it fails).
func WithProgress(w io.Writer) Option { return func(o *options) { o.progress = w } }

// WithLayout writes the index as an OCI image layout directory. Default: no
// layout.
func WithLayout(dir string) Option { return func(o *options) { o.layout = dir } }

// WithTarball writes a `docker load`-able tarball of one image (the host's
// architecture if built, else the first). Default: no tarball.
func WithTarball(path string) Option { return func(o *options) { o.tarball = path } }

// WithPush pushes the index to WithTag, else WithName. Default: no push.
func WithPush() Option { return func(o *options) { o.push = true } }

// WithTag sets the reference pushed to and written into the tarball.
// Default: WithName.
func WithTag(ref string) Option { return func(o *options) { o.tag = ref } }

// WithInsecure allows plain HTTP to the push registry. Default: false.
func WithInsecure(insecure bool) Option { return func(o *options) { o.insecure = insecure } }
