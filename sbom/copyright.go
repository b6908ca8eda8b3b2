package sbom

import (
	"bufio"
	"bytes"
	"slices"
	"strings"
)

// MaxCopyright is the most of a copyright file CopyrightLicenses reads;
// the rest is ignored. Real machine-readable files are well under it.
const MaxCopyright = 1 << 20

// CopyrightLicenses returns the licences of a Debian machine-readable
// copyright file (DEP-5, usr/share/doc/<pkg>/copyright) as SPDX expressions,
// one per distinct License of its Files paragraphs, sorted. Debian short
// names are mapped to SPDX identifiers (GPL-2+ is GPL-2.0-or-later, Expat is
// MIT); names SPDX does not know become LicenseRef-<name>. A file that is not
// in the machine-readable format gives nil: its free text cannot be read
// reliably, and a guess would be worse than no answer.
func CopyrightLicenses(data []byte) []string {
	if len(data) > MaxCopyright {
		data = data[:MaxCopyright]
	}
	paras := parseDEP5(data)
	if len(paras) == 0 || !isDEP5Header(paras[0]) {
		return nil
	}
	var out []string
	for _, p := range paras[1:] {
		if _, ok := p["files"]; !ok {
			continue
		}
		lic, ok := p["license"]
		if !ok {
			continue
		}
		if e := MapLicense(lic); e != "" {
			out = append(out, e)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// isDEP5Header tells whether the first paragraph declares the
// machine-readable format (its URL has said copyright-format or dep5 over
// the years).
func isDEP5Header(p map[string]string) bool {
	f := strings.ToLower(p["format"])
	return strings.Contains(f, "copyright-format") || strings.Contains(f, "dep5") || strings.Contains(f, "dep-5")
}

// parseDEP5 splits a deb822-style file into paragraphs, keeping of each
// field only its first line (the License short name; the rest is the
// licence text). It is lenient: lines it cannot read are skipped, as
// copyright files in the archive are hand-written.
func parseDEP5(data []byte) []map[string]string {
	var paras []map[string]string
	var cur map[string]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), MaxCopyright)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		switch {
		case strings.TrimSpace(line) == "":
			if cur != nil {
				paras = append(paras, cur)
				cur = nil
			}
		case line[0] == ' ' || line[0] == '\t' || line[0] == '#':
			// continuation or comment: not needed
		default:
			name, value, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			if cur == nil {
				cur = map[string]string{}
			}
			key := strings.ToLower(strings.TrimSpace(name))
			if _, dup := cur[key]; !dup {
				cur[key] = strings.TrimSpace(value)
			}
		}
	}
	if cur != nil {
		paras = append(paras, cur)
	}
	return paras
}
