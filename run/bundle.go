package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// Bundle is an unpacked image ready for runc: Dir holds config.json and rootfs/.
type Bundle struct {
	Dir    string
	Rootfs string
	Spec   *specs.Spec
}

// WriteSpec (re)writes Dir/config.json from Spec.
func (b *Bundle) WriteSpec() error {
	data, err := json.MarshalIndent(b.Spec, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding config.json: %w", err)
	}
	if err := os.WriteFile(filepath.Join(b.Dir, "config.json"), data, 0o600); err != nil {
		return fmt.Errorf("writing config.json: %w", err)
	}
	return nil
}

// Unpack writes img into dir (which must not exist or be empty) as a runc
// bundle: the layers applied in order onto dir/rootfs, and dir/config.json for
// the image config as changed by the options (user, args, entrypoint, env,
// network, hostname). Owners are restored only when running as root.
func Unpack(ctx context.Context, img v1.Image, dir string, opts ...Option) (*Bundle, error) {
	o := makeOptions(opts)
	return unpack(ctx, img, dir, &o)
}

func unpack(ctx context.Context, img v1.Image, dir string, o *options) (*Bundle, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading the image config: %w", err)
	}
	// Refuse what buildSpec would refuse before extracting a single layer.
	if _, _, _, err := process(cf.Config, o); err != nil {
		return nil, err
	}
	if err := CheckNetwork(o.network); err != nil {
		return nil, err
	}
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		return nil, fmt.Errorf("unpacking into %s: the directory is not empty; choose a new one", dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("unpacking into %s: %w", dir, err)
	}
	rootfs := filepath.Join(dir, "rootfs")
	if err := os.MkdirAll(rootfs, 0o755); err != nil {
		return nil, fmt.Errorf("unpacking into %s: %w", dir, err)
	}
	root, err := os.OpenRoot(rootfs)
	if err != nil {
		return nil, fmt.Errorf("unpacking into %s: %w", dir, err)
	}
	defer root.Close()

	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("listing the image's layers: %w", err)
	}
	x := &extractor{
		root:     root,
		asRoot:   os.Geteuid() == 0,
		budget:   o.maxBytes,
		dirModes: map[string]fs.FileMode{},
		o:        o,
	}
	for i, l := range layers {
		o.logger.Debug("unpacking layer", "n", i+1, "of", len(layers))
		if err := x.applyLayer(ctx, l, i+1); err != nil {
			return nil, err
		}
	}
	if err := x.finish(); err != nil {
		return nil, fmt.Errorf("unpacking into %s: %w", dir, err)
	}

	cfg := cf.Config
	user := cfg.User
	if o.user != "" {
		user = o.user
	}
	acc, err := resolveUser(root, user)
	if err != nil {
		return nil, err
	}
	spec, err := buildSpec(cfg, acc, o)
	if err != nil {
		return nil, err
	}
	// runc needs the working directory to exist; Docker creates it too.
	cwd, err := resolve(root, spec.Process.Cwd, true)
	if err != nil {
		return nil, fmt.Errorf("working directory %s: %w", spec.Process.Cwd, err)
	}
	if err := root.MkdirAll(cwd, 0o755); err != nil {
		return nil, fmt.Errorf("creating the working directory %s: %w", spec.Process.Cwd, err)
	}
	b := &Bundle{Dir: dir, Rootfs: rootfs, Spec: spec}
	if err := b.WriteSpec(); err != nil {
		return nil, err
	}
	return b, nil
}
