#!/bin/sh
# bench/rebase.sh: patch a fleet of N (default 1,000) app images on one golden
# base in a local docker-registry, with `ingot update --rebase-dependents`
# and with a sequential loop of `crane rebase`, and print the absolute times
# and the ratio. Targets: ingot <= 0.1x the crane loop, <= 30 s.
#
# Setup (not timed): update/internal/benchgen builds a small golden base
# (base-files, libc6, libssl3; this machine's architecture) whose lock pins
# the bookworm point release's libssl3, pushes it once, and pushes 2N apps on
# it (one random 4 KiB app layer each, with ingot's lineage): N for ingot,
# recorded in a fresh SQLite inventory, and N for crane.
#
# Timed:
#   ingot   ingot update -f SPEC --rebase-dependents: refresh the lock
#           (bookworm-security's libssl3 and the CVEs it closes), rebuild and
#           push the base, then rebase the N apps, JOBS (default 16) at a
#           time. SBOM=false (default) skips composing and attaching SBOMs
#           (crane makes none) but still records every image in the
#           inventory; SBOM=true attaches them too.
#   crane   for each app: crane rebase --old_base OLD --new_base NEW --tag
#           the app's tag (crane installed with go install at the
#           go-containerregistry version of go.mod).
# The registry is Debian's docker-registry with the blob descriptor cache
# its packaged configuration enables (storage.cache.blobdescriptor:
# inmemory), its storage on tmpfs (/dev/shm when there is one; REGDIR
# overrides) so that both tools are measured against the registry's CPU
# rather than the disk. The CPU seconds of the registry and of ingot during
# ingot's run are printed too: the registry's share is work no client can
# avoid.
#
# CRANE=false skips the crane loop (for iterating on ingot; no ratio).
# Needs docker-registry (scripts/install-test-deps.sh) and the network to the
# Debian mirror of the machine's apt configuration.
set -eu

cd "$(dirname "$0")/.."
. bench/registry.sh
n=${N:-1000}
jobs=${JOBS:-16}
sbom=${SBOM:-false}
crane_loop=${CRANE:-true}
no_sbom=--no-sbom
[ "$sbom" = false ] || no_sbom=

work=$(mktemp -d)
cleanup() {
	stop_registry
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The registry first: it fails fast when docker-registry is missing.
start_registry bench/rebase.sh "$work" "$(registry_root rebase "$work")"
ggcr=$(go list -m -f '{{.Version}}' github.com/google/go-containerregistry)
GOBIN="$work/bin" go install "github.com/google/go-containerregistry/cmd/crane@$ggcr"
go build -o "$work/bin/ingot" ./cmd/ingot
crane="$work/bin/crane"
ingot="$work/bin/ingot"

mkdir -p "$work/fleet"

echo "setup: $n apps for ingot and $n for crane on one base in $reg (crane $ggcr)"
go run ./update/internal/benchgen -registry "$reg" -n "$n" -dir "$work/fleet" >"$work/gen.env"
. "$work/gen.env"

now() { date +%s.%N; }
# cpu PID: the CPU seconds (user + system) the process has used.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

reg_cpu0=$(cpu "$reg_pid")
t0=$(now)
/usr/bin/time -f '%U %S' -o "$work/ingot.time" "$ingot" update -f "$spec" --rebase-dependents --db "$work/fleet/inventory.db" --insecure --jobs "$jobs" $no_sbom -o json >"$work/ingot.json"
t1=$(now)
reg_cpu=$(awk -v a="$reg_cpu0" -v b="$(cpu "$reg_pid")" 'BEGIN { printf "%.2f", b - a }')
ingot_cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$work/ingot.time")
rebased=$(grep -c '"status": "rebased"' "$work/ingot.json" || true)
failed=$(grep -c '"status": "failed"' "$work/ingot.json" || true)
steps=$(grep -A4 '"seconds"' "$work/ingot.json" | tr -d '\n ')
fleet=$(printf '%s' "$steps" | sed -n 's/.*"rebase":\([0-9.]*\).*/\1/p')
echo "ingot steps (s): $steps" >&2
[ "$rebased" = "$n" ] || { echo "bench/rebase.sh: ingot rebased $rebased of $n ($failed failed)" >&2; exit 1; }

if [ "$crane_loop" = false ]; then
	awk -v n="$n" -v a="$t0" -v b="$t1" -v jobs="$jobs" -v sbom="$sbom" -v fleet="$fleet" -v rc="$reg_cpu" -v ic="$ingot_cpu" 'BEGIN {
		ingot = b - a
		printf "ingot update --rebase-dependents (jobs %d, sbom %s): %d images in %.2f s (%.1f ms/image; fleet step %.2f s); CPU s: registry %s, ingot %s\n", jobs, sbom, n, ingot, 1000 * ingot / n, fleet, rc, ic
	}'
	exit 0
fi

reg_cpu2=$(cpu "$reg_pid")
t2=$(now)
i=0
while [ $i -lt "$n" ]; do
	app="$reg/bench/crane-$(printf %04d $i):1"
	"$crane" rebase "$app" --old_base "$old_base" --new_base "$new_base" --tag "$app" >/dev/null 2>>"$work/crane.log"
	i=$((i + 1))
done
t3=$(now)
crane_reg_cpu=$(awk -v a="$reg_cpu2" -v b="$(cpu "$reg_pid")" 'BEGIN { printf "%.2f", b - a }')

awk -v cores="$(nproc)" -v n="$n" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v jobs="$jobs" -v sbom="$sbom" -v fleet="$fleet" -v rc="$reg_cpu" -v ic="$ingot_cpu" -v crc="$crane_reg_cpu" 'BEGIN {
	ingot = b - a; crane = d - c
	printf "ingot update --rebase-dependents (jobs %d, sbom %s): %d images in %.2f s (%.1f ms/image, lock refresh and base rebuild included)\n", jobs, sbom, n, ingot, 1000 * ingot / n
	printf "  of which the fleet rebase step:                     %d images in %.2f s (%.1f ms/image)\n", n, fleet, 1000 * fleet / n
	printf "  CPU seconds during ingot update: registry %s, ingot %s\n", rc, ic
	printf "crane rebase loop:                                    %d images in %.2f s (%.1f ms/image)\n", n, crane, 1000 * crane / n
	printf "  CPU seconds of the registry during the crane loop: %s\n", crc
	printf "floor for ingot on this machine: (registry + ingot CPU) / %d cores = %.1f s\n", cores, (rc + ic) / cores
	printf "ratio ingot/crane: %.3f (target <= 0.1); ingot absolute: %.1f s (target <= 30 s)\n", ingot / crane, ingot
	printf "ratio fleet step/crane: %.3f\n", fleet / crane
}'
