package resolve_test

import (
	"fmt"
	"strings"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/resolve"
)

func ExampleResolve() {
	ix := debian.NewIndex("amd64", "bookworm")
	paras, _ := debian.ParseControl(strings.NewReader(`Package: curl
Version: 7.88.1-10+deb12u8
Architecture: amd64
Depends: libcurl4 (= 7.88.1-10+deb12u8), mawk | awk

Package: libcurl4
Version: 7.88.1-10+deb12u8
Architecture: amd64
Depends: libssl3 (>= 3.0.0)

Package: libssl3
Version: 3.0.15-1~deb12u1
Architecture: amd64

Package: gawk
Version: 1:5.2.1-2
Architecture: amd64
Provides: awk
`))
	for _, para := range paras {
		p, _ := debian.PackageFromParagraph(para)
		ix.Add(p)
	}
	res, err := resolve.Resolve(ix, resolve.Request{Packages: []string{"curl"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range res.Packages {
		fmt.Println(p.Name, p.Version)
	}
	steps, _ := res.Why("libssl3")
	fmt.Println(resolve.FormatChain(steps))
	// Output:
	// curl 7.88.1-10+deb12u8
	// gawk 1:5.2.1-2
	// libcurl4 7.88.1-10+deb12u8
	// libssl3 3.0.15-1~deb12u1
	// curl -> libcurl4 -> libssl3 (>= 3.0.0)
}
