package spec

import (
	"regexp"
	"testing"
)

func TestDigest(t *testing.T) {
	parse := func(t *testing.T, y string) *Spec {
		t.Helper()
		s, err := Parse([]byte(y), "ingot.yaml")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	base := parse(t, head)
	d := base.Digest()
	if !regexp.MustCompile(`^sha256:[0-9a-f]{64}$`).MatchString(d) {
		t.Fatalf("Digest() = %q", d)
	}
	tests := []struct {
		desc string
		yaml string
		same bool
	}{
		{"comments and layout", "# golden\nowner:\n  contact: platform@example.com\n  team: platform\nname: registry.example.com/golden/base   # the name\nlayers: [{packages: [base-files], name: os}]\n", true},
		{"defaults written out", head + "architectures: [amd64, arm64]\naccounts: {runAs: nonroot}\nenv: {PATH: " + DefaultPath + "}\n", true},
		{"layer owner written out as the image owner", "name: registry.example.com/golden/base\nowner: {team: platform, contact: platform@example.com}\nlayers:\n  - {name: os, packages: [base-files], owner: {team: platform, contact: platform@example.com}}\n", true},
		{"another package", "name: registry.example.com/golden/base\nowner: {team: platform, contact: platform@example.com}\nlayers:\n  - {name: os, packages: [base-files, netbase]}\n", false},
		{"another owner contact", "name: registry.example.com/golden/base\nowner: {team: platform, contact: oncall@example.com}\nlayers:\n  - {name: os, packages: [base-files]}\n", false},
		{"architecture order", head + "architectures: [arm64, amd64]\n", false},
		{"an env variable", head + "env: {TZ: UTC}\n", false},
		{"runAs root", head + "accounts: {runAs: root}\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got := parse(t, tt.yaml).Digest()
			if (got == d) != tt.same {
				t.Errorf("digest %s vs base %s: same = %v, want %v", got, d, got == d, tt.same)
			}
		})
	}
	// Where the spec lives does not matter.
	s, err := Parse([]byte(head), "/elsewhere/ingot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Digest() != d {
		t.Errorf("digest depends on the spec's path")
	}
}

// The digest is recorded in every image: changing the canonical encoding
// changes image digests, so it is pinned.
func TestDigestGolden(t *testing.T) {
	s, err := Load("testdata/full/ingot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const want = "sha256:1abe3451abe47ad1980904c7ddd0757dda66c30dbfad3576ff553a0499b4e414"
	if got := s.Digest(); got != want {
		t.Errorf("Digest() = %s, want %s (if the encoding changed on purpose, update want)", got, want)
	}
}
