package lock_test

import (
	"fmt"

	"github.com/ingot-dev/ingot/debian/lock"
)

func ExampleDiff() {
	old, err := lock.ReadFile("testdata/sample.lock")
	if err != nil {
		panic(err)
	}
	new := old.Sorted()
	new.Architectures[0].Packages[2].Version = "3.0.18-1~deb12u1"
	for _, c := range lock.Diff(old, new) {
		fmt.Println(c)
	}
	// Output: libssl3 (amd64): 3.0.17-1~deb12u2 -> 3.0.18-1~deb12u1
}

func ExampleLock_Items() {
	l, err := lock.ReadFile("testdata/sample.lock")
	if err != nil {
		panic(err)
	}
	// A build passes its source's MirrorFor (repo.Source.MirrorFor).
	mirror := func(suite string) string { return "http://mirror.example/debian" }
	it := l.Items(mirror, "arm64")[3]
	fmt.Println(it.Name)
	fmt.Println(it.URL)
	// Output:
	// perl-base 5.36.0-7+deb12u2 (arm64)
	// http://mirror.example/debian/pool/main/p/perl/perl-base_5.36.0-7+deb12u2_arm64.deb
}
