package lock

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
)

// InputsDigest is the SHA256 of a canonical form of req: package names,
// architectures and components sorted and deduplicated (their order does not
// change the result), suites in their given order, and the two flags.
func InputsDigest(req Request) string {
	canon := struct {
		V             int      `json:"v"`
		Packages      []string `json:"packages"`
		Architectures []string `json:"architectures"`
		Suites        []string `json:"suites"`
		Components    []string `json:"components"`
		Recommends    bool     `json:"recommends"`
		Essential     bool     `json:"essential"`
	}{
		V:             FormatVersion,
		Packages:      sortedSet(req.Packages),
		Architectures: sortedSet(req.Architectures),
		Suites:        nonNil(req.Suites),
		Components:    sortedSet(req.Components),
		Recommends:    req.Recommends,
		Essential:     req.Essential,
	}
	b, _ := json.Marshal(canon) // cannot fail: strings and bools only
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func sortedSet(s []string) []string {
	return nonNil(slices.Compact(slices.Sorted(slices.Values(s))))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
