package maintscript

import (
	"archive/tar"
	"strings"
	"testing"
)

// mawkRoot is a root with mawk's files, as its .deb ships them.
func mawkRoot(t *testing.T) (memRoot, Installed) {
	root := memRoot{files: map[string][]byte{
		"usr/bin/mawk":                  []byte("ELF"),
		"usr/share/man/man1/mawk.1.gz":  []byte("man"),
		"usr/share/doc/mawk/copyright":  []byte("c"),
		"usr/lib/os-release":            []byte("ID=debian\n"),
		"var/lib/dpkg/info/placeholder": nil,
	}}
	p := installedFrom(t, readTestdata(t, "mawk.control"), map[string]string{"postinst": readTestdata(t, "mawk.postinst")},
		"/.", "/usr", "/usr/bin", "/usr/bin/mawk", "/usr/share", "/usr/share/man", "/usr/share/man/man1", "/usr/share/man/man1/mawk.1.gz")
	return root, p
}

func TestAlternativesMawk(t *testing.T) {
	root, p := mawkRoot(t)
	res, err := Emulate(root.input("amd64", p))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 0 {
		t.Errorf("skipped %v", res.Skipped)
	}
	m := entryMap(res.Entries)
	links := map[string]string{
		"usr/bin/awk":                  "/etc/alternatives/awk",
		"etc/alternatives/awk":         "/usr/bin/mawk",
		"usr/bin/nawk":                 "/etc/alternatives/nawk",
		"etc/alternatives/nawk":        "/usr/bin/mawk",
		"usr/share/man/man1/awk.1.gz":  "/etc/alternatives/awk.1.gz",
		"etc/alternatives/awk.1.gz":    "/usr/share/man/man1/mawk.1.gz",
		"usr/share/man/man1/nawk.1.gz": "/etc/alternatives/nawk.1.gz",
		"etc/alternatives/nawk.1.gz":   "/usr/share/man/man1/mawk.1.gz",
	}
	for p, target := range links {
		e := mustEntry(t, m, p)
		if e.Type != tar.TypeSymlink || e.Linkname != target {
			t.Errorf("%s: type %q -> %q, want symlink -> %q", p, e.Type, e.Linkname, target)
		}
	}
	// What update-alternatives 1.21 writes for mawk alone.
	want := "auto\n/usr/bin/awk\n" +
		"awk.1.gz\n/usr/share/man/man1/awk.1.gz\n" +
		"nawk\n/usr/bin/nawk\n" +
		"nawk.1.gz\n/usr/share/man/man1/nawk.1.gz\n" +
		"\n" +
		"/usr/bin/mawk\n5\n/usr/share/man/man1/mawk.1.gz\n/usr/bin/mawk\n/usr/share/man/man1/mawk.1.gz\n" +
		"\n"
	if got := string(mustEntry(t, m, "var/lib/dpkg/alternatives/awk").Body); got != want {
		t.Errorf("alternatives/awk:\n%q\nwant\n%q", got, want)
	}
	if e := mustEntry(t, m, "etc/alternatives"); e.Type != tar.TypeDir {
		t.Errorf("etc/alternatives is %q", e.Type)
	}
}

func TestAlternativesChoice(t *testing.T) {
	tests := []struct {
		desc    string
		files   []string
		scripts map[string]string // package -> postinst
		want    map[string]string // link -> target; "" means no entry
		admin   string            // expected var/lib/dpkg/alternatives/<name> when set
		skipped []string
	}{
		{
			desc:  "highest priority wins across packages",
			files: []string{"usr/bin/mawk", "usr/bin/gawk"},
			scripts: map[string]string{
				"mawk": "update-alternatives --install /usr/bin/awk awk /usr/bin/mawk 5\n",
				"gawk": "update-alternatives --quiet --install /usr/bin/awk awk /usr/bin/gawk 10\n",
			},
			want:  map[string]string{"etc/alternatives/awk": "/usr/bin/gawk", "usr/bin/awk": "/etc/alternatives/awk"},
			admin: "auto\n/usr/bin/awk\n\n/usr/bin/gawk\n10\n/usr/bin/mawk\n5\n\n",
		},
		{
			desc:  "ties go to the first path in byte order",
			files: []string{"usr/bin/b", "usr/bin/a"},
			scripts: map[string]string{
				"pb": "update-alternatives --install /usr/bin/x x /usr/bin/b 1\n",
				"pa": "update-alternatives --install /usr/bin/x x /usr/bin/a 1\n",
			},
			want: map[string]string{"etc/alternatives/x": "/usr/bin/a"},
		},
		{
			desc:    "a choice whose path is missing is dropped and reported",
			files:   []string{"usr/bin/mawk"},
			scripts: map[string]string{"gawk": "update-alternatives --install /usr/bin/awk awk /usr/bin/gawk 10\n", "mawk": "update-alternatives --install /usr/bin/awk awk /usr/bin/mawk 5\n"},
			want:    map[string]string{"etc/alternatives/awk": "/usr/bin/mawk"},
			skipped: []string{"gawk postinst line 1: update-alternatives --install /usr/bin/awk awk /usr/bin/gawk 10: alternative path /usr/bin/gawk is not in the image"},
		},
		{
			desc:    "unresolved variables are reported, other actions ignored",
			files:   []string{"usr/bin/x1"},
			scripts: map[string]string{"p": "V=$(date)\nupdate-alternatives --install /usr/bin/x x /usr/bin/x$V 1\nupdate-alternatives --remove x /usr/bin/x1\nupdate-alternatives --display $N\n"},
			want:    map[string]string{"etc/alternatives/x": ""},
			skipped: []string{`p postinst line 2: update-alternatives --install /usr/bin/x x /usr/bin/x$V 1: argument "/usr/bin/x$V" needs the shell`},
		},
		{
			desc:    "a slave whose file is missing gets no link",
			files:   []string{"usr/bin/a"},
			scripts: map[string]string{"p": "update-alternatives --install /usr/bin/x x /usr/bin/a 1 --slave /usr/share/man/man1/x.1.gz x.1.gz /usr/share/man/man1/a.1.gz\n"},
			want:    map[string]string{"etc/alternatives/x": "/usr/bin/a", "etc/alternatives/x.1.gz": "", "usr/share/man/man1/x.1.gz": ""},
			admin:   "auto\n/usr/bin/x\nx.1.gz\n/usr/share/man/man1/x.1.gz\n\n/usr/bin/a\n1\n/usr/share/man/man1/a.1.gz\n\n",
		},
		{
			desc:    "merged /usr: a link under /bin is written under usr/bin",
			files:   []string{"usr/bin/a"},
			scripts: map[string]string{"p": "update-alternatives --install /bin/x x /bin/a 1\n"},
			want:    map[string]string{"usr/bin/x": "/etc/alternatives/x", "bin/x": "", "etc/alternatives/x": "/bin/a"},
		},
		{
			desc:    "a link a package ships as a file is left alone",
			files:   []string{"usr/bin/a", "usr/bin/x"},
			scripts: map[string]string{"p": "update-alternatives --install /usr/bin/x x /usr/bin/a 1\n"},
			want:    map[string]string{"usr/bin/x": "", "etc/alternatives/x": ""},
			skipped: []string{"ships /usr/bin/x as a file"},
		},
		{
			desc:    "malformed calls",
			files:   []string{"usr/bin/a"},
			scripts: map[string]string{"p": "update-alternatives --install /usr/bin/x x /usr/bin/a high\nupdate-alternatives --install x x /usr/bin/a 1\nupdate-alternatives --install /usr/bin/y y /usr/bin/a 1 --slave /usr/bin/z\n"},
			skipped: []string{"is not an integer", "not absolute", "--slave needs"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			root := memRoot{files: map[string][]byte{}}
			for _, f := range tt.files {
				root.files[f] = []byte(f)
			}
			var pkgs []Installed
			for name, script := range tt.scripts {
				pkgs = append(pkgs, installedFrom(t, control(name, "1"), map[string]string{"postinst": script}, "/."))
			}
			res, err := Emulate(root.input("amd64", pkgs...))
			if err != nil {
				t.Fatal(err)
			}
			m := entryMap(res.Entries)
			for p, target := range tt.want {
				e, ok := m[p]
				if target == "" {
					if ok {
						t.Errorf("unexpected entry %s -> %s", p, e.Linkname)
					}
					continue
				}
				if !ok || e.Type != tar.TypeSymlink || e.Linkname != target {
					t.Errorf("%s -> %q (present %v), want -> %q", p, e.Linkname, ok, target)
				}
			}
			if tt.admin != "" {
				name := ""
				for p := range m {
					if strings.HasPrefix(p, "var/lib/dpkg/alternatives/") {
						name = p
					}
				}
				if got := string(m[name].Body); got != tt.admin {
					t.Errorf("%s:\n%q\nwant\n%q", name, got, tt.admin)
				}
			}
			if len(res.Skipped) != len(tt.skipped) {
				t.Fatalf("skipped %v, want %d like %q", res.Skipped, len(tt.skipped), tt.skipped)
			}
			for i, s := range tt.skipped {
				if got := res.Skipped[i].String(); !strings.Contains(got, s) {
					t.Errorf("skipped[%d] = %q, want it to contain %q", i, got, s)
				}
			}
		})
	}
}
