"""softmax-sums.py DUMP REPORT.csv ALPHA GAMMA: the ce, alpha_ce and focal
rows (group all) of a --softmax report equal sums computed here from the
definitions, anchor by anchor (detectron labels, background column last)."""
import csv, math, sys
dump, report, alpha, gamma = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
rows = list(csv.DictReader(open(dump)))
K = sum(1 for c in rows[0] if c.startswith("logit_") and c != "logit_bg")
ce, ace, fl, ceg, aceg, flg = ([] for _ in range(6))
for r in rows:
    lab = int(r["label"])
    if lab < 0:
        continue
    z = [float(r["logit_%d" % k]) for k in range(K)] + [float(r["logit_bg"])]
    t = lab - 1 if lab > 0 else K
    m = max(z)
    lse = m + math.log(math.fsum(math.exp(v - m) for v in z))
    c = lse - z[t]
    p = math.exp(-c)
    q = math.fsum(math.exp(z[j] - lse) for j in range(K + 1) if j != t)
    a = alpha if t < K else 1 - alpha
    ce.append(c); ceg.append(q)
    ace.append(a * c); aceg.append(a * q)
    fl.append(a * q ** gamma * c); flg.append(a * q ** gamma * (q + gamma * p * c))
want = {"ce": (ce, ceg), "alpha_ce": (ace, aceg), "focal": (fl, flg)}
got = {r["loss"]: r for r in csv.DictReader(open(report)) if r["group"] == "all"}
assert "focal_star" not in got
for loss, (l, g) in want.items():
    r = got[loss]
    assert int(r["count"]) == len(l), (loss, r["count"], len(l))
    for have, ref in ((float(r["loss_sum"]), math.fsum(l)), (float(r["grad_sum"]), math.fsum(g))):
        assert abs(have - ref) <= 1e-9 * abs(ref), (loss, have, ref)
print("ok", len(ce), "anchors")
