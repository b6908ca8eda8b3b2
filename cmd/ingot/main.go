// Command ingot builds, inventories, assays and patches golden container images.
// This package only wires commands; the work lives in the library packages.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRoot().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "ingot:", err)
		stop()
		os.Exit(1)
	}
}
