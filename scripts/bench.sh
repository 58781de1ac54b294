#!/usr/bin/env bash
# bench.sh: throughput of flstat's commands on this machine, one core.
# usage: scripts/bench.sh FLSTAT        (or: make bench)
# Large files go under $BENCH_DIR (default bench/, git-ignored) and stay.
# Each command's measurements are one function below; run them all, or name
# some: scripts/bench.sh FLSTAT simulate.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
    echo "usage: scripts/bench.sh FLSTAT [PART]..." >&2
    exit 2
fi
FLSTAT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-bench}
mkdir -p "$BENCH_DIR"

# ---- simulate (issue 4): helpers and measurements, self-contained --------

# sim_line NAME ROWS BYTES SECONDS [MAXRSS_KB]
sim_line() {
    awk -v name="$1" -v rows="$2" -v bytes="$3" -v s="$4" -v rss="${5:-}" 'BEGIN {
        printf "%-34s %11d rows %7.2f s %7.2f Mrows/s %8.1f MB/s", name, rows, s,
               rows / s / 1e6, bytes / s / 1e6
        if (rss != "") printf "  max RSS %.1f MB", rss / 1024
        printf "\n" }'
}

# sim_timed OUTFILE COMMAND...: run COMMAND, print "seconds maxrss_kb"
# (maxrss empty without GNU time).
sim_timed() {
    local out=$1 t0 t1 rss=""
    shift
    t0=$(date +%s.%N)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f %M -o "$BENCH_DIR/.rss" "$@" >"$out"
        rss=$(tail -n 1 "$BENCH_DIR/.rss")
    else
        "$@" >"$out"
    fi
    t1=$(date +%s.%N)
    echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $rss"
}

# Rows a second to a plain file, a gzip file and a pipe.  The issue asks for
# at least 3 million rows a second to a file on one core.
bench_simulate() {
    local images=${BENCH_SIMULATE_IMAGES:-200} # x 100000 anchors
    local rows=$((images * 100000)) r
    echo "simulate: $images images x 100000 anchors, preset converged"
    r=$(sim_timed /dev/null "$FLSTAT" simulate --images "$images" --seed 1 \
        -o "$BENCH_DIR/simulate.csv")
    sim_line "simulate -o $BENCH_DIR/simulate.csv" "$rows" \
        "$(stat -c %s "$BENCH_DIR/simulate.csv")" $r
    r=$(sim_timed /dev/null "$FLSTAT" simulate --images "$images" --seed 1 \
        -o "$BENCH_DIR/simulate.csv.gz")
    sim_line "simulate -o $BENCH_DIR/simulate.csv.gz" "$rows" \
        "$(stat -c %s "$BENCH_DIR/simulate.csv")" $r
    echo "  (MB/s of uncompressed text; the .gz file is" \
        "$(stat -c %s "$BENCH_DIR/simulate.csv.gz") bytes)"
    r=$(sim_timed /dev/null "$FLSTAT" simulate --images "$images" --seed 1)
    sim_line "simulate > /dev/null" "$rows" \
        "$(stat -c %s "$BENCH_DIR/simulate.csv")" $r
    # memory must not grow with the output: about a tenth of the rows, the
    # same RSS (the text's size scales with the images, to within a byte a row)
    local small=$((images / 10 + 1))
    r=$(sim_timed /dev/null "$FLSTAT" simulate --images "$small" --seed 1)
    sim_line "simulate > /dev/null ($small images)" $((small * 100000)) \
        $(($(stat -c %s "$BENCH_DIR/simulate.csv") / images * small)) $r
}

# ---- end of simulate --------------------------------------------------------

parts=("$@")
if [ ${#parts[@]} -eq 0 ]; then
    parts=(simulate)
fi
for p in "${parts[@]}"; do
    "bench_$p"
done
