package repo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"

	"github.com/ingot-dev/ingot/debian"
	"github.com/ingot-dev/ingot/debian/fetch"
)

// Client reads verified metadata from Debian mirrors. It is safe for
// concurrent use.
type Client struct {
	cache *fetch.Cache
	o     options

	mu       sync.Mutex
	keyrings map[string]openpgp.EntityList
}

// New returns a client that downloads through cache.
func New(cache *fetch.Cache, opts ...Option) *Client {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	return &Client{cache: cache, o: o, keyrings: map[string]openpgp.EntityList{}}
}

func (c *Client) keyring(path string) (openpgp.EntityList, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.keyrings[path]; ok {
		return k, nil
	}
	k, err := ReadKeyring(path)
	if err != nil {
		return nil, err
	}
	c.keyrings[path] = k
	return k, nil
}

// Release fetches dists/<suite>/InRelease from the suite's mirror, verifies
// its signature against src's keyring, parses the signed text only, and
// checks that it describes suite and, unless src.AllowExpired, that its
// Valid-Until date has not passed.
func (c *Client) Release(ctx context.Context, src Source, suite string) (*Release, error) {
	mirror := src.MirrorFor(suite)
	if err := checkMirror(mirror); err != nil {
		return nil, fmt.Errorf("fetching InRelease for %s: %w", suite, err)
	}
	url := mirror + "/dists/" + suite + "/InRelease"
	keys, err := c.keyring(src.KeyringPath())
	if err != nil {
		return nil, fmt.Errorf("verifying InRelease for %s: %w", suite, err)
	}
	now := c.o.now()
	data, err := c.cache.Fetch(ctx, url, c.o.maxRelease)
	var text []byte
	var signer string
	switch {
	case isNotFound(err):
		// Like apt, fall back to Release and its detached Release.gpg.
		var derr error
		text, signer, derr = c.detachedRelease(ctx, src, mirror+"/dists/"+suite+"/", keys, now)
		if errors.Is(derr, errReleaseMissing) {
			return nil, fmt.Errorf("suite %s is not on the mirror %s (no InRelease or Release): check the suite name and the mirror: %w", suite, mirror, err)
		}
		if derr != nil {
			return nil, fmt.Errorf("Release for %s at %s is not signed by a key in %s: %w (check the keyring or the mirror)", suite, mirror+"/dists/"+suite+"/Release", src.KeyringPath(), derr)
		}
		url = mirror + "/dists/" + suite + "/Release"
	case err != nil:
		return nil, fmt.Errorf("fetching InRelease for %s: %w", suite, err)
	default:
		text, signer, err = VerifyClearsigned(data, keys, now, src.AllowExpired)
		if err != nil {
			return nil, fmt.Errorf("InRelease for %s at %s is not signed by a key in %s: %w (check the keyring or the mirror)", suite, url, src.KeyringPath(), err)
		}
	}
	rel, err := ParseRelease(text)
	if err != nil {
		return nil, fmt.Errorf("reading InRelease for %s at %s: %w", suite, url, err)
	}
	rel.URL, rel.Signer = url, signer
	if !rel.Is(suite) {
		return nil, fmt.Errorf("InRelease at %s: %w: it is for Suite %q, Codename %q, not %s (check the mirror)", url, ErrWrongSuite, rel.Suite, rel.Codename, suite)
	}
	if !src.AllowExpired && !rel.ValidUntil.IsZero() && now.After(rel.ValidUntil) {
		return nil, fmt.Errorf("InRelease for %s at %s: %w on %s (the mirror is stale: use an up-to-date mirror; for a snapshot mirror allow expired metadata: --allow-expired, or allowExpired in the spec)",
			suite, url, ErrExpired, rel.ValidUntil.Format("2006-01-02 15:04 MST"))
	}
	if !src.AllowExpired && !rel.Date.IsZero() && rel.Date.After(now.Add(maxClockSkew)) {
		return nil, fmt.Errorf("InRelease for %s at %s: %w: dated %s, after now (check the system clock)",
			suite, url, ErrNotYetValid, rel.Date.Format("2006-01-02 15:04 MST"))
	}
	c.o.log.Debug("verified InRelease", "suite", suite, "url", url, "signer", signer, "date", rel.Date)
	return rel, nil
}

// errReleaseMissing: neither InRelease nor Release exists.
var errReleaseMissing = errors.New("no Release file")

// detachedRelease fetches dir+"Release" and verifies it with dir+"Release.gpg".
func (c *Client) detachedRelease(ctx context.Context, src Source, dir string, keys openpgp.EntityList, now time.Time) ([]byte, string, error) {
	text, err := c.cache.Fetch(ctx, dir+"Release", c.o.maxRelease)
	if isNotFound(err) {
		return nil, "", errReleaseMissing
	}
	if err != nil {
		return nil, "", err
	}
	sig, err := c.cache.Fetch(ctx, dir+"Release.gpg", maxDetachedSignature)
	if isNotFound(err) {
		return nil, "", fmt.Errorf("%w: no InRelease and no Release.gpg: the Release file is unsigned", ErrBadSignature)
	}
	if err != nil {
		return nil, "", err
	}
	signer, err := VerifyDetached(text, sig, keys, now, src.AllowExpired)
	return text, signer, err
}

// maxDetachedSignature bounds Release.gpg; a signature is under 1 KiB.
const maxDetachedSignature = 1 << 20

// maxClockSkew is how far in the future a Release Date may be before the
// client suspects the clock (or a forged Release).
const maxClockSkew = 10 * time.Minute

// PackageURL returns where pkg's .deb is downloaded from: the mirror of
// its suite and its pool Filename.
func (c *Client) PackageURL(src Source, pkg *debian.Package) string {
	return src.MirrorFor(pkg.Suite) + "/" + pkg.Filename
}

// isNotFound reports whether err is an HTTP 404 or 410 from the mirror.
func isNotFound(err error) bool {
	var se *fetch.StatusError
	return errors.As(err, &se) && (se.StatusCode == 404 || se.StatusCode == 410)
}
