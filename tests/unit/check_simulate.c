/* check_simulate.c: the generator's counts against binomial intervals, its
 * components' moments against their parameters, its layout, its
 * reproducibility, and its deterministic logarithm against long double. */
#include <float.h>
#include <gsl/gsl_statistics_double.h>
#include <string.h>

#include "core/simulate.h"
#include "core/status.h"
#include "testutil.h"

/* The two-sided 99.9% normal quantile. */
#define Z999 3.2905

static fl_sim *new_sim(const fl_sim_opts *o)
{
    fl_sim *s = NULL;
    ck_assert_int_eq(fl_sim_new(o, &s), FL_OK);
    ck_assert_ptr_nonnull(s);
    return s;
}

/* Counts of a whole run, by label and by component. */
typedef struct tally {
    uint64_t rows, pos, ign, neg;
    uint64_t comp[FL_SIM_NCOMP];
} tally;

static tally count_all(const fl_sim_opts *o)
{
    static fl_sim_row rows[1000];
    tally t = {0};
    fl_sim *s = new_sim(o);
    size_t n;
    while ((n = fl_sim_fill(s, rows, 1000)) > 0)
        for (size_t i = 0; i < n; i++) {
            t.rows++;
            t.pos += rows[i].label == 1;
            t.ign += rows[i].label == -1;
            t.neg += rows[i].label == 0;
            t.comp[rows[i].comp]++;
        }
    fl_sim_free(s);
    return t;
}

/* k successes in n trials of probability p lie in the 99.9% interval. */
static void assert_binomial(uint64_t k, uint64_t n, double p, const char *what)
{
    double mean = (double)n * p, sd = sqrt((double)n * p * (1 - p));
    ck_assert_msg(fabs((double)k - mean) <= Z999 * sd + 1e-9,
                  "%s: %llu of %llu, expected %g +- %g", what,
                  (unsigned long long)k, (unsigned long long)n, mean,
                  Z999 * sd);
}

START_TEST(test_log)
{
    /* against long double, within 2 ulp, over the whole range */
    static const double special[] = {
        1.0, 2.0, 0.5, 0.7071067811865476, 1.4142135623730951, 10.0, 99.0,
        1.0 + DBL_EPSILON, 1.0 - DBL_EPSILON / 2, 4.9406564584124654e-324,
        DBL_MIN, DBL_MAX, 1e-300, 3e200, 0.999, 1.001};
    for (size_t i = 0; i < sizeof special / sizeof *special; i++) {
        double x = special[i], want = (double)logl(x);
        double ulp = nextafter(fabs(want), INFINITY) - fabs(want);
        ck_assert_msg(fabs(fl_sim_log(x) - want) <= 2 * ulp,
                      "log(%.17g) = %.17g, want %.17g", x, fl_sim_log(x), want);
    }
    uint64_t state = 88172645463325252u;
    for (int i = 0; i < 200000; i++) {
        state ^= state << 13; /* xorshift64: an independent source of x */
        state ^= state >> 7;
        state ^= state << 17;
        double u = (double)(state >> 11) / 9007199254740992.0; /* [0, 1) */
        double x = ldexp(u + 0.5, (int)(state % 200) - 100);
        if (i % 2) /* near 1, where log is small */
            x = 1 + ldexp(u - 0.5, -(int)(state % 50));
        double want = (double)logl(x);
        double ulp = nextafter(fabs(want), INFINITY) - fabs(want);
        ck_assert_msg(fabs(fl_sim_log(x) - want) <= 2 * ulp,
                      "log(%.17g) = %.17g, want %.17g", x, fl_sim_log(x), want);
    }
    ck_assert(isnan(fl_sim_log(0.0)));
    ck_assert(isnan(fl_sim_log(-1.0)));
    ck_assert(isnan(fl_sim_log(INFINITY)));
    ck_assert(isnan(fl_sim_log(NAN)));
}
END_TEST

START_TEST(test_presets)
{
    enum fl_sim_preset p;
    for (int i = 0; i < FL_SIM_NPRESETS; i++) {
        ck_assert_int_eq(fl_sim_preset_parse(fl_sim_preset_name(i), &p), 0);
        ck_assert_int_eq(p, i);
    }
    ck_assert_int_eq(fl_sim_preset_parse("trained", &p), -1);
    ck_assert_ptr_null(fl_sim_preset_name(FL_SIM_NPRESETS));
    ck_assert_str_eq(fl_sim_comp_name(FL_SIM_HARD_NEG), "hard_neg");
    ck_assert_ptr_null(fl_sim_comp_name(FL_SIM_NCOMP));
    /* init: the paper's prior, b = -log((1 - pi) / pi) with pi = 0.01 */
    fl_sim_model m;
    fl_sim_model_preset(&m, FL_SIM_INIT);
    for (int c = 0; c < FL_SIM_NCOMP; c++)
        ck_assert_close(m.mean[c], -log((1 - 0.01) / 0.01), 1e-15, 0);
    /* converged: negatives easier than hard negatives, positives above 0 */
    fl_sim_model_preset(&m, FL_SIM_CONVERGED);
    ck_assert(m.mean[FL_SIM_EASY_NEG] < m.mean[FL_SIM_HARD_NEG]);
    ck_assert(m.mean[FL_SIM_POS] > 0 && m.hard_frac > 0 && m.hard_frac < 0.5);
}
END_TEST

START_TEST(test_fractions_binomial)
{
    /* the totals of independent per-image binomials are binomial */
    static const double fracs[][2] = {{0.001, 0.001}, {0.01, 0.03},
                                      {0.3, 0.2}};
    for (size_t i = 0; i < sizeof fracs / sizeof *fracs; i++) {
        fl_sim_opts o;
        fl_sim_opts_default(&o);
        o.images = 7;
        o.anchors = 150000;
        o.classes = 2;
        o.pos_frac = fracs[i][0];
        o.ign_frac = fracs[i][1];
        o.seed = 11 + (uint32_t)i;
        tally t = count_all(&o);
        ck_assert_uint_eq(t.rows, 7 * 150000 * 2);
        ck_assert_uint_eq(t.pos + t.ign + t.neg, t.rows);
        assert_binomial(t.pos, t.rows, o.pos_frac, "positives");
        assert_binomial(t.ign, t.rows, o.ign_frac, "ignored");
        /* negatives split between easy and hard with the preset's share */
        assert_binomial(t.comp[FL_SIM_HARD_NEG], t.neg, o.model.hard_frac,
                        "hard negatives");
    }
}
END_TEST

START_TEST(test_edge_fractions)
{
    fl_sim_opts o;
    fl_sim_opts_default(&o);
    o.anchors = 1000;
    o.images = 3;
    o.pos_frac = 1;
    o.ign_frac = 0;
    tally t = count_all(&o);
    ck_assert_uint_eq(t.pos, 3000);
    o.pos_frac = 0;
    t = count_all(&o);
    ck_assert_uint_eq(t.neg, 3000);
    o.pos_frac = 0.25;
    o.ign_frac = 0.75;
    t = count_all(&o);
    ck_assert_uint_eq(t.neg, 0);
    ck_assert_uint_eq(t.pos + t.ign, 3000);
    /* and they are mixed, not positives first: a random order of P
     * positives among 1000 changes label about 2 P (1000 - P) / 1000 times */
    fl_sim_row rows[1000];
    fl_sim *s = new_sim(&o);
    ck_assert_uint_eq(fl_sim_fill(s, rows, 1000), 1000);
    fl_sim_free(s);
    int pos = rows[0].label == 1, changes = 0;
    for (int i = 1; i < 1000; i++) {
        pos += rows[i].label == 1;
        changes += rows[i].label != rows[i - 1].label;
    }
    double want = 2.0 * pos * (1000 - pos) / 1000;
    ck_assert_msg(fabs(changes - want) < 0.25 * want, "%d changes, want %g",
                  changes, want);
    o.ign_frac = 0;
    o.model.hard_frac = 1;
    t = count_all(&o);
    ck_assert_uint_eq(t.comp[FL_SIM_EASY_NEG], 0);
    ck_assert_uint_eq(t.comp[FL_SIM_HARD_NEG], t.neg);
}
END_TEST

/* Each component's logits: mean within 4 standard errors of its parameter,
 * sd within 4 standard errors of a normal sample's sd, for every preset and
 * for a model where every component differs. */
static void check_moments(const fl_sim_opts *o)
{
    size_t cap = (size_t)(o->images * o->anchors * o->classes);
    double *x[FL_SIM_NCOMP];
    size_t n[FL_SIM_NCOMP] = {0};
    for (int c = 0; c < FL_SIM_NCOMP; c++)
        ck_assert_ptr_nonnull(x[c] = malloc(cap * sizeof(double)));
    static fl_sim_row rows[1000];
    fl_sim *s = new_sim(o);
    size_t k;
    while ((k = fl_sim_fill(s, rows, 1000)) > 0)
        for (size_t i = 0; i < k; i++) {
            ck_assert_close(rows[i].logit,
                            (double)rows[i].logit_units / FL_SIM_LOGIT_SCALE,
                            0, 0);
            x[rows[i].comp][n[rows[i].comp]++] = rows[i].logit;
        }
    fl_sim_free(s);
    for (int c = 0; c < FL_SIM_NCOMP; c++) {
        if (n[c] < 1000) { /* too few to test; none when its weight is 0 */
            free(x[c]);
            continue;
        }
        double mu = o->model.mean[c], sd = o->model.sd[c];
        double m = gsl_stats_mean(x[c], 1, n[c]);
        double s_ = gsl_stats_sd_m(x[c], 1, n[c], m);
        double se_mean = sd / sqrt((double)n[c]);
        double se_sd = sd / sqrt(2.0 * (double)n[c]);
        /* + 1e-6: the logits' six decimals */
        ck_assert_msg(fabs(m - mu) <= 4 * se_mean + 1e-6,
                      "%s: mean %.9g, want %g +- %g", fl_sim_comp_name(c), m,
                      mu, 4 * se_mean);
        ck_assert_msg(fabs(s_ - sd) <= 4 * se_sd + 1e-6,
                      "%s: sd %.9g, want %g +- %g", fl_sim_comp_name(c), s_,
                      sd, 4 * se_sd);
        free(x[c]);
    }
}

START_TEST(test_component_moments)
{
    fl_sim_opts o;
    fl_sim_opts_default(&o);
    o.images = 4;
    o.anchors = 100000;
    o.pos_frac = 0.02;
    o.ign_frac = 0.02;
    for (int p = 0; p < FL_SIM_NPRESETS; p++) {
        fl_sim_model_preset(&o.model, p);
        o.seed = 100 + (uint32_t)p;
        check_moments(&o);
    }
    const double mean[] = {-7.5, 0.25, 3, -1}, sd[] = {0.5, 3, 1.25, 0.01};
    memcpy(o.model.mean, mean, sizeof mean);
    memcpy(o.model.sd, sd, sizeof sd);
    o.model.hard_frac = 0.3;
    check_moments(&o);
}
END_TEST

/* The normal deviates' tails: the share beyond 2 and 3 standard deviations
 * is what a normal distribution gives (moments alone would not see a
 * uniform or a bimodal law with the same mean and sd). */
START_TEST(test_normal_tails)
{
    fl_sim_opts o;
    fl_sim_opts_default(&o);
    o.anchors = 1000000;
    o.pos_frac = o.ign_frac = 0;
    o.model.hard_frac = 0;
    o.model.mean[FL_SIM_EASY_NEG] = 0;
    o.model.sd[FL_SIM_EASY_NEG] = 1;
    static fl_sim_row rows[1000];
    uint64_t n = 0, beyond2 = 0, beyond3 = 0, below0 = 0;
    fl_sim *s = new_sim(&o);
    size_t k;
    while ((k = fl_sim_fill(s, rows, 1000)) > 0)
        for (size_t i = 0; i < k; i++, n++) {
            beyond2 += fabs(rows[i].logit) > 2;
            beyond3 += fabs(rows[i].logit) > 3;
            below0 += rows[i].logit < 0;
        }
    fl_sim_free(s);
    assert_binomial(beyond2, n, erfc(2 / sqrt(2.0)), "|z| > 2");
    assert_binomial(beyond3, n, erfc(3 / sqrt(2.0)), "|z| > 3");
    assert_binomial(below0, n, 0.5, "z < 0");
}
END_TEST

START_TEST(test_layout)
{
    fl_sim_opts o;
    fl_sim_opts_default(&o);
    o.images = 5;
    o.anchors = 7;
    o.classes = 3;
    o.pos_frac = 0.3;
    fl_sim_row rows[200];
    fl_sim *s = new_sim(&o);
    /* in small pieces, to cross every boundary */
    size_t total = 0, k;
    while ((k = fl_sim_fill(s, rows + total, 4)) > 0)
        total += k;
    ck_assert_uint_eq(total, 5 * 7 * 3);
    ck_assert_uint_eq(fl_sim_fill(s, rows, 4), 0);
    fl_sim_free(s);
    for (size_t i = 0; i < total; i++) {
        ck_assert_uint_eq(rows[i].image, i / 21);
        ck_assert_uint_eq(rows[i].anchor, i % 21 / 3);
        ck_assert_uint_eq(rows[i].klass, i % 3);
    }
}
END_TEST

static int same_rows(const fl_sim_row *a, const fl_sim_row *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].image != b[i].image || a[i].anchor != b[i].anchor ||
            a[i].klass != b[i].klass || a[i].label != b[i].label ||
            a[i].comp != b[i].comp || a[i].logit_units != b[i].logit_units)
            return 0;
    return 1;
}

/* The stream depends on the seed and options only, not on how it is read. */
START_TEST(test_reproducible)
{
    enum { N = 30000 };
    static fl_sim_row a[N], b[N], c[N];
    fl_sim_opts o;
    fl_sim_opts_default(&o);
    o.images = 3;
    o.anchors = N / 3;
    o.pos_frac = 0.05;
    o.spread = 0.5;
    o.seed = 42;
    fl_sim *s = new_sim(&o);
    ck_assert_uint_eq(fl_sim_fill(s, a, N), N);
    fl_sim_free(s);
    s = new_sim(&o);
    size_t got = 0, k;
    while ((k = fl_sim_fill(s, b + got, 333)) > 0)
        got += k;
    fl_sim_free(s);
    ck_assert_uint_eq(got, N);
    ck_assert(same_rows(a, b, N));
    o.seed = 43;
    s = new_sim(&o);
    ck_assert_uint_eq(fl_sim_fill(s, c, N), N);
    fl_sim_free(s);
    ck_assert(!same_rows(a, c, N));
    /* the first rows already differ, not just the counts */
    size_t differ = 0;
    for (size_t i = 0; i < 100; i++)
        differ += a[i].logit_units != c[i].logit_units;
    ck_assert_uint_gt(differ, 90);
}
END_TEST

/* Without a spread each image's positive count is binomial; with spread S
 * the coefficient of variation of the images' shares is close to S. */
START_TEST(test_spread)
{
    enum { IMAGES = 400 };
    static const double spreads[] = {0, 0.6};
    for (size_t j = 0; j < 2; j++) {
        fl_sim_opts o;
        fl_sim_opts_default(&o);
        o.images = IMAGES;
        o.anchors = 5000;
        o.pos_frac = 0.06;
        o.ign_frac = 0.04;
        o.spread = spreads[j];
        o.seed = 9;
        double share[IMAGES] = {0}, pos[IMAGES] = {0};
        static fl_sim_row rows[5000];
        fl_sim *s = new_sim(&o);
        for (int i = 0; i < IMAGES; i++) {
            ck_assert_uint_eq(fl_sim_fill(s, rows, 5000), 5000);
            for (int k = 0; k < 5000; k++) {
                share[i] += rows[k].label != 0;
                pos[i] += rows[k].label == 1;
            }
            share[i] /= 5000;
        }
        fl_sim_free(s);
        double m = gsl_stats_mean(share, 1, IMAGES);
        double cv = gsl_stats_sd_m(share, 1, IMAGES, m) / m;
        /* binomial noise alone: sqrt((1 - t) / (n t)) */
        double noise = sqrt(0.9 / (5000 * 0.1));
        double want = sqrt(spreads[j] * spreads[j] + noise * noise);
        /* 0.2: over 4 standard errors of a sample cv from 400 images */
        ck_assert_msg(fabs(cv - want) <= 0.2 * want,
                      "spread %g: cv %g, want %g", spreads[j], cv, want);
        ck_assert_close(m, 0.1, 5 * want / sqrt(IMAGES), 0);
        /* positives keep their part of the marked examples */
        double tp = 0, tm = 0;
        for (int i = 0; i < IMAGES; i++) {
            tp += pos[i];
            tm += share[i] * 5000;
        }
        assert_binomial((uint64_t)tp, (uint64_t)tm, 0.6, "positives' part");
    }
}
END_TEST

START_TEST(test_bad_options)
{
    fl_sim_opts good;
    fl_sim_opts_default(&good);
    ck_assert_int_eq(fl_sim_opts_check(&good), FL_OK);
    for (int i = 0; i < 14; i++) {
        fl_sim_opts o = good;
        switch (i) {
        case 0: o.images = 0; break;
        case 1: o.anchors = 0; break;
        case 2: o.classes = 0; break;
        case 3: o.seed = 0; break;
        case 4: o.pos_frac = 1.5; break;
        case 5: o.ign_frac = -0.1; break;
        case 6: o.pos_frac = 0.6; o.ign_frac = 0.5; break;
        case 7: o.spread = 50; break; /* sqrt(0.998 / 0.002) = 22.3 */
        case 8: o.pos_frac = o.ign_frac = 0; o.spread = 0.1; break;
        case 9: o.model.sd[FL_SIM_POS] = -1; break;
        case 10: o.model.mean[FL_SIM_IGN] = 1001; break;
        case 11: o.model.hard_frac = NAN; break;
        case 12: o.anchors = 65536; o.classes = 65536; break;
        case 13: o.spread = NAN; break;
        }
        fl_sim *s = (fl_sim *)&good; /* must be reset to NULL */
        ck_assert_int_eq(fl_sim_new(&o, &s), FL_EINVAL);
        ck_assert_ptr_null(s);
    }
    fl_sim_opts o = good;
    o.anchors = 65535;
    o.classes = 65537; /* 2^32 - 1 examples: the most an image may have */
    ck_assert_int_eq(fl_sim_opts_check(&o), FL_OK);
    o.spread = 22.3;
    ck_assert_int_eq(fl_sim_opts_check(&o), FL_OK);
    ck_assert_close(fl_sim_max_spread(0.001, 0.001), sqrt(0.998 / 0.002), 1e-15,
                    0);
    fl_sim_free(NULL);
}
END_TEST

Suite *simulate_suite(void)
{
    Suite *s = suite_create("simulate");
    TCase *tc = tcase_create("simulate");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_log);
    tcase_add_test(tc, test_presets);
    tcase_add_test(tc, test_fractions_binomial);
    tcase_add_test(tc, test_edge_fractions);
    tcase_add_test(tc, test_component_moments);
    tcase_add_test(tc, test_normal_tails);
    tcase_add_test(tc, test_layout);
    tcase_add_test(tc, test_reproducible);
    tcase_add_test(tc, test_spread);
    tcase_add_test(tc, test_bad_options);
    suite_add_tcase(s, tc);
    return s;
}
