// Command ingot builds, inventories, assays and patches golden container images.
// This package only wires commands; the work lives in the library packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := startProfile()
	err := newRoot().ExecuteContext(ctx)
	stop()
	stopProfile()
	if err == nil {
		return
	}
	// A command that ran something (a container) exits with its status.
	var ec interface{ ExitCode() int }
	if errors.As(err, &ec) {
		os.Exit(ec.ExitCode())
	}
	fmt.Fprintln(os.Stderr, "ingot:", err)
	os.Exit(1)
}
