#!/usr/bin/env bash
# bench.sh: time flstat on a synthetic dump.  usage: scripts/bench.sh FLSTAT
# The dump (BENCH_ROWS rows, default 2000000) is made once under bench/,
# which git ignores.  Speed is measured here, never asserted by a test.
set -euo pipefail

flstat=${1:?usage: scripts/bench.sh FLSTAT}
cd "$(dirname "$0")/.."
rows=${BENCH_ROWS:-2000000}
data=bench/dump-$rows.csv
mkdir -p bench

# A dump shaped like a detector's: about 1% positives, 1% ignored, most
# negatives easy; 2000 anchors x 1 class per image.
make_dump() {
    [ -s "$data" ] && return
    echo "bench: writing $data ($rows rows)" >&2
    awk -v n="$rows" 'BEGIN {
        srand(1)
        print "image_id,anchor,class,logit,label"
        for (i = 0; i < n; i++) {
            u = rand()
            y = u < 0.01 ? 1 : (u < 0.02 ? -1 : 0)
            x = y == 1 ? 6 * rand() - 2 : -8 * rand() * rand() - 1 + 4 * (rand() < 0.01)
            printf "%d,%d,%d,%.6f,%d\n", int(i / 2000), i % 2000, int(80 * rand()), x, y
        }
    }' >"$data.tmp"
    mv "$data.tmp" "$data"
}

# Seconds (wall clock) of one run of flstat with the given arguments, the
# best of three.
seconds() {
    local best="" t
    for _ in 1 2 3; do
        local start end
        start=$(date +%s.%N)
        "$flstat" "$@" >/dev/null
        end=$(date +%s.%N)
        t=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
        if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then
            best=$t
        fi
    done
    printf '%.3f' "$best"
}

bench_summarize() {
    SUMMARIZE_SECONDS=$(seconds summarize -q "$data")
    printf '%-34s %8s s\n' "summarize" "$SUMMARIZE_SECONDS"
}

# ---- sweep, cdf and gradhist (issue 3) ----
# The issue's budget: sweep over the default 7 x 7 grid costs at most twice
# summarize on the same dump.  cdf keeps 8 bytes per example.
bench_figures() {
    local sweep cdf gradhist
    sweep=$(seconds sweep -q "$data")
    printf '%-34s %8s s  (%.2f x summarize; budget 2)\n' "sweep, 7 x 7 grid" "$sweep" \
        "$(awk -v a="$sweep" -v b="$SUMMARIZE_SECONDS" 'BEGIN { print a / b }')"
    printf '%-34s %8s s\n' "sweep, 7 gammas x 1000 alphas" \
        "$(seconds sweep -q --alpha 0.001:1:0.001 "$data")"
    printf '%-34s %8s s\n' "sweep, 21 gammas x 7 alphas" \
        "$(seconds sweep -q --gamma 0:5:0.25 "$data")"
    cdf=$(seconds cdf -q "$data")
    printf '%-34s %8s s  (4 gammas; 8 bytes per example)\n' "cdf" "$cdf"
    printf '%-34s %8s s\n' "gradhist, 30 bins" "$(seconds gradhist -q "$data")"
}

make_dump
bench_summarize
bench_figures
