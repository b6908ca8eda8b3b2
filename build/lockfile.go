package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"

	"github.com/ingot-dev/ingot/build/spec"
	"github.com/ingot-dev/ingot/debian/fetch"
	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/debian/repo"
)

// LockRequest is what the spec asks the lock to resolve from src.
func LockRequest(s *spec.Spec, src repo.Source) lock.Request {
	return lock.Request{
		Packages:      s.Packages(),
		Architectures: s.Architectures,
		Suites:        src.Suites,
		Components:    src.ComponentList(),
	}
}

// loadLock returns the lock at path if it was generated for req. Otherwise
// (missing, or generated from another request) it generates one from the
// repository, writes it to path and reports written. A valid lock for req
// costs no network access at all.
func loadLock(ctx context.Context, path string, req lock.Request, src repo.Source, cache *fetch.Cache, o *options) (l *lock.Lock, written bool, err error) {
	l, err = lock.ReadFile(path)
	switch {
	case err == nil && !l.Stale(req):
		o.log.Debug("lock is up to date", "lockfile", path)
		return l, false, nil
	case err == nil:
		o.log.Info("lock was made for another request: regenerating it", "lockfile", path)
	case errors.Is(err, fs.ErrNotExist):
		o.log.Info("no lock yet: resolving the packages", "lockfile", path)
	default:
		return nil, false, err
	}
	client := repo.New(cache, append([]repo.Option{repo.WithLogger(o.log)}, o.repoOpts...)...)
	l, err = lock.Generate(ctx, client, src, req)
	if err != nil {
		return nil, false, fmt.Errorf("locking the spec's packages: %w", err)
	}
	if err := l.WriteFile(path); err != nil {
		return nil, false, fmt.Errorf("writing the lock: %w", err)
	}
	return l, true, nil
}

// lockDigest is the digest of the lock's canonical bytes (what WriteFile
// writes), so the same lock has the same digest wherever it is stored.
func lockDigest(l *lock.Lock) (string, error) {
	b, err := l.Marshal()
	if err != nil {
		return "", fmt.Errorf("encoding the lock: %w", err)
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// checkLockArchs reports an architecture to build that the lock lacks.
func checkLockArchs(l *lock.Lock, path string, archs []string) error {
	for _, a := range archs {
		found := false
		for _, la := range l.Architectures {
			found = found || la.Name == a
		}
		if !found {
			return fmt.Errorf("lock %s has no packages for %s: add it to the spec's architectures and rebuild, or run `ingot lock --update`", path, a)
		}
	}
	return nil
}
