# Bad input: a clear message with file and line, exit 1, nothing on stdout;
# and the valid CSV corners read right.  (Issue 5's list, case by case.)
d="$REF/dump-small.csv"

bad() { # bad NAME LINE-OR-EMPTY MESSAGE CONTENT...: the file made of CONTENT fails
    name=$1 line=$2 msg=$3
    shift 3
    printf "$@" >"$T/in.csv"
    t_run summarize "$T/in.csv"
    t_expect "bad: $name" 1 "flstat: $T/in.csv${line:+:$line}: $msg"
    t_check "bad: $name: nothing on stdout" test ! -s "$T/out"
}
bad "empty file" "" "empty input: no header row" ''
bad "header only" "" "no data rows after the header" 'logit,label\n'
bad "no label column" 1 "no label column (label, target, y)" 'logit,foo\n1,1\n'
bad "no score column" 1 "no logit column (logit, logits, x) and no probability column (score, prob, p)" 'a,label\n1,1\n'
bad "two columns named alike" 1 "column 'label' appears more than once in the header" 'logit,label,Label\n1,1,0\n'
bad "too few fields" 3 "expected 3 fields, found 2" 'logit,label,c\n1,1,a\n2,0\n'
bad "too many fields" 2 "expected 2 fields, found 3" 'logit,label\n1,1,a\n'
bad "non-numeric score" 2 "logit 'abc' is not a number" 'logit,label\nabc,1\n'
bad "nan" 2 "logit 'nan' is not finite" 'logit,label\nnan,1\n'
bad "inf" 2 "logit 'inf' is not finite" 'logit,label\ninf,1\n'
bad "-inf" 2 "logit '-inf' is not finite" 'logit,label\n-inf,1\n'
bad "1e400" 2 "logit '1e400' is out of range" 'logit,label\n1e400,1\n'
bad "hexadecimal" 2 "logit '0x10' is not a number" 'logit,label\n0x10,1\n'
bad "signed hexadecimal" 2 "logit '-0X1p3' is not a number" 'logit,label\n-0X1p3,1\n'
bad "vertical tab" 2 "logit '?1' is not a number" 'logit,label\n\v1,1\n'
bad "form feed" 2 "logit '?1' is not a number" 'logit,label\n\f1,1\n'
bad "nan payload" 2 "logit 'nan(333333333333333333333333333333333333...' is not finite" \
    'logit,label\nnan(33333333333333333333333333333333333333333333333333333333333333333333333333333333____),1\n'
bad "empty score" 2 "empty logit" 'logit,label\n,1\n'
bad "probability -0.1" 2 "probability '-0.1' is outside [0, 1]" 'prob,label\n-0.1,1\n'
bad "probability 1.1" 2 "probability '1.1' is outside [0, 1]" 'prob,label\n1.1,1\n'
bad "label 2" 2 "label '2' is not 1, 0 or -1 (or true, false)" 'logit,label\n1,2\n'
bad "label 0.5" 2 "label '0.5' is not 1, 0 or -1 (or true, false)" 'logit,label\n1,0.5\n'
bad "label yes" 2 "label 'yes' is not 1, 0 or -1 (or true, false)" 'logit,label\n1,yes\n'
bad "binary garbage" 1 "no logit column (logit, logits, x) and no probability column (score, prob, p)" '\001\002\377\376\000\033[31m\n\200\201\n'
bad "malformed quoting" 2 "malformed CSV: a quote inside an unquoted field or after a closing quote" 'logit,label\n1"x,1\n'
bad "unterminated quote" 2 "unterminated quoted field at the end of the input" 'logit,label\n"1,1\n'
bad "unterminated quote opened lines before" 2 "unterminated quoted field at the end of the input" 'logit,label\n"1,1\n2,0\n3,1\n'
bad "a line of blanks and a carriage return before a bad row" 4 "label 'x' is not 1, 0 or -1 (or true, false)" 'logit,label\n1,1\n \r \n"2",x\n'

# A 10 MB field: fine where it is not read, an error (quoted short) where it is.
awk 'BEGIN { s = "x"; while (length(s) < 10000000) s = s s; print "logit,label,note"; print "1,1," s; print "-1,0,y" }' >"$T/big.csv"
t_run summarize -f csv "$T/big.csv"
t_check "10 MB field in an unread column" awk -F, '$1 == "ce" && $2 == "all" && $3 == 2 { ok = 1 } END { exit !ok }' "$T/out"
awk 'BEGIN { s = "7"; while (length(s) < 10000000) s = s s; print "logit,label"; print s "x,1" }' >"$T/bigscore.csv"
t_run summarize "$T/bigscore.csv"
t_expect "10 MB score" 1 "flstat: $T/bigscore.csv:2: logit '7777777777777777777777777777777777777777...' is not a number"

# Valid CSV corners: quoted delimiter, quote and newline; BOM; CRLF; no final
# newline; blank lines.  Each gives the numbers of the plain file.
printf 'logit,label\n1.5,1\n-2,0\n-0.5,0\n' >"$T/plain.csv"
t_run summarize -f csv "$T/plain.csv"
cp "$T/out" "$T/plain.out"
corner() { # corner NAME CONTENT
    name=$1
    shift
    printf "$@" >"$T/c.csv"
    t_run summarize -f csv "$T/c.csv"
    t_expect "valid: $name" 0 ""
    t_check "valid: $name reads right" t_compare "$T/plain.out" "$T/out"
}
corner "quoted delimiter" 'logit,note,label\n1.5,"a,b",1\n-2,x,0\n-0.5,y,0\n'
corner "quoted quote" 'logit,note,label\n1.5,"say ""hi""",1\n-2,x,0\n-0.5,y,0\n'
corner "quoted newline" 'logit,note,label\n1.5,"two\nlines",1\n-2,x,0\n-0.5,y,0\n'
corner "quoted numbers" 'logit,label\n"1.5","1"\n-2,0\n"-0.5",0\n'
corner "byte-order mark" '\357\273\277logit,label\n1.5,1\n-2,0\n-0.5,0\n'
corner "byte-order mark, quoted header" '\357\273\277"logit","label"\n1.5,1\n-2,0\n-0.5,0\n'
corner "CRLF" 'logit,label\r\n1.5,1\r\n-2,0\r\n-0.5,0\r\n'
corner "no final newline" 'logit,label\n1.5,1\n-2,0\n-0.5,0'
corner "blank lines" '\nlogit,label\n\n1.5,1\n\r\n-2,0\n   \n-0.5,0\n\n'
corner "spaces around fields" 'logit , label\n 1.5 ,1\n-2, 0\n-0.5 , 0 \n'

# --skip-bad: skipped, counted, reported with the first one's place.
printf 'logit,label\n1.5,1\nnan,0\n-2,0\n1,7\n-0.5,0\n' >"$T/mixed.csv"
t_run summarize -f csv --skip-bad "$T/mixed.csv"
t_expect "skip-bad: reported" 0 "flstat: $T/mixed.csv:3: skipped 2 bad rows; the first: logit 'nan' is not finite"
t_check "skip-bad: the good rows' numbers" t_compare "$T/plain.out" "$T/out"

# Truncated gzip, a directory, a missing path.
gzip -c "$d" | head -c 5000 >"$T/cut.csv.gz"
t_run summarize "$T/cut.csv.gz"
t_expect "truncated gzip" 1 "flstat: $T/cut.csv.gz: truncated gzip data"
t_check "truncated gzip: nothing on stdout" test ! -s "$T/out"
t_run summarize "$T"
t_expect "directory" 1 "flstat: $T: is a directory"
t_run summarize "$T/nope/x.csv"
t_expect "missing path" 1 "flstat: $T/nope/x.csv: No such file or directory"

# The other commands read through the same reader, with the same messages.
for cmd in sweep cdf gradhist; do
    t_run $cmd "$T/mixed.csv"
    t_expect "$cmd: a bad row" 1 "flstat: $T/mixed.csv:3: logit 'nan' is not finite"
    t_run $cmd "$T"
    t_expect "$cmd: a directory" 1 "flstat: $T: is a directory"
done

# Output that cannot be written: nothing half-written, exit 1.
t_run simulate --seed 1 --images 1 --anchors 10 -o "$T/nope/x.csv"
t_check "simulate: unwritable -o fails with 1" test "$T_STATUS" = 1
t_check "simulate: unwritable -o says where" grep -q "$T/nope/x.csv" "$T/err"
t_run sweep --plot "$T/nope/fig" "$d"
t_check "sweep: unwritable --plot fails with 1" test "$T_STATUS" = 1
t_check "sweep: unwritable --plot says where" grep -q "$T/nope/fig" "$T/err"

# An unreadable file (root reads anything: drop to nobody when root, and
# skip when setpriv is missing or the binary is out of nobody's reach).
mkdir "$T/locked" && chmod 755 "$T" "$T/locked"
printf 'logit,label\n1,1\n' >"$T/locked/u.csv"
chmod 000 "$T/locked/u.csv"
if [ "$(id -u)" != 0 ]; then
    t_run summarize "$T/locked/u.csv"
    t_expect "unreadable file" 1 "flstat: $T/locked/u.csv: Permission denied"
elif command -v setpriv >/dev/null &&
     setpriv --reuid=65534 --regid=65534 --clear-groups "$FLSTAT" --version >/dev/null 2>&1; then
    setpriv --reuid=65534 --regid=65534 --clear-groups "$FLSTAT" summarize \
        "$T/locked/u.csv" >"$T/out" 2>"$T/err"
    T_STATUS=$?
    t_expect "unreadable file" 1 "flstat: $T/locked/u.csv: Permission denied"
fi

# Dumps as Python writes them read as they mean, or fail saying what to do.
printf 'logit,label\n2,1\n-1,0\n0.5,1\n-3,-1\n' >"$T/plain.csv"
t_run summarize -f csv "$T/plain.csv"
cp "$T/out" "$T/plain.out"
printf 'logit,label\n2,True\n-1,false\n0.5,TRUE\n-3,-1\n' >"$T/bool.csv"
t_run summarize -f csv "$T/bool.csv"
t_expect "true and false labels: exit 0" 0 ""
t_check "true and false labels are 1 and 0" cmp "$T/plain.out" "$T/out"
printf 'logit,label\n2,yes\n' >"$T/yes.csv"
t_run summarize "$T/yes.csv"
t_expect "a label neither number nor true or false" 1 "flstat: $T/yes.csv:2: label 'yes' is not 1, 0 or -1 (or true, false)"
{ printf '# '; cat "$T/plain.csv"; } >"$T/savetxt.csv"
t_run summarize -f csv "$T/savetxt.csv"
t_check "savetxt: the header behind '# '" cmp "$T/plain.out" "$T/out"
printf '# logit label\n2.0e+00 1.0e+00\n-1.0e+00 0.0e+00\n5.0e-01 1.0e+00\n-3.0e+00 -1.0e+00\n' >"$T/spaces.txt"
t_run summarize "$T/spaces.txt"
t_expect "savetxt's spaces: the hint" 1 "flstat: $T/spaces.txt:1: no logit column (logit, logits, x) and no probability column (score, prob, p); the header holds spaces: is it space-separated, as numpy's savetxt writes? (--delim ' ')"
t_run summarize -f csv --delim ' ' "$T/spaces.txt"
t_check "savetxt's spaces with --delim ' '" cmp "$T/plain.out" "$T/out"
tr , '\t' <"$T/plain.csv" >"$T/tabs.csv"
t_run summarize "$T/tabs.csv"
t_expect "tabs in a .csv: the hint" 1 "flstat: $T/tabs.csv:1: no logit column (logit, logits, x) and no probability column (score, prob, p); the header holds tabs: is it tab-separated? (--delim tab)"
cp "$T/tabs.csv" "$T/tabs.tsv"
gzip -c "$T/tabs.tsv" >"$T/tabs.tsv.gz"
for f in tabs.tsv tabs.tsv.gz; do
    t_run summarize -f csv "$T/$f"
    t_check "a $f name is tab-separated" cmp "$T/plain.out" "$T/out"
done
t_run summarize -f csv --delim , "$T/tabs.tsv"
t_expect "--delim wins over a .tsv name" 1 "flstat: $T/tabs.tsv:1: no logit column (logit, logits, x) and no probability column (score, prob, p); the header holds tabs: is it tab-separated? (--delim tab)"
cat "$T/plain.csv" "$T/plain.csv" >"$T/joined.csv"
t_run summarize "$T/joined.csv"
t_expect "two dumps joined with cat" 1 "flstat: $T/joined.csv:6: the header again, in the data (dumps joined with cat?): keep the first file's header line only, or give the files to flstat one by one"
