package repo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Environment variables that override the mirrors of the apt configuration.
const (
	EnvMirror         = "INGOT_MIRROR"
	EnvSecurityMirror = "INGOT_SECURITY_MIRROR"
)

// SystemSource returns the Debian source of this machine's apt
// configuration (see SourceFromAptConfig), with INGOT_MIRROR and
// INGOT_SECURITY_MIRROR overriding its mirrors. With INGOT_MIRROR set, a
// machine without apt configuration is fine; Suites are then empty and the
// caller must set them.
func SystemSource() (Source, error) {
	return systemSource("/", os.Getenv)
}

func systemSource(root string, getenv func(string) string) (Source, error) {
	src, err := SourceFromAptConfig(root)
	m, sm := getenv(EnvMirror), getenv(EnvSecurityMirror)
	if err != nil {
		if m == "" || !errors.Is(err, ErrNoSource) {
			return Source{}, err
		}
		src = Source{}
	}
	if m != "" {
		src.Mirror = strings.TrimRight(m, "/")
	}
	if sm != "" {
		src.SecurityMirror = strings.TrimRight(sm, "/")
	}
	return src, nil
}

// debianSuite matches the suites of the Debian archive ingot uses: a
// release codename or alias, optionally with -updates or -security.
// Backports and proposed-updates are left out on purpose: apt does not
// install from them by default either.
var debianSuite = regexp.MustCompile(`^(buster|bullseye|bookworm|trixie|forky|duke|sid|oldoldstable|oldstable|stable|testing|unstable)(-updates|-security)?$`)

// SourceFromAptConfig reads root/etc/apt/sources.list and the *.list and
// *.sources files of root/etc/apt/sources.list.d, keeps the "deb" entries
// of the Debian archive (suites such as bookworm, bookworm-updates and
// bookworm-security, of the first release named), and returns them as a
// Source: Mirror from the first non-security entry, SecurityMirror from the
// first -security entry, Suites in the order apt reads them, Components and
// Keyring (signed-by, when it is a file) from the first entry. Third-party
// repositories are ignored, and so are files that cannot be parsed unless
// nothing else is found. Environment variables are not consulted.
func SourceFromAptConfig(root string) (Source, error) {
	dir := filepath.Join(root, "etc/apt")
	files := []string{filepath.Join(dir, "sources.list")}
	for _, pat := range []string{"*.list", "*.sources"} {
		m, _ := filepath.Glob(filepath.Join(dir, "sources.list.d", pat))
		sort.Strings(m)
		files = append(files, m...)
	}
	var entries []AptEntry
	var read, problems []string
	for _, f := range files {
		r, err := os.Open(f)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		var es []AptEntry
		if strings.HasSuffix(f, ".sources") {
			es, err = ParseDeb822Sources(r, f)
		} else {
			es, err = ParseSourcesList(r, f)
		}
		r.Close()
		read = append(read, f)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		entries = append(entries, es...)
	}
	src, ok := sourceFromEntries(entries)
	if !ok {
		msg := "no Debian archive entry (deb URI SUITE, with a suite such as bookworm or bookworm-security) in " + listOrNone(read)
		if len(problems) > 0 {
			msg += " (" + strings.Join(problems, "; ") + ")"
		}
		return Source{}, fmt.Errorf("%w: %s: set %s (and %s) to a Debian mirror", ErrNoSource, msg, EnvMirror, EnvSecurityMirror)
	}
	return src, nil
}

func listOrNone(files []string) string {
	if len(files) == 0 {
		return "the apt configuration (no sources file exists)"
	}
	return strings.Join(files, ", ")
}

// sourceFromEntries picks the Debian archive entries out of entries.
func sourceFromEntries(entries []AptEntry) (Source, bool) {
	var src Source
	release := ""
	seen := map[string]bool{}
	for _, e := range entries {
		if e.Type != "deb" || !strings.HasPrefix(e.URI, "http://") && !strings.HasPrefix(e.URI, "https://") {
			continue
		}
		m := debianSuite.FindStringSubmatch(e.Suite)
		if m == nil {
			continue
		}
		if release == "" {
			release = m[1]
		} else if m[1] != release {
			continue
		}
		uri := strings.TrimRight(e.URI, "/")
		if m[2] == "-security" {
			if src.SecurityMirror == "" {
				src.SecurityMirror = uri
			}
		} else if src.Mirror == "" {
			src.Mirror = uri
			src.Components = e.Components
			if strings.HasPrefix(e.SignedBy, "/") {
				src.Keyring = e.SignedBy
			}
		}
		if !seen[e.Suite] {
			seen[e.Suite] = true
			src.Suites = append(src.Suites, e.Suite)
		}
	}
	if src.Mirror == "" && src.SecurityMirror == "" {
		return Source{}, false
	}
	if len(src.Components) == 0 {
		src.Components = []string{"main"}
	}
	return src, true
}
