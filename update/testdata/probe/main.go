// Command probe prints what a container's file system says about OpenSSL:
// the libssl3 version in the dpkg database and the version string compiled
// into libcrypto. The update tests add it as a debug layer on top of an
// image and run it with runc; it is static, so it needs nothing from the
// image.
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

func main() {
	files, _ := filepath.Glob("/var/lib/dpkg/status.d/*")
	files = append(files, "/var/lib/dpkg/status")
	for _, f := range files {
		if v := version(f, "libssl3"); v != "" {
			fmt.Println("libssl3", v)
			break
		}
	}
	libs, _ := filepath.Glob("/usr/lib/*/libcrypto.so.3")
	re := regexp.MustCompile(`OpenSSL \d+\.\d+\.\d+[a-z]* +\d+ [A-Z][a-z]+ \d{4}`)
	for _, l := range libs {
		b, err := os.ReadFile(l)
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		if m := re.Find(b); m != nil {
			fmt.Println(string(m))
		}
	}
}

// version returns pkg's Version from a dpkg status file.
func version(path, pkg string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case l == "":
			in = false
		case strings.HasPrefix(l, "Package: "):
			in = strings.TrimPrefix(l, "Package: ") == pkg
		case in && strings.HasPrefix(l, "Version: "):
			return strings.TrimPrefix(l, "Version: ")
		}
	}
	return ""
}
