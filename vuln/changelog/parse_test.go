package changelog

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const sample = `openssl (3.0.15-1~deb12u1) bookworm-security; urgency=medium

  * Import 3.0.15
    - CVE-2024-5535 (Possible buffer overread in SSL_select_next_proto)
    - cve-2024-6119 (Possible denial of service in X.509 name checks)

 -- Sebastian Andrzej Siewior <sebastian@breakpoint.cc>  Mon, 09 Sep 2024 21:53:48 +0200

openssl (3.0.13-1~deb12u2) bookworm; urgency=high (HIGH for remote users), binary-only=yes

  * Fix CVE-2024-2511 and CVE-2024-2511.

 -- Sebastian Andrzej Siewior <sebastian@breakpoint.cc>  Sat, 18 May 2024 10:00:00 +0200

openssl (3.0.11-1~deb12u2) bookworm unstable; urgency=low

  * No security content.

 -- Maintainer <m@example.org>  Tue, 24 Oct 2023 18:00:00 +0200

Old Changelog:
  This is the end.
`

func TestParse(t *testing.T) {
	got, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d entries, want 3: %+v", len(got), got)
	}
	tests := []struct {
		desc                    string
		e                       Entry
		version, urgency, maint string
		dists                   []string
		cves                    []string
		binaryOnly              string
	}{
		{"newest, lower-case cve", got[0], "3.0.15-1~deb12u1", "medium", "Sebastian Andrzej Siewior <sebastian@breakpoint.cc>", []string{"bookworm-security"}, []string{"CVE-2024-5535", "CVE-2024-6119"}, ""},
		{"urgency comment, extra field, duplicate CVE", got[1], "3.0.13-1~deb12u2", "high", "Sebastian Andrzej Siewior <sebastian@breakpoint.cc>", []string{"bookworm"}, []string{"CVE-2024-2511"}, "yes"},
		{"two distributions, no CVE", got[2], "3.0.11-1~deb12u2", "low", "Maintainer <m@example.org>", []string{"bookworm", "unstable"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if tt.e.Package != "openssl" || tt.e.Version != tt.version || tt.e.Urgency != tt.urgency || tt.e.Maintainer != tt.maint {
				t.Errorf("got %q %q %q %q", tt.e.Package, tt.e.Version, tt.e.Urgency, tt.e.Maintainer)
			}
			if !slices.Equal(tt.e.Distributions, tt.dists) {
				t.Errorf("distributions %q, want %q", tt.e.Distributions, tt.dists)
			}
			if c := CVEs(tt.e.Changes); !slices.Equal(c, tt.cves) {
				t.Errorf("CVEs %q, want %q", c, tt.cves)
			}
			if tt.e.Fields["binary-only"] != tt.binaryOnly {
				t.Errorf("binary-only %q, want %q", tt.e.Fields["binary-only"], tt.binaryOnly)
			}
			if tt.e.Date == "" || strings.HasPrefix(tt.e.Changes, "\n") || strings.HasSuffix(tt.e.Changes, "\n") {
				t.Errorf("date %q, changes %q", tt.e.Date, tt.e.Changes)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		desc, in string
		want     int // entries when no error is expected, -1 for ErrFormat
	}{
		{"empty", "", -1},
		{"text before the first header", "hello\npkg (1.0) unstable; urgency=low\n", -1},
		{"header field without =", "pkg (1.0) unstable; urgency\n\n  * x\n\n -- A <a@b>  date\n", -1},
		{"missing trailer at end of file is kept", "pkg (1.0) unstable; urgency=low\n\n  * x\n", 1},
		{"missing trailer before the next header", "pkg (2.0) unstable; urgency=low\n  * x\npkg (1.0) unstable; urgency=low\n -- A <a@b>  d\n", 2},
		{"CRLF line ends", "pkg (1.0) unstable; urgency=low\r\n\r\n  * CVE-2020-1234\r\n\r\n -- A <a@b>  d\r\n", 1},
		{"too long", "pkg (1.0) unstable; urgency=low\n" + strings.Repeat("  * x\n", MaxSize/6+1), -1},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in))
			if tt.want < 0 {
				if !errors.Is(err, ErrFormat) {
					t.Fatalf("err = %v, want ErrFormat", err)
				}
				return
			}
			if err != nil || len(got) != tt.want {
				t.Fatalf("%d entries, err %v; want %d", len(got), err, tt.want)
			}
		})
	}
}

func TestCVEs(t *testing.T) {
	tests := []struct {
		desc, in string
		want     []string
	}{
		{"none", "Fix a crash (Closes: #12345)", nil},
		{"order by number not text", "CVE-2024-10000 CVE-2024-9999 CVE-2023-50000", []string{"CVE-2023-50000", "CVE-2024-9999", "CVE-2024-10000"}},
		{"too short a number", "CVE-2024-123", nil},
		{"inside a path", "debian/patches/CVE-2022-0778.patch", []string{"CVE-2022-0778"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if got := CVEs(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("CVEs(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Add("pkg (1:2.0~rc1+b1) a b; urgency=emergency, x=y\n -- A <a>  d\n")
	f.Add("pkg (1.0) unstable;\n")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(strings.NewReader(s))
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not match ErrFormat", err)
			}
			return
		}
		for _, e := range got {
			if e.Package == "" || e.Version == "" || len(e.Distributions) == 0 {
				t.Fatalf("incomplete entry %+v", e)
			}
			for _, id := range CVEs(e.Changes) {
				if !cveRE.MatchString(id) {
					t.Fatalf("bad CVE %q", id)
				}
			}
		}
	})
}
