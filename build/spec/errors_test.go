package spec

import (
	"errors"
	"testing"
)

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		desc string
		err  *Error
		want string
	}{
		{"positioned", &Error{File: "ingot.yaml", Line: 12, Column: 5, Path: "layers[1].owner.team", Msg: "is required"}, "ingot.yaml:12:5: layers[1].owner.team is required"},
		{"no position", &Error{File: "ingot.yaml", Path: "name", Msg: "is required"}, "ingot.yaml: name is required"},
		{"no path", &Error{File: "ingot.yaml", Line: 3, Column: 1, Msg: "is not valid YAML"}, "ingot.yaml:3:1: is not valid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
	errs := Errors{tests[0].err, tests[1].err}
	if errs.Error() != tests[0].want+"\n"+tests[1].want {
		t.Errorf("Errors.Error() = %q", errs.Error())
	}
	var e *Error
	if !errors.As(error(errs), &e) || e != tests[0].err {
		t.Errorf("errors.As did not find the first *Error")
	}
}

func TestPositionsAt(t *testing.T) {
	p := positions{"": {1, 1}, "layers": {3, 9}, "layers[1]": {5, 5}, "layers[1].owner": {6, 7}}
	tests := []struct {
		path string
		want pos
	}{
		{"layers[1].owner.team", pos{6, 7}}, {"layers[1].name", pos{5, 5}}, {"layers[2].name", pos{3, 9}}, {"owner.team", pos{1, 1}}, {"layers", pos{3, 9}},
	}
	for _, tt := range tests {
		if got := p.at(tt.path); got != tt.want {
			t.Errorf("at(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestTooManyErrors(t *testing.T) {
	y := head + "labels:\n"
	for i := range maxErrors + 20 {
		y += "  dev.ingot.x" + string(rune('a'+i%26)) + itoa(i) + ": v\n"
	}
	_, err := Parse([]byte(y), "ingot.yaml")
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != maxErrors+1 {
		t.Fatalf("got %d errors, want %d", len(errs), maxErrors+1)
	}
	if last := errs[len(errs)-1].Error(); last != "ingot.yaml: has more than 100 problems; fix these first" {
		t.Errorf("last error %q", last)
	}
}
