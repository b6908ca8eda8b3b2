package image

import (
	"strings"
	"testing"
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
