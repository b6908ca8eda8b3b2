package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadApp(t *testing.T) {
	s, err := Load("testdata/app")
	if err != nil {
		t.Fatal(err)
	}
	if !s.IsApp() || s.App.Kind != "static" || s.AppDir() != filepath.Join("testdata", "app", "src") {
		t.Errorf("app = %+v, dir %s", s.App, s.AppDir())
	}
	if ref, specFile := s.BaseRef(); ref != "" || specFile != filepath.Join("testdata", "app", "base.yaml") {
		t.Errorf("BaseRef() = %q, %q", ref, specFile)
	}
	// No golden defaults: the base has the accounts, architectures and PATH.
	if len(s.Architectures) != 0 || len(s.Accounts.Users) != 0 || s.Accounts.RunAs != "" || len(s.Env) != 0 {
		t.Errorf("golden defaults applied to an app spec: %+v", s)
	}
	if s.Digest() == (&Spec{Name: s.Name, Owner: s.Owner}).Digest() {
		t.Error("the app section does not enter the digest")
	}
}

func TestAppDefaultsAndBaseRef(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "out", "base"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		base, ref, specFile string
	}{
		{"../base/ingot.yaml", "", filepath.Join(dir, "..", "base", "ingot.yaml")},
		{"base.yml", "", filepath.Join(dir, "base.yml")},
		{"oci:out/base", "oci:" + filepath.Join(dir, "out", "base"), ""},
		{"docker-archive:/abs/base.tar", "docker-archive:/abs/base.tar", ""},
		{"./out/base:1", filepath.Join(dir, "out", "base:1"), ""},
		{"out/base", filepath.Join(dir, "out", "base"), ""},
		{"registry.example.com/golden/base:1", "registry.example.com/golden/base:1", ""},
	}
	for _, tt := range tests {
		s := &Spec{Dir: dir, App: &App{Base: tt.base}}
		s.Defaults()
		if s.App.Dir != "." || s.App.Kind != "auto" {
			t.Errorf("defaults: %+v", s.App)
		}
		if ref, specFile := s.BaseRef(); ref != tt.ref || specFile != filepath.Clean(tt.specFile) && tt.specFile != "" {
			t.Errorf("BaseRef(%q) = %q, %q; want %q, %q", tt.base, ref, specFile, tt.ref, tt.specFile)
		}
	}
}

const appHead = `name: registry.example.com/apps/site
owner: {team: web, contact: web@example.com}
`

func TestParseAppErrors(t *testing.T) {
	tests := []struct {
		desc, yaml string
		want       []string
	}{
		{"layers next to app", appHead + "app: {dir: src, base: base.yaml}\nlayers:\n  - {name: os, packages: [base-files]}\n",
			[]string{"ingot.yaml:5:3: layers is not allowed next to app: an app spec takes its layers, packages and accounts from its base: remove layers"}},
		{"every golden field", appHead + "app: {dir: src, base: base.yaml}\nsource: {suites: [bookworm]}\narchitectures: [amd64]\naccounts: {runAs: root}\nfiles: []\nenv: {A: b}\nentrypoint: [/x]\ncmd: [y]\nworkdir: /w\nports: [8080]\nlabels: {a: b}\nannotations: {a: b}\n",
			[]string{"4:9: source is not allowed", "5:16: architectures is not allowed next to app: an app spec is built for every platform of its base", "6:11: accounts is not allowed",
				"7:8: files is not allowed", "8:6: env is not allowed", "9:13: entrypoint", "10:6: cmd is not allowed next to app: the application's kind sets the command: use app.cmd",
				"11:10: workdir", "12:8: ports", "13:9: labels", "14:14: annotations"}},
		{"unknown field in app", appHead + "app:\n  dir: src\n  base: base.yaml\n  entrypoint: x\n  allowInstallScript: true\n",
			[]string{`ingot.yaml:6:3: app.entrypoint is not a known field: use one of dir, base, kind, main, cmd, allowInstallScripts`,
				`ingot.yaml:7:3: app.allowInstallScript is not a known field (did you mean "allowInstallScripts"?)`}},
		{"missing base", appHead + "app: {dir: src}\n", []string{"ingot.yaml:3:6: app.base is required"}},
		{"missing base spec", appHead + "app:\n  dir: src\n  base: ../nope/ingot.yaml\n", []string{"ingot.yaml:5:9: app.base", "nope/ingot.yaml does not exist"}},
		{"itself as base", appHead + "app: {dir: src, base: ingot.yaml}\n", []string{`ingot.yaml:3:23: app.base "ingot.yaml" is this spec`}},
		{"bad registry reference", appHead + "app: {dir: src, base: \"Bad Ref\"}\n", []string{`app.base "Bad Ref" is not a local image, a spec or a valid registry reference`}},
		{"missing dir", appHead + "app: {dir: nope, base: base.yaml}\n", []string{"ingot.yaml:3:12: app.dir", "is not a directory"}},
		{"absolute dir", appHead + "app: {dir: /src, base: base.yaml}\n", []string{"app.dir must be relative to the spec's directory"}},
		{"bad kind", appHead + "app: {dir: src, base: base.yaml, kind: golang}\n", []string{`ingot.yaml:3:40: app.kind "golang" is not an application kind: use one of auto, go, node, static, command`}},
		{"near kind", appHead + "app: {dir: src, base: base.yaml, kind: nodes}\n", []string{`(did you mean "node"?)`}},
		{"main for a static site", appHead + "app: {dir: src, base: base.yaml, kind: static, main: ./cmd/x}\n", []string{"app.main is for Go applications, not kind static"}},
		{"main not relative", appHead + "app: {dir: src, base: base.yaml, main: cmd/x}\n", []string{"app.main must be a package path relative to app.dir"}},
		{"command without cmd", appHead + "app: {dir: src, base: base.yaml, kind: command}\n", []string{"app.cmd is required for kind command"}},
		{"app not a mapping", appHead + "app: [x]\n", []string{"ingot.yaml:3:6: app must be a mapping with fields dir, base"}},
		{"bad flag type", appHead + "app: {dir: src, base: base.yaml, allowInstallScripts: maybe}\n", []string{"app.allowInstallScripts must be true or false"}},
		{"owner still required", "name: registry.example.com/apps/site\napp: {dir: src, base: base.yaml}\n", []string{"owner.team is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), filepath.Join("testdata", "app", "ingot.yaml"))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("err = %v, want Errors", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("errors lack %q:\n%v", w, err)
				}
			}
		})
	}
}
