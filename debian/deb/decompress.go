package deb

import (
	"bufio"
	"compress/bzip2"
	"compress/gzip"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// maxDictSize bounds the xz and zstd windows a .deb may ask for: xz -9 and
// zstd -19 use at most 64 MiB; 128 MiB leaves room for --long.
const maxDictSize = 128 << 20

// splitMember splits "data.tar.xz" into base "data.tar" and compression "xz".
func splitMember(name string) (base, comp string) {
	for _, base := range []string{"control.tar", "data.tar"} {
		if name == base {
			return base, ""
		}
		if c, ok := strings.CutPrefix(name, base+"."); ok {
			return base, c
		}
	}
	return name, ""
}

// decompress returns a reader of the uncompressed member. close releases
// decoder resources.
func decompress(r io.Reader, comp string, allowed []string) (rc io.Reader, close func(), err error) {
	ok := false
	for _, a := range allowed {
		ok = ok || a == comp
	}
	if !ok {
		return nil, nil, fmt.Errorf("%w: unsupported compression %q (supported: %s)", ErrFormat, comp, strings.Join(allowed, ", "))
	}
	nop := func() {}
	switch comp {
	case "":
		return r, nop, nil
	case "gz":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: opening gzip stream: %w", ErrFormat, err)
		}
		return zr, func() { zr.Close() }, nil
	case "bz2":
		return bzip2.NewReader(r), nop, nil
	case "xz":
		br := bufio.NewReader(r)
		if err := checkXZDict(br); err != nil {
			return nil, nil, err
		}
		zr, err := xz.ReaderConfig{}.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: opening xz stream: %w", ErrFormat, err)
		}
		return zr, nop, nil
	case "zst":
		zr, err := zstd.NewReader(r,
			zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxWindow(maxDictSize),
			zstd.WithDecoderMaxMemory(maxDictSize*2))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: opening zstd stream: %w", ErrFormat, err)
		}
		return zr, zr.Close, nil
	}
	return nil, nil, fmt.Errorf("%w: unsupported compression %q", ErrFormat, comp)
}

// checkXZDict peeks at the first xz block header and rejects LZMA2
// dictionaries beyond maxDictSize: the xz decoder allocates the dictionary
// the stream asks for up front. Later blocks of multi-block streams are not
// checked; they are produced by the same encoder settings in practice.
func checkXZDict(br *bufio.Reader) error {
	// Stream header (12 bytes), then the block header: size byte, flags,
	// optional compressed and uncompressed sizes, then filter flags.
	head, _ := br.Peek(12 + 1024)
	if len(head) < 13 || head[12] == 0 { // too short or an index: let xz report it
		return nil
	}
	bh := head[12:]
	size := (int(bh[0]) + 1) * 4
	if size > len(bh) || size < 2 {
		return nil
	}
	bh = bh[:size]
	flags := bh[1]
	p := 2
	varint := func() (uint64, bool) {
		var v uint64
		for i := 0; i < 9 && p < len(bh); i++ {
			b := bh[p]
			p++
			v |= uint64(b&0x7f) << (7 * i)
			if b&0x80 == 0 {
				return v, true
			}
		}
		return 0, false
	}
	if flags&0x40 != 0 {
		if _, ok := varint(); !ok {
			return nil
		}
	}
	if flags&0x80 != 0 {
		if _, ok := varint(); !ok {
			return nil
		}
	}
	nfilters := int(flags&3) + 1
	for i := 0; i < nfilters; i++ {
		id, ok1 := varint()
		psize, ok2 := varint()
		if !ok1 || !ok2 || p+int(psize) > len(bh) || psize > 1<<10 {
			return nil
		}
		if id == 0x21 && psize == 1 {
			c := bh[p]
			if c > 40 {
				return nil // invalid; xz reports it
			}
			var dict uint64 = 0xffffffff
			if c < 40 {
				dict = (2 | uint64(c)&1) << (c/2 + 11)
			}
			if dict > maxDictSize {
				return fmt.Errorf("%w: xz stream asks for a %d MiB dictionary (limit %d MiB)", ErrTooLarge, dict>>20, maxDictSize>>20)
			}
		}
		p += int(psize)
	}
	return nil
}
