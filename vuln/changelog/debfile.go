package changelog

import (
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/ingot-dev/ingot/debian/deb"
)

// ErrDebTooLarge is wrapped by FromDebFile's error when the .deb is larger
// than the bound (WithMaxDeb).
var ErrDebTooLarge = errors.New(".deb larger than the bound for reading its changelog")

// defaultMaxDeb is the default of WithMaxDeb.
const defaultMaxDeb = 512 << 20

// FromDebFile reads the .deb at path (a file of the download cache, say)
// and returns the changelog entries it ships for pkg of architecture arch,
// as FromDeb does. When there is no file at path it returns nil, false and
// no error. A file larger than the bound is not read: the error wraps
// ErrDebTooLarge. Of opts, only WithMaxDeb is used (default 512 MiB, which
// also bounds the .deb's uncompressed content).
func FromDebFile(path, pkg, arch string, opts ...Option) (entries []Entry, found bool, err error) {
	o := options{log: slog.New(slog.DiscardHandler), maxDeb: defaultMaxDeb}
	for _, opt := range opts {
		opt(&o)
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("opening the .deb of %s: %w", pkg, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, false, fmt.Errorf("opening the .deb of %s: %w", pkg, err)
	} else if st.Size() > o.maxDeb {
		return nil, false, fmt.Errorf("reading the changelog of %s from %s (%d bytes, at most %d; raise the bound with WithMaxDeb): %w", pkg, path, st.Size(), o.maxDeb, ErrDebTooLarge)
	}
	a, err := deb.Read(f, deb.WithName(pkg), deb.WithMaxSize(o.maxDeb))
	if err != nil {
		return nil, false, fmt.Errorf("reading the .deb of %s at %s: %w", pkg, path, err)
	}
	entries, found, err = FromDeb(a, pkg, arch)
	if err != nil {
		return nil, false, fmt.Errorf("reading the changelog of %s from %s: %w", pkg, path, err)
	}
	return entries, found, nil
}
