package spec

// Spec is the content of an ingot.yaml. See docs/spec.md for the annotated
// schema. After Parse or Load, defaults are applied (see Defaults) and the
// spec is valid.
type Spec struct {
	// Name is the image repository, without tag or digest:
	// "registry.example.com/golden/base".
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description,omitempty"`
	// Owner is who is woken up when this image is vulnerable.
	Owner Owner `yaml:"owner" json:"owner"`
	// SourceDateEpoch overrides the lock's timestamp for every mtime and
	// creation time in the image (seconds since 1970-01-01 UTC).
	SourceDateEpoch *int64 `yaml:"sourceDateEpoch" json:"sourceDateEpoch,omitempty"`

	// App makes the spec describe an application image built from source
	// on a base, instead of a golden image; see App for the fields it
	// then excludes.
	App *App `yaml:"app" json:"app,omitempty"`

	Source Source `yaml:"source" json:"source"`
	// Architectures are Debian architecture names; default [amd64, arm64].
	Architectures []string `yaml:"architectures" json:"architectures"`
	Layers        []Layer  `yaml:"layers" json:"layers"`
	Accounts      Accounts `yaml:"accounts" json:"accounts"`
	Files         []File   `yaml:"files" json:"files,omitempty"`

	// Env is sorted by variable name; PATH has a default.
	Env         Env               `yaml:"env" json:"env"`
	Entrypoint  []string          `yaml:"entrypoint" json:"entrypoint,omitempty"`
	Cmd         []string          `yaml:"cmd" json:"cmd,omitempty"`
	Workdir     string            `yaml:"workdir" json:"workdir,omitempty"`
	Ports       []string          `yaml:"ports" json:"ports,omitempty"` // "8080/tcp"
	Labels      map[string]string `yaml:"labels" json:"labels,omitempty"`
	Annotations map[string]string `yaml:"annotations" json:"annotations,omitempty"`

	// Dir is the directory files' src and the keyring are relative to:
	// the spec file's directory.
	Dir string `yaml:"-" json:"-"`
	// File names the spec in error messages.
	File string `yaml:"-" json:"-"`

	pos positions // where each field path was read from; nil if not parsed
}

// App is an application image: the source in Dir built by the builder of
// Kind on Base. An app spec takes its packages, layers and accounts from its
// base: source, architectures, layers, accounts, files and the runtime
// fields (env, entrypoint, cmd, workdir, ports, labels, annotations) are
// errors next to it. Name, description, owner and sourceDateEpoch apply.
type App struct {
	// Dir is the application's directory, relative to the spec's
	// directory (it may lie outside it); default ".".
	Dir string `yaml:"dir" json:"dir"`
	// Base is the golden base: a path to an ingot.yaml (ending in .yaml or
	// .yml) that is built first, an OCI layout or docker tarball (relative
	// to the spec's directory, optionally prefixed oci: or
	// docker-archive:), or a registry reference. See BaseRef.
	Base string `yaml:"base" json:"base"`
	// Kind is auto (detect), go, node, static or command; default auto.
	Kind string `yaml:"kind" json:"kind"`
	// Main is the Go main package, such as ./cmd/server.
	Main string `yaml:"main" json:"main,omitempty"`
	// Cmd is the command, split like a shell would without running one,
	// or a JSON array; required for kind command.
	Cmd string `yaml:"cmd" json:"cmd,omitempty"`
	// AllowInstallScripts lets npm run install scripts (Node.js).
	AllowInstallScripts bool `yaml:"allowInstallScripts" json:"allowInstallScripts,omitempty"`
}

// AppKinds are the values of App.Kind.
var AppKinds = []string{"auto", "go", "node", "static", "command"}

// Owner says who answers for an image or a layer.
type Owner struct {
	Team    string `yaml:"team" json:"team"`
	Contact string `yaml:"contact" json:"contact,omitempty"` // e-mail, chat channel or pager
}

// String returns "team <contact>", or "team" without a contact.
func (o Owner) String() string {
	if o.Contact == "" {
		return o.Team
	}
	return o.Team + " <" + o.Contact + ">"
}

// Source is where packages come from. Empty fields take their value from
// the machine's apt configuration at build time.
type Source struct {
	Mirror         string   `yaml:"mirror" json:"mirror,omitempty"`
	SecurityMirror string   `yaml:"securityMirror" json:"securityMirror,omitempty"`
	Suites         []string `yaml:"suites" json:"suites,omitempty"`
	Components     []string `yaml:"components" json:"components,omitempty"`
	// Keyring is an OpenPGP keyring file: absolute, or relative to the
	// spec's directory.
	Keyring      string `yaml:"keyring" json:"keyring,omitempty"`
	AllowExpired bool   `yaml:"allowExpired" json:"allowExpired,omitempty"`
}

// Layer is a named, owned group of packages that becomes one image layer.
type Layer struct {
	Name        string `yaml:"name" json:"name"`
	Owner       Owner  `yaml:"owner" json:"owner"` // default: the image owner
	Description string `yaml:"description" json:"description,omitempty"`
	// Packages are Debian package names, optionally pinned: "libssl3=3.0.15-1~deb12u1".
	Packages []string `yaml:"packages" json:"packages"`
}

// Accounts are the users and groups of the image and who it runs as.
// Without any, a nonroot user and group 65532 (home /home/nonroot) are
// implied and the image runs as nonroot; running as root must be explicit.
type Accounts struct {
	Users  []User  `yaml:"users" json:"users,omitempty"`
	Groups []Group `yaml:"groups" json:"groups,omitempty"`
	RunAs  string  `yaml:"runAs" json:"runAs"`
}

// User is a login in /etc/passwd. GID defaults to UID, Home to
// /home/<name>, Shell to /usr/sbin/nologin; a group named after the user is
// implied when no group has its GID.
type User struct {
	Name  string `yaml:"name" json:"name"`
	UID   int    `yaml:"uid" json:"uid"`
	GID   int    `yaml:"gid" json:"gid"`
	Home  string `yaml:"home" json:"home"`
	Shell string `yaml:"shell" json:"shell"`
}

// Group is an entry of /etc/group.
type Group struct {
	Name string `yaml:"name" json:"name"`
	GID  int    `yaml:"gid" json:"gid"`
}

// File is a file or directory from the spec's directory added to the image.
type File struct {
	Src string `yaml:"src" json:"src"` // relative to the spec's directory
	Dst string `yaml:"dst" json:"dst"` // absolute path in the image
	// Mode is the permission bits; 0 keeps the source's.
	Mode Mode `yaml:"mode" json:"mode,omitempty"`
	UID  int  `yaml:"uid" json:"uid"`
	GID  int  `yaml:"gid" json:"gid"`
}

// Packages returns the packages of every layer, in layer order: what the
// lock must resolve.
func (s *Spec) Packages() []string {
	var out []string
	for _, l := range s.Layers {
		out = append(out, l.Packages...)
	}
	return out
}

// RunAsUser returns the user the image runs as, numerically ("65532:65532",
// "0:0"), for the image config. Call it on a valid spec.
func (s *Spec) RunAsUser() string {
	if s.Accounts.RunAs == "root" || s.Accounts.RunAs == "" {
		return "0:0"
	}
	for _, u := range s.Accounts.Users {
		if u.Name == s.Accounts.RunAs {
			return itoa(u.UID) + ":" + itoa(u.GID)
		}
	}
	return s.Accounts.RunAs
}
