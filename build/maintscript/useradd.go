package maintscript

import (
	"strconv"
	"strings"
)

// optSpec describes a command's options: which take a value.
type optSpec struct {
	long  map[string]bool // long option -> takes a value
	short map[byte]bool   // short option -> takes a value
}

// getopt splits args into options (name -> value, "" for flags; short
// options as "-x", long as "--xx") and positional arguments. unknown is the
// first option the spec does not know.
func getopt(args []string, spec optSpec) (opts map[string]string, pos []string, unknown string) {
	opts = map[string]string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			return
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a, "=")
			takes, known := spec.long[name]
			if !known {
				if unknown == "" {
					unknown = name
				}
				continue
			}
			if takes && !hasVal {
				if i+1 >= len(args) {
					if unknown == "" {
						unknown = name + " (without its value)"
					}
					continue
				}
				i++
				val = args[i]
			}
			opts[name] = val
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for k := 1; k < len(a); k++ {
				c := a[k]
				takes, known := spec.short[c]
				if !known {
					if unknown == "" {
						unknown = "-" + string(c)
					}
					break
				}
				if !takes {
					opts["-"+string(c)] = ""
					continue
				}
				val := a[k+1:]
				if val == "" {
					if i+1 >= len(args) {
						if unknown == "" {
							unknown = "-" + string(c) + " (without its value)"
						}
						break
					}
					i++
					val = args[i]
				}
				opts["-"+string(c)] = val
				break
			}
		default:
			pos = append(pos, a)
		}
	}
	return
}

func opt(opts map[string]string, names ...string) (string, bool) {
	for _, n := range names {
		if v, ok := opts[n]; ok {
			return v, true
		}
	}
	return "", false
}

var adduserOpts = optSpec{
	long: map[string]bool{
		"--home": true, "--shell": true, "--uid": true, "--gid": true, "--ingroup": true,
		"--gecos": true, "--comment": true, "--conf": true, "--firstuid": true, "--lastuid": true,
		"--firstgid": true, "--lastgid": true, "--key": true, "--extrausers": false,
		"--system": false, "--group": false, "--quiet": false, "--debug": false, "--verbose": false,
		"--force-badname": false, "--allow-badname": false, "--allow-bad-names": false,
		"--allow-all-names": false, "--disabled-password": false, "--disabled-login": false,
		"--no-create-home": false, "--encrypt-home": false, "--add_extra_groups": false,
		"--add-extra-groups": false, "--stdoutmsglevel": true, "--stderrmsglevel": true,
		"--logmsglevel": true,
	},
	short: map[byte]bool{'q': false, 'd': false, 'c': true},
}

var useraddOpts = optSpec{
	long: map[string]bool{
		"--system": false, "--uid": true, "--gid": true, "--groups": true, "--home-dir": true,
		"--shell": true, "--comment": true, "--no-create-home": false, "--create-home": false,
		"--no-user-group": false, "--user-group": false, "--non-unique": false, "--key": true,
		"--no-log-init": false, "--password": true, "--expiredate": true, "--inactive": true,
		"--skel": true, "--base-dir": true, "--root": true, "--prefix": true, "--selinux-user": true,
		"--btrfs-subvolume-home": false, "--badname": false, "--badnames": false,
	},
	short: map[byte]bool{
		'r': false, 'u': true, 'g': true, 'G': true, 'd': true, 's': true, 'c': true, 'M': false,
		'm': false, 'N': false, 'U': false, 'o': false, 'K': true, 'l': false, 'p': true,
		'e': true, 'f': true, 'k': true, 'b': true, 'R': true, 'P': true, 'Z': true,
	},
}

var groupaddOpts = optSpec{
	long: map[string]bool{
		"--system": false, "--gid": true, "--force": false, "--non-unique": false, "--key": true,
		"--password": true, "--root": true, "--prefix": true, "--users": true,
	},
	short: map[byte]bool{'r': false, 'g': true, 'f': false, 'o': false, 'K': true, 'p': true, 'R': true, 'P': true, 'U': true},
}

var usermodOpts = optSpec{
	long:  map[string]bool{"--append": false, "--groups": true},
	short: map[byte]bool{'a': false, 'G': true},
}

// apply runs one command against the database if it manages accounts. It
// returns why the command was not emulated, or "".
func (a *accounts) apply(c command, pkgName string) string {
	switch c.name() {
	case "adduser", "addgroup", "useradd", "groupadd", "usermod", "gpasswd":
	default:
		return ""
	}
	if c.Dynamic != "" {
		return "argument " + strconvQuote(c.Dynamic) + " needs the shell to expand it"
	}
	if len(a.users)+len(a.groups) > maxAccounts {
		return "too many accounts"
	}
	from := "package " + pkgName
	switch c.name() {
	case "adduser", "addgroup":
		return a.adduser(c, from)
	case "useradd":
		return a.useradd(c, from)
	case "groupadd":
		return a.groupadd(c, from)
	case "usermod":
		opts, pos, unknown := getopt(c.Args[1:], usermodOpts)
		groups, ok := opt(opts, "-G", "--groups")
		if unknown != "" || !ok || len(pos) != 1 {
			return "only \"usermod -a -G GROUPS USER\" is emulated"
		}
		return a.join(pos[0], strings.Split(groups, ","))
	case "gpasswd":
		if len(c.Args) == 4 && c.Args[1] == "-a" {
			return a.join(c.Args[2], []string{c.Args[3]})
		}
		return "only \"gpasswd -a USER GROUP\" is emulated"
	}
	return ""
}

func strconvQuote(s string) string { return strconv.Quote(s) }

// join adds an existing user to existing groups.
func (a *accounts) join(user string, groups []string) string {
	if a.user(user) == nil {
		return "user " + strconvQuote(user) + " does not exist"
	}
	for _, name := range groups {
		if a.group(name) == nil {
			return "group " + strconvQuote(name) + " does not exist"
		}
	}
	for _, name := range groups {
		a.addMember(a.group(name), user)
	}
	return ""
}

func (a *accounts) adduser(c command, from string) string {
	opts, pos, unknown := getopt(c.Args[1:], adduserOpts)
	if unknown != "" {
		return "unknown option " + unknown
	}
	_, system := opts["--system"]
	_, groupFlag := opts["--group"]
	if c.name() == "addgroup" || (groupFlag && !system) {
		if len(pos) == 2 && c.name() == "addgroup" {
			return a.join(pos[0], pos[1:])
		}
		if len(pos) != 1 {
			return "expected one group name"
		}
		return a.newGroup(pos[0], opts, "--gid", from)
	}
	if len(pos) == 2 && !system {
		return a.join(pos[0], pos[1:])
	}
	if len(pos) != 1 {
		return "expected one user name"
	}
	if !system {
		return "only system accounts (--system) are emulated"
	}
	name := pos[0]
	if !safeName(name) {
		return "invalid user name " + strconvQuote(name)
	}
	if a.user(name) != nil {
		return "" // adduser --system leaves an existing system user alone
	}
	want := -1
	if v, ok := opts["--uid"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return "bad --uid " + strconvQuote(v)
		}
		if a.userByID(n) != nil || a.reservedUID[n] {
			return "uid " + v + " is taken"
		}
		want = n
	}
	uid, ok := a.freeUID(want)
	if !ok {
		return "no free system uid"
	}
	gid := 65534 // nogroup
	switch {
	case groupFlag:
		g := a.group(name)
		if g == nil {
			id, ok := a.freeGID(uid)
			if !ok {
				return "no free system gid"
			}
			g = &group{name: name, gid: id, lock: "!", from: from}
			a.addGroup(g)
		}
		gid = g.gid
	case opts["--ingroup"] != "":
		g := a.group(opts["--ingroup"])
		if g == nil {
			return "group " + strconvQuote(opts["--ingroup"]) + " does not exist"
		}
		gid = g.gid
	case opts["--gid"] != "":
		n, err := strconv.Atoi(opts["--gid"])
		if err != nil || a.groupByID(n) == nil {
			return "gid " + strconvQuote(opts["--gid"]) + " is not an existing group"
		}
		gid = n
	}
	home, shell := "/nonexistent", "/usr/sbin/nologin"
	if v, ok := opts["--home"]; ok {
		home = v
	}
	if v, ok := opts["--shell"]; ok {
		shell = v
	}
	gecos, _ := opt(opts, "--gecos", "--comment", "-c")
	if !safeField(home) || !safeField(shell) || !safeField(gecos) {
		return "a field contains ':' or a newline"
	}
	a.addUser(&account{name: name, uid: uid, gid: gid, gecos: gecos, home: home, shell: shell, lock: "!", from: from})
	return ""
}

// newGroup creates a system group unless it exists.
func (a *accounts) newGroup(name string, opts map[string]string, gidOpt, from string) string {
	if !safeName(name) {
		return "invalid group name " + strconvQuote(name)
	}
	if a.group(name) != nil {
		return ""
	}
	want := -1
	if v, ok := opts[gidOpt]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return "bad gid " + strconvQuote(v)
		}
		if a.groupByID(n) != nil || a.reservedGID[n] {
			return "gid " + v + " is taken"
		}
		want = n
	}
	gid, ok := a.freeGID(want)
	if !ok {
		return "no free system gid"
	}
	a.addGroup(&group{name: name, gid: gid, lock: "!", from: from})
	return ""
}

func (a *accounts) groupadd(c command, from string) string {
	opts, pos, unknown := getopt(c.Args[1:], groupaddOpts)
	if unknown != "" {
		return "unknown option " + unknown
	}
	if len(pos) != 1 {
		return "expected one group name"
	}
	if v, ok := opts["--gid"]; ok {
		opts["-g"] = v
	}
	return a.newGroup(pos[0], opts, "-g", from)
}

func (a *accounts) useradd(c command, from string) string {
	opts, pos, unknown := getopt(c.Args[1:], useraddOpts)
	if unknown != "" {
		return "unknown option " + unknown
	}
	if len(pos) != 1 {
		return "expected one user name"
	}
	if _, ok := opt(opts, "-r", "--system"); !ok {
		return "only system accounts (-r) are emulated"
	}
	name := pos[0]
	if !safeName(name) {
		return "invalid user name " + strconvQuote(name)
	}
	if a.user(name) != nil {
		return "user " + strconvQuote(name) + " exists" // useradd fails; scripts guard it
	}
	want := -1
	if v, ok := opt(opts, "-u", "--uid"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return "bad uid " + strconvQuote(v)
		}
		if a.userByID(n) != nil || a.reservedUID[n] {
			return "uid " + v + " is taken"
		}
		want = n
	}
	uid, ok := a.freeUID(want)
	if !ok {
		return "no free system uid"
	}
	var gid int
	_, noUserGroup := opt(opts, "-N", "--no-user-group")
	if v, ok := opt(opts, "-g", "--gid"); ok {
		g := a.group(v)
		if n, err := strconv.Atoi(v); err == nil {
			g = a.groupByID(n)
		}
		if g == nil {
			return "group " + strconvQuote(v) + " does not exist"
		}
		gid = g.gid
	} else if noUserGroup {
		gid = 100 // useradd's GROUP default, "users"
	} else {
		if a.group(name) != nil {
			return "group " + strconvQuote(name) + " exists; useradd wants -g"
		}
		id, ok := a.freeGID(uid)
		if !ok {
			return "no free system gid"
		}
		a.addGroup(&group{name: name, gid: id, lock: "!", from: from})
		gid = id
	}
	home, shell := "/home/"+name, "/bin/sh"
	if v, ok := opt(opts, "-d", "--home-dir"); ok {
		home = v
	}
	if v, ok := opt(opts, "-s", "--shell"); ok {
		shell = v
	}
	gecos, _ := opt(opts, "-c", "--comment")
	if !safeField(home) || !safeField(shell) || !safeField(gecos) {
		return "a field contains ':' or a newline"
	}
	a.addUser(&account{name: name, uid: uid, gid: gid, gecos: gecos, home: home, shell: shell, lock: "!", from: from})
	if v, ok := opt(opts, "-G", "--groups"); ok {
		if r := a.join(name, strings.Split(v, ",")); r != "" {
			return r
		}
	}
	return ""
}
