#!/usr/bin/env python3
"""The script a detection engineer would write instead of `flstat summarize`:
pandas reads the dump, torch and torchvision.ops.sigmoid_focal_loss give the
losses, autograd their gradients, and the same groups and OHEM top-B per
image are taken.  It prints the tidy csv flstat prints (without
loss_per_pos).  For scripts/bench.sh: usage: summarize.py DUMP"""
import sys

import pandas as pd
import torch
import torch.nn.functional as F
from torchvision.ops import sigmoid_focal_loss

ALPHA, GAMMA, EASY, STAR_G, STAR_B, OHEM_B = 0.25, 2.0, 0.5, 2.0, 1.0, 128

df = pd.read_csv(sys.argv[1])
df = df[df["label"] >= 0].reset_index(drop=True)
x = torch.tensor(df["logit"].to_numpy(), dtype=torch.float64, requires_grad=True)
y = torch.tensor(df["label"].to_numpy(), dtype=torch.float64)
s = 2 * y - 1
pt = torch.sigmoid(s * x)
at = torch.where(y == 1, ALPHA, 1 - ALPHA)
ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
losses = {
    "ce": ce,
    "alpha_ce": at * ce,
    "focal": sigmoid_focal_loss(x, y, alpha=ALPHA, gamma=GAMMA, reduction="none"),
    "focal_star": F.softplus(-(STAR_G * s * x + STAR_B)) / STAR_G,
}
easy = (pt > EASY).detach()
pos = y == 1
groups = {"easy_neg": ~pos & easy, "hard_neg": ~pos & ~easy,
          "easy_pos": pos & easy, "hard_pos": pos & ~easy}

# OHEM: the B highest-CE examples of each image
df["ce"] = ce.detach().numpy()
kept = df.groupby("image_id", sort=False)["ce"].nlargest(OHEM_B).index.get_level_values(-1)
ohem_mask = torch.zeros(len(df), dtype=torch.bool)
ohem_mask[torch.tensor(kept.to_numpy())] = True
losses["ohem"] = torch.where(ohem_mask, ce, torch.zeros_like(ce))

print("loss,group,count,loss_sum,loss_share,grad_sum,grad_share")
for name, loss in losses.items():
    (grad,) = torch.autograd.grad(loss.sum(), x, retain_graph=True)
    member = ohem_mask if name == "ohem" else torch.ones_like(ohem_mask)
    total_l, total_g = loss[member].sum().item(), grad[member].abs().sum().item()
    rows = [("all", member)] + [(g, m & member) for g, m in groups.items()]
    for group, m in rows:
        ls, gs = loss[m].sum().item(), grad[m].abs().sum().item()
        print(f"{name},{group},{int(m.sum())},{ls!r},{ls / total_l!r},{gs!r},{gs / total_g!r}")
