package layer

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// gzipLevel is fixed: the blob digest depends on it.
const gzipLevel = 6

// Layer encodes the entries as a tar, compresses it into memory once and
// returns it as a v1.Layer whose digest, diffID and size are already known.
// Later calls return the same layer; Add fails after it.
//
// The tar holds nothing from the build host: every mtime is the epoch
// (Entry carries no time of its own, so clamping to SOURCE_DATE_EPOCH gives
// the epoch for all of them), owners are numeric with no user or group
// names, and atime/ctime are not recorded. archive/tar picks the format per
// entry: USTAR, or PAX only for names or owners USTAR cannot hold; its PAX
// records are derived from the entry alone.
func (b *Builder) Layer() (v1.Layer, error) {
	if b.layer != nil {
		return b.layer, nil
	}
	l := &memLayer{compression: b.opts.compression}
	var blob bytes.Buffer
	blobHash := sha256.New()
	diffHash := sha256.New()
	cw, err := compressor(b.opts.compression, io.MultiWriter(&blob, blobHash))
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(io.MultiWriter(diffHash, cw))
	for _, e := range b.Entries() {
		if err := writeEntry(tw, e, b.opts); err != nil {
			return nil, fmt.Errorf("writing /%s to the layer tar: %w", e.Path, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("finishing the layer tar: %w", err)
	}
	if err := cw.Close(); err != nil {
		return nil, fmt.Errorf("finishing %s compression of the layer: %w", b.opts.compression, err)
	}
	l.blob = blob.Bytes()
	l.digest = hashOf(blobHash)
	l.diffID = hashOf(diffHash)
	b.layer = l
	return l, nil
}

func writeEntry(tw *tar.Writer, e Entry, o options) error {
	h := &tar.Header{
		Name:     e.Path,
		Typeflag: e.Type,
		Mode:     e.Mode,
		Uid:      e.UID,
		Gid:      e.GID,
		ModTime:  o.epoch,
		Linkname: e.Linkname,
	}
	switch e.Type {
	case tar.TypeDir:
		h.Name += "/"
	case tar.TypeReg:
		h.Size = int64(len(e.Body))
	}
	if err := tw.WriteHeader(h); err != nil {
		return err
	}
	if len(e.Body) > 0 {
		_, err := tw.Write(e.Body)
		return err
	}
	return nil
}

func compressor(c Compression, w io.Writer) (io.WriteCloser, error) {
	switch c {
	case Zstd:
		zw, err := zstd.NewWriter(w, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedDefault))
		if err != nil {
			return nil, fmt.Errorf("starting zstd compression: %w", err)
		}
		return zw, nil
	case Uncompressed:
		return nopCloser{w}, nil
	}
	// The zero gzip.Header: no name, no comment, mtime 0.
	return gzip.NewWriterLevel(w, gzipLevel)
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func hashOf(h hash.Hash) v1.Hash {
	return v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%x", h.Sum(nil))}
}

// memLayer is a layer whose compressed blob is held in memory.
type memLayer struct {
	blob           []byte
	digest, diffID v1.Hash
	compression    Compression
}

var _ v1.Layer = (*memLayer)(nil)

func (l *memLayer) Digest() (v1.Hash, error)            { return l.digest, nil }
func (l *memLayer) DiffID() (v1.Hash, error)            { return l.diffID, nil }
func (l *memLayer) Size() (int64, error)                { return int64(len(l.blob)), nil }
func (l *memLayer) MediaType() (types.MediaType, error) { return l.compression.mediaType(), nil }

func (l *memLayer) Compressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(l.blob)), nil
}

func (l *memLayer) Uncompressed() (io.ReadCloser, error) {
	r := bytes.NewReader(l.blob)
	switch l.compression {
	case Zstd:
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("opening zstd layer blob: %w", err)
		}
		return zr.IOReadCloser(), nil
	case Uncompressed:
		return io.NopCloser(r), nil
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("opening gzip layer blob: %w", err)
	}
	return zr, nil
}
