package rebase

import (
	"encoding/json"
	"fmt"
	"strings"
)

// encode returns compact JSON of v in struct field order, without HTML
// escaping, as package image writes lineage.
func encode(v any) string {
	var b strings.Builder
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		panic(fmt.Sprintf("rebase: encoding %T: %v", v, err)) // plain structs of strings cannot fail
	}
	return strings.TrimSuffix(b.String(), "\n")
}
