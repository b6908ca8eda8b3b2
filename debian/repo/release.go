package repo

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/fetch"
)

// Release is the verified content of a suite's InRelease file.
type Release struct {
	Origin, Label string
	Suite         string
	Codename      string
	Version       string
	// Date is when the archive published this Release; it is the natural
	// SOURCE_DATE_EPOCH of anything built from it.
	Date time.Time
	// ValidUntil is zero when the Release has no Valid-Until field.
	ValidUntil    time.Time
	Architectures []string
	Components    []string
	AcquireByHash bool
	// AllInArchIndexes is set by "No-Support-for-Architecture-all: Packages":
	// architecture-"all" packages are listed in every binary-<arch> index
	// (Debian since bullseye), not only in binary-all.
	AllInArchIndexes bool
	// Files maps paths relative to dists/<suite>/ to their SHA256 entry.
	Files map[string]FileInfo

	// Set by Client.Release.
	URL    string // where InRelease was fetched from
	Signer string // fingerprint of the key that signed it, upper-case hex
}

// FileInfo is one SHA256 entry of a Release file.
type FileInfo struct {
	Size   int64
	SHA256 string
}

// releaseDateLayouts are the date forms found in Release files; Debian uses
// the first.
var releaseDateLayouts = []string{
	"Mon, 02 Jan 2006 15:04:05 MST",
	"Mon, _2 Jan 2006 15:04:05 MST",
	"Mon, 02 Jan 2006 15:04:05 -0700",
	"Mon, _2 Jan 2006 15:04:05 -0700",
}

func parseReleaseDate(s string) (time.Time, error) {
	for _, l := range releaseDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q is not in RFC 1123 form", s)
}

// ParseRelease parses the text of a Release file. Call it only on text whose
// signature has been verified (Client.Release does both).
func ParseRelease(text []byte) (*Release, error) {
	paras, err := debian.ParseControl(bytes.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedRelease, err)
	}
	if len(paras) != 1 {
		return nil, fmt.Errorf("%w: %d paragraphs, want 1", ErrMalformedRelease, len(paras))
	}
	p := paras[0]
	r := &Release{
		Origin: p.Get("Origin"), Label: p.Get("Label"),
		Suite: p.Get("Suite"), Codename: p.Get("Codename"), Version: p.Get("Version"),
		Architectures:    strings.Fields(p.Get("Architectures")),
		Components:       strings.Fields(p.Get("Components")),
		AcquireByHash:    strings.EqualFold(p.Get("Acquire-By-Hash"), "yes"),
		AllInArchIndexes: slices.Contains(strings.Fields(p.Get("No-Support-for-Architecture-all")), "Packages"),
		Files:            map[string]FileInfo{},
	}
	if r.Suite == "" && r.Codename == "" {
		return nil, fmt.Errorf("%w: neither Suite nor Codename is set", ErrMalformedRelease)
	}
	if s, ok := p.Lookup("Date"); ok {
		if r.Date, err = parseReleaseDate(s); err != nil {
			return nil, fmt.Errorf("%w: Date: %w", ErrMalformedRelease, err)
		}
	}
	if s, ok := p.Lookup("Valid-Until"); ok {
		if r.ValidUntil, err = parseReleaseDate(s); err != nil {
			return nil, fmt.Errorf("%w: Valid-Until: %w", ErrMalformedRelease, err)
		}
	}
	sums, ok := p.Lookup("SHA256")
	if !ok {
		return nil, fmt.Errorf("%w: no SHA256 file list (MD5Sum and SHA1 alone are not trusted)", ErrMalformedRelease)
	}
	for i, line := range strings.Split(sums, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			return nil, fmt.Errorf("%w: SHA256 entry %d: want \"hash size path\", got %q", ErrMalformedRelease, i, line)
		}
		sum := strings.ToLower(f[0])
		if !fetch.ValidSHA256(sum) {
			return nil, fmt.Errorf("%w: SHA256 entry for %s: %q is not 64 hex digits", ErrMalformedRelease, f[2], f[0])
		}
		size, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil || size < 0 {
			return nil, fmt.Errorf("%w: SHA256 entry for %s: bad size %q", ErrMalformedRelease, f[2], f[1])
		}
		if old, dup := r.Files[f[2]]; dup && old != (FileInfo{size, sum}) {
			return nil, fmt.Errorf("%w: %s listed twice with different hashes", ErrMalformedRelease, f[2])
		}
		r.Files[f[2]] = FileInfo{Size: size, SHA256: sum}
	}
	return r, nil
}

// Is reports whether the Release describes suite (by Suite or Codename, as
// apt accepts either).
func (r *Release) Is(suite string) bool {
	return suite != "" && (r.Suite == suite || r.Codename == suite)
}

// HasArchitecture reports whether the Release lists arch.
func (r *Release) HasArchitecture(arch string) bool {
	for _, a := range r.Architectures {
		if a == arch {
			return true
		}
	}
	return false
}

// HasComponent reports whether the Release lists component. The security
// archive lists "updates/main" for files under main/, which apt accepts as
// main, and so does this.
func (r *Release) HasComponent(comp string) bool {
	for _, c := range r.Components {
		if c == comp || strings.HasSuffix(c, "/"+comp) {
			return true
		}
	}
	return false
}
