# flstat simulate: reproducible bytes, counts inside binomial intervals, the
# paper's initialization read back through summarize, files and errors.

# ---- the same seed gives the same bytes; another seed other bytes
t_run simulate --images 3 --anchors 2000 --classes 2 --seed 17
t_expect "simulate: exit 0, silent with --seed" 0 ""
cp "$T/out" "$T/a.csv"
t_run simulate --images 3 --anchors 2000 --classes 2 --seed 17
t_check "simulate: same seed, same bytes" cmp "$T/a.csv" "$T/out"
t_run simulate --images 3 --anchors 2000 --classes 2 --seed 18
t_check "simulate: other seed, other bytes" sh -c '! cmp -s "$1" "$2"' sh \
    "$T/a.csv" "$T/out"
# the logits differ too, not only the labels
t_check "simulate: other seed, other logits" sh -c '
    paste -d, "$1" "$2" | awk -F, "NR > 1 && \$4 != \$9 { d++ } END { exit !(d > 0.99 * (NR - 1)) }"' \
    sh "$T/a.csv" "$T/out"

# the layout: the header, then image by image, anchor by anchor, class by class
t_check "simulate: header and layout" awk -F, '
    NR == 1 { ok = $0 == "image_id,anchor,class,logit,label"; next }
    { i = NR - 2
      if ($1 != int(i / 4000) || $2 != int(i % 4000 / 2) || $3 != i % 2) ok = 0
      if ($4 !~ /^-?[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9]$/) ok = 0
      if ($5 != 1 && $5 != 0 && $5 != -1) ok = 0 }
    END { exit !(ok && NR == 12001) }' "$T/a.csv"

# ---- -o: a file, the same bytes; .gz: compressed, the same bytes inside
t_run simulate --images 3 --anchors 2000 --classes 2 --seed 17 -o "$T/b.csv"
t_expect "simulate -o: exit 0, nothing on stdout" 0 ""
t_check "simulate -o: stdout empty" test ! -s "$T/out"
t_check "simulate -o: same bytes as stdout" cmp "$T/a.csv" "$T/b.csv"
t_run simulate --images 3 --anchors 2000 --classes 2 --seed 17 --output "$T/b.csv.gz"
t_expect "simulate -o .gz: exit 0" 0 ""
t_check "simulate -o .gz: gzip data" sh -c 'gzip -t "$1" && gzip -dc "$1" | cmp - "$2"' \
    sh "$T/b.csv.gz" "$T/a.csv"
t_check "simulate -o: no temporary file left" sh -c \
    'test "$(ls -A "$1" | grep -c "^\.b\.csv")" = 0' sh "$T"

# ---- without --seed, the seed is printed, and repeats the run
t_run simulate --anchors 500
t_check "simulate: a drawn seed is printed" grep -Eq \
    '^flstat: seed [0-9]+; --seed [0-9]+ repeats this run$' "$T/err"
seed=$(sed -n 's/^flstat: seed \([0-9]*\);.*/\1/p' "$T/err")
cp "$T/out" "$T/drawn.csv"
t_run simulate --anchors 500 --seed "$seed"
t_check "simulate: the printed seed repeats the run" cmp "$T/drawn.csv" "$T/out"

# ---- fractions inside binomial 99.9% intervals (z = 3.2905), counted here
t_run simulate --images 4 --anchors 100000 --seed 5
t_check "simulate: default fractions, binomial" awk -F, '
    NR > 1 { n++; c[$5]++ }
    function ok(k, p) { return (k - n * p) ^ 2 <= 3.2905 ^ 2 * n * p * (1 - p) }
    END { exit !(n == 400000 && ok(c[1], 0.001) && ok(c[-1], 0.001)) }' "$T/out"
t_run simulate --images 2 --anchors 50000 --classes 3 --pos-frac 0.02 \
    --ign-frac 0.3 --seed 6
t_check "simulate: other fractions, binomial" awk -F, '
    NR > 1 { n++; c[$5]++ }
    function ok(k, p) { return (k - n * p) ^ 2 <= 3.2905 ^ 2 * n * p * (1 - p) }
    END { exit !(n == 300000 && ok(c[1], 0.02) && ok(c[-1], 0.3)) }' "$T/out"
# images differ: not every image has the same number of positives
t_check "simulate: per-image counts are drawn" awk -F, '
    NR > 1 && $5 == 1 { c[$1]++ } END { exit !(c[0] != c[1]) }' "$T/out"

# ---- summarize reads it, also through a pipe
t_run simulate --images 3 --anchors 1000 --classes 4 --seed 8 -o "$T/c.csv.gz"
t_run summarize -f json "$T/c.csv.gz"
t_expect "simulate | summarize: gzip file read" 0 ""
t_check "simulate | summarize: counts" sh -c '
    grep -q "\"rows\": 12000," "$1" && grep -q "\"images\": 3," "$1" &&
    grep -q "\"classes\": 4," "$1"' sh "$T/out"
"$FLSTAT" simulate --seed 8 --anchors 3000 2>"$T/err1" |
    "$FLSTAT" summarize -f csv - >"$T/piped" 2>"$T/err2"
t_check "simulate | summarize -: a pipe" sh -c '
    test ! -s "$1" && test ! -s "$2" && grep -q "^ce,all," "$3"' \
    sh "$T/err1" "$T/err2" "$T/piped"

# ---- init: the paper's prior.  Every logit is near b = -log(99), so every
# negative is easy (p_t ~ 0.99) and every positive hard; a negative's CE is
# log(100/99) + sd^2/2 p(1 - p) and a positive's log(100) + the same, so
# the 999 negatives per positive still carry about 69% of the CE and 91% of
# its gradient (|dCE/dx| = p = 0.01 against 0.99).  Without the prior (every
# logit near 0) they carry 99.9% of both: the instability the prior removes.
t_run simulate --preset init --images 5 --seed 21 -o "$T/init.csv"
t_run_whole summarize -f csv "$T/init.csv"
t_expect "simulate init: summarize" 0 ""
t_check "simulate init: CE dominated by negatives, as derived" awk -F, '
    $1 == "ce" { n[$2] = $3; loss[$2] = $5; grad[$2] = $7 }
    END {
        b = -log(99); p = 1 / (1 + exp(-b)); c = 0.1 ^ 2 / 2 * p * (1 - p)
        ln = n["easy_neg"] * (log(1 + exp(b)) + c)
        lp = n["hard_pos"] * (log(1 + exp(-b)) + c)
        gn = n["easy_neg"] * p; gp = n["hard_pos"] * (1 - p)
        want = ln / (ln + lp); gwant = gn / (gn + gp)
        exit !(n["hard_neg"] == 0 && n["easy_pos"] == 0 && n["hard_pos"] > 300 &&
               (loss["easy_neg"] - want) ^ 2 < (2e-3 * want) ^ 2 &&
               (grad["easy_neg"] - gwant) ^ 2 < (2e-3 * gwant) ^ 2 &&
               want > 0.6 && want < 0.8)
    }' "$T/out"
t_run simulate --preset init --neg-mean 0 --pos-mean 0 --ign-mean 0 \
    --images 5 --seed 21 -o "$T/noprior.csv"
t_run_whole summarize -f csv "$T/noprior.csv"
t_check "simulate init without the prior: negatives carry 99.9%" awk -F, '
    $1 == "ce" { n[$2] = $3; loss[$2] = $5 }
    END {
        neg = n["easy_neg"] + n["hard_neg"]; pos = n["easy_pos"] + n["hard_pos"]
        share = loss["easy_neg"] + loss["hard_neg"]; want = neg / (neg + pos)
        exit !((share - want) ^ 2 < (1e-3 * want) ^ 2 && share > 0.998)
    }' "$T/out"

# ---- every preset runs and is summarized; converged: most negatives easy
for p in init midway converged; do
    t_run simulate --preset $p --anchors 20000 --seed 4 -o "$T/$p.csv"
    t_expect "simulate --preset $p" 0 ""
done
t_run summarize -f csv "$T/converged.csv"
t_check "simulate converged: easy negatives are ~99% of negatives" awk -F, '
    $1 == "ce" { n[$2] = $3 }
    END { e = n["easy_neg"]; h = n["hard_neg"]; exit !(e / (e + h) > 0.98) }' "$T/out"

# ---- help
t_run simulate --help
cp "$T/out" "$T/help1"
t_expect "simulate --help" 0 ""
t_run help simulate
t_check "simulate: help simulate = simulate --help" cmp "$T/help1" "$T/out"
t_check "simulate: help lists the presets" grep -q "converged" "$T/out"

# ---- usage errors: exact messages, status 2, nothing written
hint="Try 'flstat simulate --help' for more information."
t_bad() {
    want=$1
    shift
    t_run simulate "$@"
    t_expect "simulate usage: $*" 2 "flstat: simulate: $want
$hint"
}
t_bad "--images: '-1' is not a whole number >= 0" --images -1
t_bad "--images: '0' is out of range (must be >= 1)" --images 0
t_bad "--anchors: '-5' is not a whole number >= 0" --anchors -5
t_bad "--classes: '0' is out of range (must be >= 1)" --classes 0
t_bad "--pos-frac: '1.5' is out of range (must be in [0, 1])" --pos-frac 1.5
t_bad "--ign-frac: '-0.1' is out of range (must be in [0, 1])" --ign-frac -0.1
t_bad "--pos-frac and --ign-frac: 0.6 + 0.5 is more than 1" \
    --pos-frac 0.6 --ign-frac 0.5
t_bad "--hard-frac: '1.01' is out of range (must be in [0, 1])" --hard-frac 1.01
t_bad "--spread: '-1' is out of range (must be >= 0)" --spread -1
t_bad "--spread: 30 is too large for these fractions (must be < 22.3383)" \
    --spread 30
t_bad "--spread needs --pos-frac + --ign-frac strictly between 0 and 1" \
    --pos-frac 0 --ign-frac 0 --spread 0.5
t_bad "--pos-sd: '-1' is out of range (must be in [0, 100])" --pos-sd -1
t_bad "--neg-mean: '2000' is out of range (must be in [-1000, 1000])" \
    --neg-mean 2000
t_bad "--hard-mean: 'nan' is not a finite number" --hard-mean nan
t_bad "--seed: '0' is out of range (must be >= 1)" --seed 0
t_bad "--seed: '4294967296' is too large (at most 4294967295)" --seed 4294967296
t_bad "--preset: 'final' is not one of init, midway, converged" --preset final
t_bad "--anchors x --classes: more than 4294967295 examples in an image" \
    --anchors 65536 --classes 65536
t_bad "unexpected argument 'out.csv' (the output file goes after -o)" out.csv
t_bad "unknown option '--bogus'" --bogus 3
t_bad "option '-o' needs a value" --seed 3 -o
t_check "simulate usage: nothing on stdout" test ! -s "$T/out"

# ---- I/O errors: status 1, nothing left behind
t_run simulate --seed 1 -o "$T/no/such/dir/x.csv"
t_expect "simulate: missing directory" 1 \
    "flstat: $T/no/such/dir/x.csv: cannot create: No such file or directory"
t_run simulate --seed 1 -o "$T"
t_expect "simulate: -o a directory" 1 "flstat: $T: cannot create: Is a directory"
if [ -w /dev/full ]; then
    "$FLSTAT" simulate --seed 1 --anchors 1000 >/dev/full 2>"$T/err"
    T_STATUS=$?
    t_expect "simulate: full disk on stdout" 1 \
        "flstat: write error: No space left on device"
fi
# a run that fails part-way (a file size limit) leaves the old file whole
# and no temporary file
echo precious >"$T/keep.csv"
mkdir "$T/lim"
cp "$T/keep.csv" "$T/lim/keep.csv"
sh -c 'trap "" XFSZ; ulimit -f 64; exec "$@"' sh \
    "$FLSTAT" simulate --seed 1 -o "$T/lim/keep.csv" >"$T/out" 2>"$T/err"
T_STATUS=$?
t_expect "simulate: a write that fails part-way" 1 \
    "flstat: $T/lim/keep.csv: write error: File too large"
t_check "simulate: the old file is whole" cmp "$T/keep.csv" "$T/lim/keep.csv"
t_check "simulate: no temporary file left" test "$(ls -A "$T/lim")" = keep.csv

# Killed while writing (SIGTERM, SIGHUP): no temporary file is left behind,
# and the status is the signal's.  The signals are reset for the child (a
# CI run under nohup ignores SIGHUP, and flstat keeps an ignored signal
# ignored), and a child still alive after 10 s is killed: no test hangs.
if env --default-signal=TERM true 2>/dev/null; then
    for sig in TERM:15 HUP:1; do
        num=${sig#*:}
        sig=${sig%:*}
        mkdir "$T/sig$sig"
        env --default-signal=TERM,HUP "$FLSTAT" simulate --images 100000 \
            --seed 1 -o "$T/sig$sig/big.csv" 2>/dev/null &
        pid=$!
        sleep 0.5
        kill -$sig $pid
        n=0
        while kill -0 $pid 2>/dev/null && [ $n -lt 100 ]; do
            sleep 0.1
            n=$((n + 1))
        done
        kill -KILL $pid 2>/dev/null
        wait $pid
        T_STATUS=$?
        t_check "simulate: SIG$sig kills it as the signal would" \
            test "$T_STATUS" = $((128 + num))
        t_check "simulate: SIG$sig leaves no temporary file" \
            test -z "$(ls -A "$T/sig$sig")"
    done
fi
