/* check_numparse.c: strict parsing, its verdicts and its values. */
#include <string.h>

#include "numparse.h"
#include "testutil.h"

static enum fl_num parse(const char *s, double *v)
{
    return fl_parse_double(s, strlen(s), v);
}

START_TEST(test_values)
{
    static const struct {
        const char *s;
        double v;
    } ok[] = {
        {"0", 0},         {"-0", -0.0},     {"1.5", 1.5},
        {" 2.25 ", 2.25}, {"+3", 3},        {"-1e-3", -1e-3},
        {"1E2", 100},     {".5", 0.5},      {"5.", 5},
        {"1e-400", 0},    {"-11.763768936765141", -11.763768936765141},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        double v = NAN;
        ck_assert_int_eq(parse(ok[i].s, &v), FL_NUM_OK);
        ck_assert_msg(v == ok[i].v, "%s -> %.17g", ok[i].s, v);
    }
}
END_TEST

START_TEST(test_verdicts)
{
    double v;
    ck_assert_int_eq(parse("", &v), FL_NUM_EMPTY);
    ck_assert_int_eq(parse("  ", &v), FL_NUM_EMPTY);
    ck_assert_int_eq(parse("abc", &v), FL_NUM_JUNK);
    ck_assert_int_eq(parse("1.5x", &v), FL_NUM_JUNK);
    ck_assert_int_eq(parse("1 2", &v), FL_NUM_JUNK);
    ck_assert_int_eq(parse("--1", &v), FL_NUM_JUNK);
    ck_assert_int_eq(parse("true", &v), FL_NUM_JUNK);
    ck_assert_int_eq(parse("nan", &v), FL_NUM_NONFINITE);
    ck_assert_int_eq(parse("-inf", &v), FL_NUM_NONFINITE);
    ck_assert_int_eq(parse("Infinity", &v), FL_NUM_NONFINITE);
    ck_assert_int_eq(parse("1e400", &v), FL_NUM_RANGE);
    ck_assert_int_eq(parse("-1e999", &v), FL_NUM_RANGE);
    /* an embedded NUL ends nothing: the whole field must be a number */
    ck_assert_int_eq(fl_parse_double("1\0002", 3, &v), FL_NUM_JUNK);
}
END_TEST

Suite *numparse_suite(void)
{
    Suite *s = suite_create("numparse");
    TCase *tc = tcase_create("numparse");
    tcase_add_test(tc, test_values);
    tcase_add_test(tc, test_verdicts);
    suite_add_tcase(s, tc);
    return s;
}
