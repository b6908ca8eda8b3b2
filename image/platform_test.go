package image

import (
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestPlatformFor(t *testing.T) {
	tests := []struct{ deb, want string }{
		{"amd64", "linux/amd64"}, {"arm64", "linux/arm64/v8"}, {"armhf", "linux/arm/v7"},
		{"i386", "linux/386"}, {"ppc64el", "linux/ppc64le"}, {"s390x", "linux/s390x"}, {"riscv64", "linux/riscv64"},
	}
	for _, tt := range tests {
		t.Run(tt.deb, func(t *testing.T) {
			p, err := PlatformFor(tt.deb)
			if err != nil || p.String() != tt.want {
				t.Errorf("PlatformFor(%q) = %s, %v; want %s", tt.deb, p.String(), err, tt.want)
			}
		})
	}
	if _, err := PlatformFor("x86_64"); err == nil || !strings.Contains(err.Error(), `"x86_64"`) {
		t.Errorf("PlatformFor(x86_64) error = %v", err)
	}
}

func TestNormalizePlatform(t *testing.T) {
	tests := []struct {
		desc string
		in   v1.Platform
		want string
	}{
		{"empty OS is linux", v1.Platform{Architecture: "amd64"}, "linux/amd64"},
		{"arm64 gets v8", v1.Platform{OS: "linux", Architecture: "arm64"}, "linux/arm64/v8"},
		{"an arm64 variant stays", v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v9"}, "linux/arm64/v9"},
		{"arm has no default variant", v1.Platform{OS: "linux", Architecture: "arm"}, "linux/arm"},
		{"another OS stays", v1.Platform{OS: "windows", Architecture: "amd64"}, "windows/amd64"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if got := NormalizePlatform(tt.in).String(); got != tt.want {
				t.Errorf("NormalizePlatform(%+v) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}
