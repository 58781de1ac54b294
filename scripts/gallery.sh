#!/bin/sh
# gallery.sh: the README's figures, from the sample dump, by the commands the
# README shows beside them.  usage: scripts/gallery.sh FLSTAT [DUMP]
# Writes doc/gallery/{sweep,curves,cdf,gradhist}.png; the data files and
# gnuplot scripts are made in a temporary directory and thrown away.
set -eu

flstat=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.."
dump=${2:-data/sample.csv.gz}
out=doc/gallery
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

"$flstat" sweep -q --plot "$tmp/sweep" --render png "$dump" >/dev/null
"$flstat" curves --plot "$tmp/curves" --render png >/dev/null
"$flstat" cdf -q --plot "$tmp/cdf" --render png "$dump" >/dev/null
"$flstat" gradhist -q --plot "$tmp/gradhist" --render png "$dump" >/dev/null
for f in sweep curves cdf gradhist; do
    cp "$tmp/$f.png" "$out/$f.png.new"
    mv "$out/$f.png.new" "$out/$f.png"
done
echo "gallery: $out/sweep.png curves.png cdf.png gradhist.png from $dump" >&2
