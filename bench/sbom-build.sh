#!/bin/sh
# bench/sbom-build.sh: what build-time SBOMs cost. Builds examples/base
# (amd64, OCI layout) with ingot, which writes SPDX 2.3 and CycloneDX 1.6
# SBOMs of the image as part of every build, and times syft making the same
# two documents from the built layout. Prints times, peak memory, package
# and licence counts, and the ratios.
#
#   ingot build warm   the whole `ingot build` with a warm download and layer
#                      cache: lock, assemble, write the layout and the SBOMs
#                      (reading the copyright files and dpkg database back
#                      from the layers). An upper bound of the SBOM's cost.
#   syft               `syft scan oci-dir:LAYOUT` writing spdx-json and
#                      cyclonedx-json (installed once with go install into
#                      ~/.cache/ingot-bench/bin; skipped if that fails).
#
# Needs the network to the Debian mirror the first time (the .debs are then
# in the download cache) and to the Go module proxy to install syft.
set -eu

cd "$(dirname "$0")/.."
runs=${RUNS:-5}
syft_version=${SYFT_VERSION:-v1.33.0} # newer releases need modules the Go proxy refuses
bindir=${INGOT_BENCH_BIN:-$HOME/.cache/ingot-bench/bin}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/ingot" ./cmd/ingot
mkdir -p "$work/base"
cp examples/base/ingot.yaml examples/base/ingot.lock "$work/base/"
layout=$work/layout

# seconds and peak KiB of a command, as "S KB".
measure() {
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
	cat "$work/time"
}

# best of $runs: prints "S KB" of the fastest run.
best() {
	i=0
	: >"$work/runs"
	while [ $i -lt "$runs" ]; do
		measure "$@" >>"$work/runs"
		i=$((i + 1))
	done
	sort -n "$work/runs" | head -1
}

# Prime the download and layer caches.
"$work/ingot" build -f "$work/base/ingot.yaml" --arch amd64 --layout "$layout" >/dev/null 2>&1

set -- $(best "$work/ingot" build -f "$work/base/ingot.yaml" --arch amd64 --layout "$layout")
ingot_s=$1 ingot_kb=$2
count() { # packages and packages with a licence in a CycloneDX file
	python3 -c 'import json,sys; c=json.load(open(sys.argv[1])).get("components",[]); c=[x for x in c if x.get("purl","").startswith("pkg:deb/")]; print(len(c), sum(1 for x in c if x.get("licenses")))' "$1"
}
set -- $(count "$layout/sbom/amd64.cdx.json")
ingot_pkgs=$1 ingot_lic=$2

echo "examples/base amd64, best of $runs"
printf '%-22s %8s %10s %9s %9s\n' "" seconds "peak MiB" packages licensed
printf '%-22s %8s %10d %9s %9s\n' "ingot build (warm)" "$ingot_s" $((ingot_kb / 1024)) "$ingot_pkgs" "$ingot_lic"

syft=$bindir/syft
if [ ! -x "$syft" ]; then
	mkdir -p "$bindir"
	GOBIN=$bindir go install "github.com/anchore/syft/cmd/syft@$syft_version" >"$work/syft-install.log" 2>&1 || {
		echo "syft: go install github.com/anchore/syft/cmd/syft@$syft_version failed; no comparison" >&2
		tail -5 "$work/syft-install.log" >&2
		exit 0
	}
fi
export SYFT_CHECK_FOR_APP_UPDATE=false
set -- $(best "$syft" scan "oci-dir:$layout" -q -o "spdx-json=$work/syft.spdx.json" -o "cyclonedx-json=$work/syft.cdx.json")
syft_s=$1 syft_kb=$2
set -- $(count "$work/syft.cdx.json")
printf '%-22s %8s %10d %9s %9s\n' "syft $syft_version" "$syft_s" $((syft_kb / 1024)) "$1" "$2"
echo
awk -v i="$ingot_s" -v s="$syft_s" -v ik="$ingot_kb" -v sk="$syft_kb" 'BEGIN {
	if (i == 0) i = 0.01
	printf "time:   syft / ingot build = %.1fx (ingot builds the image too)\n", s / i
	printf "memory: syft / ingot build = %.1fx\n", sk / ik
}'
