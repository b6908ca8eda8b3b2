package layer

import (
	"archive/tar"
	"fmt"
	"testing"
)

// BenchmarkLayer adds ~5,000 entries (the size of a small base image) from
// 50 origins and computes the gzip layer.
func BenchmarkLayer(b *testing.B) {
	var sets [][]Entry
	body := make([]byte, 8<<10)
	for i := range body {
		body[i] = byte(i * 7 % 251)
	}
	for p := 0; p < 50; p++ {
		var es []Entry
		for f := 0; f < 100; f++ {
			body := append([]byte(fmt.Sprintf("pkg%d file%d\n", p, f)), body[:(p*100+f)%len(body)]...)
			es = append(es, Entry{Path: fmt.Sprintf("usr/share/pkg%d/d%d/file%d", p, f%10, f), Type: tar.TypeReg, Mode: 0o644, Body: body})
		}
		sets = append(sets, es)
	}
	b.ReportAllocs()
	for b.Loop() {
		bl := NewBuilder()
		for p, es := range sets {
			if err := bl.Add(fmt.Sprint("pkg", p), es...); err != nil {
				b.Fatal(err)
			}
		}
		l, err := bl.Layer()
		if err != nil {
			b.Fatal(err)
		}
		size, _ := l.Size()
		b.ReportMetric(float64(size), "blob-bytes")
	}
}
