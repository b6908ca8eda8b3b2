package lock

import (
	"testing"

	"github.com/ingot-dev/ingot/debian/fetch"
)

func TestInputsDigest(t *testing.T) {
	base := Request{Packages: []string{"curl", "libc6"}, Architectures: []string{"amd64", "arm64"}, Suites: []string{"bookworm", "bookworm-security"}, Components: []string{"main"}}
	d := InputsDigest(base)
	tests := []struct {
		desc string
		req  Request
		same bool
	}{
		{"same", base, true},
		{"packages reordered and repeated", Request{Packages: []string{"libc6", "curl", "curl"}, Architectures: []string{"arm64", "amd64"}, Suites: base.Suites, Components: base.Components}, true},
		{"another package", Request{Packages: []string{"curl"}, Architectures: base.Architectures, Suites: base.Suites, Components: base.Components}, false},
		{"another arch", Request{Packages: base.Packages, Architectures: []string{"amd64"}, Suites: base.Suites, Components: base.Components}, false},
		{"another suite", Request{Packages: base.Packages, Architectures: base.Architectures, Suites: []string{"trixie"}, Components: base.Components}, false},
		{"recommends", Request{Packages: base.Packages, Architectures: base.Architectures, Suites: base.Suites, Components: base.Components, Recommends: true}, false},
		{"essential", Request{Packages: base.Packages, Architectures: base.Architectures, Suites: base.Suites, Components: base.Components, Essential: true}, false},
		{"name boundary", Request{Packages: []string{"curllibc6"}, Architectures: base.Architectures, Suites: base.Suites, Components: base.Components}, false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if got := InputsDigest(tt.req) == d; got != tt.same {
				t.Errorf("digest equal = %v, want %v", got, tt.same)
			}
		})
	}
	if !fetch.ValidSHA256(d) {
		t.Errorf("digest %q is not hex SHA256", d)
	}
}
