# compare.awk: does a tidy csv (second file) match a reference (first file)?
# Rows are keyed by their first two columns (loss,group or gamma,alpha ...);
# every column of the reference must be present and agree to a relative
# 1e-9 (absolute 1e-12 near zero).  Prints each disagreement; exits 1 if any.
# usage: awk -F, -f compare.awk reference.csv actual.csv
function abs(v) { return v < 0 ? -v : v }
function close_enough(a, b) {
    if (a == b) return 1
    if (a !~ /^[-+0-9.eE]+$/ || b !~ /^[-+0-9.eE]+$/) return 0
    return abs(a - b) <= 1e-12 || abs(a - b) <= 1e-9 * abs(a)
}
FNR == 1 {
    file++
    for (i = 1; i <= NF; i++) col[file, $i] = i
    if (file == 1) { nref = NF; for (i = 1; i <= NF; i++) refname[i] = $i }
    next
}
file == 1 { key = $1 "," $2; nkeys++; for (i = 1; i <= NF; i++) ref[key, i] = $i; keys[key] = 1; next }
file == 2 {
    key = $1 "," $2
    if (!(key in keys)) { print "unexpected row " key; bad = 1; next }
    seen[key] = 1
    for (i = 3; i <= nref; i++) {
        j = col[2, refname[i]]
        if (!j) { print "missing column " refname[i]; bad = 1; continue }
        if (!close_enough(ref[key, i], $j)) {
            print key " " refname[i] ": expected " ref[key, i] ", got " $j
            bad = 1
        }
    }
}
END {
    for (k in keys) if (!(k in seen)) { print "missing row " k; bad = 1 }
    exit bad
}
