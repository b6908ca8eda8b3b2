package debtest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"fmt"
	"io"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dsnet/compress/bzip2"
	"github.com/ingot-dev/ingot/debian"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// Epoch is the modification time of every member and tar entry debtest
// writes, so that the same input always gives the same bytes.
var Epoch = time.Date(2025, 5, 20, 0, 0, 0, 0, time.UTC)

// File is one entry of a tar archive. The zero Typeflag is a regular file
// (or a symlink when Linkname is set); Mode defaults to 0644 for files,
// 0755 for directories and 0777 for symlinks.
type File struct {
	Path     string
	Mode     int64
	Body     []byte
	Linkname string
	Typeflag byte
}

// Deb describes a binary package to build.
type Deb struct {
	Name, Version, Arch string // Arch defaults to "amd64"
	Source              string // optional "src" or "src (ver)"
	// Control holds extra control fields (Depends, Pre-Depends, Provides,
	// Multi-Arch, Essential, Priority, Section, Maintainer, Description...).
	// Multi-line values are as in debian.Field: lines joined by "\n" without
	// their leading space, an empty line for a " ." line.
	Control map[string]string
	Files   []File
	// Scripts are maintainer scripts ("postinst", "preinst", ...) placed in
	// control.tar with mode 0755.
	Scripts map[string]string
	// DataCompression is "xz" (default), "gz", "zst", "bz2" or "none".
	DataCompression string
	// RawData, if set, is used verbatim as the data.tar member (already
	// compressed per DataCompression), for hostile fixtures.
	RawData []byte
}

func (d Deb) arch() string {
	if d.Arch == "" {
		return "amd64"
	}
	return d.Arch
}

// sourceName is the source package name ("src" of "src (ver)"), or Name.
func (d Deb) sourceName() string {
	if d.Source == "" {
		return d.Name
	}
	name, _, _ := strings.Cut(d.Source, "(")
	return strings.TrimSpace(name)
}

// control returns the control paragraph of the package, fields in the order
// dpkg-deb writes them. Installed-Size is computed from the files.
func (d Deb) control() string {
	var para debian.Paragraph
	field := func(name, value string) {
		if value != "" {
			para.Fields = append(para.Fields, debian.Field{Name: name, Value: value})
		}
	}
	extra := map[string]string{}
	for k, v := range d.Control {
		extra[k] = v
	}
	take := func(name, def string) string {
		if v, ok := extra[name]; ok {
			delete(extra, name)
			return v
		}
		return def
	}
	var size int64
	for _, f := range d.Files {
		size += int64(len(f.Body))
	}
	field("Package", d.Name)
	field("Source", d.Source)
	field("Version", d.Version)
	field("Architecture", d.arch())
	field("Maintainer", take("Maintainer", "Debtest <debtest@example.invalid>"))
	field("Installed-Size", fmt.Sprint(take("Installed-Size", fmt.Sprint((size+1023)/1024))))
	desc := take("Description", d.Name+" test package")
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		field(k, extra[k])
	}
	field("Description", desc)
	// WriteTo indents continuation lines (Description) and writes empty ones
	// as " .", as in Debian control files.
	var b strings.Builder
	para.WriteTo(&b)
	return b.String()
}

// BuildDeb returns the bytes of a .deb: an ar archive with debian-binary,
// control.tar.xz (control, md5sums, scripts) and data.tar.<comp>. The output
// is deterministic. It panics on an unknown DataCompression (a test bug).
func BuildDeb(d Deb) []byte {
	comp := d.DataCompression
	if comp == "" {
		comp = "xz"
	}
	data := d.RawData
	if data == nil {
		data = compress(comp, TarBytes(dataEntries(d.Files)))
	}
	ctl := []File{{Path: "./", Typeflag: tar.TypeDir}, {Path: "./control", Body: []byte(d.control())}}
	if sums := md5sums(d.Files); len(sums) > 0 {
		ctl = append(ctl, File{Path: "./md5sums", Body: sums})
	}
	scripts := make([]string, 0, len(d.Scripts))
	for name := range d.Scripts {
		scripts = append(scripts, name)
	}
	sort.Strings(scripts)
	for _, name := range scripts {
		ctl = append(ctl, File{Path: "./" + name, Mode: 0o755, Body: []byte(d.Scripts[name])})
	}
	var b bytes.Buffer
	b.WriteString("!<arch>\n")
	arMember(&b, "debian-binary", []byte("2.0\n"))
	arMember(&b, "control.tar.xz", compress("xz", TarBytes(ctl)))
	arMember(&b, "data.tar"+compExt(comp), data)
	return b.Bytes()
}

func arMember(b *bytes.Buffer, name string, body []byte) {
	fmt.Fprintf(b, "%-16s%-12d%-6d%-6d%-8s%-10d`\n", name, Epoch.Unix(), 0, 0, "100644", len(body))
	b.Write(body)
	if len(body)%2 == 1 {
		b.WriteByte('\n')
	}
}

func compExt(comp string) string {
	switch comp {
	case "none":
		return ""
	case "gz", "xz", "zst", "bz2":
		return "." + comp
	}
	panic(fmt.Sprintf("debtest: unknown compression %q", comp))
}

// compress compresses b with "xz", "gz", "zst", "bz2" or "none".
func compress(comp string, b []byte) []byte {
	var out bytes.Buffer
	var w io.WriteCloser
	var err error
	switch comp {
	case "none":
		return b
	case "xz":
		// A small dictionary keeps fixtures fast; the output is still valid xz.
		w, err = xz.WriterConfig{DictCap: 1 << 16}.NewWriter(&out)
	case "gz":
		w, err = gzip.NewWriterLevel(&out, gzip.BestCompression)
	case "zst":
		w, err = zstd.NewWriter(&out, zstd.WithEncoderConcurrency(1))
	case "bz2":
		w, err = bzip2.NewWriter(&out, nil)
	default:
		panic(fmt.Sprintf("debtest: unknown compression %q", comp))
	}
	if err == nil {
		_, err = w.Write(b)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		panic(fmt.Sprintf("debtest: compressing with %s: %v", comp, err))
	}
	return out.Bytes()
}

// dataEntries returns the files of a data.tar in dpkg-deb's shape: paths
// "./a/b", sorted, each parent directory emitted once before its children.
func dataEntries(files []File) []File {
	norm := func(p string) string {
		p = strings.TrimPrefix(path.Clean("/"+p), "/")
		if p == "" {
			return "./"
		}
		return "./" + p
	}
	byPath := map[string]File{}
	for _, f := range files {
		f.Path = norm(f.Path)
		if f.Typeflag == tar.TypeDir && f.Path != "./" {
			f.Path += "/"
		}
		byPath[f.Path] = f
		for dir := path.Dir(strings.TrimSuffix(f.Path, "/")); ; dir = path.Dir(dir) {
			key := dir + "/"
			if dir == "." {
				key = "./"
			}
			if _, ok := byPath[key]; !ok {
				byPath[key] = File{Path: key, Typeflag: tar.TypeDir}
			}
			if dir == "." {
				break
			}
		}
	}
	if _, ok := byPath["./"]; !ok {
		byPath["./"] = File{Path: "./", Typeflag: tar.TypeDir}
	}
	paths := make([]string, 0, len(byPath))
	for p := range byPath {
		paths = append(paths, p)
	}
	// Sorting the cleaned paths puts each directory before its children.
	slices.SortFunc(paths, func(a, b string) int {
		return strings.Compare(strings.TrimSuffix(a, "/"), strings.TrimSuffix(b, "/"))
	})
	out := make([]File, 0, len(paths))
	for _, p := range paths {
		out = append(out, byPath[p])
	}
	return out
}

func md5sums(files []File) []byte {
	var b bytes.Buffer
	for _, f := range dataEntries(files) {
		if f.Typeflag != 0 && f.Typeflag != tar.TypeReg || f.Linkname != "" {
			continue
		}
		fmt.Fprintf(&b, "%x  %s\n", md5.Sum(f.Body), strings.TrimPrefix(f.Path, "./"))
	}
	return b.Bytes()
}

// TarBytes returns an uncompressed tar archive with the entries written
// exactly as given (names such as "../x" or "/abs" are kept), owned by
// root and dated Epoch. It panics if archive/tar refuses an entry.
func TarBytes(files []File) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, f := range files {
		h := &tar.Header{
			Name: f.Path, Linkname: f.Linkname, Typeflag: f.Typeflag, Mode: f.Mode,
			ModTime: Epoch, Uname: "root", Gname: "root", Format: tar.FormatGNU,
		}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
			if f.Linkname != "" {
				h.Typeflag = tar.TypeSymlink
			}
		}
		if h.Mode == 0 {
			switch h.Typeflag {
			case tar.TypeDir:
				h.Mode = 0o755
			case tar.TypeSymlink:
				h.Mode = 0o777
			default:
				h.Mode = 0o644
			}
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(f.Body))
		}
		if err := tw.WriteHeader(h); err != nil {
			panic(fmt.Sprintf("debtest: tar header %q: %v", f.Path, err))
		}
		if h.Size > 0 {
			if _, err := tw.Write(f.Body); err != nil {
				panic(fmt.Sprintf("debtest: tar body %q: %v", f.Path, err))
			}
		}
	}
	if err := tw.Close(); err != nil {
		panic(fmt.Sprintf("debtest: closing tar: %v", err))
	}
	return b.Bytes()
}
