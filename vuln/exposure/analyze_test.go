package exposure

import (
	"debug/elf"
	"os"
	"path"
	"runtime"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/sbom"

	"github.com/ingot-dev/ingot/internal/imagetest"
)

const hostTriplet = "x86_64-linux-gnu"

// hostClosure copies the host's /usr/bin/ls and the libraries it needs (found
// in the host's multiarch directories) into test files under usr/: real ELF
// objects, so that the test exercises debug/elf on what Debian ships.
func hostClosure(t *testing.T) (files []tf, needed map[string][]string) {
	t.Helper()
	if runtime.GOARCH != "amd64" {
		t.Skip("the fixture uses the host's x86-64 /usr/bin/ls")
	}
	needed = map[string][]string{}
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Skipf("host file for the fixture: %v", err)
		}
		return b
	}
	queue := []string{"/usr/bin/ls"}
	seen := map[string]bool{}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		f, err := elf.Open(p)
		if err != nil {
			t.Skipf("host ELF for the fixture: %v", err)
		}
		libs, _ := f.ImportedLibraries()
		f.Close()
		needed[path.Base(p)] = libs
		mode := int64(0o644)
		if p == "/usr/bin/ls" {
			mode = 0o755
		}
		files = append(files, tf{Path: strings.TrimPrefix(p, "/"), Body: read(p), Mode: mode})
		for _, l := range libs {
			if !seen[l] {
				seen[l] = true
				queue = append(queue, "/usr/lib/"+hostTriplet+"/"+l)
			}
		}
	}
	return files, needed
}

func TestAnalyzeELF(t *testing.T) {
	files, needed := hostClosure(t)
	if !slices.Contains(needed["ls"], "libc.so.6") {
		t.Skipf("host ls does not need libc.so.6: %q", needed["ls"])
	}
	var libcBody []byte
	for _, f := range files {
		if path.Base(f.Path) == "libc.so.6" {
			libcBody = f.Body
		}
	}
	base := layerOf(t, append([]tf{
		{Path: "bin", Link: "usr/bin"},
		{Path: "lib", Link: "usr/lib"},
		{Path: "lib64", Link: "usr/lib64"},
		{Path: "usr/lib64/ld-linux-x86-64.so.2", Link: "../lib/" + hostTriplet + "/ld-linux-x86-64.so.2"},
		// dpkg lists paths as packages ship them, not as merged /usr resolves them.
		{Path: "var/lib/dpkg/info/coreutils.list", Body: []byte("/.\n/bin\n/bin/ls\n")},
		{Path: "var/lib/dpkg/info/libc6:amd64.list", Body: []byte("/lib/" + hostTriplet + "/libc.so.6\n/usr/lib/" + hostTriplet + "/ld-linux-x86-64.so.2\n")},
		{Path: "usr/local/bin/app", Link: "/bin/ls"},
		// A libc of the wrong place: only found through ld.so.conf.
		{Path: "opt/alt/libc.so.6", Body: libcBody},
		// Not needed by ls: never in the closure.
		{Path: "usr/bin/openssl", Body: libcBody, Mode: 0o755},
	}, files...)...)
	conf := layerOf(t, tf{Path: "etc/ld.so.conf", Body: []byte("# comment\ninclude ld.so.conf.d/*.conf\n")},
		tf{Path: "etc/ld.so.conf.d/alt.conf", Body: []byte("/opt/alt\n")})
	whiteout := layerOf(t, tf{Path: "etc/ld.so.conf.d/.wh.alt.conf"})
	// Written through the lib -> usr/lib link: replaces the real libc.
	shadow := layerOf(t, tf{Path: "lib/" + hostTriplet + "/libc.so.6", Body: []byte("not an ELF file any more")})
	cfg := v1.Config{Entrypoint: []string{"app"}, Cmd: []string{"-l"}, Env: []string{"PATH=/usr/local/bin:/usr/bin"},
		ExposedPorts: map[string]struct{}{"8080/tcp": {}, "443/tcp": {}, "53/udp": {}}}

	tests := []struct {
		desc     string
		layers   []v1.Layer
		libcPath string
		libcPkg  string
	}{
		{"default multiarch directory", []v1.Layer{base}, "/usr/lib/" + hostTriplet + "/libc.so.6", "libc6"},
		{"ld.so.conf include comes first", []v1.Layer{base, conf}, "/opt/alt/libc.so.6", ""},
		{"whiteout removes the conf file", []v1.Layer{base, conf, whiteout}, "/usr/lib/" + hostTriplet + "/libc.so.6", "libc6"},
		{"a file written through a directory symlink replaces the target", []v1.Layer{base, shadow}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			r, err := Analyze(t.Context(), imagetest.Image(t, "amd64", cfg, tt.layers...))
			if err != nil {
				t.Fatal(err)
			}
			if r.Entrypoint != "app" || r.Program != "/usr/bin/ls" {
				t.Errorf("entrypoint %q program %q", r.Entrypoint, r.Program)
			}
			if want := []string{"53/udp", "443/tcp", "8080/tcp"}; !slices.Equal(r.Ports, want) {
				t.Errorf("ports %q, want %q", r.Ports, want)
			}
			if (len(r.Missing) > 0) != (tt.libcPath == "") {
				t.Errorf("missing %q", r.Missing)
			}
			if r.Files[0].Path != "/usr/bin/ls" || r.Files[0].Package != "coreutils" {
				t.Errorf("first file %+v", r.Files[0])
			}
			// The interpreter is libc6's in every case.
			f, ok := r.Loads(sbom.Deb, "libc6")
			if !ok {
				t.Errorf("Loads(libc6) = %v", ok)
			}
			var libc File
			for _, f := range r.Files {
				if path.Base(f.Path) == "libc.so.6" {
					libc = f
				}
			}
			if tt.libcPath == "" {
				if libc.Path != "" || !slices.Contains(r.Missing, "libc.so.6") {
					t.Errorf("libc %+v, missing %q", libc, r.Missing)
				}
			} else if libc.Path != tt.libcPath || libc.Package != tt.libcPkg || !slices.Equal(libc.Chain, []string{"/usr/bin/ls", "libc.so.6"}) {
				t.Errorf("libc %+v; Loads gave %+v", libc, f)
			}
			if _, ok := r.Loads(sbom.Deb, "openssl"); ok {
				t.Error("openssl reported as loaded")
			}
			if !slices.ContainsFunc(r.Files, func(f File) bool {
				return f.Package == "libc6" && strings.HasSuffix(f.Path, "ld-linux-x86-64.so.2") && len(f.Chain) == 2 && f.Chain[1] == "/lib64/ld-linux-x86-64.so.2"
			}) {
				t.Errorf("interpreter not in the closure: %+v", r.Files)
			}
		})
	}
}

func TestAnalyzeGo(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	img := imagetest.Image(t, "amd64", v1.Config{Entrypoint: []string{"/app/server"}, ExposedPorts: map[string]struct{}{"8080/tcp": {}}},
		layerOf(t, tf{Path: "app/server", Body: b, Mode: 0o755}))
	r, err := Analyze(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"stdlib", "github.com/ingot-dev/ingot"} {
		f, ok := r.Loads(sbom.Golang, m)
		if !ok || f.Path != "/app/server" {
			t.Errorf("Loads(%s) = %+v %v; modules %v", m, f, ok, r.Modules)
		}
	}
	if _, ok := r.Loads(sbom.Golang, "golang.org/x/not-a-dep"); ok {
		t.Error("a module that is not a dependency is loaded")
	}
}

func TestProgram(t *testing.T) {
	tests := []struct {
		desc            string
		entrypoint, cmd []string
		want            string
	}{
		{"entrypoint", []string{"/usr/sbin/nginx", "-g", "daemon off;"}, nil, "/usr/sbin/nginx"},
		{"cmd only", nil, []string{"node", "server.js"}, "node"},
		{"shell form", []string{"/bin/sh", "-c"}, []string{"exec FOO=1 nginx -g 'daemon off;'"}, "nginx"},
		{"none", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if got := program(tt.entrypoint, tt.cmd); got != tt.want {
				t.Errorf("program = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSearchPaths(t *testing.T) {
	exe := &loaded{path: "opt/app/bin/app", info: &elfInfo{rpath: []string{"$ORIGIN/../rlib"}}}
	tests := []struct {
		desc string
		obj  *loaded
		want []string
	}{
		{"RPATH of the object and its loaders", &loaded{path: "opt/app/lib/liba.so", info: &elfInfo{rpath: []string{"${ORIGIN}"}}, loaders: []*loaded{exe}},
			[]string{"/opt/app/lib", "/opt/app/rlib", "/env", "/conf", "/lib/t", "/usr/lib/t", "/lib", "/usr/lib"}},
		{"RUNPATH disables RPATH", &loaded{path: "opt/app/lib/liba.so", info: &elfInfo{rpath: []string{"/no"}, runpath: []string{"$ORIGIN/x", "/$LIB"}}, loaders: []*loaded{exe}},
			[]string{"/env", "/opt/app/lib/x", "/lib/t", "/conf", "/lib/t", "/usr/lib/t", "/lib", "/usr/lib"}},
		{"relative entries are ignored", &loaded{path: "a", info: &elfInfo{runpath: []string{"rel"}}},
			[]string{"/env", "/conf", "/lib/t", "/usr/lib/t", "/lib", "/usr/lib"}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if got := searchPaths(tt.obj, []string{"/env"}, []string{"/conf"}, "t"); !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestAnalyzeScriptDistroless starts from a "#!/usr/bin/env" script and maps
// files through a distroless status.d database (md5sums, no file lists).
func TestAnalyzeScriptDistroless(t *testing.T) {
	files, _ := hostClosure(t)
	var sums strings.Builder
	for _, f := range files {
		if path.Base(f.Path) == "libc.so.6" {
			sums.WriteString("0123456789abcdef0123456789abcdef  " + f.Path + "\n")
		}
	}
	img := imagetest.Image(t, "amd64", v1.Config{Entrypoint: []string{"/app/start"}, Env: []string{"PATH=/usr/bin"}},
		layerOf(t, append(files,
			tf{Path: "app/start", Body: []byte("#!/usr/bin/env -S ls -l\necho hi\n"), Mode: 0o755},
			tf{Path: "var/lib/dpkg/status.d/libc6.md5sums", Body: []byte(sums.String())},
			tf{Path: "lib64/ld-linux-x86-64.so.2", Link: "/usr/lib/" + hostTriplet + "/ld-linux-x86-64.so.2"},
		)...))
	r, err := Analyze(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	if r.Script != "/app/start" || r.Program != "/usr/bin/ls" {
		t.Fatalf("script %q program %q", r.Script, r.Program)
	}
	f, ok := r.Loads(sbom.Deb, "libc6")
	if !ok || f.Path != "/usr/lib/"+hostTriplet+"/libc.so.6" || !slices.Equal(f.Chain, []string{"/usr/bin/ls", "libc.so.6"}) {
		t.Errorf("libc6: %+v %v; files %+v", f, ok, r.Files)
	}
}

func TestInterpreter(t *testing.T) {
	tests := []struct{ desc, in, want string }{
		{"path", "/bin/sh -e", "/bin/sh"},
		{"env", "/usr/bin/env node", "node"},
		{"env with flags and variables", "/usr/bin/env -S NODE_ENV=production node --max-old-space-size=100", "node"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if got := interpreter(tt.in); got != tt.want {
				t.Errorf("interpreter(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
