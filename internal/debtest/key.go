package debtest

import (
	"bytes"
	"crypto"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// Key is a throw-away OpenPGP signing key (Ed25519, v4, as gpgv accepts).
type Key struct {
	entity *openpgp.Entity
}

// KeyTime is the creation time of every debtest key and signature: well
// before any date a test's clock is set to, so that keys are valid then.
var KeyTime = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

func keyConfig() *packet.Config {
	return &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, DefaultHash: crypto.SHA256, Time: func() time.Time { return KeyTime }}
}

// NewKey generates a fresh signing key.
func NewKey(t testing.TB) *Key {
	t.Helper()
	e, err := openpgp.NewEntity("debtest archive key", "test only", "debtest@example.invalid", keyConfig())
	if err != nil {
		t.Fatalf("debtest: generating OpenPGP key: %v", err)
	}
	return &Key{entity: e}
}

// Fingerprint is the key's fingerprint in upper-case hex.
func (k *Key) Fingerprint() string {
	return fmt.Sprintf("%X", k.entity.PrimaryKey.Fingerprint)
}

// Public returns the binary (unarmoured) public key, as in
// /usr/share/keyrings/*.gpg.
func (k *Key) Public() []byte {
	var b bytes.Buffer
	if err := k.entity.Serialize(&b); err != nil {
		panic("debtest: serialising public key: " + err.Error())
	}
	return b.Bytes()
}

// KeyringFile writes the public key as a binary keyring into a temporary
// directory of t and returns its path.
func (k *Key) KeyringFile(t testing.TB) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "keyring.gpg")
	if err := os.WriteFile(p, k.Public(), 0o644); err != nil {
		t.Fatalf("debtest: writing keyring: %v", err)
	}
	return p
}

// ArmoredPublic returns the ASCII-armoured public key.
func (k *Key) ArmoredPublic() []byte {
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err == nil {
		_, err = w.Write(k.Public())
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		panic("debtest: armouring public key: " + err.Error())
	}
	return b.Bytes()
}

// ClearSign returns text as a clearsigned message (the InRelease format).
func (k *Key) ClearSign(text []byte) []byte {
	var b bytes.Buffer
	w, err := clearsign.Encode(&b, k.entity.PrivateKey, keyConfig())
	if err == nil {
		_, err = w.Write(text)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		panic("debtest: clearsigning: " + err.Error())
	}
	return b.Bytes()
}

// DetachSign returns an armoured detached signature of text (the
// Release.gpg format).
func (k *Key) DetachSign(text []byte) []byte {
	var b bytes.Buffer
	if err := openpgp.ArmoredDetachSign(&b, k.entity, bytes.NewReader(text), keyConfig()); err != nil {
		panic("debtest: signing: " + err.Error())
	}
	return b.Bytes()
}
