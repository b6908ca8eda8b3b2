package maintscript

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
)

// altInstall is one parsed "update-alternatives --install" call.
type altInstall struct {
	link, name, path string
	priority         int
	slaves           []altSlave
}

type altSlave struct{ link, name, path string }

// altGroup is a link group being assembled.
type altGroup struct {
	name, link string
	slaves     map[string]string // slave name -> slave link
	choices    map[string]*altChoice
	origin     Skipped // the first call, for reports
}

type altChoice struct {
	path     string
	priority int
	slaves   map[string]string // slave name -> path
}

// parseAlternatives reads one update-alternatives call. ok is false for
// calls that are not --install (they change nothing on a fresh image);
// reason says why an --install call cannot be used.
func parseAlternatives(args []string) (in altInstall, ok bool, reason string) {
	i := 1
	for ; i < len(args); i++ {
		switch a := args[i]; a {
		case "--quiet", "--verbose", "--debug", "--force", "--skip-auto":
		case "--log":
			i++
		case "--altdir", "--admindir", "--instdir", "--root":
			return in, true, "option " + a + " moves the alternatives database; not emulated"
		case "--install":
			goto install
		default:
			if strings.HasPrefix(a, "--log=") {
				continue
			}
			return in, false, ""
		}
	}
	return in, false, ""
install:
	rest := args[i+1:]
	if len(rest) < 4 {
		return in, true, "--install needs <link> <name> <path> <priority>"
	}
	in.link, in.name, in.path = rest[0], rest[1], rest[2]
	prio, err := strconv.ParseInt(rest[3], 10, 32)
	if err != nil {
		return in, true, "priority " + strconv.Quote(rest[3]) + " is not an integer"
	}
	in.priority = int(prio)
	if r := checkAlt(in.link, in.name, in.path); r != "" {
		return in, true, r
	}
	rest = rest[4:]
	for len(rest) > 0 {
		switch rest[0] {
		case "--quiet", "--verbose", "--debug", "--force", "--skip-auto":
			rest = rest[1:]
			continue
		case "--slave":
		default:
			return in, true, "unexpected " + strconv.Quote(rest[0]) + " after --install"
		}
		if len(rest) < 4 {
			return in, true, "--slave needs <link> <name> <path>"
		}
		s := altSlave{link: rest[1], name: rest[2], path: rest[3]}
		if r := checkAlt(s.link, s.name, s.path); r != "" {
			return in, true, r
		}
		if s.name == in.name || s.link == in.link {
			return in, true, "slave " + s.name + " repeats the master"
		}
		for _, o := range in.slaves {
			if o.name == s.name || o.link == s.link {
				return in, true, "slave " + s.name + " is given twice"
			}
		}
		in.slaves = append(in.slaves, s)
		rest = rest[4:]
	}
	return in, true, ""
}

func checkAlt(link, name, p string) string {
	if name == "" || strings.ContainsAny(name, "/ \t\n") || name == "." || name == ".." {
		return "alternative name " + strconv.Quote(name) + " is not valid"
	}
	for _, f := range []string{link, p} {
		if !strings.HasPrefix(f, "/") || path.Clean(f) != f || f == "/" || strings.ContainsAny(f, "\n") {
			return "path " + strconv.Quote(f) + " is not absolute and clean"
		}
	}
	return ""
}

// addAlternatives emulates the postinsts' update-alternatives --install
// calls in auto mode.
func addAlternatives(t *tree, root rootFS, pkgs []pkg) ([]Skipped, error) {
	var skipped []Skipped
	groups := map[string]*altGroup{}
	linkOwner := map[string]string{} // link -> group name, across masters and slaves
	for _, p := range pkgs {
		body, ok := p.hasScript("postinst")
		if !ok {
			continue
		}
		for _, c := range parseCommands(body) {
			if c.name() != "update-alternatives" {
				continue
			}
			sk := Skipped{Package: p.name, Script: "postinst", Line: c.Line, Command: c.String()}
			if c.Dynamic != "" {
				// Only --install calls matter; others are skipped silently
				// when they are recognisably something else.
				if !containsArg(c.Args, "--install") {
					continue
				}
				sk.Reason = "argument " + strconv.Quote(c.Dynamic) + " needs the shell to expand it"
				if len(skipped) < maxSkipped {
					skipped = append(skipped, sk)
				}
				continue
			}
			in, isInstall, reason := parseAlternatives(c.Args)
			if !isInstall {
				continue
			}
			if reason == "" && !root.exists(in.path) {
				reason = "alternative path " + in.path + " is not in the image"
			}
			g := groups[in.name]
			if reason == "" && g != nil && g.link != in.link {
				reason = "link group " + in.name + " already has master link " + g.link
			}
			if reason == "" {
				reason = checkOwners(linkOwner, in)
			}
			if reason != "" {
				sk.Reason = reason
				if len(skipped) < maxSkipped {
					skipped = append(skipped, sk)
				}
				continue
			}
			if g == nil {
				g = &altGroup{name: in.name, link: in.link, slaves: map[string]string{}, choices: map[string]*altChoice{}, origin: sk}
				groups[in.name] = g
			}
			linkOwner[in.link] = in.name
			ch := &altChoice{path: in.path, priority: in.priority, slaves: map[string]string{}}
			for _, s := range in.slaves {
				if _, ok := g.slaves[s.name]; !ok {
					g.slaves[s.name] = s.link
					linkOwner[s.link] = in.name
				}
				ch.slaves[s.name] = s.path
			}
			g.choices[in.path] = ch
		}
	}
	names := make([]string, 0, len(groups))
	for n := range groups {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		sk, err := writeAltGroup(t, root, groups[n])
		if err != nil {
			return skipped, err
		}
		skipped = append(skipped, sk...)
	}
	return skipped, nil
}

func containsArg(args []string, a string) bool {
	for _, x := range args {
		if x == a {
			return true
		}
	}
	return false
}

// checkOwners refuses a call whose links belong to another group.
func checkOwners(owner map[string]string, in altInstall) string {
	if o, ok := owner[in.link]; ok && o != in.name {
		return "link " + in.link + " belongs to link group " + o
	}
	for _, s := range in.slaves {
		if o, ok := owner[s.link]; ok && o != in.name {
			return "link " + s.link + " belongs to link group " + o
		}
	}
	return ""
}

// writeAltGroup makes the links of the best choice and the admin file.
func writeAltGroup(t *tree, root rootFS, g *altGroup) ([]Skipped, error) {
	var skipped []Skipped
	paths := make([]string, 0, len(g.choices))
	for p := range g.choices {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	best := g.choices[paths[0]]
	for _, p := range paths[1:] {
		if c := g.choices[p]; c.priority > best.priority {
			best = c
		}
	}
	slaveNames := make([]string, 0, len(g.slaves))
	for n := range g.slaves {
		slaveNames = append(slaveNames, n)
	}
	sort.Strings(slaveNames)

	link := func(link, name, target string) error {
		if root.isFile(link) {
			sk := g.origin
			sk.Reason = "a package ships " + link + " as a file; update-alternatives leaves it alone"
			skipped = append(skipped, sk)
			return nil
		}
		if t.has(link) || t.has("etc/alternatives/"+name) {
			sk := g.origin
			sk.Reason = link + " is generated twice"
			skipped = append(skipped, sk)
			return nil
		}
		if err := t.symlink("etc/alternatives/"+name, target); err != nil {
			return err
		}
		return t.symlink(link, "/etc/alternatives/"+name)
	}
	if err := t.dir("etc/alternatives"); err != nil {
		return nil, err
	}
	if err := link(g.link, g.name, best.path); err != nil {
		return nil, err
	}
	for _, n := range slaveNames {
		p, ok := best.slaves[n]
		if !ok || !root.exists(p) {
			continue // update-alternatives skips a slave whose file is absent
		}
		if err := link(g.slaves[n], n, p); err != nil {
			return nil, err
		}
	}

	// The admin file, as update-alternatives' alternative_save writes it.
	var b strings.Builder
	b.WriteString("auto\n" + g.link + "\n")
	for _, n := range slaveNames {
		b.WriteString(n + "\n" + g.slaves[n] + "\n")
	}
	b.WriteString("\n")
	for _, p := range paths {
		c := g.choices[p]
		fmt.Fprintf(&b, "%s\n%d\n", c.path, c.priority)
		for _, n := range slaveNames {
			b.WriteString(c.slaves[n] + "\n")
		}
	}
	b.WriteString("\n")
	return skipped, t.file("var/lib/dpkg/alternatives/"+g.name, 0o644, 0, []byte(b.String()))
}
