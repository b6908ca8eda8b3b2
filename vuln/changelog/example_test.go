package changelog_test

import (
	"fmt"
	"strings"

	"github.com/ingot-dev/ingot/vuln/changelog"
)

func ExampleParse() {
	text := `openssl (3.0.15-1~deb12u1) bookworm-security; urgency=medium

  * Import 3.0.15 (CVE-2024-5535, CVE-2024-6119).

 -- Sebastian Andrzej Siewior <sebastian@breakpoint.cc>  Mon, 09 Sep 2024 21:53:48 +0200
`
	entries, err := changelog.Parse(strings.NewReader(text))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range entries {
		fmt.Println(e.Version, e.Distributions, e.Urgency, changelog.CVEs(e.Changes))
	}
	// Output: 3.0.15-1~deb12u1 [bookworm-security] medium [CVE-2024-5535 CVE-2024-6119]
}
