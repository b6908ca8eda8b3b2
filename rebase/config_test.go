package rebase

import (
	"slices"
	"strings"
	"testing"
)

func TestMergeEnv(t *testing.T) {
	tests := []struct {
		desc          string
		app, old, new []string
		oldKnown      bool
		want          []string
	}{
		{"inherited values take the new base's",
			[]string{"PATH=/a", "X=1"}, []string{"PATH=/a"}, []string{"PATH=/b"}, true,
			[]string{"PATH=/b", "X=1"}},
		{"the app's own value stays",
			[]string{"PATH=/app:/a"}, []string{"PATH=/a"}, []string{"PATH=/b"}, true,
			[]string{"PATH=/app:/a"}},
		{"a key the new base adds is added",
			[]string{"PATH=/a"}, []string{"PATH=/a"}, []string{"PATH=/a", "SSL_CERT_FILE=/etc/ssl/c.pem"}, true,
			[]string{"PATH=/a", "SSL_CERT_FILE=/etc/ssl/c.pem"}},
		{"a key the new base dropped goes if inherited",
			[]string{"PATH=/a", "OLD=1", "MINE=2"}, []string{"PATH=/a", "OLD=1"}, []string{"PATH=/a"}, true,
			[]string{"PATH=/a", "MINE=2"}},
		{"the app's own value of a dropped key stays",
			[]string{"OLD=mine"}, []string{"OLD=1"}, nil, true,
			[]string{"OLD=mine"}},
		{"without the old base the app keeps everything",
			[]string{"PATH=/a", "X=1"}, nil, []string{"PATH=/b", "Y=2"}, false,
			[]string{"PATH=/a", "Y=2", "X=1"}},
		{"values with = and empty values",
			[]string{"OPTS=a=b", "EMPTY="}, []string{"EMPTY="}, []string{"EMPTY=", "OPTS=c"}, true,
			[]string{"EMPTY=", "OPTS=a=b"}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			got, _ := mergeEnv(tc.app, envMap(tc.old), tc.oldKnown, tc.new)
			if !slices.Equal(got, tc.want) {
				t.Errorf("mergeEnv = %q, want %q", got, tc.want)
			}
		})
	}
}

// FuzzMergeEnv: Env comes from untrusted image configs. The merge never
// panics, never repeats a key, and keeps every key the app set to its own
// value.
func FuzzMergeEnv(f *testing.F) {
	f.Add("PATH=/a\nX=1", "PATH=/a", "PATH=/b", true)
	f.Add("=\n==\nA", "A", "", false)
	f.Fuzz(func(t *testing.T, app, old, nw string, known bool) {
		a, o, n := strings.Split(app, "\n"), strings.Split(old, "\n"), strings.Split(nw, "\n")
		got, _ := mergeEnv(a, envMap(o), known, n)
		seen := map[string]bool{}
		for _, kv := range got {
			k, _ := splitEnv(kv)
			if seen[k] {
				t.Fatalf("key %q twice in %q", k, got)
			}
			seen[k] = true
		}
		om := envMap(o)
		for k, v := range envMap(a) {
			if ov, ok := om[k]; (!ok || ov != v || !known) && !seen[k] {
				t.Fatalf("the app's own %s=%s lost: %q", k, v, got)
			}
		}
	})
}
