package image

import (
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// debianPlatforms maps Debian architecture names to OCI platforms.
var debianPlatforms = map[string]v1.Platform{
	"amd64":   {OS: "linux", Architecture: "amd64"},
	"arm64":   {OS: "linux", Architecture: "arm64", Variant: "v8"},
	"armhf":   {OS: "linux", Architecture: "arm", Variant: "v7"},
	"armel":   {OS: "linux", Architecture: "arm", Variant: "v5"},
	"i386":    {OS: "linux", Architecture: "386"},
	"ppc64el": {OS: "linux", Architecture: "ppc64le"},
	"s390x":   {OS: "linux", Architecture: "s390x"},
	"riscv64": {OS: "linux", Architecture: "riscv64"},
}

// PlatformFor returns the OCI platform of a Debian architecture name
// ("armhf" is linux/arm/v7, "i386" is linux/386, "ppc64el" is linux/ppc64le).
func PlatformFor(debArch string) (v1.Platform, error) {
	p, ok := debianPlatforms[debArch]
	if !ok {
		return v1.Platform{}, fmt.Errorf("no OCI platform for Debian architecture %q: use one of amd64, arm64, armhf, armel, i386, ppc64el, s390x, riscv64", debArch)
	}
	return p, nil
}

// NormalizePlatform returns p with what OCI expects for the platforms ingot
// builds filled in: OS "linux" when empty, variant "v8" for arm64.
func NormalizePlatform(p v1.Platform) v1.Platform {
	if p.OS == "" {
		p.OS = "linux"
	}
	if p.Architecture == "arm64" && p.Variant == "" {
		p.Variant = "v8"
	}
	return p
}
