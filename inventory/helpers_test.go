package inventory

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/sbom"
)

// backend opens fresh, empty stores of one kind.
type backend struct {
	name string
	open func(t *testing.T) (location string)
}

var (
	pgOnce sync.Once
	pgDSN  string
	pgT    *testing.T
	pgDBs  atomic.Int64
)

// backends returns SQLite and PostgreSQL. The PostgreSQL cluster is started
// once, by the first test that needs it, and lives until that test ends, so
// tests share it through TestStores (see store_test.go).
func backends() []backend {
	return []backend{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "inventory.db") }},
		{"postgres", func(t *testing.T) string { return freshPostgres(t) }},
	}
}

// freshPostgres creates a new database in the shared cluster and returns its URL.
func freshPostgres(t *testing.T) string {
	t.Helper()
	if pgDSN == "" {
		t.Fatal("PostgreSQL not started: run the test under TestStores")
	}
	db, err := sql.Open("pgx", pgDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := fmt.Sprintf("t%d", pgDBs.Add(1))
	if _, err := db.ExecContext(t.Context(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating database %s: %v", name, err)
	}
	return strings.Replace(pgDSN, "/ingot?", "/"+name+"?", 1)
}

// forEachBackend runs f on a fresh store of every backend.
func forEachBackend(t *testing.T, f func(t *testing.T, s *Store, location string)) {
	t.Helper()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			if b.name == "postgres" && pgDSN == "" {
				pgDSN = testenv.StartPostgres(pgT)
			}
			loc := b.open(t)
			s, err := Open(t.Context(), loc)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			f(t, s, loc)
		})
	}
}

func digest(s string) string { return "sha256:" + fmt.Sprintf("%064x", []byte(s))[:64] }

func deb(name, version, source, sourceVersion string, layer int) sbom.Package {
	return sbom.Package{Ecosystem: sbom.Deb, Name: name, Version: version, Arch: "amd64", Source: source, SourceVersion: sourceVersion,
		PURL: sbom.DebPURL(name, version, "amd64", "debian-12", source), Layer: layer}
}

// fleet is a small fleet: two builds of a golden base, a runtime on the
// first, an app on the runtime, an app on the second base, and an image
// ingot did not build.
func fleet() []*sbom.Document {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	osOwner := "platform <platform@example.com>"
	base1 := &sbom.Document{Image: sbom.Image{Name: "reg.test/golden/base", Tags: []string{"12.1"}, Digest: digest("base1"), Platform: "linux/amd64", Created: created, Owner: osOwner,
		Layers: []sbom.Layer{{DiffID: digest("os1"), Digest: digest("os1.gz"), Name: "os", Owner: osOwner}}},
		Packages: []sbom.Package{deb("libc6", "2.36-9+deb12u4", "glibc", "2.36-9+deb12u4", 0), deb("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2", 0), deb("openssl", "3.0.11-1~deb12u2", "", "", 0)}}
	base2 := &sbom.Document{Image: sbom.Image{Name: "reg.test/golden/base", Tags: []string{"12.2"}, Digest: digest("base2"), Platform: "linux/amd64", Created: created, Owner: osOwner,
		Layers: []sbom.Layer{{DiffID: digest("os2"), Name: "os", Owner: osOwner}}},
		Packages: []sbom.Package{deb("libc6", "2.36-9+deb12u9", "glibc", "2.36-9+deb12u9", 0), deb("libssl3", "3.0.15-1~deb12u1", "openssl", "3.0.15-1~deb12u1", 0)}}
	node := &sbom.Document{Image: sbom.Image{Name: "reg.test/golden/node", Tags: []string{"22"}, Digest: digest("node1"), Platform: "linux/amd64", Owner: "runtimes", BaseName: "reg.test/golden/base:12.1", BaseDigest: base1.Image.Digest,
		Layers: []sbom.Layer{{DiffID: digest("os1"), Name: "os", Owner: osOwner, Base: true}, {DiffID: digest("node"), Name: "runtime", Owner: "runtimes"}}},
		Packages: []sbom.Package{deb("libc6", "2.36-9+deb12u4", "glibc", "2.36-9+deb12u4", 0), deb("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2", 0), deb("openssl", "3.0.11-1~deb12u2", "", "", 0),
			{Ecosystem: sbom.Npm, Name: "npm", Version: "10.8.2", PURL: sbom.NpmPURL("npm", "10.8.2"), Layer: 1}}}
	app1 := &sbom.Document{Image: sbom.Image{Name: "reg.test/team/app1", Tags: []string{"v1"}, Digest: digest("app1"), Platform: "linux/amd64", Owner: "team-a <a@example.com>", BaseName: "reg.test/golden/node:22", BaseDigest: node.Image.Digest,
		Layers: []sbom.Layer{{DiffID: digest("os1"), Name: "os", Owner: osOwner, Base: true}, {DiffID: digest("node"), Name: "runtime", Owner: "runtimes", Base: true}, {DiffID: digest("app1"), Name: "app", Owner: "team-a <a@example.com>"}}},
		Packages: []sbom.Package{deb("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2", 0), {Ecosystem: sbom.Npm, Name: "npm", Version: "10.8.2", PURL: sbom.NpmPURL("npm", "10.8.2"), Layer: 1},
			{Ecosystem: sbom.Golang, Name: "golang.org/x/net", Version: "v0.20.0", PURL: sbom.GoPURL("golang.org/x/net", "v0.20.0"), Layer: 2},
			{Ecosystem: sbom.Golang, Name: "golang.org/x/text", Version: "v0.14.0", PURL: sbom.GoPURL("golang.org/x/text", "v0.14.0"), Layer: 2}}}
	app2 := &sbom.Document{Image: sbom.Image{Name: "reg.test/team/app2", Tags: []string{"latest"}, Digest: digest("app2"), Platform: "linux/amd64", Owner: "team-b", BaseName: "reg.test/golden/base", BaseDigest: base2.Image.Digest,
		Layers: []sbom.Layer{{DiffID: digest("os2"), Name: "os", Owner: osOwner, Base: true}, {DiffID: digest("app2"), Name: "app", Owner: "team-b"}}},
		Packages: []sbom.Package{deb("libssl3", "3.0.15-1~deb12u1", "openssl", "3.0.15-1~deb12u1", 0),
			{Ecosystem: sbom.Npm, Name: "lodash", Version: "4.17.20", PURL: sbom.NpmPURL("lodash", "4.17.20"), Layer: 1},
			{Ecosystem: sbom.Golang, Name: "golang.org/x/net", Version: "v0.33.0", PURL: sbom.GoPURL("golang.org/x/net", "v0.33.0"), Layer: 1}}}
	foreign := &sbom.Document{Image: sbom.Image{Name: "docker.test/library/foo", Tags: []string{"1.0"}, Digest: digest("foo"), Platform: "linux/amd64",
		Layers: []sbom.Layer{{DiffID: digest("foo")}}},
		Packages: []sbom.Package{deb("libssl1.1", "1.1.1w-0+deb11u1", "openssl", "1.1.1w-0+deb11u1", 0), {Ecosystem: sbom.PyPI, Name: "requests", Version: "2.31.0", PURL: sbom.PyPIPURL("requests", "2.31.0"), Layer: -1}}}
	return []*sbom.Document{base1, base2, node, app1, app2, foreign}
}

func putFleet(t *testing.T, s *Store) {
	t.Helper()
	for _, d := range fleet() {
		if err := s.PutImage(t.Context(), d, ImageRef{}); err != nil {
			t.Fatal(err)
		}
	}
}

// counts returns the number of rows of every table, to compare stores.
func counts(t *testing.T, s *Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"images", "layers", "image_layers", "layer_packages", "packages", "tags", "tag_history", "owners"} {
		var n int
		if err := s.db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}
