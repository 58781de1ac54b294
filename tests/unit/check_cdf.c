/* check_cdf.c: the curves' shape, and the headlines against a brute-force
 * sort of the focal losses. */
#include "core/cdf.h"
#include "fixture.h"
#include "core/status.h"
#include "testutil.h"

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* The share of the side's FL (alpha 0.25, as a user would have it) carried
 * by the ceil(num/den n) largest losses: sort every loss, sum the top. */
static double brute_top(const fl_fixture *f, int positive, double gamma,
                        unsigned num, unsigned den)
{
    fl_params p;
    fl_params_default(&p);
    p.gamma = gamma;
    double *v = malloc(f->n * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->positive[i] == positive) {
            fl_example ex;
            double g;
            fl_example_init(&ex, f->x[i], positive);
            v[n++] = fl_loss_eval(FL_LOSS_FOCAL, &p, &ex, &g);
        }
    qsort(v, n, sizeof *v, cmp_desc);
    size_t k = 0;
    while ((long double)k * den < (long double)num * n) /* k = ceil(q n) */
        k++;
    long double top = 0, all = 0;
    for (size_t i = 0; i < n; i++) {
        all += v[i];
        if (i < k)
            top += v[i];
    }
    free(v);
    return (double)(top / all);
}

static fl_cdf *filled(const fl_fixture *f)
{
    fl_cdf *c = fl_cdf_new();
    ck_assert_ptr_nonnull(c);
    /* in two batches, as the reader hands them over */
    fl_batch a = f->batch, b = f->batch;
    a.n = f->n / 3;
    b.x += a.n;
    b.positive += a.n;
    b.image += a.n;
    b.n -= a.n;
    ck_assert_int_eq(fl_cdf_add(c, &a), FL_OK);
    ck_assert_int_eq(fl_cdf_add(c, &b), FL_OK);
    fl_cdf_finish(c, 2);
    return c;
}

START_TEST(test_headlines_brute_force)
{
    fl_fixture f;
    fl_fixture_make(&f, 30011, 5);
    fl_cdf *c = filled(&f);
    double gammas[] = {0, 0.5, 1, 2, 5};
    fl_cdf_result *r = fl_cdf_result_new(c, gammas, 5, 200);
    ck_assert_ptr_nonnull(r);
    for (size_t g = 0; g < 5; g++) {
        ck_assert_close(r->top[3 * g], brute_top(&f, 1, gammas[g], 1, 5),
                        1e-12, 0);
        ck_assert_close(r->top[3 * g + 1], brute_top(&f, 0, gammas[g], 1, 100),
                        1e-12, 0);
        ck_assert_close(r->top[3 * g + 2], brute_top(&f, 0, gammas[g], 1, 10),
                        1e-12, 0);
    }
    /* other fractions through the scan itself */
    fl_cdf_point pts[10];
    size_t npts;
    fl_cdf_top tops[3] = {{.num = 1, .den = 3}, {.num = 7, .den = 7},
                          {.num = 0, .den = 4}};
    ck_assert_int_eq(fl_cdf_scan(c, 0, 2, 10, pts, &npts, tops, 3), FL_OK);
    ck_assert_close(tops[0].share, brute_top(&f, 0, 2, 1, 3), 1e-12, 0);
    ck_assert(tops[1].share == 1 && tops[2].share == 0);
    fl_cdf_result_free(r);
    fl_cdf_free(c);
    fl_fixture_free(&f);
}
END_TEST

START_TEST(test_curve_shape)
{
    fl_fixture f;
    fl_fixture_make(&f, 12345, 9);
    fl_cdf *c = filled(&f);
    ck_assert_uint_eq(fl_cdf_count(c, 0) + fl_cdf_count(c, 1), 12345);
    static const size_t max_points[] = {2, 3, 200, 100000};
    for (size_t m = 0; m < 4; m++)
        for (int side = 0; side <= 1; side++) {
            size_t n = fl_cdf_count(c, side);
            fl_cdf_point *pts = malloc(max_points[m] * sizeof *pts);
            size_t npts;
            ck_assert_int_eq(fl_cdf_scan(c, side, 2, max_points[m], pts, &npts,
                                         NULL, 0), FL_OK);
            ck_assert_uint_eq(npts, n + 1 < max_points[m] ? n + 1 : max_points[m]);
            ck_assert(pts[0].fraction == 0 && pts[0].share == 0);
            ck_assert(pts[npts - 1].fraction == 1 && pts[npts - 1].share == 1);
            for (size_t i = 1; i < npts; i++) {
                ck_assert(pts[i].fraction > pts[i - 1].fraction);
                ck_assert(pts[i].share >= pts[i - 1].share);
                /* easiest first: a share never runs ahead of its fraction */
                ck_assert(pts[i].share <= pts[i].fraction * (1 + 1e-12));
            }
            free(pts);
        }
    fl_cdf_free(c);
    fl_fixture_free(&f);
}
END_TEST

/* fl_cdf_result_new (its chunk sums on two threads when fl_cdf_finish had
 * two, only the chunks where a point is wanted computed again) gives what
 * a plain scan of each curve does, to the bit: with few points, and with
 * a point at every k. */
START_TEST(test_result_is_the_scan)
{
    fl_fixture f;
    fl_fixture_make(&f, 30011, 7);
    fl_cdf *c = filled(&f);
    double gammas[] = {0, 0.5, 2};
    static const size_t max_points[] = {3, 200, 40000};
    for (size_t m = 0; m < 3; m++) {
        size_t mp = max_points[m];
        fl_cdf_result *r = fl_cdf_result_new(c, gammas, 3, mp);
        ck_assert_ptr_nonnull(r);
        fl_cdf_point *pts = malloc(mp * sizeof *pts);
        ck_assert_ptr_nonnull(pts);
        for (size_t g = 0; g < 3; g++)
            for (int side = 0; side <= 1; side++) {
                size_t npts;
                fl_cdf_top tops[2] = {{.num = 1, .den = side ? 5 : 100},
                                      {.num = 1, .den = 10}};
                ck_assert_int_eq(fl_cdf_scan(c, side, gammas[g], mp, pts,
                                             &npts, tops, side ? 1 : 2),
                                 FL_OK);
                ck_assert_uint_eq(npts, r->npts[2 * g + (size_t)side]);
                ck_assert_mem_eq(pts, r->pts + (2 * g + (size_t)side) * mp,
                                 npts * sizeof *pts);
                if (side)
                    ck_assert(tops[0].share == r->top[3 * g]);
                else
                    ck_assert(tops[0].share == r->top[3 * g + 1] &&
                              tops[1].share == r->top[3 * g + 2]);
            }
        free(pts);
        fl_cdf_result_free(r);
    }
    fl_cdf_free(c);
    fl_fixture_free(&f);
}
END_TEST

START_TEST(test_every_point_small)
{
    /* four negatives, losses known: k easiest out of n, every k */
    double x[] = {3, -2, 0, 1};
    unsigned char pos[] = {0, 0, 0, 0};
    uint64_t img[4] = {0};
    fl_batch b = {.n = 4, .x = x, .positive = pos, .image = img};
    fl_cdf *c = fl_cdf_new();
    fl_cdf_add(c, &b);
    fl_cdf_finish(c, 1);
    /* CE of a negative with logit x is softplus(x) */
    double l[] = {fl_softplus(-2), fl_softplus(0), fl_softplus(1),
                  fl_softplus(3)};
    double total = l[0] + l[1] + l[2] + l[3];
    fl_cdf_point pts[10];
    size_t npts;
    fl_cdf_top top = {.num = 1, .den = 2};
    ck_assert_int_eq(fl_cdf_scan(c, 0, 0, 10, pts, &npts, &top, 1), FL_OK);
    ck_assert_uint_eq(npts, 5);
    double run = 0;
    for (size_t k = 0; k <= 4; k++) {
        ck_assert_close(pts[k].fraction, k / 4.0, 0, 0);
        ck_assert_close(pts[k].share, run / total, 1e-15, 1e-300);
        if (k < 4)
            run += l[k];
    }
    ck_assert_close(top.share, (l[2] + l[3]) / total, 1e-15, 0);
    /* no positives: no curve, no headline */
    ck_assert_int_eq(fl_cdf_scan(c, 1, 0, 10, pts, &npts, &top, 1), FL_OK);
    ck_assert_uint_eq(npts, 0);
    ck_assert(isnan(top.share));
    /* arguments out of range */
    ck_assert_int_eq(fl_cdf_scan(c, 0, 0, 1, pts, &npts, NULL, 0), FL_EINVAL);
    top.den = 0;
    ck_assert_int_eq(fl_cdf_scan(c, 0, 0, 10, pts, &npts, &top, 1), FL_EINVAL);
    fl_cdf_free(c);
}
END_TEST

Suite *cdf_suite(void)
{
    Suite *s = suite_create("cdf");
    TCase *tc = tcase_create("cdf");
    tcase_add_test(tc, test_headlines_brute_force);
    tcase_add_test(tc, test_curve_shape);
    tcase_add_test(tc, test_every_point_small);
    tcase_add_test(tc, test_result_is_the_scan);
    suite_add_tcase(s, tc);
    return s;
}
