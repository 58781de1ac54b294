#!/bin/sh
# rowcost.sh: instructions a row of `flstat summarize --threads 1`, counted
# by callgrind (the same count on a busy machine as on an idle one).
#
# usage: scripts/rowcost.sh [FLSTAT...]   (default: ./flstat)
#
# Three simulated dumps of 1.1 million rows: the usual five columns with
# short image ids, the same with 12-digit ids (COCO's), and probabilities
# in place of logits.  Prints one line per binary and dump.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || set -- "$root/flstat"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sim=$1
"$sim" simulate --images 11 --anchors 100000 --preset midway --seed 1 \
    -o "$work/usual.csv"
awk -F, -v OFS=, 'NR > 1 { $1 = sprintf("%012d", 397133 + $1) } 1' \
    "$work/usual.csv" >"$work/ids12.csv"
awk -F, -v OFS=, 'NR == 1 { $4 = "prob" } NR > 1 { $4 = sprintf("%.6f", 1 / (1 + exp(-$4))) } 1' \
    "$work/usual.csv" >"$work/prob.csv"
rows=$(($(wc -l <"$work/usual.csv") - 1))
for bin in "$@"; do
    for d in usual ids12 prob; do
        valgrind --tool=callgrind --callgrind-out-file="$work/cg" \
            "$bin" summarize --threads 1 "$work/$d.csv" >/dev/null 2>"$work/log"
        ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/log")
        echo "$bin $d: $ir instructions, $(echo "$ir $rows" | awk '{ printf "%.1f", $1 / $2 }') a row"
    done
done
