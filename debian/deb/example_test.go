package deb_test

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/ingot-dev/ingot/debian/deb"
	"github.com/ingot-dev/ingot/internal/debtest"
)

func ExampleRead() {
	raw := debtest.BuildDeb(debtest.Deb{Name: "hello", Version: "1.0", Files: []debtest.File{
		{Path: "./usr/bin/hello", Mode: 0o755, Body: []byte("#!/bin/sh\necho hello\n")},
	}})
	a, err := deb.Read(bytes.NewReader(raw))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Control.Get("Package"), a.Control.Get("Version"))
	for _, e := range a.Entries {
		if e.Path == "usr/bin/hello" {
			fmt.Printf("%s %o %d bytes\n", e.Path, e.Mode, len(e.Body))
		}
	}

	evil := debtest.BuildDeb(debtest.Deb{Name: "evil", Version: "1", DataCompression: "none",
		RawData: debtest.TarBytes([]debtest.File{{Path: "../etc/passwd", Body: []byte("x")}})})
	_, err = deb.Read(bytes.NewReader(evil))
	var ue *deb.UnsafePathError
	fmt.Println(errors.As(err, &ue), ue.Package, ue.Path)
	// Output:
	// hello 1.0
	// usr/bin/hello 755 21 bytes
	// true evil ../etc/passwd
}
