/* check_labels.c: each codebase's label numbering, worked out by hand from
 * its source (labels.h names the file and function of each). */
#include <math.h>
#include <string.h>

#include "input/labels.h"
#include "testutil.h"

/* With K = 3 score columns: the column each label marks, or its kind. */
START_TEST(test_torchvision)
{
    /* label c is column c; -1 background (BELOW_LOW_THRESHOLD), -2
     * ignored (BETWEEN_THRESHOLDS) */
    enum fl_labels c = FL_LABELS_TORCHVISION;
    ck_assert_int_eq(fl_labels_classify(c, 0, 3), 0);
    ck_assert_int_eq(fl_labels_classify(c, 2, 3), 2);
    ck_assert_int_eq(fl_labels_classify(c, -1, 3), FL_LABEL_BACKGROUND);
    ck_assert_int_eq(fl_labels_classify(c, -2, 3), FL_LABEL_IGNORED);
    ck_assert_int_eq(fl_labels_classify(c, 3, 3), FL_LABEL_BAD);
    ck_assert_int_eq(fl_labels_classify(c, -3, 3), FL_LABEL_BAD);
}
END_TEST

START_TEST(test_detectron)
{
    /* 0 background, class c in 1..K is column c - 1, -1 ignored */
    enum fl_labels c = FL_LABELS_DETECTRON;
    ck_assert_int_eq(fl_labels_classify(c, 1, 3), 0);
    ck_assert_int_eq(fl_labels_classify(c, 3, 3), 2);
    ck_assert_int_eq(fl_labels_classify(c, 0, 3), FL_LABEL_BACKGROUND);
    ck_assert_int_eq(fl_labels_classify(c, -1, 3), FL_LABEL_IGNORED);
    ck_assert_int_eq(fl_labels_classify(c, 4, 3), FL_LABEL_BAD);
    ck_assert_int_eq(fl_labels_classify(c, -2, 3), FL_LABEL_BAD);
}
END_TEST

START_TEST(test_detectron2_and_mmdet)
{
    /* class c in 0..K-1 is column c, K background, -1 ignored */
    enum fl_labels both[2] = {FL_LABELS_DETECTRON2, FL_LABELS_MMDET};
    for (int i = 0; i < 2; i++) {
        enum fl_labels c = both[i];
        ck_assert_int_eq(fl_labels_classify(c, 0, 3), 0);
        ck_assert_int_eq(fl_labels_classify(c, 2, 3), 2);
        ck_assert_int_eq(fl_labels_classify(c, 3, 3), FL_LABEL_BACKGROUND);
        ck_assert_int_eq(fl_labels_classify(c, 5, 5), FL_LABEL_BACKGROUND);
        ck_assert_int_eq(fl_labels_classify(c, 4, 5), 4);
        ck_assert_int_eq(fl_labels_classify(c, -1, 3), FL_LABEL_IGNORED);
        ck_assert_int_eq(fl_labels_classify(c, 4, 3), FL_LABEL_BAD);
        ck_assert_int_eq(fl_labels_classify(c, -2, 3), FL_LABEL_BAD);
    }
}
END_TEST

/* Not integers, huge, and no convention at all: never a column. */
START_TEST(test_bad_values)
{
    for (int c = FL_LABELS_NONE; c < FL_LABELS_COUNT; c++) {
        ck_assert_int_eq(fl_labels_classify(c, 0.5, 3), FL_LABEL_BAD);
        ck_assert_int_eq(fl_labels_classify(c, NAN, 3), FL_LABEL_BAD);
        ck_assert_int_eq(fl_labels_classify(c, INFINITY, 3), FL_LABEL_BAD);
        ck_assert_int_eq(fl_labels_classify(c, 1e300, 3), FL_LABEL_BAD);
        ck_assert_int_eq(fl_labels_classify(c, -1e300, 3), FL_LABEL_BAD);
    }
    ck_assert_int_eq(fl_labels_classify(FL_LABELS_NONE, 1, 3), FL_LABEL_BAD);
    ck_assert_int_eq(fl_labels_classify(FL_LABELS_NONE, 0, 3), FL_LABEL_BAD);
}
END_TEST

START_TEST(test_names)
{
    static const char *const names[] = {"torchvision", "detectron",
                                        "detectron2", "mmdet"};
    for (size_t i = 0; i < 4; i++) {
        enum fl_labels c = fl_labels_find(names[i]);
        ck_assert_int_ne(c, FL_LABELS_NONE);
        ck_assert_str_eq(fl_labels_name(c), names[i]);
        ck_assert(strlen(fl_labels_numbering(c)) > 0);
    }
    ck_assert_int_eq(fl_labels_find("Detectron"), FL_LABELS_NONE);
    ck_assert_int_eq(fl_labels_find(""), FL_LABELS_NONE);
    ck_assert_str_eq(fl_labels_name(FL_LABELS_NONE), "");
    ck_assert_str_eq(fl_labels_name(FL_LABELS_COUNT), "");
    char buf[96];
    ck_assert_str_eq(fl_labels_choices(buf, sizeof buf),
                     "torchvision, detectron, detectron2 or mmdet");
    ck_assert_str_eq(fl_labels_choices(buf, 8), "torchvi");
}
END_TEST

Suite *labels_suite(void)
{
    Suite *s = suite_create("labels");
    TCase *tc = tcase_create("labels");
    tcase_add_test(tc, test_torchvision);
    tcase_add_test(tc, test_detectron);
    tcase_add_test(tc, test_detectron2_and_mmdet);
    tcase_add_test(tc, test_bad_values);
    tcase_add_test(tc, test_names);
    suite_add_tcase(s, tc);
    return s;
}
