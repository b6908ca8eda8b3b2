package resolve

import (
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian"
)

// universe builds an amd64 index from Packages-style control text. A
// "Suite:" field sets the record's suite (bookworm by default).
func universe(t testing.TB, text string) *debian.Index {
	t.Helper()
	ix := debian.NewIndex("amd64", "bookworm", "bookworm-updates", "bookworm-security")
	paras, err := debian.ParseControl(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parsing test universe: %v", err)
	}
	for _, para := range paras {
		p, err := debian.PackageFromParagraph(para)
		if err != nil {
			t.Fatalf("test universe: %v", err)
		}
		if p.Architecture == "" {
			p.Architecture = "amd64"
		}
		p.Suite = para.Get("Suite")
		if p.Suite == "" {
			p.Suite = "bookworm"
		}
		ix.Add(p)
	}
	return ix
}

// names renders a result as sorted "name=version" items.
func names(r *Result) string {
	var out []string
	for _, p := range r.Packages {
		out = append(out, p.Name+"="+p.Version.String())
	}
	return strings.Join(out, " ")
}
