package debtest

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// Repo is a signed Debian-style repository served by httptest, laid out like
// a real mirror:
//
//	dists/<suite>/InRelease, Release, Release.gpg
//	dists/<suite>/<comp>/binary-<arch>/Packages.xz and .gz (Packages is
//	listed in Release but not served, like the real archive)
//	pool/<comp>/<x>/<src>/<name>_<ver>_<arch>.deb
//
// Metadata is regenerated whenever it changes, so fault hooks may be called
// before or after URL. A Repo is safe for concurrent use.
type Repo struct {
	t   testing.TB
	key *Key

	mu          sync.Mutex
	signer      *Key
	unsigned    bool
	byHash      bool
	separateAll bool
	tamper      bool
	date        time.Time
	validUntil  time.Time
	fields      map[string]string
	arches      map[string]bool
	compression []string
	suites      map[string]map[string][]*poolDeb // suite -> component -> debs
	pool        map[string][]byte                // pool path -> .deb
	debs        map[string]*poolDeb              // name_version_arch -> first added
	built       map[string][]byte
	dirty       bool
	corrupt     map[string]bool
	replace     map[string][]byte
	fail        map[string]failure
	requests    map[string]int
	srv         *httptest.Server
}

type poolDeb struct {
	control string // control paragraph, ending in "\n"
	name    string
	version string
	arch    string
	path    string
	sha256  string
	md5     string
	size    int64
}

type failure struct {
	n      int
	status int
}

// DefaultDate is the Date of every Release unless SetDate changes it.
var DefaultDate = time.Date(2025, 5, 20, 12, 0, 0, 0, time.UTC)

// NewRepo returns an empty repository signed with a fresh key.
func NewRepo(t testing.TB) *Repo {
	t.Helper()
	k := NewKey(t)
	return &Repo{
		t: t, key: k, signer: k, date: DefaultDate,
		fields:      map[string]string{},
		arches:      map[string]bool{"amd64": true},
		compression: []string{"xz", "gz"},
		suites:      map[string]map[string][]*poolDeb{},
		pool:        map[string][]byte{},
		debs:        map[string]*poolDeb{},
		corrupt:     map[string]bool{},
		replace:     map[string][]byte{},
		fail:        map[string]failure{},
		requests:    map[string]int{},
		dirty:       true,
	}
}

// Key is the key whose public part clients should trust.
func (r *Repo) Key() *Key { return r.key }

// Add builds debs and publishes them in suite/component. Packages of
// architecture "all" appear in every binary-<arch> index, as in Debian.
func (r *Repo) Add(suite, component string, debs ...Deb) {
	r.t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.suites[suite] == nil {
		r.suites[suite] = map[string][]*poolDeb{}
	}
	for _, d := range debs {
		body := BuildDeb(d)
		src := d.sourceName()
		prefix := src[:1]
		if strings.HasPrefix(src, "lib") && len(src) > 3 {
			prefix = src[:4]
		}
		ver := d.Version
		if _, after, ok := strings.Cut(ver, ":"); ok {
			ver = after
		}
		p := fmt.Sprintf("pool/%s/%s/%s/%s_%s_%s.deb", component, prefix, src, d.Name, ver, d.arch())
		if old, ok := r.pool[p]; ok && !bytes.Equal(old, body) {
			r.t.Fatalf("debtest: %s added twice with different contents", p)
		}
		r.pool[p] = body
		sum := sha256.Sum256(body)
		m := md5.Sum(body)
		pd := &poolDeb{
			control: d.control(), name: d.Name, version: d.Version, arch: d.arch(), path: p,
			sha256: hex.EncodeToString(sum[:]), md5: hex.EncodeToString(m[:]), size: int64(len(body)),
		}
		r.suites[suite][component] = append(r.suites[suite][component], pd)
		key := d.Name + "_" + d.Version + "_" + d.arch()
		if _, ok := r.debs[key]; !ok {
			r.debs[key] = pd
		}
		if pd.arch != "all" {
			r.arches[pd.arch] = true
		}
	}
	r.dirty = true
}

// Deb returns where a previously added package lives in the pool.
func (r *Repo) Deb(name, version, arch string) (poolPath string, sha256 string, size int64) {
	r.t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	pd, ok := r.debs[name+"_"+version+"_"+arch]
	if !ok {
		r.t.Fatalf("debtest: no package %s %s %s was added", name, version, arch)
	}
	return pd.path, pd.sha256, pd.size
}

// URL starts the server on first use (closed by t.Cleanup) and returns the
// mirror root, without a trailing slash.
func (r *Repo) URL() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.srv == nil {
		r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
		r.t.Cleanup(r.srv.Close)
	}
	return r.srv.URL
}

// SetArchitectures adds architectures that get (possibly empty) indexes
// even without packages. amd64 is always present.
func (r *Repo) SetArchitectures(arches ...string) {
	r.update(func() {
		for _, a := range arches {
			r.arches[a] = true
		}
	})
}

// SetIndexCompressions chooses which compressed Packages files are served
// and listed ("xz", "gz"); the default is both.
func (r *Repo) SetIndexCompressions(comps ...string) {
	r.update(func() { r.compression = slices.Clone(comps) })
}

// SetValidUntil adds a Valid-Until field to every Release (zero removes it).
func (r *Repo) SetValidUntil(t time.Time) { r.update(func() { r.validUntil = t }) }

// SetDate sets the Date field of every Release (default DefaultDate).
func (r *Repo) SetDate(t time.Time) { r.update(func() { r.date = t }) }

// SetReleaseField sets an extra field (for example Version) in every
// Release; an empty value removes it.
func (r *Repo) SetReleaseField(name, value string) {
	r.update(func() {
		if value == "" {
			delete(r.fields, name)
		} else {
			r.fields[name] = value
		}
	})
}

// SetAcquireByHash makes every Release say "Acquire-By-Hash: yes" and
// serves each index also at <dir>/by-hash/SHA256/<digest>, as Debian does.
func (r *Repo) SetAcquireByHash(on bool) { r.update(func() { r.byHash = on }) }

// SeparateArchAll publishes architecture-"all" packages only in
// binary-all/Packages and drops "No-Support-for-Architecture-all" from the
// Release, as older Debian releases and many third-party repositories do.
func (r *Repo) SeparateArchAll() { r.update(func() { r.separateAll = true }) }

// SignWith signs the Release files with k instead of Key().
func (r *Repo) SignWith(k *Key) { r.update(func() { r.signer = k }) }

// Unsigned serves InRelease as plain, unsigned Release text and no
// Release.gpg.
func (r *Repo) Unsigned() { r.update(func() { r.unsigned = true }) }

// TamperInRelease changes the signed text of InRelease after signing, so
// that the signature covers other text than the one served.
func (r *Repo) TamperInRelease() { r.update(func() { r.tamper = true }) }

// CorruptFile serves path with one byte changed (same size) instead of
// what the Release file or index claims.
func (r *Repo) CorruptFile(path string) {
	path = strings.TrimPrefix(path, "/")
	r.update(func() { r.corrupt[path] = true })
}

// ReplaceFile serves body at path instead of the real content (nil serves
// 404), for a size that differs from the one listed.
func (r *Repo) ReplaceFile(path string, body []byte) {
	path = strings.TrimPrefix(path, "/")
	r.update(func() { r.replace[path] = body })
}

// FailNext makes the next n requests for path answer with status.
func (r *Repo) FailNext(path string, n int, status int) {
	path = strings.TrimPrefix(path, "/")
	r.update(func() { r.fail[path] = failure{n: n, status: status} })
}

// Requests returns how many requests path has received (failed ones
// included).
func (r *Repo) Requests(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests[strings.TrimPrefix(path, "/")]
}

// File returns the bytes the repository serves at path (after fault
// hooks), or nil.
func (r *Repo) File(path string) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lookup(strings.TrimPrefix(path, "/"))
}

func (r *Repo) update(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f()
	r.dirty = true
}

func (r *Repo) serve(w http.ResponseWriter, req *http.Request) {
	p := strings.TrimPrefix(req.URL.Path, "/")
	r.mu.Lock()
	r.requests[p]++
	if f, ok := r.fail[p]; ok && f.n > 0 {
		f.n--
		r.fail[p] = f
		r.mu.Unlock()
		http.Error(w, http.StatusText(f.status), f.status)
		return
	}
	body := r.lookup(p)
	r.mu.Unlock()
	if body == nil {
		http.NotFound(w, req)
		return
	}
	http.ServeContent(w, req, "", time.Time{}, bytes.NewReader(body))
}

// lookup returns the served bytes of p; r.mu must be held.
func (r *Repo) lookup(p string) []byte {
	if r.dirty {
		r.build()
	}
	if body, ok := r.replace[p]; ok {
		return body
	}
	body, ok := r.built[p]
	if !ok {
		body, ok = r.pool[p]
	}
	if !ok {
		return nil
	}
	if r.corrupt[p] {
		body = bytes.Clone(body)
		if len(body) == 0 {
			return []byte{0}
		}
		body[len(body)/2] ^= 0xff
	}
	return body
}

// build regenerates every dists/ file; r.mu must be held.
func (r *Repo) build() {
	r.built = map[string][]byte{}
	arches := make([]string, 0, len(r.arches))
	for a := range r.arches {
		arches = append(arches, a)
	}
	sort.Strings(arches)
	for suite, comps := range r.suites {
		var compNames []string
		for c := range comps {
			compNames = append(compNames, c)
		}
		sort.Strings(compNames)
		type listed struct {
			path string
			body []byte
		}
		var files []listed
		indexArches := arches
		if r.separateAll {
			indexArches = append([]string{"all"}, arches...)
		}
		for _, c := range compNames {
			for _, a := range indexArches {
				idx := packagesIndex(comps[c], a, r.separateAll)
				base := c + "/binary-" + a + "/Packages"
				files = append(files, listed{base, idx})
				for _, comp := range r.compression {
					body := compress(comp, idx)
					files = append(files, listed{base + "." + comp, body})
					r.built["dists/"+suite+"/"+base+"."+comp] = body
					if r.byHash {
						r.built[fmt.Sprintf("dists/%s/%s/binary-%s/by-hash/SHA256/%x", suite, c, a, sha256.Sum256(body))] = body
					}
				}
			}
		}
		var rel strings.Builder
		field := func(k, v string) {
			if v != "" {
				fmt.Fprintf(&rel, "%s: %s\n", k, v)
			}
		}
		field("Origin", "Debian")
		field("Label", "Debian")
		field("Suite", suite)
		field("Codename", suite)
		extra := make([]string, 0, len(r.fields))
		for k := range r.fields {
			extra = append(extra, k)
		}
		sort.Strings(extra)
		for _, k := range extra {
			field(k, r.fields[k])
		}
		field("Date", r.date.UTC().Format(time.RFC1123))
		if !r.validUntil.IsZero() {
			field("Valid-Until", r.validUntil.UTC().Format(time.RFC1123))
		}
		if r.byHash {
			field("Acquire-By-Hash", "yes")
		} else {
			field("Acquire-By-Hash", "no")
		}
		if !r.separateAll {
			field("No-Support-for-Architecture-all", "Packages")
		}
		field("Architectures", "all "+strings.Join(arches, " "))
		field("Components", strings.Join(compNames, " "))
		field("Description", "debtest repository for "+suite)
		rel.WriteString("MD5Sum:\n")
		for _, f := range files {
			fmt.Fprintf(&rel, " %x %16d %s\n", md5.Sum(f.body), len(f.body), f.path)
		}
		rel.WriteString("SHA256:\n")
		for _, f := range files {
			fmt.Fprintf(&rel, " %x %16d %s\n", sha256.Sum256(f.body), len(f.body), f.path)
		}
		release := []byte(rel.String())
		dir := "dists/" + suite + "/"
		r.built[dir+"Release"] = release
		if r.unsigned {
			r.built[dir+"InRelease"] = release
		} else {
			in := r.signer.ClearSign(release)
			if r.tamper {
				in = bytes.Replace(in, []byte("\nOrigin: Debian\n"), []byte("\nOrigin: Evilan\n"), 1)
			}
			r.built[dir+"InRelease"] = in
			r.built[dir+"Release.gpg"] = r.signer.DetachSign(release)
		}
	}
	r.dirty = false
}

// packagesIndex renders the Packages file of one component for arch; "all"
// packages are in every architecture's index unless separateAll.
func packagesIndex(debs []*poolDeb, arch string, separateAll bool) []byte {
	var sel []*poolDeb
	for _, d := range debs {
		if d.arch == arch || d.arch == "all" && !separateAll {
			sel = append(sel, d)
		}
	}
	sort.SliceStable(sel, func(i, j int) bool {
		if sel[i].name != sel[j].name {
			return sel[i].name < sel[j].name
		}
		if sel[i].version != sel[j].version {
			return sel[i].version < sel[j].version
		}
		return sel[i].arch < sel[j].arch
	})
	var b bytes.Buffer
	for i, d := range sel {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.control)
		fmt.Fprintf(&b, "Filename: %s\nSize: %d\nMD5sum: %s\nSHA256: %s\n", d.path, d.size, d.md5, d.sha256)
	}
	return b.Bytes()
}
