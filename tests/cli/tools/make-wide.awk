# wide dump: image_id,anchor,label,logit_0..logit_{K-1}, labels numbered as
# conv says (torchvision, detectron, detectron2 or mmdet; default detectron,
# mmdet=1 for mmdet): the same anchors and scores whatever the numbering
BEGIN { srand(seed); if (mmdet) conv = "mmdet"; if (conv == "") conv = "detectron"
  printf "image_id,anchor,label"; for (k = 0; k < K; k++) printf ",logit_%d", k; print ""
  for (i = 0; i < n; i++) { r = rand(); c = r < 0.05 ? 1 + int(rand() * K) : (r < 0.07 ? -1 : 0)
    # c: 1..K the anchor's class (column c - 1), 0 background, -1 ignored
    if (conv == "torchvision") lab = c > 0 ? c - 1 : (c == 0 ? -1 : -2)
    else if (conv == "detectron") lab = c
    else lab = c > 0 ? c - 1 : (c == 0 ? K : -1)
    printf "%d,%d,%d", int(i / 40), i, lab
    for (k = 0; k < K; k++) printf ",%.6f", (k + 1 == c ? 1.5 : -3) + 4 * (rand() - 0.5)
    print "" } }
