/* check_sort.c: the radix sort against a comparison sort. */
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <string.h>

#include "core/sort.h"
#include "testutil.h"

/* v's keys, in a new array. */
static uint64_t *keys_of(const double *v, size_t n)
{
    uint64_t *k = malloc((n ? n : 1) * sizeof *k);
    ck_assert_ptr_nonnull(k);
    for (size_t i = 0; i < n; i++)
        k[i] = fl_sort_key(v[i]);
    return k;
}

/* Sort v's keys on one thread and on two: both give v as gsl_sort sorts
 * it, and keys in ascending order. */
static void check_against_gsl(double *v, size_t n)
{
    double *want = malloc((n ? n : 1) * sizeof *want);
    ck_assert_ptr_nonnull(want);
    memcpy(want, v, n * sizeof *v);
    gsl_sort(want, 1, n);
    for (int threads = 1; threads <= 2; threads++) {
        uint64_t *k = keys_of(v, n);
        fl_sort_keys(&k, n, threads);
        for (size_t i = 0; i < n; i++) {
            double got = fl_sort_value(k[i]);
            ck_assert_msg(got == want[i], "%d threads, at %zu: %.17g, want %.17g",
                          threads, i, got, want[i]);
        }
        for (size_t i = 1; i < n; i++)
            ck_assert(k[i - 1] <= k[i]);
        free(k);
    }
    free(want);
}

/* A key's order is its double's, -0 before +0, and it gives the double back
 * to the bit. */
START_TEST(test_keys)
{
    static const double v[] = {-INFINITY, -1e300, -1.0, -4.9e-324, -0.0,
                               0.0, 4.9e-324, 2.2e-308, 1.0, 1e300, INFINITY};
    size_t n = sizeof v / sizeof *v;
    for (size_t i = 0; i < n; i++) {
        double back = fl_sort_value(fl_sort_key(v[i]));
        ck_assert(memcmp(&back, &v[i], sizeof back) == 0);
        if (i > 0)
            ck_assert(fl_sort_key(v[i - 1]) < fl_sort_key(v[i]));
    }
}
END_TEST

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

/* Half the keys differ in their lowest digit only: one pass sorts them,
 * into the scratch array, while the other half's keys take several passes;
 * every bucket still ends in the same array. */
START_TEST(test_halves_apart)
{
    enum { N = 10000 };
    static double v[N];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 32);
    for (size_t i = 0; i < N / 2; i++) {
        uint64_t u;
        double one = 1.0;
        memcpy(&u, &one, sizeof u);
        u += gsl_rng_uniform_int(r, 2048); /* below 1 + 2^-41 */
        memcpy(&v[i], &u, sizeof u);
    }
    for (size_t i = N / 2; i < N; i++)
        v[i] = (gsl_rng_uniform(r) - 0.5) * 1e6;
    check_against_gsl(v, N);
    gsl_rng_free(r);
}
END_TEST

/* n keys in [1, 1 + 2^-shift): all alike in their top 16 bits (and more),
 * so that the buckets too large for the caches split again, to the last
 * bits; one value in seven repeated. */
static void check_narrow(size_t n, int shift, unsigned long seed)
{
    double *v = malloc(n * sizeof *v);
    ck_assert_ptr_nonnull(v);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    for (size_t i = 0; i < n; i++)
        v[i] = i % 7 == 3 ? 1.0 : 1.0 + ldexp(gsl_rng_uniform(r), -shift);
    check_against_gsl(v, n);
    free(v);
    gsl_rng_free(r);
}

START_TEST(test_one_bucket)
{
    check_narrow(200000, 4, 33);  /* split once by the next 8 bits */
    check_narrow(300000, 12, 34); /* split twice */
    check_narrow(300000, 40, 35); /* alike down to the last 12 bits */
}
END_TEST

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Arrange n keys of v at the cuts, on one thread and on two: the same
 * order on both, the same keys as a full sort holds (as a multiset), and
 * at every cut no key before it larger than one after it; with the cuts
 * of a quantile each, where a full sort would put each key there. */
static void check_cuts(const double *v, size_t n, const size_t *cuts,
                       size_t ncuts)
{
    uint64_t *want = keys_of(v, n), *one = NULL;
    qsort(want, n, sizeof *want, cmp_u64);
    for (int threads = 1; threads <= 2; threads++) {
        uint64_t *k = keys_of(v, n);
        fl_sort_keys_at(&k, n, threads, cuts, ncuts);
        for (size_t c = 0; c < ncuts; c++) {
            size_t at = cuts[c];
            if (at == 0 || at == n)
                continue;
            uint64_t below = 0, above = UINT64_MAX;
            for (size_t i = 0; i < at; i++)
                below = k[i] > below ? k[i] : below;
            for (size_t i = at; i < n; i++)
                above = k[i] < above ? k[i] : above;
            ck_assert_msg(below <= above, "cut %zu of %zu", at, n);
            /* what stands before the cut is what a sort puts there */
            ck_assert(below == want[at - 1] && above == want[at]);
        }
        if (threads == 1) {
            one = k;
            continue;
        }
        ck_assert_mem_eq(k, one, n * sizeof *k);
        qsort(k, n, sizeof *k, cmp_u64);
        ck_assert_mem_eq(k, want, n * sizeof *k);
        free(k);
    }
    free(one);
    free(want);
}

/* Cuts at a few places, at many, repeated, at the ends, in keys of every
 * kind and in keys alike in their top bits (so that the large buckets
 * split again and again before a cut stands alone). */
START_TEST(test_cuts)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 36);
    enum { N = 300001 };
    double *v = malloc(N * sizeof *v);
    ck_assert_ptr_nonnull(v);
    for (int kind = 0; kind < 3; kind++) {
        for (size_t i = 0; i < N; i++) {
            double u = gsl_rng_uniform(r);
            v[i] = kind == 0   ? (u - 0.5) * 20
                   : kind == 1 ? 1.0 + ldexp(u, -20) /* one top bucket */
                               : (double)gsl_rng_uniform_int(r, 5); /* ties */
        }
        static const size_t few[] = {0, 1, 3000, 3000, 150000, 299999, N};
        check_cuts(v, N, few, sizeof few / sizeof *few);
        size_t many[201];
        for (size_t j = 0; j < 201; j++)
            many[j] = (size_t)(((uint64_t)j * N + 100) / 200);
        check_cuts(v, N, many, 201);
        static const size_t small[] = {1, 700, 1999};
        check_cuts(v, 2000, small, 3); /* small: sorted by comparison */
        check_cuts(v, N, many, 0);    /* no cut: nothing moves */
        static size_t every[5001];
        for (size_t j = 0; j <= 5000; j++)
            every[j] = j;
        check_cuts(v, 5000, every, 5001); /* a cut everywhere: a sort */
    }
    free(v);
    gsl_rng_free(r);
}
END_TEST

Suite *sort_suite(void)
{
    Suite *s = suite_create("sort");
    TCase *tc = tcase_create("sort");
    tcase_add_test(tc, test_keys);
    tcase_add_test(tc, test_random_values);
    tcase_add_test(tc, test_one_value_repeated);
    tcase_add_test(tc, test_halves_apart);
    tcase_add_test(tc, test_one_bucket);
    tcase_add_test(tc, test_cuts);
    suite_add_tcase(s, tc);
    return s;
}
