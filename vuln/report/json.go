package report

import (
	"encoding/json"
	"io"
)

// JSON writes v as indented JSON with a final newline, without escaping
// "<", ">" and "&" (purls and reasons hold them).
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
