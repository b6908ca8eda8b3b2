#!/bin/sh
# bench/app-node.sh: time `ingot build` of the sample Node.js application
# (testdata/apps/node-web) onto the examples/nodejs golden base (amd64, OCI
# layout) against the work it cannot avoid: `npm ci --omit=dev
# --ignore-scripts` of the same project alone (what the RUN npm ci step of a
# Dockerfile does, before any image is written). Prints the ratios.
# Needs npm and the network to the npm registry of the npm configuration;
# the base is built once first (Debian mirror of the apt configuration, or
# INGOT_MIRROR).
#
#   cold   an empty npm cache (npm_config_cache in a fresh directory): the
#          dependencies are downloaded.
#   warm   the npm cache of the previous run: nothing is downloaded.
#   edit   warm, after a change to server.js: the deps layer is the same
#          bytes, only the app layer changes.
# Target: ingot <= 1.5x npm ci alone, cold and warm.
set -eu

cd "$(dirname "$0")/.."
runs=${RUNS:-3}
command -v npm >/dev/null || { echo "bench/app-node.sh: npm missing: apt-get install npm" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/ingot" ./cmd/ingot
cp -r examples/nodejs "$work/spec"
"$work/ingot" build -f "$work/spec/ingot.yaml" --arch amd64 --layout "$work/base" >/dev/null 2>&1 ||
	{ echo "bench/app-node.sh: building examples/nodejs failed" >&2; exit 1; }

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }

ingot_app() { # npm-cache-dir app-dir
	rm -rf "$work/out"
	s=$(now)
	npm_config_cache=$1 "$work/ingot" build "$2" --base "oci:$work/base" --layout "$work/out" --arch amd64 >/dev/null 2>&1
	elapsed "$s" "$(now)"
}

npm_ci() { # npm-cache-dir
	rm -rf "$work/npm" && mkdir "$work/npm"
	cp testdata/apps/node-web/package.json testdata/apps/node-web/package-lock.json "$work/npm/"
	s=$(now)
	(cd "$work/npm" && npm_config_cache=$1 npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null 2>&1)
	elapsed "$s" "$(now)"
}

best() { sort -n | head -1; }

cp -r testdata/apps/node-web "$work/app"
ic=""; iw=""; ie=""; nc=""; nw=""
for i in $(seq "$runs"); do
	ic="$ic $(ingot_app "$work/cache-i$i" "$work/app")"
	iw="$iw $(ingot_app "$work/cache-i$i" "$work/app")"
	echo "// edit $i" >>"$work/app/server.js"
	ie="$ie $(ingot_app "$work/cache-i$i" "$work/app")"
	nc="$nc $(npm_ci "$work/cache-n$i")"
	nw="$nw $(npm_ci "$work/cache-n$i")"
done
ic=$(echo "$ic" | tr ' ' '\n' | grep . | best)
iw=$(echo "$iw" | tr ' ' '\n' | grep . | best)
ie=$(echo "$ie" | tr ' ' '\n' | grep . | best)
nc=$(echo "$nc" | tr ' ' '\n' | grep . | best)
nw=$(echo "$nw" | tr ' ' '\n' | grep . | best)

printf '%-34s %8s\n' "best of $runs (seconds)" ""
printf '%-34s %8.2f\n' "ingot build node-web, cold" "$ic" "ingot build node-web, warm" "$iw" "ingot build node-web, edited" "$ie" \
	"npm ci --omit=dev alone, cold" "$nc" "npm ci --omit=dev alone, warm" "$nw"
printf '%-34s %8.2fx\n' "ratio cold (ingot / npm ci)" "$(echo "$ic / $nc" | bc -l)" \
	"ratio warm (ingot / npm ci)" "$(echo "$iw / $nw" | bc -l)" \
	"ratio edited (ingot / npm ci warm)" "$(echo "$ie / $nw" | bc -l)"
