package lock

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func TestWriteGolden(t *testing.T) {
	got, err := sample(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "sample.lock")
	if *update {
		os.WriteFile(golden, got, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("lock file drifted from %s (run go test -update to accept):\n%s", golden, got)
	}
}

func TestWriteSortsAndIsStable(t *testing.T) {
	l := sample(t)
	want, _ := l.Marshal()
	// Shuffle everything that has an order; the output must not change.
	shuffled := *l
	shuffled.Request.Packages = []string{"libssl3", "base-files", "libssl3"}
	shuffled.Request.Architectures = []string{"arm64", "amd64"}
	shuffled.Architectures = []Arch{l.Architectures[1], l.Architectures[0]}
	p := l.Architectures[0].Packages
	shuffled.Architectures[1].Packages = []Package{p[3], p[1], p[0], p[2]}
	got, _ := shuffled.Marshal()
	if !bytes.Equal(got, want) {
		t.Errorf("order of input changed the file:\n%s\nwant:\n%s", got, want)
	}
	if !strings.HasPrefix(string(got), "# "+Header+"\n") {
		t.Errorf("file does not start with the header:\n%s", got)
	}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		desc string
		lock *Lock
	}{
		{"sample", sample(t)},
		{"empty architecture", &Lock{SourceDateEpoch: 1, Inputs: sum("x"), Request: Request{
			Packages: []string{}, Architectures: []string{"amd64"}, Suites: []string{"s"}, Components: []string{"main"}, Recommends: true, Essential: true,
		}, Architectures: []Arch{{Name: "amd64", Packages: []Package{}}}}},
		{"versions that look like numbers", &Lock{SourceDateEpoch: 1, Inputs: sum("y"), Request: Request{
			Packages: []string{"1.0"}, Architectures: []string{"amd64"}, Suites: []string{"2.0"}, Components: []string{"main"},
		}, Architectures: []Arch{{Name: "amd64", Packages: []Package{pkg("a", "1.0", "amd64", "2"), pkg("b", "1:2.3~rc1-0.1", "amd64", "s")}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			b, err := tt.lock.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			got, err := Unmarshal(b)
			if err != nil {
				t.Fatalf("reading back: %v\n%s", err, b)
			}
			if want := tt.lock.Sorted(); !reflect.DeepEqual(got, want) {
				t.Errorf("round trip changed the lock:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ingot.lock")
	os.WriteFile(path, []byte("old"), 0o644)
	if err := sample(t).WriteFile(path); err != nil {
		t.Fatal(err)
	}
	l, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(l, sample(t).Sorted()) {
		t.Error("file does not hold the lock")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if err := sample(t).WriteFile(filepath.Join(dir, "missing", "ingot.lock")); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}
