#!/bin/sh
# bench/update-chain.sh: patch a fleet of images built on images: N (default
# 500) apps on one golden base and one image FROM each app (2N images, half
# of them at depth 2), in a local docker-registry, with update.Fleet (what
# `ingot update --rebase-dependents` runs after its build: the apps, then the
# images on them onto the apps' new builds) and with a sequential loop of
# `crane rebase` (each app onto the new base, then each image on it from the
# app's old digest onto its new tag). Prints absolute times and the ratio.
#
# Setup (not timed): update/internal/chainbench pushes a synthetic golden
# base (no network needed), the 2N images of each set (ingot-*, crane-*;
# one random 4 KiB layer each, with ingot's lineage), records the ingot set in
# a fresh SQLite inventory, and pushes build 2 of the base.
#
# Timed:
#   ingot   update.Targets + update.Fleet, JOBS (default 16) at a time,
#           without SBOMs (crane makes none), recording every image in the
#           inventory.
#   crane   for each app: crane rebase --old_base OLD --new_base NEW; then
#           for each image on it: crane rebase --old_base APP@OLD --new_base
#           APP:1 (crane installed with go install at the go-containerregistry
#           version of go.mod).
# The registry's storage is on tmpfs (/dev/shm when there is one; REGDIR
# overrides).
# Needs docker-registry (scripts/install-test-deps.sh).
set -eu

cd "$(dirname "$0")/.."
. bench/registry.sh
n=${N:-500}
jobs=${JOBS:-16}

work=$(mktemp -d)
cleanup() {
	stop_registry
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The registry first: it fails fast when docker-registry is missing.
start_registry bench/update-chain.sh "$work" "$(registry_root chain "$work")"
ggcr=$(go list -m -f '{{.Version}}' github.com/google/go-containerregistry)
GOBIN="$work/bin" go install "github.com/google/go-containerregistry/cmd/crane@$ggcr"
go build -o "$work/bin/chainbench" ./update/internal/chainbench
crane="$work/bin/crane"

mkdir -p "$work/fleet"

echo "setup: $n apps and $n images on them, for ingot and for crane, in $reg (crane $ggcr)"
"$work/bin/chainbench" -registry "$reg" -n "$n" -dir "$work/fleet" setup >"$work/setup.env"
. "$work/setup.env"

now() { date +%s.%N; }

"$work/bin/chainbench" -registry "$reg" -dir "$work/fleet" -jobs "$jobs" fleet >"$work/fleet.env"
. "$work/fleet.env"
[ "$rebased" = $((2 * n)) ] && [ "$depth2" = "$n" ] || { echo "bench/update-chain.sh: ingot rebased $rebased of $((2 * n)) ($depth2 at depth 2, $failed failed)" >&2; exit 1; }

# The apps' old digests, for the images on them (not timed).
i=0
while [ $i -lt "$n" ]; do
	"$crane" digest "$reg/bench/crane-$(printf %04d $i):1" >>"$work/old-apps"
	i=$((i + 1))
done

t0=$(now)
i=0
while read -r old_app; do
	app="$reg/bench/crane-$(printf %04d $i):1"
	"$crane" rebase "$app" --old_base "$old_base" --new_base "$new_base" --tag "$app" >/dev/null 2>>"$work/crane.log"
	worker="$reg/bench/crane-w-$(printf %04d $i):1"
	"$crane" rebase "$worker" --old_base "${app%:1}@$old_app" --new_base "$app" --tag "$worker" >/dev/null 2>>"$work/crane.log"
	i=$((i + 1))
done <"$work/old-apps"
t1=$(now)

awk -v n="$n" -v ingot="$seconds" -v ingot1="$seconds1" -v a="$t0" -v b="$t1" -v jobs="$jobs" 'BEGIN {
	crane = b - a
	printf "ingot update.Fleet (jobs %d, no SBOMs): %d images (%d apps, %d on them) in %.2f s (%.1f ms/image)\n", jobs, 2 * n, n, n, ingot, 1000 * ingot / (2 * n)
	printf "  of which the apps (depth 1): %.2f s (%.1f ms/image), the images on them (depth 2): %.2f s (%.1f ms/image)\n", ingot1, 1000 * ingot1 / n, ingot - ingot1, 1000 * (ingot - ingot1) / n
	printf "crane rebase loop:                     %d images in %.2f s (%.1f ms/image)\n", 2 * n, crane, 1000 * crane / (2 * n)
	printf "ratio ingot/crane: %.3f\n", ingot / crane
}'
