package app

import (
	"context"
	"io"
	"log/slog"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/layer"
)

// Builder builds one kind of application. Build is called once per platform
// of the base, in the base index's order; a builder that does
// platform-independent work (installing JavaScript dependencies) may keep it
// between calls, keyed by its inputs.
type Builder interface {
	// Name is the kind, as shown to users: "go", "node", "static", "command".
	Name() string
	// Detect reports whether dir holds this kind of application. It only
	// looks at files; it runs no tools.
	Detect(dir string) (bool, error)
	// Build produces the application's layers and runtime settings for
	// req.Platform on req.Base.
	Build(ctx context.Context, req Request) (*Output, error)
}

// Hinter is implemented by builders that can say what Detect looks for
// ("go.mod"); NoAppError lists the hints of every builder tried.
type Hinter interface {
	Hint() string
}

// Request is what a Builder gets for one platform.
type Request struct {
	Dir      string      // the application's source directory, absolute
	Platform v1.Platform // the platform to build for (the base image's)
	Base     Base        // the base image for Platform
	Options  Options
}

// Base is the base image of one platform, with what builders may check
// (does it have node? which user does it run as?).
type Base struct {
	// Name is the base as the user named it (a reference, a layout path, or
	// the name of a spec built first).
	Name        string
	Digest      v1.Hash // the manifest digest of Image
	IndexDigest v1.Hash // the digest of the base's index (zero for a single image)
	Image       v1.Image
	Config      *v1.ConfigFile
	// Lineage is the base's ingot lineage; nil when ingot did not build it.
	Lineage *image.Lineage
}

// Options are the user's choices, the same for every builder. A builder
// ignores what does not apply to it.
type Options struct {
	// Main selects the Go main package ("./cmd/server"). Default: chosen
	// by the Go builder.
	Main string
	// Cmd is an explicit command. For a directory no builder recognises it
	// selects the command builder; for a recognised application it replaces
	// the command the builder chose.
	Cmd []string
	// AllowInstallScripts lets package managers run install scripts
	// (npm's preinstall/install/postinstall). Default: off.
	AllowInstallScripts bool
	// Progress receives the output of long-running tools (compilers, npm).
	// Nil: discarded, and shown only in errors.
	Progress io.Writer
	// Logger records what the builder does. Never nil in a Request.
	Logger *slog.Logger
}

// Output is what a Builder produced for one platform.
type Output struct {
	// Layers are the application's layers in order, dependencies first and
	// the application itself ("app") last.
	Layers []Layer
	// Config is applied on top of the base's configuration.
	Config Config
}

// Layer is one layer a builder produced.
type Layer struct {
	// Name is "deps" for dependencies and "app" for the application itself.
	Name string
	// Entries are the layer's files; the assembly encodes them reproducibly
	// (sorted, mtimes SOURCE_DATE_EPOCH). Use Files to make them from a
	// directory. Ignored when Prebuilt is set.
	Entries []layer.Entry
	// Prebuilt is an already encoded layer (for example one cached between
	// platforms); its digest is used as is.
	Prebuilt v1.Layer
	// Packages lists what the layer holds, as name=version (npm packages),
	// for the lineage record. Optional.
	Packages []string
}

// Config is the runtime configuration a builder sets. Empty fields keep the
// base's value.
type Config struct {
	Entrypoint []string
	Cmd        []string
	// Env entries (KEY=VALUE) are merged over the base's: same key, the
	// application's value wins.
	Env        []string
	WorkingDir string
	// User is kept from the base unless set here; a root user is refused.
	User         string
	ExposedPorts []string // "8080/tcp"
}
