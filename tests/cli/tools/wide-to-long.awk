# long dump from a wide one: image_id,class,logit,label (label 1 when the
# anchor's class is k), its labels numbered as conv says (as make-wide.awk;
# mmdet=1 for mmdet)
BEGIN { FS = ","; if (mmdet) conv = "mmdet"; if (conv == "") conv = "detectron" }
NR == 1 { K = NF - 3; print "image_id,class,logit,label"; next }
{ lab = $3
  # c: the positive column, -2 background, -1 ignored
  if (conv == "torchvision") c = lab >= 0 ? lab : (lab == -1 ? -2 : -1)
  else if (conv == "detectron") c = lab > 0 ? lab - 1 : (lab == 0 ? -2 : -1)
  else c = lab == K ? -2 : lab
  for (k = 0; k < K; k++) printf "%s,%d,%s,%d\n", $1, k, $(4 + k), c == -1 ? -1 : (k == c ? 1 : 0) }
