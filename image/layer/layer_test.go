package layer

import (
	"archive/tar"
	"bytes"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

var update = flag.Bool("update", false, "rewrite testdata/golden-digests.txt")

// fixedEntries is the small, fixed entry set whose digests are pinned in
// testdata: setuid, setgid, owners, symlinks, a hardlink, merged-/usr, a
// long path that needs PAX and an implied directory.
func fixedEntries() []Entry {
	su := reg("bin/su", "#!/bin/sh\n")
	su.Mode = 0o4755
	mail := dir("var/mail")
	mail.Mode, mail.GID = 0o2775, 8
	long := reg("usr/share/doc/"+strings.Repeat("very-long-directory-name/", 12)+"README", "long\n")
	return append(MergedUsrLinks("amd64"),
		dir("etc"), reg("etc/hostname", "ingot\n"),
		sym("etc/os-release", "../usr/lib/os-release"),
		reg("usr/lib/os-release", "ID=debian\n"),
		su, hard("usr/bin/su-again", "bin/su"),
		mail, long,
		Entry{Path: "home/nonroot", Type: tar.TypeDir, Mode: 0o700, UID: 65532, GID: 65532},
	)
}

func build(t testing.TB, entries []Entry, opts ...Option) v1.Layer {
	t.Helper()
	b := NewBuilder(opts...)
	if err := b.Add("fixture", entries...); err != nil {
		t.Fatal(err)
	}
	l, err := b.Layer()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func digests(t testing.TB, l v1.Layer) string {
	t.Helper()
	d, err := l.Digest()
	if err != nil {
		t.Fatal(err)
	}
	id, err := l.DiffID()
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("digest %s diffid %s", d, id)
}

// TestGoldenDigests pins the digests of the fixed entry set for every
// compression: a change in any of them means images built from the same
// lock would stop being identical to earlier builds. Run with -update only
// when that is intended.
func TestGoldenDigests(t *testing.T) {
	epoch := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var got strings.Builder
	for _, c := range []Compression{Gzip, Zstd, Uncompressed} {
		fmt.Fprintf(&got, "%s %s\n", c, digests(t, build(t, fixedEntries(), WithEpoch(epoch), WithCompression(c))))
	}
	golden := filepath.Join("testdata", "golden-digests.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("reading golden digests (create with go test -run TestGoldenDigests -update): %v", err)
	}
	if got.String() != string(want) {
		t.Errorf("layer digests changed:\ngot\n%swant\n%s", got.String(), want)
	}
}

func TestDeterministicAcrossInsertionOrder(t *testing.T) {
	entries := fixedEntries()
	want := digests(t, build(t, entries))
	for i := 0; i < 5; i++ {
		shuffled := append([]Entry(nil), entries...)
		rand.New(rand.NewPCG(uint64(i), 1)).Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		// The hardlink must follow its target within one Add; add the target first.
		b := NewBuilder()
		for _, e := range shuffled {
			if e.Path == "bin/su" {
				if err := b.Add("first", e); err != nil {
					t.Fatal(err)
				}
			}
		}
		for j, e := range shuffled {
			if e.Path == "bin/su" {
				continue
			}
			if err := b.Add(fmt.Sprintf("origin-%d", j), e); err != nil {
				t.Fatal(err)
			}
		}
		l, err := b.Layer()
		if err != nil {
			t.Fatal(err)
		}
		if got := digests(t, l); got != want {
			t.Errorf("shuffle %d: %s, want %s", i, got, want)
		}
	}
}

func TestEpochChangesDigest(t *testing.T) {
	a := digests(t, build(t, fixedEntries()))
	b := digests(t, build(t, fixedEntries(), WithEpoch(time.Unix(1700000000, 0))))
	if a == b {
		t.Error("different epochs gave the same digest: mtimes are not recorded")
	}
}

// TestTarHeaders reads the layer back and checks that nothing but the
// entries and the epoch reached the tar.
func TestTarHeaders(t *testing.T) {
	epoch := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	l := build(t, fixedEntries(), WithEpoch(epoch.Add(999*time.Millisecond)))
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
		if !h.ModTime.Equal(epoch) {
			t.Errorf("%s: mtime %v, want the epoch %v", h.Name, h.ModTime, epoch)
		}
		if !h.AccessTime.IsZero() || !h.ChangeTime.IsZero() {
			t.Errorf("%s: atime/ctime recorded", h.Name)
		}
		if h.Uname != "" || h.Gname != "" {
			t.Errorf("%s: user/group names %q/%q recorded", h.Name, h.Uname, h.Gname)
		}
		for k := range h.PAXRecords {
			if k != "path" {
				t.Errorf("%s: unexpected PAX record %q", h.Name, k)
			}
		}
		switch h.Name {
		case "usr/bin/su":
			if h.Mode != 0o4755 || h.Typeflag != tar.TypeReg {
				t.Errorf("usr/bin/su: mode %o type %q, want setuid regular file", h.Mode, h.Typeflag)
			}
		case "usr/bin/su-again":
			if h.Typeflag != tar.TypeLink || h.Linkname != "usr/bin/su" {
				t.Errorf("usr/bin/su-again: %q -> %q, want hardlink to usr/bin/su", h.Typeflag, h.Linkname)
			}
		case "var/mail/":
			if h.Mode != 0o2775 || h.Gid != 8 {
				t.Errorf("var/mail: mode %o gid %d", h.Mode, h.Gid)
			}
		case "home/nonroot/":
			if h.Uid != 65532 || h.Gid != 65532 {
				t.Errorf("home/nonroot: owner %d:%d", h.Uid, h.Gid)
			}
		}
	}
	if len(names) == 0 || names[0] != "bin" {
		t.Errorf("first entries %q, want bin first", names[:min(3, len(names))])
	}
}

func TestLayerValidates(t *testing.T) {
	for _, c := range []Compression{Gzip, Zstd, Uncompressed} {
		t.Run(string(c), func(t *testing.T) {
			l := build(t, fixedEntries(), WithCompression(c))
			if c == Gzip { // validate.Layer only understands gzip
				if err := validate.Layer(l); err != nil {
					t.Fatal(err)
				}
			}
			checkConsistent(t, l)
			mt, _ := l.MediaType()
			want := map[Compression]types.MediaType{Gzip: types.OCILayer, Zstd: types.OCILayerZStd, Uncompressed: types.OCIUncompressedLayer}[c]
			if mt != want {
				t.Errorf("media type %s, want %s", mt, want)
			}
		})
	}
}

// checkConsistent checks what validate.Layer checks, for any compression.
func checkConsistent(t *testing.T, l v1.Layer) {
	t.Helper()
	sum := func(open func() (io.ReadCloser, error)) (v1.Hash, int64) {
		rc, err := open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		h, n, err := v1.SHA256(rc)
		if err != nil {
			t.Fatal(err)
		}
		return h, n
	}
	digest, size := sum(l.Compressed)
	diffID, _ := sum(l.Uncompressed)
	if d, _ := l.Digest(); d != digest {
		t.Errorf("Digest %s, sha256(Compressed) %s", d, digest)
	}
	if d, _ := l.DiffID(); d != diffID {
		t.Errorf("DiffID %s, sha256(Uncompressed) %s", d, diffID)
	}
	if s, _ := l.Size(); s != size {
		t.Errorf("Size %d, len(Compressed) %d", s, size)
	}
}

func TestLayerOnce(t *testing.T) {
	b := NewBuilder()
	if err := b.Add("p", reg("etc/a", "a")); err != nil {
		t.Fatal(err)
	}
	l1, err := b.Layer()
	if err != nil {
		t.Fatal(err)
	}
	l2, _ := b.Layer()
	if l1 != l2 {
		t.Error("second Layer call built a new layer")
	}
	if err := b.Add("late", reg("etc/b", "b")); err == nil {
		t.Error("Add after Layer succeeded; the entry would be silently missing")
	}
	var buf bytes.Buffer
	rc, _ := l1.Compressed()
	io.Copy(&buf, rc)
	if size, _ := l1.Size(); size != int64(buf.Len()) {
		t.Errorf("Size %d, blob %d bytes", size, buf.Len())
	}
}

func TestEmptyLayer(t *testing.T) {
	l := build(t, nil)
	if err := validate.Layer(l); err != nil {
		t.Fatal(err)
	}
	rc, _ := l.Uncompressed()
	b, _ := io.ReadAll(rc)
	if len(b) != 1024 || bytes.Count(b, []byte{0}) != 1024 {
		t.Errorf("empty layer is %d bytes, want the 1024-byte tar trailer only", len(b))
	}
}
