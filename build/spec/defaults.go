package spec

import (
	"slices"
	"strings"
)

// Default values applied by Defaults.
const (
	DefaultPath    = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	DefaultShell   = "/usr/sbin/nologin"
	NonrootName    = "nonroot"
	NonrootID      = 65532
	defaultNonHome = "/home/nonroot"
	rootName       = "root"
)

// DefaultArchitectures are built when the spec names none.
var DefaultArchitectures = []string{"amd64", "arm64"}

// Defaults fills what the spec leaves out; Parse calls it. It is idempotent:
//   - architectures: DefaultArchitectures;
//   - a layer's owner: the image owner;
//   - accounts: with no users and no runAs, run as nonroot; runAs nonroot
//     without such a user implies user and group nonroot 65532 with home
//     /home/nonroot;
//   - a user's gid: its uid; home: /home/<name> (/root for root); shell:
//     /usr/sbin/nologin; a group named after the user when no group has its gid;
//   - env: PATH=DefaultPath unless set, then sorted by name (stable for
//     duplicates, which Validate reports).
//
// An app spec takes none of these (its base has them): only app.dir
// defaults to "." and app.kind to auto.
func (s *Spec) Defaults() {
	if s.App != nil {
		if s.App.Dir == "" {
			s.App.Dir = "."
		}
		if s.App.Kind == "" {
			s.App.Kind = "auto"
		}
		return
	}
	if len(s.Architectures) == 0 {
		s.Architectures = slices.Clone(DefaultArchitectures)
	}
	for i := range s.Layers {
		if s.Layers[i].Owner.Team == "" && s.Layers[i].Owner.Contact == "" {
			s.Layers[i].Owner = s.Owner
		}
	}

	a := &s.Accounts
	if a.RunAs == "" && len(a.Users) == 0 {
		a.RunAs = NonrootName
	}
	if a.RunAs == NonrootName && !slices.ContainsFunc(a.Users, func(u User) bool { return u.Name == NonrootName }) {
		a.Users = append(a.Users, User{Name: NonrootName, UID: NonrootID, GID: NonrootID, Home: defaultNonHome})
	}
	for i := range a.Users {
		u := &a.Users[i]
		if u.GID == 0 && u.Name != rootName {
			u.GID = u.UID
		}
		if u.Home == "" {
			u.Home = "/home/" + u.Name
			if u.Name == rootName {
				u.Home = "/root"
			}
		}
		if u.Shell == "" {
			u.Shell = DefaultShell
		}
		if u.Name != rootName && !slices.ContainsFunc(a.Groups, func(g Group) bool { return g.GID == u.GID }) &&
			!slices.ContainsFunc(a.Groups, func(g Group) bool { return g.Name == u.Name }) {
			a.Groups = append(a.Groups, Group{Name: u.Name, GID: u.GID})
		}
	}

	if _, ok := s.Env.Lookup("PATH"); !ok {
		s.Env = append(s.Env, "PATH="+DefaultPath)
	}
	slices.SortStableFunc(s.Env, func(a, b string) int {
		ka, _, _ := strings.Cut(a, "=")
		kb, _, _ := strings.Cut(b, "=")
		return strings.Compare(ka, kb)
	})
	for i, p := range s.Ports {
		if p != "" && strings.Trim(p, "0123456789") == "" {
			s.Ports[i] = p + "/tcp"
		}
	}
}
