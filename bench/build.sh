#!/bin/sh
# bench/build.sh: time `ingot build` of examples/base (amd64, OCI layout)
# against `mmdebstrap --variant=extract` of the same package list, cold and
# warm, and print the ratios. Run as root from anywhere; needs the network to
# the Debian mirror of the machine's apt configuration (or INGOT_MIRROR) and
# mmdebstrap (scripts/install-test-deps.sh installs it).
#
# What cold and warm mean:
#   ingot cold      empty INGOT_CACHE_DIR: every locked .deb is downloaded.
#                   The committed lock is used, so no index is fetched.
#   ingot warm      the same cache again: nothing is downloaded, and the
#                   encoded layers come from the layer cache.
#   ingot warm, no layer cache
#                   the same, with --layer-cache=false: every .deb is read
#                   and every layer compressed again.
#   mmdebstrap cold empty apt cache: apt-get update downloads the indexes,
#                   then every .deb is downloaded.
#   mmdebstrap warm the .debs come from a cache kept between runs
#                   (mmdebstrap's documented sync-in/sync-out recipe, with
#                   --skip=download/empty and sync-out in an extract hook);
#                   apt-get update still downloads the indexes, as mmdebstrap
#                   has no way to reuse them.
# Targets: ingot warm <= 0.25x mmdebstrap warm, ingot cold <= 1x mmdebstrap cold.
set -eu

cd "$(dirname "$0")/.."
packages=base-files,netbase,tzdata,ca-certificates,libc6,libssl3
spec=examples/base/ingot.yaml
runs=${RUNS:-3}

if [ "$(id -u)" != 0 ]; then
	echo "bench/build.sh: run as root (mmdebstrap --variant=extract needs it)" >&2
	exit 1
fi
command -v mmdebstrap >/dev/null || { echo "bench/build.sh: mmdebstrap missing: run scripts/install-test-deps.sh" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/ingot" ./cmd/ingot

# The mirrors, as apt sees them: "URI SUITE" for each deb entry of the
# Debian archive in deb822 or one-line sources (INGOT_MIRROR wins).
mirror=${INGOT_MIRROR:-$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)}
security=${INGOT_SECURITY_MIRROR:-$(awk '/^URIs:/{u=$2} /^Suites:.*-security/{print u; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)}
if [ -z "$mirror" ]; then
	mirror=$(awk '$1=="deb" && $3 !~ /-security$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
fi
if [ -z "$security" ]; then
	security=$(awk '$1=="deb" && $3 ~ /-security$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
fi
[ -n "$mirror" ] || { echo "bench/build.sh: no Debian mirror in the apt configuration: set INGOT_MIRROR" >&2; exit 1; }
[ -n "$security" ] || security=$mirror
epoch=$(awk '/^sourceDateEpoch:/{print $2}' examples/base/ingot.lock)

# now prints seconds since the epoch with nanoseconds.
now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }

ingot_build() { # cache-dir [flags]
	rm -rf "$work/out"
	c=$1
	shift
	INGOT_CACHE_DIR=$c "$work/ingot" build "$@" -f "$spec" --arch amd64 --layout "$work/out" >/dev/null 2>"$work/ingot.log" ||
		{ cat "$work/ingot.log" >&2; exit 1; }
}

mmdebstrap_build() { # cache-dir (empty: no cache)
	rm -rf "$work/rootfs"
	set -- "$1"
	if [ -n "$1" ]; then
		# The extract variant runs no customize hooks: copy the
		# downloaded .debs out right after extraction, before cleanup.
		set -- --skip=download/empty \
			--setup-hook="mkdir -p '$1' \"\$1\"/var/cache/apt/archives/" \
			--setup-hook="sync-in '$1' /var/cache/apt/archives/" \
			--extract-hook="sync-out /var/cache/apt/archives '$1'"
	else
		set --
	fi
	SOURCE_DATE_EPOCH=$epoch mmdebstrap --quiet --variant=extract --architectures=amd64 \
		--include="$packages" "$@" bookworm "$work/rootfs" \
		"deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main" \
		>"$work/mm.log" 2>&1 || { cat "$work/mm.log" >&2; exit 1; }
}

# best-of-N timing of a command; prints seconds.
best() { # setup-command command
	b=""
	i=0
	while [ $i -lt "$runs" ]; do
		eval "$1"
		t0=$(now)
		eval "$2"
		t=$(elapsed "$t0" "$(now)")
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
		i=$((i + 1))
	done
	printf '%.2f' "$b"
}

echo "bench/build.sh: examples/base, amd64, best of $runs runs each" >&2
ingot_cold=$(best 'rm -rf "$work/icache"; mkdir "$work/icache"' 'ingot_build "$work/icache"')
ingot_warm=$(best ':' 'ingot_build "$work/icache"')
ingot_nolc=$(best ':' 'ingot_build "$work/icache" --layer-cache=false')
mm_cold=$(best ':' 'mmdebstrap_build ""')
mkdir -p "$work/aptcache"
mmdebstrap_build "$work/aptcache" # fill the cache
mm_warm=$(best ':' 'mmdebstrap_build "$work/aptcache"')

printf '\n%-12s %10s %10s\n' "" cold warm
printf '%-12s %9ss %9ss   (warm without the layer cache: %ss, %.2fx)\n' ingot "$ingot_cold" "$ingot_warm" "$ingot_nolc" "$(echo "$ingot_nolc / $mm_warm" | bc -l)"
printf '%-12s %9ss %9ss\n' mmdebstrap "$mm_cold" "$mm_warm"
printf '%-12s %9.2fx %9.2fx   (targets: cold <= 1x, warm <= 0.25x)\n' "ingot/mmdeb" \
	"$(echo "$ingot_cold / $mm_cold" | bc -l)" "$(echo "$ingot_warm / $mm_warm" | bc -l)"
