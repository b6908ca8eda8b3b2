package scan

import (
	"context"
	"log/slog"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/exposure"
	"github.com/ingot-dev/ingot/vuln/priority"
)

// defaultPrioritizer applies vuln/priority's rules with the exposure of
// img's entrypoint. An image whose exposure cannot be analysed is
// prioritised without it (and the reason logged): a scan is worth more with
// priorities that ignore exposure than with none.
func defaultPrioritizer(log *slog.Logger) Prioritizer {
	return func(ctx context.Context, img v1.Image, doc *sbom.Document, fs []vuln.Finding) ([]vuln.Finding, error) {
		var exp *exposure.Report
		if img != nil {
			var err error
			if exp, err = exposure.Analyze(ctx, img, exposure.WithLogger(log)); err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				log.WarnContext(ctx, "prioritising without exposure: the entrypoint could not be analysed",
					"image", doc.Image.Name, "error", err)
				exp = nil
			}
		}
		return priority.Assign(fs, exp), nil
	}
}
