# Every summarize file in the reference, reproduced by the CLI.
d="$REF/dump-small.csv"

t_run summarize --format csv "$d"
t_expect "reference: exit 0, silent" 0 ""
t_check "reference: default" t_compare "$REF/summarize-default.csv" "$T/out"

t_run summarize --format csv "$REF/dump-small-prob.csv"
t_expect "reference: prob input" 0 ""
t_check "reference: prob default" t_compare "$REF/summarize-prob-default.csv" "$T/out"

t_run summarize --format csv --ohem-batch 0 --ohem-ratio 3 "$d"
t_check "reference: ssd 3" t_compare "$REF/summarize-ssd3.csv" "$T/out"

t_run summarize --format csv --alpha 0.5 --gamma 0.5 --easy 0.9 \
    --star-gamma 4 --star-beta 0 --ohem-batch 16 --ohem-ratio 3 "$d"
t_check "reference: every option" t_compare \
    "$REF/summarize-alpha0.5-gamma0.5-easy0.9-star4-beta0-ohem16-ratio3.csv" "$T/out"

# The comparison itself can fail: gamma 1 must not match gamma 2.
t_run summarize --format csv --gamma 1 "$d"
t_check "reference: a wrong gamma is caught" sh -c '! awk -F, -f "$1" "$2" "$3"' \
    sh "$ROOT/tests/cli/compare.awk" "$REF/summarize-default.csv" "$T/out"

# Standard input, gzip, tsv: the same numbers.
T_STDIN=$d t_run summarize -f csv -
t_check "reference: stdin" t_compare "$REF/summarize-default.csv" "$T/out"
gzip -c "$d" >"$T/d.csv.gz"
t_run summarize -f csv "$T/d.csv.gz"
t_check "reference: gzip" t_compare "$REF/summarize-default.csv" "$T/out"
T_STDIN=$T/d.csv.gz t_run summarize -f csv
t_check "reference: gzip on stdin" t_compare "$REF/summarize-default.csv" "$T/out"
# a pipe, not a file, on standard input: it cannot be peeked at for gzip's
# magic, and is grown to 1 MiB where the system allows
for threads in 1 2; do
    T_PIPE=$d t_run summarize -f csv --threads $threads -
    t_check "reference: a pipe, $threads threads" t_compare "$REF/summarize-default.csv" "$T/out"
    T_PIPE=$T/d.csv.gz t_run summarize -f csv --threads $threads
    t_check "reference: gzip through a pipe, $threads threads" t_compare "$REF/summarize-default.csv" "$T/out"
done
t_run summarize -f tsv "$d"
tr '\t' , <"$T/out" >"$T/tsv.csv"
t_check "reference: tsv" t_compare "$REF/summarize-default.csv" "$T/tsv.csv"
tr , '\t' <"$d" >"$T/d.tsv"
t_run summarize -f csv --delim tab "$T/d.tsv"
t_check "reference: tab-delimited input" t_compare "$REF/summarize-default.csv" "$T/out"

# Two files: counts add up, and ce sums double.
t_run summarize -f csv "$d" "$d"
t_check "two files: ce,all doubles" awk -F, '
    NR == FNR { if ($1 == "ce" && $2 == "all") { c = $3; s = $4 }; next }
    $1 == "ce" && $2 == "all" { ok = ($3 == 2 * c) && (($4 - 2 * s) ^ 2 < (1e-12 * s) ^ 2) }
    END { exit !ok }' "$REF/summarize-default.csv" "$T/out"
