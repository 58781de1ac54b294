# summarize's own behaviour: formats, counts, messages on bad data.
d="$REF/dump-small.csv"

t_run summarize -f json "$d"
t_expect "json: exit 0" 0 ""
t_check "json: parameters, counts and 25 rows" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["command"] == "summarize"
assert j["parameters"]["alpha"] == 0.25 and j["parameters"]["gamma"] == 2
c = j["counts"]
assert (c["rows"], c["positives"] + c["negatives"], c["ignored"], c["images"]) == (3000, 2970, 30, 12), c
assert c["examples"] == c["positives"] + c["negatives"]
assert len(j["rows"]) == 25
r = [x for x in j["rows"] if x["loss"] == "focal" and x["group"] == "all"][0]
assert abs(r["loss_sum"] - 1661.6656222943818) < 1e-9 * 1661.67
assert abs(r["loss_per_pos"] - r["loss_sum"] / c["positives"]) < 1e-12 * r["loss_sum"]
' "$T/out"
t_run summarize -f json --alpha off "$d"
t_check "json: alpha off is null" python3 -c '
import json, sys; assert json.load(open(sys.argv[1]))["parameters"]["alpha"] is None' "$T/out"

t_run summarize -f md "$d"
t_check "md: a table of 25 rows" sh -c '[ "$(grep -c "^| " "$1")" -eq 27 ]' sh "$T/out"

# The human table: the headline figures agree with the csv.
t_run summarize "$d"
t_expect "table: exit 0" 0 ""
t_check "table: headline" grep -qx \
    'easy negatives: 98.3% of examples, 2.95% of CE loss and 67.4% of its gradient; under FL 0.16% and 23.1%' "$T/out"
t_check "table: counts line" grep -q '^rows: *3000: 2970 examples (18 positive, 2952 negative), 30 ignored; 12 images, 80 classes$' "$T/out"

# Standard input without '-' when it is not a terminal.
T_STDIN=$d t_run summarize -f csv
t_check "stdin without -" t_compare "$REF/summarize-default.csv" "$T/out"

# Data errors: message with file and line, exit 1, nothing on stdout.
printf 'logit,label\n0.5,1\n0.25,0\nabc,0\n' >"$T/bad.csv"
t_run summarize "$T/bad.csv"
t_expect "bad row: message and exit 1" 1 "flstat: $T/bad.csv:4: logit 'abc' is not a number"
t_check "bad row: nothing on stdout" test ! -s "$T/out"
T_STDIN=$T/bad.csv t_run summarize -
t_expect "bad row on stdin" 1 "flstat: <stdin>:4: logit 'abc' is not a number"
t_run summarize --skip-bad -f csv "$T/bad.csv"
t_expect "skip-bad: reported" 0 "flstat: $T/bad.csv:4: skipped 1 bad row; the first: logit 'abc' is not a number"
t_run summarize --skip-bad -f json "$T/bad.csv"
t_check "skip-bad: counted" python3 -c '
import json, sys; c = json.load(open(sys.argv[1]))["counts"]; assert c["skipped"] == 1 and c["rows"] == 2, c' "$T/out"

printf 'logit,label\n1,-1\n2,-1\n' >"$T/ignored.csv"
t_run summarize "$T/ignored.csv"
t_expect "every row ignored" 1 "flstat: no examples to summarize: every row is ignored or skipped"
t_run summarize "$T/missing.csv"
t_expect "missing file" 1 "flstat: $T/missing.csv: No such file or directory"
t_run summarize "$T"
t_expect "directory" 1 "flstat: $T: is a directory"
t_run summarize "$d" "$T/bad.csv"
t_expect "second file bad" 1 "flstat: $T/bad.csv:4: logit 'abc' is not a number"

# A full disk is an error, not a silent success.
if [ -w /dev/full ]; then
    "$FLSTAT" summarize "$d" >/dev/full 2>"$T/err"
    T_STATUS=$?
    t_expect "write error" 1 "flstat: write error: No space left on device"
fi
# Output closed early: no message, no hang.
"$FLSTAT" summarize -f csv "$d" "$d" "$d" 2>"$T/err" | head -1 >/dev/null
t_check "closed pipe: quiet" test ! -s "$T/err"

# How the scores were read: the table and the json name the column and
# whether as logits or probabilities.
t_run summarize "$d"
t_check "scores: the table names the column, read as logits" \
    grep -qx 'scores:  logit, read as logits' "$T/out"
t_run summarize "$REF/dump-small-prob.csv"
t_check "scores: the table names the column, read as probabilities" \
    grep -qx 'scores:  score, read as probabilities' "$T/out"
t_run summarize -f json "$REF/dump-small-prob.csv"
t_check "scores: the json too" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["scores"]
assert s == {"column": "score", "read_as": "probabilities"}, s' "$T/out"

# Probabilities read as logits (every value in [0, 1]) draw a warning that
# names --prob; the numbers are those of the logits asked for.
t_run summarize -f csv --logit score "$REF/dump-small-prob.csv"
t_expect "probabilities as logits: a warning" 0 "flstat: warning: every logit of column 'score' lies in [0, 1]: if they are probabilities, read them with --prob score"
t_check "probabilities as logits: CE is the logits' CE" awk -F, '
    NR == FNR { if (FNR > 1 && $1 != -1) { x = $1 ? -$2 : $2; want += log(1 + exp(x)) }; next }
    $1 == "ce" && $2 == "all" { d = $4 - want; ok = d * d < (1e-9 * want) ^ 2 }
    END { exit !ok }' "$REF/dump-small-prob.csv" "$T/out"
awk -F, 'NR == 1 || NR <= 100' "$REF/dump-small-prob.csv" >"$T/p99.csv"
t_run summarize -f csv --logit score "$T/p99.csv"
t_expect "probabilities as logits: none under 100 examples" 0 ""
{ cat "$REF/dump-small-prob.csv"; echo "0,1.5,3"; } >"$T/p-out.csv"
t_run summarize -f csv --logit score "$T/p-out.csv"
t_expect "probabilities as logits: none when one lies outside" 0 ""
awk -v seed=3 -v K=3 -v n=100 -f "$ROOT/tests/cli/tools/make-wide.awk" |
    awk -F, -v OFS=, 'NR > 1 { for (k = 4; k <= NF; k++) $k = 1 / (1 + exp(-$k)) } 1' >"$T/wp.csv"
t_run summarize -f csv --labels detectron "$T/wp.csv"
t_expect "probabilities as wide logits: a warning" 0 "flstat: warning: every score of logit_0..logit_2 lies in [0, 1]: if they are probabilities, read them with --wide-prob logit_"
