package repo

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/ingot-dev/ingot/debian"
)

// decodeParsed rebuilds the packages an entry's payload describes; data is
// the verified index it refers to. Every count and reference is checked
// against what is left of the payload or the strings, and memory grows
// only with the bytes consumed, so a damaged payload is an error, never a
// panic or a huge allocation.
func decodeParsed(payload []byte, data, suite, component string) ([]*debian.Package, error) {
	d := decoder{buf: payload, data: data}
	d.extras = string(d.take(d.count(d.left())))
	names := make([]string, d.count(d.left()/2))
	for i := range names {
		names[i] = d.str()
	}
	rels := make([]debian.Relation, d.count(d.left()/(1+minDepBytes)))
	var deps []debian.Dep
	for i := range rels {
		d.last = 0 // see encoder.relation
		n := d.count(d.left() / minDepBytes)
		if n == 0 {
			d.fail("empty relation")
		}
		if d.err != nil {
			return nil, d.err
		}
		if cap(deps)-len(deps) < n {
			deps = make([]debian.Dep, 0, max(1024, n))
		}
		start := len(deps)
		for range n {
			deps = append(deps, d.dep())
		}
		rels[i] = deps[start:len(deps):len(deps)]
	}
	d.last = 0
	npkgs := d.count(min(d.left()/minPackageBytes, len(data)/minRecordBytes))
	if d.err != nil {
		return nil, d.err
	}
	out := make([]*debian.Package, 0, npkgs)
	var pkgs []debian.Package
	var fields []debian.Field
	for range npkgs {
		if len(pkgs) == 0 {
			pkgs = make([]debian.Package, min(256, npkgs))
		}
		p := &pkgs[0]
		pkgs = pkgs[1:]
		nf := d.count(min(debian.MaxControlFields, d.left()/2))
		if nf == 0 {
			d.fail("record without fields")
		}
		if d.err != nil {
			return nil, d.err
		}
		if cap(fields)-len(fields) < nf {
			fields = make([]debian.Field, 0, max(4096, nf))
		}
		start := len(fields)
		for range nf {
			id := d.count(len(names) - 1)
			f := debian.Field{Value: d.str()}
			if d.err == nil {
				f.Name = names[id]
			}
			fields = append(fields, f)
		}
		p.Paragraph.Fields = fields[start:len(fields):len(fields)]
		p.Name = d.str()
		p.Version = d.version()
		p.Architecture = d.str()
		p.MultiArch = d.str()
		p.Essential = d.bool()
		p.Priority = d.str()
		p.Section = d.str()
		p.InstalledSize = d.varint()
		p.Source = d.str()
		p.SourceVersion = d.version()
		p.Filename = d.str()
		p.Size = d.varint()
		p.SHA256 = d.str()
		for _, list := range relationLists(p) {
			n := d.count(d.left())
			if n == 0 || d.err != nil {
				continue
			}
			*list = make([]debian.Relation, n)
			for i := range n {
				if id := d.count(len(rels) - 1); d.err == nil {
					(*list)[i] = rels[id]
				}
			}
		}
		if d.err != nil {
			return nil, d.err
		}
		p.Suite, p.Component = suite, component
		out = append(out, p)
	}
	if d.left() != 0 {
		d.fail(fmt.Sprintf("%d bytes after the last package", d.left()))
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// The fewest bytes an encoded dependency, package or index record takes
// (every string reference takes one at least): bounds for the counts a
// payload may claim.
const (
	minDepBytes     = 1 + 1 + 1 + 3 + 1 + 1
	minPackageBytes = 1 + 2 + 1 + 3 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 3 + 1 + 1 + 1 + 8
	minRecordBytes  = len("Package:a\n")
)

// decoder reads a payload; the first error sticks, and then every read
// returns zero values.
type decoder struct {
	buf    []byte
	pos    int
	data   string
	extras string
	last   int64 // where the previous reference into the index ended
	err    error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", errParsedCorrupt, what)
	}
	d.pos = len(d.buf)
}

// left is the number of bytes not read yet.
func (d *decoder) left() int { return len(d.buf) - d.pos }

func (d *decoder) uvarint() uint64 {
	if d.pos < len(d.buf) && d.buf[d.pos] < 0x80 {
		d.pos++
		return uint64(d.buf[d.pos-1])
	}
	return d.uvarintSlow()
}

func (d *decoder) uvarintSlow() uint64 {
	v, n := binary.Uvarint(d.buf[d.pos:])
	if n <= 0 {
		d.fail("bad number")
		return 0
	}
	d.pos += n
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.buf[d.pos:])
	if n <= 0 {
		d.fail("bad number")
		return 0
	}
	d.pos += n
	return v
}

// count reads a count or index of at most limit.
func (d *decoder) count(limit int) int {
	v := d.uvarint()
	if limit < 0 || v > uint64(limit) {
		d.fail(fmt.Sprintf("count %d out of range", v))
		return 0
	}
	return int(v)
}

func (d *decoder) take(n int) []byte {
	if d.err != nil || n > d.left() {
		d.fail("truncated")
		return nil
	}
	b := d.buf[d.pos : d.pos+n]
	d.pos += n
	return b
}

func (d *decoder) bool() bool {
	b := d.take(1)
	if d.err != nil {
		return false
	}
	if b[0] > 1 {
		d.fail("bad boolean")
	}
	return b[0] == 1
}

// str reads a reference to a part of the index or of the extra strings.
func (d *decoder) str() string {
	// The hottest reads of all, with uvarint's fast path spelled out (the
	// compiler does not inline it).
	var tag, n uint64
	if p := d.pos; p < len(d.buf) && d.buf[p] < 0x80 {
		tag, d.pos = uint64(d.buf[p]), p+1
	} else {
		tag = d.uvarintSlow()
	}
	if tag == refEmpty || d.err != nil {
		return ""
	}
	if p := d.pos; p < len(d.buf) && d.buf[p] < 0x80 {
		n, d.pos = uint64(d.buf[p]), p+1
	} else {
		n = d.uvarintSlow()
	}
	var src string
	var off uint64
	switch tag & 3 {
	case refIndex:
		v := tag >> 2
		off = uint64(d.last + (int64(v>>1) ^ -int64(v&1)))
		src = d.data
	case refExtra:
		off = tag >> 2
		src = d.extras
	default:
		d.fail("bad string reference")
		return ""
	}
	if d.err != nil || n == 0 || off > uint64(len(src)) || n > uint64(len(src))-off {
		d.fail("string out of range")
		return ""
	}
	if tag&3 == refIndex {
		d.last = int64(off + n)
	}
	return src[off : off+n]
}

func (d *decoder) version() debian.Version {
	e := d.uvarint()
	if e > math.MaxUint32 {
		d.fail("bad epoch")
	}
	return debian.Version{Epoch: uint32(e), Upstream: d.str(), Revision: d.str()}
}

func (d *decoder) dep() debian.Dep {
	dep := debian.Dep{Name: d.str(), ArchQual: d.str()}
	if op := d.count(len(ops) - 1); d.err == nil {
		dep.Op = ops[op]
	}
	dep.Version = d.version()
	if n := d.count(d.left() / 2); n > 0 && d.err == nil {
		dep.Arches = make([]string, n)
		for i := range dep.Arches {
			dep.Arches[i] = d.str()
		}
	}
	dep.Profiles = d.str()
	return dep
}
