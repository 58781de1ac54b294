/* check_sort.c: the radix sort against a comparison sort. */
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <string.h>

#include "sort.h"
#include "testutil.h"

/* Sort v on one thread and a copy on two: both as gsl_sort sorts it. */
static void check_against_gsl(double *v, size_t n)
{
    double *want = malloc(n * sizeof *want), *two = malloc(n * sizeof *two);
    ck_assert_ptr_nonnull(want);
    ck_assert_ptr_nonnull(two);
    memcpy(want, v, n * sizeof *v);
    memcpy(two, v, n * sizeof *v);
    gsl_sort(want, 1, n);
    fl_sort_doubles(v, n, 1);
    fl_sort_doubles(two, n, 2);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(v[i] == want[i], "at %zu: %.17g, want %.17g", i, v[i],
                      want[i]);
        ck_assert_msg(two[i] == want[i], "two threads, at %zu: %.17g, want %.17g",
                      i, two[i], want[i]);
    }
    for (size_t i = 1; i < n; i++)
        ck_assert(v[i - 1] <= v[i]);
    free(want);
    free(two);
}

START_TEST(test_random_values)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 31);
    static const size_t sizes[] = {0, 1, 2, 100, 4095, 4096, 50000, 300001};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t n = sizes[k];
        double *v = malloc((n ? n : 1) * sizeof *v);
        for (size_t i = 0; i < n; i++) {
            double u = gsl_rng_uniform(r) - 0.5;
            switch (i % 6) {
            case 0: v[i] = u * 1e4; break;
            case 1: v[i] = ldexp(u, -(int)gsl_rng_uniform_int(r, 1070)); break;
            case 2: v[i] = i % 12 == 2 ? 0.0 : -0.0; break;
            case 3: v[i] = (double)gsl_rng_uniform_int(r, 7) - 3; break; /* ties */
            case 4: v[i] = u * 1e300; break;
            default: v[i] = -4.605170 + u; break;
            }
        }
        check_against_gsl(v, n);
        free(v);
    }
    gsl_rng_free(r);
}
END_TEST

START_TEST(test_one_value_repeated)
{
    enum { N = 10000 };
    static double v[N];
    for (size_t i = 0; i < N; i++)
        v[i] = 2.5;
    check_against_gsl(v, N); /* every pass skipped */
}
END_TEST

Suite *sort_suite(void)
{
    Suite *s = suite_create("sort");
    TCase *tc = tcase_create("sort");
    tcase_add_test(tc, test_random_values);
    tcase_add_test(tc, test_one_value_repeated);
    suite_add_tcase(s, tc);
    return s;
}
