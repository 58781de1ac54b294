/* check_vmath.c: the array exp and log1p against glibc, in ulps, and the
 * array sigmoid terms against the scalar ones of loss.c. */
#include <float.h>

#include <gsl/gsl_rng.h>

#include "core/loss.h"
#include "testutil.h"
#include "core/vmath.h"

/* |a - b| in units of the last place of b (subnormals: of the smallest). */
static double ulps(double a, double b)
{
    if (a == b)
        return 0;
    double ulp = nextafter(fabs(b), INFINITY) - fabs(b);
    return fabs(a - b) / ulp;
}

/* fl_vexp_neg, and (_i 1) fl_vexp_neg_nofma: the same bound with FMA or
 * without */
START_TEST(test_exp_neg)
{
    void (*exp_neg)(const double *, double *, size_t) =
        _i ? fl_vexp_neg_nofma : fl_vexp_neg;
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
    exp_neg(x, y, N);
    for (int i = 0; i < N; i++)
        ck_assert_msg(ulps(y[i], exp(x[i])) <= 1.0, "exp(%.17g) = %.17g, glibc %.17g",
                      x[i], y[i], exp(x[i]));
    ck_assert(y[0] == 1.0 && y[8] == 0.0 && y[9] == 0.0);
    gsl_rng_free(r);
}
END_TEST

/* fl_vlog1p_unit, and (_i 1) fl_vlog1p_unit_nofma */
START_TEST(test_log1p_unit)
{
    void (*log1p_unit)(const double *, double *, size_t) =
        _i ? fl_vlog1p_unit_nofma : fl_vlog1p_unit;
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
    log1p_unit(x, y, N);
    for (int i = 0; i < N; i++)
        ck_assert_msg(ulps(y[i], log1p(x[i])) <= 2.0, "log1p(%.17g) = %.17g, glibc %.17g",
                      x[i], y[i], log1p(x[i]));
    ck_assert(y[0] == 0.0);
    gsl_rng_free(r);
}
END_TEST

/* fl_vsigmoid_terms gives fl_example_init's terms (glibc's exp and log1p)
 * to a few ulps, for both labels, logits of every size, and without labels. */
START_TEST(test_sigmoid_terms)
{
    enum { N = 3000 };
    static double x[N], xt[N], pt[N], qt[N], ce[N], lq[N];
    static unsigned char pos[N];
    for (int i = 0; i < N; i++) {
        double u = sin(0.91 * i);
        x[i] = i % 4 == 0 ? 2 * u : i % 4 == 1 ? 40 * u : i % 4 == 2 ? 800 * u
                                                               : 1e4 * u;
        pos[i] = i % 3 == 0;
    }
    x[0] = 0.0;
    x[1] = -745.5;
    static double e[N];
    for (int run = 0; run < 4; run++) {
        int labels = run % 2, keep_e = run / 2;
        fl_vterms t = {xt, pt, qt, ce, lq, keep_e ? e : NULL};
        fl_vsigmoid_terms(x, labels ? pos : NULL, N, &t);
        for (int i = 0; i < N; i++) {
            fl_example ex;
            fl_example_init(&ex, x[i], labels ? pos[i] : 1);
            ck_assert(xt[i] == ex.xt);
            if (keep_e)
                ck_assert_msg(ulps(e[i], exp(-fabs(xt[i]))) <= 1,
                              "exp(-|%.17g|) = %.17g", xt[i], e[i]);
            ck_assert_msg(ulps(pt[i], ex.pt) <= 4 && ulps(qt[i], ex.qt) <= 4 &&
                              ulps(ce[i], ex.ce) <= 4 && ulps(lq[i], ex.lq) <= 4,
                          "x %.17g: %.17g %.17g %.17g %.17g, want %.17g %.17g "
                          "%.17g %.17g", x[i], pt[i], qt[i], ce[i], lq[i],
                          ex.pt, ex.qt, ex.ce, ex.lq);
        }
    }
}
END_TEST

/* exp(-|z|) to a long-double computation: within tol ulps, or, for a
 * value below the normal range, off by under 1e-316. */
static void check_exp_abs(double got, long double z, double tol)
{
    double want = (double)expl(-fabsl(z));
    ck_assert_msg(ulps(got, want) <= tol ||
                      (want < DBL_MIN && fabs(got - want) < 1e-316),
                  "exp(-|%.21Lg|) = %.17g, want %.17g (%.1f ulps)", z, got,
                  want, ulps(got, want));
}

/* fl_vexp_neg_star2 gives exp(-|2 x_t + b|) from exp(-|x_t|), glibc's (_i
 * 0: within 3 ulps and twice its half ulp) or fl_vexp_neg's (_i 1: twice
 * its one ulp), for b at its bounds, 0 and between, with x_t on both sides
 * of -b/2 (where z and x_t differ in sign), of every size, -0, and where
 * e^2 is subnormal while the result is not (b < 0, 2|x_t| > 708). */
START_TEST(test_exp_neg_star2)
{
    enum { N = 4000 };
    static double xt[N], e[N], out[N];
    static const double betas[] = {1, 0, -1, 0.3, -7.25, 16, -16};
    for (size_t bi = 0; bi < sizeof betas / sizeof *betas; bi++) {
        double b = betas[bi];
        for (int i = 0; i < N; i++) {
            double u = sin(0.37 * i + bi);
            xt[i] = i % 4 == 0 ? -b / 2 + 1e-3 * u
                    : i % 4 == 1 ? 10 * u
                    : i % 4 == 2 ? 800 * u
                                 : 354 + 10 * u; /* e^2 near the least normal */
        }
        xt[0] = 0.0;
        xt[1] = -b / 2;
        xt[2] = -0.0;
        for (int i = 0; i < N; i++)
            e[i] = _i ? -fabs(xt[i]) : exp(-fabs(xt[i]));
        if (_i)
            fl_vexp_neg(e, e, N);
        fl_vexp_neg_star2(xt, e, b, N, out);
        for (int i = 0; i < N; i++)
            check_exp_abs(out[i], 2.0L * xt[i] + b, _i ? 5.0 : 4.0);
        fl_vexp_neg_star2(xt, e, b, N, e); /* in place */
        ck_assert(memcmp(e, out, sizeof out) == 0);
    }
}
END_TEST

/* fl_vsoftplus_neg gives softplus(-z) and sigmoid(-z) as a long-double
 * computation does, from glibc's exp(-|z|). */
START_TEST(test_softplus_neg)
{
    enum { N = 3000 };
    static double z[N], e[N], sp[N], q[N];
    for (int i = 0; i < N; i++) {
        double u = sin(0.71 * i);
        z[i] = i % 3 == 0 ? 3 * u : i % 3 == 1 ? 40 * u : 900 * u;
        e[i] = exp(-fabs(z[i]));
    }
    z[0] = 0.0;
    fl_vsoftplus_neg(z, e, N, sp, q);
    for (int i = 0; i < N; i++) {
        long double zl = z[i], el = expl(-fabsl(zl));
        double want_sp = (double)((zl < 0 ? -zl : 0.0L) + log1pl(el));
        double want_q = (double)(zl >= 0 ? el / (1 + el) : 1 / (1 + el));
        ck_assert_msg(ulps(sp[i], want_sp) <= 4 && ulps(q[i], want_q) <= 4,
                      "z %.17g: %.17g %.17g, want %.17g %.17g", z[i], sp[i],
                      q[i], want_sp, want_q);
    }
    fl_vsoftplus_neg(z, e, N, e, q); /* sp in place of e */
    ck_assert(memcmp(e, sp, sizeof sp) == 0);
}
END_TEST

/* fl_vmodulating gives (1 - p_t)^gamma as a long-double computation does,
 * to the rounding of lq amplified by gamma lq (under 3e-14 here), and for
 * gamma 0, 1 and 2 exactly 1, q and q * q. */
START_TEST(test_modulating)
{
    enum { N = 1000 };
    static double x[N], xt[N], pt[N], qt[N], ce[N], lq[N], mod[N];
    for (int i = 0; i < N; i++)
        x[i] = 30.0 * sin(0.37 * i);
    fl_vsigmoid_terms(x, NULL, N, &(fl_vterms){xt, pt, qt, ce, lq, NULL});
    static const double gammas[] = {0, 0.5, 1, 2, 3.7};
    for (size_t g = 0; g < sizeof gammas / sizeof *gammas; g++) {
        fl_vmodulating(gammas[g], qt, lq, mod, N);
        for (int i = 0; i < N; i++) {
            double gm = gammas[g];
            if (gm == 0 || gm == 1 || gm == 2) {
                ck_assert(mod[i] == (gm == 0 ? 1 : gm == 1 ? qt[i] : qt[i] * qt[i]));
                continue;
            }
            /* 1 - p_t = 1 / (1 + e^x_t) */
            double want = (double)expl(-(long double)gm * log1pl(expl((long double)x[i])));
            ck_assert_msg(fabs(mod[i] - want) <= 3e-14 * want,
                          "gamma %g x %.17g: %.17g, want %.17g", gammas[g],
                          x[i], mod[i], want);
        }
    }
}
END_TEST

/* Sums by group, against long double sums: each within the bound of
 * vmath.h, (n + 2) eps relative, over every call; counts exact.  groups:
 * 4 draws any group, 1 only easy negatives, and 0 none (groups 1 to 3). */
static void check_group_sums(int groups)
{
    enum { N = 1001 };
    static double t[FL_VSUMS][N];
    static unsigned char group[N];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    for (int i = 0; i < N; i++) {
        group[i] = groups == 4 ? (unsigned char)gsl_rng_uniform_int(r, 4)
                   : groups == 1 ? 0
                                 : (unsigned char)(1 + gsl_rng_uniform_int(r, 3));
        for (int k = 0; k < FL_VSUMS; k++)
            t[k][i] = k == 0 ? 1.0 : exp(40.0 * gsl_rng_uniform(r) - 20.0);
    }
    const double *in[FL_VSUMS];
    for (int k = 0; k < FL_VSUMS; k++)
        in[k] = t[k];
    double got[FL_VSUMS][4];
    long double want[FL_VSUMS][4];
    uint64_t count[4] = {1, 2, 3, 4}, want_count[4] = {1, 2, 3, 4};
    for (int k = 0; k < FL_VSUMS; k++)
        for (int g = 0; g < 4; g++)
            got[k][g] = want[k][g] = k + 0.25 * g;
    /* whole blocks of 256, part ones, and each remainder mod 4 */
    static const size_t sizes[] = {0, 3, 334, 512, 669, 1001};
    size_t total = 0, calls = sizeof sizes / sizeof *sizes;
    for (size_t c = 0; c < calls; c++) {
        size_t n = sizes[c];
        fl_vgroup_sums(in, group, n, got, count);
        total += n;
        for (size_t i = 0; i < n; i++) {
            want_count[group[i]]++;
            for (int k = 0; k < FL_VSUMS; k++)
                want[k][group[i]] += t[k][i];
        }
    }
    ck_assert_mem_eq(count, want_count, sizeof count);
    double bound = (double)(total + 2 * calls) * DBL_EPSILON;
    for (int k = 0; k < FL_VSUMS; k++)
        for (int g = 0; g < 4; g++)
            ck_assert_msg(fabsl(got[k][g] - want[k][g]) <= bound * want[k][g],
                          "sum %d of group %d: %.17g, want %.17Lg", k, g,
                          got[k][g], want[k][g]);
    /* array 0 holds ones: its sums count the groups exactly */
    for (int g = 0; g < 4; g++)
        ck_assert(got[0][g] - 0.25 * g == (double)(want_count[g] - 1 - g));
    gsl_rng_free(r);
}

START_TEST(test_group_sums)
{
    check_group_sums(4);
}
END_TEST

START_TEST(test_group_sums_one_group)
{
    check_group_sums(1);
}
END_TEST

START_TEST(test_group_sums_no_easy)
{
    check_group_sums(0);
}
END_TEST

Suite *vmath_suite(void)
{
    Suite *s = suite_create("vmath");
    TCase *tc = tcase_create("vmath");
    tcase_add_loop_test(tc, test_exp_neg, 0, 2);
    tcase_add_loop_test(tc, test_log1p_unit, 0, 2);
    tcase_add_test(tc, test_sigmoid_terms);
    tcase_add_loop_test(tc, test_exp_neg_star2, 0, 2);
    tcase_add_test(tc, test_softplus_neg);
    tcase_add_test(tc, test_modulating);
    tcase_add_test(tc, test_group_sums);
    tcase_add_test(tc, test_group_sums_one_group);
    tcase_add_test(tc, test_group_sums_no_easy);
    suite_add_tcase(s, tc);
    return s;
}
