#!/bin/sh
# bench/inventory-sync.sh: "ingot inventory sync" of a real docker-registry
# holding $N (default 300) small images, one repository each, two tags each,
# into a fresh SQLite inventory ("cold": every image new, read by inspecting
# its layers as no SBOM is attached) and again ("warm": every image known by
# digest, so one manifest request per tag and nothing written).
#
# The peer is crane (go-containerregistry's CLI, the version ingot builds
# with) doing the same reads without recording anything, $JOBS (default 4)
# processes at once like --jobs: for "warm", the catalog, every repository's
# tags and every tag's manifest; for "cold", that plus every image's layers
# (crane export). crane starts one process per request, which costs it a few
# milliseconds each; the figures say how close the inventory's bookkeeping
# is to a bare crawl. Ratios > 1 mean ingot is faster.
set -eu

cd "$(dirname "$0")/.."
. bench/registry.sh
n=${N:-300}
jobs=${JOBS:-4}
work=$(mktemp -d /tmp/ingot-bench-sync.XXXXXX)
reg_pid=
cleanup() {
	[ -z "$reg_pid" ] || kill "$reg_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

ggcr=$(go list -m -f '{{.Version}}' github.com/google/go-containerregistry)
GOBIN="$work/bin" go install "github.com/google/go-containerregistry/cmd/crane@$ggcr"
go build -o "$work/bin/ingot" ./cmd/ingot
crane="$work/bin/crane"
ingot="$work/bin/ingot"

mkdir -p "$work/layers"
start_registry bench/inventory-sync.sh "$work" "$work/registry"

echo "setup: $n images (one 8 KiB layer each, tags 1 and latest) in $reg; crane $ggcr; $jobs jobs"
seq -w 1 "$n" | xargs -P "$jobs" -I{} sh -c '
	d="$0/l{}"; mkdir -p "$d/etc"; head -c 8192 /dev/urandom >"$d/etc/data"; echo {} >"$d/etc/id"
	tar -C "$d" -cf "$d.tar" etc
	"$1" append --insecure -f "$d.tar" -t "$2/bench/app{}:1" >/dev/null 2>&1
	"$1" tag --insecure "$2/bench/app{}:1" latest >/dev/null 2>&1' "$work/layers" "$crane" "$reg"

now() { date +%s.%N; }
db="$work/inventory.db"

t0=$(now)
"$ingot" inventory sync --insecure --jobs "$jobs" --db "$db" -o json "$reg/bench" >"$work/cold.json"
t1=$(now)
"$ingot" inventory sync --insecure --jobs "$jobs" --db "$db" -o json "$reg/bench" >"$work/warm.json"
t2=$(now)
ingested=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r["ingested"]), r["known"], len(r["failures"]))' "$work/cold.json")
warm=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r["ingested"]), r["known"], len(r["failures"]))' "$work/warm.json")

crawl() { # $1: extra per-tag command (export or not)
	"$crane" catalog --insecure "$reg" | grep '^bench/' | xargs -P "$jobs" -I{} sh -c '
		for t in $("$0" ls --insecure "$1/{}"); do
			"$0" manifest --insecure "$1/{}:$t" >/dev/null
			[ "$2" != export ] || "$0" export --insecure "$1/{}:$t" - >/dev/null
		done' "$crane" "$reg" "$1"
}
t3=$(now)
crawl manifest
t4=$(now)
crawl export
t5=$(now)

python3 - "$n" "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" "$ingested" "$warm" <<'EOF'
import sys
n = int(sys.argv[1])
t0, t1, t2, t3, t4, t5 = map(float, sys.argv[2:8])
cold, warm = t1 - t0, t2 - t1
peer_warm, peer_cold = t4 - t3, t5 - t4
print(f"ingot cold sync (ingested, known, failures = {sys.argv[8]}): {cold:7.2f} s  {n / cold:7.1f} images/s")
print(f"ingot warm sync (ingested, known, failures = {sys.argv[9]}): {warm:7.2f} s  {n / warm:7.1f} images/s")
print(f"crane crawl, manifests only:            {peer_warm:7.2f} s  {n / peer_warm:7.1f} images/s")
print(f"crane crawl and export of every image:  {peer_cold:7.2f} s  {n / peer_cold:7.1f} images/s")
print(f"ratio warm (crane crawl / ingot warm sync):  {peer_warm / warm:5.2f}")
print(f"ratio cold (crane export / ingot cold sync): {peer_cold / cold:5.2f}")
EOF
