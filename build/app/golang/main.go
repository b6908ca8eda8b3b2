package golang

import (
	"errors"
	"fmt"
	"go/build"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// selectMain returns the main package to build, as a "./"-relative
// package path: want when given (checked), else the module root if it is
// a main package, else the single main package under ./cmd.
func selectMain(dir string, mod module, want string) (string, error) {
	if want != "" {
		rel := path.Clean(filepath.ToSlash(want))
		if path.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, "../") {
			return "", fmt.Errorf("main package %q: give a directory inside the module, like ./cmd/server", want)
		}
		ok, err := isMain(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return "", fmt.Errorf("main package %q: %w", want, err)
		}
		if !ok {
			return "", fmt.Errorf("main package %q is not a main package (no package main there): list main packages with `go list -f '{{if eq .Name \"main\"}}{{.ImportPath}}{{end}}' ./...`", want)
		}
		return dotSlash(rel), nil
	}
	if ok, _ := isMain(dir); ok {
		return ".", nil
	}
	var cands []string
	cmd := filepath.Join(dir, "cmd")
	err := filepath.WalkDir(cmd, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == cmd && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if n := d.Name(); p != cmd && (n == "testdata" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_")) {
			return fs.SkipDir
		}
		if ok, _ := isMain(p); ok {
			rel, _ := filepath.Rel(dir, p)
			cands = append(cands, dotSlash(filepath.ToSlash(rel)))
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("looking for main packages under %s: %w", cmd, err)
	}
	slices.Sort(cands)
	switch len(cands) {
	case 1:
		return cands[0], nil
	case 0:
		return "", fmt.Errorf("module %s in %s has no main package at its root nor under ./cmd: add one, or pass the main package's directory with --main", mod.path, dir)
	}
	return "", fmt.Errorf("module %s has %d main packages under ./cmd (%s): choose one with --main %s", mod.path, len(cands), strings.Join(cands, ", "), cands[0])
}

// isMain reports whether dir holds a Go package named main for linux.
func isMain(dir string) (bool, error) {
	ctx := build.Default
	ctx.GOOS, ctx.CgoEnabled = "linux", false
	pkg, err := ctx.ImportDir(dir, 0)
	var noGo *build.NoGoError
	if errors.As(err, &noGo) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return pkg.Name == "main" && len(pkg.GoFiles) > 0, nil
}

// binaryName is the name of the binary for pkg: its last path element, or
// for the module root the module path's (skipping a /vN major version).
func binaryName(pkg, modPath string) string {
	p := pkg
	if pkg == "." {
		p = modPath
	}
	elems := strings.Split(strings.Trim(p, "/"), "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && isMajor(name) {
		name = elems[len(elems)-2]
	}
	if name == "" || name == "." || name == ".." {
		return "app"
	}
	return name
}

func isMajor(s string) bool {
	if len(s) < 2 || s[0] != 'v' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func dotSlash(rel string) string {
	if rel == "." {
		return "."
	}
	return "./" + rel
}
