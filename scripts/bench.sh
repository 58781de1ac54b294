#!/usr/bin/env bash
# bench.sh: throughput and peak memory of flstat on a large dump.
# usage: scripts/bench.sh [FLSTAT]   (default ./flstat; `make bench` builds it)
# Environment: BENCH_MB (size of the dump, default 2000), BENCH_RUNS (runs per
# measurement, median reported, default 3), BENCH_DIR (default bench/, kept
# between runs: the dump is made once).
set -euo pipefail
cd "$(dirname "$0")/.."
FLSTAT=${1:-./flstat}
BENCH_MB=${BENCH_MB:-2000}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_DIR=${BENCH_DIR:-bench}
mkdir -p "$BENCH_DIR"
FLSTAT_BENCH_DEPS=1 scripts/install-deps.sh
DUMP=$BENCH_DIR/dump-${BENCH_MB}MB.csv

# A long-format dump of about BENCH_MB megabytes, 100,000 anchors an image,
# logits with six decimals (about 23 bytes a row).
make_dump() {
    [ -s "$DUMP" ] && return
    echo "making $DUMP ..." >&2
    local rows=$((BENCH_MB * 1000000 / 23))
    if "$FLSTAT" help simulate >/dev/null 2>&1; then
        "$FLSTAT" simulate --seed 1 --images $((rows / 100000 + 1)) --anchors 100000 \
            --preset converged -o "$DUMP.tmp"
    else
        awk -v n="$rows" 'BEGIN {
            srand(1); print "image_id,anchor,class,logit,label"
            for (i = 0; i < n; i++) {
                r = rand(); y = r < 0.001 ? 1 : (r < 0.002 ? -1 : 0)
                x = y == 1 ? 1 + 2 * rand() : -4.6 + 6 * (rand() - 0.5)
                printf "%d,%d,%d,%.6f,%d\n", int(i / 100000), i % 100000, i % 80, x, y
            }
        }' >"$DUMP.tmp"
    fi
    mv "$DUMP.tmp" "$DUMP"
}

# measure NAME COMMAND...: the median wall time of BENCH_RUNS runs, the
# largest peak resident set, then MB/s and rows/s over the dump.
measure() {
    local name=$1
    shift
    local times=() rss=0
    for _ in $(seq "$BENCH_RUNS"); do
        /usr/bin/time -f "%e %M" -o "$BENCH_DIR/time" "$@" >/dev/null
        read -r t m <"$BENCH_DIR/time"
        times+=("$t")
        [ "$m" -gt "$rss" ] && rss=$m
    done
    local med
    med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    awk -v name="$name" -v t="$med" -v bytes="$BYTES" -v rows="$ROWS" -v rss="$rss" 'BEGIN {
        printf "%-28s %8.2f s %9.1f MB/s %12.0f rows/s %9.1f MB peak\n",
               name, t, bytes / t / 1e6, rows / t, rss / 1024 }'
}

bench_summarize() {
    measure "cat > /dev/null" cat "$DUMP"
    measure "summarize" "$FLSTAT" summarize -q "$DUMP"
    measure "summarize --format csv" "$FLSTAT" summarize -q --format csv "$DUMP"
    measure "summarize (ssd 3:1)" "$FLSTAT" summarize -q --ohem-batch 0 --ohem-ratio 3 "$DUMP"
}

make_dump
BYTES=$(stat -c %s "$DUMP")
ROWS=$(($(wc -l <"$DUMP") - 1))
echo "dump: $DUMP, $BYTES bytes, $ROWS rows; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "median of $BENCH_RUNS runs each"
bench_summarize
