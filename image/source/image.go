package source

import (
	"context"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Image opens ref and returns its image for platform p (nil: DefaultPlatform).
// When ref names an index, the image is chosen from it and the error lists the
// platforms available if none fits. When ref names a single image, an
// explicitly requested p must match the image's configured platform.
func Image(ctx context.Context, ref string, p *v1.Platform, opts ...Option) (v1.Image, error) {
	o := makeOptions(opts)
	n, err := open(ctx, ref, o)
	if err != nil {
		return nil, err
	}
	if n.idx != nil {
		want := DefaultPlatform()
		if p != nil {
			want = *p
		}
		return selectImage(n.idx, want, ref)
	}
	if p != nil {
		cf, err := n.img.ConfigFile()
		if err != nil {
			return nil, fmt.Errorf("reading the config of %s: %w", ref, err)
		}
		if have := cf.Platform(); have != nil && have.Architecture != "" && !matches(*have, *p) {
			return nil, fmt.Errorf("%s is a single %s image, not %s; available platforms: %s", ref, platformString(*have), platformString(*p), platformString(*have))
		}
	}
	return n.img, nil
}
