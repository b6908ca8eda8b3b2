package static

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseConf(t *testing.T) {
	tests := []struct {
		desc, conf string
		want       string // directives joined by " | ", words by " "
		err        bool
	}{
		{"blocks and comments", "# c\nhttp {\n  server { listen 8080; # port\n root /srv/www; }\n}\n", "http | server | listen 8080 | root /srv/www", false},
		{"quotes", `log_format main '$remote_addr "x"';`, `log_format main $remote_addr "x"`, false},
		{"unterminated quote", `root "/srv;`, "", true},
		{"unbalanced close", "}", "", true},
		{"unclosed block", "http {", "", true},
		{"missing semicolon", "root /srv", "", true},
		{"empty directive", ";", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			dirs, err := parseConf([]byte(tt.conf))
			if (err != nil) != tt.err {
				t.Fatalf("err %v, want error %v", err, tt.err)
			}
			var parts []string
			for _, d := range dirs {
				parts = append(parts, strings.Join(d, " "))
			}
			if got := strings.Join(parts, " | "); !tt.err && got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzParseConf(f *testing.F) {
	for _, s := range []string{"http { server { listen 8080; root /srv; } }", "a 'b;' \"c\\\"\";", "# x\n}", "{"} {
		f.Add([]byte(s))
	}
	conf, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "nginx", "nginx.conf"))
	if err == nil {
		f.Add(conf)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		dirs, err := parseConf(b)
		if err != nil {
			return
		}
		for _, d := range dirs {
			if len(d) == 0 {
				t.Fatal("an empty directive")
			}
		}
		usable(dirs)
	})
}
