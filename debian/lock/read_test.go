package lock

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadGolden(t *testing.T) {
	l, err := ReadFile(filepath.Join("testdata", "sample.lock"))
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Arch("arm64"); len(got) != 4 || got[3].Source != "perl" {
		t.Errorf("arm64 = %+v", got)
	}
	if l.Stale(sample(t).Request) {
		t.Error("golden lock is stale for its own request")
	}
}

// edit returns the golden file with old replaced by new (exactly once).
func edit(t *testing.T, old, new string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sample.lock"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(b), old) < 1 {
		t.Fatalf("%q not in golden file", old)
	}
	return strings.Replace(string(b), old, new, 1)
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		desc  string
		input string
		line  int
		want  string
	}{
		{"unknown lockVersion", edit(t, "lockVersion: 1", "lockVersion: 2"), 3, "lockVersion 2 is not supported"},
		{"lockVersion not a number", edit(t, "lockVersion: 1", "lockVersion: one"), 3, "want an integer"},
		{"bad version", edit(t, "version: 2.36-9+deb12u10", "version: 2.36 9"), 27, "libc6: version"},
		{"bad source version", edit(t, "sourceVersion: 12.4+deb12u11", "sourceVersion: :1"), 21, "sourceVersion"},
		{"short sha256", edit(t, "sha256: 2db227e3", "sha256: 2db227e"), 25, "not 64 lower-case hex"},
		{"upper-case sha256", edit(t, "sha256: 2db227e3f09fba664f4fcdf491606505c5d75a9776fbd66cf861fb7741fd7095", "sha256: 2DB227E3F09FBA664F4FCDF491606505C5D75A9776FBD66CF861FB7741FD7095"), 25, "not 64 lower-case hex"},
		{"missing field", edit(t, "      suite: bookworm-security\n", ""), 35, `"suite" missing`},
		{"unknown field", edit(t, "      suite: bookworm-security\n", "      suite: bookworm-security\n      color: red\n"), 41, `unknown key "color"`},
		{"missing top-level key", edit(t, "sourceDateEpoch: 1716000000\n", ""), 3, `"sourceDateEpoch" missing`},
		{"bad inputs", edit(t, "inputs: 5", "inputs: x5"), 5, "inputs"},
		{"unsorted packages", edit(t, "name: libc6\n      version: 2.36-9+deb12u10\n      architecture: amd64", "name: zlib1g\n      version: 2.36-9+deb12u10\n      architecture: amd64"), 35, "out of order"},
		{"path traversal", edit(t, "filename: pool/main/b/base-files/base-files_12.4+deb12u11_amd64.deb", "filename: ../../etc/passwd"), 23, "relative pool path"},
		{"absolute path", edit(t, "filename: pool/main/b/base-files/base-files_12.4+deb12u11_amd64.deb", "filename: /etc/passwd"), 23, "relative pool path"},
		{"negative size", edit(t, "size: 1010", "size: -1"), 24, "negative"},
		{"bool as string", edit(t, "recommends: false", `recommends: "no"`), 13, "true or false"},
		{"repeated key", edit(t, "lockVersion: 1\n", "lockVersion: 1\nlockVersion: 1\n"), 4, "repeated"},
		{"not YAML", "lockVersion: [", 0, "not valid YAML"},
		{"empty", "", 1, "empty lock file"},
		{"not a mapping", "- a\n", 1, "want a mapping"},
		{"alias", strings.Replace(edit(t, "components: [main]", "components: *x"), "suites: [", "suites: &x [", 1), 8, "alias"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.input))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error does not match ErrInvalid: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			var le *Error
			if errors.As(err, &le) && tt.line > 0 && le.Line != tt.line {
				t.Errorf("line = %d, want %d (%v)", le.Line, tt.line, err)
			}
		})
	}
}

func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile(filepath.Join(t.TempDir(), "ingot.lock"))
	if err == nil || !strings.Contains(err.Error(), "ingot lock") {
		t.Errorf("err = %v, want a hint to run ingot lock", err)
	}
}

func TestReadTooLarge(t *testing.T) {
	_, err := Read(strings.NewReader(strings.Repeat("#", MaxSize+1)))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("err = %v", err)
	}
}

func FuzzRead(f *testing.F) {
	golden, err := os.ReadFile(filepath.Join("testdata", "sample.lock"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	f.Add([]byte(""))
	f.Add([]byte("lockVersion: 1\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte(strings.Replace(string(golden), "size: 1010", "size: 99999999999999999999", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Unmarshal(data)
		if err != nil {
			return
		}
		// Whatever reads must write and read back to the same lock.
		b, err := l.Marshal()
		if err != nil {
			t.Fatalf("marshal of a valid lock: %v", err)
		}
		l2, err := Unmarshal(b)
		if err != nil {
			t.Fatalf("re-reading written lock: %v\n%s", err, b)
		}
		b2, _ := l2.Marshal()
		if string(b) != string(b2) {
			t.Fatalf("write is not stable:\n%s\n---\n%s", b, b2)
		}
	})
}
