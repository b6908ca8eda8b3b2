package deb

import (
	"archive/tar"
	"bytes"
	"testing"
	"time"

	"github.com/ingot-dev/ingot/internal/debtest"
)

func TestReadModTime(t *testing.T) {
	t1 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	t2 := time.Date(2025, 6, 7, 8, 9, 10, 0, time.UTC)
	tests := []struct {
		desc string
		hs   []tar.Header
		want time.Time
	}{
		{"newest of files and directories", []tar.Header{
			{Name: "./", Typeflag: tar.TypeDir, Mode: 0o755, ModTime: t1},
			{Name: "./usr/", Typeflag: tar.TypeDir, Mode: 0o755, ModTime: t2},
			{Name: "./usr/x", Typeflag: tar.TypeReg, Mode: 0o644, Size: 1, ModTime: t1},
		}, t2},
		{"the root counts", []tar.Header{
			{Name: "./", Typeflag: tar.TypeDir, Mode: 0o755, ModTime: t2},
			{Name: "./x", Typeflag: tar.TypeReg, Mode: 0o644, Size: 1, ModTime: t1},
		}, t2},
		{"symlinks count", []tar.Header{
			{Name: "./x", Typeflag: tar.TypeReg, Mode: 0o644, Size: 1, ModTime: t1},
			{Name: "./y", Typeflag: tar.TypeSymlink, Linkname: "x", Mode: 0o777, ModTime: t2},
		}, t2},
		{"sub-second precision dropped", []tar.Header{
			{Name: "./x", Typeflag: tar.TypeReg, Mode: 0o644, Size: 1, ModTime: t1.Add(900 * time.Millisecond), Format: tar.FormatPAX},
		}, t1},
		{"empty data.tar", nil, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			raw := debtest.BuildDeb(debtest.Deb{Name: "p", Version: "1", RawData: ownedTar(t, tt.hs...), DataCompression: "none"})
			a, err := Read(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if !a.ModTime.Equal(tt.want) || a.ModTime.Location() != time.UTC {
				t.Errorf("ModTime = %v, want %v (UTC)", a.ModTime, tt.want)
			}
		})
	}
	t.Run("debtest packages", func(t *testing.T) {
		raw := debtest.BuildDeb(debtest.Deb{Name: "p", Version: "1", Files: []debtest.File{{Path: "./etc/p", Body: []byte("p")}}})
		a, err := Read(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if !a.ModTime.Equal(debtest.Epoch) {
			t.Errorf("ModTime = %v, want debtest.Epoch %v", a.ModTime, debtest.Epoch)
		}
	})
}
