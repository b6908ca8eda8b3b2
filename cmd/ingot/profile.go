package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// envCPUProfile names a file ingot writes a CPU profile of the whole run to
// (`go tool pprof`), for measuring where a benchmark's time goes.
const envCPUProfile = "INGOT_CPUPROFILE"

// startProfile starts the CPU profile INGOT_CPUPROFILE asks for and returns
// the function that stops and writes it; a no-op without it.
func startProfile() (stop func()) {
	path := os.Getenv(envCPUProfile)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ingot: %s: %v (no profile written)\n", envCPUProfile, err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		fmt.Fprintf(os.Stderr, "ingot: %s: %v (no profile written)\n", envCPUProfile, err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "ingot: writing the CPU profile %s: %v\n", path, err)
		}
	}
}
