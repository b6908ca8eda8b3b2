package maintscript

import (
	"bytes"
	"crypto/sha1"
	"encoding/asn1"
	"errors"
	"fmt"
	"sort"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// SubjectHash is OpenSSL's X509_NAME_hash of a DER-encoded name (a
// certificate's RawSubject), as "openssl x509 -subject_hash" prints it and
// "openssl rehash" names its links: SHA-1 over the canonical encoding of the
// name, first four bytes read little-endian.
//
// The canonical encoding (OpenSSL's x509_name_canon) re-encodes every
// attribute value of a string type as UTF8String, lower-cased (ASCII only),
// with leading and trailing white space removed and inner runs of white
// space collapsed to one space, and concatenates the RDN SETs without the
// outer SEQUENCE.
func SubjectHash(rawName []byte) (uint32, error) {
	canon, err := canonicalName(rawName)
	if err != nil {
		return 0, err
	}
	sum := sha1.Sum(canon)
	return uint32(sum[0]) | uint32(sum[1])<<8 | uint32(sum[2])<<16 | uint32(sum[3])<<24, nil
}

var errName = errors.New("malformed X.509 name")

func canonicalName(raw []byte) ([]byte, error) {
	in := cryptobyte.String(raw)
	var rdns cryptobyte.String
	if !in.ReadASN1(&rdns, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, errName
	}
	var out []byte
	for !rdns.Empty() {
		var set cryptobyte.String
		if !rdns.ReadASN1(&set, cbasn1.SET) {
			return nil, errName
		}
		var avas [][]byte
		for !set.Empty() {
			var ava, oid cryptobyte.String
			var oidTag cbasn1.Tag
			if !set.ReadASN1(&ava, cbasn1.SEQUENCE) || !ava.ReadAnyASN1Element(&oid, &oidTag) || oidTag != cbasn1.OBJECT_IDENTIFIER {
				return nil, errName
			}
			var val cryptobyte.String
			var tag cbasn1.Tag
			if !ava.ReadAnyASN1Element(&val, &tag) || !ava.Empty() {
				return nil, errName
			}
			enc, err := canonValue(val, tag)
			if err != nil {
				return nil, err
			}
			var b cryptobyte.Builder
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddBytes(oid)
				b.AddBytes(enc)
			})
			e, err := b.Bytes()
			if err != nil {
				return nil, err
			}
			avas = append(avas, e)
		}
		// DER orders the members of a SET OF by their encoding.
		sort.Slice(avas, func(i, j int) bool { return bytes.Compare(avas[i], avas[j]) < 0 })
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
			for _, a := range avas {
				b.AddBytes(a)
			}
		})
		e, err := b.Bytes()
		if err != nil {
			return nil, err
		}
		out = append(out, e...)
	}
	return out, nil
}

// canonValue returns the canonical encoding of one attribute value (a full
// TLV element).
func canonValue(elem cryptobyte.String, tag cbasn1.Tag) ([]byte, error) {
	whole := append([]byte(nil), elem...)
	var body cryptobyte.String
	if !elem.ReadASN1(&body, tag) {
		return nil, errName
	}
	var s []byte
	switch tag {
	case cbasn1.UTF8String:
		if !utf8.Valid(body) {
			return nil, fmt.Errorf("%w: invalid UTF8String", errName)
		}
		s = append(s, body...)
	case cbasn1.PrintableString, cbasn1.T61String, cbasn1.IA5String, cbasn1.Tag(26):
		// OpenSSL reads these one byte per character (Latin-1).
		for _, c := range body {
			s = utf8.AppendRune(s, rune(c))
		}
	case cbasn1.Tag(asn1.TagBMPString):
		if len(body)%2 != 0 {
			return nil, fmt.Errorf("%w: odd BMPString", errName)
		}
		u := make([]uint16, len(body)/2)
		for i := range u {
			u[i] = uint16(body[2*i])<<8 | uint16(body[2*i+1])
		}
		for _, r := range utf16.Decode(u) {
			s = utf8.AppendRune(s, r)
		}
	case cbasn1.Tag(28): // UniversalString, UCS-4
		if len(body)%4 != 0 {
			return nil, fmt.Errorf("%w: bad UniversalString", errName)
		}
		for i := 0; i < len(body); i += 4 {
			r := rune(body[i])<<24 | rune(body[i+1])<<16 | rune(body[i+2])<<8 | rune(body[i+3])
			s = utf8.AppendRune(s, r)
		}
	default:
		// Not a string type: copied as it is.
		return whole, nil
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.UTF8String, func(b *cryptobyte.Builder) { b.AddBytes(canonString(s)) })
	return b.Bytes()
}

// canonString is asn1_string_canon's folding of a UTF-8 string.
func canonString(s []byte) []byte {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' }
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= 0x80:
			out = append(out, c)
			i++
		case isSpace(c):
			out = append(out, ' ')
			for i < len(s) && isSpace(s[i]) {
				i++
			}
		default:
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			out = append(out, c)
			i++
		}
	}
	return out
}
