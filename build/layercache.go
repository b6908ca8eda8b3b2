package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/image/layer"
)

// The layer cache keeps the encoded layers of every image built, keyed by
// everything they are made from: the running ingot binary, the
// architecture, the epoch, the spec, the content of its files and the
// locked packages (by SHA256). A package layer's mtime is a function of
// its .debs (their SHA256) and the epoch (the clamp), so the key covers it. A rebuild of the same spec and lock then
// decompresses and compresses nothing: the .debs need not even be read.
// Blobs are verified against their recorded digest when read; an entry that
// does not verify is ignored and rewritten. It lives in <cache dir>/layers.
//
// "ingot cache prune" removes entries whose directory's mtime, set on every
// hit (fetch.Touch), is old: a missing entry, or a missing file of one, is
// a miss, and the layers are built again. The mtimes of cache files never
// reach a layer's bytes: blobs are stored and served as they were encoded.

// layerCacheFormat changes when the layout of cache entries changes, or
// when the same key would now give other layer bytes (2: package layers
// are dated by their packages, not by the lock's epoch).
const layerCacheFormat = 2

// layerCache is a directory of cached images' layers.
type layerCache struct{ dir string }

// cachedImage is the metadata file of one cached image.
type cachedImage struct {
	Layers []cachedLayer `json:"layers"`
}

type cachedLayer struct {
	Name     string          `json:"name"`
	Owner    string          `json:"owner"`
	Packages []string        `json:"packages,omitempty"`
	Blob     v1.Hash         `json:"digest"`
	Diff     v1.Hash         `json:"diffID"`
	Media    types.MediaType `json:"mediaType"`
	BlobSize int64           `json:"size"`
	blob     []byte
}

// cachedBlob serves a verified cached layer to go-containerregistry.
type cachedBlob struct{ *cachedLayer }

var _ partial.CompressedLayer = cachedBlob{}

func (l cachedBlob) Digest() (v1.Hash, error)            { return l.Blob, nil }
func (l cachedBlob) DiffID() (v1.Hash, error)            { return l.Diff, nil }
func (l cachedBlob) Size() (int64, error)                { return int64(len(l.blob)), nil }
func (l cachedBlob) MediaType() (types.MediaType, error) { return l.Media, nil }
func (l cachedBlob) Compressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(l.blob)), nil
}

// imageKey is the cache key of one architecture's image.
func imageKey(s *spec.Spec, arch string, epoch int64, files []layer.Entry, locked []lock.Package) (string, error) {
	self, err := selfDigest()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	enc := json.NewEncoder(h)
	type file struct {
		Path, Linkname string
		Type           byte
		Mode           int64
		UID, GID       int
		Body           [32]byte
	}
	fs := make([]file, len(files))
	for i, f := range files {
		fs[i] = file{f.Path, f.Linkname, f.Type, f.Mode, f.UID, f.GID, sha256.Sum256(f.Body)}
	}
	err = enc.Encode(struct {
		Format   int
		Self     string
		Arch     string
		Epoch    int64
		Spec     string
		Files    []file
		Packages []lock.Package
	}{layerCacheFormat, self, arch, epoch, s.Digest(), fs, locked})
	if err != nil {
		return "", fmt.Errorf("computing the layer cache key: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// selfDigest is the SHA256 of the running executable, so that a different
// ingot (a new version, a local change) never reuses another's layers.
var selfDigest = sync.OnceValues(func() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("finding the ingot executable for the layer cache key: %w", err)
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("reading the ingot executable for the layer cache key: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading the ingot executable for the layer cache key: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
})

func (c *layerCache) path(key string) string { return filepath.Join(c.dir, key[:2], key) }

// load returns the cached layers of key, verified, or false.
func (c *layerCache) load(key string) ([]image.LayerInfo, bool) {
	if c == nil {
		return nil, false
	}
	dir := c.path(key)
	meta, err := os.ReadFile(filepath.Join(dir, "image.json"))
	if err != nil {
		return nil, false
	}
	var ci cachedImage
	if json.Unmarshal(meta, &ci) != nil || len(ci.Layers) == 0 {
		return nil, false
	}
	infos := make([]image.LayerInfo, len(ci.Layers))
	for i := range ci.Layers {
		cl := &ci.Layers[i]
		blob, err := os.ReadFile(filepath.Join(dir, cl.Blob.Hex))
		if err != nil || int64(len(blob)) != cl.BlobSize {
			return nil, false
		}
		if sum := sha256.Sum256(blob); cl.Blob.Algorithm != "sha256" || hex.EncodeToString(sum[:]) != cl.Blob.Hex {
			return nil, false
		}
		cl.blob = blob
		l, err := partial.CompressedToLayer(cachedBlob{cl})
		if err != nil {
			return nil, false
		}
		infos[i] = image.LayerInfo{Layer: l, Name: cl.Name, Owner: cl.Owner, Packages: cl.Packages}
	}
	fetch.Touch(dir)
	return infos, true
}

// store saves the layers of key. The entry is written to a temporary
// directory and renamed into place, so readers never see half an entry.
func (c *layerCache) store(key string, infos []image.LayerInfo) (err error) {
	if c == nil {
		return nil
	}
	final := c.path(key)
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(final), ".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var ci cachedImage
	for _, li := range infos {
		cl := cachedLayer{Name: li.Name, Owner: li.Owner, Packages: li.Packages}
		if cl.Blob, err = li.Layer.Digest(); err != nil {
			return err
		}
		if cl.Diff, err = li.Layer.DiffID(); err != nil {
			return err
		}
		if cl.Media, err = li.Layer.MediaType(); err != nil {
			return err
		}
		rc, err := li.Layer.Compressed()
		if err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(tmp, cl.Blob.Hex))
		if err != nil {
			rc.Close()
			return err
		}
		cl.BlobSize, err = io.Copy(f, rc)
		rc.Close()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		ci.Layers = append(ci.Layers, cl)
	}
	meta, err := json.Marshal(ci)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "image.json"), meta, 0o644); err != nil {
		return err
	}
	os.RemoveAll(final) // a stale or corrupt entry
	return os.Rename(tmp, final)
}
