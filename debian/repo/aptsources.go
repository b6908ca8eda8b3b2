package repo

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/ingot-dev/ingot/debian"
)

// AptEntry is one "deb" line of apt's configuration, from either format.
type AptEntry struct {
	Type       string // "deb" or "deb-src"
	URI        string
	Suite      string
	Components []string
	SignedBy   string            // keyring path, fingerprints or "" ("inline" for an embedded key)
	Options    map[string]string // other [key=value] options, as written
	File       string            // where it was read, for messages
}

// maxSourcesFile bounds one apt sources file.
const maxSourcesFile = 1 << 20

// ParseSourcesList reads one-line-style entries (sources.list, *.list):
//
//	deb [arch=amd64 signed-by=/usr/share/keyrings/x.gpg] URI SUITE COMPONENT...
//
// Comments and blank lines are skipped; a line that is not a deb or deb-src
// entry is an error naming file and line.
func ParseSourcesList(r io.Reader, file string) ([]AptEntry, error) {
	s := bufio.NewScanner(io.LimitReader(r, maxSourcesFile))
	s.Buffer(make([]byte, 0, 4096), maxSourcesFile)
	var out []AptEntry
	line := 0
	for s.Scan() {
		line++
		text, _, _ := strings.Cut(s.Text(), "#")
		f := strings.Fields(text)
		if len(f) == 0 {
			continue
		}
		e := AptEntry{Type: f[0], File: fmt.Sprintf("%s:%d", file, line), Options: map[string]string{}}
		if e.Type != "deb" && e.Type != "deb-src" {
			return nil, fmt.Errorf("%s: unknown entry type %q (want deb or deb-src)", e.File, e.Type)
		}
		rest := strings.TrimSpace(text[strings.Index(text, f[0])+len(f[0]):])
		if strings.HasPrefix(rest, "[") {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("%s: options start with [ but have no ]", e.File)
			}
			for _, opt := range strings.Fields(rest[1:end]) {
				k, v, _ := strings.Cut(opt, "=")
				k = strings.TrimRight(strings.ToLower(k), "+-")
				e.Options[k] = v
			}
			rest = rest[end+1:]
		}
		f = strings.Fields(rest)
		if len(f) < 2 {
			return nil, fmt.Errorf("%s: want \"%s URI SUITE [COMPONENT...]\"", e.File, e.Type)
		}
		e.URI, e.Suite, e.Components = f[0], f[1], f[2:]
		e.SignedBy = e.Options["signed-by"]
		delete(e.Options, "signed-by")
		out = append(out, e)
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	return out, nil
}

// ParseDeb822Sources reads deb822-style entries (*.sources): stanzas with
// Types, URIs, Suites, Components, Signed-By and Enabled. One entry is
// returned per type, URI and suite.
func ParseDeb822Sources(r io.Reader, file string) ([]AptEntry, error) {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(r, maxSourcesFile)); err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	cr := debian.NewControlReader(&buf)
	var out []AptEntry
	for n := 1; ; n++ {
		p, err := cr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", file, err)
		}
		if strings.EqualFold(strings.TrimSpace(p.Get("Enabled")), "no") {
			continue
		}
		where := fmt.Sprintf("%s stanza %d", file, n)
		types, uris, suites := strings.Fields(p.Get("Types")), strings.Fields(p.Get("URIs")), strings.Fields(p.Get("Suites"))
		if len(types) == 0 || len(uris) == 0 || len(suites) == 0 {
			return nil, fmt.Errorf("%s: Types, URIs and Suites are all required", where)
		}
		signed := strings.TrimSpace(p.Get("Signed-By"))
		if strings.Contains(signed, "\n") || strings.HasPrefix(signed, "-----BEGIN") {
			signed = "inline"
		}
		opts := map[string]string{}
		for _, f := range p.Fields {
			switch strings.ToLower(f.Name) {
			case "types", "uris", "suites", "components", "signed-by", "enabled":
			default:
				opts[strings.ToLower(f.Name)] = f.Value
			}
		}
		for _, t := range types {
			if t != "deb" && t != "deb-src" {
				return nil, fmt.Errorf("%s: unknown type %q (want deb or deb-src)", where, t)
			}
			for _, u := range uris {
				for _, s := range suites {
					out = append(out, AptEntry{
						Type: t, URI: u, Suite: s, Components: strings.Fields(p.Get("Components")),
						SignedBy: signed, Options: opts, File: where,
					})
				}
			}
		}
	}
}
