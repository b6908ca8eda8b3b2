package priority

import (
	"strings"
	"testing"
)

func TestCVSS3(t *testing.T) {
	tests := []struct {
		desc, vector string
		want         float64
	}{
		{"critical network RCE", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
		{"scope changed", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0},
		{"denial of service", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5},
		{"local, high complexity", "CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N", 4.7},
		{"XSS, scope changed, PR low", "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4},
		{"no impact", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0},
		{"temporal metrics ignored", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N/E:U/RL:O", 5.9},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, err := CVSS3(tt.vector)
			if err != nil || got != tt.want {
				t.Errorf("CVSS3(%s) = %v, %v; want %v", tt.vector, got, err, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "AV:N/AC:L", "CVSS:2.0/AV:N", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H", "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV"} {
		if _, err := CVSS3(bad); err == nil {
			t.Errorf("CVSS3(%q): no error", bad)
		}
	}
}

func FuzzCVSS3(f *testing.F) {
	f.Add("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")
	f.Add("CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N")
	f.Fuzz(func(t *testing.T, v string) {
		s, err := CVSS3(v)
		if err != nil {
			return
		}
		if s < 0 || s > 10 || !strings.HasPrefix(v, "CVSS:3.") {
			t.Fatalf("CVSS3(%q) = %v", v, s)
		}
	})
}
