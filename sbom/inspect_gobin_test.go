package sbom

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/internal/testenv"
)

// goVersionM lists what `go version -m` prints for a binary as
// "path@version", replacements applied as goPackages does, with the stdlib.
func goVersionM(t *testing.T, bin string) []string {
	t.Helper()
	testenv.RequireTool(t, "go")
	out, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatalf("go version -m: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	_, gover, _ := strings.Cut(lines[0], ": ")
	mods := []string{"stdlib@" + GoStdlibVersion(gover)}
	for _, l := range lines[1:] {
		f := strings.Split(strings.TrimPrefix(l, "\t"), "\t")
		switch {
		case (f[0] == "mod" || f[0] == "dep") && len(f) >= 3:
			mods = append(mods, f[1]+"@"+f[2])
		case f[0] == "=>" && len(f) >= 2:
			prev := mods[len(mods)-1]
			if len(f) >= 3 && f[2] != "" {
				mods[len(mods)-1] = f[1] + "@" + f[2]
			} else {
				mods[len(mods)-1] = prev[:strings.LastIndex(prev, "@")] + "@(devel)"
			}
		}
	}
	slices.Sort(mods)
	return mods
}

// TestFromImageGoBinary compiles testdata/inspect/gomod (vendored module
// dependencies, one replaced) into an image and compares the modules found
// with what `go version -m` prints for the binary.
func TestFromImageGoBinary(t *testing.T) {
	testenv.RequireTool(t, "go")
	bin := filepath.Join(t.TempDir(), "hello")
	build := exec.Command("go", "build", "-mod=vendor", "-trimpath", "-buildvcs=false", "-o", bin, ".")
	build.Dir = filepath.Join("testdata", "inspect", "gomod")
	build.Env = append(os.Environ(), "GOPROXY=off", "GOWORK=off", "GOFLAGS=", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	body, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	want := goVersionM(t, bin)
	if len(want) != 4 {
		t.Fatalf("go version -m lists only %q", want)
	}
	img := imageOf(t, layerOf(t, tarOf(t,
		file{name: "usr/local/bin/app", body: string(body), mode: 0o755},
		file{name: "usr/share/doc/app.bin", body: string(body), mode: 0o644}, // not executable: not read
	)))
	doc, err := FromImage(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range doc.Packages {
		if p.Ecosystem != Golang || !slices.Equal(p.Locations, []string{"/usr/local/bin/app"}) || p.Layer != 0 {
			t.Errorf("unexpected %+v", p)
			continue
		}
		got = append(got, p.Name+"@"+p.Version)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("modules differ from go version -m\ngot  %q\nwant %q", got, want)
	}
}

// buildInfo encodes a Go 1.18+ build information header and strings.
func buildInfo(vers, mod string) []byte {
	b := append([]byte{}, buildInfoMagic...)
	b = append(b, 8, 2)
	b = append(b, make([]byte, buildInfoHeader-len(b))...)
	b = binary.AppendUvarint(b, uint64(len(vers)))
	b = append(b, vers...)
	framed := strings.Repeat("\x30", 16) + mod + strings.Repeat("\x31", 16)
	b = binary.AppendUvarint(b, uint64(len(framed)))
	return append(b, framed...)
}

func TestFindBuildInfo(t *testing.T) {
	mod := "path\texample.com/x\nmod\texample.com/x\t(devel)\t\ndep\tgolang.org/x/text\tv0.3.0\th1:x=\n=>\tgolang.org/x/text\tv0.3.8\th1:y=\ndep\texample.com/local\tv1.0.0\t\n=>\t../local\t\t\n"
	info := buildInfo("go1.22.3", mod)
	decoy := append(append([]byte{}, buildInfoMagic...), "not a header at all, pointers follow"...)
	tests := []struct {
		desc string
		in   []byte
		want []string
	}{
		{"at start", info, []string{"stdlib@v1.22.3", "example.com/x@(devel)", "golang.org/x/text@v0.3.8", "example.com/local@(devel)"}},
		{"across buffer boundaries after a decoy", slices.Concat(bytes.Repeat([]byte{0}, 256<<10-20), decoy, bytes.Repeat([]byte{1}, 300<<10), info, []byte("tail")),
			[]string{"stdlib@v1.22.3", "example.com/x@(devel)", "golang.org/x/text@v0.3.8", "example.com/local@(devel)"}},
		{"truncated", info[:len(info)-5], nil},
		{"none", bytes.Repeat([]byte("\xff Go buildin"), 1000), nil},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			vers, m, ok, err := findBuildInfo(bytes.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				if tt.want != nil {
					t.Fatal("build information not found")
				}
				return
			}
			pkgs, err := goPackages(vers, m)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range pkgs {
				got = append(got, p.Name+"@"+p.Version)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestGoStdlibVersion(t *testing.T) {
	for in, want := range map[string]string{
		"go1.22.3": "v1.22.3", "go1.21": "v1.21.0", "go1.23rc1": "v1.23.0-rc.1", "go1.20beta2": "v1.20.0-beta.2",
		"go1.22.3 X:boringcrypto": "v1.22.3", "devel go1.24-abc": "devel", "go1.x": "go1.x",
	} {
		if got := GoStdlibVersion(in); got != want {
			t.Errorf("GoStdlibVersion(%q) = %q, want %q", in, got, want)
		}
	}
	if got := GoPURL("stdlib", GoStdlibVersion("go1.22.3")); got != "pkg:golang/stdlib@v1.22.3" {
		t.Errorf("stdlib purl %s", got)
	}
}

func FuzzFindBuildInfo(f *testing.F) {
	f.Add(buildInfo("go1.22.3", "path\tx\nmod\tx\t(devel)\t\n"), 0)
	f.Add(append([]byte("\x7fELF"), buildInfo("go1.21", "dep\ta\tv1\t\n")...), 100)
	f.Fuzz(func(t *testing.T, b []byte, pad int) {
		if pad < 0 || pad > 1<<20 {
			pad = 0
		}
		in := append(make([]byte, pad), b...)
		vers, mod, ok, err := findBuildInfo(bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			if !strings.HasPrefix(vers, "go") && !strings.HasPrefix(vers, "devel") {
				t.Fatalf("version %q", vers)
			}
			pkgs, _ := goPackages(vers, mod)
			if len(pkgs) == 0 || pkgs[0].Name != "stdlib" {
				t.Fatal(fmt.Sprint("no stdlib in ", pkgs))
			}
		}
	})
}
