package deb

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/internal/testenv"
)

// TestReadRealPackages reads real .debs and compares the result with what
// dpkg-deb itself reports: every entry's type, mode, owner, size, path and
// link target, in archive order, and every control member byte for byte.
func TestReadRealPackages(t *testing.T) {
	for _, pkg := range []string{"base-files", "netbase"} {
		t.Run(pkg, func(t *testing.T) {
			file := testenv.DownloadDebs(t, pkg)[pkg]
			testenv.RequireTool(t, "dpkg-deb")
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			a, err := Read(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if got := a.Control.Get("Package"); got != pkg {
				t.Errorf("Package = %q", got)
			}

			// data.tar: one line per entry, as GNU tar lists dpkg-deb's
			// file system tarball with numeric owners.
			testenv.RequireTool(t, "tar")
			out, err := exec.Command("sh", "-c", `dpkg-deb --fsys-tarfile "$1" | tar --numeric-owner -tvf -`, "sh", file).Output()
			if err != nil {
				t.Fatalf("dpkg-deb --fsys-tarfile | tar -tv: %v", err)
			}
			var want []string
			for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				f := strings.Fields(l)
				// perms owner/group size date time name [-> target]
				name := strings.TrimSuffix(strings.TrimPrefix(f[5], "./"), "/")
				if name == "" || name == "." {
					continue
				}
				size := f[2]
				if f[0][0] == 'h' {
					size = "0"
				}
				line := fmt.Sprintf("%s %s %s %s", f[0], f[1], size, name)
				if len(f) > 7 && (f[6] == "->" || f[6] == "link") {
					line += " -> " + strings.TrimPrefix(f[len(f)-1], "./")
				}
				want = append(want, line)
			}
			var got []string
			for _, e := range a.Entries {
				size := len(e.Body)
				line := fmt.Sprintf("%s %d/%d %d %s", modeString(e.Type, e.Mode), e.UID, e.GID, size, e.Path)
				if e.Linkname != "" {
					line += " -> " + e.Linkname
				}
				got = append(got, line)
			}
			if !slices.Equal(got, want) {
				t.Errorf("entries differ from dpkg-deb --contents:\ngot  %q\nwant %q", got, want)
			}
			if len(a.Paths) != len(a.Entries)+1 || a.Paths[0] != "/." {
				t.Errorf("Paths should be \"/.\" plus one per entry, got %d for %d entries", len(a.Paths), len(a.Entries))
			}

			// ModTime: the newest mtime dpkg-deb's file system tarball shows.
			fsys, err := exec.Command("dpkg-deb", "--fsys-tarfile", file).Output()
			if err != nil {
				t.Fatalf("dpkg-deb --fsys-tarfile: %v", err)
			}
			var newest time.Time
			for fr := tar.NewReader(bytes.NewReader(fsys)); ; {
				h, err := fr.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if h.ModTime.After(newest) {
					newest = h.ModTime
				}
			}
			if !a.ModTime.Equal(newest) || newest.IsZero() {
				t.Errorf("ModTime = %v, want dpkg-deb's newest entry %v", a.ModTime, newest)
			}

			// control.tar: same members, same bytes.
			ctar, err := exec.Command("dpkg-deb", "--ctrl-tarfile", file).Output()
			if err != nil {
				t.Fatalf("dpkg-deb --ctrl-tarfile: %v", err)
			}
			tr := tar.NewReader(bytes.NewReader(ctar))
			seen := 0
			for {
				h, err := tr.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				name := strings.TrimPrefix(h.Name, "./")
				if h.Typeflag == tar.TypeDir {
					continue
				}
				body, _ := io.ReadAll(tr)
				if name == "control" {
					var b bytes.Buffer
					a.Control.WriteTo(&b)
					paras, _ := debian.ParseControl(bytes.NewReader(body))
					var wb bytes.Buffer
					paras[0].WriteTo(&wb)
					if b.String() != wb.String() {
						t.Errorf("control differs:\n%s\nwant\n%s", b.String(), wb.String())
					}
					continue
				}
				seen++
				if !bytes.Equal(a.ControlFiles[name], body) {
					t.Errorf("control member %s differs from dpkg-deb's", name)
				}
			}
			if seen != len(a.ControlFiles) {
				t.Errorf("ControlFiles has %d members, dpkg-deb has %d", len(a.ControlFiles), seen)
			}
		})
	}
}

// modeString formats a type and mode like tar -v: "drwxr-xr-x".
func modeString(typ byte, mode int64) string {
	c := map[byte]byte{tar.TypeDir: 'd', tar.TypeSymlink: 'l', tar.TypeLink: 'h'}[typ]
	if c == 0 {
		c = '-'
	}
	b := []byte{c}
	const rwx = "rwxrwxrwx"
	for i := 0; i < 9; i++ {
		if mode&(1<<(8-i)) != 0 {
			b = append(b, rwx[i])
		} else {
			b = append(b, '-')
		}
	}
	special := []struct {
		bit int64
		pos int
		set byte
	}{{0o4000, 3, 's'}, {0o2000, 6, 's'}, {0o1000, 9, 't'}}
	for _, s := range special {
		if mode&s.bit != 0 {
			if b[s.pos] == '-' {
				b[s.pos] = s.set - 'a' + 'A'
			} else {
				b[s.pos] = s.set
			}
		}
	}
	return string(b)
}
