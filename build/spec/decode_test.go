package spec

import (
	"strings"
	"testing"
)

func TestParseAnchorsAndMerge(t *testing.T) {
	s, err := Parse([]byte(`name: registry.example.com/golden/base
owner: &platform {team: platform, contact: platform@example.com}
layers:
  - &layer {name: os, owner: *platform, packages: [base-files]}
  - <<: *layer
    name: runtime
    packages: [python3]
labels:
  <<: {a: "1", b: "2"}
  b: "3"
`), "ingot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Layers[1].Name != "runtime" || s.Layers[1].Owner.Team != "platform" || s.Layers[1].Packages[0] != "python3" {
		t.Errorf("merged layer = %+v", s.Layers[1])
	}
	if s.Labels["a"] != "1" || s.Labels["b"] != "3" {
		t.Errorf("merged labels = %v", s.Labels)
	}
	_, err = Parse([]byte(head+"labels:\n  <<: [x]\n"), "ingot.yaml")
	if err == nil || !strings.Contains(err.Error(), ":6:8: labels has a merge key (<<) whose value is not a mapping") {
		t.Errorf("bad merge: %v", err)
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"name", "entrypoint", "workdir", "sourceDateEpoch"}
	tests := []struct{ key, want string }{
		{"entry_point", `"entrypoint"`}, {"SourceDateEpoch", `"sourceDateEpoch"`}, {"workdri", `"workdir"`}, {"zzz", ""}, {"nam", ""},
	}
	for _, tt := range tests {
		got := suggest(tt.key, known)
		if (tt.want == "" && got != "") || !strings.Contains(got, tt.want) {
			t.Errorf("suggest(%q) = %q, want %s", tt.key, got, tt.want)
		}
	}
}
