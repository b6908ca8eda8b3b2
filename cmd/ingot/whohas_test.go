package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/internal/testenv"
	"github.com/ingot-dev/ingot/inventory"
)

func TestWhoHasCommand(t *testing.T) {
	db := inventoryFixture(t, "")
	for _, tc := range []struct {
		desc string
		args []string
		want []string
		not  []string
	}{
		{"name", []string{"who-has", "--db", db, "libssl3"}, []string{
			"3 images have libssl3",
			"reg.test/team/app@aaaaaaaaaaaa     v1    libssl3  3.0.11-1~deb12u2  os 111111111111  platform <platform@example.com>  base reg.test/golden/base:12",
			"reg.test/golden/base@bbbbbbbbbbbb  12    libssl3  3.0.11-1~deb12u2  os 111111111111  platform <platform@example.com>  own layer",
			"docker.test/library/foo@ffffffffffff  1     libssl3  3.0.15-1~deb12u1  - 333333333333",
		}, nil},
		{"constraint and source name", []string{"who-has", "--db", db, "openssl", "< 3.0.15"}, []string{
			"2 images have openssl < 3.0.15 (versions compared with dpkg order)", "libssl3 (via source openssl)"}, []string{"docker.test"}},
		{"semver", []string{"who-has", "--db", db, "golang.org/x/net", ">= v0.20.0, < v0.33.0"}, []string{"(versions compared with semver order)", "team-a"}, nil},
		{"purl", []string{"who-has", "--db", db, "--purl", "pkg:golang/golang.org/x"}, []string{"1 images have pkg:golang/golang.org/x", "golang.org/x/net"}, nil},
		{"none", []string{"who-has", "--db", db, "nothing"}, []string{"no image in the inventory has nothing"}, nil},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			out, err := runInv(t, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			flat := strings.Join(strings.Fields(out), " ")
			for _, w := range tc.want {
				if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
	t.Run("errors", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"who-has", "--db", db}, "name a package"},
			{[]string{"who-has", "--db", db, "x", "--purl", "pkg:npm/x"}, "not both"},
			{[]string{"who-has", "--db", db, "x", "<"}, "bad version constraint"},
		} {
			if _, err := runInv(t, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%q: err %v, want %q", tc.args, err, tc.want)
			}
		}
	})
}

// TestWhoHasPostgres runs who-has -o json against a real PostgreSQL named by INGOT_DB.
func TestWhoHasPostgres(t *testing.T) {
	dsn := testenv.StartPostgres(t)
	inventoryFixture(t, dsn)
	t.Setenv(inventory.EnvDB, dsn)
	out, err := runInv(t, "who-has", "-o", "json", "libssl3", ">= 3.0.15")
	if err != nil {
		t.Fatal(err)
	}
	var hits []inventory.Hit
	if err := json.Unmarshal([]byte(out), &hits); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(hits) != 1 || hits[0].Image.Repository != "docker.test/library/foo" || hits[0].Origin != "app" || hits[0].Comparator != "dpkg" {
		t.Errorf("hits = %+v", hits)
	}
}
