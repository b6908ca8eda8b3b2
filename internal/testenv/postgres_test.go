package testenv

import (
	"net"
	"net/url"
	"testing"
)

func TestStartPostgres(t *testing.T) {
	dsn := StartPostgres(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("StartPostgres returned %q: %v", dsn, err)
	}
	if u.Scheme != "postgres" || u.Path != "/ingot" {
		t.Errorf("StartPostgres = %q, want postgres://.../ingot", dsn)
	}
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatalf("PostgreSQL does not listen on %s: %v", u.Host, err)
	}
	c.Close()
}
