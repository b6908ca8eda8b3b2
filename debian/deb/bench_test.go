package deb

import (
	"bytes"
	"os"
	"testing"

	"github.com/ingot-dev/ingot/internal/testenv"
)

// BenchmarkReadReal reads a real libc6 .deb (xz data.tar, ~13 MB
// uncompressed) from memory.
func BenchmarkReadReal(b *testing.B) {
	raw, err := os.ReadFile(testenv.DownloadDebs(b, "libc6")["libc6"])
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
}
