# Wide dumps (one row per anchor, K score columns) equal their long form.
tools=$ROOT/tests/cli/tools
awk -v seed=3 -v K=5 -v n=2000 -f "$tools/make-wide.awk" >"$T/w.csv"
awk -f "$tools/wide-to-long.awk" "$T/w.csv" >"$T/l.csv"
t_run summarize -f csv "$T/l.csv"
cp "$T/out" "$T/long.out"
t_run summarize -f csv --labels detectron "$T/w.csv"
t_expect "wide: exit 0" 0 ""
t_check "wide: equals its long form (detectron)" t_compare "$T/long.out" "$T/out"
t_run summarize -f csv --ohem-batch 0 --ohem-ratio 3 --gamma 0.5 "$T/l.csv"
cp "$T/out" "$T/long-ssd.out"
t_run summarize -f csv --labels detectron --ohem-batch 0 --ohem-ratio 3 \
    --gamma 0.5 "$T/w.csv"
t_check "wide: equals its long form (ssd, gamma 0.5)" t_compare "$T/long-ssd.out" "$T/out"

# Every convention: the same anchors numbered its way read as the same
# dump, and the table and the json name the convention.
numbering() {
    case $1 in
    torchvision) echo "0..K-1 classes, -1 background, -2 ignored" ;;
    detectron) echo "0 background, 1..K classes, -1 ignored" ;;
    *) echo "0..K-1 classes, K background, -1 ignored" ;;
    esac
}
for conv in torchvision detectron detectron2 mmdet; do
    awk -v seed=3 -v K=5 -v n=2000 -v conv=$conv -f "$tools/make-wide.awk" >"$T/wc.csv"
    awk -v conv=$conv -f "$tools/wide-to-long.awk" "$T/wc.csv" >"$T/lc.csv"
    t_check "wide: the $conv long form is the same dump" cmp -s "$T/l.csv" "$T/lc.csv"
    t_run summarize -f csv --labels $conv "$T/wc.csv"
    t_check "wide: equals its long form ($conv)" t_compare "$T/long.out" "$T/out"
    t_run summarize -f json --labels $conv "$T/wc.csv"
    t_check "wide: json names the convention and K ($conv)" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["parameters"]["labels"] == sys.argv[2] and j["counts"]["wide_k"] == 5
assert j["counts"]["rows"] == 2000 and j["counts"]["classes"] == 5' "$T/out" $conv
    t_run summarize --labels $conv "$T/wc.csv"
    t_check "wide: the table prints the convention ($conv)" grep -qxF \
        "wide:    5 scores per anchor; labels $conv ($(numbering $conv))" "$T/out"
done
# Read the wrong way, a torchvision dump is another dump: its positives sit
# one column over, its background anchors are ignored.
awk -v seed=3 -v K=5 -v n=2000 -v conv=torchvision -f "$tools/make-wide.awk" >"$T/wt.csv"
t_run summarize -f csv --labels detectron "$T/wt.csv"
t_check "wide: torchvision's dump read as detectron's is not the same" \
    sh -c '! awk -F, -f "$1" "$2" "$3" >/dev/null 2>&1' sh \
    "$ROOT/tests/cli/compare.awk" "$T/long.out" "$T/out"

# A wide dump without --labels: no convention is guessed.
for cmd in summarize sweep cdf gradhist; do
    t_run $cmd "$T/w.csv"
    t_expect "wide: $cmd without --labels is refused" 2 "flstat: $T/w.csv: a wide dump (logit_0..logit_4) needs --labels torchvision, detectron, detectron2 or mmdet: how its label column numbers the classes, the background and ignored anchors (see 'man flstat')"
    t_check "wide: $cmd without --labels writes nothing" test ! -s "$T/out"
done
t_run summarize -f csv --labels mmdet "$T/l.csv"
t_check "wide: --labels leaves a long dump as it is" t_compare "$T/long.out" "$T/out"

# Probabilities, a named prefix, and the errors.
awk 'BEGIN { FS = OFS = "," } NR == 1 { gsub(/logit_/, "prob_"); print; next }
     { for (k = 4; k <= NF; k++) $k = sprintf("%.9f", 1 / (1 + exp(-$k))); print }' "$T/w.csv" >"$T/wp.csv"
t_run summarize -f csv --labels detectron "$T/wp.csv"
t_check "wide: probability columns are found" awk -F, '$1 == "ce" && $2 == "all" && $3 == 9810 { ok = 1 } END { exit !ok }' "$T/out"
sed '1s/logit_/s/g' "$T/w.csv" >"$T/ws.csv"
t_run summarize -f csv --labels detectron --wide s "$T/ws.csv"
t_check "wide: --wide names the prefix" t_compare "$T/long.out" "$T/out"
t_run summarize --wide q "$T/w.csv"
t_expect "wide: --wide without its columns" 1 "flstat: $T/w.csv:1: no columns q0, q1, ... in the header (--wide)"
sed '1s/logit_2/other/' "$T/w.csv" >"$T/gap.csv"
t_run summarize --labels detectron "$T/gap.csv"
t_expect "wide: a gap in the columns" 1 "flstat: $T/gap.csv:1: wide columns logit_0..logit_4 lack logit_2"
# Labels that are no code of the convention, with K = 2.
for case in "torchvision 2" "torchvision -3" "detectron 3" "detectron -2" \
            "detectron2 3" "detectron2 -2" "mmdet 3" "mmdet 0.5"; do
    conv=${case% *} lab=${case#* }
    printf 'image_id,label,logit_0,logit_1\n0,1,1,2\n0,%s,1,2\n' "$lab" >"$T/badlabel.csv"
    t_run summarize --labels $conv "$T/badlabel.csv"
    t_expect "wide: label $lab is no code of $conv" 1 "flstat: $T/badlabel.csv:3: label '$lab' is not a code of --labels $conv ($(numbering $conv); K = 2)"
done
t_run summarize --labels yolo "$T/w.csv"
t_expect "wide: unknown convention" 2 "flstat: summarize: --labels: 'yolo' is not torchvision, detectron, detectron2 or mmdet
Try 'flstat summarize --help' for more information."
t_run summarize --wide logit_ --logit x "$T/w.csv"
t_expect "wide: --wide with --logit" 2 "flstat: summarize: --wide and --wide-prob exclude --logit, --prob and --class
Try 'flstat summarize --help' for more information."

# Every command that reads dumps reads wide ones, with the same results (to
# 1e-12: the long form may be read in parts, summed in another order).
for cmd in sweep cdf gradhist; do
    t_run $cmd -f csv "$T/l.csv"
    cp "$T/out" "$T/$cmd-long.csv"
    t_run $cmd -f csv --labels detectron "$T/w.csv"
    t_expect "wide: $cmd exit 0" 0 ""
    t_check "wide: $cmd equals its long form" \
        awk -f "$ROOT/tests/cli/tools/same-numbers.awk" "$T/$cmd-long.csv" "$T/out"
done
