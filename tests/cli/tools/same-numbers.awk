# same-numbers.awk: do two outputs (csv, tsv, text or json) hold the same
# values?
# Line by line and field by field: integers (counts) and words must be
# equal, other numbers agree to a relative 1e-12 (results read on several
# threads are summed in another order: a share of 1 may be 0.99999999999999989
# there).  Prints each difference; exits 1 if any.
# usage: awk -f same-numbers.awk A B
function abs(v) { return v < 0 ? -v : v }
function same(a, b) {
    if (a == b) return 1
    if (a ~ /^-?[0-9]+$/ && b ~ /^-?[0-9]+$/) return 0
    if (a !~ /^[-+0-9.eE]+$/ || b !~ /^[-+0-9.eE]+$/) return 0
    return abs(a - b) <= 1e-12 * abs(a)
}
# (JSON's brackets, braces, colons and quotes split fields too)
BEGIN { FS = "[][,\t :{}\"]+" }
FNR == NR { line[FNR] = $0; n = FNR; next }
{
    if (!(FNR in line)) { print "extra line " FNR ": " $0; bad = 1; next }
    m = split(line[FNR], a, FS)
    if (m != NF) { print "line " FNR ": " line[FNR] " | " $0; bad = 1; next }
    for (i = 1; i <= NF; i++)
        if (!same(a[i], $i)) {
            print "line " FNR " field " i ": " a[i] " | " $i
            bad = 1
        }
}
END {
    if (FNR < n) { print "missing lines after " FNR; bad = 1 }
    exit bad
}
