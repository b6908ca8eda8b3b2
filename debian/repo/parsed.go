package repo

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"unsafe"

	"github.com/ingot-dev/ingot/debian"
)

// The parsed-index cache keeps what parsePackages made of a verified,
// decompressed Packages index, so a warm run rebuilds its packages from a
// compact binary description instead of parsing 63k text records again
// (about 4x less CPU and wall time for Debian's main index; see
// BenchmarkParseIndex).
//
// An entry is keyed by the SHA256 of the index it describes, the one the
// signed Release lists, and holds none of the index's text, only offsets
// into it: reading an entry needs the index bytes, freshly verified by the
// download cache, so it can only ever describe verified bytes. Only the
// strings the parser builds (continued field values, lowercased digests,
// joined profiles) are stored in the entry itself. An entry is:
//
//	header  parsedMagic, format and parser versions, the index's SHA256 and
//	        size, the payload's size and SHA256 (parsedHeaderSize bytes)
//	payload uvarints: the extra strings, the field-name table, the relation
//	        table (each distinct relation once), then every package
//
// Strings are references into the index or the extra strings (encoder.str).
// The payload's SHA256 catches a damaged or truncated entry; like every
// file in the user's cache, an entry is not defended against someone who
// may write there. Packages decoded from one entry share their Relations,
// read-only like every Package an Index hands out.
const (
	parsedMagic = "ingotpkg"
	// parsedFormat is the encoding's version: bump it when the layout changes.
	parsedFormat = 3
	// parserVersion is the text parser's version: bump it whenever records,
	// debian.PackageParser or anything they call changes what a record
	// becomes, so no entry written by an older parser is read.
	parserVersion = 1

	parsedHeaderSize = len(parsedMagic) + 4 + 4 + sha256.Size + 8 + 8 + sha256.Size
)

// errParsedCorrupt is wrapped by every decoding error.
var errParsedCorrupt = errors.New("parsed-index cache entry unusable")

var ops = [...]string{"", "<<", "<=", "=", ">=", ">>"}

// encodeParsed describes pkgs, parsed from data (the index whose SHA256 is
// sum), as a cache entry.
func encodeParsed(sum string, data string, pkgs []*debian.Package) ([]byte, error) {
	rawSum, err := hex.DecodeString(sum)
	if err != nil || len(rawSum) != sha256.Size {
		return nil, fmt.Errorf("encoding the parsed index: bad SHA256 %q", sum)
	}
	st := &strTable{data: data, extraAt: map[string]int{}}
	names := map[string]uint64{}
	var nameList []string
	relIDs := map[string]uint64{}
	rels := encoder{st: st} // the relation table
	var key []byte
	body := encoder{st: st} // the packages
	body.buf = make([]byte, 0, len(data)/4)
	var lastIDs []uint64 // the field names of the previous record, which the next one mostly repeats
	body.uvarint(uint64(len(pkgs)))
	for _, p := range pkgs {
		body.uvarint(uint64(len(p.Paragraph.Fields)))
		for i, f := range p.Paragraph.Fields {
			var id uint64
			if i < len(lastIDs) && nameList[lastIDs[i]] == f.Name {
				id = lastIDs[i]
			} else {
				var ok bool
				if id, ok = names[f.Name]; !ok {
					id = uint64(len(nameList))
					names[f.Name] = id
					nameList = append(nameList, f.Name)
				}
				if i < len(lastIDs) {
					lastIDs[i] = id
				} else {
					lastIDs = append(lastIDs, id)
				}
			}
			body.uvarint(id)
			body.str(f.Value)
		}
		body.str(p.Name)
		body.version(p.Version)
		body.str(p.Architecture)
		body.str(p.MultiArch)
		body.bool(p.Essential)
		body.str(p.Priority)
		body.str(p.Section)
		body.varint(p.InstalledSize)
		body.str(p.Source)
		body.version(p.SourceVersion)
		body.str(p.Filename)
		body.varint(p.Size)
		body.str(p.SHA256)
		for _, list := range relationLists(p) {
			body.uvarint(uint64(len(*list)))
			for _, rel := range *list {
				// By content: the same relation in another record is
				// elsewhere in the index.
				key = relationKey(key[:0], rel)
				id, ok := relIDs[string(key)]
				if !ok {
					id = uint64(len(relIDs))
					relIDs[string(key)] = id
					rels.relation(rel)
				}
				body.uvarint(id)
			}
		}
	}
	head := encoder{st: st} // the field names; may add extra strings
	for _, n := range nameList {
		head.str(n)
	}
	if st.bad != nil {
		return nil, st.bad
	}
	// The header goes first; it is filled in once the payload is known.
	out := make([]byte, parsedHeaderSize, parsedHeaderSize+len(st.extras)+len(head.buf)+len(rels.buf)+len(body.buf)+32)
	out = binary.AppendUvarint(out, uint64(len(st.extras)))
	out = append(out, st.extras...)
	out = binary.AppendUvarint(out, uint64(len(nameList)))
	out = append(out, head.buf...)
	out = binary.AppendUvarint(out, uint64(len(relIDs)))
	out = append(out, rels.buf...)
	out = append(out, body.buf...)
	payload := out[parsedHeaderSize:]
	h := append(out[:0], parsedMagic...)
	h = binary.LittleEndian.AppendUint32(h, parsedFormat)
	h = binary.LittleEndian.AppendUint32(h, parserVersion)
	h = append(h, rawSum...)
	h = binary.LittleEndian.AppendUint64(h, uint64(len(data)))
	h = binary.LittleEndian.AppendUint64(h, uint64(len(payload)))
	ps := sha256.Sum256(payload)
	if h = append(h, ps[:]...); len(h) != parsedHeaderSize {
		panic("repo: parsedHeaderSize is wrong")
	}
	return out, nil
}

// relationLists are a package's relation fields in encoding order.
func relationLists(p *debian.Package) [8]*[]debian.Relation {
	return [8]*[]debian.Relation{&p.Depends, &p.PreDepends, &p.Recommends, &p.Suggests, &p.Conflicts, &p.Breaks, &p.Provides, &p.Replaces}
}

// strTable is the index and the extra strings an entry refers to.
type strTable struct {
	data    string
	extras  []byte
	extraAt map[string]int // extra string -> offset in extras
	bad     error          // what could not be encoded
}

// encoder appends uvarints and string references.
type encoder struct {
	buf  []byte
	st   *strTable
	last int64 // where the previous reference into the index ended
}

func (e *encoder) uvarint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }

func (e *encoder) varint(v int64) { e.buf = binary.AppendVarint(e.buf, v) }

func (e *encoder) bool(b bool) {
	if b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

// str refers to s in the index when it is a part of it (the parser slices
// the index), else stores it among the extra strings. Whether it is a part
// is told by comparing addresses (unsafe.StringData, read only): nothing
// else knows which strings the parser sliced and which it built. A reference is a
// uvarint tag and, but for the empty string, a uvarint length; the tag's
// low two bits say what the rest is (see the ref constants).
func (e *encoder) str(s string) {
	if len(s) == 0 {
		e.uvarint(refEmpty)
		return
	}
	data := e.st.data
	base := uintptr(unsafe.Pointer(unsafe.StringData(data)))
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	if len(s) <= len(data) && p >= base && p-base <= uintptr(len(data)-len(s)) {
		off := int64(p - base)
		e.uvarint(zigzag(off-e.last)<<2 | refIndex)
		e.uvarint(uint64(len(s)))
		e.last = off + int64(len(s))
		return
	}
	off, ok := e.st.extraAt[s]
	if !ok {
		off = len(e.st.extras)
		e.st.extras = append(e.st.extras, s...)
		e.st.extraAt[s] = off
	}
	e.uvarint(uint64(off)<<2 | refExtra)
	e.uvarint(uint64(len(s)))
}

// String references.
const (
	refIndex = 0 // the rest is the offset in the index, zigzag-encoded relative to the end of the previous reference
	refExtra = 1 // the rest is the offset in the extra strings
	refEmpty = 2 // the empty string; no length follows
)

func zigzag(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

func (e *encoder) version(v debian.Version) {
	e.uvarint(uint64(v.Epoch))
	e.str(v.Upstream)
	e.str(v.Revision)
}

// relationKey appends to b what tells rel from every other relation: its
// strings, each after its length, so no two relations share a key.
func relationKey(b []byte, rel debian.Relation) []byte {
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, d := range rel {
		str(d.Name)
		str(d.ArchQual)
		str(d.Op)
		b = binary.AppendUvarint(b, uint64(d.Version.Epoch))
		str(d.Version.Upstream)
		str(d.Version.Revision)
		b = binary.AppendUvarint(b, uint64(len(d.Arches)))
		for _, a := range d.Arches {
			str(a)
		}
		str(d.Profiles)
	}
	return b
}

// relation encodes rel on its own: its index references start from 0, as
// the decoder reads each relation of the table.
func (e *encoder) relation(rel debian.Relation) {
	e.last = 0
	e.uvarint(uint64(len(rel)))
	for _, d := range rel {
		e.str(d.Name)
		e.str(d.ArchQual)
		op := slices.Index(ops[:], d.Op)
		if op < 0 {
			e.st.bad = fmt.Errorf("encoding the parsed index: unknown operator %q in %s", d.Op, d)
		}
		e.uvarint(uint64(max(op, 0)))
		e.version(d.Version)
		e.uvarint(uint64(len(d.Arches)))
		for _, a := range d.Arches {
			e.str(a)
		}
		e.str(d.Profiles)
	}
}

// checkParsedHeader validates an entry's header against the index it
// should describe (SHA256 sum, size) and the payload's checksum, and
// returns the payload.
func checkParsedHeader(entry []byte, sum string, size int) ([]byte, error) {
	if len(entry) < parsedHeaderSize {
		return nil, fmt.Errorf("%w: %d bytes, shorter than its header", errParsedCorrupt, len(entry))
	}
	h := entry[:parsedHeaderSize]
	if string(h[:len(parsedMagic)]) != parsedMagic {
		return nil, fmt.Errorf("%w: not a parsed index", errParsedCorrupt)
	}
	h = h[len(parsedMagic):]
	if f, v := binary.LittleEndian.Uint32(h), binary.LittleEndian.Uint32(h[4:]); f != parsedFormat || v != parserVersion {
		return nil, fmt.Errorf("%w: format %d, parser %d, want %d, %d", errParsedCorrupt, f, v, parsedFormat, parserVersion)
	}
	h = h[8:]
	if got := hex.EncodeToString(h[:sha256.Size]); got != sum {
		return nil, fmt.Errorf("%w: describes index %s, not %s", errParsedCorrupt, got, sum)
	}
	h = h[sha256.Size:]
	if n := binary.LittleEndian.Uint64(h); n != uint64(size) {
		return nil, fmt.Errorf("%w: describes an index of %d bytes, not %d", errParsedCorrupt, n, size)
	}
	payload := entry[parsedHeaderSize:]
	if n := binary.LittleEndian.Uint64(h[8:]); n != uint64(len(payload)) {
		return nil, fmt.Errorf("%w: payload of %d bytes, header says %d (truncated?)", errParsedCorrupt, len(payload), n)
	}
	if ps := sha256.Sum256(payload); !bytes.Equal(ps[:], h[16:16+sha256.Size]) {
		return nil, fmt.Errorf("%w: payload checksum mismatch", errParsedCorrupt)
	}
	return payload, nil
}
