#!/bin/sh
# bench/sbom.sh: time and peak memory of `ingot sbom` on a Python +
# PostgreSQL golden image (about 150 MB compressed, built here with `ingot build` from the
# Debian archive of the machine's apt configuration or INGOT_MIRROR, amd64,
# to an OCI layout), against syft on the same layout, and print the ratios.
#
# syft is installed with `go install github.com/anchore/syft/cmd/syft@$SYFT_VERSION`
# into ~/.cache/ingot-bench/bin once. The default is v1.38.0: the Go module
# proxy refuses some dependencies of the latest release (v1.57.0: docker/cli
# v29.9.2, github/go-spdx v2.8.0); v1.38.0 installs (about 13 minutes on 2 cores). set SYFT=/path/to/syft
# to use another, or SYFT=none to skip it. Each tool runs $RUNS times (default
# 3) producing CycloneDX JSON; the best wall time and the largest peak RSS
# (/usr/bin/time -v) are reported, with the number of deb packages each found.
# Needs /usr/bin/time (package "time": scripts/install-test-deps.sh).
set -eu

cd "$(dirname "$0")/.."
runs=${RUNS:-3}
[ -x /usr/bin/time ] || { echo "bench/sbom.sh: /usr/bin/time missing: run scripts/install-test-deps.sh" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/ingot" ./cmd/ingot

mkdir "$work/spec"
cat >"$work/spec/ingot.yaml" <<'EOF'
name: registry.example.com/bench/pg-python
description: Benchmark image for ingot sbom.
owner: {team: bench, contact: bench@example.com}
source:
  suites: [bookworm, bookworm-updates, bookworm-security]
  components: [main]
architectures: [amd64]
layers:
  - name: os
    packages: [base-files, netbase, tzdata, ca-certificates, libc6]
  - name: python
    packages: [python3, python3-yaml, python3-requests]
  - name: postgres
    owner: {team: data, contact: data@example.com}
    packages: [postgresql-15]
EOF
echo "building the benchmark image (python3, postgresql-15) with ingot build..." >&2
"$work/ingot" build -f "$work/spec/ingot.yaml" --layout "$work/layout" >"$work/build.log" 2>&1 ||
	{ cat "$work/build.log" >&2; exit 1; }
size=$(du -sm "$work/layout/blobs" | cut -f1)

syft=${SYFT:-}
if [ -z "$syft" ]; then
	bin=${XDG_CACHE_HOME:-$HOME/.cache}/ingot-bench/bin
	syft=$bin/syft
	if [ ! -x "$syft" ]; then
		echo "installing syft with go install (once)..." >&2
		if ! GOBIN=$bin go install "github.com/anchore/syft/cmd/syft@${SYFT_VERSION:-v1.38.0}" >"$work/syft-install.log" 2>&1; then
			echo "bench/sbom.sh: go install of syft failed; comparing without it:" >&2
			tail -5 "$work/syft-install.log" >&2
			syft=none
		fi
	fi
fi

# measure NAME OUT CMD...: runs CMD $runs times; sets best_s, peak_kb.
measure() {
	name=$1 out=$2
	shift 2
	best_s= peak_kb=0
	i=0
	while [ "$i" -lt "$runs" ]; do
		/usr/bin/time -v -o "$work/time" "$@" >"$out" 2>"$work/$name.log" ||
			{ cat "$work/$name.log" "$work/time" >&2; exit 1; }
		s=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); t=0; for(j=1;j<=n;j++) t=t*60+a[j]; print t}' "$work/time")
		kb=$(awk -F': ' '/Maximum resident set size/{print $2}' "$work/time")
		if [ -z "$best_s" ] || [ "$(echo "$s < $best_s" | bc -l)" = 1 ]; then best_s=$s; fi
		if [ "$kb" -gt "$peak_kb" ]; then peak_kb=$kb; fi
		i=$((i + 1))
	done
}

debs() { grep -o '"purl": *"pkg:deb/[^"]*' "$1" | sort -u | wc -l; }
all() { grep -o '"purl": *"pkg:[^"]*' "$1" | grep -v '"pkg:oci/' | sort -u | wc -l; }

measure ingot "$work/ingot.cdx.json" "$work/ingot" sbom --format cyclonedx "$work/layout"
ingot_s=$best_s ingot_kb=$peak_kb
printf 'image: %s MB of blobs in an OCI layout (python3, postgresql-15, amd64), %s runs each\n' "$size" "$runs"
printf '%-8s %8s %10s %6s %9s\n' tool wall_s peak_MiB debs packages
printf '%-8s %8.2f %10.1f %6d %9d\n' ingot "$ingot_s" "$(echo "$ingot_kb/1024" | bc -l)" "$(debs "$work/ingot.cdx.json")" "$(all "$work/ingot.cdx.json")"

if [ "$syft" = none ]; then
	echo "syft: not available; no ratios"
	exit 0
fi
export SYFT_CHECK_FOR_APP_UPDATE=false
measure syft "$work/syft.cdx.json" "$syft" scan -q "oci-dir:$work/layout" -o cyclonedx-json
printf '%-8s %8.2f %10.1f %6d %9d\n' syft "$best_s" "$(echo "$peak_kb/1024" | bc -l)" "$(debs "$work/syft.cdx.json")" "$(all "$work/syft.cdx.json")"
printf 'ratio ingot/syft: wall %.2fx, peak memory %.2fx\n' "$(echo "$ingot_s/$best_s" | bc -l)" "$(echo "$ingot_kb/$peak_kb" | bc -l)"
