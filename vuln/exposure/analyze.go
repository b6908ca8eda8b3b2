package exposure

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"path"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// defaultPath is the PATH a container runtime uses when the config sets none.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// Analyze reads img's config and layers and reports what its entrypoint
// loads (see the package doc) and which ports it exposes. The program is the
// config's Entrypoint[0], else Cmd[0]; for the shell form ("/bin/sh -c
// 'exec nginx -g ...'") the command's first word. A program without a slash
// is looked up in the config's PATH. A script's "#!" interpreter becomes the
// Program (env's argument looked up in PATH). An image without either, or
// whose program is missing or not an ELF file, gets a Report with no Files.
func Analyze(ctx context.Context, img v1.Image, opts ...Option) (*Report, error) {
	o := options{log: slog.New(slog.DiscardHandler), maxFile: 512 << 20, maxConfig: 64 << 20, maxEntries: 2_000_000}
	for _, opt := range opts {
		opt(&o)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading the image config: %w", err)
	}
	r := &Report{}
	for p := range cf.Config.ExposedPorts {
		r.Ports = append(r.Ports, p)
	}
	slices.SortFunc(r.Ports, comparePorts)
	r.Entrypoint = program(cf.Config.Entrypoint, cf.Config.Cmd)
	if r.Entrypoint == "" {
		return r, nil
	}
	v, err := readView(ctx, img, o)
	if err != nil {
		return nil, fmt.Errorf("reading the file system of the image: %w", err)
	}
	env := map[string]string{}
	for _, kv := range cf.Config.Env {
		k, val, _ := strings.Cut(kv, "=")
		env[k] = val
	}
	progPath, prog := v.lookup(r.Entrypoint, cmp.Or(env["PATH"], defaultPath), cmp.Or(cf.Config.WorkingDir, "/"))
	if progPath == "" {
		return r, nil
	}
	r.Program = "/" + progPath
	if prog.elf == nil && prog.shebang != "" {
		ip, in := v.lookup(interpreter(prog.shebang), cmp.Or(env["PATH"], defaultPath), "/")
		if ip == "" {
			return r, nil
		}
		r.Script, r.Program, progPath, prog = r.Program, "/"+ip, ip, in
	}
	if prog.elf == nil {
		return r, nil
	}
	if bi := prog.elf.build; bi != nil {
		r.Modules = append(r.Modules, Module{Path: "stdlib", Version: bi.GoVersion})
		if bi.Main.Path != "" {
			r.Modules = append(r.Modules, Module{Path: bi.Main.Path, Version: bi.Main.Version})
		}
		for _, d := range bi.Deps {
			if d.Replace != nil {
				d = d.Replace
			}
			r.Modules = append(r.Modules, Module{Path: d.Path, Version: d.Version})
		}
	}
	var ldLib []string
	for d := range strings.SplitSeq(env["LD_LIBRARY_PATH"], ":") {
		if path.IsAbs(d) {
			ldLib = append(ldLib, path.Clean(d))
		}
	}
	files, missing := v.closure(progPath, prog.elf, ldLib, v.ldConfDirs(), triplet(cf.Architecture, cf.Variant))
	want := map[string]bool{}
	for _, f := range files {
		want[f.path] = true
	}
	own := v.owners(want)
	for _, f := range files {
		r.Files = append(r.Files, File{Path: "/" + f.path, Package: own[f.path], Chain: f.chain})
	}
	r.Missing = missing
	return r, nil
}

// program picks the program a container starts.
func program(entrypoint, cmd []string) string {
	args := append(slices.Clip(entrypoint), cmd...)
	if len(args) == 0 {
		return ""
	}
	switch path.Base(args[0]) {
	case "sh", "bash", "dash":
		if len(args) >= 3 && args[1] == "-c" {
			f := strings.Fields(args[2])
			for len(f) > 0 && (f[0] == "exec" || strings.Contains(f[0], "=")) {
				f = f[1:]
			}
			if len(f) > 0 {
				return f[0]
			}
		}
	}
	return args[0]
}

// interpreter returns the program a "#!" line runs: its path, or for
// "/usr/bin/env [-S] node" the name env looks up.
func interpreter(shebang string) string {
	f := strings.Fields(shebang)
	if len(f) == 0 {
		return ""
	}
	if path.Base(f[0]) == "env" {
		for _, a := range f[1:] {
			if !strings.HasPrefix(a, "-") && !strings.Contains(a, "=") {
				return a
			}
		}
	}
	return f[0]
}

// lookup finds the program's file as execve would: a name with a slash
// relative to the working directory, else the first PATH directory holding it.
func (v *view) lookup(prog, pathEnv, workdir string) (string, *node) {
	var cands []string
	if strings.Contains(prog, "/") {
		if !path.IsAbs(prog) {
			prog = path.Join(workdir, prog)
		}
		cands = []string{prog}
	} else {
		for d := range strings.SplitSeq(pathEnv, ":") {
			if path.IsAbs(d) {
				cands = append(cands, path.Join(d, prog))
			}
		}
	}
	for _, c := range cands {
		if rp, n, ok := v.file(c); ok {
			return rp, n
		}
	}
	return "", nil
}

var triplets = map[string]string{
	"amd64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu", "386": "i386-linux-gnu",
	"ppc64le": "powerpc64le-linux-gnu", "s390x": "s390x-linux-gnu", "riscv64": "riscv64-linux-gnu",
	"mips64le": "mips64el-linux-gnuabi64",
}

// triplet is the Debian multiarch directory name of the image's platform.
func triplet(arch, variant string) string {
	if arch == "arm" {
		if variant == "v5" {
			return "arm-linux-gnueabi"
		}
		return "arm-linux-gnueabihf"
	}
	if t, ok := triplets[arch]; ok {
		return t
	}
	return "x86_64-linux-gnu"
}

// comparePorts orders ports by number, then protocol: "53/udp", "80/tcp",
// "443/tcp".
func comparePorts(a, b string) int {
	pa, protoA, _ := strings.Cut(a, "/")
	pb, protoB, _ := strings.Cut(b, "/")
	return cmp.Or(cmp.Compare(len(pa), len(pb)), cmp.Compare(pa, pb), cmp.Compare(protoA, protoB))
}
