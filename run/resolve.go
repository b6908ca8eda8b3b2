package run

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
)

// maxLinks bounds symlink expansions while resolving one path, like the kernel's ELOOP.
const maxLinks = 40

// resolve returns p as a path relative to root with no symlink in any
// component, following symlinks with chroot semantics: an absolute target
// starts again at the root and ".." never climbs above it. With followLast
// false the last component is kept as is (it is the entry being written).
// Components that do not exist are kept lexically.
func resolve(root *os.Root, p string, followLast bool) (string, error) {
	queue := split(p)
	var done []string
	links := 0
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(done) > 0 {
				done = done[:len(done)-1]
			}
			continue
		}
		if len(queue) == 0 && !followLast {
			done = append(done, c)
			break
		}
		cur := path.Join(append(done, c)...)
		fi, err := root.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			done = append(done, c)
			continue
		}
		if err != nil {
			return "", fmt.Errorf("resolving %s: %w", p, err)
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			done = append(done, c)
			continue
		}
		if links++; links > maxLinks {
			return "", fmt.Errorf("resolving %s: more than %d symlinks", p, maxLinks)
		}
		target, err := root.Readlink(cur)
		if err != nil {
			return "", fmt.Errorf("resolving %s: %w", p, err)
		}
		if strings.HasPrefix(target, "/") {
			done = nil
		}
		queue = append(split(target), queue...)
	}
	if len(done) == 0 {
		return ".", nil
	}
	return path.Join(done...), nil
}

func split(p string) []string { return strings.Split(p, "/") }
