package build

import (
	"archive/tar"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/ingot-dev/ingot/debian/deb"
	"github.com/ingot-dev/ingot/debian/lock"
	"github.com/ingot-dev/ingot/image"
	"github.com/ingot-dev/ingot/internal/debtest"
)

func TestGoldenLayersAndOwners(t *testing.T) {
	r := fixtureRepo(t)
	dir := t.TempDir()
	s := writeSpec(t, dir, r, fixtureSpec)
	res, err := golden(t, s, WithLayout(filepath.Join(dir, "out")))
	if err != nil {
		t.Fatal(err)
	}
	if !res.LockWritten || res.Lockfile != filepath.Join(dir, "ingot.lock") {
		t.Errorf("lock: written %v at %s, want written at %s", res.LockWritten, res.Lockfile, filepath.Join(dir, "ingot.lock"))
	}
	if got, want := res.SourceDateEpoch, debtest.DefaultDate.Unix(); got != want {
		t.Errorf("SourceDateEpoch = %d, want the Release date %d", got, want)
	}
	if len(res.Images) != 2 || res.Images[0].Arch != "amd64" || res.Images[1].Arch != "arm64" || res.Images[1].Platform != "linux/arm64/v8" {
		t.Fatalf("images = %+v, want amd64 then arm64", res.Images)
	}

	type want struct{ name, owner, pkgs string }
	wantLayers := []want{
		{"os", "platform <platform@example.com>", "base-files=12.4+deb12u11 libc6=2.36-9+deb12u10 libgcc-s1=12.2.0-14 netbase=6.4"},
		{"tls", "security <security@example.com>", "ca-certificates=20230311 libssl3=3.0.17-1~deb12u2 openssl=3.0.17-1~deb12u2"},
		{"system", "platform <platform@example.com>", ""},
	}
	for _, ir := range res.Images {
		var got []want
		for _, l := range ir.Layers {
			got = append(got, want{l.Name, l.Owner, strings.Join(l.Packages, " ")})
		}
		if !slices.Equal(got, wantLayers) {
			t.Errorf("%s layers:\n got %v\nwant %v", ir.Arch, got, wantLayers)
		}
	}

	// The lineage in the image says the same.
	img, err := image.SelectImage(res.Index, mustPlatform(t, "amd64"))
	if err != nil {
		t.Fatal(err)
	}
	lin, err := image.ReadLineage(img)
	if err != nil {
		t.Fatal(err)
	}
	if lin.SpecDigest != s.Digest() || len(lin.Layers) != 3 || lin.Layers[1].Owner != "security <security@example.com>" {
		t.Errorf("lineage = %+v", lin)
	}
	l, err := lock.ReadFile(res.Lockfile)
	if err != nil {
		t.Fatal(err)
	}
	if ld, _ := lockDigest(l); lin.LockDigest != ld {
		t.Errorf("lineage lock digest %s, want %s", lin.LockDigest, ld)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cf.Config.User != "65532:65532" || !slices.Contains(cf.Config.Env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin") {
		t.Errorf("config user %q env %q", cf.Config.User, cf.Config.Env)
	}
	if !cf.Created.Time.Equal(debtest.DefaultDate) {
		t.Errorf("created = %v, want %v", cf.Created.Time, debtest.DefaultDate)
	}

	ls := imageLayers(t, res, "amd64")
	osFiles, tlsFiles, sysFiles := layerFiles(t, ls[0]), layerFiles(t, ls[1]), layerFiles(t, ls[2])
	checks := []struct {
		desc  string
		files map[string]tarFile
		path  string
		check func(tarFile) bool
	}{
		{"merged-/usr link in the first layer", osFiles, "bin", func(f tarFile) bool { return f.hdr.Typeflag == tar.TypeSymlink && f.hdr.Linkname == "usr/bin" }},
		{"libc under usr", osFiles, "usr/lib/x86_64-linux-gnu/libc.so.6", func(f tarFile) bool { return string(f.body) == "libc amd64" }},
		// The packages' own date (debtest.Epoch), before the lock's (the Release date).
		{"package layer mtimes are the packages'", osFiles, "etc/debian_version", func(f tarFile) bool { return f.hdr.ModTime.Equal(debtest.Epoch) }},
		{"system layer mtimes are the lock's", sysFiles, "etc/passwd", func(f tarFile) bool { return f.hdr.ModTime.Equal(debtest.DefaultDate) }},
		{"openssl in tls", tlsFiles, "usr/bin/openssl", func(f tarFile) bool { return f.hdr.Mode&0o777 == 0o755 }},
		{"nonroot in passwd", sysFiles, "etc/passwd", func(f tarFile) bool {
			return strings.Contains(string(f.body), "nonroot:x:65532:65532:")
		}},
		{"the CA bundle holds both certificates", sysFiles, "etc/ssl/certs/ca-certificates.crt", func(f tarFile) bool {
			return strings.Count(string(f.body), "BEGIN CERTIFICATE") == 2
		}},
		{"nonroot's home", sysFiles, "home/nonroot", func(f tarFile) bool { return f.hdr.Uid == 65532 && f.hdr.Typeflag == tar.TypeDir }},
		{"dpkg status lists every package", sysFiles, "var/lib/dpkg/status", func(f tarFile) bool {
			var names []string
			for _, line := range strings.Split(string(f.body), "\n") {
				if n, ok := strings.CutPrefix(line, "Package: "); ok {
					names = append(names, n)
				}
			}
			return slices.Equal(names, []string{"base-files", "ca-certificates", "libc6", "libgcc-s1", "libssl3", "netbase", "openssl"})
		}},
	}
	for _, c := range checks {
		t.Run(c.desc, func(t *testing.T) {
			f, ok := c.files[c.path]
			if !ok {
				t.Fatalf("%s missing", c.path)
			}
			if !c.check(f) {
				t.Errorf("%s: header %+v body %q", c.path, f.hdr, f.body)
			}
		})
	}
	for _, p := range []string{"usr/bin/openssl", "etc/passwd"} {
		if _, ok := osFiles[p]; ok {
			t.Errorf("%s is in the os layer", p)
		}
	}

	// The layout holds the index and validates.
	lp, err := layout.FromPath(filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	idx, err := lp.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := idx.Digest(); d.String() != res.IndexDigest {
		t.Errorf("layout index %s, result %s", d, res.IndexDigest)
	}
	if err := validate.Index(idx); err != nil {
		t.Errorf("validate.Index: %v", err)
	}
}

func TestGoldenReusesLockWithoutIndexes(t *testing.T) {
	r := fixtureRepo(t)
	dir := t.TempDir()
	s := writeSpec(t, dir, r, fixtureSpec)
	first, err := golden(t, s)
	if err != nil {
		t.Fatal(err)
	}
	indexPaths := []string{"dists/bookworm/InRelease"}
	for _, arch := range []string{"amd64", "arm64"} {
		for _, ext := range []string{"xz", "gz"} {
			indexPaths = append(indexPaths, "dists/bookworm/main/binary-"+arch+"/Packages."+ext)
		}
	}
	count := func() int {
		n := 0
		for _, p := range indexPaths {
			n += r.Requests(p)
		}
		return n
	}
	before := count()
	if before == 0 {
		t.Fatal("the first build fetched no index: the counter does not work")
	}
	// A fresh cache: the .debs are downloaded again, the indexes are not.
	second, err := golden(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := count(); got != before {
		t.Errorf("a build from a valid lock made %d index requests", got-before)
	}
	if second.LockWritten || second.IndexDigest != first.IndexDigest {
		t.Errorf("second build: lock written %v, digest %s (first %s)", second.LockWritten, second.IndexDigest, first.IndexDigest)
	}

	// A spec asking for something else makes the lock stale: it is regenerated.
	s2 := writeSpec(t, dir, r, strings.Replace(fixtureSpec, "[ca-certificates, libssl3]", "[libssl3]", 1))
	third, err := golden(t, s2)
	if err != nil {
		t.Fatal(err)
	}
	if !third.LockWritten || count() == before {
		t.Errorf("stale lock: written %v, index requests %d -> %d", third.LockWritten, before, count())
	}
	if got := third.Images[0].Layers[1].Packages; !slices.Equal(got, []string{"libssl3=3.0.17-1~deb12u2"}) {
		t.Errorf("tls layer after the change = %v", got)
	}
}

func TestGoldenDeterministic(t *testing.T) {
	r := fixtureRepo(t)
	text := fixtureSpec + "env: {TZ: UTC}\nfiles:\n  - {src: app.conf, dst: /etc/app/app.conf, mode: \"0640\", uid: 65532, gid: 65532}\n" +
		"  - {src: app.conf, dst: /etc/app/default.conf}\n"
	var digests []string
	var manifests [][]string
	for i := range 2 {
		dir := filepath.Join(t.TempDir(), "spec"+string(rune('a'+i)))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "app.conf"), []byte("level=info\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		// Different host modes and times on the source must not matter.
		if err := os.Chmod(filepath.Join(dir, "app.conf"), os.FileMode(0o600+i*0o44)); err != nil {
			t.Fatal(err)
		}
		s := writeSpec(t, dir, r, text)
		res, err := golden(t, s)
		if err != nil {
			t.Fatal(err)
		}
		digests = append(digests, res.IndexDigest)
		var ms []string
		for _, im := range res.Images {
			ms = append(ms, im.Digest)
		}
		manifests = append(manifests, ms)
		sys := layerFiles(t, imageLayers(t, res, "arm64")[2])
		f := sys["etc/app/app.conf"]
		if string(f.body) != "level=info\n" || f.hdr.Mode != 0o640 || f.hdr.Uid != 65532 {
			t.Errorf("spec file: %+v %q", f.hdr, f.body)
		}
		if f := sys["etc/app/default.conf"]; f.hdr == nil || f.hdr.Mode != 0o644 || f.hdr.Uid != 0 {
			t.Errorf("spec file without a mode: %+v", f.hdr)
		}
	}
	if digests[0] != digests[1] || !slices.Equal(manifests[0], manifests[1]) {
		t.Errorf("two builds differ: %v %v", digests, manifests)
	}
}

func TestGoldenHostileDebs(t *testing.T) {
	tests := []struct {
		desc  string
		files []debtest.File
		path  string
	}{
		{"path traversal", []debtest.File{{Path: "./../../etc/evil", Body: []byte("x")}}, "etc/evil"},
		{"absolute path", []debtest.File{{Path: "/etc/evil", Body: []byte("x")}}, "/etc/evil"},
		{"symlink escape", []debtest.File{{Path: "./usr/", Typeflag: tar.TypeDir}, {Path: "./usr/evil", Linkname: "../../../../etc/shadow", Typeflag: tar.TypeSymlink}}, "usr/evil"},
		{"write through a symlink", []debtest.File{{Path: "./etc/", Typeflag: tar.TypeDir}, {Path: "./etc/link", Linkname: "/usr", Typeflag: tar.TypeSymlink}, {Path: "./etc/link/evil", Body: []byte("x")}}, "etc/link/evil"},
		{"hardlink escape", []debtest.File{{Path: "./etc/", Typeflag: tar.TypeDir}, {Path: "./etc/evil", Linkname: "../../etc/shadow", Typeflag: tar.TypeLink}}, "etc/evil"},
		{"device node", []debtest.File{{Path: "./dev/", Typeflag: tar.TypeDir}, {Path: "./dev/sda", Typeflag: tar.TypeBlock}}, "dev/sda"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			r := fixtureRepo(t)
			r.Add("bookworm", "main", debtest.Deb{Name: "evil", Version: "1.0", Arch: "all", DataCompression: "none", RawData: debtest.TarBytes(tt.files)})
			s := writeSpec(t, t.TempDir(), r, strings.Replace(fixtureSpec, "[base-files, netbase, libc6]", "[base-files, netbase, libc6, evil]", 1))
			_, err := golden(t, s, WithArchitectures("amd64"))
			var ue *deb.UnsafePathError
			if !errors.As(err, &ue) || !errors.Is(err, deb.ErrUnsafe) {
				t.Fatalf("err = %v, want an unsafe path error", err)
			}
			if ue.Package != "evil" || !strings.Contains(ue.Path, tt.path) || !strings.Contains(err.Error(), "evil") {
				t.Errorf("error %q names package %q path %q; want evil and %s", err, ue.Package, ue.Path, tt.path)
			}
		})
	}
}

func TestGoldenErrors(t *testing.T) {
	t.Run("a spec file that disappeared", func(t *testing.T) {
		r := fixtureRepo(t)
		dir := t.TempDir()
		src := filepath.Join(dir, "motd")
		if err := os.WriteFile(src, []byte("hi"), 0o644); err != nil {
			t.Fatal(err)
		}
		s := writeSpec(t, dir, r, fixtureSpec+"files:\n  - {src: motd, dst: /etc/motd}\n")
		if err := os.Remove(src); err != nil {
			t.Fatal(err)
		}
		_, err := golden(t, s)
		if err == nil || !strings.Contains(err.Error(), "motd does not exist") {
			t.Errorf("err = %v, want one naming motd", err)
		}
	})
	t.Run("the same file in two layers", func(t *testing.T) {
		r := fixtureRepo(t)
		r.Add("bookworm", "main", debtest.Deb{Name: "fake-openssl", Version: "1", Arch: "all", Files: []debtest.File{{Path: "./bin/openssl", Body: []byte("fake")}}})
		s := writeSpec(t, t.TempDir(), r, strings.Replace(fixtureSpec, "[base-files, netbase, libc6]", "[base-files, netbase, libc6, fake-openssl]", 1))
		_, err := golden(t, s, WithArchitectures("amd64"))
		if err == nil || !strings.Contains(err.Error(), "usr/bin/openssl is shipped by fake-openssl (layer os) and openssl (layer tls)") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("an architecture the spec does not build", func(t *testing.T) {
		r := fixtureRepo(t)
		s := writeSpec(t, t.TempDir(), r, fixtureSpec)
		_, err := golden(t, s, WithArchitectures("riscv64"))
		if err == nil || !strings.Contains(err.Error(), "riscv64 is not one of") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("an unknown package", func(t *testing.T) {
		r := fixtureRepo(t)
		s := writeSpec(t, t.TempDir(), r, strings.Replace(fixtureSpec, "[ca-certificates, libssl3]", "[ca-certificate, libssl3]", 1))
		_, err := golden(t, s)
		if err == nil || !strings.Contains(err.Error(), "ca-certificate") || !strings.Contains(err.Error(), "ca-certificates") {
			t.Errorf("err = %v, want the unknown name and a suggestion", err)
		}
	})
}

func TestGoldenArchitectureSubset(t *testing.T) {
	r := fixtureRepo(t)
	s := writeSpec(t, t.TempDir(), r, fixtureSpec)
	res, err := golden(t, s, WithArchitectures("arm64", "amd64", "arm64"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, im := range res.Images {
		got = append(got, im.Arch)
	}
	if !slices.Equal(got, []string{"amd64", "arm64"}) {
		t.Errorf("images %v, want each architecture once, in the spec's order", got)
	}
	one, err := golden(t, s, WithArchitectures("arm64"))
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Images) != 1 || one.Images[0].Digest != res.Images[1].Digest {
		t.Errorf("arm64 alone: %+v, want the same manifest as in the full build (%s)", one.Images, res.Images[1].Digest)
	}
}

func TestGoldenSourceDateEpochOverride(t *testing.T) {
	r := fixtureRepo(t)
	s := writeSpec(t, t.TempDir(), r, fixtureSpec+"sourceDateEpoch: 1600000000\n")
	res, err := golden(t, s, WithArchitectures("amd64"))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Unix(1600000000, 0).UTC()
	img, err := image.SelectImage(res.Index, mustPlatform(t, "amd64"))
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if res.SourceDateEpoch != 1600000000 || !cf.Created.Time.Equal(want) {
		t.Errorf("epoch %d, created %v; want the spec's %v", res.SourceDateEpoch, cf.Created.Time, want)
	}
	for i, l := range imageLayers(t, res, "amd64") {
		for p, f := range layerFiles(t, l) {
			if !f.hdr.ModTime.Equal(want) {
				t.Fatalf("layer %d: %s has mtime %v, want %v", i, p, f.hdr.ModTime, want)
			}
		}
	}
}
