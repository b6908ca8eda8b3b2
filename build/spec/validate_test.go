package spec

import (
	"errors"
	"testing"
)

// A spec built in Go (no positions) validates too, naming the field paths.
func TestValidateGoSpec(t *testing.T) {
	s := &Spec{
		Name:   "registry.example.com/golden/base",
		Owner:  Owner{Team: "platform", Contact: "p@example.com"},
		Layers: []Layer{{Name: "os", Packages: []string{"base-files"}}, {Name: "runtime", Owner: Owner{Contact: "#rt"}, Packages: []string{"python3"}}},
	}
	s.Defaults()
	err := s.Validate()
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("Validate() = %v, want one error", err)
	}
	want := "ingot.yaml: layers[1].owner.team is required: who is woken up when this layer is vulnerable"
	if errs[0].Error() != want {
		t.Errorf("error %q, want %q", errs[0], want)
	}
	var one *Error
	if !errors.As(err, &one) || one.Path != "layers[1].owner.team" || one.Line != 0 {
		t.Errorf("errors.As *Error: %+v", one)
	}

	s.Layers[1].Owner.Team = "runtime"
	if err := s.Validate(); err != nil {
		t.Errorf("fixed spec: %v", err)
	}
	// Defaults is idempotent.
	before := s.Digest()
	s.Defaults()
	if s.Digest() != before || len(s.Accounts.Users) != 1 || len(s.Accounts.Groups) != 1 {
		t.Errorf("Defaults twice changed the spec: %+v", s.Accounts)
	}
}
