package layer

import (
	"time"

	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Compression is how a Builder compresses the layer blob.
type Compression string

const (
	Gzip         Compression = "gzip" // OCI tar+gzip, level 6 (klauspost/compress/gzip, no name, mtime 0)
	Zstd         Compression = "zstd" // OCI tar+zstd, default level, single-threaded
	Uncompressed Compression = "none" // OCI tar
)

func (c Compression) mediaType() types.MediaType {
	switch c {
	case Zstd:
		return types.OCILayerZStd
	case Uncompressed:
		return types.OCIUncompressedLayer
	}
	return types.OCILayer
}

// Option configures a Builder.
type Option func(*options)

type options struct {
	epoch       time.Time
	mergedUsr   bool
	compression Compression
	lower       []Entry
}

func newOptions(opts []Option) options {
	o := options{epoch: time.Unix(0, 0).UTC(), mergedUsr: true, compression: Gzip}
	for _, opt := range opts {
		opt(&o)
	}
	o.epoch = o.epoch.Truncate(time.Second).UTC()
	switch o.compression {
	case Gzip, Zstd, Uncompressed:
	default:
		o.compression = Gzip
	}
	return o
}

// WithEpoch sets the time every entry's mtime is clamped to, the
// SOURCE_DATE_EPOCH of the build; sub-second precision is dropped.
// Default: Unix time 0.
func WithEpoch(t time.Time) Option { return func(o *options) { o.epoch = t } }

// WithMergedUsr sets whether entries under bin/, sbin/, lib/, lib32/,
// lib64/, libx32/ and libo32/ are moved under usr/, as on a merged-/usr
// Debian system (bookworm and later). Default true.
func WithMergedUsr(merged bool) Option { return func(o *options) { o.mergedUsr = merged } }

// WithCompression sets the blob compression: Gzip, Zstd or Uncompressed.
// Default Gzip, which every registry and runtime accepts; unknown values
// fall back to it.
func WithCompression(c Compression) Option { return func(o *options) { o.compression = c } }

// WithLower passes the entries of the layers below this one (for example
// the lower Builder's Entries). A directory this layer only implies takes
// its mode and owner from a directory at the same path below, so that an
// upper layer does not reset /tmp to 0755 or /root to 0755 when it ships
// something beneath them. Default: none; implied directories are 0755 root.
func WithLower(entries []Entry) Option { return func(o *options) { o.lower = entries } }
