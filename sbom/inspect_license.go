package sbom

import "slices"

// spdxLicenses maps the licences a package declares (npm "license", Python
// License-Expression or License) to SPDX expressions with MapLicense,
// dropping empty ones and duplicates.
func spdxLicenses(declared ...string) []string {
	var out []string
	for _, d := range declared {
		e := MapLicense(d)
		if e == "" || slices.Contains(out, e) {
			continue
		}
		out = append(out, e)
	}
	return out
}
