package spec

import (
	"reflect"
	"strings"
	"testing"
)

func TestMode(t *testing.T) {
	tests := []struct {
		yaml string
		want Mode
		err  bool
	}{
		{`"0644"`, 0o644, false}, {`0644`, 0o644, false}, {`644`, 0o644, false}, {`0o755`, 0o755, false},
		{`"4755"`, 0o4755, false}, {`"0999"`, 0, true}, {`"rwx"`, 0, true}, {`17777`, 0, true}, {`[1]`, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.yaml, func(t *testing.T) {
			s, err := Parse([]byte(head+"files: [{src: ingot.yaml, dst: /x, mode: "+tt.yaml+"}]\n"), "testdata/full/../full/ingot.yaml")
			if tt.err {
				if err == nil || !strings.Contains(err.Error(), "files[0].mode") {
					t.Errorf("error %v, want one about files[0].mode", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Files[0].Mode != tt.want {
				t.Errorf("mode %s, want %s", s.Files[0].Mode, tt.want)
			}
		})
	}
}

func TestEnvForms(t *testing.T) {
	tests := []struct {
		desc, yaml string
		want       Env
	}{
		{"mapping", "env: {B: '2', A: 1}\n", Env{"A=1", "B=2", "PATH=" + DefaultPath}},
		{"list", "env: [B=2, A=1=x]\n", Env{"A=1=x", "B=2", "PATH=" + DefaultPath}},
		{"PATH given", "env: {PATH: /bin}\n", Env{"PATH=/bin"}},
		{"null", "env: ~\n", Env{"PATH=" + DefaultPath}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			s, err := Parse([]byte(head+tt.yaml), "ingot.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s.Env, tt.want) {
				t.Errorf("env = %q, want %q", s.Env, tt.want)
			}
			if v, ok := s.Env.Lookup("PATH"); !ok || !strings.HasPrefix(tt.want[len(tt.want)-1], "PATH="+v) && v != "/bin" {
				t.Errorf("Lookup(PATH) = %q, %v", v, ok)
			}
		})
	}
}
