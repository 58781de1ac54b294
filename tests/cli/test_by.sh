# --by class and --by image: per-key reports that add up to the whole.
d="$REF/dump-small.csv"
tools=$ROOT/tests/cli/tools
for opts in "" "--ohem-batch 0 --ohem-ratio 3" "--ohem-batch 16 --ohem-ratio 3 --gamma 0.5"; do
    # shellcheck disable=SC2086
    t_run summarize -f csv $opts "$d"
    cp "$T/out" "$T/all.csv"
    for by in class image; do
        # shellcheck disable=SC2086
        t_run summarize -f csv --by $by $opts "$d"
        t_expect "by $by ($opts): exit 0" 0 ""
        t_check "by $by ($opts): keys add up to the whole" python3 "$tools/sum-keys.py" "$T/out" "$T/all.csv"
    done
done
t_run summarize -f csv --by class "$d"
t_check "by class: 80 classes, 25 rows each" sh -c '[ "$(wc -l <"$1")" -eq $((80 * 25 + 1)) ]' sh "$T/out"
t_check "by class: the key column leads" sh -c 'head -1 "$1" | grep -q "^class,loss,group,count,loss_sum,loss_share,grad_sum,grad_share,loss_per_pos,total_loss_share,total_grad_share$"' sh "$T/out"
cp "$T/out" "$T/byclass.csv"
t_run summarize -f csv --by class --top 5 "$d"
t_check "by class --top 5: the first five keys" sh -c 'head -$((5 * 25 + 1)) "$1" | cmp -s - "$2"' sh "$T/byclass.csv" "$T/out"
t_run summarize -f json --by image --top 2 "$d"
t_check "by image json: keys named by image id" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["by"] == "image" and len(j["rows"]) == 50
assert all(r["image"] in [str(i) for i in range(12)] for r in j["rows"])' "$T/out"

# Keys whose shares tie come in the order of their ids (numbers by value),
# not in the order met: the threads number classes as they meet them.
printf 'class,logit,label\n10,1,1\n10,-2,0\nb,1,1\nb,-2,0\n9,1,1\n9,-2,0\na,1,1\na,-2,0\n' >"$T/tie.csv"
t_run summarize -f csv --by class --threads 1 "$T/tie.csv"
t_check "by class: tied keys by id" sh -c '[ "$(awk -F, "NR > 1 && \$2 == \"ce\" && \$3 == \"all\" { printf \"%s \", \$1 }" "$1")" = "9 10 a b " ]' sh "$T/out"
t_run sweep -f csv --by class --gamma 2 --alpha 0.25 --threads 1 "$T/tie.csv"
t_check "sweep by class: tied keys by id" sh -c '[ "$(awk -F, "NR > 1 { printf \"%s \", \$1 }" "$1")" = "9 10 a b " ]' sh "$T/out"

# Wide dumps break down by their K classes, named 0..K-1.
awk -v seed=3 -v K=5 -v n=2000 -f "$tools/make-wide.awk" >"$T/w.csv"
awk -f "$tools/wide-to-long.awk" "$T/w.csv" >"$T/l.csv"
t_run summarize -f csv --by class "$T/l.csv"
cp "$T/out" "$T/long-by.csv"
t_run summarize -f csv --by class --labels detectron "$T/w.csv"
# (to 1e-12: read in parts, the two sum in other orders)
t_check "by class: wide equals long, key by key" \
    awk -f "$ROOT/tests/cli/tools/same-numbers.awk" "$T/long-by.csv" "$T/out"

t_run summarize --by class "$T/l.csv"
t_check "by class: table has one line per class" sh -c '[ "$(grep -cE "^[0-4] " "$1")" -eq 5 ]' sh "$T/out"
printf 'logit,label\n1,1\n-1,0\n' >"$T/noclass.csv"
t_run summarize --by class "$T/noclass.csv"
t_expect "by class without a class column" 1 "flstat: --by class needs a class column (class, class_id, cls) or a wide dump"
t_run summarize --by anchor "$d"
t_expect "by: unknown key" 2 "flstat: summarize: --by: 'anchor' is not class or image
Try 'flstat summarize --help' for more information."
t_run summarize --top 3 "$d"
t_expect "top without by" 2 "flstat: summarize: --top needs --by
Try 'flstat summarize --help' for more information."

# sweep --by: keys add up to every cell, and agree with summarize --by.
for by in class image; do
    t_run sweep -f csv --by $by --gamma 0,0.5,2 --alpha 0.25,0.9 "$d"
    t_expect "sweep by $by: exit 0" 0 ""
    cp "$T/out" "$T/sweep-by.csv"
    t_run sweep -f csv --gamma 0,0.5,2 --alpha 0.25,0.9 "$d"
    t_check "sweep by $by: keys add up to each cell" awk -F, '
        NR == FNR { if (FNR > 1) { s[$2 "," $3] += $4; share[$2 "," $3] += $5 }; next }
        FNR > 1 { k = $1 "," $2; d = s[k] - $3; if (d * d > (1e-12 * $3) ^ 2) bad = 1
                  if ((share[k] - 1) ^ 2 > 1e-24) bad = 1; n++ }
        END { exit bad || n != 6 }' "$T/sweep-by.csv" "$T/out"
    t_run summarize -f csv --by $by "$d"
    t_check "sweep by $by: the (2, 0.25) cell is summarize's focal row" awk -F, '
        NR == FNR { if ($2 == "focal" && $3 == "all") want[$1] = $5; next }
        FNR > 1 && $2 == 2 && $3 == 0.25 { d = $4 - want[$1]; n++
                                           if (d * d > (1e-12 * want[$1]) ^ 2 + 1e-300) bad = 1 }
        END { exit bad || n == 0 }' "$T/out" "$T/sweep-by.csv"
done
t_run sweep --by class --plot "$T/p" "$d"
t_expect "sweep: --by with --plot" 2 "flstat: sweep: --plot draws the whole input: leave out --by
Try 'flstat sweep --help' for more information."

# Many keys: the per-key storage grows while a batch is being added (a
# batch of 4096 examples spans about 200 of these images).
"$FLSTAT" simulate --seed 3 --images 600 --anchors 20 -o "$T/many.csv" 2>/dev/null
t_run summarize -f csv "$T/many.csv"
cp "$T/out" "$T/many-all.csv"
t_run summarize -f csv --by image "$T/many.csv"
t_check "by image, 300 images: keys add up" python3 "$tools/sum-keys.py" "$T/out" "$T/many-all.csv"
t_run sweep -f csv --by image --gamma 0.5,2 --alpha 0.25 "$T/many.csv"
cp "$T/out" "$T/many-sweep-by.csv"
t_run sweep -f csv --gamma 0.5,2 --alpha 0.25 "$T/many.csv"
t_check "sweep by image, 300 images: keys add up" awk -F, '
    NR == FNR { if (FNR > 1) s[$2] += $4; next }
    FNR > 1 { d = s[$1] - $3; if (d * d > (1e-12 * $3) ^ 2) bad = 1; n++ }
    END { exit bad || n != 2 }' "$T/many-sweep-by.csv" "$T/out"
