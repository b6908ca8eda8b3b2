package app

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNoApp is matched (errors.Is) by every *NoAppError.
var ErrNoApp = errors.New("no recognised application")

// NoAppError says that no builder recognised a directory, and what they
// looked for.
type NoAppError struct {
	Dir       string
	LookedFor []string // one hint per builder, in detection order
}

func (e *NoAppError) Error() string {
	looked := "nothing"
	if len(e.LookedFor) > 0 {
		looked = strings.Join(e.LookedFor, "; ")
	}
	return fmt.Sprintf("no recognised application in %s: looked for %s. "+
		"To package any other directory, give the command to run: --cmd '/app/start.sh' (the directory is copied to /app)",
		e.Dir, looked)
}

// Is makes errors.Is(err, ErrNoApp) true.
func (e *NoAppError) Is(target error) bool { return target == ErrNoApp }

// Registry is a list of builders in detection order: the first whose Detect
// says yes builds the application.
type Registry []Builder

// Detect returns the first builder of r that recognises dir, or a
// *NoAppError listing what the builders looked for.
func (r Registry) Detect(dir string) (Builder, error) {
	var hints []string
	for _, b := range r {
		ok, err := b.Detect(dir)
		if err != nil {
			return nil, fmt.Errorf("detecting a %s application in %s: %w", b.Name(), dir, err)
		}
		if ok {
			return b, nil
		}
		if h, ok := b.(Hinter); ok {
			hints = append(hints, h.Hint())
		} else {
			hints = append(hints, b.Name())
		}
	}
	return nil, &NoAppError{Dir: dir, LookedFor: hints}
}

// Lookup returns the builder of r named name, or nil.
func (r Registry) Lookup(name string) Builder {
	for _, b := range r {
		if b.Name() == name {
			return b
		}
	}
	return nil
}
