package ref

import (
	"strings"
	"testing"
)

const dg = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestParts(t *testing.T) {
	for _, tc := range []struct {
		ref, repo, stripped string
		hasTag              bool
		name, digest, tag   string
	}{
		{ref: "registry.test/apps/web:1", repo: "registry.test/apps/web", stripped: "registry.test/apps/web:1", hasTag: true,
			name: "registry.test/apps/web", tag: "1"},
		{ref: "127.0.0.1:5000/apps/web:1", repo: "127.0.0.1:5000/apps/web", stripped: "127.0.0.1:5000/apps/web:1", hasTag: true,
			name: "127.0.0.1:5000/apps/web", tag: "1"},
		{ref: "127.0.0.1:5000/apps/web", repo: "127.0.0.1:5000/apps/web", stripped: "127.0.0.1:5000/apps/web",
			name: "127.0.0.1:5000/apps/web"},
		{ref: "registry.test/apps/web@" + dg, repo: "registry.test/apps/web", stripped: "registry.test/apps/web",
			name: "registry.test/apps/web", digest: dg},
		{ref: "reg.test:5000/golden/base:1@" + dg, repo: "reg.test:5000/golden/base", stripped: "reg.test:5000/golden/base:1",
			name: "reg.test:5000/golden/base:1", digest: dg},
		{ref: "reg.test:5000/golden/base@sha256:1", repo: "reg.test:5000/golden/base", stripped: "reg.test:5000/golden/base",
			name: "reg.test:5000/golden/base", digest: "sha256:1"},
		{ref: "debian:12", repo: "debian", stripped: "debian:12", hasTag: true, name: "debian", tag: "12"},
		{ref: "web", repo: "web", stripped: "web", name: "web"},
		{ref: "web:", repo: "web", stripped: "web:", hasTag: true, name: "web"},
		{ref: dg, repo: "sha256", stripped: dg, hasTag: true, digest: dg},
		{ref: "sha512:ab", repo: "sha512", stripped: "sha512:ab", hasTag: true, digest: "sha512:ab"},
		{ref: "", repo: "", stripped: ""},
	} {
		t.Run(tc.ref, func(t *testing.T) {
			if got := Repository(tc.ref); got != tc.repo {
				t.Errorf("Repository(%q) = %q, want %q", tc.ref, got, tc.repo)
			}
			if got := StripDigest(tc.ref); got != tc.stripped {
				t.Errorf("StripDigest(%q) = %q, want %q", tc.ref, got, tc.stripped)
			}
			if got := HasTag(tc.ref); got != tc.hasTag {
				t.Errorf("HasTag(%q) = %v, want %v", tc.ref, got, tc.hasTag)
			}
			name, digest, tag := Split(tc.ref)
			if name != tc.name || digest != tc.digest || tag != tc.tag {
				t.Errorf("Split(%q) = %q, %q, %q, want %q, %q, %q", tc.ref, name, digest, tag, tc.name, tc.digest, tc.tag)
			}
		})
	}
}

// FuzzSplit: references come from the inventory, which holds what images
// and users named. The parts always put the reference back together, and
// the repository is the reference without its digest and tag.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"reg.test:5000/a/b:1@" + dg, "debian:12", "web", dg, "a@b@c", "a:b/c", ":", "@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		repo := Repository(ref)
		if rest := strings.TrimPrefix(StripDigest(ref), repo); strings.Contains(repo, "@") ||
			!strings.HasPrefix(ref, repo) || rest != "" && (rest[0] != ':' || strings.Contains(rest, "/")) {
			t.Errorf("Repository(%q) = %q: still has a digest, is not a prefix, or cut more than a tag", ref, repo)
		}
		if s := StripDigest(ref); strings.Contains(s, "@") || !strings.HasPrefix(ref, s) {
			t.Errorf("StripDigest(%q) = %q", ref, s)
		}
		name, digest, tag := Split(ref)
		switch {
		case strings.HasPrefix(ref, "sha256:") || strings.HasPrefix(ref, "sha512:"):
			if name != "" || digest != ref || tag != "" {
				t.Errorf("Split(%q): bare digest %q", ref, digest)
			}
		case strings.Contains(ref, "@"):
			if name+"@"+digest != ref || tag != "" {
				t.Errorf("Split(%q) = %q, %q, %q: does not rejoin", ref, name, digest, tag)
			}
		case HasTag(ref):
			if name+":"+tag != ref || name != repo {
				t.Errorf("Split(%q) = %q, %q, %q: does not rejoin (repository %q)", ref, name, digest, tag, repo)
			}
		default:
			if name != ref || digest != "" || tag != "" {
				t.Errorf("Split(%q) = %q, %q, %q, want the ref whole", ref, name, digest, tag)
			}
		}
	})
}
