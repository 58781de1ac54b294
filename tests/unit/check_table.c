/* check_table.c: every output format of a small table. */
#include <string.h>

#include "output/table.h"
#include "core/status.h"
#include "testutil.h"

static const char *const names[] = {"name", "n", "share"};

static char *render(const fl_table *t, enum fl_format fmt)
{
    static char buf[4096];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    ck_assert_int_eq(fl_table_write(t, fmt, f), 0);
    fclose(f);
    return buf;
}

static fl_table *sample(void)
{
    fl_table *t = fl_table_new(3, names);
    fl_value r1[3] = {fl_str("a,\"b\""), fl_uint(18446744073709551615ULL),
                      fl_real(0.1)};
    fl_value r2[3] = {fl_str("tab\there"), fl_uint(0), fl_real(NAN)};
    ck_assert_int_eq(fl_table_add(t, r1), FL_OK);
    ck_assert_int_eq(fl_table_add(t, r2), FL_OK);
    ck_assert_uint_eq(fl_table_rows(t), 2);
    return t;
}

START_TEST(test_csv_tsv)
{
    fl_table *t = sample();
    ck_assert_str_eq(render(t, FL_FMT_CSV),
                     "name,n,share\n"
                     "\"a,\"\"b\"\"\",18446744073709551615,0.10000000000000001\n"
                     "tab\there,0,\n");
    ck_assert_str_eq(render(t, FL_FMT_TSV),
                     "name\tn\tshare\n"
                     "a,\"b\"\t18446744073709551615\t0.10000000000000001\n"
                     "tab\there\t0\t\n");
    fl_table_free(t);
    fl_table_free(NULL);
}
END_TEST

START_TEST(test_json)
{
    fl_table *t = sample();
    ck_assert_str_eq(render(t, FL_FMT_JSON),
                     "[\n  {\"name\": \"a,\\\"b\\\"\", \"n\": 18446744073709551615, "
                     "\"share\": 0.10000000000000001},\n"
                     "  {\"name\": \"tab\\u0009here\", \"n\": 0, \"share\": null}\n]");
    fl_table_free(t);
}
END_TEST

START_TEST(test_aligned)
{
    fl_table *t = fl_table_new(3, names);
    fl_value r1[3] = {fl_str("xy"), fl_uint(5), fl_real(0.25)};
    fl_value r2[3] = {fl_str("z"), fl_uint(100), fl_real(NAN)};
    fl_table_add(t, r1);
    fl_table_add(t, r2);
    ck_assert_str_eq(render(t, FL_FMT_TABLE),
                     "name    n  share\n"
                     "xy      5   0.25\n"
                     "z     100      -\n");
    ck_assert_str_eq(render(t, FL_FMT_MD),
                     "| name |   n | share |\n"
                     "| ---- | --: | ----: |\n"
                     "| xy   |   5 |  0.25 |\n"
                     "| z    | 100 |     - |\n");
    fl_table_free(t);
}
END_TEST

START_TEST(test_format_names)
{
    enum fl_format f;
    ck_assert_int_eq(fl_format_parse("md", &f), 0);
    ck_assert_int_eq(f, FL_FMT_MD);
    ck_assert_int_eq(fl_format_parse("json", &f), 0);
    ck_assert_int_eq(f, FL_FMT_JSON);
    ck_assert_int_eq(fl_format_parse("xml", &f), -1);
    ck_assert_int_eq(fl_format_parse("", &f), -1);
}
END_TEST

Suite *table_suite(void)
{
    Suite *s = suite_create("table");
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, test_csv_tsv);
    tcase_add_test(tc, test_json);
    tcase_add_test(tc, test_aligned);
    tcase_add_test(tc, test_format_names);
    suite_add_tcase(s, tc);
    return s;
}
