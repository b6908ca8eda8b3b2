package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestStartProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	t.Setenv(envCPUProfile, path)
	stop := startProfile()
	stop()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("%s=%s wrote no profile: %v", envCPUProfile, path, err)
	}
	if fi.Size() == 0 {
		t.Errorf("the profile %s is empty", path)
	}

	t.Setenv(envCPUProfile, filepath.Join(t.TempDir(), "missing", "cpu.prof"))
	startProfile()() // an unwritable path is reported, not fatal
}
