package lock

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func pkg(name, version, arch, suite string) Package {
	return Package{
		Name: name, Version: version, Architecture: arch,
		Source: name, SourceVersion: version, Suite: suite,
		Filename: "pool/main/" + name[:1] + "/" + name + "/" + name + "_" + version + "_" + arch + ".deb",
		Size:     int64(1000 + len(name)), SHA256: sum(name + version + arch),
	}
}

// sample is the lock of testdata/sample.lock.
func sample(t testing.TB) *Lock {
	t.Helper()
	req := Request{
		Packages:      []string{"base-files", "libssl3"},
		Architectures: []string{"amd64", "arm64"},
		Suites:        []string{"bookworm", "bookworm-updates", "bookworm-security"},
		Components:    []string{"main"},
	}
	return &Lock{
		SourceDateEpoch: 1716000000,
		Inputs:          InputsDigest(req),
		Request:         req,
		Architectures: []Arch{
			{Name: "amd64", Packages: []Package{
				pkg("base-files", "12.4+deb12u11", "amd64", "bookworm"),
				pkg("libc6", "2.36-9+deb12u10", "amd64", "bookworm"),
				pkg("libssl3", "3.0.17-1~deb12u2", "amd64", "bookworm-security"),
				pkg("tzdata", "2025b-0+deb12u1", "all", "bookworm-updates"),
			}},
			{Name: "arm64", Packages: []Package{
				pkg("base-files", "12.4+deb12u11", "arm64", "bookworm"),
				pkg("libc6", "2.36-9+deb12u10", "arm64", "bookworm"),
				pkg("libssl3", "3.0.17-1~deb12u2", "arm64", "bookworm-security"),
				{Name: "perl-base", Version: "5.36.0-7+deb12u2", Architecture: "arm64", Source: "perl", SourceVersion: "5.36.0-7+deb12u2",
					Suite: "bookworm", Filename: "pool/main/p/perl/perl-base_5.36.0-7+deb12u2_arm64.deb", Size: 1700000, SHA256: sum("perl")},
			}},
		},
	}
}
