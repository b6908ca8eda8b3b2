package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestTable(t *testing.T) {
	var b bytes.Buffer
	if err := Table(&b, sampleResult()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"# registry.example.com/web:1 sha256:abcd (debian-12)",
		"PRIORITY", "INSTALLED → FIXED", "LAYER/OWNER",
		"critical", "golang.org/x/net", "v0.7.0 → 0.7.0",
		"libssl3", "3.0.11-1~deb12u2 → 3.0.14-1~deb12u1", "os/platform", "listens on 8080",
		"not_affected", "(no fix)",
		"2 findings: 1 critical, 1 high; 1 not affected or fixed by VEX decision",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[2], "critical") || !strings.HasPrefix(lines[4], "not_affected") {
		t.Errorf("rows not ordered by priority, suppressed last:\n%s", out)
	}
}
