package build

import "testing"

func TestMergedPath(t *testing.T) {
	tests := []struct{ desc, in, want string }{
		{"bin moves under usr", "bin/sh", "usr/bin/sh"},
		{"sbin too", "sbin/ldconfig", "usr/sbin/ldconfig"},
		{"lib and its variants", "lib64/ld-linux-x86-64.so.2", "usr/lib64/ld-linux-x86-64.so.2"},
		{"the top-level link itself", "lib", "usr/lib"},
		{"usr stays", "usr/bin/openssl", "usr/bin/openssl"},
		{"a look-alike name stays", "library/x", "library/x"},
		{"etc stays", "etc/passwd", "etc/passwd"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			if got := mergedPath(tt.in); got != tt.want {
				t.Errorf("mergedPath(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
