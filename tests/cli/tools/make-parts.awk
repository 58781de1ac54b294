# make-parts.awk: a long dump that is hard to cut into parts: images of 0 to
# 60 rows (some all ignored), and a note column with quoted fields holding
# commas, doubled quotes and newlines.  usage: awk -v seed=N -v images=M -f
function pick(n) { return int(rand() * n) }
BEGIN {
    srand(seed)
    print "image_id,logit,label,note"
    for (img = 0; img < images; img++) {
        rows = pick(61)
        allign = pick(10) == 0
        for (a = 0; a < rows; a++) {
            x = sprintf("%.3f", -3 + 6 * (rand() - 0.5) * (1 + pick(3)))
            lab = allign ? -1 : (pick(10) == 0 ? 1 : (pick(12) == 0 ? -1 : 0))
            k = pick(4)
            note = k == 0 ? "a" : k == 1 ? "\"q,\nx\"" : k == 2 ? "\"z\"\"y\"" : ""
            printf "im%d,%s,%d,%s\n", img, x, lab, note
        }
    }
}
