#!/bin/sh
# bench/vuln.sh: ingot's vulnerability feeds and matcher against osv-scanner.
#
#  1. `ingot feed import` of the Go vulnerability database (../shared/data/osv/go).
#  2. The matching half of `ingot assay` (vuln.BenchmarkAssayFleet): import a
#     feed of 50,274 advisories (the Go database plus synthetic OSV Debian:12,
#     npm and PyPI records and a synthetic Debian tracker file), load it once,
#     match $IMAGES synthetic images (default 10,000; 195 packages each) on
#     every core. Wall and CPU seconds are printed: on a shared machine the
#     CPU figure is the steadier one.
#  3. The first 100 images' Go modules, written as CycloneDX SBOMs, scanned by
#     osv-scanner in offline mode against the same Go database: its time per
#     image against ingot's, and whether both report the same findings.
#
# osv-scanner is installed with `go install
# github.com/google/osv-scanner/cmd/osv-scanner@v1.9.2` into
# ~/.cache/ingot-bench/bin once (about 4 minutes on 2 cores; v2.x needs a
# newer Go than this repository's). OSV_SCANNER=/path/to/osv-scanner uses
# another, OSV_SCANNER=none skips it.
set -eu

cd "$(dirname "$0")/.."
images=${IMAGES:-10000}
gofeed=../shared/data/osv/go
[ -d "$gofeed" ] || { echo "bench/vuln.sh: the Go OSV records are not at $gofeed" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/ingot" ./cmd/ingot

scanner=${OSV_SCANNER:-}
if [ -z "$scanner" ]; then
	bin=${XDG_CACHE_HOME:-$HOME/.cache}/ingot-bench/bin
	scanner=$bin/osv-scanner
	if [ ! -x "$scanner" ]; then
		echo "installing osv-scanner with go install (once)..." >&2
		if ! GOFLAGS= GOBIN=$bin go install github.com/google/osv-scanner/cmd/osv-scanner@v1.9.2 >"$work/install.log" 2>&1; then
			echo "bench/vuln.sh: go install of osv-scanner failed; comparing without it:" >&2
			tail -5 "$work/install.log" >&2
			scanner=none
		fi
	fi
fi

secs() { date +%s.%N; }

# 1. Import.
t0=$(secs)
INGOT_FEEDS_DB=$work/feeds.db "$work/ingot" feed import -o json "$gofeed" >"$work/import.json"
t1=$(secs)
imported=$(grep -o '"imported": *[0-9]*' "$work/import.json" | grep -o '[0-9]*$')
import_s=$(echo "$t1 - $t0" | bc -l)

# 2. Fleet.
mkdir "$work/scan"
echo "matching $images synthetic images against 50,274 advisories..." >&2
INGOT_BENCH_IMAGES=$images INGOT_BENCH_OUT=$work/scan go test ./vuln/ -run '^$' -bench BenchmarkAssayFleet -benchtime 1x >"$work/bench.txt" 2>&1 ||
	{ cat "$work/bench.txt" >&2; exit 1; }
metric() { awk -v m="$1" '/^BenchmarkAssayFleet/{for(i=1;i<NF;i++) if($(i+1)==m) print $i}' "$work/bench.txt"; }
adv=$(metric advisories)
fleet_import=$(metric import-s)
load=$(metric load-s)
match=$(metric match-s)
cpu=$(metric match-cpu-s)
findings=$(metric findings)
pkgs=$(metric packages)

echo
printf "ingot feed import of the Go database: %s advisories in %.2f s\n" "$imported" "$import_s"
echo "fleet: $adv advisories (import $fleet_import s, load $load s), $images images, $pkgs packages, $findings findings"
echo "  match: $match s wall, $cpu s CPU; load + match (the assay target, < 10 s): $(echo "$load + $match" | bc -l) s"

# 3. osv-scanner.
if [ "$scanner" = none ]; then
	echo "osv-scanner: skipped"
	exit 0
fi
cd "$work/scan"
set --
for f in image*.cdx.json; do set -- "$@" --sbom "$f"; done
t0=$(secs)
OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY=$work/scan/db "$scanner" scan --experimental-offline --experimental-offline-vulnerabilities \
	--format json "$@" >"$work/osv.json" 2>"$work/osv.log" || true
t1=$(secs)
[ -s "$work/osv.json" ] || { tail -5 "$work/osv.log" >&2; exit 1; }
osv_s=$(echo "$t1 - $t0" | bc -l)
python3 - "$work/osv.json" ingot-go-findings.txt "$osv_s" "$match" "$images" <<'PY'
import json, sys
osv_json, ingot_txt, osv_s, match_s, images = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
osv = set()
for r in json.load(open(osv_json))["results"]:
    img = r["source"]["path"].rsplit("/", 1)[-1].split(".")[0]
    for p in r["packages"]:
        for v in p["vulnerabilities"]:
            osv.add("%s %s@%s %s" % (img, p["package"]["name"], p["package"]["version"].lstrip("v"), v["id"]))
ingot = {l for l in open(ingot_txt).read().splitlines() if l}
only_ingot, only_osv = ingot - osv, osv - ingot
print("osv-scanner (offline) on 100 images' Go modules: %.1f s, %.3f s per image" % (osv_s, osv_s / 100))
print("ingot: %.6f s per image (fleet match wall time / images)" % (match_s / images))
print("ratio osv-scanner / ingot per image: %.0fx" % ((osv_s / 100) / (match_s / images)))
print("findings: ingot %d, osv-scanner %d, only ingot %d, only osv-scanner %d" % (len(ingot), len(osv), len(only_ingot), len(only_osv)))
mods = sorted({l.split()[1].split("@")[0] for l in only_ingot})
if mods:
    upper = [m for m in mods if m != m.lower()]
    print("  only-ingot findings are on %d modules, %d with upper-case letters (osv-scanner lower-cases Go purls): %s" % (len(mods), len(upper), ", ".join(mods[:5])))
PY
