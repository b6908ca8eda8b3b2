package repo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/internal/debtest"
)

// parsedSample is an index with everything the parser builds rather than
// slices: continued values, lowercased fields, joined profiles, arch lists.
const parsedSample = `Package: a
Version: 1:2.0-3
Architecture: amd64
Multi-Arch: SAME
SHA256: ABCDEF
Depends: libc6 (>= 2.36), b | c:any (<< 2) [amd64 !i386] <!nocheck> <stage1>
Provides: x (= 1), y
Description: one
 two
 .

# a comment
package: b
VERSION: 2
Source: src (1.0-1)
Pre-Depends: libc6 (>= 2.36)
Breaks: a (<< 1:2.0-3), ,
Installed-Size: -4
Size: 12
Essential: yes

Package: c
Version: 3~rc1+dfsg
Depen` + "\u212a" + `s: q
Depends: libc6 (>= 2.36), b | c:any (<< 2) [amd64 !i386] <!nocheck> <stage1>
`

// roundTrip parses data, encodes the result, and decodes it back.
func roundTrip(t *testing.T, data string) (parsed, decoded []*debian.Package) {
	t.Helper()
	parsed, err := parsePackages(data, "bookworm", "main")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256Hex(data)
	entry, err := encodeParsed(sum, data, parsed)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := checkParsedHeader(entry, sum, len(data))
	if err != nil {
		t.Fatal(err)
	}
	decoded, err = decodeParsed(payload, data, "bookworm", "main")
	if err != nil {
		t.Fatal(err)
	}
	return parsed, decoded
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestParsedRoundTrip(t *testing.T) {
	var many strings.Builder
	for i := range 3000 {
		many.WriteString(strings.ReplaceAll(parsedSample, "Package: a\n", "Package: a"+strings.Repeat("x", i%7)+"\n"))
		many.WriteString("\n")
	}
	for _, tc := range []struct{ desc, in string }{
		{"empty index", ""},
		{"sample", parsedSample},
		{"CRLF", strings.ReplaceAll(parsedSample, "\n", "\r\n")},
		{"many records", many.String()},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			parsed, decoded := roundTrip(t, tc.in)
			if !reflect.DeepEqual(decoded, parsed) {
				t.Fatalf("decoded %d records differ from the %d parsed", len(decoded), len(parsed))
			}
			want, err := referenceParse(strings.NewReader(tc.in), "bookworm", "main")
			if err != nil || !reflect.DeepEqual(decoded, want) {
				t.Fatalf("decoded records differ from the reference parser's (%v)", err)
			}
		})
	}
}

// snapshotOf reads every package of the test archive for amd64 with c.
func snapshotOf(t *testing.T, c *Client, r *debtest.Repo) []*debian.Package {
	t.Helper()
	ix, err := c.Index(context.Background(), sourceFor(t, r, allSuites...), "amd64")
	if err != nil {
		t.Fatal(err)
	}
	var out []*debian.Package
	for _, n := range ix.Names() {
		out = append(out, ix.Versions(n)...)
	}
	return out
}

// countingHandler counts log records whose message is msg.
type countingHandler struct {
	slog.Handler
	mu   sync.Mutex
	msgs map[string]int
}

func (h *countingHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs[r.Message]++
	return nil
}

func (h *countingHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *countingHandler) count(msg string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.msgs[msg]
}

const msgCacheHit = "parsed index from the cache"

// A warm run decodes every index from the parsed-index cache and gets the
// very packages a fresh parse gives.
func TestParsedCacheHit(t *testing.T) {
	r := archive(t)
	fresh, _ := newTestClient(t, WithParsedIndexCache(false))
	want := snapshotOf(t, fresh, r)

	h := &countingHandler{msgs: map[string]int{}}
	c, cache := newTestClient(t, WithLogger(slog.New(h)))
	cold := snapshotOf(t, c, r)
	if n := h.count(msgCacheHit); n != 0 {
		t.Fatalf("cold run: %d cache hits", n)
	}
	warmClient := New(cache, WithLogger(slog.New(h)))
	warm := snapshotOf(t, warmClient, r)
	if n := h.count(msgCacheHit); n != len(allSuites) { // main of each suite
		t.Errorf("warm run: %d cache hits, want %d", n, len(allSuites))
	}
	if !reflect.DeepEqual(cold, want) || !reflect.DeepEqual(warm, want) {
		t.Fatal("packages from the parsed-index cache differ from a fresh parse")
	}
}

// mainEntry returns the test archive's bookworm main amd64 index (the
// verified decompressed copy in the cache) and its parsed-cache path.
func mainEntry(t *testing.T, c *Client, r *debtest.Repo) (sum, data, path string) {
	t.Helper()
	rel, err := c.Release(context.Background(), sourceFor(t, r, allSuites...), "bookworm")
	if err != nil {
		t.Fatal(err)
	}
	sum = rel.Files["main/binary-amd64/Packages"].SHA256
	b, err := os.ReadFile(c.cache.Path(sum))
	if err != nil {
		t.Fatal(err)
	}
	return sum, string(b), c.parsedPath(sum)
}

// A damaged, truncated, foreign or mismatched entry is never trusted: the
// index is parsed again and the entry rewritten.
func TestParsedCacheDamagedEntry(t *testing.T) {
	r := archive(t)
	fresh, _ := newTestClient(t, WithParsedIndexCache(false))
	want := snapshotOf(t, fresh, r)
	header := func(b []byte, at int, v uint32) []byte {
		b = bytes.Clone(b)
		binary.LittleEndian.PutUint32(b[at:], v)
		return b
	}
	for _, tc := range []struct {
		desc   string
		damage func(t *testing.T, entry []byte, other []byte) []byte
	}{
		{"empty file", func(*testing.T, []byte, []byte) []byte { return nil }},
		{"truncated", func(_ *testing.T, e, _ []byte) []byte { return e[:len(e)-7] }},
		{"truncated header", func(_ *testing.T, e, _ []byte) []byte { return e[:20] }},
		{"one payload byte flipped", func(_ *testing.T, e, _ []byte) []byte {
			e = bytes.Clone(e)
			e[len(e)-3] ^= 0x40
			return e
		}},
		{"trailing garbage", func(_ *testing.T, e, _ []byte) []byte { return append(bytes.Clone(e), 0) }},
		{"not an entry", func(_ *testing.T, e, _ []byte) []byte { return bytes.Repeat([]byte("Package: evil\n"), len(e)/14+1) }},
		{"another format", func(_ *testing.T, e, _ []byte) []byte { return header(e, len(parsedMagic), parsedFormat+1) }},
		{"another parser", func(_ *testing.T, e, _ []byte) []byte { return header(e, len(parsedMagic)+4, parserVersion+1) }},
		{"the entry of another index", func(_ *testing.T, _, other []byte) []byte { return other }},
		{"too large", func(_ *testing.T, e, _ []byte) []byte { return make([]byte, maxParsedSize(1<<20)+1) }},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			c, _ := newTestClient(t)
			snapshotOf(t, c, r)
			sum, data, path := mainEntry(t, c, r)
			entry, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			otherRel, err := c.Release(context.Background(), sourceFor(t, r, allSuites...), "bookworm-security")
			if err != nil {
				t.Fatal(err)
			}
			other, err := os.ReadFile(c.parsedPath(otherRel.Files["main/binary-amd64/Packages"].SHA256))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tc.damage(t, entry, other), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := c.loadParsed(sum, data, "bookworm", "main"); !errors.Is(err, errParsedCorrupt) {
				t.Fatalf("damaged entry: err = %v, want errParsedCorrupt", err)
			}
			if got := snapshotOf(t, c, r); !reflect.DeepEqual(got, want) {
				t.Fatal("packages differ from a fresh parse after a damaged entry")
			}
			if _, err := c.loadParsed(sum, data, "bookworm", "main"); err != nil {
				t.Fatalf("entry not rewritten: %v", err)
			}
		})
	}
}

// When a suite's index changes, its new SHA256 names a new entry: the old
// one is never read for it.
func TestParsedCacheChangedIndex(t *testing.T) {
	r := archive(t)
	c, _ := newTestClient(t)
	snapshotOf(t, c, r)
	oldSum, oldData, oldPath := mainEntry(t, c, r)

	r.Add("bookworm", "main", debtest.Deb{Name: "newcomer", Version: "1"})
	pkgs := snapshotOf(t, c, r)
	newSum, newData, newPath := mainEntry(t, c, r)
	if newSum == oldSum || newPath == oldPath {
		t.Fatal("the changed index has the old SHA256")
	}
	found := false
	for _, p := range pkgs {
		found = found || p.Name == "newcomer"
	}
	if !found {
		t.Fatal("the changed index's new package is missing")
	}
	// The old entry, even under the new name, describes another index.
	old, err := os.ReadFile(oldPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(newPath, old, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := c.loadParsed(newSum, newData, "bookworm", "main"); !errors.Is(err, errParsedCorrupt) {
		t.Fatalf("old entry accepted for the new index: %v", err)
	}
	if _, err := c.loadParsed(oldSum, oldData, "bookworm", "main"); err != nil {
		t.Fatalf("old entry unreadable for its own index: %v", err)
	}
}

// Writers of the same entry (other processes, other suites with an
// identical index) and readers never see a partial entry.
func TestParsedCacheConcurrentWriters(t *testing.T) {
	r := archive(t)
	fresh, cache := newTestClient(t)
	want := snapshotOf(t, fresh, r)
	sum, data, path := mainEntry(t, fresh, r)
	pkgs, err := parsePackages(data, "bookworm", "main")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 8 {
		wg.Go(func() {
			c := New(cache)
			for range 10 {
				if err := c.storeParsed(sum, data, pkgs); err != nil {
					errs <- err
				}
			}
		})
		wg.Go(func() {
			c := New(cache)
			for range 10 {
				got, err := c.loadParsed(sum, data, "bookworm", "main")
				if err != nil && !errors.Is(err, fs.ErrNotExist) {
					errs <- err
				} else if err == nil && !reflect.DeepEqual(got, pkgs) {
					errs <- errors.New("a reader got other packages")
				}
			}
		})
		wg.Go(func() {
			if got := snapshotOf(t, New(cache), r); !reflect.DeepEqual(got, want) {
				errs <- errors.New("a concurrent snapshot differs")
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, f := range cachedFiles(t, cache) {
		if strings.Contains(f, ".tmp-") {
			t.Errorf("temporary file left in the cache: %s", f)
		}
	}
}

func FuzzDecodeParsed(f *testing.F) {
	data := parsedSample
	pkgs, err := parsePackages(data, "s", "c")
	if err != nil {
		f.Fatal(err)
	}
	sum := sha256Hex(data)
	entry, err := encodeParsed(sum, data, pkgs)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(entry[parsedHeaderSize:])
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 1, 0})
	f.Fuzz(func(t *testing.T, payload []byte) {
		got, err := decodeParsed(payload, data, "s", "c")
		if err != nil {
			return
		}
		for _, p := range got {
			if p == nil || len(p.Paragraph.Fields) == 0 {
				t.Fatal("decoded an empty record")
			}
		}
		// What decodes must encode back to the same payload.
		again, err := encodeParsed(sum, data, got)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeParsed(again[parsedHeaderSize:], data, "s", "c"); err != nil {
			t.Fatalf("re-encoded payload does not decode: %v", err)
		}
	})
}

func FuzzCheckParsedHeader(f *testing.F) {
	data := parsedSample
	pkgs, _ := parsePackages(data, "s", "c")
	sum := sha256Hex(data)
	entry, _ := encodeParsed(sum, data, pkgs)
	f.Add(entry)
	f.Add(entry[:parsedHeaderSize])
	f.Fuzz(func(t *testing.T, entry []byte) {
		payload, err := checkParsedHeader(entry, sum, len(data))
		if err != nil {
			return
		}
		decodeParsed(payload, data, "s", "c")
	})
}

func TestEncodeParsedRefusesUnknownOperator(t *testing.T) {
	p := &debian.Package{Name: "a", Paragraph: debian.Paragraph{Fields: []debian.Field{{Name: "Package", Value: "a"}}},
		Depends: []debian.Relation{{{Name: "b", Op: "<", Version: debian.MustParseVersion("1")}}}}
	if _, err := encodeParsed(sha256Hex(""), "", []*debian.Package{p}); err == nil || !strings.Contains(err.Error(), `"<"`) {
		t.Fatalf("err = %v, want an unknown operator error", err)
	}
}

func TestRelationKey(t *testing.T) {
	rels := map[string]debian.Relation{}
	for _, in := range []string{
		"a", "b", "a:any", "a (>= 1)", "a (>> 1)", "a (>= 1:1)", "a (>= 1-1)", "a [amd64]", "a [amd64 i386]",
		"a <!nocheck>", "a | b", "a (>= 1) | b", "ab", "a [b]", "a:b",
	} {
		parsed, err := debian.ParseRelations(in)
		if err != nil {
			t.Fatal(err)
		}
		key := string(relationKey(nil, parsed[0]))
		if other, ok := rels[key]; ok {
			t.Errorf("%q and %q share a key", in, other)
		}
		rels[key] = parsed[0]
		if again := string(relationKey(nil, parsed[0])); again != key {
			t.Errorf("%q: key not stable", in)
		}
	}
	// Lengths keep strings apart that separators would not.
	if string(relationKey(nil, debian.Relation{{Name: "a\x00"}})) == string(relationKey(nil, debian.Relation{{Name: "a", ArchQual: "\x00"}})) {
		t.Error("relations with a NUL in a name share a key")
	}
}
