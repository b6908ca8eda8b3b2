package repo

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/ingot-dev/ingot/debian"
)

// records splits a control file held in memory into paragraphs with the
// same result, line numbers and errors as debian.ControlReader, but without
// copying: field names and values are substrings of data (only a value
// with continuation lines is built anew), and the Fields of many
// paragraphs share one array. Reading a whole Packages index this way
// allocates a few objects per record instead of one per line.
type records struct {
	data    string
	pos     int
	line    int
	scratch []debian.Field
	slab    []debian.Field
}

// next returns the next paragraph, or io.EOF when there are no more.
func (r *records) next() (debian.Paragraph, error) {
	fields := r.scratch[:0]
	defer func() { r.scratch = fields[:0] }()
	for r.pos < len(r.data) {
		raw := r.data[r.pos:]
		end := strings.IndexByte(raw, '\n')
		if end < 0 {
			end = len(raw)
			r.pos = len(r.data)
		} else {
			r.pos += end + 1
		}
		raw = raw[:end]
		// bufio.Scanner needs the line and its newline in a buffer of at most
		// MaxControlLine bytes.
		if len(raw) >= debian.MaxControlLine {
			r.pos = len(r.data)
			return debian.Paragraph{}, fmt.Errorf("%w after line %d: line longer than %d bytes", debian.ErrControlSyntax, r.line, debian.MaxControlLine)
		}
		r.line++
		// bufio.ScanLines drops one "\r", ControlReader another.
		line := strings.TrimSuffix(strings.TrimSuffix(raw, "\r"), "\r")
		if strings.TrimSpace(line) == "" {
			if len(fields) > 0 {
				return r.paragraph(fields), nil
			}
			continue
		}
		if line[0] == '#' {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(fields) == 0 {
				return debian.Paragraph{}, r.fail(fmt.Errorf("%w at line %d: continuation line before any field", debian.ErrControlSyntax, r.line))
			}
			last := &fields[len(fields)-1]
			cont := strings.TrimLeft(line, " \t")
			if len(last.Value)+len(cont) > debian.MaxControlLine {
				return debian.Paragraph{}, r.fail(fmt.Errorf("%w at line %d: field %s is longer than %d bytes", debian.ErrControlSyntax, r.line, last.Name, debian.MaxControlLine))
			}
			last.Value += "\n" + cont
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return debian.Paragraph{}, r.fail(fmt.Errorf("%w at line %d: expected \"Field: value\", got %q", debian.ErrControlSyntax, r.line, truncate(line, 60)))
		}
		if len(fields) >= debian.MaxControlFields {
			return debian.Paragraph{}, r.fail(fmt.Errorf("%w at line %d: more than %d fields in one paragraph", debian.ErrControlSyntax, r.line, debian.MaxControlFields))
		}
		fields = append(fields, debian.Field{Name: name, Value: strings.TrimSpace(value)})
	}
	if len(fields) > 0 {
		return r.paragraph(fields), nil
	}
	return debian.Paragraph{}, io.EOF
}

// fail stops the reader after a syntax error.
func (r *records) fail(err error) error {
	r.pos = len(r.data)
	return err
}

// paragraph copies fields into the shared array.
func (r *records) paragraph(fields []debian.Field) debian.Paragraph {
	if cap(r.slab)-len(r.slab) < len(fields) {
		r.slab = make([]debian.Field, 0, max(4096, len(fields)))
	}
	start := len(r.slab)
	r.slab = append(r.slab, fields...)
	return debian.Paragraph{Fields: r.slab[start:len(r.slab):len(r.slab)]}
}

// parsePackages parses a whole decompressed Packages index, setting Suite
// and Component on each record. Errors name the record's last line. A
// large index is cut at blank lines into one piece per CPU, parsed in
// parallel: the records, their order and the first error are the same.
func parsePackages(data, suite, component string) ([]*debian.Package, error) {
	return parsePieces(split(data, runtime.GOMAXPROCS(0), parallelMin), suite, component)
}

// parsePieces parses pieces in parallel and joins their records in order.
func parsePieces(pieces []piece, suite, component string) ([]*debian.Package, error) {
	results := make([][]*debian.Package, len(pieces))
	errs := make([]error, len(pieces))
	var wg sync.WaitGroup
	for i, pc := range pieces {
		wg.Go(func() { results[i], errs[i] = parsePiece(pc, suite, component) })
	}
	wg.Wait()
	n := 0
	for i := range pieces {
		if errs[i] != nil {
			return nil, errs[i]
		}
		n += len(results[i])
	}
	if n == 0 {
		return nil, nil
	}
	out := make([]*debian.Package, 0, n)
	for _, r := range results {
		out = append(out, r...)
	}
	return out, nil
}

// parallelMin is the smallest piece worth its own goroutine.
const parallelMin = 4 << 20

// piece is a run of whole paragraphs of an index and the number of lines
// before it.
type piece struct {
	data string
	line int
}

// split cuts data into at most n pieces of at least min bytes, each ending
// with an empty line (or the end of data), so every paragraph lies in one
// piece and ends on the same line as in the whole.
func split(data string, n, min int) []piece {
	var out []piece
	start, line := 0, 0
	for i := 1; i < n && len(data)-start >= 2*min; i++ {
		target := max(start+min, len(data)*i/n)
		if target >= len(data) {
			break
		}
		j := strings.Index(data[target:], "\n\n")
		if j < 0 {
			break
		}
		end := target + j + 2
		out = append(out, piece{data: data[start:end], line: line})
		line += strings.Count(data[start:end], "\n")
		start = end
	}
	return append(out, piece{data: data[start:], line: line})
}

// parsePiece parses the paragraphs of one piece.
func parsePiece(pc piece, suite, component string) ([]*debian.Package, error) {
	r := records{data: pc.data, line: pc.line}
	var pp debian.PackageParser
	// A Packages record is about 800 bytes.
	out := make([]*debian.Package, 0, len(pc.data)/700+1)
	for {
		para, err := r.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		p, err := pp.Parse(para)
		if err != nil {
			return nil, fmt.Errorf("record ending at line %d: %w", r.line, err)
		}
		p.Suite, p.Component = suite, component
		out = append(out, p)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
