package sbom

import "strings"

//go:generate go run ./internal/spdxgen testdata/schema/spdx.SNAPSHOT.schema.json spdxlist.go

// spdxIDs are the SPDX licence and exception identifiers by lower-case
// form: copyright files often write them as they are, in any case.
var spdxIDs = func() map[string]string {
	m := make(map[string]string, len(spdxList))
	for _, id := range spdxList {
		m[strings.ToLower(id)] = id
	}
	return m
}()
