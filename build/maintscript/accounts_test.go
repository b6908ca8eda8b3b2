package maintscript

import (
	"os"
	"strings"
	"testing"
)

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func control(name, version string, extra ...string) string {
	return "Package: " + name + "\nVersion: " + version + "\nArchitecture: amd64\nMaintainer: T <t@example.org>\nDescription: test package\n" + strings.Join(extra, "")
}

// basePasswdRoot is a root with base-passwd's real master files installed.
func basePasswdRoot(t *testing.T) (memRoot, Installed) {
	root := memRoot{files: map[string][]byte{
		"usr/share/base-passwd/passwd.master": []byte(readTestdata(t, "passwd.master")),
		"usr/share/base-passwd/group.master":  []byte(readTestdata(t, "group.master")),
	}}
	return root, installedFrom(t, readTestdata(t, "base-passwd.control"), nil, "/.", "/usr")
}

func TestAccountsFromBasePasswd(t *testing.T) {
	root, bp := basePasswdRoot(t)
	entries, err := Generate(root.input("amd64", bp))
	if err != nil {
		t.Fatal(err)
	}
	m := entryMap(entries)

	// passwd and group are the master files with "x" passwords, as
	// base-passwd's preinst and shadowconfig leave them.
	master := readTestdata(t, "passwd.master")
	wantPasswd := strings.ReplaceAll(master, ":*:", ":x:")
	if got := string(mustEntry(t, m, "etc/passwd").Body); got != wantPasswd {
		t.Errorf("etc/passwd:\n%s\nwant (passwd.master with x):\n%s", got, wantPasswd)
	}
	wantGroup := strings.ReplaceAll(readTestdata(t, "group.master"), ":*:", ":x:")
	if got := string(mustEntry(t, m, "etc/group").Body); got != wantGroup {
		t.Errorf("etc/group:\n%s\nwant:\n%s", got, wantGroup)
	}
	shadow := mustEntry(t, m, "etc/shadow")
	if shadow.Mode != 0o640 || shadow.GID != 42 || shadow.UID != 0 {
		t.Errorf("etc/shadow mode %o owner %d:%d, want 0640 0:42", shadow.Mode, shadow.UID, shadow.GID)
	}
	if !strings.HasPrefix(string(shadow.Body), "root:*::0:99999:7:::\ndaemon:*:") {
		t.Errorf("etc/shadow starts %q", string(shadow.Body)[:40])
	}
	if n, want := strings.Count(string(shadow.Body), "\n"), strings.Count(master, "\n"); n != want {
		t.Errorf("etc/shadow has %d lines, want %d", n, want)
	}
	gshadow := mustEntry(t, m, "etc/gshadow")
	if gshadow.Mode != 0o640 || gshadow.GID != 42 || !strings.Contains(string(gshadow.Body), "shadow:*::\n") {
		t.Errorf("etc/gshadow mode %o gid %d body %q", gshadow.Mode, gshadow.GID, gshadow.Body)
	}
	if e := mustEntry(t, m, "etc/passwd"); e.Mode != 0o644 || e.GID != 0 {
		t.Errorf("etc/passwd mode %o gid %d", e.Mode, e.GID)
	}
}

func TestAccountsMinimal(t *testing.T) {
	root := memRoot{files: map[string][]byte{}}
	in := root.input("amd64", installedFrom(t, control("libc6", "2.36-9"), nil, "/."))
	in.Users = []User{{Name: "nonroot", UID: 65532, GID: 65532, Home: "/home/nonroot"}}
	entries, err := Generate(in)
	if err != nil {
		t.Fatal(err)
	}
	m := entryMap(entries)
	wantPasswd := "root:x:0:0:root:/root:/usr/sbin/nologin\n" +
		"nonroot:x:65532:65532::/home/nonroot:/usr/sbin/nologin\n" +
		"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
	if got := string(mustEntry(t, m, "etc/passwd").Body); got != wantPasswd {
		t.Errorf("etc/passwd:\n%s\nwant:\n%s", got, wantPasswd)
	}
	wantGroup := "root:x:0:\nnonroot:x:65532:\nnogroup:x:65534:\n"
	if got := string(mustEntry(t, m, "etc/group").Body); got != wantGroup {
		t.Errorf("etc/group:\n%s\nwant:\n%s", got, wantGroup)
	}
	wantShadow := "root:*::0:99999:7:::\nnonroot:!::0:99999:7:::\nnobody:*::0:99999:7:::\n"
	shadow := mustEntry(t, m, "etc/shadow")
	if string(shadow.Body) != wantShadow || shadow.GID != 0 || shadow.Mode != 0o640 {
		t.Errorf("etc/shadow %o gid %d:\n%s\nwant:\n%s", shadow.Mode, shadow.GID, shadow.Body, wantShadow)
	}
}

func TestAccountsFromScripts(t *testing.T) {
	root, bp := basePasswdRoot(t)
	tests := []struct {
		desc       string
		script     string
		users      []User
		groups     []Group
		wantPasswd []string // lines that must be in etc/passwd
		wantGroup  []string
		skipped    []string // substrings of Skipped reasons, in order
	}{
		{
			desc:       "openssh-server's adduser --system",
			script:     readTestdata(t, "openssh-server.postinst"),
			wantPasswd: []string{"sshd:x:100:65534::/run/sshd:/usr/sbin/nologin"},
		},
		{
			desc:       "dbus's call through a function and a variable",
			script:     readTestdata(t, "dbus-system-bus-common.postinst"),
			wantPasswd: []string{"messagebus:x:100:101::/nonexistent:/usr/sbin/nologin"},
			wantGroup:  []string{"messagebus:x:101:"},
		},
		{
			desc:    "a call with an unresolved variable is reported",
			script:  "adduser --system --home \"$HOME_DIR\" foo\n",
			skipped: []string{`argument "$HOME_DIR" needs the shell`},
		},
		{
			desc:       "adduser --system --group makes a group, with the same id when free",
			script:     "adduser --system --quiet --group --home /var/lib/foo --gecos 'Foo daemon' foo\nadduser --system --uid 110 --group bar\n",
			wantPasswd: []string{"foo:x:100:101:Foo daemon:/var/lib/foo:/usr/sbin/nologin", "bar:x:110:110:"},
			wantGroup:  []string{"foo:x:101:", "bar:x:110:"},
		},
		{
			desc:       "explicit ids, ingroup and an existing user",
			script:     "addgroup --system --gid 120 bar\nadduser --system --uid 130 --ingroup bar bar\nadduser --system bar\nadduser bar users\n",
			wantPasswd: []string{"bar:x:130:120::/nonexistent:/usr/sbin/nologin"},
			wantGroup:  []string{"bar:x:120:", "users:x:100:bar"},
		},
		{
			desc:       "useradd -r with a user group, groupadd and usermod",
			script:     "groupadd -r -g 150 svc\nuseradd -rM -d /srv/x -s /bin/false -c X x\nusermod -a -G svc x\n",
			wantPasswd: []string{"x:x:100:101:X:/srv/x:/bin/false"},
			wantGroup:  []string{"svc:x:150:x", "x:x:101:"},
		},
		{
			desc:       "ids the spec wants are not allocated to packages",
			script:     "adduser --system first\n",
			users:      []User{{Name: "app", UID: 100, GID: 2000}},
			wantPasswd: []string{"app:x:100:2000::/nonexistent:/usr/sbin/nologin", "first:x:101:65534:"},
			wantGroup:  []string{"app:x:2000:"},
		},
		{
			desc:       "spec groups and members",
			users:      []User{{Name: "nonroot", UID: 65532, GID: 65532}},
			groups:     []Group{{Name: "nonroot", GID: 65532}, {Name: "app", GID: 2000, Members: []string{"nonroot"}}},
			wantPasswd: []string{"nonroot:x:65532:65532::/nonexistent:/usr/sbin/nologin"},
			wantGroup:  []string{"nonroot:x:65532:", "app:x:2000:nonroot"},
		},
		{
			desc:    "non-system and unknown options are reported",
			script:  "adduser joe\nuseradd joe\nadduser --system --frobnicate joe\n",
			skipped: []string{"only system accounts", "only system accounts", "unknown option --frobnicate"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			p := installedFrom(t, control("pkg", "1"), map[string]string{"postinst": tt.script}, "/.")
			in := root.input("amd64", bp, p)
			in.Users, in.Groups = tt.users, tt.groups
			res, err := Emulate(in)
			if err != nil {
				t.Fatal(err)
			}
			m := entryMap(res.Entries)
			passwd := string(mustEntry(t, m, "etc/passwd").Body)
			for _, l := range tt.wantPasswd {
				if !strings.Contains(passwd, l) {
					t.Errorf("etc/passwd lacks %q:\n%s", l, passwd)
				}
			}
			grp := string(mustEntry(t, m, "etc/group").Body)
			for _, l := range tt.wantGroup {
				if !strings.Contains(grp, l+"\n") {
					t.Errorf("etc/group lacks %q:\n%s", l, grp)
				}
			}
			var reasons []string
			for _, s := range res.Skipped {
				reasons = append(reasons, s.String())
			}
			if len(reasons) != len(tt.skipped) {
				t.Fatalf("skipped %q, want %d matching %q", reasons, len(tt.skipped), tt.skipped)
			}
			for i, r := range tt.skipped {
				if !strings.Contains(reasons[i], r) {
					t.Errorf("skipped[%d] = %q, want it to mention %q", i, reasons[i], r)
				}
			}
		})
	}
}

func TestAccountsSpecCollisions(t *testing.T) {
	root, bp := basePasswdRoot(t)
	tests := []struct {
		desc   string
		users  []User
		groups []Group
		want   string
	}{
		{"user name taken", []User{{Name: "daemon", UID: 5000, GID: 5000}}, nil, `spec user "daemon" collides with the account of that name (uid 1) from base-passwd`},
		{"uid taken", []User{{Name: "app", UID: 65534, GID: 5000}}, nil, `uid 65534 is already used by "nobody"`},
		{"user taken by a package", []User{{Name: "sshd", UID: 5000, GID: 5000}}, nil, "from package pkg"},
		{"group name taken", nil, []Group{{Name: "staff", GID: 5000}}, `spec group "staff" collides`},
		{"gid taken", nil, []Group{{Name: "app", GID: 50}}, `gid 50 is already used by group "staff"`},
		{"bad name", []User{{Name: "a:b", UID: 5000, GID: 5000}}, nil, "not a valid account name"},
		{"unknown member", nil, []Group{{Name: "app", GID: 5000, Members: []string{"ghost"}}}, `lists member "ghost"`},
		{"user group name taken with another gid", []User{{Name: "staff", UID: 5000, GID: 5000}}, nil, `the group "staff" from base-passwd has gid 50`},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			p := installedFrom(t, control("pkg", "1"), map[string]string{"postinst": "adduser --system sshd\n"}, "/.")
			in := root.input("amd64", bp, p)
			in.Users, in.Groups = tt.users, tt.groups
			_, err := Generate(in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
