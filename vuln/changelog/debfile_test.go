package changelog

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/internal/debtest"
)

func TestFromDebFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	withLog := write("libfoo1.deb", debtest.BuildDeb(debtest.Deb{Name: "libfoo1", Version: "1.0-3", Source: "foo", Files: []debtest.File{
		{Path: "./usr/share/doc/libfoo1/changelog.Debian.gz", Body: gz(entry("foo", "1.0-3", "bookworm-security", "high", "  * Fix CVE-2024-0003.") +
			entry("foo", "1.0-2", "bookworm", "low", "  * Nothing."))},
	}}))
	noLog := write("qux.deb", debtest.BuildDeb(debtest.Deb{Name: "qux", Version: "1.0-1", Files: []debtest.File{
		{Path: "./usr/bin/qux", Body: noise(100)},
	}}))
	corrupt := write("bad.deb", []byte("!<arch>\nnot a deb"))
	for _, tc := range []struct {
		name, path string
		opts       []Option
		versions   []string
		found      bool
		wantErr    error // nil: no error; errAny: some error
	}{
		{name: "changelog", path: withLog, versions: []string{"1.0-3", "1.0-2"}, found: true},
		{name: "no changelog", path: noLog},
		{name: "missing file", path: filepath.Join(dir, "absent.deb")},
		{name: "larger than the bound", path: withLog, opts: []Option{WithMaxDeb(10)}, wantErr: ErrDebTooLarge},
		{name: "corrupt", path: corrupt, wantErr: errAny},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entries, found, err := FromDebFile(tc.path, strings.TrimSuffix(filepath.Base(tc.path), ".deb"), "amd64", tc.opts...)
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("FromDebFile: %v", err)
			case tc.wantErr != nil && err == nil:
				t.Fatalf("FromDebFile: no error, want one")
			case tc.wantErr != nil && tc.wantErr != errAny && !errors.Is(err, tc.wantErr):
				t.Fatalf("FromDebFile: %v, want %v", err, tc.wantErr)
			}
			if found != tc.found {
				t.Errorf("found = %v, want %v", found, tc.found)
			}
			var versions []string
			for _, e := range entries {
				versions = append(versions, e.Version)
			}
			if !slices.Equal(versions, tc.versions) {
				t.Errorf("versions = %q, want %q", versions, tc.versions)
			}
		})
	}
}

var errAny = errors.New("any error")
