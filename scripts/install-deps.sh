#!/bin/sh
# Install the Debian packages flstat needs to build, test and draw figures,
# but only those that are missing, through sudo when not root.
set -eu

pkgs="build-essential pkg-config libgsl-dev libcsv-dev zlib1g-dev check gnuplot-nox"
[ "${FLSTAT_FUZZ_DEPS:-0}" = 1 ] && pkgs="$pkgs clang libclang-rt-dev"
[ "${FLSTAT_VALGRIND_DEPS:-0}" = 1 ] && pkgs="$pkgs valgrind"
[ "${FLSTAT_BENCH_DEPS:-0}" = 1 ] && pkgs="$pkgs time python3-pandas python3-torch python3-torchvision"

missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: missing packages:$missing (no apt-get here: install them by hand)" >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
    sudo=sudo
fi
echo "install-deps: installing$missing" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
