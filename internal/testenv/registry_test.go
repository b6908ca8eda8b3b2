package testenv

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

func TestStartRegistryPushAndPull(t *testing.T) {
	host := StartRegistry(t)
	if !strings.HasPrefix(host, "127.0.0.1:") {
		t.Fatalf("host = %q, want 127.0.0.1:PORT", host)
	}
	img, err := random.Image(1024, 3)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := name.ParseReference(host+"/testenv/random:1", name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img, remote.WithContext(t.Context())); err != nil {
		t.Fatalf("pushing: %v", err)
	}
	got, err := remote.Image(ref, remote.WithContext(t.Context()))
	if err != nil {
		t.Fatalf("pulling: %v", err)
	}
	want, _ := img.Digest()
	gotDigest, err := got.Digest()
	if err != nil {
		t.Fatal(err)
	}
	if gotDigest != want {
		t.Errorf("digest after round trip = %s, want %s", gotDigest, want)
	}
	layers, _ := got.Layers()
	if len(layers) != 3 {
		t.Errorf("pulled %d layers, want 3", len(layers))
	}
	// 3 layers + the config blob.
	if n := BlobUploads(t, host); n != 4 {
		log, _ := os.ReadFile(RegistryLog(t, host))
		t.Errorf("BlobUploads = %d, want 4; log:\n%s", n, log)
	}
	// Pushing again uploads nothing new.
	if err := remote.Write(ref, img, remote.WithContext(t.Context())); err != nil {
		t.Fatalf("pushing again: %v", err)
	}
	if n := BlobUploads(t, host); n != 4 {
		t.Errorf("BlobUploads after re-push = %d, want still 4", n)
	}
}

func TestTwoRegistriesAreIndependent(t *testing.T) {
	a, b := StartRegistry(t), StartRegistry(t)
	if a == b {
		t.Fatalf("two registries share host %s", a)
	}
	if RegistryLog(t, a) == RegistryLog(t, b) {
		t.Fatalf("two registries share a log file")
	}
}
