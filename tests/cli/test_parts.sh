# Reading in parts on several threads (FLSTAT_PART_BYTES cuts the input
# every few bytes): the same counts, selections, messages and lines as one
# thread, sums to 1e-12.
same="$ROOT/tests/cli/tools/same-numbers.awk"
awk -v seed=4 -v images=120 -f "$ROOT/tests/cli/tools/make-parts.awk" >"$T/q.csv"
gzip -c "$T/q.csv" >"$T/q.csv.gz"
cut -d, -f4,5 "$REF/dump-small.csv" >"$T/noimage.csv"

# parts_run SIZE ARGS...: run with parts of SIZE bytes
parts_run() {
    FLSTAT_PART_BYTES=$1
    export FLSTAT_PART_BYTES
    shift
    t_run "$@"
    unset FLSTAT_PART_BYTES
}

# Under valgrind, which runs threads one at a time and slowly, each case is
# cut one way, and each loop over inputs leaves its last out (a file
# without image column; class ids past 1000): gcov finds no line of src/
# that these reach and the others do not.
if [ -n "$FLSTAT_WRAP" ]; then
    cuts="3:97"
    inputs_of() { echo "$1" "$2"; }
else
    cuts="2:1 3:97"
    inputs_of() { echo "$@"; }
fi

# same_as_one NAME ARGS...: --threads 2 in parts of 1 byte and --threads 3
# in parts of 97 give one thread's output, status and messages
same_as_one() {
    what=$1
    shift
    t_run "$@" --threads 1
    cp "$T/out" "$T/one"
    cp "$T/err" "$T/one_err"
    one_status=$T_STATUS
    for run in $cuts; do
        parts_run "${run#*:}" "$@" --threads "${run%:*}"
        t_check "parts: $what (threads, bytes: $run)" awk -f "$same" "$T/one" "$T/out"
        t_check "parts: $what (threads, bytes: $run): status and messages" \
            sh -c '[ "$1" = "$2" ] && cmp -s "$3" "$4"' sh "$one_status" \
            "$T_STATUS" "$T/one_err" "$T/err"
    done
}

for f in $(inputs_of "$REF/dump-small.csv" "$T/q.csv" "$T/noimage.csv"); do
    b=$(basename "$f")
    same_as_one "summarize $b" summarize -f csv --ohem-batch 7 "$f"
    same_as_one "1:3 $b" summarize -f csv --ohem-batch 16 --ohem-ratio 3 "$f"
    same_as_one "ssd $b" summarize -f csv --ohem-batch 0 --ohem-ratio 3 "$f"
    same_as_one "sweep $b" sweep -f csv "$f"
    same_as_one "cdf $b" cdf -f csv --points 11 "$f"
    same_as_one "gradhist $b" gradhist -f csv --bins 8 "$f"
done
# Breakdowns by image: a part numbers its images from 0, the main thread
# gives them their ordinals and names as it merges; images that cross a
# cut, images of ignored rows only, a file without image column (one image)
for f in $(inputs_of "$REF/dump-small.csv" "$T/q.csv" "$T/noimage.csv"); do
    b=$(basename "$f")
    same_as_one "by image $b" summarize -f csv --by image "$f"
    same_as_one "ssd by image $b" summarize -f csv --by image --ohem-batch 0 \
        --ohem-ratio 3 "$f"
    same_as_one "1:3 by image $b" summarize -f csv --by image --ohem-batch 16 \
        --ohem-ratio 3 "$f"
    same_as_one "sweep by image $b" sweep -f csv --by image --gamma 0.5,2 "$f"
done
t_run summarize -f csv --by image "$T/q.csv" "$REF/dump-small.csv" --threads 1
cp "$T/out" "$T/one"
parts_run 64 summarize -f csv --by image "$T/q.csv" "$REF/dump-small.csv" --threads 2
t_check "parts: by image over two files" awk -f "$same" "$T/one" "$T/out"
# a file without an image column after images: one image, numbered after
# theirs
for cmd in summarize sweep; do
    t_run $cmd -f csv --by image "$T/q.csv" "$T/noimage.csv" --threads 1
    cp "$T/out" "$T/one"
    parts_run 64 $cmd -f csv --by image "$T/q.csv" "$T/noimage.csv" --threads 2
    t_check "parts: $cmd by image, then a file without image column" \
        awk -f "$same" "$T/one" "$T/out"
done

# Breakdowns by class: every thread numbers classes alike (in the order
# the threads meet them), small numbers, other numbers and names
awk -F, -v OFS=, 'NR == 1 { print; next } { $3 = "cat" ($3 % 7); print }' \
    "$REF/dump-small.csv" >"$T/named.csv"
awk -F, -v OFS=, 'NR == 1 { print; next } { $3 = 1000 + $3; print }' \
    "$REF/dump-small.csv" >"$T/big.csv"
for f in $(inputs_of "$REF/dump-small.csv" "$T/named.csv" "$T/big.csv"); do
    b=$(basename "$f")
    same_as_one "by class $b" summarize -f csv --by class "$f"
    same_as_one "ssd by class $b" summarize -f csv --by class --ohem-batch 0 \
        --ohem-ratio 3 "$f"
    same_as_one "sweep by class $b" sweep -f csv --by class --gamma 0.5,2 "$f"
done
# Two classes alike: their shares, summed by parts in another order, may
# differ in the last digit, and still rank by id; so do shares of no loss
# at all (alpha 1 without positives: NaN)
awk 'BEGIN { print "class,logit,label"; for (c = 0; c < 2; c++) for (i = 0; i < 3000; i++)
             printf "%s,%.6f,%d\n", c ? "a" : "b", sin(i) * 4, i % 17 == 0 }' >"$T/tie.csv"
awk 'BEGIN { print "class,logit,label"; for (i = 0; i < 300; i++)
             printf "c%d,%.3f,0\n", i % 13, -1 - (i % 5) }' >"$T/noloss.csv"
same_as_one "by class, tied shares" summarize -f csv --by class "$T/tie.csv"
t_check "parts: tied shares by id" sh -c '[ "$(awk -F, "NR > 1 && \$2 == \"ce\" && \$3 == \"all\" { printf \"%s \", \$1 }" "$1")" = "a b " ]' sh "$T/out"
same_as_one "sweep by class, tied shares" sweep -f csv --by class --gamma 2 --alpha 0.25 "$T/tie.csv"
same_as_one "by class, no loss" summarize -f csv --by class --alpha 1 "$T/noloss.csv"

same_as_one "gzip" summarize -f csv "$T/q.csv.gz"
T_STDIN="$T/q.csv" same_as_one "stdin" summarize -f csv -
T_STDIN=
t_run summarize -f csv "$T/q.csv" "$T/q.csv.gz" --threads 1
cp "$T/out" "$T/one"
parts_run 64 summarize -f csv "$T/q.csv" "$T/q.csv.gz" --threads 2
t_check "parts: two files" awk -f "$same" "$T/one" "$T/out"

# The usual five columns (a loop of their own reads them), every image
# begun by ignored rows, so that its first example comes later, and with
# runs of them after, which may end a part (the reader notes the image of
# a part's last example, which tells whether the next part goes on with
# it): in parts that cut the images, one thread's per-image selection.
awk 'BEGIN { srand(7); print "image_id,anchor,class,logit,label"
    for (i = 0; i < 40; i++) for (a = 0; a < 300; a++)
        printf "im%d,%d,%d,%.6f,%d\n", i, a, a % 3, 4 * rand() - 3,
            (a < 3 || a % 40 >= 34) ? -1 : (rand() < 0.05) }' >"$T/usual.csv"
t_run summarize -f csv --ohem-batch 7 "$T/usual.csv" --threads 1
cp "$T/out" "$T/one"
for size in 1000 4096; do
    parts_run $size summarize -f csv --ohem-batch 7 "$T/usual.csv" --threads 2
    t_check "parts: images begun by ignored rows ($size)" awk -f "$same" "$T/one" "$T/out"
done

# Messages: the line of a bad row, of a skipped one, of an image met again,
# counted across the cuts.
{ sed -n 1,400p "$T/q.csv"; echo "im500,abc,0,"; sed -n '401,$p' "$T/q.csv"; } >"$T/bad.csv"
line=$(grep -n '^im500,abc' "$T/bad.csv" | cut -d: -f1)
for size in 1 64; do
    parts_run $size summarize --threads 2 "$T/bad.csv"
    t_expect "parts: a bad row's line ($size)" 1 \
        "flstat: $T/bad.csv:$line: logit 'abc' is not a number"
    parts_run $size summarize --threads 2 --skip-bad -f csv "$T/bad.csv"
    t_expect "parts: the first skipped row's line ($size)" 0 \
        "flstat: $T/bad.csv:$line: skipped 1 bad row; the first: logit 'abc' is not a number"
done
{ cat "$T/q.csv"; echo "im3,0.5,1,"; } >"$T/again.csv"
line=$(wc -l <"$T/again.csv")
parts_run 64 summarize --threads 2 "$T/again.csv"
t_expect "parts: an image met again in a later part" 1 \
    "flstat: $T/again.csv:$line: image 'im3' appears again after other images (flstat needs each image's rows together: sort the dump by image)"
{ cat "$T/q.csv"; printf 'im999,1,0,"open\n'; } >"$T/open.csv"
line=$(wc -l <"$T/open.csv")
parts_run 64 summarize --threads 2 "$T/open.csv"
t_expect "parts: an unterminated quote at the end" 1 \
    "flstat: $T/open.csv:$line: unterminated quoted field at the end of the input"
{ sed -n 1,300p "$T/q.csv"; echo 'im400,1,0,a"b'; sed -n '301,$p' "$T/q.csv"; } >"$T/quote.csv"
line=$(grep -n '^im400,1,0,a"b' "$T/quote.csv" | cut -d: -f1)
parts_run 64 summarize --threads 2 "$T/quote.csv"
t_expect "parts: a stray quote in a later part" 1 \
    "flstat: $T/quote.csv:$line: malformed CSV: a quote inside an unquoted field or after a closing quote"
# A quote libcsv refuses, or one that opens a field no quote closes, in an
# endless stream: the error at its line, after bounded reading (a stretch
# with no record end in it once grew until memory ran out).  The record
# limit is 4 MiB here (FLSTAT_MAX_RECORD), a second's reading; the timeout
# only stops a hang.
endless() { # endless THREADS ROW: ROW after a good one, then rows forever
    { printf 'image,logit,label\nim0,1,0\n%s\n' "$2"; yes 'im2,0.5,0'; } |
        FLSTAT_MAX_RECORD=$((4 << 20)) timeout 600 "$FLSTAT" summarize --threads "$1" - >"$T/out" 2>"$T/err"
    T_STATUS=$?
}
for threads in 1 2; do
    endless $threads 'im1,1,a"b'
    t_expect "parts: a stray quote in an endless stream ($threads)" 1 \
        "flstat: <stdin>:3: malformed CSV: a quote inside an unquoted field or after a closing quote"
done
endless 2 'im1,1,"0'
t_expect "parts: a quote never closed in an endless stream" 1 \
    "flstat: <stdin>:3: record longer than 4 MiB (is a closing quote missing?)"
printf 'logit,label\n' >"$T/header.csv"
parts_run 1 summarize --threads 2 "$T/header.csv"
t_expect "parts: no data rows" 1 "flstat: $T/header.csv: no data rows after the header"

# A read that fails (truncated gzip data) comes after every line read
# before it: a bad row just before the cut is still the error.
for keep in 10 12 14 16 50; do
    gzip -n -c "$T/bad.csv" >"$T/whole.gz"
    head -c $(($(wc -c <"$T/whole.gz") * keep / 100)) "$T/whole.gz" >"$T/cut.gz"
    t_run summarize --threads 1 "$T/cut.gz"
    cp "$T/err" "$T/one-err"
    parts_run 4000 summarize --threads 2 "$T/cut.gz"
    t_check "parts: a failed read after a bad row ($keep%)" cmp "$T/one-err" "$T/err"
done
gzip -n -c "$T/q.csv" | head -c 3000 >"$T/cut.gz"
parts_run 300 summarize --threads 2 "$T/cut.gz"
t_expect "parts: truncated gzip data" 1 "flstat: $T/cut.gz: truncated gzip data"

# A byte-order mark is dropped before the header only, not from the first
# line of a part.
printf 'logit,label\n1,0\n\357\273\2771.5,1\n' >"$T/bom.csv"
parts_run 1 summarize --threads 2 "$T/bom.csv"
t_expect "parts: a byte-order mark in a row is data" 1 \
    "flstat: $T/bom.csv:3: logit '???1.5' is not a number"
