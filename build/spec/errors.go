package spec

import (
	"fmt"
	"slices"
	"strings"
)

// Error is one problem in a spec, with where it was found.
type Error struct {
	File   string // "ingot.yaml"
	Line   int    // 1-based; 0 when unknown (a spec built in Go)
	Column int
	Path   string // field path: "layers[1].owner.team"; empty for syntax errors
	Msg    string // "is required: who is woken up when this layer is vulnerable"
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path + " ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in a spec, in document order.
type Errors []*Error

func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap lets errors.As find each *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

type pos struct{ line, col int }

// positions maps field paths ("layers[1].owner") to where their value was.
type positions map[string]pos

// at returns the position of path, or of its closest parent that was in the
// file (a missing field is reported where its parent is).
func (p positions) at(path string) pos {
	for path != "" {
		if q, ok := p[path]; ok {
			return q
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return p[""]
}

// errorf records a problem at path.
type collector struct {
	file string
	pos  positions
	errs Errors
}

func (c *collector) errorf(path, format string, args ...any) {
	c.errAt(c.pos.at(path), path, format, args...)
}

// maxErrors bounds the report: past it, one more error says there are more.
const maxErrors = 100

func (c *collector) errAt(p pos, path, format string, args ...any) {
	c.errs = append(c.errs, &Error{File: c.file, Line: p.line, Column: p.col, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// finish sorts errs by position and keeps the first maxErrors; nil if none.
func finish(file string, errs Errors) error {
	if len(errs) == 0 {
		return nil
	}
	slices.SortStableFunc(errs, func(a, b *Error) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	if len(errs) > maxErrors {
		errs = append(errs[:maxErrors:maxErrors], &Error{File: file, Msg: fmt.Sprintf("has more than %d problems; fix these first", maxErrors)})
	}
	return errs
}
