/* check_vmath.c: the array exp and log1p against glibc, in ulps. */
#include <gsl/gsl_rng.h>

#include "testutil.h"
#include "vmath.h"

/* |a - b| in units of the last place of b (subnormals: of the smallest). */
static double ulps(double a, double b)
{
    if (a == b)
        return 0;
    double ulp = nextafter(fabs(b), INFINITY) - fabs(b);
    return fabs(a - b) / ulp;
}

START_TEST(test_exp_neg)
{
    enum { N = 200000 };
    static double x[N], y[N];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    for (int i = 0; i < N; i++) {
        double u = gsl_rng_uniform(r);
        x[i] = i % 3 == 0 ? -u * 2 : i % 3 == 1 ? -u * 60 : -u * 745.5;
    }
    static const double edges[] = {0.0, -0.0, -1e-300, -0.34657359027997264,
                                   -708.39, -708.4, -745.1, -745.2, -746, -1e4};
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
        x[i] = edges[i];
    fl_vexp_neg(x, y, N);
    for (int i = 0; i < N; i++)
        ck_assert_msg(ulps(y[i], exp(x[i])) <= 1.0, "exp(%.17g) = %.17g, glibc %.17g",
                      x[i], y[i], exp(x[i]));
    ck_assert(y[0] == 1.0 && y[8] == 0.0 && y[9] == 0.0);
    gsl_rng_free(r);
}
END_TEST

START_TEST(test_log1p_unit)
{
    enum { N = 200000 };
    static double x[N], y[N];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 12);
    for (int i = 0; i < N; i++) {
        double u = gsl_rng_uniform(r);
        x[i] = i % 2 ? u : u * pow(10, -(double)gsl_rng_uniform_int(r, 320));
    }
    static const double edges[] = {0.0, 1.0, 4.9e-324, 1e-17, 0.5, 0.4142135623730951};
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
        x[i] = edges[i];
    fl_vlog1p_unit(x, y, N);
    for (int i = 0; i < N; i++)
        ck_assert_msg(ulps(y[i], log1p(x[i])) <= 2.0, "log1p(%.17g) = %.17g, glibc %.17g",
                      x[i], y[i], log1p(x[i]));
    ck_assert(y[0] == 0.0);
    gsl_rng_free(r);
}
END_TEST

Suite *vmath_suite(void)
{
    Suite *s = suite_create("vmath");
    TCase *tc = tcase_create("vmath");
    tcase_add_test(tc, test_exp_neg);
    tcase_add_test(tc, test_log1p_unit);
    suite_add_tcase(s, tc);
    return s;
}
