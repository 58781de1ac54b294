/* labels.h: how a wide dump's label column names an anchor's class, as
 * each detection codebase numbers it: one row per convention.
 *
 * A wide dump has K score columns and one label per anchor.  The
 * codebases disagree on which label marks which column, and on the codes
 * of the background and of ignored anchors, so a dump read with another
 * codebase's convention is wrong without a word: flstat never guesses one.
 *
 * How to add a convention: one row in FL_LABEL_CONVENTIONS, giving
 *   ID, "name"   the enum's suffix and the --labels value;
 *   first        the label of score column 0 (column c is label first + c);
 *   background   the background's code, or FL_LABEL_K for K itself;
 *   ignored      the code of anchors the loss leaves out;
 *   "numbering"  the numbering in words, for messages and the report;
 *   "source"     where the codebase sets it, for the man page's table.
 * Then name it in summarize's --help, the man page and the README, and test
 * it in tests/cli/test_wide.sh on a dump made by hand. */
#ifndef FL_LABELS_H
#define FL_LABELS_H

#include <stddef.h>

/* The background code of the conventions that put it after the classes. */
#define FL_LABEL_K (-1000)

#define FL_LABEL_CONVENTIONS(X)                                              \
    X(TORCHVISION, "torchvision", 0, -1, -2,                                 \
      "0..K-1 classes, -1 background, -2 ignored",                           \
      "torchvision/models/detection/retinanet.py, "                          \
      "RetinaNetClassificationHead.compute_loss")                            \
    X(DETECTRON, "detectron", 1, 0, -1,                                      \
      "0 background, 1..K classes, -1 ignored",                              \
      "detectron/roi_data/retinanet.py, _get_retinanet_blobs")               \
    X(DETECTRON2, "detectron2", 0, FL_LABEL_K, -1,                           \
      "0..K-1 classes, K background, -1 ignored",                            \
      "detectron2/modeling/meta_arch/retinanet.py, label_anchors")           \
    X(MMDET, "mmdet", 0, FL_LABEL_K, -1,                                     \
      "0..K-1 classes, K background, -1 ignored",                            \
      "mmdet/models/dense_heads/anchor_head.py, _get_targets_single")

enum fl_labels {
    FL_LABELS_NONE = 0, /* not given: a wide dump is then refused */
#define FL_LABEL_ENUM(ID, name, first, bg, ign, numbering, source)           \
    FL_LABELS_##ID,
    FL_LABEL_CONVENTIONS(FL_LABEL_ENUM)
#undef FL_LABEL_ENUM
        FL_LABELS_COUNT
};

/* What a label says of its anchor. */
enum fl_label_kind {
    FL_LABEL_BAD = -3,        /* not a code of the convention */
    FL_LABEL_BACKGROUND = -2, /* every column negative */
    FL_LABEL_IGNORED = -1     /* left out of every loss */
    /* >= 0: the score column that is positive, the others negative */
};

/* The convention called name, or FL_LABELS_NONE when none is. */
enum fl_labels fl_labels_find(const char *name);

/* The --labels name and the numbering in words ("0..K-1 classes, -1
 * background, -2 ignored") of c; "" for FL_LABELS_NONE or out of range. */
const char *fl_labels_name(enum fl_labels c);
const char *fl_labels_numbering(enum fl_labels c);

/* The names of every convention, joined as "a, b, c or d", in buf (cap
 * bytes, always terminated); return buf. */
char *fl_labels_choices(char *buf, size_t cap);

/* What label v (an integer, or not) says under convention c with k score
 * columns: a column index in [0, k), or an enum fl_label_kind.  Never
 * fails; FL_LABELS_NONE makes every label FL_LABEL_BAD. */
long fl_labels_classify(enum fl_labels c, double v, size_t k);

#endif
