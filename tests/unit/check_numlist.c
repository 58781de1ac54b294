/* check_numlist.c: comma lists and ranges, sorted and without repeats. */
#include <string.h>

#include "cli/numlist.h"
#include "core/status.h"
#include "testutil.h"

static size_t parse(const char *s, double **v)
{
    char why[128];
    size_t n = 0;
    *v = NULL;
    ck_assert_int_eq(fl_numlist_parse(s, 1000, v, &n, why, sizeof why), FL_OK);
    return n;
}

static void expect_error(const char *s, size_t max, const char *why_want)
{
    char why[128] = "";
    double *v = NULL;
    size_t n = 0;
    ck_assert_int_eq(fl_numlist_parse(s, max, &v, &n, why, sizeof why),
                     FL_EINVAL);
    ck_assert_ptr_null(v);
    ck_assert_str_eq(why, why_want);
}

START_TEST(test_commas)
{
    double *v;
    size_t n = parse("2, 0.5,0,5,0.5", &v);
    ck_assert_uint_eq(n, 4);
    ck_assert(v[0] == 0 && v[1] == 0.5 && v[2] == 2 && v[3] == 5);
    free(v);
    n = parse("0.25", &v);
    ck_assert_uint_eq(n, 1);
    ck_assert(v[0] == 0.25);
    free(v);
}
END_TEST

START_TEST(test_ranges)
{
    double *v;
    size_t n = parse("0:1:0.1", &v);
    ck_assert_uint_eq(n, 11);
    static const double tenths[] = {0,   0.1, 0.2, 0.3, 0.4, 0.5,
                                    0.6, 0.7, 0.8, 0.9, 1};
    for (size_t i = 0; i < n; i++) /* the decimals, not i * 0.1 */
        ck_assert_msg(v[i] == tenths[i], "%zu: %.17g", i, v[i]);
    free(v);
    n = parse("0.005:1:0.005", &v);
    ck_assert_uint_eq(n, 200);
    ck_assert(v[199] == 1.0 && v[0] == 0.005);
    free(v);
    n = parse("1:2:5", &v); /* the step overshoots: START only */
    ck_assert_uint_eq(n, 1);
    ck_assert(v[0] == 1);
    free(v);
    n = parse("2:2:1", &v);
    ck_assert_uint_eq(n, 1);
    free(v);
}
END_TEST

START_TEST(test_errors)
{
    expect_error("", 10, "an empty value");
    expect_error("1,,2", 10, "an empty value");
    expect_error("1,x", 10, "'x' is not a number");
    expect_error("1,nan", 10, "'nan' is not a finite number");
    expect_error("1e999", 10, "'1e999' is not a finite number");
    expect_error("1:2", 10, "a range is START:STOP:STEP");
    expect_error("1:2:3:4", 10, "a range is START:STOP:STEP");
    expect_error("0:1:0", 10, "a range needs STEP > 0 and START <= STOP");
    expect_error("2:1:0.5", 10, "a range needs STEP > 0 and START <= STOP");
    expect_error("0:1:1e-300", 10, "more than 10 values");
    expect_error("0:9:1", 9, "more than 9 values");
    expect_error("1,2,3", 2, "more than 2 values");
}
END_TEST

Suite *numlist_suite(void)
{
    Suite *s = suite_create("numlist");
    TCase *tc = tcase_create("numlist");
    tcase_add_test(tc, test_commas);
    tcase_add_test(tc, test_ranges);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    return s;
}
