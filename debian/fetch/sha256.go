package fetch

// ValidSHA256 reports whether s is a SHA-256 digest as Debian indexes, lock
// files and the cache write it: exactly 64 lowercase hexadecimal digits.
func ValidSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}
