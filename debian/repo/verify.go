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
	"github.com/ProtonMail/go-crypto/openpgp/armor"
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
	block, rest := decodeClearsigned(trimmed)
	if block == nil {
		return nil, "", fmt.Errorf("%w: malformed clearsigned message", ErrBadSignature)
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return nil, "", fmt.Errorf("%w: data after the signed message", ErrBadSignature)
	}
	sig := func() io.Reader { b, _ := decodeClearsigned(trimmed); return b.ArmoredSignature.Body }
	signer, err = verifyDetached(block.Bytes, sig, keys, now, allowExpired)
	if err != nil {
		return nil, "", err
	}
	return block.Plaintext, signer, nil
}

// decodeClearsigned is clearsign.Decode, which panics on some malformed
// input (an empty message before the signature, go-crypto v1.3.0); a panic
// counts as no message.
func decodeClearsigned(data []byte) (b *clearsign.Block, rest []byte) {
	defer func() {
		if recover() != nil {
			b, rest = nil, data
		}
	}()
	b, rest = clearsign.Decode(data)
	if b != nil && b.ArmoredSignature == nil {
		return nil, data
	}
	return b, rest
}

// VerifyDetached checks an ASCII-armoured or binary detached signature
// (Release.gpg) of text, with the same rules as VerifyClearsigned, and
// returns the signer's fingerprint.
func VerifyDetached(text, signature []byte, keys openpgp.EntityList, now time.Time, allowExpired bool) (string, error) {
	sig := func() io.Reader { return bytes.NewReader(signature) }
	if bytes.HasPrefix(bytes.TrimSpace(signature), []byte("-----BEGIN PGP SIGNATURE-----")) {
		if _, err := armor.Decode(bytes.NewReader(signature)); err != nil {
			return "", fmt.Errorf("%w: malformed armoured signature: %w", ErrBadSignature, err)
		}
		sig = func() io.Reader { b, _ := armor.Decode(bytes.NewReader(signature)); return b.Body }
	}
	return verifyDetached(text, sig, keys, now, allowExpired)
}

// verifyDetached checks the signature that sig returns (a fresh reader on
// each call) over signed.
func verifyDetached(signed []byte, sig func() io.Reader, keys openpgp.EntityList, now time.Time, allowExpired bool) (signer string, err error) {
	defer func() {
		// go-crypto has panicked on hostile input before (see decodeClearsigned).
		if r := recover(); r != nil {
			signer, err = "", fmt.Errorf("%w: unreadable signature (%v)", ErrBadSignature, r)
		}
	}()
	check := func(at time.Time) (*packet.Signature, *openpgp.Entity, error) {
		cfg := &packet.Config{Time: func() time.Time { return at }}
		return openpgp.VerifyDetachedSignature(keys, bytes.NewReader(signed), sig(), cfg)
	}
	s, entity, err := check(now)
	if allowExpired && s != nil && (errors.Is(err, pgperrors.ErrKeyExpired) || errors.Is(err, pgperrors.ErrSignatureExpired)) {
		s, entity, err = check(s.CreationTime)
	}
	if err != nil {
		if errors.Is(err, pgperrors.ErrUnknownIssuer) {
			return "", fmt.Errorf("%w: signed by a key that is not in the keyring", ErrBadSignature)
		}
		return "", fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	return strings.ToUpper(fmt.Sprintf("%x", entity.PrimaryKey.Fingerprint)), nil
}
