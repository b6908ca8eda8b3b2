package sbom

import (
	"archive/tar"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

const (
	// maxGoBinary bounds the executables searched for Go build information.
	maxGoBinary = 256 << 20
	// minGoBinary skips files too small to be a Go program.
	minGoBinary = 64 << 10
	// maxBuildInfo bounds the module list of one binary.
	maxBuildInfo = 4 << 20
	// buildInfoHeader is the size of the header that starts with the magic.
	buildInfoHeader = 32
)

// buildInfoMagic starts the .go.buildinfo section (debug/buildinfo).
var buildInfoMagic = []byte("\xff Go buildinf:")

// goScanner finds Go executables (ELF) and reads their module list.
//
// The build information is found by streaming the file for the
// .go.buildinfo header rather than by debug/buildinfo, which needs the whole
// file at hand: memory stays at one buffer whatever the size of the binary.
// It reads the format Go 1.18 and later write (version and module list
// inline after the header); older binaries are skipped.
type goScanner struct{}

func (goScanner) wants(_ string, h *tar.Header) bool {
	return h.Mode&0o111 != 0 && h.Size >= minGoBinary && h.Size <= maxGoBinary
}

func (goScanner) scan(name string, r io.Reader) (found, error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil || string(magic[:]) != "\x7fELF" {
		return found{}, nil
	}
	vers, mod, ok, err := findBuildInfo(r)
	if err != nil || !ok {
		return found{}, err
	}
	pkgs, err := goPackages(vers, mod)
	return found{pkgs: pkgs}, err
}

// findBuildInfo streams r for the Go build information header and returns
// the Go version and the raw module information.
func findBuildInfo(r io.Reader) (vers, mod string, ok bool, err error) {
	buf := make([]byte, 0, 256<<10)
	pos, eof := 0, false
	for {
		if i := bytes.Index(buf[pos:], buildInfoMagic); i >= 0 {
			at := pos + i
			v, m, st := decodeBuildInfo(buf[at:])
			switch {
			case st == biOK:
				return v, m, true, nil
			case st == biShort && !eof:
				// Keep from the header on and read more.
				buf = append(buf[:0], buf[at:]...)
				pos = 0
				if len(buf) >= maxBuildInfo {
					pos = 1 // larger than any real header: not one
				} else if err := fill(r, &buf, &eof); err != nil {
					return "", "", false, err
				}
				continue
			default:
				pos = at + 1
				continue
			}
		}
		if eof {
			return "", "", false, nil
		}
		keep := max(pos, len(buf)-len(buildInfoMagic)+1)
		buf = append(buf[:0], buf[keep:]...)
		pos = 0
		if err := fill(r, &buf, &eof); err != nil {
			return "", "", false, err
		}
	}
}

// fill reads into buf's spare capacity, growing it when full.
func fill(r io.Reader, buf *[]byte, eof *bool) error {
	b := *buf
	if len(b) == cap(b) {
		b = append(b, make([]byte, cap(b))...)[:len(b)]
	}
	n, err := io.ReadFull(r, b[len(b):cap(b)])
	*buf = b[:len(b)+n]
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		*eof = true
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading an executable: %w", err)
	}
	return nil
}

type biStatus int

const (
	biOK biStatus = iota
	biShort
	biInvalid
)

// decodeBuildInfo decodes the header at the start of b: magic, pointer size,
// flags (2: inline strings), padding to 32 bytes, then the Go version and
// the module information as uvarint-prefixed strings.
func decodeBuildInfo(b []byte) (vers, mod string, st biStatus) {
	if len(b) < buildInfoHeader {
		return "", "", biShort
	}
	if ptr := b[len(buildInfoMagic)]; ptr != 4 && ptr != 8 {
		return "", "", biInvalid
	}
	if b[len(buildInfoMagic)+1]&2 == 0 {
		return "", "", biInvalid // before Go 1.18: pointers into the binary
	}
	rest := b[buildInfoHeader:]
	var strs [2]string
	for i := range strs {
		n, w := binary.Uvarint(rest)
		if w == 0 {
			return "", "", biShort
		}
		if w < 0 || n > maxBuildInfo {
			return "", "", biInvalid
		}
		if uint64(len(rest)-w) < n {
			return "", "", biShort
		}
		strs[i] = string(rest[w : w+int(n)])
		rest = rest[w+int(n):]
	}
	vers, mod = strs[0], strs[1]
	if !strings.HasPrefix(vers, "go") && !strings.HasPrefix(vers, "devel") {
		return "", "", biInvalid
	}
	// The module information is framed by 16-byte sentinels (debug/buildinfo).
	if len(mod) >= 33 && mod[len(mod)-17] == '\n' {
		mod = mod[16 : len(mod)-16]
	} else {
		mod = ""
	}
	return vers, mod, biOK
}

// goPackages lists the stdlib, the main module and the dependencies of one
// binary. A dependency replaced by another module is reported as the
// replacement (that is the code in the binary); one replaced by a local
// directory keeps its path with version "(devel)".
func goPackages(goVersion, mod string) ([]Package, error) {
	stdlib := GoStdlibVersion(goVersion)
	out := []Package{{Ecosystem: Golang, Name: "stdlib", Version: stdlib, PURL: GoPURL("stdlib", stdlib), Layer: -1}}
	if mod == "" {
		return out, nil
	}
	bi, err := debug.ParseBuildInfo(mod)
	if err != nil {
		return out, fmt.Errorf("reading Go build information: %w", err)
	}
	add := func(m *debug.Module) {
		if m == nil || m.Path == "" {
			return
		}
		path, version := m.Path, m.Version
		if r := m.Replace; r != nil {
			if r.Version != "" {
				path, version = r.Path, r.Version
			} else {
				version = "(devel)"
			}
		}
		out = append(out, Package{Ecosystem: Golang, Name: path, Version: version, PURL: GoPURL(path, version), Layer: -1})
	}
	add(&bi.Main)
	for _, d := range bi.Deps {
		add(d)
	}
	return out, nil
}

// GoStdlibVersion turns a Go toolchain version ("go1.22.3", "go1.23rc1",
// "go1.22.3 X:boringcrypto") into the module-style version the Go
// vulnerability database uses for the stdlib ("v1.22.3", "v1.23.0-rc.1").
// Development toolchains are returned as they are.
func GoStdlibVersion(v string) string {
	v, _, _ = strings.Cut(v, " ")
	s, ok := strings.CutPrefix(v, "go")
	if !ok || s == "" {
		return v
	}
	pre := ""
	for _, tag := range []string{"rc", "beta"} {
		if i := strings.Index(s, tag); i > 0 {
			s, pre = s[:i], "-"+tag+"."+s[i+len(tag):]
			break
		}
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return v
		}
	}
	if strings.Count(s, ".") == 1 {
		s += ".0"
	}
	return "v" + s + pre
}
