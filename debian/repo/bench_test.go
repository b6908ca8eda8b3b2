package repo

import (
	"bufio"
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian/fetch"
)

// realIndex returns the path of the real bookworm main amd64 Packages
// index in the user's download cache, as the current signed Release lists
// it, skipping when there is no mirror or the index is not cached yet (any
// ingot lock, or TestRealArchive, caches it).
func realIndex(tb testing.TB) (*Client, Source, *Release, string) {
	tb.Helper()
	src, err := SystemSource()
	if err != nil {
		tb.Skipf("no Debian mirror on this machine: %v", err)
	}
	dir, err := fetch.DefaultDir()
	if err != nil {
		tb.Fatal(err)
	}
	cache, err := fetch.New(dir)
	if err != nil {
		tb.Fatal(err)
	}
	c := New(cache)
	src.Suites = []string{"bookworm"}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rel, err := c.Release(ctx, src, "bookworm")
	if err != nil {
		tb.Skipf("Debian mirror unreachable: %v", err)
	}
	fi, ok := rel.Files["main/binary-amd64/Packages"]
	if !ok {
		tb.Fatal("bookworm's Release lists no uncompressed main/binary-amd64/Packages")
	}
	path := cache.Path(fi.SHA256)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("bookworm main amd64 index not cached yet: %v", err)
	}
	return c, src, rel, path
}

// BenchmarkParseIndex parses the real bookworm main amd64 index (63k
// records, 50 MB) from the download cache: "reference" as ingot did before
// (a ControlReader and PackageFromParagraph per record), "one-CPU" and
// "parallel" with the text parser, "cached" from the parsed-index cache.
func BenchmarkParseIndex(b *testing.B) {
	c, _, rel, path := realIndex(b)
	want := rel.Files["main/binary-amd64/Packages"]
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("reference", func(b *testing.B) {
		b.SetBytes(st.Size())
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := referenceParse(bufio.NewReaderSize(f, 64<<10), "bookworm", "main"); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
	b.Run("one-CPU", func(b *testing.B) {
		b.SetBytes(st.Size())
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := parsePieces(split(string(data), 1, parallelMin), "bookworm", "main"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetBytes(st.Size())
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			if _, err := c.parseIndexFile(path, "", path, "bookworm", "main"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		tmp, err := fetch.New(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		c := New(tmp)
		if _, err := c.readPlainIndex(path, path, want, "bookworm", "main"); err != nil {
			b.Fatal(err)
		}
		if _, err := os.Stat(c.parsedPath(want.SHA256)); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(st.Size())
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			if _, err := c.readPlainIndex(path, path, want, "bookworm", "main"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// reportCPU reports the process's CPU time (user and system, GC included)
// per op: on a shared machine it varies less than wall time. Call its
// result when the loop is done.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op") }
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkEncodeParsed is what a cold read adds to write the parsed-index
// cache entry of the real bookworm main amd64 index.
func BenchmarkEncodeParsed(b *testing.B) {
	_, _, rel, path := realIndex(b)
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	data := string(raw) // the parser's strings must be parts of the string encoded
	pkgs, err := parsePackages(data, "bookworm", "main")
	if err != nil {
		b.Fatal(err)
	}
	sum := rel.Files["main/binary-amd64/Packages"].SHA256
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := encodeParsed(sum, data, pkgs); err != nil {
			b.Fatal(err)
		}
	}
}
