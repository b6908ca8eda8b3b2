package feed_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ingot-dev/ingot/vuln"
	"github.com/ingot-dev/ingot/vuln/feed"
	"github.com/ingot-dev/ingot/vuln/version"
)

func TestParseOSV(t *testing.T) {
	tests := []struct {
		desc string
		in   string
		want func(*vuln.Advisory) bool
		err  error
	}{
		{"debian release and GIT range dropped", `{"id": "DSA-1-1", "upstream": ["CVE-2024-2"], "aliases": ["DLA-1"], "modified": "2024-01-02T03:04:05.123Z",
			"affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"}, "ranges": [{"type": "GIT", "repo": "x", "events": [{"introduced": "abc"}]}, {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.15-1~deb12u1"}]}]}]}`,
			func(a *vuln.Advisory) bool {
				af := a.Affected[0]
				return af.Ecosystem == vuln.Debian && af.DebianRelease == "12" && len(af.Ranges) == 1 && af.Ranges[0].Events[1] == version.Event{Fixed: "3.0.15-1~deb12u1"} &&
					a.Aliases[0] == "CVE-2024-2" && a.Aliases[1] == "DLA-1" && a.Modified.Nanosecond() == 123e6
			}, nil},
		{"severity kept, GHSA database severity", `{"id": "GHSA-x", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}], "database_specific": {"severity": "critical"},
			"affected": [{"package": {"ecosystem": "npm", "name": "@scope/pkg"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"last_affected": "1.0.0"}]}]}]}`,
			func(a *vuln.Advisory) bool {
				return len(a.Severity) == 2 && a.Severity[1] == vuln.Severity{Type: "GHSA", Score: "CRITICAL"} && a.Affected[0].Package == "@scope/pkg"
			}, nil},
		{"summary from details", `{"id": "PYSEC-2", "details": "first line\nsecond", "affected": [{"package": {"ecosystem": "PyPI", "name": "x"}, "versions": ["1.0"]}]}`,
			func(a *vuln.Advisory) bool { return a.Summary == "first line" }, nil},
		{"other ecosystems only", `{"id": "RUSTSEC-1", "affected": [{"package": {"ecosystem": "crates.io", "name": "x"}, "versions": ["1.0.0"]}]}`, nil, feed.ErrIgnored},
		{"debian without release", `{"id": "X", "affected": [{"package": {"ecosystem": "Debian", "name": "x"}, "versions": ["1.0"]}]}`, nil, feed.ErrIgnored},
		{"withdrawn", `{"id": "X", "withdrawn": "2024-01-01T00:00:00Z", "affected": []}`, nil, feed.ErrIgnored},
		{"unknown range type", `{"id": "X", "affected": [{"package": {"ecosystem": "Go", "name": "m"}, "ranges": [{"type": "DATE", "events": [{"introduced": "0"}]}]}]}`, nil, feed.ErrBadRecord},
		{"two fields in one event", `{"id": "X", "affected": [{"package": {"ecosystem": "Go", "name": "m"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0", "fixed": "1"}]}]}]}`, nil, feed.ErrBadRecord},
		{"no package name", `{"id": "X", "affected": [{"package": {"ecosystem": "Go"}, "versions": ["1.0.0"]}]}`, nil, feed.ErrBadRecord},
		{"not an object", `[1, 2]`, nil, feed.ErrBadRecord},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			a, err := feed.ParseOSV([]byte(tt.in))
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.want(a) {
				t.Errorf("parsed as %+v", a)
			}
		})
	}
}

func FuzzParseOSV(f *testing.F) {
	for _, name := range []string{"GO-2023-2102.json", "GO-2022-0969.json"} {
		if data, err := os.ReadFile(filepath.Join(goFeedDir, name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(goodRecord))
	f.Add([]byte(`{"id": "DSA-1", "affected": [{"package": {"ecosystem": "Debian:12", "name": "p"}, "versions": ["1:2-3"]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := feed.ParseOSV(data)
		if err != nil {
			if !errors.Is(err, feed.ErrBadRecord) && !errors.Is(err, feed.ErrIgnored) {
				t.Fatalf("error %v wraps neither ErrBadRecord nor ErrIgnored", err)
			}
			return
		}
		if a.ID == "" || len(a.Affected) == 0 {
			t.Fatalf("accepted %+v", a)
		}
		for _, af := range a.Affected {
			if af.Package == "" || (len(af.Ranges) == 0 && len(af.Versions) == 0) {
				t.Fatalf("affected entry without package or versions: %+v", af)
			}
		}
	})
}
