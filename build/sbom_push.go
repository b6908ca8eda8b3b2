package build

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ingot-dev/ingot/sbom"
)

// attachSBOMs attaches res.SBOMs to the pushed platform images as OCI 1.1
// referrers (sbom.Attach), with the same credentials as the push.
func attachSBOMs(ctx context.Context, res *Result, o *options) error {
	var nopts []name.Option
	if o.insecure {
		nopts = append(nopts, name.Insecure)
	}
	pushed, err := name.NewDigest(res.Pushed, nopts...)
	if err != nil {
		return fmt.Errorf("attaching the SBOMs: pushed reference %q: %w", res.Pushed, err)
	}
	for _, ir := range res.Images {
		var docs []sbom.Attachment
		for _, sf := range res.SBOMs {
			if sf.Arch != ir.Arch {
				continue
			}
			for _, f := range sbom.Formats {
				if f.Name == sf.Format {
					docs = append(docs, sbom.Attachment{ArtifactType: f.ArtifactType, Data: sf.Data, Filename: "sbom" + f.Suffix})
				}
			}
		}
		ref := pushed.Context().Digest(ir.Digest)
		if err := sbom.Attach(ctx, ref, docs, remote.WithAuthFromKeychain(authn.DefaultKeychain)); err != nil {
			return fmt.Errorf("attaching the SBOMs of the %s image (run `ingot sbom attach` to retry): %w", ir.Arch, err)
		}
	}
	return nil
}
