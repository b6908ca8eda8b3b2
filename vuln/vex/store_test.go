package vex

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ingot-dev/ingot/vuln"
)

func TestStoreSetReplacesAndLists(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "sub", "vex.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := decision(vuln.StatusUnderInvestigation, func(d *Decision) { d.Repo = repo; d.Note = "looking" })
	b := decision(vuln.StatusNotAffected, func(d *Decision) { d.Repo = repo; d.Timestamp = when.AddDate(0, 0, 1) })
	c := decision(vuln.StatusFixed, func(d *Decision) { d.Vuln = "CVE-2023-9"; d.PURL = ssl })
	if err := s.Set(ctx, a, c); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, b); err != nil {
		t.Fatal(err)
	}
	got, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Decision{c, b}; !reflect.DeepEqual(got, want) {
		t.Errorf("List() =\n%+v\nwant\n%+v", got, want)
	}
	bad := decision(vuln.StatusNotAffected, func(d *Decision) { d.Repo, d.Justification = repo, "" })
	if err := s.Set(ctx, bad); err == nil {
		t.Error("Set accepted a not_affected decision without justification")
	}
}
