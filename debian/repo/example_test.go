package repo_test

import (
	"fmt"

	"github.com/ingot-dev/ingot/debian/repo"
)

func ExampleParseRelease() {
	// Only ever parse text whose signature was verified: Client.Release
	// verifies InRelease first and then calls ParseRelease.
	rel, err := repo.ParseRelease([]byte(`Origin: Debian
Suite: stable-security
Codename: bookworm-security
Date: Thu, 20 Nov 2025 02:11:10 UTC
Valid-Until: Thu, 27 Nov 2025 02:11:10 UTC
Architectures: amd64 arm64
Components: updates/main
SHA256:
 d3a45860a3f001b55d20eb371c8ed4095115c4bf77666c2847bb3c9d0bb46986   376904 main/binary-amd64/Packages.xz
`))
	if err != nil {
		panic(err)
	}
	fmt.Println(rel.Codename, rel.Date.Unix(), rel.HasComponent("main"))
	fmt.Println(rel.Files["main/binary-amd64/Packages.xz"].Size)
	// Output:
	// bookworm-security 1763604670 true
	// 376904
}

func ExampleSource_MirrorFor() {
	src := repo.Source{
		Mirror:         "http://mirror.example/debian",
		SecurityMirror: "http://mirror.example/debian-security/",
		Suites:         []string{"bookworm", "bookworm-updates", "bookworm-security"},
	}
	for _, s := range src.Suites {
		fmt.Println(s, src.MirrorFor(s))
	}
	// Output:
	// bookworm http://mirror.example/debian
	// bookworm-updates http://mirror.example/debian
	// bookworm-security http://mirror.example/debian-security
}
