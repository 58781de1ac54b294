# sweep, curves, cdf and gradhist: their numbers against the reference, an
# independent computation or a property; their figures rendered by gnuplot.
d="$REF/dump-small.csv"

# ---- curves: the reference Figure 1 ----
pts=$(awk -F, 'NR > 1 { print $1 }' "$REF/curves-figure1.csv" | sort -u | paste -sd, -)
t_run curves -f csv --gamma 0,0.5,1,2,5 --pt "$pts"
t_expect "curves: exit 0, silent" 0 ""
t_check "curves: header" sh -c 'head -1 "$1" | grep -qx "p_t,gamma,ce,fl,grad"' sh "$T/out"
sed '1s/dfl_dx_pos/grad/' "$REF/curves-figure1.csv" >"$T/curves-ref.csv"
t_check "curves: reference Figure 1" t_compare "$T/curves-ref.csv" "$T/out"
t_run curves -f csv
t_check "curves: default 5 gammas x 200 p_t" sh -c \
    'test "$(wc -l <"$1")" -eq 1001 && test "$(cut -d, -f2 "$1" | sort -u | wc -l)" -eq 6' \
    sh "$T/out"

# ---- sweep ----
t_run sweep -f csv "$d"
t_expect "sweep: exit 0, silent" 0 ""
t_check "sweep: header" sh -c 'head -1 "$1" | grep -q "^gamma,alpha,loss_sum,loss_per_pos,easy_neg_loss_share,hard_neg_loss_share,easy_pos_loss_share,hard_pos_loss_share,easy_neg_grad_share,hard_neg_grad_share,easy_pos_grad_share,hard_pos_grad_share,"' sh "$T/out"
t_check "sweep: the default grid is 7 x 7" sh -c 'test "$(wc -l <"$1")" -eq 50' sh "$T/out"
# the cell (gamma 2, alpha 0.25) is summarize's focal row, to 1e-12
cp "$T/out" "$T/sweep.csv"
t_run summarize -f csv "$d"
t_check "sweep: cell (2, 0.25) equals summarize's focal row" awk -F, '
    function near(a, b) { return (a - b) ^ 2 <= (1e-12 * b) ^ 2 }
    NR == FNR { if ($1 == "focal") { s[$2] = $5; g[$2] = $7; sum[$2] = $4; if ($2 == "all") pp = $8 }; next }
    FNR > 1 && $1 == 2 && $2 == 0.25 {
        found = 1
        ok = near($3, sum["all"]) && near($4, pp) &&
             near($5, s["easy_neg"]) && near($6, s["hard_neg"]) &&
             near($7, s["easy_pos"]) && near($8, s["hard_pos"]) &&
             near($9, g["easy_neg"]) && near($10, g["hard_neg"]) &&
             near($11, g["easy_pos"]) && near($12, g["hard_pos"])
    }
    END { if (!found || !ok) { print "cell (2, 0.25) differs"; exit 1 } }' \
    "$T/out" "$T/sweep.csv"
# at its balancing alpha, each side carries half the loss (half the |grad|)
a=$(awk -F, 'NR > 1 && $1 == 2 { print $14; exit }' "$T/sweep.csv")
t_run sweep -f csv --gamma 2 --alpha "$a" "$d"
t_check "sweep: balancing alpha splits the loss in halves" awk -F, '
    NR == 2 { s = $7 + $8; exit !((s - 0.5) ^ 2 < 1e-24) }' "$T/out"
a=$(awk -F, 'NR > 1 && $1 == 2 { print $15; exit }' "$T/sweep.csv")
t_run sweep -f csv --gamma 2 --alpha "$a" "$d"
t_check "sweep: balancing alpha splits the gradient in halves" awk -F, '
    NR == 2 { s = $11 + $12; exit !((s - 0.5) ^ 2 < 1e-24) }' "$T/out"
t_run sweep -f json --gamma 0:2:1 --alpha 0.25 "$d"
t_check "sweep: json holds rows and balancing alphas" sh -c \
    'grep -q "\"command\": \"sweep\"" "$1" && grep -q "\"balance\": \\[" "$1" &&
     test "$(grep -c "\"balance_alpha_grad\"" "$1")" -eq 6' sh "$T/out"

# ---- cdf ----
t_run cdf -f csv "$d"
t_expect "cdf: exit 0, silent" 0 ""
t_check "cdf: header" sh -c 'head -1 "$1" | grep -q "^gamma,group,fraction,loss_share"' sh "$T/out"
t_check "cdf: every curve monotone from (0, 0) to (1, 1)" awk -F, '
    NR == 1 { next }
    { key = $1 "," $2 }
    key != last {
        if (last != "" && !(pf == 1 && ps == 1)) { print last " ends at " pf "," ps; bad = 1 }
        if (!($3 == 0 && $4 == 0)) { print key " starts at " $3 "," $4; bad = 1 }
        curves++
    }
    key == last && ($3 <= pf || $4 < ps) { print key " falls at " $3; bad = 1 }
    { last = key; pf = $3; ps = $4 }
    END { if (!(pf == 1 && ps == 1) || curves != 8) bad = 1; exit bad }' "$T/out"
# headlines against a brute-force sort: FL of every example, by awk
t_run cdf -f json --gamma 0,2 "$d"
for g in 0 2; do
    for side in 1 0; do
        awk -F, -v g=$g -v side=$side '
            function sp(z) { return (z > 0 ? z : 0) + log(1 + exp(-(z < 0 ? -z : z))) }
            NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
            $c["label"] == side {
                xt = side ? $c["logit"] : -$c["logit"]
                printf "%.17g\n", exp(-g * sp(xt)) * sp(-xt)
            }' "$d" | sort -g -r >"$T/fl-$g-$side"
    done
done
# top FILE Q: the share of the sum of FILE's values (sorted, largest first)
# carried by its first ceil(Q n)
top() {
    awk -v q="$2" '{ v[NR] = $1; t += $1 }
        END { k = q * NR; if (k > int(k)) k = int(k) + 1
              for (i = 1; i <= k; i++) s += v[i]; printf "%.17g", s / t }' "$1"
}
cdf_headlines() {
    for g in 0 2; do
        want="$(top "$T/fl-$g-1" 0.2) $(top "$T/fl-$g-0" 0.01) $(top "$T/fl-$g-0" 0.1)"
        awk -v g=$g -v w="$want" '
            $0 ~ "\"gamma\": " g "," && /pos_top20_share/ {
                gsub(/[,{}]/, ""); split(w, x, " ")
                got[1] = $4; got[2] = $6; got[3] = $8; found = 1
                for (i = 1; i <= 3; i++)
                    if (got[i] == "" || (got[i] - x[i]) ^ 2 > (1e-9 * x[i]) ^ 2) {
                        print "gamma " g " headline " i ": " got[i] ", want " x[i]; bad = 1 }
            }
            END { exit bad || !found }' "$T/out" || return 1
    done
}
t_check "cdf: headlines equal a brute-force sort" cdf_headlines
t_run cdf --points 1 "$d"
t_expect "cdf: --points 1" 2 "flstat: cdf: --points: '1' is out of range (must be >= 2)
Try 'flstat cdf --help' for more information."

# ---- gradhist ----
t_run gradhist -f csv --bins 20 "$d"
t_expect "gradhist: exit 0, silent" 0 ""
t_check "gradhist: header" sh -c 'head -1 "$1" | grep -q "^bin,g_lo,g_hi,neg_count,pos_count,ce_loss_share,ce_grad_share,fl_loss_share,fl_grad_share,ghm_loss_share"' sh "$T/out"
t_check "gradhist: every share sums to 1" awk -F, '
    NR == 1 { next }
    { for (i = 6; i <= 13; i++) s[i] += $i; n++ }
    END { for (i = 6; i <= 13; i++) if ((s[i] - 1) ^ 2 > 1e-24) { print "column " i ": " s[i]; exit 1 }; exit n != 20 }' "$T/out"
t_check "gradhist: bin counts equal a direct count" awk -F, -v B=20 '
    NR == FNR { if (FNR == 1) { for (i = 1; i <= NF; i++) c[$i] = i; next }
        y = $c["label"]; if (y == -1) next
        p = 1 / (1 + exp(-$c["logit"])); gn = p - y; if (gn < 0) gn = -gn
        k = int(gn * B); if (k >= B) k = B - 1
        if (y == 1) pos[k]++; else neg[k]++
        next }
    FNR > 1 && ($4 != neg[$1] + 0 || $5 != pos[$1] + 0) { print "bin " $1 ": " $4 "," $5 " want " neg[$1] + 0 "," pos[$1] + 0; bad = 1 }
    END { exit bad }' "$d" "$T/out"

# ---- figures ----
t_run curves --plot "$T/c" --render png
t_expect "render: curves png" 0 ""
t_check "render: curves png is a PNG" sh -c \
    'test "$(head -c 8 "$1" | od -An -tx1 | tr -d " \n")" = 89504e470d0a1a0a && test "$(wc -c <"$1")" -gt 5000' \
    sh "$T/c.png"
for cmd in sweep cdf gradhist; do
    t_run $cmd --plot "$T/$cmd" --render svg "$d"
    t_expect "render: $cmd svg" 0
    t_check "render: $cmd svg is an SVG picture" sh -c \
        'grep -q "<svg" "$1" && grep -q "</svg>" "$1" && test "$(grep -c "<path" "$1")" -gt 10' sh "$T/$cmd.svg"
    t_run $cmd --plot "$T/$cmd" --render png "$d"
    t_check "render: $cmd png is a PNG" sh -c \
        'test "$(head -c 8 "$1" | od -An -tx1 | tr -d " \n")" = 89504e470d0a1a0a && test "$(wc -c <"$1")" -gt 5000' \
        sh "$T/$cmd.png"
done
t_run gradhist --plot "$T/g" --render pdf "$d"
t_check "render: pdf" sh -c 'head -c 5 "$1" | grep -q "%PDF-"' sh "$T/g.pdf"
t_check "render: no temporary file left" sh -c '! ls "$1" | grep -q "\.......$"' sh "$T"

# the script renders by itself, as its comments say
t_check "plot: the script renders with gnuplot -c" sh -c \
    'gnuplot -c "$1.gp" svg "$1-by-hand.svg" && grep -q "<svg" "$1-by-hand.svg"' sh "$T/sweep"

# without gnuplot: exit 1, a clear message, script and data whole
t_run sweep --plot "$T/ng" "$d"
cp "$T/ng.gp" "$T/ng.gp.want"; cp "$T/ng.dat" "$T/ng.dat.want"; rm -f "$T/ng.gp" "$T/ng.dat"
FLSTAT_GNUPLOT=$T/no-such-gnuplot t_run sweep --plot "$T/ng" --render png "$d"
t_expect "render: no gnuplot" 1 "flstat: cannot render $T/ng.png: cannot run $T/no-such-gnuplot: no such program (install gnuplot, or name it in FLSTAT_GNUPLOT); $T/ng.gp and $T/ng.dat are written"
t_check "render: no gnuplot leaves script and data whole" sh -c \
    'cmp "$1.gp" "$1.gp.want" && cmp "$1.dat" "$1.dat.want" && test ! -e "$1.png"' sh "$T/ng"
# a PATH without gnuplot (but with valgrind, for make cli VALGRIND=1)
mkdir "$T/bin"
if [ -n "$FLSTAT_WRAP" ]; then
    vg=$(command -v valgrind)
    ln -s "$vg" "$T/bin/valgrind"
    if [ -e "$vg.bin" ]; then ln -s "$vg.bin" "$T/bin/valgrind.bin"; fi
fi
PATH=$T/bin t_run curves --plot "$T/np" --render svg
t_expect "render: no gnuplot on PATH" 1 "flstat: cannot render $T/np.svg: cannot run gnuplot: no such program (install gnuplot, or name it in FLSTAT_GNUPLOT); $T/np.gp and $T/np.dat are written"
FLSTAT_GNUPLOT=false t_run curves --plot "$T/nf" --render svg
t_expect "render: gnuplot fails" 1 "flstat: cannot render $T/nf.svg: false failed (exit status 1); $T/nf.gp and $T/nf.dat are written"
t_check "render: a failed render leaves no picture" sh -c 'test ! -e "$1.svg" && test -s "$1.gp"' sh "$T/nf"

# files whole or not at all
t_run curves --plot "$T/no/such/dir/c"
t_expect "plot: unwritable prefix" 1 "flstat: $T/no/such/dir/c.dat: cannot write: No such file or directory"
t_run curves --plot "$T/q'uote"
t_expect "plot: a quote in the prefix" 0
t_check "plot: a quote in the prefix is escaped" sh -c \
    'grep -qF "DAT = '"'"'$1'"''"'uote.dat'"'"'" "$1'"'"'uote.gp"' sh "$T/q"

# ---- usage ----
t_run curves --render png
t_expect "usage: --render needs --plot" 2 "flstat: curves: --render needs --plot PREFIX
Try 'flstat curves --help' for more information."
t_run sweep --render gif --plot x "$d"
t_expect "usage: --render gif" 2 "flstat: sweep: --render: 'gif' is not one of png, svg, pdf
Try 'flstat sweep --help' for more information."
t_run sweep --gamma 1,-2 "$d"
t_expect "usage: negative gamma" 2 "flstat: sweep: --gamma: '-2' is out of range (must be >= 0)
Try 'flstat sweep --help' for more information."
t_run sweep --alpha 0:2:0.5 "$d"
t_expect "usage: alpha range" 2 "flstat: sweep: --alpha: '2' is out of range (must be in [0, 1])
Try 'flstat sweep --help' for more information."
t_run sweep --alpha 0.1,,0.2 "$d"
t_expect "usage: empty list value" 2 "flstat: sweep: --alpha: '0.1,,0.2': an empty value
Try 'flstat sweep --help' for more information."
t_run curves --pt 0,0.5
t_expect "usage: p_t 0" 2 "flstat: curves: --pt: '0' is out of range (must be in (0, 1]: CE is infinite at p_t = 0)
Try 'flstat curves --help' for more information."
t_run curves x.csv
t_expect "usage: curves reads no file" 2 "flstat: curves: reads no FILE ('x.csv')
Try 'flstat curves --help' for more information."
t_run gradhist --bins 0 "$d"
t_expect "usage: --bins 0" 2 "flstat: gradhist: --bins: '0' is out of range (must be >= 1)
Try 'flstat gradhist --help' for more information."
t_run cdf --plot "$(printf 'a\nb')" "$d"
t_expect "usage: control character in prefix" 2 "flstat: cdf: --plot: PREFIX holds a control character
Try 'flstat cdf --help' for more information."
for cmd in sweep curves cdf gradhist; do
    t_run help $cmd
    cp "$T/out" "$T/help"
    t_run $cmd --help
    t_check "help: $cmd --help equals help $cmd" sh -c 'cmp "$1" "$2" && grep -q "^usage: flstat '$cmd'" "$1"' sh "$T/help" "$T/out"
done

# bad input stops every command as it stops summarize
printf 'logit,label\n0.5,1\nx,0\n' >"$T/bad.csv"
for cmd in sweep cdf gradhist; do
    t_run $cmd "$T/bad.csv"
    t_expect "bad input: $cmd" 1 "flstat: $T/bad.csv:3: logit 'x' is not a number"
done
# what is read but cannot be reported, the same words in every command
printf 'logit,label\n1,-1\n2,-1\n' >"$T/ignored.csv"
for cmd in cdf gradhist; do
    t_run $cmd "$T/ignored.csv"
    t_expect "every row ignored: $cmd" 1 "flstat: no examples: every row is ignored or skipped"
done
t_run sweep "$T/ignored.csv"
t_expect "every row ignored: sweep" 1 "flstat: no examples to sweep: every row is ignored or skipped"
printf 'logit,label\n1,1\n-1,0\n' >"$T/noclass.csv"
t_run sweep --by class "$T/noclass.csv"
t_expect "sweep by class without a class column" 1 "flstat: --by class needs a class column (class, class_id, cls) or a wide dump"
# a figure's title names its first input and how many more
for cmd in sweep cdf gradhist; do
    t_run $cmd --plot "$T/t1-$cmd" "$d"
    t_check "title: $cmd, one input" grep -qF "'flstat $cmd: $d'" "$T/t1-$cmd.gp"
    t_run $cmd --plot "$T/t3-$cmd" "$d" "$d" "$d"
    t_check "title: $cmd, three inputs" grep -qF "'flstat $cmd: $d and 2 more'" "$T/t3-$cmd.gp"
done
