package fetch

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestGetAll(t *testing.T) {
	s := newServer(t)
	var log bytes.Buffer
	c := newCache(t, WithParallelism(3), WithProgress(&log, false))
	var items []Item
	for i := range 10 {
		items = append(items, s.put(fmt.Sprintf("/p/%d.deb", i), []byte(strings.Repeat(fmt.Sprint(i), 100+i))))
	}
	paths, err := c.GetAll(t.Context(), items)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range paths {
		got, _ := os.ReadFile(p)
		if string(got) != strings.Repeat(fmt.Sprint(i), 100+i) {
			t.Errorf("paths[%d] holds the wrong file (order not preserved?)", i)
		}
	}
	out := log.String()
	if n := strings.Count(out, "fetched p/"); n != 10 {
		t.Errorf("progress has %d per-file lines, want 10:\n%s", n, out)
	}
	if !strings.Contains(out, "fetched 10/10 files (0 cached, 0 failed)") {
		t.Errorf("progress summary missing:\n%s", out)
	}

	log.Reset()
	if _, err := c.GetAll(t.Context(), items); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "10 cached") {
		t.Errorf("second run not served from cache:\n%s", log.String())
	}
}

func TestGetAllReportsEveryFailure(t *testing.T) {
	s := newServer(t)
	c := newCache(t, WithRetries(0))
	good := s.put("/good.deb", []byte("good"))
	missing := Item{URL: s.URL + "/missing.deb", Size: 1, SHA256: strings.Repeat("1", 64), Name: "missing"}
	bad := s.put("/bad.deb", []byte("bad"))
	bad.SHA256 = strings.Repeat("2", 64)
	paths, err := c.GetAll(t.Context(), []Item{missing, good, bad})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"missing.deb", "bad.deb", "404"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q: %v", want, err)
		}
	}
	if !errors.Is(err, ErrDigestMismatch) {
		t.Errorf("joined error lost the digest mismatch: %v", err)
	}
	if paths[0] != "" || paths[1] == "" || paths[2] != "" {
		t.Errorf("paths = %q", paths)
	}
}

func TestGetAllSameItemConcurrently(t *testing.T) {
	s := newServer(t)
	dir := t.TempDir()
	it := s.put("/same.deb", bytes.Repeat([]byte("z"), 1<<20))
	items := []Item{it, it, it, it}
	// Two caches on one directory stand for two processes sharing it.
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			c, err := New(dir, WithParallelism(4))
			if err != nil {
				t.Error(err)
				return
			}
			paths, err := c.GetAll(t.Context(), items)
			if err != nil {
				t.Error(err)
				return
			}
			for _, p := range paths {
				if got, err := os.ReadFile(p); err != nil || !bytes.Equal(got, bytes.Repeat([]byte("z"), 1<<20)) {
					t.Errorf("read %s: %d bytes, %v", p, len(got), err)
				}
			}
		})
	}
	wg.Wait()
	// Within one process the item is downloaded once; across two, at most twice.
	if h := s.hits.Load(); h < 1 || h > 2 {
		t.Errorf("server hits = %d, want 1 or 2", h)
	}
	entries, _ := os.ReadDir(dirOf(dir, it.SHA256))
	if len(entries) != 1 {
		t.Errorf("cache shard holds %d files", len(entries))
	}
	if tmp, _ := os.ReadDir(dir + "/tmp"); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestGetAllTerminalProgress(t *testing.T) {
	s := newServer(t)
	var out bytes.Buffer
	c := newCache(t, WithProgress(&out, true))
	items := []Item{s.put("/a", []byte("aaaa")), s.put("/b", []byte("bb"))}
	if _, err := c.GetAll(t.Context(), items); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "\r\033[K") || !strings.HasSuffix(got, "\n") {
		t.Errorf("not a redrawn line: %q", got)
	}
	if strings.Count(got, "\n") != 1 {
		t.Errorf("terminal progress printed several lines: %q", got)
	}
	if !strings.Contains(got, "2/2 files, 6 B/6 B") {
		t.Errorf("final line lacks totals: %q", got)
	}
}

func TestGetAllNoProgressByDefault(t *testing.T) {
	s := newServer(t)
	c := newCache(t)
	if _, err := c.GetAll(t.Context(), []Item{s.put("/a", []byte("a"))}); err != nil {
		t.Fatal(err)
	}
	if c.o.progress != nil {
		t.Error("progress writer set by default")
	}
}

func dirOf(cacheDir, sum string) string {
	return cacheDir + "/sha256/" + sum[:2]
}
