# long dump from a wide one: image_id,class,logit,label (label 1 when the anchor's class is k)
BEGIN { FS = "," } NR == 1 { K = NF - 3; print "image_id,class,logit,label"; next }
{ lab = $3; c = mmdet ? (lab == K ? -2 : lab) : (lab > 0 ? lab - 1 : (lab == 0 ? -2 : -1))
  for (k = 0; k < K; k++) printf "%s,%d,%s,%d\n", $1, k, $(4 + k), lab == -1 ? -1 : (k == c ? 1 : 0) }
