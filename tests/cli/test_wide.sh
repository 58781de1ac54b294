# Wide dumps (one row per anchor, K score columns) equal their long form.
tools=$ROOT/tests/cli/tools
awk -v seed=3 -v K=5 -v n=2000 -f "$tools/make-wide.awk" >"$T/w.csv"
awk -f "$tools/wide-to-long.awk" "$T/w.csv" >"$T/l.csv"
t_run summarize -f csv "$T/l.csv"
cp "$T/out" "$T/long.out"
t_run summarize -f csv "$T/w.csv"
t_expect "wide: exit 0" 0 ""
t_check "wide: equals its long form (detectron)" t_compare "$T/long.out" "$T/out"
t_run summarize -f csv --ohem-batch 0 --ohem-ratio 3 --gamma 0.5 "$T/l.csv"
cp "$T/out" "$T/long-ssd.out"
t_run summarize -f csv --ohem-batch 0 --ohem-ratio 3 --gamma 0.5 "$T/w.csv"
t_check "wide: equals its long form (ssd, gamma 0.5)" t_compare "$T/long-ssd.out" "$T/out"

awk -v seed=3 -v K=5 -v n=2000 -v mmdet=1 -f "$tools/make-wide.awk" >"$T/wm.csv"
awk -v mmdet=1 -f "$tools/wide-to-long.awk" "$T/wm.csv" >"$T/lm.csv"
t_check "wide: the mmdet long form is the same dump" cmp -s "$T/l.csv" "$T/lm.csv"
t_run summarize -f csv --labels mmdet "$T/wm.csv"
t_check "wide: equals its long form (mmdet)" t_compare "$T/long.out" "$T/out"
t_run summarize -f json --labels mmdet "$T/wm.csv"
t_check "wide: json names the convention and K" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["parameters"]["labels"] == "mmdet" and j["counts"]["wide_k"] == 5
assert j["counts"]["rows"] == 2000 and j["counts"]["classes"] == 5' "$T/out"
t_run summarize "$T/w.csv"
t_check "wide: the table prints the convention" grep -q '^wide: *5 scores per anchor; labels detectron (0 background, 1..K classes, -1 ignored)$' "$T/out"

# Probabilities, a named prefix, and the errors.
awk 'BEGIN { FS = OFS = "," } NR == 1 { gsub(/logit_/, "prob_"); print; next }
     { for (k = 4; k <= NF; k++) $k = sprintf("%.9f", 1 / (1 + exp(-$k))); print }' "$T/w.csv" >"$T/wp.csv"
t_run summarize -f csv "$T/wp.csv"
t_check "wide: probability columns are found" awk -F, '$1 == "ce" && $2 == "all" && $3 == 9810 { ok = 1 } END { exit !ok }' "$T/out"
sed '1s/logit_/s/g' "$T/w.csv" >"$T/ws.csv"
t_run summarize -f csv --wide s "$T/ws.csv"
t_check "wide: --wide names the prefix" t_compare "$T/long.out" "$T/out"
t_run summarize --wide q "$T/w.csv"
t_expect "wide: --wide without its columns" 1 "flstat: $T/w.csv:1: no columns q0, q1, ... in the header (--wide)"
sed '1s/logit_2/other/' "$T/w.csv" >"$T/gap.csv"
t_run summarize "$T/gap.csv"
t_expect "wide: a gap in the columns" 1 "flstat: $T/gap.csv:1: wide columns logit_0..logit_4 lack logit_2"
printf 'image_id,label,logit_0,logit_1\n0,3,1,2\n' >"$T/badlabel.csv"
t_run summarize "$T/badlabel.csv"
t_expect "wide: a label beyond K (detectron)" 1 "flstat: $T/badlabel.csv:2: label '3' is not a class of --labels detectron (-1 ignored, 0 background, 1..2)"
t_run summarize --labels mmdet "$T/badlabel.csv"
t_expect "wide: a label beyond K (mmdet)" 1 "flstat: $T/badlabel.csv:2: label '3' is not a class of --labels mmdet (-1 ignored, 0..1, 2 background)"
t_run summarize --labels yolo "$T/w.csv"
t_expect "wide: unknown convention" 2 "flstat: summarize: --labels: 'yolo' is not detectron or mmdet
Try 'flstat summarize --help' for more information."
t_run summarize --wide logit_ --logit x "$T/w.csv"
t_expect "wide: --wide with --logit" 2 "flstat: summarize: --wide and --wide-prob exclude --logit, --prob and --class
Try 'flstat summarize --help' for more information."

# Every command that reads dumps reads wide ones, with the same results (to
# 1e-12: the long form may be read in parts, summed in another order).
for cmd in sweep cdf gradhist; do
    t_run $cmd -f csv "$T/l.csv"
    cp "$T/out" "$T/$cmd-long.csv"
    t_run $cmd -f csv "$T/w.csv"
    t_expect "wide: $cmd exit 0" 0 ""
    t_check "wide: $cmd equals its long form" \
        awk -f "$ROOT/tests/cli/tools/same-numbers.awk" "$T/$cmd-long.csv" "$T/out"
done
