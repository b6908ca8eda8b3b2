package maintscript

import (
	"fmt"
	"strings"
)

// addOSRelease writes usr/lib/os-release and the etc/os-release link when
// no package ships them (bookworm's base-files ships both).
func addOSRelease(t *tree, root rootFS, o OSRelease) error {
	if root.exists("usr/lib/os-release") || root.exists("etc/os-release") {
		return nil
	}
	body, err := o.render()
	if err != nil {
		return err
	}
	if err := t.file("usr/lib/os-release", 0o644, 0, body); err != nil {
		return err
	}
	return t.symlink("etc/os-release", "../usr/lib/os-release")
}

func (o OSRelease) render() ([]byte, error) {
	def := func(v, d string) string {
		if v == "" {
			return d
		}
		return v
	}
	id := def(o.ID, "debian")
	versionID := def(o.VersionID, "12")
	codename := def(o.VersionCodename, "bookworm")
	name := def(o.Name, "Debian GNU/Linux")
	version := def(o.Version, versionID+" ("+codename+")")
	pretty := def(o.PrettyName, name+" "+version)
	var b strings.Builder
	for _, f := range []struct{ key, val string }{
		{"PRETTY_NAME", pretty},
		{"NAME", name},
		{"VERSION_ID", versionID},
		{"VERSION", version},
		{"VERSION_CODENAME", codename},
		{"ID", id},
		{"HOME_URL", o.HomeURL},
		{"SUPPORT_URL", o.SupportURL},
		{"BUG_REPORT_URL", o.BugReportURL},
	} {
		if f.val == "" {
			continue
		}
		if strings.ContainsAny(f.val, "\n\r\x00") {
			return nil, fmt.Errorf("writing os-release: %s %q contains a line break: give a single-line value", f.key, f.val)
		}
		if f.key == "ID" || f.key == "VERSION_CODENAME" {
			if isPlainToken(f.val) {
				fmt.Fprintf(&b, "%s=%s\n", f.key, f.val)
				continue
			}
		}
		fmt.Fprintf(&b, "%s=%s\n", f.key, quoteOSRelease(f.val))
	}
	return []byte(b.String()), nil
}

// isPlainToken: os-release(5) IDs are lower-case letters, digits, "._-".
func isPlainToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return s != ""
}

// quoteOSRelease quotes a value in shell double quotes, as os-release(5) asks.
func quoteOSRelease(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	return `"` + r.Replace(s) + `"`
}
