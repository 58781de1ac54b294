"""sum-keys.py BY.csv ALL.csv: per-key rows of a --by report add up to the
overall report (counts exactly, sums to 1e-12), and keys are sorted by
their share of the total focal loss, largest first."""
import csv, sys
by = list(csv.DictReader(open(sys.argv[1])))
overall = {(r["loss"], r["group"]): r for r in csv.DictReader(open(sys.argv[2]))}
key = next(iter(by[0]))
sums = {}
for r in by:
    s = sums.setdefault((r["loss"], r["group"]), [0, 0.0, 0.0, 0.0])
    s[0] += int(r["count"]); s[1] += float(r["loss_sum"]); s[2] += float(r["grad_sum"])
    s[3] += float(r["total_loss_share"] or 0)
for k, r in overall.items():
    c, l, g, share = sums[k]
    assert c == int(r["count"]), (k, c, r["count"])
    for got, want in ((l, float(r["loss_sum"])), (g, float(r["grad_sum"]))):
        assert abs(got - want) <= 1e-12 * abs(want) + 1e-300, (k, got, want)
    if k[1] == "all" and float(r["loss_sum"]) > 0:
        assert abs(share - 1) < 1e-12, (k, share)
fl = [float(r["total_loss_share"]) for r in by if r["loss"] == "focal" and r["group"] == "all"]
assert fl == sorted(fl, reverse=True), fl
print(len(fl), "keys")
