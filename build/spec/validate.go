package spec

import (
	"fmt"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/ingot-dev/ingot/debian"
)

// SupportedArchitectures are the Debian architectures ingot builds for.
var SupportedArchitectures = []string{"amd64", "arm64", "armhf", "i386", "ppc64el", "s390x", "riscv64"}

// ID ranges for spec accounts: below 1000 belongs to Debian's system
// accounts (created by packages), 65534 is nobody.
const (
	minID    = 1000
	maxID    = 1<<31 - 2
	nobodyID = 65534
)

var (
	dnsLabel    = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	pkgName     = regexp.MustCompile(`^[a-z0-9][a-z0-9+.-]+$`)
	accountName = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)
	envName     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	portSpec    = regexp.MustCompile(`^([0-9]{1,5})/(tcp|udp|sctp)$`)
)

// Validate checks the spec and returns every problem as Errors, in field
// order, each with the line and column it comes from when the spec was
// parsed. Run it after Defaults (Parse does both).
func (s *Spec) Validate() error {
	return finish(s.file(), s.validate())
}

func (s *Spec) file() string {
	if s.File == "" {
		return "ingot.yaml"
	}
	return s.File
}

// validate returns every problem, unsorted and unbounded.
func (s *Spec) validate() Errors {
	c := &collector{file: s.file(), pos: s.pos}
	s.validateName(c)
	s.validateOwner(c, "owner", s.Owner, "this image")
	if s.SourceDateEpoch != nil && *s.SourceDateEpoch < 0 {
		c.errorf("sourceDateEpoch", "must be a number of seconds since 1970-01-01 UTC, not %d", *s.SourceDateEpoch)
	}
	if s.App != nil {
		s.validateApp(c)
		return c.errs
	}
	s.validateSource(c)
	s.validateArchitectures(c)
	s.validateLayers(c)
	s.validateAccounts(c)
	s.validateFiles(c)
	s.validateRuntime(c)
	return c.errs
}

func (s *Spec) validateName(c *collector) {
	switch {
	case s.Name == "":
		c.errorf("name", "is required: the image repository, e.g. registry.example.com/golden/base")
	case strings.Contains(s.Name, "@"):
		c.errorf("name", "must not have a digest (%q): name the repository only", s.Name)
	case strings.Contains(s.Name[strings.LastIndex(s.Name, "/")+1:], ":"):
		c.errorf("name", "must not have a tag (%q): name the repository only; tags are given at build or push time", s.Name)
	default:
		if _, err := name.NewRepository(s.Name); err != nil {
			c.errorf("name", "is not a valid image repository (%q): %v", s.Name, err)
		}
	}
}

func (s *Spec) validateOwner(c *collector, p string, o Owner, what string) {
	if strings.TrimSpace(o.Team) == "" {
		c.errorf(p+".team", "is required: who is woken up when %s is vulnerable", what)
	}
	if strings.TrimSpace(o.Contact) == "" {
		c.errorf(p+".contact", "is required: how to reach the team that owns %s (e-mail, chat channel or pager)", what)
	}
}

func (s *Spec) validateSource(c *collector) {
	for _, m := range [][2]string{{"source.mirror", s.Source.Mirror}, {"source.securityMirror", s.Source.SecurityMirror}} {
		p, u := m[0], m[1]
		if u == "" {
			continue
		}
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			c.errorf(p, "must be an http or https URL of a Debian archive root, not %q", u)
		}
	}
	for i, v := range s.Source.Suites {
		if v == "" || strings.ContainsAny(v, "/ \t") {
			c.errorf(fmt.Sprintf("source.suites[%d]", i), "must be a suite name such as bookworm or bookworm-security, not %q", v)
		}
	}
	for i, v := range s.Source.Components {
		if v == "" || strings.ContainsAny(v, " \t") || strings.Contains(v, "..") {
			c.errorf(fmt.Sprintf("source.components[%d]", i), "must be a component name such as main, not %q", v)
		}
	}
	switch k := s.Source.Keyring; {
	case k == "":
	case filepath.IsAbs(k): // a system keyring, such as /usr/share/keyrings/...
		if _, err := os.Stat(k); err != nil {
			c.errorf("source.keyring", "%s does not exist: install the keyring or fix the path", k)
		}
	default:
		s.checkSrc(c, "source.keyring", k)
	}
}

func (s *Spec) validateArchitectures(c *collector) {
	seen := map[string]bool{}
	for i, a := range s.Architectures {
		p := fmt.Sprintf("architectures[%d]", i)
		switch {
		case !slices.Contains(SupportedArchitectures, a):
			c.errorf(p, "%q is not a supported Debian architecture: use %s", a, strings.Join(SupportedArchitectures, ", "))
		case seen[a]:
			c.errorf(p, "%q is listed twice", a)
		}
		seen[a] = true
	}
}

func (s *Spec) validateLayers(c *collector) {
	if len(s.Layers) == 0 {
		c.errorf("layers", "needs at least one layer with packages, e.g. layers: [{name: os, packages: [base-files]}]")
		return
	}
	names := map[string]int{}
	pkgLayer := map[string]string{}
	for i, l := range s.Layers {
		p := fmt.Sprintf("layers[%d]", i)
		switch {
		case l.Name == "":
			c.errorf(p+".name", "is required: a short name such as os or runtime")
		case !dnsLabel.MatchString(l.Name):
			c.errorf(p+".name", "%q must be lower-case letters, digits and '-', at most 63 characters, like a DNS label", l.Name)
		default:
			if j, dup := names[l.Name]; dup {
				c.errorf(p+".name", "%q is already the name of layers[%d]: layer names must be unique", l.Name, j)
			}
			names[l.Name] = i
		}
		if l.Owner != s.Owner {
			s.validateOwner(c, p+".owner", l.Owner, "this layer")
		}
		if len(l.Packages) == 0 {
			c.errorf(p+".packages", "needs at least one package")
		}
		for j, pkg := range l.Packages {
			pp := fmt.Sprintf("%s.packages[%d]", p, j)
			n, ver, pinned := strings.Cut(pkg, "=")
			if !pkgName.MatchString(n) {
				c.errorf(pp, "%q is not a Debian package name (lower-case letters, digits, '+', '-', '.'), optionally pinned as name=version", pkg)
				continue
			}
			if pinned {
				if _, err := debian.ParseVersion(ver); err != nil {
					c.errorf(pp, "has an invalid version pin %q: %v", ver, err)
				}
			}
			if other, dup := pkgLayer[n]; dup {
				c.errorf(pp, "%q is already in layer %q: a package belongs to one layer", n, other)
				continue
			}
			pkgLayer[n] = l.Name
		}
	}
}

func (s *Spec) validateAccounts(c *collector) {
	a := s.Accounts
	checkID := func(p string, id int, what string) {
		if id < minID || id > maxID || id == nobodyID {
			c.errorf(p, "%d is out of range: a %s must be between %d and %d (below %d is for Debian system accounts) and not %d (nobody)", id, what, minID, maxID, minID, nobodyID)
		}
	}
	users, uids := map[string]bool{}, map[int]string{}
	for i, u := range a.Users {
		p := fmt.Sprintf("accounts.users[%d]", i)
		switch {
		case u.Name == rootName:
			c.errorf(p+".name", "root is always present: do not declare it; use runAs: root to run as root")
		case !accountName.MatchString(u.Name):
			c.errorf(p+".name", "%q is not a valid user name (lower-case letters, digits, '_' and '-', starting with a letter or '_', at most 32)", u.Name)
		case users[u.Name]:
			c.errorf(p+".name", "%q is declared twice", u.Name)
		}
		users[u.Name] = true
		if u.Name == rootName {
			continue
		}
		checkID(p+".uid", u.UID, "uid")
		if other, dup := uids[u.UID]; dup {
			c.errorf(p+".uid", "%d is already the uid of %q", u.UID, other)
		}
		uids[u.UID] = u.Name
		if u.GID != u.UID {
			checkID(p+".gid", u.GID, "gid")
		}
		if !slices.ContainsFunc(a.Groups, func(g Group) bool { return g.GID == u.GID }) {
			c.errorf(p+".gid", "%d has no group: add one under accounts.groups", u.GID)
		}
		if !path.IsAbs(u.Home) {
			c.errorf(p+".home", "must be an absolute path, not %q", u.Home)
		}
		if !path.IsAbs(u.Shell) {
			c.errorf(p+".shell", "must be an absolute path, not %q", u.Shell)
		}
	}
	groups, gids := map[string]bool{}, map[int]string{}
	for i, g := range a.Groups {
		p := fmt.Sprintf("accounts.groups[%d]", i)
		// A user's own group (often implied): its name and gid were checked with the user.
		personal := slices.ContainsFunc(a.Users, func(u User) bool { return u.Name == g.Name && u.GID == g.GID })
		switch {
		case g.Name == rootName:
			c.errorf(p+".name", "root is always present: do not declare it")
			continue
		case !accountName.MatchString(g.Name) && !personal:
			c.errorf(p+".name", "%q is not a valid group name", g.Name)
		case groups[g.Name]:
			c.errorf(p+".name", "%q is declared twice", g.Name)
		}
		groups[g.Name] = true
		if !personal {
			checkID(p+".gid", g.GID, "gid")
		}
		if other, dup := gids[g.GID]; dup {
			c.errorf(p+".gid", "%d is already the gid of group %q", g.GID, other)
		}
		gids[g.GID] = g.Name
	}
	switch {
	case a.RunAs == "":
		c.errorf("accounts.runAs", "is required when users are declared: name the user the image runs as (running as root must be explicit: runAs: root)")
	case a.RunAs != rootName && !users[a.RunAs]:
		c.errorf("accounts.runAs", "%q is not a declared user: declare it under accounts.users, or use root", a.RunAs)
	}
}

func (s *Spec) validateFiles(c *collector) {
	dsts := map[string]int{}
	for i, f := range s.Files {
		p := fmt.Sprintf("files[%d]", i)
		if f.Src == "" {
			c.errorf(p+".src", "is required: a path relative to the spec's directory")
		} else {
			s.checkSrc(c, p+".src", f.Src)
		}
		switch {
		case f.Dst == "":
			c.errorf(p+".dst", "is required: the absolute path in the image")
		case !path.IsAbs(f.Dst) || path.Clean(f.Dst) != f.Dst || f.Dst == "/":
			c.errorf(p+".dst", "must be a clean absolute path other than /, such as /etc/app/config.yaml, not %q", f.Dst)
		default:
			if j, dup := dsts[f.Dst]; dup {
				c.errorf(p+".dst", "%q is already the destination of files[%d]", f.Dst, j)
			}
			dsts[f.Dst] = i
		}
		if f.UID < 0 || f.UID > maxID {
			c.errorf(p+".uid", "%d is out of range", f.UID)
		}
		if f.GID < 0 || f.GID > maxID {
			c.errorf(p+".gid", "%d is out of range", f.GID)
		}
		if f.Mode > 0o7777 {
			c.errorf(p+".mode", "%o is not a mode between 0000 and 7777", uint32(f.Mode))
		}
	}
}

// checkSrc requires a path relative to the spec's directory, inside it,
// that exists.
func (s *Spec) checkSrc(c *collector, p, src string) {
	if filepath.IsAbs(src) || path.IsAbs(src) {
		c.errorf(p, "must be relative to the spec's directory, not absolute (%q)", src)
		return
	}
	if !filepath.IsLocal(src) {
		c.errorf(p, "%q leaves the spec's directory: keep added files next to the spec", src)
		return
	}
	full := filepath.Join(s.Dir, src)
	if _, err := os.Stat(full); err != nil {
		c.errorf(p, "%s does not exist (%q relative to %s): create it or fix the path", full, src, s.Dir)
	}
}

func (s *Spec) validateRuntime(c *collector) {
	keys := map[string]bool{}
	for _, kv := range s.Env {
		k, _, ok := strings.Cut(kv, "=")
		p := "env." + k
		switch {
		case !ok:
			c.errorf(p, "must be KEY=value")
		case !envName.MatchString(k):
			c.errorf(p, "%q is not a valid variable name (letters, digits and '_', not starting with a digit)", k)
		case keys[k]:
			c.errorf(p, "is set twice")
		}
		keys[k] = true
	}
	for _, f := range []struct {
		p    string
		args []string
	}{{"entrypoint", s.Entrypoint}, {"cmd", s.Cmd}} {
		for i, a := range f.args {
			if a == "" && i == 0 {
				c.errorf(fmt.Sprintf("%s[0]", f.p), "must name a program, not be empty")
			}
		}
	}
	if s.Workdir != "" && !path.IsAbs(s.Workdir) {
		c.errorf("workdir", "must be an absolute path, not %q", s.Workdir)
	}
	for i, pt := range s.Ports {
		p := fmt.Sprintf("ports[%d]", i)
		m := portSpec.FindStringSubmatch(pt)
		if m == nil {
			c.errorf(p, "%q must be PORT/PROTOCOL such as 8080/tcp (protocol tcp, udp or sctp)", pt)
			continue
		}
		if n, _ := strconv.Atoi(m[1]); n < 1 || n > 65535 {
			c.errorf(p, "%q: the port must be between 1 and 65535", pt)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Labels)) {
		if k == "" || strings.HasPrefix(k, "dev.ingot.") {
			c.errorf("labels."+k, "%q is reserved or empty: ingot writes dev.ingot.* itself", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Annotations)) {
		if k == "" || strings.HasPrefix(k, "dev.ingot.") || k == "org.opencontainers.image.created" ||
			k == "org.opencontainers.image.base.name" || k == "org.opencontainers.image.base.digest" {
			c.errorf("annotations."+k, "%q is reserved or empty: ingot computes it", k)
		}
	}
}
