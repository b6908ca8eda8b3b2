package run

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLookupUser(t *testing.T) {
	pw := parsePasswd([]byte(testPasswd + "broken line\nbad:x:notanumber:1::/:\n"))
	gr := parseGroup([]byte(testGroup + "ops:x:60:app,nonroot\n"))
	tests := []struct {
		desc     string
		user     string
		uid, gid uint32
		groups   []uint32
		home     string
		wantErr  string
	}{
		{desc: "empty is root", user: "", uid: 0, gid: 0, home: "/root"},
		{desc: "name", user: "app", uid: 1000, gid: 1000, groups: []uint32{50, 60}, home: "/home/app"},
		{desc: "uid in passwd takes its gid", user: "65532", uid: 65532, gid: 65532, groups: []uint32{60}, home: "/home/nonroot"},
		{desc: "uid not in passwd gets gid 0", user: "1234", uid: 1234, gid: 0},
		{desc: "uid:gid", user: "1234:5678", uid: 1234, gid: 5678},
		{desc: "name:group", user: "app:ops", uid: 1000, gid: 60, home: "/home/app"},
		{desc: "name:gid", user: "app:7", uid: 1000, gid: 7, home: "/home/app"},
		{desc: "uid:group", user: "9:staff", uid: 9, gid: 50},
		{desc: "unknown name", user: "ghost", wantErr: `no user named "ghost"`},
		{desc: "unknown group", user: "app:ghosts", wantErr: `no group named "ghosts"`},
		{desc: "malformed line is not a user", user: "bad", wantErr: "no user named"},
		{desc: "empty group", user: "app:", wantErr: "want name, uid"},
		{desc: "uid too large is a name", user: "99999999999", wantErr: "no user named"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			acc, err := lookupUser(pw, gr, tc.user)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if acc.UID != tc.uid || acc.GID != tc.gid || acc.Home != tc.home || !slices.Equal(acc.Groups, tc.groups) {
				t.Errorf("got %+v, want uid %d gid %d groups %v home %q", acc, tc.uid, tc.gid, tc.groups, tc.home)
			}
		})
	}
}

func TestResolveUserReadsImageFiles(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "real"), 0o755)
	os.WriteFile(filepath.Join(dir, "real/passwd"), []byte("svc:x:42:43::/srv:/bin/false\n"), 0o644)
	os.Symlink("/real", filepath.Join(dir, "etc")) // absolute link: resolved inside the root
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	acc, err := resolveUser(root, "svc")
	if err != nil {
		t.Fatal(err)
	}
	if acc.UID != 42 || acc.GID != 43 || acc.Home != "/srv" {
		t.Errorf("got %+v", acc)
	}
	if _, err := resolveUser(root, "root"); err == nil {
		t.Errorf("root resolved although the image's passwd has no root entry")
	}
}

func FuzzParsePasswd(f *testing.F) {
	f.Add([]byte(testPasswd))
	f.Add([]byte("a:x:1:2\n:x:1:1::/:\n#c\nb:x:-1:0::/:\nc:x:4294967296:0"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, e := range parsePasswd(data) {
			if e.name == "" || strings.ContainsAny(e.name, ":\n") {
				t.Fatalf("bad entry %+v", e)
			}
		}
		_, _ = lookupUser(parsePasswd(data), parseGroup(data), "a:b")
	})
}

func FuzzParseGroup(f *testing.F) {
	f.Add([]byte(testGroup))
	f.Add([]byte("g:x:1:a,b,,c\nh::2\n:x:3:\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, e := range parseGroup(data) {
			if e.name == "" || strings.ContainsAny(e.name, ":\n") {
				t.Fatalf("bad entry %+v", e)
			}
		}
	})
}

func FuzzLookupUser(f *testing.F) {
	pw, gr := parsePasswd([]byte(testPasswd)), parseGroup([]byte(testGroup))
	for _, s := range []string{"", "app", "0", "1:2", "app:staff", ":", "a:b:c", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, user string) {
		acc, err := lookupUser(pw, gr, user)
		if err == nil && user == "app" && acc.UID != 1000 {
			t.Fatalf("app resolved to %+v", acc)
		}
	})
}
