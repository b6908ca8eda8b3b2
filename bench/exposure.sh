#!/bin/sh
# bench/exposure.sh: what vuln/exposure and vuln/changelog cost on real
# images, against the tools a person would use instead.
#
#   exposure   ingot's exposure.Analyze on the examples/nodejs layout
#              (amd64): streams and gunzips every layer once, summarises the
#              ELF files, walks node's DT_NEEDED closure, maps files to dpkg
#              packages. Peer: lddtree (pax-utils) --root on the same image
#              unpacked to disk; it needs the unpacked root, so the table
#              shows the unpacking (done by the same helper) and the sum.
#   changelog  changelog.Closes for libssl3 at the bookworm point release
#              (warm cache: verified indexes and the newer .deb are cached).
#              Peer: dpkg-deb --fsys-tarfile | tar | zcat of that .deb and a
#              grep of the CVE ids (no index, no version ranges: a floor).
#
# Needs the network to the Debian mirror the first time. Prints seconds,
# peak memory and the ratios; RUNS (default 5) runs each, best kept.
set -eu

cd "$(dirname "$0")/.."
runs=${RUNS:-5}
work=$(mktemp -d)
helper=_benchtmp_exposure_$$
trap 'rm -rf "$work" "$helper"' EXIT
command -v lddtree >/dev/null || { echo "lddtree missing: apt-get install pax-utils" >&2; exit 1; }

go build -o "$work/ingot" ./cmd/ingot
mkdir -p "$helper"
cat >"$helper/main.go" <<'EOF'
// Command helper runs one vuln/exposure or vuln/changelog operation for
// bench/exposure.sh.
package main

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"

	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ingot-dev/ingot/debian/repo"
	"github.com/ingot-dev/ingot/image/source"
	"github.com/ingot-dev/ingot/sbom"
	"github.com/ingot-dev/ingot/vuln/changelog"
	"github.com/ingot-dev/ingot/vuln/exposure"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	switch args[0] {
	case "exposure", "extract":
		p, _ := source.ParsePlatform("linux/amd64")
		img, err := source.Image(ctx, "oci:"+args[1], &p)
		if err != nil {
			return err
		}
		if args[0] == "exposure" {
			r, err := exposure.Analyze(ctx, img)
			if err != nil {
				return err
			}
			fmt.Println(len(r.Files))
			return nil
		}
		root, err := os.OpenRoot(args[2])
		if err != nil {
			return err
		}
		rc := mutate.Extract(img)
		defer rc.Close()
		tr := tar.NewReader(rc)
		for {
			h, err := tr.Next()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			name := path.Clean("/" + h.Name)[1:]
			if name == "" {
				continue
			}
			if d := path.Dir(name); d != "." {
				if err := root.MkdirAll(d, 0o755); err != nil {
					return err
				}
			}
			switch h.Typeflag {
			case tar.TypeDir:
				err = root.MkdirAll(name, 0o755)
			case tar.TypeSymlink:
				err = root.Symlink(h.Linkname, name)
			case tar.TypeReg:
				var f *os.File
				if f, err = root.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755); err == nil {
					_, err = io.Copy(f, tr)
					f.Close()
				}
			}
			if err != nil {
				return err
			}
		}
	case "closes":
		src, err := repo.SystemSource()
		if err != nil {
			return err
		}
		src.Suites = []string{"bookworm", "bookworm-updates", "bookworm-security"}
		doc := &sbom.Document{Image: sbom.Image{Platform: "linux/amd64", Distro: "debian-12"},
			Packages: []sbom.Package{{Ecosystem: sbom.Deb, Name: "libssl3", Version: args[1], Arch: "amd64", Source: "openssl", SourceVersion: args[1]}}}
		ups, err := changelog.Closes(ctx, doc, changelog.WithSource(src))
		if err != nil {
			return err
		}
		for _, u := range ups {
			fmt.Println(len(u.CVEs()), u.Candidate)
		}
		return nil
	}
	return fmt.Errorf("unknown operation %q", args[0])
}
EOF
go build -o "$work/helper" "./$helper"
rm -rf "$helper"

measure() {
	/usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >"$work/out" 2>&1 || { echo "failed: $*" >&2; cat "$work/out" >&2; return 1; }
	awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$work/time"
}
best() {
	i=0
	: >"$work/runs"
	while [ $i -lt "$runs" ]; do
		measure "$@" >>"$work/runs"
		i=$((i + 1))
	done
	sort -n "$work/runs" | head -1
}

mkdir -p "$work/nodejs"
cp examples/nodejs/ingot.yaml examples/nodejs/ingot.lock "$work/nodejs/"
"$work/ingot" build -f "$work/nodejs/ingot.yaml" --arch amd64 --layout "$work/layout" >/dev/null 2>&1
files=$("$work/helper" exposure "$work/layout")

set -- $(best "$work/helper" exposure "$work/layout")
ing_s=$1 ing_kb=$2 ing_cpu=$3
set -- $(measure "$work/helper" extract "$work/layout" "$(mkdir -p "$work/root0" && echo "$work/root0")")
ext_s=$1 ext_cpu=$3
set -- $(best sh -c "PATH=/usr/bin:/bin lddtree -l -R '$work/root0' /usr/bin/node")
ldd_s=$1 ldd_kb=$2 ldd_cpu=$3
ldd_files=$(PATH=/usr/bin:/bin lddtree -l -R "$work/root0" /usr/bin/node | wc -l)

echo "examples/nodejs amd64: closure of /usr/bin/node, best of $runs"
printf '%-34s %8s %8s %10s %7s\n' "" seconds "cpu s" "peak MiB" files
printf '%-34s %8s %8s %10d %7s\n' "ingot exposure (from the layout)" "$ing_s" "$ing_cpu" $((ing_kb / 1024)) "$files"
printf '%-34s %8s %8s %10s %7s\n' "unpack to disk (once)" "$ext_s" "$ext_cpu" "" ""
printf '%-34s %8s %8s %10d %7s\n' "lddtree -R (unpacked root)" "$ldd_s" "$ldd_cpu" $((ldd_kb / 1024)) "$ldd_files"

point=$(apt-cache madison libssl3 2>/dev/null | awk -F'|' '$3 ~ /bookworm\/main/ && $3 !~ /security|updates/ {gsub(/ /,"",$2); print $2; exit}')
if [ -z "$point" ]; then
	echo "no bookworm point-release libssl3 in apt's lists; skipping the changelog comparison" >&2
else
	"$work/helper" closes "$point" >/dev/null
	set -- $(best "$work/helper" closes "$point")
	cl_s=$1 cl_kb=$2 cl_cpu=$3
	set -- $("$work/helper" closes "$point")
	cl_n=$1 cand=$2
	deb=$(find "${XDG_CACHE_HOME:-$HOME/.cache}/ingot" -name '*' -type f -size +1M 2>/dev/null | while read -r f; do
		dpkg-deb -f "$f" Package Version 2>/dev/null | tr '\n' ' ' | grep -q "^Package: libssl3 Version: $cand " && { echo "$f"; break; }
	done)
	set -- $(best sh -c "dpkg-deb --fsys-tarfile '$deb' | tar -xO ./usr/share/doc/libssl3/changelog.Debian.gz | zcat | grep -oi 'CVE-[0-9]*-[0-9]*' | sort -u | wc -l")
	pipe_s=$1 pipe_kb=$2 pipe_cpu=$3
	echo
	echo "libssl3 $point -> $cand: CVEs the update closes, best of $runs"
	printf '%-34s %8s %8s %10s %7s\n' "" seconds "cpu s" "peak MiB" CVEs
	printf '%-34s %8s %8s %10d %7s\n' "ingot changelog.Closes (warm)" "$cl_s" "$cl_cpu" $((cl_kb / 1024)) "$cl_n"
	printf '%-34s %8s %8s %10d %7s\n' "dpkg-deb|tar|zcat|grep (all)" "$pipe_s" "$pipe_cpu" $((pipe_kb / 1024)) "$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/doc/libssl3/changelog.Debian.gz | zcat | grep -oi 'CVE-[0-9]*-[0-9]*' | sort -u | wc -l)"
fi
echo
awk -v i="$ing_s" -v l="$ldd_s" -v e="$ext_s" -v ic="$ing_cpu" -v lc="$ldd_cpu" -v ec="$ext_cpu" -v ik="$ing_kb" -v lk="$ldd_kb" 'BEGIN {
	if (i == 0) i = 0.01
	if (ic == 0) ic = 0.01
	printf "time:   (unpack + lddtree) / ingot exposure = %.1fx wall, %.1fx cpu; lddtree alone / ingot = %.1fx wall\n", (e + l) / i, (ec + lc) / ic, l / i
	printf "memory: lddtree / ingot exposure = %.2fx\n", lk / ik
}'
