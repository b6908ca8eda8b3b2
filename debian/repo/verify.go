package repo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// maxKeyring bounds a keyring file; Debian's is about 100 KiB.
const maxKeyring = 16 << 20

// ReadKeyring reads a binary or ASCII-armoured OpenPGP keyring file.
func ReadKeyring(path string) (openpgp.EntityList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading keyring: %w (install debian-archive-keyring, or name another keyring)", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyring+1))
	if err != nil {
		return nil, fmt.Errorf("reading keyring %s: %w", path, err)
	}
	if len(data) > maxKeyring {
		return nil, fmt.Errorf("keyring %s is larger than %d bytes: is it really a keyring?", path, maxKeyring)
	}
	return parseKeyring(path, data)
}

// parseKeyring reads binary or ASCII-armoured keys from data (read from path).
func parseKeyring(path string, data []byte) (openpgp.EntityList, error) {
	var keys openpgp.EntityList
	var err error
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("-----BEGIN PGP")) {
		keys, err = openpgp.ReadArmoredKeyRing(bytes.NewReader(data))
	} else {
		keys, err = openpgp.ReadKeyRing(bytes.NewReader(data))
	}
	if err != nil {
		return nil, fmt.Errorf("reading keyring %s: %w (is it an OpenPGP public keyring?)", path, err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("keyring %s holds no usable key", path)
	}
	return keys, nil
}

// VerifyClearsigned checks that data is exactly one clearsigned message
// (nothing but whitespace around it) signed by a key in keys, and returns
// the signed text and the signer's fingerprint. Key and signature expiry
// are judged at now; with allowExpired, a key or signature that has expired
// since is accepted if it was valid when the signature was made.
func VerifyClearsigned(data []byte, keys openpgp.EntityList, now time.Time, allowExpired bool) (text []byte, signer string, err error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if !bytes.HasPrefix(trimmed, []byte("-----BEGIN PGP SIGNED MESSAGE-----")) {
		return nil, "", fmt.Errorf("%w: not a clearsigned message", ErrBadSignature)
	}
	block, rest := clearsign.Decode(trimmed)
	if block == nil {
		return nil, "", fmt.Errorf("%w: malformed clearsigned message", ErrBadSignature)
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return nil, "", fmt.Errorf("%w: data after the signed message", ErrBadSignature)
	}
	check := func(at time.Time) (*packet.Signature, *openpgp.Entity, error) {
		cfg := &packet.Config{Time: func() time.Time { return at }}
		return openpgp.VerifyDetachedSignature(keys, bytes.NewReader(block.Bytes), block.ArmoredSignature.Body, cfg)
	}
	sig, entity, err := check(now)
	if allowExpired && sig != nil && (errors.Is(err, pgperrors.ErrKeyExpired) || errors.Is(err, pgperrors.ErrSignatureExpired)) {
		// Re-read the armoured signature: the body reader is consumed.
		block, _ = clearsign.Decode(trimmed)
		sig, entity, err = check(sig.CreationTime)
	}
	if err != nil {
		if errors.Is(err, pgperrors.ErrUnknownIssuer) {
			return nil, "", fmt.Errorf("%w: signed by a key that is not in the keyring", ErrBadSignature)
		}
		return nil, "", fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	return block.Plaintext, strings.ToUpper(fmt.Sprintf("%x", entity.PrimaryKey.Fingerprint)), nil
}
