package repo

import (
	"bytes"
	"crypto"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/ingot-dev/ingot/internal/debtest"
)

// expiringKey is a key created at created that expires a day later, with
// a message clearsigned an hour after creation.
func expiringKey(t *testing.T, created time.Time) (openpgp.EntityList, []byte) {
	t.Helper()
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, DefaultHash: crypto.SHA256, KeyLifetimeSecs: 86400,
		Time: func() time.Time { return created }}
	e, err := openpgp.NewEntity("expiring", "", "x@example.invalid", cfg)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	signCfg := *cfg
	signCfg.Time = func() time.Time { return created.Add(time.Hour) }
	w, err := clearsign.Encode(&b, e.PrivateKey, &signCfg)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("Suite: bookworm\n"))
	w.Close()
	return openpgp.EntityList{e}, b.Bytes()
}

func TestVerifyClearsignedExpiredKey(t *testing.T) {
	created := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	keys, msg := expiringKey(t, created)
	for _, tc := range []struct {
		desc         string
		now          time.Time
		allowExpired bool
		ok           bool
	}{
		{"key valid now", created.Add(2 * time.Hour), false, true},
		{"key expired since", created.Add(48 * time.Hour), false, false},
		{"key expired since, snapshot mode", created.Add(48 * time.Hour), true, true},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			text, _, err := VerifyClearsigned(msg, keys, tc.now, tc.allowExpired)
			if tc.ok {
				if err != nil || string(text) != "Suite: bookworm\n" {
					t.Fatalf("text %q, err %v", text, err)
				}
				return
			}
			if !errors.Is(err, ErrBadSignature) || !strings.Contains(err.Error(), "expired") {
				t.Fatalf("err = %v, want ErrBadSignature for an expired key", err)
			}
		})
	}
}

func FuzzVerifyClearsigned(f *testing.F) {
	k := debtest.NewKey(f)
	keys, err := parseKeyring("test", k.Public())
	if err != nil {
		f.Fatal(err)
	}
	signed := k.ClearSign([]byte("Suite: bookworm\nSHA256:\n"))
	f.Add(signed)
	f.Add(bytes.Replace(signed, []byte("bookworm"), []byte("trixie!!"), 1))
	f.Add([]byte("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nx\n-----BEGIN PGP SIGNATURE-----\n\n-----END PGP SIGNATURE-----\n"))
	f.Add([]byte("Suite: bookworm\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		text, signer, err := VerifyClearsigned(data, keys, debtest.DefaultDate, false)
		if err != nil {
			if !errors.Is(err, ErrBadSignature) {
				t.Fatalf("error does not wrap ErrBadSignature: %v", err)
			}
			return
		}
		if signer != k.Fingerprint() {
			t.Fatalf("signer %s", signer)
		}
		// Anything accepted must be what the key signed.
		if !bytes.Equal(bytes.TrimRight(text, "\n"), []byte("Suite: bookworm\nSHA256:")) {
			t.Fatalf("accepted text the key never signed: %q", text)
		}
	})
}

func TestReadKeyringRejects(t *testing.T) {
	for _, tc := range []struct {
		desc string
		data []byte
	}{
		{"empty", nil},
		{"not a key", []byte("hello")},
		{"armoured garbage", []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n")},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			if _, err := parseKeyring("k", tc.data); err == nil {
				t.Fatal("accepted a bad keyring")
			}
		})
	}
}

func FuzzVerifyDetached(f *testing.F) {
	k := debtest.NewKey(f)
	keys, err := parseKeyring("test", k.Public())
	if err != nil {
		f.Fatal(err)
	}
	text := []byte("Suite: bookworm\n")
	f.Add(k.DetachSign(text))
	f.Add([]byte("-----BEGIN PGP SIGNATURE-----\n\n-----END PGP SIGNATURE-----\n"))
	f.Add([]byte{0x88, 0x00})
	f.Fuzz(func(t *testing.T, sig []byte) {
		signer, err := VerifyDetached(text, sig, keys, debtest.DefaultDate, false)
		if err != nil {
			if !errors.Is(err, ErrBadSignature) {
				t.Fatalf("error does not wrap ErrBadSignature: %v", err)
			}
			return
		}
		if signer != k.Fingerprint() {
			t.Fatalf("signer %s", signer)
		}
	})
}
