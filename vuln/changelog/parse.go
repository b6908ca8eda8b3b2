package changelog

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// MaxSize bounds the decompressed changelog Parse reads (openssl's, one of
// the longest, is under 1 MiB).
const MaxSize = 16 << 20

// maxLine bounds one line of a changelog.
const maxLine = 1 << 20

// ErrFormat is matched by every error about a malformed changelog.
var ErrFormat = errors.New("malformed Debian changelog")

// Entry is one upload of a changelog.
type Entry struct {
	Package       string            // source package name
	Version       string            // as written; compare with debian.ParseVersion
	Distributions []string          // "bookworm-security", "unstable"
	Urgency       string            // lower-cased, without comment: "low", "medium", "high", "emergency", "critical"
	Fields        map[string]string // the other key=value pairs of the header, keys lower-cased
	Changes       string            // the body lines, leading blank lines and trailing ones removed
	Maintainer    string            // "Name <email>" from the trailer line
	Date          string            // the trailer's date, as written (RFC 5322-like)
}

// header is dpkg-parsechangelog's entry header regular expression.
var header = regexp.MustCompile(`^(\w[-+0-9a-z.]*) \(([^ ()]+)\)((?:\s+[-+0-9a-zA-Z.]+)+)\s*;(.*)$`)

// Parse reads a changelog, newest entry first as the file lists them.
// Like dpkg-parsechangelog it stops, without error, at the first line after
// an entry that is neither blank nor a new header (old-format history, Emacs
// local variables); text before the first header is an error. An entry
// whose trailer is missing at the end of the file is kept.
func Parse(r io.Reader) ([]Entry, error) {
	sc := bufio.NewScanner(&limitReader{r: r, n: MaxSize})
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var (
		out  []Entry
		cur  *Entry
		body []string
		line int
	)
	finish := func() {
		cur.Changes = strings.Trim(strings.Join(body, "\n"), "\n")
		out = append(out, *cur)
		cur, body = nil, nil
	}
	for sc.Scan() {
		line++
		s := strings.TrimRight(sc.Text(), " \t\r")
		if m := header.FindStringSubmatch(s); m != nil {
			if cur != nil {
				finish()
			}
			e, err := parseHeader(m)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			cur = &e
			continue
		}
		if cur != nil {
			if rest, ok := strings.CutPrefix(s, " -- "); ok {
				cur.Maintainer, cur.Date = trailer(rest)
				finish()
				continue
			}
			body = append(body, s)
			continue
		}
		if strings.TrimSpace(s) == "" {
			continue
		}
		if len(out) > 0 {
			return out, nil // old-format history or trailing notes
		}
		return nil, fmt.Errorf("%w: line %d: expected an entry header \"package (version) distribution; urgency=...\", got %q", ErrFormat, line, truncate(s))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading changelog line %d: %w", line+1, err)
	}
	if cur != nil {
		finish()
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no entries", ErrFormat)
	}
	return out, nil
}

func parseHeader(m []string) (Entry, error) {
	e := Entry{Package: m[1], Version: m[2], Distributions: strings.Fields(m[3])}
	for kv := range strings.SplitSeq(m[4], ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return Entry{}, fmt.Errorf("%w: header field %q of %s %s is not key=value", ErrFormat, truncate(kv), e.Package, e.Version)
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		if k == "urgency" {
			// "medium (HIGH for hurd-i386)": the comment is not the urgency.
			if i := strings.IndexAny(v, " \t("); i >= 0 {
				v = v[:i]
			}
			e.Urgency = strings.ToLower(v)
			continue
		}
		if e.Fields == nil {
			e.Fields = map[string]string{}
		}
		e.Fields[k] = v
	}
	return e, nil
}

// trailer splits "Name <email>  date" at the end of the address.
func trailer(s string) (maintainer, date string) {
	if i := strings.LastIndex(s, ">"); i >= 0 {
		return strings.TrimSpace(s[:i+1]), strings.TrimSpace(s[i+1:])
	}
	return strings.TrimSpace(s), ""
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// limitReader is io.LimitReader that fails instead of pretending EOF.
type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, fmt.Errorf("%w: larger than %d bytes", ErrFormat, MaxSize)
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}
