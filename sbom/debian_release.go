package sbom

// debianReleases is Debian's release table, the one ingot keeps: each
// release's major version and code name, oldest first. Testing and unstable
// carry the next release's code name in os-release ("forky"), so the next
// two code names are listed before they are released.
var debianReleases = [...]struct{ major, codename string }{
	{"7", "wheezy"}, {"8", "jessie"}, {"9", "stretch"}, {"10", "buster"},
	{"11", "bullseye"}, {"12", "bookworm"}, {"13", "trixie"}, {"14", "forky"},
	{"15", "duke"},
}

// DebianMajor returns the major version of a Debian code name ("bookworm"
// gives "12"), and false for a name not in ingot's table (including "sid",
// which never gets a number).
func DebianMajor(codename string) (string, bool) {
	for _, r := range debianReleases {
		if r.codename == codename {
			return r.major, true
		}
	}
	return "", false
}

// DebianCodename returns the code name of a Debian major version ("12"
// gives "bookworm"), and false for a version not in ingot's table.
func DebianCodename(major string) (string, bool) {
	for _, r := range debianReleases {
		if r.major == major {
			return r.codename, true
		}
	}
	return "", false
}
