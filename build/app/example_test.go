package app_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/build/app/golang"
)

func ExampleRegistry_Detect() {
	dir, _ := os.MkdirTemp("", "ingot-example-")
	defer os.RemoveAll(dir)
	kinds := app.Registry{golang.New()}

	_, err := kinds.Detect(dir)
	fmt.Println(errors.Is(err, app.ErrNoApp))

	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/web\n"), 0o644)
	b, _ := kinds.Detect(dir)
	fmt.Println(b.Name())
	// Output:
	// true
	// go
}
