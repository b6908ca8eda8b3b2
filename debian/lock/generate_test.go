package lock

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/debian/resolve"
	"github.com/ingot-dev/ingot/internal/debtest"
)

// archive is a small signed two-suite repository: "stable" and
// "stable-updates", which carries a newer libfoo.
func archive(t *testing.T) (*debtest.Repo, repo.Source, *repo.Client) {
	t.Helper()
	r := debtest.NewRepo(t)
	for _, arch := range []string{"amd64", "arm64"} {
		r.Add("stable", "main",
			debtest.Deb{Name: "app", Version: "1.0-1", Arch: arch, Control: map[string]string{"Depends": "libfoo (>= 1.0), data"}},
			debtest.Deb{Name: "libfoo", Version: "1.0-1", Arch: arch, Source: "foo", Control: map[string]string{"Multi-Arch": "same"}},
			debtest.Deb{Name: "unrelated", Version: "3", Arch: arch},
		)
		r.Add("stable-updates", "main",
			debtest.Deb{Name: "libfoo", Version: "1.0-1+u1", Arch: arch, Source: "foo (1.0-1+u1)", Control: map[string]string{"Multi-Arch": "same"}})
	}
	r.Add("stable", "main", debtest.Deb{Name: "data", Version: "2024a-1", Arch: "all"})
	r.SetDate(time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC))
	src := repo.Source{Mirror: r.URL(), Suites: []string{"stable", "stable-updates"}, Keyring: r.Key().KeyringFile(t)}
	cache, err := fetch.New(t.TempDir(), fetch.WithBackoff(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return r, src, repo.New(cache)
}

func TestGenerate(t *testing.T) {
	r, src, c := archive(t)
	l, err := Generate(t.Context(), c, src, Request{Packages: []string{"app"}, Architectures: []string{"arm64", "amd64"}})
	if err != nil {
		t.Fatal(err)
	}
	if l.SourceDateEpoch != time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC).Unix() {
		t.Errorf("SourceDateEpoch = %d", l.SourceDateEpoch)
	}
	if want := []string{"main"}; strings.Join(l.Request.Components, ",") != "main" {
		t.Errorf("components = %v, want %v", l.Request.Components, want)
	}
	if l.Stale(Request{Packages: []string{"app"}, Architectures: []string{"amd64", "arm64"}}.Complete(src)) {
		t.Error("fresh lock is stale for its own request")
	}
	if len(l.Architectures) != 2 || l.Architectures[0].Name != "amd64" {
		t.Fatalf("architectures = %+v", l.Architectures)
	}
	for _, a := range l.Architectures {
		var names []string
		for _, p := range a.Packages {
			names = append(names, p.Name+"="+p.Version+"@"+p.Suite)
		}
		want := "app=1.0-1@stable data=2024a-1@stable libfoo=1.0-1+u1@stable-updates"
		if got := strings.Join(names, " "); got != want {
			t.Errorf("%s: %s, want %s", a.Name, got, want)
		}
		foo := a.Packages[2]
		path, sum, size := r.Deb("libfoo", "1.0-1+u1", a.Name)
		if foo.Filename != path || foo.SHA256 != sum || foo.Size != size || foo.Source != "foo" || foo.SourceVersion != "1.0-1+u1" {
			t.Errorf("%s libfoo = %+v", a.Name, foo)
		}
	}

	// The lock round-trips through its file format.
	b, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Unmarshal(b); err != nil {
		t.Fatalf("generated lock does not read back: %v\n%s", err, b)
	}

	// A build from the lock downloads every pool file, verified, with no index.
	before := r.Requests("dists/stable/main/binary-amd64/Packages.xz")
	cache, _ := fetch.New(t.TempDir())
	if _, err := cache.GetAll(t.Context(), l.Items(src.MirrorFor, "amd64")); err != nil {
		t.Fatal(err)
	}
	if r.Requests("dists/stable/main/binary-amd64/Packages.xz") != before {
		t.Error("downloading from the lock fetched an index")
	}
}

func TestGenerateErrors(t *testing.T) {
	tests := []struct {
		desc  string
		req   Request
		fault func(*debtest.Repo)
		check func(error) bool
		want  string
	}{
		{"unknown package", Request{Packages: []string{"ap"}, Architectures: []string{"amd64"}}, nil,
			func(err error) bool { var u *resolve.UnknownPackageError; return errors.As(err, &u) }, "app"},
		{"no packages", Request{Architectures: []string{"amd64"}}, nil, nil, "no packages"},
		{"no architectures", Request{Packages: []string{"app"}}, nil, nil, "no architectures"},
		{"bad signature", Request{Packages: []string{"app"}, Architectures: []string{"amd64"}}, func(r *debtest.Repo) { r.TamperInRelease() }, nil, "InRelease"},
		{"corrupt index", Request{Packages: []string{"app"}, Architectures: []string{"amd64"}},
			func(r *debtest.Repo) {
				r.CorruptFile("dists/stable/main/binary-amd64/Packages.xz")
				r.CorruptFile("dists/stable/main/binary-amd64/Packages.gz")
			}, nil, "Packages"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			r, src, c := archive(t)
			if tt.fault != nil {
				tt.fault(r)
			}
			_, err := Generate(t.Context(), c, src, tt.req)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if tt.check != nil && !tt.check(err) {
				t.Errorf("error has the wrong type: %v", err)
			}
		})
	}
}
