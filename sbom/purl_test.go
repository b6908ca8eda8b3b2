package sbom

import "testing"

func TestPURLs(t *testing.T) {
	tests := []struct{ desc, got, want string }{
		{"deb with upstream", DebPURL("libssl3", "3.0.15-1~deb12u1", "amd64", "debian-12", "openssl"),
			"pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12&upstream=openssl"},
		{"deb epoch and plus", DebPURL("libcap2", "1:2.66-4+b1", "arm64", "debian-12", "libcap2"),
			"pkg:deb/debian/libcap2@1%3A2.66-4%2Bb1?arch=arm64&distro=debian-12"},
		{"go module", GoPURL("golang.org/x/net", "v0.17.0"), "pkg:golang/golang.org/x/net@v0.17.0"},
		{"go incompatible", GoPURL("github.com/a/b", "v2.0.0+incompatible"), "pkg:golang/github.com/a/b@v2.0.0%2Bincompatible"},
		{"npm scoped", NpmPURL("@babel/core", "7.24.0"), "pkg:npm/%40babel/core@7.24.0"},
		{"npm plain", NpmPURL("express", "4.19.2"), "pkg:npm/express@4.19.2"},
		{"pypi normalised", PyPIPURL("Django_Rest.Framework", "3.15.1"), "pkg:pypi/django-rest-framework@3.15.1"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got  %s\nwant %s", tt.got, tt.want)
			}
		})
	}
}
