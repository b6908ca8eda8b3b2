package version_test

import (
	"fmt"

	"github.com/ingot-dev/ingot/vuln/version"
)

func ExampleAffected() {
	// GO-2023-2102's range for the standard library.
	events := []version.Event{{Introduced: "0"}, {Fixed: "1.20.10"}, {Introduced: "1.21.0-0"}, {Fixed: "1.21.3"}}
	for _, s := range []string{"1.20.9", "1.20.10", "1.21.2"} {
		v, _ := version.Semver.Parse(s)
		affected, fixed, _ := version.Affected(version.Semver, v, events)
		fmt.Printf("%s affected=%v fixed=%q\n", s, affected, fixed)
	}
	// Output:
	// 1.20.9 affected=true fixed="1.20.10"
	// 1.20.10 affected=false fixed=""
	// 1.21.2 affected=true fixed="1.21.3"
}
