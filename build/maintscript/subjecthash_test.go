package maintscript

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/internal/testenv"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

var (
	oidCN = asn1.ObjectIdentifier{2, 5, 4, 3}
	oidO  = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidC  = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidOU = asn1.ObjectIdentifier{2, 5, 4, 11}
	oidDC = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 25}
	oidEm = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
)

// ava is one attribute with an explicit ASN.1 string tag.
type ava struct {
	oid   asn1.ObjectIdentifier
	tag   int
	value []byte
}

// rawName encodes RDNs (each a set of AVAs) with exact string types.
func rawName(t testing.TB, rdns ...[]ava) []byte {
	t.Helper()
	type attr struct {
		Type  asn1.ObjectIdentifier
		Value asn1.RawValue
	}
	var seq []asn1.RawValue
	for _, rdn := range rdns {
		var set []byte
		for _, a := range rdn {
			b, err := asn1.Marshal(attr{a.oid, asn1.RawValue{Tag: a.tag, Class: asn1.ClassUniversal, Bytes: a.value}})
			if err != nil {
				t.Fatal(err)
			}
			set = append(set, b...)
		}
		seq = append(seq, asn1.RawValue{Tag: asn1.TagSet, Class: asn1.ClassUniversal, IsCompound: true, Bytes: set})
	}
	b, err := asn1.Marshal(seq)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// selfSigned makes a certificate with the given raw subject, PEM-encoded.
func selfSigned(t testing.TB, subject []byte, serial int64) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		RawSubject:            subject,
		Subject:               pkix.Name{CommonName: "unused"},
		NotBefore:             time.Unix(1700000000, 0),
		NotAfter:              time.Unix(2000000000, 0),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func bmp(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r>>8), byte(r))
	}
	return b
}

// subjectNames covers what canonicalisation must handle.
func subjectNames(t testing.TB) map[string][]byte {
	return map[string][]byte{
		"printable":           rawName(t, []ava{{oidC, asn1.TagPrintableString, []byte("US")}}, []ava{{oidO, asn1.TagPrintableString, []byte("Example Org")}}, []ava{{oidCN, asn1.TagPrintableString, []byte("Example Root CA")}}),
		"case and space":      rawName(t, []ava{{oidCN, asn1.TagUTF8String, []byte("  MiXeD \t  Case\n\nName  ")}}),
		"utf8 non-ascii":      rawName(t, []ava{{oidCN, asn1.TagUTF8String, []byte("NetLock Arany (Osztály Főtanúsítvány) ÉÁ")}}),
		"t61 latin1":          rawName(t, []ava{{oidO, asn1.TagT61String, []byte("Soci\xe9t\xe9 G\xe9N\xe9rale")}}),
		"bmp":                 rawName(t, []ava{{oidCN, 30, bmp("BMP Name Ünïcode")}}),
		"ia5 email":           rawName(t, []ava{{oidDC, asn1.TagIA5String, []byte("COM")}}, []ava{{oidEm, asn1.TagIA5String, []byte("Admin@Example.COM")}}),
		"multi-valued":        rawName(t, []ava{{oidOU, asn1.TagUTF8String, []byte("Zeta")}, {oidCN, asn1.TagUTF8String, []byte("Alpha")}}),
		"numeric, kept as is": rawName(t, []ava{{asn1.ObjectIdentifier{2, 5, 4, 5}, asn1.TagNumericString, []byte(" 123  45 ")}}),
		"empty":               rawName(t),
	}
}

// TestSubjectHashOpenSSL compares SubjectHash with openssl x509 -subject_hash.
func TestSubjectHashOpenSSL(t *testing.T) {
	testenv.RequireTool(t, "openssl")
	dir := t.TempDir()
	for desc, name := range subjectNames(t) {
		t.Run(desc, func(t *testing.T) {
			pemBytes := selfSigned(t, name, 1)
			f := filepath.Join(dir, strings.ReplaceAll(desc, " ", "_")+".pem")
			if err := os.WriteFile(f, pemBytes, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("openssl", "x509", "-subject_hash", "-noout", "-in", f).CombinedOutput()
			if err != nil {
				t.Fatalf("openssl: %v\n%s", err, out)
			}
			got, err := SubjectHash(name)
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.TrimSpace(string(out)); fmt.Sprintf("%08x", got) != want {
				t.Errorf("SubjectHash = %08x, openssl says %s", got, want)
			}
		})
	}
}

func TestSubjectHashRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, {0x30}, {0x30, 0x02, 0x31, 0x05}, {0x31, 0x00}, rawName(t, []ava{{oidCN, 30, []byte{0, 'a', 0}}})} {
		if _, err := SubjectHash(b); err == nil {
			t.Errorf("SubjectHash(%x) succeeded", b)
		}
	}
}

func FuzzSubjectHash(f *testing.F) {
	for _, n := range subjectNames(f) {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		canon, err := canonicalName(b)
		if err != nil {
			return
		}
		// The canonical form is a fixed point: canonicalising it again
		// (wrapped in the outer SEQUENCE) changes nothing.
		var bld cryptobyte.Builder
		bld.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddBytes(canon) })
		wrapped, err := bld.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		again, err := canonicalName(wrapped)
		if err != nil || !bytes.Equal(again, canon) {
			t.Fatalf("canonical form is not stable: %x -> %x (%v)", canon, again, err)
		}
	})
}
