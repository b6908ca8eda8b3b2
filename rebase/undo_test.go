package rebase

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/ingot-dev/ingot/inventory"
)

// refusingTransport fails every request, counting them.
type refusingTransport struct{ hosts []string }

var errRefused = errors.New("refused by the test transport")

func (r *refusingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.hosts = append(r.hosts, req.URL.Host)
	return nil, errRefused
}

// TestUndoOptions: Undo's registry requests go through the RemoteOptions
// it is given (here WithTransport), as Remote's do.
func TestUndoOptions(t *testing.T) {
	tag, err := name.NewTag("registry.test/apps/web:1")
	if err != nil {
		t.Fatal(err)
	}
	rt := &refusingTransport{}
	_, _, err = Undo(context.Background(), nil, tag, WithTransport(rt), WithRetries(0))
	if !errors.Is(err, errRefused) {
		t.Fatalf("Undo = %v, want the transport's error", err)
	}
	if len(rt.hosts) == 0 || rt.hosts[0] != "registry.test" {
		t.Errorf("requests through the transport: %q, want registry.test's", rt.hosts)
	}
}

func TestPrevious(t *testing.T) {
	ev := func(ds ...string) []inventory.TagEvent {
		var out []inventory.TagEvent
		for _, d := range ds {
			out = append(out, inventory.TagEvent{Digest: d})
		}
		return out
	}
	tests := []struct {
		desc string
		hist []inventory.TagEvent
		cur  string
		want string
	}{
		{"one move", ev("sha256:a", "sha256:b"), "sha256:b", "sha256:a"},
		{"two moves", ev("sha256:a", "sha256:b", "sha256:c"), "sha256:c", "sha256:b"},
		{"after an undo, undo again goes further back", ev("sha256:a", "sha256:b", "sha256:c", "sha256:b"), "sha256:b", "sha256:c"},
		{"a vanished tag is skipped", ev("sha256:a", "", "sha256:b"), "sha256:b", "sha256:a"},
		{"nothing before", ev("sha256:a"), "sha256:a", ""},
		{"the current digest is not in the history", ev("sha256:a", "sha256:b"), "sha256:z", ""},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if got := previous(tc.hist, tc.cur); got != tc.want {
				t.Errorf("previous = %q, want %q", got, tc.want)
			}
		})
	}
}
