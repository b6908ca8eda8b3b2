package lock

import (
	"testing"
)

func TestItems(t *testing.T) {
	l := sample(t)
	mirrors := map[string]string{"bookworm-security": "http://security.test/debian-security/"}
	items := l.Items(func(suite string) string {
		if m, ok := mirrors[suite]; ok {
			return m
		}
		return "http://mirror.test/debian"
	}, "amd64")
	if len(items) != 4 {
		t.Fatalf("%d items, want 4", len(items))
	}
	tests := []struct {
		desc string
		i    int
		url  string
	}{
		{"main mirror", 0, "http://mirror.test/debian/pool/main/b/base-files/base-files_12.4+deb12u11_amd64.deb"},
		{"security mirror, trailing slash trimmed", 2, "http://security.test/debian-security/pool/main/l/libssl3/libssl3_3.0.17-1~deb12u2_amd64.deb"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			it, p := items[tt.i], l.Architectures[0].Packages[tt.i]
			if it.URL != tt.url || it.SHA256 != p.SHA256 || it.Size != p.Size {
				t.Errorf("item = %+v", it)
			}
		})
	}
	if items[0].Name != "base-files 12.4+deb12u11 (amd64)" {
		t.Errorf("name = %q", items[0].Name)
	}
	if got := l.Items(func(string) string { return "" }, "s390x"); len(got) != 0 {
		t.Errorf("unknown arch gave %d items", len(got))
	}
}
