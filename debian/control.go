package debian

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Paragraph is one stanza of a control file, fields in file order.
// Field names compare case-insensitively, as in deb822.
type Paragraph struct {
	Fields []Field
}

// Field is one "Name: value" entry. Value keeps continuation lines joined
// with "\n" and their leading space removed, as dpkg presents them.
type Field struct {
	Name  string
	Value string
}

// Get returns the value of the named field, or "" if absent.
func (p Paragraph) Get(name string) string {
	v, _ := p.Lookup(name)
	return v
}

// Lookup returns the value of the named field and whether it is present.
func (p Paragraph) Lookup(name string) (string, bool) {
	for _, f := range p.Fields {
		if strings.EqualFold(f.Name, name) {
			return f.Value, true
		}
	}
	return "", false
}

// Limits bound what a control reader accepts from untrusted input.
const (
	MaxControlLine   = 4 << 20 // longest line, bytes
	MaxControlFields = 1024    // fields in one paragraph
)

// ErrControlSyntax is wrapped by every syntax error from ControlReader.
var ErrControlSyntax = errors.New("control file syntax error")

// ControlReader streams paragraphs from a control file (Packages, Release,
// dpkg status, deb822 sources). Lines starting with '#' are comments.
type ControlReader struct {
	s    *bufio.Scanner
	line int
	done bool
}

// NewControlReader reads paragraphs from r.
func NewControlReader(r io.Reader) *ControlReader {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 0, 64<<10), MaxControlLine)
	return &ControlReader{s: s}
}

// Line returns the number of lines read so far, for error messages.
func (cr *ControlReader) Line() int { return cr.line }

// Next returns the next paragraph, or io.EOF when there are no more.
func (cr *ControlReader) Next() (Paragraph, error) {
	var p Paragraph
	if cr.done {
		return p, io.EOF
	}
	for cr.s.Scan() {
		cr.line++
		line := strings.TrimSuffix(cr.s.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			if len(p.Fields) > 0 {
				return p, nil
			}
			continue
		}
		if line[0] == '#' {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(p.Fields) == 0 {
				return p, fmt.Errorf("%w at line %d: continuation line before any field", ErrControlSyntax, cr.line)
			}
			last := &p.Fields[len(p.Fields)-1]
			cont := strings.TrimLeft(line, " \t")
			if len(last.Value)+len(cont) > MaxControlLine {
				return p, fmt.Errorf("%w at line %d: field %s is longer than %d bytes", ErrControlSyntax, cr.line, last.Name, MaxControlLine)
			}
			last.Value += "\n" + cont
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return p, fmt.Errorf("%w at line %d: expected \"Field: value\", got %q", ErrControlSyntax, cr.line, truncate(line, 60))
		}
		if len(p.Fields) >= MaxControlFields {
			return p, fmt.Errorf("%w at line %d: more than %d fields in one paragraph", ErrControlSyntax, cr.line, MaxControlFields)
		}
		p.Fields = append(p.Fields, Field{Name: name, Value: strings.TrimSpace(value)})
	}
	cr.done = true
	if err := cr.s.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return p, fmt.Errorf("%w after line %d: line longer than %d bytes", ErrControlSyntax, cr.line, MaxControlLine)
		}
		return p, fmt.Errorf("reading control file after line %d: %w", cr.line, err)
	}
	if len(p.Fields) > 0 {
		return p, nil
	}
	return p, io.EOF
}

// ParseControl reads every paragraph of r.
func ParseControl(r io.Reader) ([]Paragraph, error) {
	cr := NewControlReader(r)
	var out []Paragraph
	for {
		p, err := cr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, p)
	}
}

// WriteTo writes the paragraph in control-file syntax (no trailing blank line).
func (p Paragraph) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	for _, f := range p.Fields {
		b.WriteString(f.Name)
		b.WriteByte(':')
		lines := strings.Split(f.Value, "\n")
		if lines[0] != "" {
			b.WriteByte(' ')
			b.WriteString(lines[0])
		}
		b.WriteByte('\n')
		for _, l := range lines[1:] {
			b.WriteByte(' ')
			if l == "" {
				l = "."
			}
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
