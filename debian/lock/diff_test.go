package lock

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	old := sample(t)
	new := sample(t).Sorted()
	amd := new.Architectures[0].Packages
	amd[2] = pkg("libssl3", "3.0.18-1~deb12u1", "amd64", "bookworm-security") // changed
	amd = append(amd[:1], amd[2:]...)                                         // libc6 removed
	amd = append(amd, pkg("zlib1g", "1:1.2.13.dfsg-1", "amd64", "bookworm"))  // added
	new.Architectures[0].Packages = amd
	arm := new.Architectures[1].Packages
	arm[0].Suite = "bookworm-updates" // same version, other suite

	tests := []struct {
		desc string
		old  *Lock
		new  *Lock
		want []string
	}{
		{"identical", old, sample(t), nil},
		{"changes", old, new, []string{
			"libc6 (amd64): removed 2.36-9+deb12u10",
			"libssl3 (amd64): 3.0.17-1~deb12u2 -> 3.0.18-1~deb12u1",
			"zlib1g (amd64): added 1:1.2.13.dfsg-1",
			"base-files (arm64): 12.4+deb12u11 -> 12.4+deb12u11 (suite bookworm -> bookworm-updates)",
		}},
		{"from nothing", nil, &Lock{Architectures: []Arch{{Name: "amd64", Packages: []Package{pkg("a", "1", "amd64", "s")}}}}, []string{"a (amd64): added 1"}},
		{"to nothing", &Lock{Architectures: []Arch{{Name: "arm64", Packages: []Package{pkg("a", "1", "arm64", "s")}}}}, nil, []string{"a (arm64): removed 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			var got []string
			for _, c := range Diff(tt.old, tt.new) {
				got = append(got, c.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Diff:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestChangeJSON(t *testing.T) {
	c := Diff(nil, &Lock{Architectures: []Arch{{Name: "amd64", Packages: []Package{pkg("curl", "7.88.1-10+deb12u12", "amd64", "bookworm")}}}})
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"kind":"added"`, `"arch":"amd64"`, `"version":"7.88.1-10+deb12u12"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	if strings.Contains(string(b), `"old"`) {
		t.Errorf("added change has an old package: %s", b)
	}
}
