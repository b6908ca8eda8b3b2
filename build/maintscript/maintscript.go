package maintscript

import (
	"fmt"
	"log/slog"
	"sort"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/image/layer"
)

// Installed is one package of the image as its .deb describes it.
type Installed struct {
	Package      *debian.Package   // from the .deb's control stanza; derived from Control when nil
	Control      debian.Paragraph  // the .deb's control stanza, verbatim (for var/lib/dpkg/status)
	ControlFiles map[string][]byte // md5sums, conffiles, postinst, ... from control.tar
	Paths        []string          // dpkg's file list: "/.", "/usr", "/usr/bin/x" ... in archive order
}

// User is an account the spec asks for.
type User struct {
	Name        string
	UID, GID    int
	Home, Shell string // default "/nonexistent" and "/usr/sbin/nologin"
	Gecos       string
}

// Group is a group the spec asks for.
type Group struct {
	Name    string
	GID     int
	Members []string
}

// OSRelease is written to usr/lib/os-release when no package ships one.
// Empty fields take Debian 12 (bookworm) values, except the URLs, which are
// left out when empty.
type OSRelease struct {
	ID              string // "debian"
	Name            string // "Debian GNU/Linux"
	VersionID       string // "12"
	Version         string // "12 (bookworm)"
	VersionCodename string // "bookworm"
	PrettyName      string // "Debian GNU/Linux 12 (bookworm)"
	HomeURL         string
	SupportURL      string
	BugReportURL    string
}

// Input is everything Generate looks at. ReadFile and ListDir see the image
// root assembled from the packages, without the entries Generate returns.
type Input struct {
	Arch      string // native architecture, e.g. "amd64"
	Packages  []Installed
	Users     []User
	Groups    []Group
	ReadFile  func(path string) ([]byte, bool) // path relative to the root: "usr/lib/os-release"
	ListDir   func(dir string) []string        // sorted names in a directory of the root; "" is the root
	OSRelease OSRelease
	// Logger receives one warning per maintainer-script call that was not
	// emulated (see Result.Skipped). Default: discard.
	Logger *slog.Logger
}

// Skipped is a maintainer-script call that was not emulated.
type Skipped struct {
	Package string // binary package name
	Script  string // "postinst"
	Line    int    // line of the call in the script
	Command string // the call as it reads, shortened
	Reason  string
}

func (s Skipped) String() string {
	return fmt.Sprintf("%s %s line %d: %s: %s", s.Package, s.Script, s.Line, s.Command, s.Reason)
}

// Result is what Emulate produced.
type Result struct {
	Entries []layer.Entry // sorted by path, no duplicates
	Skipped []Skipped     // calls not emulated, in package then script order
}

// Generate returns the entries of the files maintainer scripts would have
// created for in.Packages. It is deterministic: the same input gives the
// same entries in the same order.
func Generate(in Input) ([]layer.Entry, error) {
	r, err := Emulate(in)
	if err != nil {
		return nil, err
	}
	return r.Entries, nil
}

// Emulate is Generate with the report of what was skipped.
func Emulate(in Input) (*Result, error) {
	if in.Arch == "" {
		return nil, fmt.Errorf("emulating maintainer scripts: no architecture given: set Input.Arch (e.g. \"amd64\")")
	}
	if in.ReadFile == nil {
		in.ReadFile = func(string) ([]byte, bool) { return nil, false }
	}
	if in.ListDir == nil {
		in.ListDir = func(string) []string { return nil }
	}
	pkgs, err := normalise(in.Packages)
	if err != nil {
		return nil, err
	}
	root := rootFS{read: in.ReadFile, list: in.ListDir}
	out := newTree(root)
	res := &Result{}

	steps := []func() error{
		func() error {
			sk, err := addAccounts(out, root, pkgs, in.Users, in.Groups)
			res.Skipped = append(res.Skipped, sk...)
			return err
		},
		func() error { return addCACerts(out, root, pkgs) },
		func() error { return addOSRelease(out, root, in.OSRelease) },
		func() error {
			sk, err := addAlternatives(out, root, pkgs)
			res.Skipped = append(res.Skipped, sk...)
			return err
		},
		func() error { return addDpkgDB(out, root, pkgs, in.Arch) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	res.Entries = out.entries()
	if in.Logger != nil {
		for _, s := range res.Skipped {
			in.Logger.Warn("maintainer-script call not emulated", "package", s.Package, "script", s.Script, "line", s.Line, "command", s.Command, "reason", s.Reason)
		}
	}
	return res, nil
}

// pkg is an Installed with its Package resolved.
type pkg struct {
	Installed
	name, arch string
}

func normalise(in []Installed) ([]pkg, error) {
	out := make([]pkg, 0, len(in))
	seen := map[string]bool{}
	for i, p := range in {
		if p.Package == nil {
			dp, err := debian.PackageFromParagraph(p.Control)
			if err != nil {
				return nil, fmt.Errorf("reading control stanza of package %d: %w", i, err)
			}
			p.Package = dp
		}
		name := p.Package.Name
		if !validPkgName(name) {
			return nil, fmt.Errorf("package %d has an invalid name %q: fix the .deb's control file", i, name)
		}
		arch := p.Package.Architecture
		if arch == "" {
			arch = p.Control.Get("Architecture")
		}
		id := name + ":" + arch
		if seen[id] {
			return nil, fmt.Errorf("package %s is listed twice: pass each installed package once", id)
		}
		seen[id] = true
		out = append(out, pkg{Installed: p, name: name, arch: arch})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].name != out[j].name {
			return out[i].name < out[j].name
		}
		return out[i].arch < out[j].arch
	})
	return out, nil
}

// validPkgName accepts Debian package names (policy 5.6.1), which also keeps
// them safe as file names under var/lib/dpkg/info.
func validPkgName(s string) bool {
	if len(s) < 1 || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z': // not policy, but seen in the wild and harmless
		case (c == '+' || c == '-' || c == '.') && i > 0:
		default:
			return false
		}
	}
	return true
}

func (p pkg) hasScript(name string) ([]byte, bool) {
	b, ok := p.ControlFiles[name]
	return b, ok && len(b) > 0
}

func installed(pkgs []pkg, name string) bool {
	for _, p := range pkgs {
		if p.name == name {
			return true
		}
	}
	return false
}
