package source

import (
	"fmt"
	"runtime"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// DefaultPlatform is the platform chosen when none is asked for: linux on the
// host's architecture.
func DefaultPlatform() v1.Platform {
	return v1.Platform{OS: "linux", Architecture: runtime.GOARCH}
}

// ParsePlatform parses "os/arch[/variant]" ("linux/arm64", "linux/arm/v7").
// An empty string gives DefaultPlatform.
func ParsePlatform(s string) (v1.Platform, error) {
	if s == "" {
		return DefaultPlatform(), nil
	}
	p, err := v1.ParsePlatform(s)
	if err != nil || p.OS == "" || p.Architecture == "" {
		return v1.Platform{}, fmt.Errorf("parsing platform %q: want os/arch[/variant], e.g. linux/amd64 or linux/arm64", s)
	}
	return *p, nil
}

// matches reports whether have satisfies want. An empty variant in want
// accepts any variant; arm64's variant v8 is the same as none.
func matches(have, want v1.Platform) bool {
	if have.OS != want.OS || have.Architecture != want.Architecture {
		return false
	}
	if want.Variant == "" {
		return true
	}
	norm := func(p v1.Platform) string {
		if p.Architecture == "arm64" && p.Variant == "v8" {
			return ""
		}
		return p.Variant
	}
	return norm(have) == norm(want)
}

func platformString(p v1.Platform) string {
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// selectImage picks the image for want from idx, descending into nested
// indexes. Manifests without a usable platform (attestations are
// "unknown/unknown") are never chosen.
func selectImage(idx v1.ImageIndex, want v1.Platform, ref string) (v1.Image, error) {
	var seen []string
	img, err := selectIn(idx, want, &seen, 0)
	if err != nil {
		return nil, fmt.Errorf("choosing the %s image in %s: %w", platformString(want), ref, err)
	}
	if img != nil {
		return img, nil
	}
	sort.Strings(seen)
	avail := "none"
	if len(seen) > 0 {
		avail = strings.Join(seen, ", ")
	}
	return nil, fmt.Errorf("%s has no image for %s; available platforms: %s (choose one with --platform)", ref, platformString(want), avail)
}

func selectIn(idx v1.ImageIndex, want v1.Platform, seen *[]string, depth int) (v1.Image, error) {
	if depth > 4 {
		return nil, fmt.Errorf("indexes nested deeper than %d levels", depth)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, err
	}
	for _, d := range im.Manifests {
		switch {
		case d.MediaType.IsIndex():
			ci, err := idx.ImageIndex(d.Digest)
			if err != nil {
				return nil, err
			}
			if img, err := selectIn(ci, want, seen, depth+1); img != nil || err != nil {
				return img, err
			}
		case d.MediaType.IsImage():
			p := d.Platform
			var img v1.Image
			if p == nil {
				if img, err = idx.Image(d.Digest); err != nil {
					return nil, err
				}
				cf, err := img.ConfigFile()
				if err != nil {
					return nil, fmt.Errorf("reading config of %s: %w", d.Digest, err)
				}
				cp := cf.Platform()
				if cp == nil {
					continue
				}
				p = cp
			}
			if p.OS == "unknown" || p.Architecture == "unknown" {
				continue
			}
			*seen = append(*seen, platformString(*p))
			if !matches(*p, want) {
				continue
			}
			if img == nil {
				if img, err = idx.Image(d.Digest); err != nil {
					return nil, err
				}
			}
			return img, nil
		}
	}
	return nil, nil
}
