package resolve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// TestRealArchive resolves the requests against the real bookworm
// archive (read and verified by debian/repo through the user's download
// cache) on amd64 and arm64 and compares every set, name=version, with what
// apt-get -s install --no-install-recommends chooses on an empty system from
// the same source. That is what mmdebstrap --variant=extract asks apt for
// (a subtest checks that once for curl); driving apt-get directly keeps its
// lists between runs, so a warm run downloads only the Release files.
func TestRealArchive(t *testing.T) {
	testenv.RequireNetwork(t)
	testenv.RequireTool(t, "apt-get")
	src, err := repo.SystemSource()
	if err != nil {
		testenv.Unmet(t, "no Debian mirror on this machine: %v", err)
		return
	}
	if _, err := os.Stat(src.KeyringPath()); err != nil {
		testenv.Unmet(t, "Debian archive keyring missing (install debian-archive-keyring): %v", err)
		return
	}
	src.Suites = []string{"bookworm", "bookworm-updates", "bookworm-security"}
	dir, err := fetch.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	cache, err := fetch.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Minute)
	defer cancel()
	arches := []string{"amd64", "arm64"}
	snap, err := repo.New(cache).Snapshot(ctx, src, arches...)
	if err != nil {
		testenv.Unmet(t, "reading the Debian archive: %v", err)
		return
	}

	requests := [][]string{
		{"base-files", "netbase", "tzdata", "ca-certificates", "libc6", "libssl3"},
		{"python3"},
		{"nodejs"},
		{"curl"},
	}
	// libreoffice-base-core Depends "libreoffice-core-nogui | libreoffice-core"
	// and libreoffice-base then Depends libreoffice-core, which conflicts
	// with the first choice: apt drops it (see Result.Dropped).
	extra := map[string][][]string{"amd64": {{"libreoffice-base"}}}
	for _, arch := range arches {
		t.Run(arch, func(t *testing.T) {
			ix := snap.Indexes[arch]
			if ix == nil || ix.Len() == 0 {
				t.Fatalf("no %s index in the snapshot", arch)
			}
			apt := newAptEnv(t, arch, filepath.Join(os.TempDir(), "ingot-resolve-apt-"+arch), src)
			if arch == "amd64" {
				t.Run("mmdebstrap agrees with apt-get", func(t *testing.T) {
					testenv.RequireRoot(t)
					testenv.RequireTool(t, "mmdebstrap")
					req := []string{"curl"}
					mm, direct := apt.mmdebstrapSet(t, src.Suites[0], req), apt.simulate(t, req)
					if !slices.Equal(mm, direct) {
						t.Errorf("mmdebstrap --variant=extract chose\n%v\napt-get -s chose\n%v", mm, direct)
					}
				})
			}
			if arch == "amd64" {
				t.Run("recommends and essential", func(t *testing.T) {
					r, err := Resolve(ix, Request{Packages: []string{"curl"}, WithRecommends: true})
					if err != nil {
						t.Fatalf("Resolve with Recommends: %v", err)
					}
					got, want := nameVersions(r), apt.simulate(t, []string{"curl"}, "-o", "APT::Install-Recommends=true")
					if !slices.Equal(got, want) {
						t.Errorf("curl with Recommends differs from apt's:\n%s", diffSets(r, got, want))
					}
					withRecommends := len(got)
					// apt has no "add the Essential set" switch: name every
					// Essential: yes package, as mmdebstrap's essential variant does.
					var essential []string
					for _, name := range ix.Names() {
						if p := ix.Candidate(name); p != nil && p.Essential {
							essential = append(essential, name)
						}
					}
					r, err = Resolve(ix, Request{Packages: []string{"python3"}, WithEssential: true})
					if err != nil {
						t.Fatalf("Resolve with Essential: %v", err)
					}
					got, want = nameVersions(r), apt.simulate(t, append([]string{"python3"}, essential...))
					if !slices.Equal(got, want) {
						t.Errorf("python3 with the Essential set differs from apt's:\n%s", diffSets(r, got, want))
					}
					t.Logf("curl with Recommends: %d packages; python3 with %d Essential packages: %d packages", withRecommends, len(essential), len(got))
				})
			}
			for _, req := range append(slices.Clip(requests), extra[arch]...) {
				t.Run(strings.Join(req, "+"), func(t *testing.T) {
					r, err := Resolve(ix, Request{Packages: req, Arch: arch})
					if err != nil {
						t.Fatalf("Resolve: %v", err)
					}
					checkClosed(t, ix, r)
					got := nameVersions(r)
					want := apt.simulate(t, req)
					if !slices.Equal(got, want) {
						t.Errorf("set differs from apt's:\n%s", diffSets(r, got, want))
					}
					if slices.Contains(req, "python3") {
						steps, err := r.Why("libssl3")
						if err != nil || steps[0].Package.Name != "python3" || steps[len(steps)-1].Package.Name != "libssl3" {
							t.Errorf("Why(libssl3) = %s, %v", FormatChain(steps), err)
						}
						t.Logf("why libssl3: %s", FormatChain(steps))
					}
					t.Logf("%d packages, equal to apt's; dropped %v", len(got), r.Dropped)
				})
			}
		})
	}
}

// nameVersions renders a result as sorted "name=version".
func nameVersions(r *Result) []string {
	out := make([]string, 0, len(r.Packages))
	for _, p := range r.Packages {
		out = append(out, p.Name+"="+p.Version.String())
	}
	slices.Sort(out)
	return out
}

// diffSets explains the difference: what only ingot chose (with the chain
// that pulled it in) and what only apt chose.
func diffSets(r *Result, got, want []string) string {
	var b strings.Builder
	for _, g := range got {
		if !slices.Contains(want, g) {
			name, _, _ := strings.Cut(g, "=")
			steps, _ := r.Why(name)
			fmt.Fprintf(&b, "  only ingot: %s (%s)\n", g, FormatChain(steps))
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			fmt.Fprintf(&b, "  only apt:   %s\n", w)
		}
	}
	return b.String()
}
