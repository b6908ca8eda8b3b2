#!/bin/bash
# bench/lock.sh: time `ingot lock` for the requests of issue 2 on amd64 and
# arm64 against bookworm, bookworm-updates and bookworm-security, with a cold
# and a warm download cache, and (if mmdebstrap is installed) compare with
# `mmdebstrap --variant=extract --simulate`, which resolves the same request
# with apt without downloading any .deb.
#
#   cold   empty INGOT_CACHE_DIR: the InRelease files and every Packages.xz
#          are downloaded, verified and parsed.
#   warm   the same cache again: only the InRelease files are downloaded (and
#          verified); the indexes, and what the parser made of them (the
#          parsed-index cache of debian/repo), come from the cache.
#   mmdebstrap  one run per architecture (apt-get update in a fresh chroot,
#          then apt's resolver), summed; it has no index cache to warm.
#
# Needs the network to the Debian mirror of the machine's apt configuration
# (or INGOT_MIRROR / INGOT_SECURITY_MIRROR). Not part of the tests.
# RUNS=N takes the best of N runs (default 1).
set -euo pipefail

cd "$(dirname "$0")/.."
runs=${RUNS:-1}
archs=(amd64 arm64)
suites=(bookworm bookworm-updates bookworm-security)
names=(base python3 nodejs curl)
declare -A requests=(
	[base]="base-files netbase tzdata ca-certificates libc6 libssl3"
	[python3]="python3"
	[nodejs]="nodejs"
	[curl]="curl"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/ingot" ./cmd/ingot

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l | xargs printf '%.2f'; }
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2fx'; }

suite_flags=()
for s in "${suites[@]}"; do suite_flags+=(--suite "$s"); done
arch_flags=()
for a in "${archs[@]}"; do arch_flags+=(--arch "$a"); done

# ingot_lock CACHE PACKAGES...: one `ingot lock` run; prints its seconds.
ingot_lock() {
	local cache=$1
	shift
	rm -f "$work/ingot.lock"
	local t0 t1
	t0=$(now)
	INGOT_CACHE_DIR=$cache "$work/ingot" lock --lockfile "$work/ingot.lock" \
		"${arch_flags[@]}" "${suite_flags[@]}" "$@" >"$work/ingot.log" 2>&1 ||
		{ cat "$work/ingot.log" >&2; exit 1; }
	t1=$(now)
	secs "$t0" "$t1"
}

# locked_count ARCH: packages in the last lock for ARCH.
locked_count() {
	awk -v a="  $1:" '$0==a{on=1; next} /^  [a-z0-9]+:$/{on=0} on && /^    - name:/{n++} END{print n+0}' "$work/ingot.lock"
}

# The mirrors, as apt sees them (INGOT_MIRROR and INGOT_SECURITY_MIRROR win).
mirror=${INGOT_MIRROR:-$(awk '/^URIs:/{u=$2} /^Suites:/ && $0 !~ /-security/{print u; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)}
security=${INGOT_SECURITY_MIRROR:-$(awk '/^URIs:/{u=$2} /^Suites:.*-security/{print u; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)}
[ -n "$mirror" ] || mirror=$(awk '$1=="deb" && $3 !~ /-security$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$security" ] || security=$(awk '$1=="deb" && $3 ~ /-security$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$security" ] || security=$mirror

have_mm=false
if command -v mmdebstrap >/dev/null && [ -n "$mirror" ] && [ "$(id -u)" = 0 ]; then
	have_mm=true
fi

# mm_resolve ARCH PACKAGES...: one simulated mmdebstrap run; prints seconds.
mm_resolve() {
	local arch=$1
	shift
	local include t0 t1
	include=$(echo "$@" | tr ' ' ',')
	rm -rf "$work/rootfs"
	t0=$(now)
	mmdebstrap --simulate --variant=extract --architectures="$arch" --include="$include" \
		bookworm "$work/rootfs" \
		"deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main" \
		>"$work/mm.log" 2>&1 || { cat "$work/mm.log" >&2; exit 1; }
	t1=$(now)
	secs "$t0" "$t1"
}

min() { printf '%s\n' "$@" | sort -g | head -1; }

printf '%-8s %14s %9s %9s' request "packages" "cold s" "warm s"
$have_mm && printf ' %13s %11s %11s' "mmdebstrap s" "cold/mm" "warm/mm"
printf '\n'

for name in "${names[@]}"; do
	read -ra pkgs <<<"${requests[$name]}"
	colds=() warms=()
	for ((i = 0; i < runs; i++)); do
		cache="$work/cache-$name-$i"
		colds+=("$(ingot_lock "$cache" "${pkgs[@]}")")
		warms+=("$(ingot_lock "$cache" "${pkgs[@]}")")
	done
	cold=$(min "${colds[@]}")
	warm=$(min "${warms[@]}")
	counts=""
	for a in "${archs[@]}"; do counts+="${counts:+/}$(locked_count "$a")"; done
	printf '%-8s %14s %9s %9s' "$name" "$counts" "$cold" "$warm"
	if $have_mm; then
		mms=()
		for ((i = 0; i < runs; i++)); do
			total=0
			for a in "${archs[@]}"; do
				total=$(echo "$total + $(mm_resolve "$a" "${pkgs[@]}")" | bc -l)
			done
			mms+=("$(printf '%.2f' "$total")")
		done
		mm=$(min "${mms[@]}")
		printf ' %13s %11s %11s' "$mm" "$(ratio "$cold" "$mm")" "$(ratio "$warm" "$mm")"
	fi
	printf '\n'
done
echo "packages: locked per architecture (${archs[*]}); suites: ${suites[*]}; best of $runs run(s)"
$have_mm || echo "mmdebstrap not installed (or not root, or no mirror): no comparison"
