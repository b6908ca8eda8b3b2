package update

import (
	"context"
	"fmt"

	"github.com/ingot-dev/ingot/build"
	"github.com/ingot-dev/ingot/build/spec"
)

// Rebuild writes u's new lock (unless it is up to date) and builds and pushes
// the base from it with build.Golden, to tag ("" means the spec's name, tag
// latest). opts are the build's (WithInsecure, WithLogger, ...). The lock is
// written first and atomically, so an interrupted rebuild is rerun as a
// plain build of the new lock.
func Rebuild(ctx context.Context, s *spec.Spec, u *LockUpdate, tag string, opts ...build.Option) (*build.Result, error) {
	if u.New == nil {
		return nil, fmt.Errorf("rebuilding %s: no refreshed lock (run Refresh first)", s.File)
	}
	if !u.UpToDate {
		if err := u.New.WriteFile(u.Lockfile); err != nil {
			return nil, fmt.Errorf("writing the refreshed lock of %s: %w (check that the directory is writable)", s.File, err)
		}
	}
	bo := append([]build.Option{build.WithLockfile(u.Lockfile), build.WithPush()}, opts...)
	if tag != "" {
		bo = append(bo, build.WithTag(tag))
	}
	res, err := build.Golden(ctx, s, bo...)
	if err != nil {
		return nil, fmt.Errorf("rebuilding %s from the refreshed lock %s: %w", s.File, u.Lockfile, err)
	}
	return res, nil
}
