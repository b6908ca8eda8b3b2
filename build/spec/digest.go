package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Digest returns "sha256:<hex>" of the spec's canonical encoding: JSON of
// the defaulted spec with fields in declaration order and map keys sorted.
// Comments, formatting, key order and defaults written out explicitly do not
// change it; the content of added files does not enter it (it is in the
// layers). It is recorded in every image as dev.ingot.spec.digest.
func (s *Spec) Digest() string {
	b, err := json.Marshal(s)
	if err != nil {
		panic("spec: encoding for digest: " + err.Error()) // strings, ints and bools cannot fail
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
