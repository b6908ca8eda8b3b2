package feed_test

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/feed"
)

var goFeedDir = filepath.Join("..", "..", "..", "shared", "data", "osv", "go")

func openStore(t *testing.T) *feed.Store {
	t.Helper()
	s, err := feed.Open(context.Background(), filepath.Join(t.TempDir(), "feeds.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestImportGoOSV imports the Go vulnerability database's records twice:
// every file is read, withdrawn records are ignored, nothing is skipped, and
// the second import changes nothing.
func TestImportGoOSV(t *testing.T) {
	if _, err := os.Stat(goFeedDir); err != nil {
		t.Skipf("the Go OSV records are not at %s: %v", goFeedDir, err)
	}
	files, _ := filepath.Glob(filepath.Join(goFeedDir, "*.json"))
	ctx := context.Background()
	s := openStore(t)
	for i := range 2 {
		st, err := s.Import(ctx, goFeedDir)
		if err != nil {
			t.Fatal(err)
		}
		if st.Files != len(files) || st.Imported+st.Ignored != st.Files || len(st.Skipped) != 0 {
			t.Fatalf("import %d: %+v, want %d files all imported or ignored", i, st, len(files))
		}
		if st.Ignored == 0 {
			t.Errorf("import %d: no withdrawn record ignored", i)
		}
		counts, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[vuln.SourceOSV] != st.Imported {
			t.Errorf("import %d: store holds %d, imported %d", i, counts[vuln.SourceOSV], st.Imported)
		}
	}
	db, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	as := db.Get("CVE-2023-39325")
	if len(as) != 1 || as[0].ID != "GO-2023-2102" {
		t.Fatalf("Get(CVE-2023-39325) = %v, want GO-2023-2102", as)
	}
	a := as[0]
	if a.Summary != "HTTP/2 rapid reset can cause excessive work in net/http" || a.Aliases[0] != "CVE-2023-39325" {
		t.Errorf("GO-2023-2102 read as %+v", a)
	}
	if !containsID(db.Lookup(vuln.Go, "stdlib"), "GO-2023-2102") || !containsID(db.Lookup(vuln.Go, "golang.org/x/net"), "GO-2023-2102") {
		t.Errorf("GO-2023-2102 is not indexed under stdlib and golang.org/x/net")
	}
	srcs, err := s.Sources(ctx)
	if err != nil || len(srcs) != 1 || srcs[0].Origin != goFeedDir || srcs[0].Kind != vuln.SourceOSV {
		t.Errorf("Sources = %+v, %v", srcs, err)
	}
}

func containsID(as []*vuln.Advisory, id string) bool {
	for _, a := range as {
		if a.ID == id {
			return true
		}
	}
	return false
}

const goodRecord = `{"id": "GO-9999-0001", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-9999-1"],
  "affected": [{"package": {"ecosystem": "Go", "name": "example.com/m"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}]}]}]}`

// TestImportZip reads an OSV all.zip, as the OSV project publishes one per
// ecosystem, including a bad entry.
func TestImportZip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "all.zip")
	writeZip(t, path, map[string]string{
		"GO-9999-0001.json": goodRecord,
		"PYSEC-1.json":      `{"id": "PYSEC-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "PyPI", "name": "Django_Foo"}, "versions": ["1.0", "1.1"]}]}`,
		"BAD.json":          `{"id": "BAD", "affected": [{"package": {"ecosystem": "npm", "name": "x"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0", "fixed": "1.0.0"}]}]}]}`,
		"README.txt":        "not a record",
	})
	s := openStore(t)
	st, err := s.Import(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 3 || st.Imported != 2 || len(st.Skipped) != 1 || st.Skipped[0].File != path+":BAD.json" {
		t.Fatalf("stats = %+v", st)
	}
	db, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !containsID(db.Lookup(vuln.PyPI, "django-foo"), "PYSEC-1") {
		t.Errorf("PyPI names are not looked up normalised")
	}
}

func writeZip(t *testing.T, path string, files map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// TestImportBadRecords: bad records are skipped and named with their file;
// the good ones are imported.
func TestImportBadRecords(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"good.json":       goodRecord,
		"notjson.json":    "this is not JSON",
		"noid.json":       `{"affected": []}`,
		"badrange.json":   `{"id": "X-1", "affected": [{"package": {"ecosystem": "Go", "name": "m"}, "ranges": [{"type": "SEMVER", "events": []}]}]}`,
		"badtime.json":    `{"id": "X-2", "modified": "yesterday", "affected": [{"package": {"ecosystem": "Go", "name": "m"}, "versions": ["1.0.0"]}]}`,
		"othereco.json":   `{"id": "X-3", "affected": [{"package": {"ecosystem": "Maven", "name": "m"}, "versions": ["1.0.0"]}]}`,
		"withdrawn.json":  `{"id": "X-4", "withdrawn": "2024-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "Go", "name": "m"}, "versions": ["1.0.0"]}]}`,
		"ignored.txt":     "not read",
		"sub/nested.json": strings.Replace(goodRecord, "GO-9999-0001", "GO-9999-0002", 1),
	}
	for name, body := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, err := openStore(t).Import(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 8 || st.Imported != 2 || st.Ignored != 2 || len(st.Skipped) != 4 {
		t.Fatalf("stats = %+v", st)
	}
	skipped := map[string]string{}
	for _, p := range st.Skipped {
		skipped[filepath.Base(p.File)] = p.Error
	}
	for _, name := range []string{"notjson.json", "noid.json", "badrange.json", "badtime.json"} {
		if skipped[name] == "" {
			t.Errorf("%s was not reported as skipped: %v", name, skipped)
		}
	}
}

func TestImportMissing(t *testing.T) {
	_, err := openStore(t).Import(context.Background(), filepath.Join(t.TempDir(), "nope"))
	if err == nil || !strings.Contains(err.Error(), "give an OSV .json file") {
		t.Errorf("err = %v, want advice on what to import", err)
	}
}
