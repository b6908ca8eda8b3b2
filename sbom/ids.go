package sbom

import (
	"cmp"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/package-url/packageurl-go"

	"github.com/ingot-dev/ingot/internal/version"
)

// toolName is how the writers name themselves: "ingot-v1.2.3".
func toolName() string { return "ingot-" + version.String() }

// ImagePURL returns the purl of an image: pkg:oci/<last name
// element>@<digest>?arch=<arch>&repository_url=<name>. Parts that are
// unknown are left out.
func ImagePURL(name, digest, platform string) string {
	q := map[string]string{}
	if _, arch, ok := strings.Cut(platform, "/"); ok {
		arch, _, _ = strings.Cut(arch, "/")
		q["arch"] = arch
	}
	last := name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		last = name[i+1:]
		q["repository_url"] = name
	}
	if last == "" {
		last = "image"
	}
	return encodeColon(packageurl.NewPackageURL("oci", "", strings.ToLower(last), digest, packageurl.QualifiersFromMap(q), "").ToString())
}

// docKey is what identifiers of a Document's SBOMs are derived from: the
// image digest, or when it is unknown a hash of the package list, so the
// same Document always gets the same identifiers.
func docKey(d *Document) string {
	if d.Image.Digest != "" {
		return d.Image.Digest + "|" + d.Image.Platform
	}
	h := sha256.New()
	for _, p := range d.Packages {
		fmt.Fprintf(h, "%s|%s|%s|%s|%d\n", p.Ecosystem, p.Name, p.Version, p.Arch, p.Layer)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// uuid5 is an RFC 9562 version-5 UUID of name in the URL namespace.
func uuid5(name string) string {
	ns := []byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns)
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// docCreated is the document timestamp: the image's created time in UTC to
// the second, or the Unix epoch when unknown. Never the wall clock.
func docCreated(d *Document) string {
	t := d.Image.Created
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// imageName is the Document's image name for titles.
func imageName(d *Document) string {
	if d.Image.Name != "" {
		return d.Image.Name
	}
	return "image"
}

// splitContact splits "Name <email>" into its parts.
func splitContact(s string) (name, email string) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1 : i+j])
		}
	}
	return s, ""
}

// layerProps are the layer attribution of p as ingot property names and
// values, in a fixed order.
func layerProps(d *Document, p Package) [][2]string {
	l := d.LayerOf(p)
	if l == nil {
		return nil
	}
	var out [][2]string
	if l.DiffID != "" {
		out = append(out, [2]string{"ingot:layer:diffID", l.DiffID})
	}
	if l.Name != "" {
		out = append(out, [2]string{"ingot:layer:name", l.Name})
	}
	if l.Owner != "" {
		out = append(out, [2]string{"ingot:layer:owner", l.Owner})
	}
	if l.Base {
		out = append(out, [2]string{"ingot:layer:base", "true"})
	}
	return out
}

// packageProps are the Debian source of p as ingot property names and
// values.
func packageProps(p Package) [][2]string {
	if p.Ecosystem != Deb || p.Source == "" {
		return nil
	}
	return [][2]string{
		{"ingot:deb:source", p.Source},
		{"ingot:deb:sourceVersion", cmp.Or(p.SourceVersion, p.Version)},
	}
}
