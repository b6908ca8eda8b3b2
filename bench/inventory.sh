#!/bin/sh
# bench/inventory.sh: the fleet inventory on a synthetic fleet of
# $IMAGES app images (default 10,000) × 300 packages (20 golden bases of 250
# Debian packages, each image adding a layer of 50 npm/Go packages from
# several hundred names with 8 versions each), generated deterministically by
# inventory/internal/fleetgen, ingested into SQLite and into PostgreSQL.
#
# Reported per store: ingest rate (sbom.Document → PutImage, one transaction
# per image; wall time, and per CPU-second of the process, which is the
# figure on an idle machine), the time to ingest 500 known images again
# (must change nothing), the same ingest with $BATCH (default 100) images per
# transaction (PutImages, for bulk ingest such as a registry sync), and who-has latency p50/p99 over $QUERIES (default
# 1,000) mixed queries: Debian names with and without dpkg constraints,
# Debian source names, app packages with semver ranges, purls with and
# without version, and 5% "in every image" names (libc6, openssl).
# Ratios are against the targets (SQLite: ≥ 500 images/s, p99 < 50 ms) and
# PostgreSQL against SQLite.
#
# SQLite runs as ingot opens it by default (WAL, synchronous=NORMAL: no fsync
# per commit). PostgreSQL 15+ from Debian (scripts/install-test-deps.sh) is
# started here on 127.0.0.1 with synchronous_commit=off, the comparable
# durability, and ingested with $PG_WRITERS (default 4) concurrent writers.
# PG=none skips it.
set -eu

cd "$(dirname "$0")/.."
images=${IMAGES:-10000}
queries=${QUERIES:-1000}
pg_writers=${PG_WRITERS:-4}
BATCH=${BATCH:-100}

work=$(mktemp -d /tmp/ingot-bench-inventory.XXXXXX)
chmod 755 "$work"
pgbin=
cleanup() {
	if [ -n "$pgbin" ] && [ -f "$work/pg/postmaster.pid" ]; then
		as_pg "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

go build -o "$work/fleetbench" ./inventory/internal/fleetbench

echo "fleet: $images images × 300 packages on 20 bases; $queries who-has queries" >&2
echo "sqlite: ingesting..." >&2
"$work/fleetbench" -db "$work/inventory.db" -images "$images" -queries "$queries" -writers 1 >"$work/sqlite.json"
echo "sqlite, $BATCH images per transaction (PutImages): ingesting..." >&2
"$work/fleetbench" -db "$work/batched.db" -images "$images" -queries 0 -writers 1 -batch "$BATCH" >"$work/batched.json"

if [ "${PG:-}" != none ]; then
	pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	[ -x "$pgbin/initdb" ] || { echo "bench/inventory.sh: PostgreSQL missing: run scripts/install-test-deps.sh (or PG=none)" >&2; exit 1; }
	mkdir "$work/pg"
	[ "$(id -u)" = 0 ] && chown postgres "$work" "$work/pg"
	as_pg "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	as_pg "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $work -c synchronous_commit=off -c shared_buffers=256MB" start >/dev/null
	as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres ingot
	echo "postgres: ingesting..." >&2
	"$work/fleetbench" -db "postgres://postgres@127.0.0.1:$port/ingot?sslmode=disable" -images "$images" -queries "$queries" -writers "$pg_writers" >"$work/postgres.json"
fi

python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
runs = [json.load(open(os.path.join(work, f + ".json"))) for f in ("sqlite", "postgres") if os.path.exists(os.path.join(work, f + ".json"))]
batched = json.load(open(os.path.join(work, "batched.json")))
print("%-9s %7s %7s %11s %13s %9s %8s %8s %8s %8s %9s %9s" % ("store", "images", "writers", "images/s", "images/CPU-s", "reingest", "p50 ms", "p99 ms", "cpu p50", "cpu p99", "mean hits", "max hits"))
for r in runs:
    cpu = "%13.0f" % r["imagesPerCPUSecond"] if r["store"] == "sqlite" else "%13s" % "(server)"
    print("%-9s %7d %7d %11.0f %s %8.2fs %8.1f %8.1f %8.1f %8.1f %9.0f %9d" % (r["store"], r["images"], r["writers"], r["imagesPerSecond"], cpu, r["reingestSeconds"], r["p50ms"], r["p99ms"], r["cpuP50ms"], r["cpuP99ms"], r["meanHits"], r["maxHits"]))
r = batched
print("%-9s %7d %7d %11.0f %13.0f   (batches of %d images per transaction; no queries)" % ("sqlite", r["images"], r["writers"], r["imagesPerSecond"], r["imagesPerCPUSecond"], r["batch"]))
s = runs[0]
print()
print("sqlite vs targets: ingest %.2fx of 500 images/s (%.2fx per CPU-second; batched %.2fx, %.2fx) — above 1 meets it"
      % (s["imagesPerSecond"] / 500, s["imagesPerCPUSecond"] / 500, batched["imagesPerSecond"] / 500, batched["imagesPerCPUSecond"] / 500))
print("sqlite vs targets: who-has p99 %.2fx of 50 ms (%.2fx in CPU time) — below 1 meets it" % (s["p99ms"] / 50, s["cpuP99ms"] / 50))
if len(runs) > 1:
    p = runs[1]
    print("postgres / sqlite: ingest %.2fx, who-has p50 %.2fx, p99 %.2fx" % (p["imagesPerSecond"] / s["imagesPerSecond"], p["p50ms"] / max(s["p50ms"], 1e-3), p["p99ms"] / max(s["p99ms"], 1e-3)))
print("load average while running: %s" % open("/proc/loadavg").read().split()[0:3])
PY
