#!/bin/sh
# bench/app-go.sh: time `ingot build DIR` of the sample Go web application
# (testdata/apps/go-web) against ko building the same source onto the same
# golden base, for every platform of the base (linux/amd64, linux/arm64),
# each to an OCI layout, cold and warm, and print the ratios.
#
# The base is examples/base, built by ingot from its committed lock and
# pushed to Debian's docker-registry started on 127.0.0.1 by this script:
# ko needs a registry base (KO_DEFAULTBASEIMAGE), and ingot reads the same
# reference. ko is installed with `go install` from the Go module proxy.
#
# What cold and warm mean (for both tools):
#   cold   an empty GOCACHE: the standard library and the program are
#          compiled for both architectures.
#   warm   the same GOCACHE again, nothing changed: the go command only
#          links, then the image is assembled and written.
# Both read the base from the registry on every run, write an OCI layout,
# and make no SBOM (ko: --sbom=none). Target: ingot <= 1x ko.
#
# Needs: go, docker-registry (scripts/install-test-deps.sh), the network to
# the Go module proxy and the Debian mirror (or a warm ingot download cache).
set -eu

cd "$(dirname "$0")/.."
runs=${RUNS:-5}
cold_runs=${COLD_RUNS:-1}
ko_version=${KO_VERSION:-v0.19.1}

. bench/registry.sh

# Lower case: ko names its layout output by the path, as a repository.
work=/tmp/ingot-bench-app-go-$$
mkdir "$work"
cleanup() {
	stop_registry
	chmod -R u+w "$work" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The registry first (on a free loopback port): it fails fast when
# docker-registry is missing.
start_registry bench/app-go.sh "$work" "$work/registry"

echo "bench/app-go.sh: building ingot and installing ko $ko_version" >&2
go build -o "$work/ingot" ./cmd/ingot
GOBIN="$work/bin" go install "github.com/google/ko@$ko_version"

base=$reg/golden/base:1
echo "bench/app-go.sh: pushing examples/base to $base" >&2
"$work/ingot" build -f examples/base/ingot.yaml --push --tag "$base" --insecure >/dev/null 2>"$work/base.log" ||
	{ cat "$work/base.log" >&2; exit 1; }

cp -r testdata/apps/go-web "$work/src"

# now prints seconds since the epoch with nanoseconds.
now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }

ingot_build() {
	rm -rf "$work/ingot-out"
	GOCACHE=$work/gocache-ingot "$work/ingot" build "$work/src" --base "$base" --layout "$work/ingot-out" \
		>/dev/null 2>"$work/ingot.log" || { cat "$work/ingot.log" >&2; exit 1; }
}

ko_build() {
	rm -rf "$work/ko-out"
	(cd "$work/src" && GOCACHE=$work/gocache-ko KO_DOCKER_REPO=$reg/ko KO_DEFAULTBASEIMAGE=$base \
		"$work/bin/ko" build --bare --push=false --sbom=none --platform=all --oci-layout-path "$work/ko-out" . \
		>/dev/null 2>"$work/ko.log") || { cat "$work/ko.log" >&2; exit 1; }
}

# timed runs a command and prints the seconds it took.
timed() { t0=$(now); eval "$1"; elapsed "$t0" "$(now)"; }
# min of two numbers, the first one possibly empty.
min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }

clean_cache() { chmod -R u+w "$work/$1" 2>/dev/null || true; rm -rf "$work/$1"; }

# The tools take turns, so that both see the same load on a shared machine;
# each figure is the best of its runs.
echo "bench/app-go.sh: go-web for linux/amd64 and linux/arm64; cold best of $cold_runs, warm best of $runs" >&2
ingot_cold="" ko_cold="" ingot_warm="" ko_warm=""
i=0
while [ $i -lt "$cold_runs" ]; do
	clean_cache gocache-ingot
	clean_cache gocache-ko
	ingot_cold=$(min "$ingot_cold" "$(timed ingot_build)")
	ko_cold=$(min "$ko_cold" "$(timed ko_build)")
	i=$((i + 1))
done
i=0
while [ $i -lt "$runs" ]; do
	ingot_warm=$(min "$ingot_warm" "$(timed ingot_build)")
	ko_warm=$(min "$ko_warm" "$(timed ko_build)")
	i=$((i + 1))
done
ingot_cold=$(printf '%.2f' "$ingot_cold") ko_cold=$(printf '%.2f' "$ko_cold")
ingot_warm=$(printf '%.2f' "$ingot_warm") ko_warm=$(printf '%.2f' "$ko_warm")

# Both produced an image per platform.
for out in ingot-out ko-out; do
	n=$(grep -o '"platform"' "$work/$out/index.json" | wc -l)
	if [ "$n" -lt 2 ] && [ -n "$(ls "$work/$out/blobs/sha256" 2>/dev/null)" ]; then
		n=$(cat "$work/$out"/blobs/sha256/* 2>/dev/null | grep -ao '"architecture":"[a-z0-9]*"' | sort -u | wc -l)
	fi
	echo "bench/app-go.sh: $out has images for $n platforms" >&2
done

printf '\n%-10s %10s %10s\n' "" cold warm
printf '%-10s %9ss %9ss\n' ingot "$ingot_cold" "$ingot_warm"
printf '%-10s %9ss %9ss\n' ko "$ko_cold" "$ko_warm"
printf '%-10s %9.2fx %9.2fx   (target: <= 1x)\n' "ingot/ko" \
	"$(echo "$ingot_cold / $ko_cold" | bc -l)" "$(echo "$ingot_warm / $ko_warm" | bc -l)"
