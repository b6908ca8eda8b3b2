package maintscript

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// account is one line of /etc/passwd plus its shadow state.
type account struct {
	name        string
	uid, gid    int
	gecos, home string
	shell       string
	lock        string // shadow password field: "*" or "!"
	from        string // who made it, for error messages
}

// group is one line of /etc/group plus its gshadow state.
type group struct {
	name    string
	gid     int
	members []string
	lock    string
	from    string
}

// accounts is the account database being built.
type accounts struct {
	users  []*account
	groups []*group
	// ids the spec asks for, kept free when allocating for packages.
	reservedUID, reservedGID map[int]bool

	// indexes, so that hostile scripts with many calls stay linear
	userName  map[string]*account
	userID    map[int]*account
	groupName map[string]*group
	groupID   map[int]*group
}

func newAccounts() *accounts {
	return &accounts{
		reservedUID: map[int]bool{}, reservedGID: map[int]bool{},
		userName: map[string]*account{}, userID: map[int]*account{},
		groupName: map[string]*group{}, groupID: map[int]*group{},
	}
}

// addUser appends u; the first account with an id keeps the id's index.
func (a *accounts) addUser(u *account) {
	a.users = append(a.users, u)
	a.userName[u.name] = u
	if a.userID[u.uid] == nil {
		a.userID[u.uid] = u
	}
}

func (a *accounts) addGroup(g *group) {
	a.groups = append(a.groups, g)
	a.groupName[g.name] = g
	if a.groupID[g.gid] == nil {
		a.groupID[g.gid] = g
	}
}

const (
	firstSystemID = 100
	lastSystemID  = 999
	maxAccounts   = 65536
	maxSkipped    = 1000 // reports kept per kind of emulation
)

func (a *accounts) user(name string) *account { return a.userName[name] }
func (a *accounts) userByID(uid int) *account { return a.userID[uid] }
func (a *accounts) group(name string) *group  { return a.groupName[name] }
func (a *accounts) groupByID(gid int) *group  { return a.groupID[gid] }

// freeUID is the lowest system uid that nobody has or reserves, preferring want.
func (a *accounts) freeUID(want int) (int, bool) {
	if want >= 0 && a.userByID(want) == nil && !a.reservedUID[want] {
		return want, true
	}
	for id := firstSystemID; id <= lastSystemID; id++ {
		if a.userByID(id) == nil && !a.reservedUID[id] {
			return id, true
		}
	}
	return 0, false
}

func (a *accounts) freeGID(want int) (int, bool) {
	if want >= 0 && a.groupByID(want) == nil && !a.reservedGID[want] {
		return want, true
	}
	for id := firstSystemID; id <= lastSystemID; id++ {
		if a.groupByID(id) == nil && !a.reservedGID[id] {
			return id, true
		}
	}
	return 0, false
}

func (a *accounts) addMember(g *group, user string) {
	for _, m := range g.members {
		if m == user {
			return
		}
	}
	g.members = append(g.members, user)
}

// addAccounts writes etc/passwd, etc/group, etc/shadow and etc/gshadow.
func addAccounts(t *tree, root rootFS, pkgs []pkg, users []User, groups []Group) ([]Skipped, error) {
	a, err := baseAccounts(root, pkgs)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		a.reservedUID[u.UID] = true
		a.reservedGID[u.GID] = true
	}
	for _, g := range groups {
		a.reservedGID[g.GID] = true
	}
	var skipped []Skipped
	for _, p := range pkgs {
		for _, script := range []string{"preinst", "postinst"} {
			body, ok := p.hasScript(script)
			if !ok {
				continue
			}
			for _, c := range parseCommands(body) {
				if reason := a.apply(c, p.name); reason != "" && len(skipped) < maxSkipped {
					skipped = append(skipped, Skipped{Package: p.name, Script: script, Line: c.Line, Command: c.String(), Reason: reason})
				}
			}
		}
	}
	if err := a.addSpec(users, groups); err != nil {
		return skipped, err
	}
	return skipped, a.write(t)
}

// baseAccounts is base-passwd's master files, or distroless' minimal set.
func baseAccounts(root rootFS, pkgs []pkg) (*accounts, error) {
	a := newAccounts()
	if installed(pkgs, "base-passwd") {
		pw, ok1 := root.read("usr/share/base-passwd/passwd.master")
		gr, ok2 := root.read("usr/share/base-passwd/group.master")
		if ok1 && ok2 {
			if err := a.parseMaster(pw, gr); err != nil {
				return nil, err
			}
			return a, nil
		}
	}
	const from = "the minimal account set"
	a.addUser(&account{name: "root", uid: 0, gid: 0, gecos: "root", home: "/root", shell: "/usr/sbin/nologin", lock: "*", from: from})
	a.addUser(&account{name: "nobody", uid: 65534, gid: 65534, gecos: "nobody", home: "/nonexistent", shell: "/usr/sbin/nologin", lock: "*", from: from})
	a.addGroup(&group{name: "root", gid: 0, lock: "*", from: from})
	a.addGroup(&group{name: "nogroup", gid: 65534, lock: "*", from: from})
	return a, nil
}

func (a *accounts) parseMaster(passwd, grp []byte) error {
	const from = "base-passwd"
	for n, l := range strings.Split(string(passwd), "\n") {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, ":")
		if len(f) != 7 {
			return fmt.Errorf("reading base-passwd's passwd.master line %d: want 7 fields, got %d: the package looks damaged, download it again", n+1, len(f))
		}
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil {
			return fmt.Errorf("reading base-passwd's passwd.master line %d: bad uid or gid in %q", n+1, l)
		}
		lock := f[1]
		if lock == "" || lock == "x" {
			lock = "*"
		}
		a.addUser(&account{name: f[0], uid: uid, gid: gid, gecos: f[4], home: f[5], shell: f[6], lock: lock, from: from})
	}
	for n, l := range strings.Split(string(grp), "\n") {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, ":")
		if len(f) != 4 {
			return fmt.Errorf("reading base-passwd's group.master line %d: want 4 fields, got %d: the package looks damaged, download it again", n+1, len(f))
		}
		gid, err := strconv.Atoi(f[2])
		if err != nil {
			return fmt.Errorf("reading base-passwd's group.master line %d: bad gid in %q", n+1, l)
		}
		lock := f[1]
		if lock == "" || lock == "x" {
			lock = "*"
		}
		g := &group{name: f[0], gid: gid, lock: lock, from: from}
		if f[3] != "" {
			g.members = strings.Split(f[3], ",")
		}
		a.addGroup(g)
	}
	return nil
}

// addSpec adds the spec's groups, then its users, refusing collisions.
func (a *accounts) addSpec(users []User, groups []Group) error {
	for _, g := range groups {
		if err := checkName("group", g.Name); err != nil {
			return err
		}
		if g.GID < 0 || g.GID > 1<<31-2 {
			return fmt.Errorf("spec group %q: gid %d is out of range: use 0 to 2147483646", g.Name, g.GID)
		}
		if old := a.group(g.Name); old != nil {
			return fmt.Errorf("spec group %q collides with the group of that name (gid %d) from %s: choose another name", g.Name, old.gid, old.from)
		}
		if old := a.groupByID(g.GID); old != nil {
			return fmt.Errorf("spec group %q: gid %d is already used by group %q from %s: choose another gid", g.Name, g.GID, old.name, old.from)
		}
		a.addGroup(&group{name: g.Name, gid: g.GID, lock: "!", from: "the spec"})
	}
	for _, u := range users {
		if err := checkName("user", u.Name); err != nil {
			return err
		}
		for _, f := range []string{u.Home, u.Shell, u.Gecos} {
			if strings.ContainsAny(f, ":\n") {
				return fmt.Errorf("spec user %q: %q contains ':' or a newline, which /etc/passwd cannot hold: remove it", u.Name, f)
			}
		}
		if u.UID < 0 || u.UID > 1<<31-2 || u.GID < 0 || u.GID > 1<<31-2 {
			return fmt.Errorf("spec user %q: uid %d or gid %d is out of range: use 0 to 2147483646", u.Name, u.UID, u.GID)
		}
		if old := a.user(u.Name); old != nil {
			return fmt.Errorf("spec user %q collides with the account of that name (uid %d) from %s: choose another name", u.Name, old.uid, old.from)
		}
		if old := a.userByID(u.UID); old != nil {
			return fmt.Errorf("spec user %q: uid %d is already used by %q from %s: choose another uid", u.Name, u.UID, old.name, old.from)
		}
		if a.groupByID(u.GID) == nil {
			// Like adduser's user groups: a user's own group when the spec
			// names none with that gid.
			if old := a.group(u.Name); old != nil {
				return fmt.Errorf("spec user %q: no group has gid %d and the group %q from %s has gid %d: add a group with gid %d to the spec or use gid %d", u.Name, u.GID, old.name, old.from, old.gid, u.GID, old.gid)
			}
			a.addGroup(&group{name: u.Name, gid: u.GID, lock: "!", from: "the spec"})
		}
		home, shell := u.Home, u.Shell
		if home == "" {
			home = "/nonexistent"
		}
		if shell == "" {
			shell = "/usr/sbin/nologin"
		}
		a.addUser(&account{name: u.Name, uid: u.UID, gid: u.GID, gecos: u.Gecos, home: home, shell: shell, lock: "!", from: "the spec"})
	}
	for _, g := range groups {
		gr := a.group(g.Name)
		for _, m := range g.Members {
			if a.user(m) == nil {
				return fmt.Errorf("spec group %q lists member %q, which is no account of the image: add the user or remove the member", g.Name, m)
			}
			a.addMember(gr, m)
		}
	}
	return nil
}

// checkName refuses names that would break the colon-separated files.
func checkName(kind, name string) error {
	if !safeName(name) {
		return fmt.Errorf("spec %s %q: not a valid account name: use lower-case letters, digits, '_', '-' and '.', at most 32 characters, not starting with '-'", kind, name)
	}
	return nil
}

func safeName(name string) bool {
	if name == "" || len(name) > 32 || name[0] == '-' || name == "." || name == ".." {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || (c == '$' && i == len(name)-1)) {
			return false
		}
	}
	return true
}

func safeField(s string) bool { return !strings.ContainsAny(s, ":\n\r") }

// write renders the four files, sorted by id (stable, so base-passwd's order
// of equal ids is kept).
func (a *accounts) write(t *tree) error {
	users := append([]*account(nil), a.users...)
	groups := append([]*group(nil), a.groups...)
	sort.SliceStable(users, func(i, j int) bool { return users[i].uid < users[j].uid })
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].gid < groups[j].gid })
	var passwd, shadow, grp, gshadow bytes.Buffer
	for _, u := range users {
		fmt.Fprintf(&passwd, "%s:x:%d:%d:%s:%s:%s\n", u.name, u.uid, u.gid, u.gecos, u.home, u.shell)
		fmt.Fprintf(&shadow, "%s:%s::0:99999:7:::\n", u.name, u.lock)
	}
	for _, g := range groups {
		m := strings.Join(g.members, ",")
		fmt.Fprintf(&grp, "%s:x:%d:%s\n", g.name, g.gid, m)
		fmt.Fprintf(&gshadow, "%s:%s::%s\n", g.name, g.lock, m)
	}
	shadowGID := 0
	if g := a.group("shadow"); g != nil {
		shadowGID = g.gid
	}
	for _, f := range []struct {
		path string
		mode int64
		gid  int
		body []byte
	}{
		{"etc/passwd", 0o644, 0, passwd.Bytes()},
		{"etc/group", 0o644, 0, grp.Bytes()},
		{"etc/shadow", 0o640, shadowGID, shadow.Bytes()},
		{"etc/gshadow", 0o640, shadowGID, gshadow.Bytes()},
	} {
		if err := t.file(f.path, f.mode, f.gid, f.body); err != nil {
			return err
		}
	}
	return nil
}
