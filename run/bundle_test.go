package run

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/internal/imagetest"
)

// unreadLayer is a layer whose contents must never be read.
type unreadLayer struct {
	v1.Layer
	t *testing.T
}

func (l unreadLayer) Uncompressed() (io.ReadCloser, error) {
	l.t.Error("a layer was read before the options were checked")
	return nil, errors.New("layer read")
}

func (l unreadLayer) Compressed() (io.ReadCloser, error) { return l.Uncompressed() }

func TestUnpackChecksBeforeExtracting(t *testing.T) {
	tests := []struct {
		desc    string
		cfg     v1.Config
		opts    []Option
		wantErr string
	}{
		{desc: "no entrypoint or cmd", cfg: v1.Config{}, wantErr: "no entrypoint or cmd"},
		{desc: "entrypoint cleared and no args", cfg: v1.Config{Entrypoint: []string{"/x"}}, opts: []Option{WithEntrypoint(nil)}, wantErr: "no entrypoint or cmd"},
		{desc: "network neither none, host nor a path", cfg: v1.Config{Cmd: []string{"/x"}}, opts: []Option{WithNetwork("bridge")}, wantErr: `network "bridge"`},
		{desc: "missing network namespace", cfg: v1.Config{Cmd: []string{"/x"}}, opts: []Option{WithNetwork("/no/such/netns")}, wantErr: "network namespace /no/such/netns"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			l := unreadLayer{Layer: layerOf(t, ent{name: "x", body: "x"}), t: t}
			dir := filepath.Join(t.TempDir(), "b")
			_, err := Unpack(t.Context(), imagetest.Image(t, runtime.GOARCH, tc.cfg, l), dir, tc.opts...)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the bundle directory was created (%v): nothing should be written before the checks", err)
			}
		})
	}
}
