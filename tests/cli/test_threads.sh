# --threads: the same results on any number of threads (sums to 1e-12).
d="$REF/dump-small.csv"
awk -v seed=3 -v K=5 -v n=9000 -f "$ROOT/tests/cli/tools/make-wide.awk" >"$T/w.csv"
for args in "-f csv $d" "-f csv --ohem-batch 0 --ohem-ratio 3 $d" \
            "-f json --by image $d" "-f csv --by class --labels detectron $T/w.csv" \
            "-f csv --by class $d" "$REF/dump-small-prob.csv"; do
    # shellcheck disable=SC2086
    t_run summarize --threads 1 $args
    cp "$T/out" "$T/one"
    # shellcheck disable=SC2086
    t_run summarize --threads 2 $args
    t_check "threads: 2 give the same results as 1 ($args)" \
        awk -f "$ROOT/tests/cli/tools/same-numbers.awk" "$T/one" "$T/out"
done
printf 'logit,label\n0.5,1\n0.25,0\nabc,0\n' >"$T/bad.csv"
t_run summarize --threads 2 "$T/bad.csv"
t_expect "threads: the same error" 1 "flstat: $T/bad.csv:4: logit 'abc' is not a number"
t_run summarize --threads 0 "$d"
t_expect "threads: 0 is refused" 2 "flstat: summarize: --threads: '0' is out of range (must be >= 1)
Try 'flstat summarize --help' for more information."
# The SSE2 line readers (FLSTAT_NO_AVX2) give the AVX2 ones' bytes, on one
# thread and on two, long and wide, logits and probabilities.
for args in "-f csv --threads 1 $d" "-f csv --threads 2 --by image $d" \
            "-f csv --by class --labels detectron $T/w.csv" "-f csv $REF/dump-small-prob.csv"; do
    # shellcheck disable=SC2086
    t_run summarize $args
    cp "$T/out" "$T/avx2"
    FLSTAT_NO_AVX2=1
    export FLSTAT_NO_AVX2
    # shellcheck disable=SC2086
    t_run summarize $args
    unset FLSTAT_NO_AVX2
    t_check "threads: SSE2 lines as AVX2 ones ($args)" cmp "$T/avx2" "$T/out"
done
