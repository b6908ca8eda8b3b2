package layer_test

import (
	"archive/tar"
	"fmt"
	"time"

	"github.com/ingot-dev/ingot/image/layer"
)

func ExampleBuilder() {
	b := layer.NewBuilder(layer.WithEpoch(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)))
	if err := b.Add("merged-/usr", layer.MergedUsrLinks("arm64")...); err != nil {
		fmt.Println(err)
		return
	}
	err := b.Add("hello", layer.Entry{Path: "bin/hello", Type: tar.TypeReg, Mode: 0o755, Body: []byte("#!/bin/sh\necho hello\n")})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = b.Add("other", layer.Entry{Path: "usr/bin/hello", Type: tar.TypeReg, Mode: 0o755, Body: []byte("different")})
	fmt.Println(err)
	for _, e := range b.Entries() {
		if e.Linkname != "" {
			fmt.Println(e.Path, "->", e.Linkname)
			continue
		}
		fmt.Println(e.Path)
	}
	// Output:
	// adding other to the layer: hello and other both provide /usr/bin/hello: different content; remove one of them from the layer or put them in different layers
	// bin -> usr/bin
	// lib -> usr/lib
	// sbin -> usr/sbin
	// usr
	// usr/bin
	// usr/bin/hello
	// usr/lib
	// usr/sbin
}
