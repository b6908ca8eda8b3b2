#!/bin/sh
# bench/target-cves.sh: what giving every image of a fleet its own CVEs
# costs `ingot update`. LockUpdate.TargetCVEs for 1,000 images on three
# builds of a 300-package base (the inventory is SQLite in a temp dir; the
# changelogs are those Refresh keeps), timed by BenchmarkTargetCVEs, printed
# as milliseconds per 1,000 images and as a share of the issue's 30 s budget
# for a 1,000-image fleet rebase. No peer reports per-image CVEs (crane
# rebase and pack rebase name none), so there is no ratio to a peer: the
# fleet rebase itself is compared with crane by bench/rebase.sh.
set -eu
cd "$(dirname "$0")/.."
out=$(go test -run '^$' -bench '^BenchmarkTargetCVEs$' -benchtime 20x -count 3 ./update)
echo "$out" | grep '^Benchmark'
echo "$out" | awk '/^BenchmarkTargetCVEs/ { ns += $3; n++ }
END {
	if (n == 0) { print "no result"; exit 1 }
	ms = ns / n / 1e6
	printf "TargetCVEs: %.1f ms per 1,000 images (mean of %d runs), %.2f%% of the 30 s fleet budget\n", ms, n, ms / 300
}'
