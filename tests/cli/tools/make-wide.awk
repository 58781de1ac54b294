# wide dump: image_id,anchor,label,logit_0..logit_{K-1}; detectron labels unless mmdet=1
BEGIN { srand(seed); printf "image_id,anchor,label"; for (k = 0; k < K; k++) printf ",logit_%d", k; print ""
  for (i = 0; i < n; i++) { r = rand(); c = r < 0.05 ? 1 + int(rand() * K) : (r < 0.07 ? -1 : 0)
    lab = c; if (mmdet) lab = c == 0 ? K : (c > 0 ? c - 1 : -1)
    printf "%d,%d,%d", int(i / 40), i, lab
    for (k = 0; k < K; k++) printf ",%.6f", (k + 1 == c ? 1.5 : -3) + 4 * (rand() - 0.5)
    print "" } }
