package maintscript

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/ingot-dev/ingot/debian"
)

const dpkgDir = "var/lib/dpkg"

// statusOrder is the order in which dpkg writes the fields it knows
// (lib/dpkg/parse.c fieldinfos); other fields follow in their own order.
var statusOrder = []string{
	"Package", "Essential", "Protected", "Status", "Priority", "Section",
	"Installed-Size", "Origin", "Maintainer", "Bugs", "Architecture",
	"Multi-Arch", "Source", "Version", "Config-Version", "Replaces",
	"Provides", "Depends", "Pre-Depends", "Recommends", "Suggests", "Breaks",
	"Conflicts", "Enhances", "Conffiles", "Description", "Triggers-Pending",
	"Triggers-Awaited",
}

// dropFields are archive-index fields dpkg does not keep for installed
// packages; a .deb's control file has none, a Packages stanza has them.
var dropFields = map[string]bool{
	"status": true, "conffiles": true, "filename": true, "size": true, "md5sum": true,
	"msdos-filename": true, "sha1": true, "sha256": true, "sha512": true,
	"description-md5": true, "config-version": true,
}

// scripts are the control members dpkg keeps executable in info/.
var scripts = map[string]bool{"preinst": true, "postinst": true, "prerm": true, "postrm": true, "config": true}

// addDpkgDB writes var/lib/dpkg as dpkg leaves it after installing pkgs.
func addDpkgDB(t *tree, root rootFS, pkgs []pkg, arch string) error {
	for _, d := range []string{dpkgDir, dpkgDir + "/info", dpkgDir + "/updates", dpkgDir + "/triggers", dpkgDir + "/alternatives", dpkgDir + "/parts"} {
		if err := t.dir(d); err != nil {
			return err
		}
	}
	var status bytes.Buffer
	for i, p := range pkgs {
		para, err := statusStanza(root, p)
		if err != nil {
			return err
		}
		if i > 0 {
			status.WriteByte('\n')
		}
		if _, err := para.WriteTo(&status); err != nil {
			return fmt.Errorf("writing the dpkg status of %s: %w", p.name, err)
		}
		if err := addInfo(t, p); err != nil {
			return err
		}
	}
	files := []struct {
		name string
		body string
	}{
		{"status", status.String()},
		{"available", ""},
		{"diversions", ""},
		{"statoverride", ""},
		{"arch", arch + "\n"},
		{"info/format", "1\n"},
	}
	for _, f := range files {
		if err := t.file(dpkgDir+"/"+f.name, 0o644, 0, []byte(f.body)); err != nil {
			return err
		}
	}
	return nil
}

// infoName is the file-name stem of a package in info/.
func infoName(p pkg) string {
	if p.Package.MultiArch == "same" {
		return p.name + ":" + p.arch
	}
	return p.name
}

func addInfo(t *tree, p pkg) error {
	stem := dpkgDir + "/info/" + infoName(p)
	var list strings.Builder
	for _, l := range p.Paths {
		if strings.ContainsAny(l, "\n") {
			return fmt.Errorf("package %s lists a path with a newline (%q): the .deb is damaged or hostile", p.name, l)
		}
		list.WriteString(l)
		list.WriteByte('\n')
	}
	if err := t.file(stem+".list", 0o644, 0, []byte(list.String())); err != nil {
		return err
	}
	for name, body := range p.ControlFiles {
		if name == "control" {
			continue
		}
		if !validMember(name) {
			return fmt.Errorf("package %s has a control member named %q: the .deb is damaged or hostile", p.name, name)
		}
		mode := int64(0o644)
		if scripts[name] {
			mode = 0o755
		}
		if err := t.file(stem+"."+name, mode, 0, body); err != nil {
			return err
		}
	}
	return nil
}

func validMember(n string) bool {
	if n == "" || len(n) > 64 || n == "list" {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' && i > 0) {
			return false
		}
	}
	return true
}

// statusStanza is p's record in var/lib/dpkg/status.
func statusStanza(root rootFS, p pkg) (debian.Paragraph, error) {
	src := p.Control
	if len(src.Fields) == 0 {
		src = p.Package.Paragraph
	}
	if len(src.Fields) == 0 {
		return debian.Paragraph{}, fmt.Errorf("package %s has no control stanza: pass the .deb's control file in Installed.Control", p.name)
	}
	known := map[string]int{}
	for i, n := range statusOrder {
		known[strings.ToLower(n)] = i
	}
	slots := make([][]debian.Field, len(statusOrder))
	var extra []debian.Field
	for _, f := range src.Fields {
		l := strings.ToLower(f.Name)
		if dropFields[l] {
			continue
		}
		if (l == "essential" || l == "protected") && !strings.EqualFold(f.Value, "yes") {
			continue // dpkg writes these booleans only when true
		}
		if i, ok := known[l]; ok {
			if slots[i] == nil {
				slots[i] = []debian.Field{{Name: statusOrder[i], Value: f.Value}}
			}
			continue
		}
		extra = append(extra, f)
	}
	slots[known["status"]] = []debian.Field{{Name: "Status", Value: "install ok installed"}}
	if cf := conffiles(root, p); cf != "" {
		slots[known["conffiles"]] = []debian.Field{{Name: "Conffiles", Value: cf}}
	}
	var out debian.Paragraph
	for _, s := range slots {
		out.Fields = append(out.Fields, s...)
	}
	out.Fields = append(out.Fields, extra...)
	return out, nil
}

// conffiles renders the Conffiles field value: "\n/etc/x <md5>" per line,
// hashing each file as it is in the image, as dpkg does when it unpacks.
func conffiles(root rootFS, p pkg) string {
	list := p.ControlFiles["conffiles"]
	if len(list) == 0 {
		return ""
	}
	sums := parseMD5sums(p.ControlFiles["md5sums"])
	var b strings.Builder
	for _, l := range strings.Split(string(list), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		// Newer dpkg allows flags before the path: "remove-on-upgrade /etc/x".
		name := f[len(f)-1]
		if !strings.HasPrefix(name, "/") {
			continue
		}
		var sum string
		if body, ok := root.read(strings.TrimPrefix(name, "/")); ok {
			h := md5.Sum(body)
			sum = hex.EncodeToString(h[:])
		} else if s, ok := sums[strings.TrimPrefix(name, "/")]; ok {
			sum = s
		} else {
			sum = "newconffile"
		}
		b.WriteString("\n" + name + " " + sum)
		if len(f) > 1 && f[0] == "remove-on-upgrade" {
			b.WriteString(" remove-on-upgrade")
		}
	}
	return b.String()
}

// parseMD5sums reads a .deb's md5sums member: "<md5>  path" per line.
func parseMD5sums(b []byte) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		sum, name, ok := strings.Cut(l, " ")
		if !ok || len(sum) != 32 {
			continue
		}
		name = strings.TrimLeft(name, " *")
		out[strings.TrimPrefix(name, "/")] = sum
	}
	return out
}
