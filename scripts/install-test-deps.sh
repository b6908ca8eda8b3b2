#!/usr/bin/env bash
# Installs every Debian package ingot's tests need. Safe to rerun.
# Run as root on Debian bookworm (CI does this from .ci/run).
set -euo pipefail
pkgs=(runc docker-registry mmdebstrap dpkg-dev xz-utils zstd bzip2 debian-archive-keyring
      postgresql iproute2 gnupg ca-certificates curl time pax-utils)
missing=()
# Application builds run npm on the host; a machine without it gets Debian's.
command -v npm >/dev/null 2>&1 || missing+=(npm)
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The vulnerability matcher's tests compare with osv-scanner (offline mode).
if ! command -v osv-scanner >/dev/null 2>&1; then
  GOBIN=/usr/local/bin go install github.com/google/osv-scanner/cmd/osv-scanner@v1.9.2
fi
# The distribution's registry package enables a system service; tests start their own.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now docker-registry >/dev/null 2>&1 || true; fi
pkill -x docker-registry >/dev/null 2>&1 || true
echo "test dependencies installed: ${pkgs[*]}"
