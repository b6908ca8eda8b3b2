package app

import (
	"archive/tar"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"index.html":     "<h1>hi</h1>",
		"bin/run.sh":     "#!/bin/sh\n",
		"node_modules/x": "skipped",
		".git/HEAD":      "skipped",
		"web/app.js.map": "skipped",
		"web/app.js":     "js",
	})
	if err := os.Chmod(filepath.Join(dir, "bin/run.sh"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "index.html"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("index.html", filepath.Join(dir, "home.html")); err != nil {
		t.Fatal(err)
	}
	entries, err := Files(dir, "/app/", WithExclude("node_modules", "*.map"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e.UID != 0 || e.GID != 0 {
			t.Errorf("%s owned by %d:%d", e.Path, e.UID, e.GID)
		}
		s := e.Path + " " + string(rune('0'+e.Type-tar.TypeReg))
		switch e.Type {
		case tar.TypeReg:
			s = e.Path + " file " + strings.TrimLeft(modeString(e.Mode), "0")
		case tar.TypeDir:
			s = e.Path + " dir " + modeString(e.Mode)
		case tar.TypeSymlink:
			s = e.Path + " -> " + e.Linkname
		}
		got = append(got, s)
	}
	want := "app dir 755|app/bin dir 755|app/bin/run.sh file 755|app/home.html -> index.html|app/index.html file 644|app/web dir 755|app/web/app.js file 644"
	if g := strings.Join(got, "|"); g != want {
		t.Errorf("entries\n%s\nwant\n%s", g, want)
	}

	if _, err := Files(dir, "app", WithMaxBytes(10)); err == nil || !strings.Contains(err.Error(), "over 10 bytes") {
		t.Errorf("over the limit: %v", err)
	}
	if _, err := Files(filepath.Join(dir, "missing"), "app"); err == nil {
		t.Error("missing directory: no error")
	}
}

func modeString(m int64) string {
	const digits = "01234567"
	return string([]byte{digits[m>>6&7], digits[m>>3&7], digits[m&7]})
}
