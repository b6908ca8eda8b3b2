package run

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// maxAccountFile bounds /etc/passwd and /etc/group read from an image.
const maxAccountFile = 4 << 20

// account is who the container process runs as.
type account struct {
	UID, GID uint32
	Groups   []uint32 // supplementary groups from /etc/group
	Home     string   // "" when the user is not in /etc/passwd
}

type passwdEntry struct {
	name     string
	uid, gid uint32
	home     string
}

type groupEntry struct {
	name    string
	gid     uint32
	members []string
}

// parsePasswd parses /etc/passwd lines (name:x:uid:gid:gecos:home:shell),
// skipping comments and malformed lines as libc does.
func parsePasswd(b []byte) []passwdEntry {
	var out []passwdEntry
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxAccountFile)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, ":")
		if len(f) < 4 || f[0] == "" {
			continue
		}
		uid, err1 := parseID(f[2])
		gid, err2 := parseID(f[3])
		if err1 != nil || err2 != nil {
			continue
		}
		e := passwdEntry{name: f[0], uid: uid, gid: gid}
		if len(f) > 5 {
			e.home = f[5]
		}
		out = append(out, e)
	}
	return out
}

// parseGroup parses /etc/group lines (name:x:gid:member,member).
func parseGroup(b []byte) []groupEntry {
	var out []groupEntry
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxAccountFile)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, ":")
		if len(f) < 3 || f[0] == "" {
			continue
		}
		gid, err := parseID(f[2])
		if err != nil {
			continue
		}
		e := groupEntry{name: f[0], gid: gid}
		if len(f) > 3 && f[3] != "" {
			e.members = strings.Split(f[3], ",")
		}
		out = append(out, e)
	}
	return out
}

func parseID(s string) (uint32, error) {
	n, err := strconv.ParseUint(s, 10, 32)
	return uint32(n), err
}

// readAccountFile reads an account file of the image; a missing one is empty.
func readAccountFile(root *os.Root, name string) ([]byte, error) {
	p, err := resolve(root, name, true)
	if err != nil {
		return nil, err
	}
	f, err := root.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the image's /%s: %w", name, err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(f, maxAccountFile+1)); err != nil {
		return nil, fmt.Errorf("reading the image's /%s: %w", name, err)
	}
	if buf.Len() > maxAccountFile {
		return nil, fmt.Errorf("reading the image's /%s: larger than %d bytes", name, maxAccountFile)
	}
	return buf.Bytes(), nil
}

// resolveUser turns a Docker-style user ("", "name", "uid", "uid:gid",
// "name:group", "uid:group") into ids using the image's account files. Like
// Docker, a numeric uid missing from /etc/passwd runs with gid 0, while a name
// that is not found is an error.
func resolveUser(root *os.Root, user string) (account, error) {
	pw, err := readAccountFile(root, "etc/passwd")
	if err != nil {
		return account{}, err
	}
	gr, err := readAccountFile(root, "etc/group")
	if err != nil {
		return account{}, err
	}
	return lookupUser(parsePasswd(pw), parseGroup(gr), user)
}

func lookupUser(pw []passwdEntry, gr []groupEntry, user string) (account, error) {
	if user == "" {
		user = "0"
	}
	u, g, hasGroup := strings.Cut(user, ":")
	if u == "" || (hasGroup && g == "") {
		return account{}, fmt.Errorf("user %q: want name, uid, uid:gid or name:group", user)
	}
	var acc account
	var entry *passwdEntry
	if id, err := parseID(u); err == nil {
		acc.UID = id
		for i := range pw {
			if pw[i].uid == id {
				entry = &pw[i]
				break
			}
		}
	} else {
		for i := range pw {
			if pw[i].name == u {
				entry = &pw[i]
				break
			}
		}
		if entry == nil {
			return account{}, fmt.Errorf("user %q: no user named %q in the image's /etc/passwd; use a numeric uid or add the user to the image", user, u)
		}
		acc.UID = entry.uid
	}
	if entry != nil {
		acc.GID, acc.Home = entry.gid, entry.home
	}
	if hasGroup {
		if id, err := parseID(g); err == nil {
			acc.GID = id
		} else {
			found := false
			for _, e := range gr {
				if e.name == g {
					acc.GID, found = e.gid, true
					break
				}
			}
			if !found {
				return account{}, fmt.Errorf("user %q: no group named %q in the image's /etc/group; use a numeric gid or add the group to the image", user, g)
			}
		}
	}
	if entry != nil && !hasGroup {
		seen := map[uint32]bool{acc.GID: true}
		for _, e := range gr {
			for _, m := range e.members {
				if m == entry.name && !seen[e.gid] {
					seen[e.gid] = true
					acc.Groups = append(acc.Groups, e.gid)
				}
			}
		}
	}
	return acc, nil
}
