package deb

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"testing"

	"github.com/ulikunitz/xz"
)

func xzBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	w, err := xz.NewWriter(&out)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// withXZDict rewrites the LZMA2 dictionary-size byte of the first block
// header and fixes the header's CRC32.
func withXZDict(t *testing.T, stream []byte, code byte) []byte {
	t.Helper()
	s := bytes.Clone(stream)
	bh := s[12:]
	size := (int(bh[0]) + 1) * 4
	// Find the LZMA2 filter (ID 0x21, props size 1) in the header.
	i := bytes.Index(bh[:size], []byte{0x21, 0x01})
	if i < 0 {
		t.Fatal("no LZMA2 filter in the xz block header")
	}
	bh[i+2] = code
	binary.LittleEndian.PutUint32(bh[size-4:], crc32.ChecksumIEEE(bh[:size-4]))
	return s
}

func TestDecompressXZDictionaryBound(t *testing.T) {
	payload := bytes.Repeat([]byte("ingot "), 1000)
	good := xzBytes(t, payload)
	tests := []struct {
		desc   string
		stream []byte
		tooBig bool
	}{
		{"default 8 MiB", good, false},
		{"64 MiB (xz -9)", withXZDict(t, good, 26), false},
		{"1 GiB", withXZDict(t, good, 36), true},
		{"4 GiB", withXZDict(t, good, 40), true},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			r, closeFn, err := decompress(bufio.NewReader(bytes.NewReader(tc.stream)), "xz", []string{"xz"})
			if tc.tooBig {
				if !errors.Is(err, ErrTooLarge) {
					t.Fatalf("decompress = %v, want ErrTooLarge", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer closeFn()
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, payload) {
				t.Fatalf("ReadAll = %d bytes, %v", len(got), err)
			}
		})
	}
}

func TestSplitMember(t *testing.T) {
	tests := []struct{ in, base, comp string }{
		{"data.tar", "data.tar", ""},
		{"data.tar.xz", "data.tar", "xz"},
		{"control.tar.zst", "control.tar", "zst"},
		{"data.tarx", "data.tarx", ""},
		{"debian-binary", "debian-binary", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if b, c := splitMember(tc.in); b != tc.base || c != tc.comp {
				t.Errorf("splitMember(%q) = %q, %q; want %q, %q", tc.in, b, c, tc.base, tc.comp)
			}
		})
	}
}
