package resolve

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ingot-dev/ingot/debian/repo"
)

// aptEnv is an isolated apt configuration for one architecture: a
// sources file naming exactly the test's repo.Source, private lists and
// cache, an empty dpkg status and no preferences, so apt-get -s install
// shows what apt installs on an empty system.
type aptEnv struct {
	arch string
	dir  string
}

func (e aptEnv) opts() []string {
	return []string{
		"-o", "APT::Architecture=" + e.arch,
		"-o", "APT::Architectures=" + e.arch,
		"-o", "Dir::Etc::SourceList=" + filepath.Join(e.dir, "sources.list"),
		"-o", "Dir::Etc::SourceParts=" + filepath.Join(e.dir, "empty"),
		"-o", "Dir::Etc::Preferences=" + filepath.Join(e.dir, "empty", "preferences"),
		"-o", "Dir::Etc::PreferencesParts=" + filepath.Join(e.dir, "empty"),
		"-o", "Dir::State=" + filepath.Join(e.dir, "state"),
		"-o", "Dir::State::status=" + filepath.Join(e.dir, "status"),
		"-o", "Dir::Cache=" + filepath.Join(e.dir, "cache"),
		"-o", "Debug::NoLocking=1",
		"-o", "APT::Sandbox::User=root",
		"-o", "Acquire::Languages=none",
		"-o", "APT::Install-Recommends=false",
		"-o", "APT::Install-Suggests=false",
	}
}

// newAptEnv prepares dir for src and runs apt-get update there. dir is
// kept between runs, so a warm update only revalidates the Release files.
func newAptEnv(t *testing.T, arch, dir string, src repo.Source) aptEnv {
	t.Helper()
	e := aptEnv{arch: arch, dir: dir}
	for _, d := range []string{"state/lists/partial", "cache/archives/partial", "empty"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var list strings.Builder
	for _, suite := range src.Suites {
		fmt.Fprintf(&list, "deb [signed-by=%s] %s %s %s\n", src.KeyringPath(), src.MirrorFor(suite), suite, strings.Join(src.ComponentList(), " "))
	}
	if err := os.WriteFile(filepath.Join(dir, "sources.list"), []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "status"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("apt-get", append(e.opts(), "-q", "update")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apt-get update for %s: %v\n%s", arch, err, out)
	}
	return e
}

// instLine is apt-get -s's "Inst name (version release [arch])".
var instLine = regexp.MustCompile(`^Inst (\S+) \((\S+) `)

// simulate returns what apt-get -s install pkgs installs, as sorted
// "name=version". extra apt options follow the defaults (which turn
// Recommends off), so "-o APT::Install-Recommends=true" turns them on.
func (e aptEnv) simulate(t *testing.T, pkgs []string, extra ...string) []string {
	t.Helper()
	args := append(append(e.opts(), extra...), "-s", "-q", "install")
	cmd := exec.Command("apt-get", append(args, pkgs...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("apt-get -s install %v for %s: %v\n%s\n%s", pkgs, e.arch, err, out, stderr.Bytes())
	}
	var set []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if m := instLine.FindStringSubmatch(sc.Text()); m != nil {
			set = append(set, strings.TrimSuffix(m[1], ":"+e.arch)+"="+m[2])
		}
	}
	if len(set) == 0 {
		t.Fatalf("apt-get -s install %v for %s printed no Inst lines:\n%s", pkgs, e.arch, out)
	}
	slices.Sort(set)
	return set
}

// mmdebstrapSet returns the packages mmdebstrap --variant=extract
// --include=pkgs installs from e's sources (its --simulate --verbose output
// carries apt's Inst lines), as sorted "name=version". The test uses it to
// show that driving apt-get directly asks apt the same question.
func (e aptEnv) mmdebstrapSet(t *testing.T, suite string, pkgs []string) []string {
	t.Helper()
	cmd := exec.Command("mmdebstrap", "--verbose", "--mode=root", "--variant=extract", "--simulate",
		"--architectures="+e.arch, "--include="+strings.Join(pkgs, ","),
		suite, filepath.Join(t.TempDir(), "root.tar"), filepath.Join(e.dir, "sources.list"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("mmdebstrap --simulate for %v: %v\n%s", pkgs, err, out)
	}
	var set []string
	for line := range strings.SplitSeq(string(out), "\n") {
		if m := instLine.FindStringSubmatch(line); m != nil {
			set = append(set, strings.TrimSuffix(m[1], ":"+e.arch)+"="+m[2])
		}
	}
	if len(set) == 0 {
		t.Fatalf("mmdebstrap --simulate for %v printed no Inst lines:\n%s", pkgs, out)
	}
	slices.Sort(set)
	return set
}
