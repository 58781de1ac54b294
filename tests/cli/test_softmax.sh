# --softmax: softmax focal loss over K classes and a background logit.
tools=$ROOT/tests/cli/tools
awk -v seed=5 -v K=4 -v n=1500 -f "$tools/make-wide.awk" |
    awk 'BEGIN { FS = OFS = ","; srand(9) } NR == 1 { print $0, "logit_bg"; next }
         { print $0, sprintf("%.6f", 4 * rand() - 1) }' >"$T/s.csv"
for g in 2 0.5 0; do
    t_run summarize --labels detectron -f csv --softmax --gamma $g "$T/s.csv"
    t_expect "softmax gamma $g: exit 0" 0 ""
    t_check "softmax gamma $g: equals the definition" python3 "$tools/softmax-sums.py" "$T/s.csv" "$T/out" 0.25 $g
done

# One class and a background logit of 0: the sigmoid focal loss.
awk -v seed=6 -v K=1 -v n=3000 -f "$tools/make-wide.awk" >"$T/w1.csv"
awk 'BEGIN { FS = OFS = "," } NR == 1 { print $0, "logit_bg"; next } { print $0, 0 }' "$T/w1.csv" >"$T/s1.csv"
t_run summarize --labels detectron -f csv "$T/w1.csv"
grep -v '^focal_star,' "$T/out" >"$T/sigmoid.csv"
t_run summarize --labels detectron -f csv --softmax "$T/s1.csv"
t_check "softmax K=1: the sigmoid case" t_compare "$T/sigmoid.csv" "$T/out"
t_run summarize --labels detectron -f csv --softmax --by class "$T/s.csv"
t_check "softmax: background anchors break down as 'background'" grep -q '^background,focal,all,' "$T/out"
t_run summarize --labels detectron --softmax "$T/s.csv"
t_check "softmax: the table says so" grep -q '^softmax: over 4 classes and the background, one example per anchor (no FL\*)$' "$T/out"

t_run summarize --labels detectron --softmax "$T/w1.csv"
t_expect "softmax: no background column" 1 "flstat: $T/w1.csv:1: --softmax needs a background logit column (logit_bg, background or bg; or --background)"
t_run summarize --labels detectron --softmax "$REF/dump-small.csv"
t_expect "softmax: a long dump" 1 "flstat: $REF/dump-small.csv:1: --softmax needs a wide dump (K logit columns and a background logit)"
t_run summarize --labels detectron --background bg "$T/s.csv"
t_expect "background without softmax" 2 "flstat: summarize: --background goes with --softmax
Try 'flstat summarize --help' for more information."
sed '1s/logit_bg/other/' "$T/s.csv" >"$T/s2.csv"
t_run summarize --labels detectron -f csv --softmax --background other "$T/s2.csv"
t_check "softmax: --background names the column" python3 "$tools/softmax-sums.py" "$T/s.csv" "$T/out" 0.25 2

# sweep reads softmax anchors too: its (2, 0.25) cell is summarize's focal row.
t_run summarize --labels detectron -f csv --softmax "$T/s.csv"
cp "$T/out" "$T/sum.csv"
t_run sweep --labels detectron -f csv --softmax --gamma 2 --alpha 0.25 "$T/s.csv"
t_check "softmax: sweep equals summarize" awk -F, '
    NR == FNR { if ($1 == "focal" && $2 == "all") want = $4; next }
    FNR == 2 { d = $3 - want; ok = d * d <= (1e-12 * want) ^ 2 }
    END { exit !ok }' "$T/sum.csv" "$T/out"
