package spec

import (
	"errors"
	"os"
	"testing"
)

func FuzzParse(f *testing.F) {
	full, err := os.ReadFile("testdata/full/ingot.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	f.Add([]byte(head))
	f.Add([]byte(head + "env: [A=1, A=2]\nfiles: [{src: x, dst: /x, mode: 0777}]\n"))
	f.Add([]byte("a: &a [x]\nlayers: [*a, *a]\n"))
	f.Add([]byte("name: r.example.com/a/b\nowner: {team: t, contact: c}\napp: {dir: ., base: ../full/ingot.yaml, kind: go, main: ./cmd/x}\n"))
	f.Add([]byte("name: r.example.com/a/b\nowner: {team: t, contact: c}\napp: {base: oci:out, kind: command, cmd: /x}\nlayers: []\nenv: {A: b}\n"))
	f.Add([]byte("- - - -\n"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data, "testdata/full/ingot.yaml")
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error %T %v is not a non-empty Errors", err, err)
			}
			return
		}
		// A spec that parsed is valid, stays valid and has a stable digest.
		if err := s.Validate(); err != nil {
			t.Fatalf("parsed spec does not validate: %v", err)
		}
		d := s.Digest()
		s.Defaults()
		if s.Digest() != d {
			t.Fatal("Defaults is not idempotent")
		}
		if s.App != nil {
			if len(s.Layers) != 0 || s.App.Base == "" || s.App.Kind == "" || s.Owner.Team == "" {
				t.Fatalf("valid app spec with layers, or without base, kind or owner: %+v", s)
			}
			return
		}
		if len(s.Layers) == 0 || s.Owner.Team == "" || s.Accounts.RunAs == "" {
			t.Fatalf("valid spec without layers, owner or runAs: %+v", s)
		}
	})
}
