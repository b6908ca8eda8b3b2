#!/bin/sh
# bench/cache.sh: `ingot cache du` and `ingot cache prune --unused-for 720h`
# against du(1) and find(1) doing the same on the same synthetic cache: N
# (default 20,000) downloads of 4 KiB and N/10 layer entries of five 16 KiB
# blobs, half of everything last used 40 days ago. Prints the times and the
# ratios (ingot / coreutils; no target: the peers are the shell tools an
# operator would otherwise use).
#
# Needs python3 (it writes the synthetic cache). The cache lives in a fresh
# temporary directory, removed at the end.
set -eu

cd "$(dirname "$0")/.."
n=${N:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
go build -o "$work/ingot" ./cmd/ingot
ingot="$work/ingot"

mkcache() {
	python3 - "$1" "$n" <<'PY'
import os, sys, time, random
root, n = sys.argv[1], int(sys.argv[2])
old = time.time() - 40 * 86400
random.seed(1)
for i in range(n):
    h = "%064x" % random.getrandbits(256)
    p = os.path.join(root, "sha256", h[:2], h)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(b"x" * 4096)
    if i % 2:
        os.utime(p, (old, old))
for i in range(n // 10):
    h = "%064x" % random.getrandbits(256)
    d = os.path.join(root, "layers", h[:2], h)
    os.makedirs(d)
    for j in range(5):
        with open(os.path.join(d, "%02d" % j), "wb") as f:
            f.write(b"y" * 16384)
    if i % 2:
        os.utime(d, (old, old))
os.makedirs(os.path.join(root, "tmp"), exist_ok=True)
PY
}

now() { date +%s.%N; }
# seconds CMD...: how long CMD takes.
seconds() {
	s=$(now)
	"$@" >/dev/null
	awk -v a="$s" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'
}

echo "setup: two synthetic caches of $n downloads and $((n / 10)) layer entries"
mkcache "$work/a"
mkcache "$work/b"
du -s "$work" >/dev/null # the inode cache warm for both

ti=$(seconds "$ingot" cache du --cache-dir "$work/a" -o json)
tp=$(cd "$work/a" && seconds sh -c 'du -s --apparent-size -b sha256 layers tmp; find sha256 layers -mtime +30 -printf x | wc -c')
awk -v i="$ti" -v p="$tp" 'BEGIN { printf "du:    ingot cache du %.2f s, du + find %.2f s, ratio %.2f\n", i, p, i / p }'

ti=$(seconds "$ingot" cache prune --cache-dir "$work/a" --unused-for 720h)
tp=$(cd "$work/b" && seconds sh -c 'find sha256 -type f -mtime +30 -delete; find layers -mindepth 2 -maxdepth 2 -type d -mtime +30 -exec rm -rf {} +')
awk -v i="$ti" -v p="$tp" 'BEGIN { printf "prune: ingot cache prune %.2f s, find -delete + rm %.2f s, ratio %.2f\n", i, p, i / p }'
echo "left:  ingot $(find "$work/a" -type f | wc -l) files, find $(find "$work/b" -type f | wc -l) files"
