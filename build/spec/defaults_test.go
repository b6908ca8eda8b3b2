package spec

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseMinimalDefaults(t *testing.T) {
	s, err := Parse([]byte(`
name: registry.example.com/golden/static
owner: {team: platform, contact: platform@example.com}
layers:
  - name: os
    packages: [base-files]
`), "ingot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Architectures, ","); got != "amd64,arm64" {
		t.Errorf("architectures = %s", got)
	}
	if s.Accounts.RunAs != "nonroot" || s.RunAsUser() != "65532:65532" {
		t.Errorf("runAs = %q (%s)", s.Accounts.RunAs, s.RunAsUser())
	}
	wantUsers := []User{{Name: "nonroot", UID: 65532, GID: 65532, Home: "/home/nonroot", Shell: DefaultShell}}
	if !reflect.DeepEqual(s.Accounts.Users, wantUsers) || !reflect.DeepEqual(s.Accounts.Groups, []Group{{"nonroot", 65532}}) {
		t.Errorf("accounts = %+v", s.Accounts)
	}
	if !reflect.DeepEqual(s.Env, Env{"PATH=" + DefaultPath}) {
		t.Errorf("env = %q", s.Env)
	}
}

func TestParseRunAsRoot(t *testing.T) {
	s, err := Parse([]byte(`
name: registry.example.com/golden/root
owner: {team: platform, contact: x@example.com}
layers: [{name: os, packages: [base-files]}]
accounts: {runAs: root}
env: [PATH=/bin, A=1]
`), "ingot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.RunAsUser() != "0:0" || len(s.Accounts.Users) != 0 {
		t.Errorf("runAs root: user %s, users %+v", s.RunAsUser(), s.Accounts.Users)
	}
	if !reflect.DeepEqual(s.Env, Env{"A=1", "PATH=/bin"}) {
		t.Errorf("env = %q", s.Env)
	}
}
