package node

import (
	"archive/tar"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ingot-dev/ingot/build/app"
	"github.com/ingot-dev/ingot/image/layer"
)

func TestHasFile(t *testing.T) {
	node := []layer.Entry{
		{Path: "usr/bin", Type: tar.TypeDir, Mode: 0o755},
		{Path: "usr/bin/node", Type: tar.TypeReg, Mode: 0o755, Body: []byte("\x7fELF")},
	}
	tests := []struct {
		desc   string
		layers [][]layer.Entry
		want   bool
	}{
		{"in the only layer", [][]layer.Entry{node}, true},
		{"in a lower layer", [][]layer.Entry{node, {{Path: "etc", Type: tar.TypeDir, Mode: 0o755}}}, true},
		{"a symlink", [][]layer.Entry{{{Path: "usr/bin/node", Type: tar.TypeSymlink, Linkname: "/etc/alternatives/node", Mode: 0o777}}}, true},
		{"removed by a whiteout", [][]layer.Entry{node, {{Path: "usr/bin/.wh.node", Type: tar.TypeReg, Mode: 0o644}}}, false},
		{"removed by an opaque directory", [][]layer.Entry{node, {{Path: "usr/bin/.wh..wh..opq", Type: tar.TypeReg, Mode: 0o644}}}, false},
		{"elsewhere", [][]layer.Entry{{{Path: "opt/node/bin/node", Type: tar.TypeReg, Mode: 0o755}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			img := empty.Image
			for _, entries := range tt.layers {
				l, err := app.EncodeLayer(entries, time.Unix(1700000000, 0))
				if err != nil {
					t.Fatal(err)
				}
				if img, err = mutate.AppendLayers(img, l); err != nil {
					t.Fatal(err)
				}
			}
			got, err := hasFile(img, "/usr/bin/node")
			if err != nil || got != tt.want {
				t.Errorf("hasFile = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}
