/* check_loss.c: every loss and gradient against the reference curves, an
 * independent long-double derivation, and the properties that must hold. */
#include <float.h>
#include <gsl/gsl_rng.h>
#include <string.h>

#include "core/loss.h"
#include "testutil.h"

static fl_params params(int alpha_on, double alpha, double gamma)
{
    fl_params p;
    fl_params_default(&p);
    p.alpha_on = alpha_on;
    p.alpha = alpha;
    p.gamma = gamma;
    return p;
}

static double eval(enum fl_loss k, const fl_params *p, double x, int pos,
                   double *grad)
{
    fl_example ex;
    fl_example_init(&ex, x, pos);
    return fl_loss_eval(k, p, &ex, grad);
}

/* The paper's Figure 1 values, computed by PyTorch in float64. */
START_TEST(test_curves_reference)
{
    FILE *f = fopen(fl_test_reference("curves-figure1.csv"), "r");
    ck_assert_msg(f != NULL, "cannot open the reference curves");
    char line[512];
    int rows = 0;
    ck_assert(fgets(line, sizeof line, f) != NULL);
    ck_assert_str_eq(line, "p_t,gamma,ce,fl,dfl_dx_pos\n");
    double pt, gamma, ce, fl, dfl;
    while (fscanf(f, "%lf,%lf,%lf,%lf,%lf", &pt, &gamma, &ce, &fl, &dfl) == 5) {
        /* the logit of p_t, exact to the double p_t */
        double x = (double)(logl(pt) - log1pl(-(long double)pt));
        fl_params p = params(0, 0.25, gamma);
        double g;
        ck_assert_close(eval(FL_LOSS_CE, &p, x, 1, &g), ce, 1e-9, 1e-12);
        ck_assert_close(eval(FL_LOSS_FOCAL, &p, x, 1, &g), fl, 1e-9, 1e-12);
        ck_assert_close(g, dfl, 1e-9, 1e-12);
        /* a negative with logit -x has the same p_t, loss and |gradient| */
        ck_assert_close(eval(FL_LOSS_FOCAL, &p, -x, 0, &g), fl, 1e-9, 1e-12);
        ck_assert_close(g, -dfl, 1e-9, 1e-12);
        rows++;
    }
    fclose(f);
    ck_assert_int_eq(rows, 50);
}
END_TEST

/* Losses straight from the SPEC's definitions, in long double. */
static long double ref_loss(enum fl_loss k, const fl_params *p, long double x,
                            int pos)
{
    long double s = pos ? 1 : -1, xt = s * x;
    long double qt = 1.0L / (1.0L + expl(xt));
    long double at = !p->alpha_on ? 1 : pos ? p->alpha : 1 - p->alpha;
    long double ce = log1pl(expl(-xt));
    long double z;
    switch (k) {
    case FL_LOSS_CE:
    case FL_LOSS_OHEM:
        return ce;
    case FL_LOSS_ALPHA_CE:
        return at * ce;
    case FL_LOSS_FOCAL:
        return at * powl(qt, p->gamma) * ce;
    case FL_LOSS_FOCAL_STAR:
        z = p->star_gamma * xt + p->star_beta;
        return log1pl(expl(-z)) / p->star_gamma;
    default:
        return NAN;
    }
}

START_TEST(test_gradient_central_difference)
{
    static const double xs[] = {-12, -3.5, -1, -0.25, 0.1, 0.7, 2, 6, 15};
    static const double gammas[] = {0, 0.5, 1, 2, 5};
    for (int k = 0; k < FL_LOSS_PER_EXAMPLE; k++)
        for (size_t gi = 0; gi < sizeof gammas / sizeof *gammas; gi++)
            for (size_t xi = 0; xi < sizeof xs / sizeof *xs; xi++)
                for (int pos = 0; pos <= 1; pos++) {
                    fl_params p = params(1, 0.3, gammas[gi]);
                    p.star_gamma = 3;
                    p.star_beta = 0.5;
                    long double x = xs[xi], h = 1e-5L;
                    long double want = (ref_loss(k, &p, x + h, pos) -
                                        ref_loss(k, &p, x - h, pos)) / (2 * h);
                    double g;
                    double loss = eval(k, &p, xs[xi], pos, &g);
                    ck_assert_close(loss, (double)ref_loss(k, &p, x, pos),
                                    1e-13, 1e-300);
                    ck_assert_close(g, (double)want, 1e-8, 1e-14);
                }
}
END_TEST

START_TEST(test_extreme_logits_finite)
{
    static const double xs[] = {-1e4, -745, -700, -40, 0, 40, 700, 745, 1e4};
    static const double gammas[] = {0, 0.5, 1, 2, 5};
    static const double alphas[] = {0, 0.25, 1};
    for (size_t xi = 0; xi < sizeof xs / sizeof *xs; xi++)
        for (size_t gi = 0; gi < sizeof gammas / sizeof *gammas; gi++)
            for (size_t ai = 0; ai < 4; ai++)
                for (int pos = 0; pos <= 1; pos++)
                    for (int k = 0; k < FL_LOSS_PER_EXAMPLE; k++) {
                        fl_params p = params(ai < 3, ai < 3 ? alphas[ai] : 0,
                                             gammas[gi]);
                        double g;
                        double l = eval(k, &p, xs[xi], pos, &g);
                        ck_assert_msg(isfinite(l) && isfinite(g) && l >= 0,
                                      "loss %d x %g gamma %g: %g, %g", k,
                                      xs[xi], gammas[gi], l, g);
                    }
}
END_TEST

/* Far into either tail the exact values are known in closed form. */
START_TEST(test_tails)
{
    fl_params p = params(0, 0, 0.5);
    double g;
    /* a badly wrong positive: CE = -x, gradient -1 */
    ck_assert_close(eval(FL_LOSS_CE, &p, -1e4, 1, &g), 1e4, 1e-15, 0);
    ck_assert_close(g, -1.0, 1e-15, 0);
    /* a very easy negative: CE = exp(-40) */
    ck_assert_close(eval(FL_LOSS_CE, &p, -40, 0, &g), exp(-40), 1e-14, 0);
    ck_assert_close(g, exp(-40), 1e-14, 0);
    /* gamma < 1 at p_t = 1 (to double precision): no NaN, gradient 0 */
    double l = eval(FL_LOSS_FOCAL, &p, 1e4, 1, &g);
    ck_assert(l == 0.0 && g == 0.0);
    /* FL = (1 - p)^gamma * CE at x = 40: exp(-20) * exp(-40) */
    ck_assert_close(eval(FL_LOSS_FOCAL, &p, 40, 1, &g), exp(-60), 1e-12, 0);
}
END_TEST

START_TEST(test_degenerate_parameters)
{
    static const double xs[] = {-30, -2, -0.5, 0, 0.5, 2, 30};
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++)
        for (int pos = 0; pos <= 1; pos++) {
            double gc, gf, ga;
            fl_params p = params(1, 0.25, 0);
            /* gamma 0: FL is alpha-balanced CE exactly */
            double ce = eval(FL_LOSS_ALPHA_CE, &p, xs[i], pos, &ga);
            ck_assert(eval(FL_LOSS_FOCAL, &p, xs[i], pos, &gf) == ce);
            ck_assert(gf == ga);
            /* alpha off: alpha CE is CE */
            p.alpha_on = 0;
            ck_assert(eval(FL_LOSS_ALPHA_CE, &p, xs[i], pos, &ga) ==
                      eval(FL_LOSS_CE, &p, xs[i], pos, &gc));
            /* alpha 1 silences negatives, alpha 0 positives */
            p.alpha_on = 1;
            p.alpha = 1;
            p.gamma = 2;
            double l = eval(FL_LOSS_FOCAL, &p, xs[i], pos, &gf);
            ck_assert(pos ? l > 0 : l == 0 && gf == 0);
            p.alpha = 0;
            l = eval(FL_LOSS_FOCAL, &p, xs[i], pos, &gf);
            ck_assert(pos ? l == 0 && gf == 0 : l > 0);
            /* FL* with gamma 1 and beta 0 is CE */
            p.star_gamma = 1;
            p.star_beta = 0;
            ck_assert_close(eval(FL_LOSS_FOCAL_STAR, &p, xs[i], pos, &gf),
                            eval(FL_LOSS_CE, &p, xs[i], pos, &gc), 1e-15, 0);
            ck_assert_close(gf, gc, 1e-15, 0);
        }
}
END_TEST

START_TEST(test_groups)
{
    fl_example ex;
    fl_example_init(&ex, 0.0, 1); /* p_t = 0.5 is not above 0.5: hard */
    ck_assert_int_eq(fl_example_group(&ex, 0.5), FL_GROUP_HARD_POS);
    fl_example_init(&ex, 0.01, 1);
    ck_assert_int_eq(fl_example_group(&ex, 0.5), FL_GROUP_EASY_POS);
    fl_example_init(&ex, -3, 0);
    ck_assert_int_eq(fl_example_group(&ex, 0.5), FL_GROUP_EASY_NEG);
    ck_assert_int_eq(fl_example_group(&ex, 0.99), FL_GROUP_HARD_NEG);
    fl_example_init(&ex, 3, 0);
    ck_assert_int_eq(fl_example_group(&ex, 0.0), FL_GROUP_EASY_NEG);
}
END_TEST

START_TEST(test_names)
{
    ck_assert_str_eq(fl_loss_name(FL_LOSS_FOCAL_STAR), "focal_star");
    ck_assert_str_eq(fl_group_name(FL_GROUP_HARD_NEG), "hard_neg");
    ck_assert_ptr_null(fl_loss_name(FL_LOSS_COUNT));
    ck_assert_ptr_null(fl_group_name(FL_GROUP_COUNT));
}
END_TEST

START_TEST(test_prob_clamp)
{
    int clamped;
    ck_assert_close(fl_logit_from_prob(0.5, 1e-12, &clamped), 0.0, 0, 1e-300);
    ck_assert_int_eq(clamped, 0);
    double x = fl_logit_from_prob(0.0, 1e-12, &clamped);
    ck_assert_int_eq(clamped, 1);
    ck_assert_close(x, log(1e-12) - log1p(-1e-12), 1e-15, 0);
    x = fl_logit_from_prob(1.0, 1e-12, &clamped);
    ck_assert_int_eq(clamped, 1);
    ck_assert(isfinite(x) && x > 27 && x < 28);
    ck_assert_close(fl_logit_from_prob(0.25, 1e-12, &clamped), -log(3.0),
                    1e-15, 0);
    ck_assert_close(fl_softplus(-800), 0.0, 0, 1e-300);
    ck_assert_close(fl_softplus(-700), exp(-700), 1e-14, 0);
    ck_assert_close(fl_softplus(800), 800.0, 1e-16, 0);
}
END_TEST

/* The logit of a probability against log p - log1p(-p) in long double,
 * over p log-uniform from 1e-300 and uniform in (0, 1), and their
 * complements: within 2.5e-16 plus 4 units of 2^-52 relative (the
 * cancellation near p = 1/2 costs absolute digits, as it does in any
 * double formula). */
START_TEST(test_logit_accuracy)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    for (int i = 0; i < 1000000; i++) {
        double p = i % 2 ? gsl_rng_uniform_pos(r)
                         : exp(-690.0 * gsl_rng_uniform(r));
        if (i % 4 >= 2)
            p = 1.0 - p;
        if (!(p > 1e-300 && p < 1.0))
            continue;
        int clamped;
        double x = fl_logit_from_prob(p, 1e-300, &clamped);
        long double want = logl((long double)p) - log1pl(-(long double)p);
        double bound = 2.5e-16 + 4 * DBL_EPSILON * fabs((double)want);
        ck_assert_int_eq(clamped, 0);
        ck_assert_msg(fabsl((long double)x - want) <= bound,
                      "p %.17g: %.17g, want %.17Lg", p, x, want);
    }
    gsl_rng_free(r);
}
END_TEST

/* Softmax FL over K + 1 logits straight from its definition, in long
 * double. */
static long double ref_softmax_focal(const fl_params *p, const long double *z,
                                     size_t n, size_t t, int fg)
{
    long double m = z[0], sum = 0;
    for (size_t j = 1; j < n; j++)
        m = z[j] > m ? z[j] : m;
    for (size_t j = 0; j < n; j++)
        sum += expl(z[j] - m);
    long double logp = z[t] - m - logl(sum), pt = expl(logp);
    long double at = !p->alpha_on ? 1 : fg ? p->alpha : 1 - p->alpha;
    long double q = 0; /* 1 - p_t, as the other outputs' probabilities */
    for (size_t j = 0; j < n; j++)
        if (j != t)
            q += expl(z[j] - m) / sum;
    (void)pt;
    return -at * powl(q, p->gamma) * logp;
}

START_TEST(test_softmax_focal_gradients)
{
    static const double zs[][5] = {
        {1.5, -0.3, 0.2, -2.0, 0.7}, {-4, -3, 6, -1, 0.5}, {0.1, 0.1, 0.1, 0.1, 0.1},
        {12, -5, -7, 3, -1}, {-0.5, 2.5, -3.5, 1.0, 4.0},
    };
    static const double gammas[] = {0, 0.5, 2, 5};
    for (size_t c = 0; c < 5; c++)
        for (size_t gi = 0; gi < 4; gi++)
            for (size_t t = 0; t < 5; t++) {
                fl_params p = params(gi != 1, 0.25, gammas[gi]);
                int fg = t < 4; /* output 4 is the background */
                double grad[5];
                double loss = fl_softmax_focal(&p, zs[c], 5, t, fg, grad);
                long double z[5];
                for (int j = 0; j < 5; j++)
                    z[j] = zs[c][j];
                ck_assert_close(loss, (double)ref_softmax_focal(&p, z, 5, t, fg),
                                1e-13, 1e-300);
                double gsum = 0;
                for (int j = 0; j < 5; j++) {
                    long double h = 1e-5L, zj = z[j];
                    z[j] = zj + h;
                    long double up = ref_softmax_focal(&p, z, 5, t, fg);
                    z[j] = zj - h;
                    long double down = ref_softmax_focal(&p, z, 5, t, fg);
                    z[j] = zj;
                    /* the difference quotient resolves slopes to about
                     * 1e-19 |FL| / h */
                    ck_assert_close(grad[j], (double)((up - down) / (2 * h)), 1e-8,
                                    1e-13 * (1 + loss));
                    gsum += grad[j];
                }
                /* softmax gradients sum to zero over the logits */
                ck_assert_close(gsum, 0.0, 0, 1e-12);
            }
}
END_TEST

/* With one class and a background logit of 0, softmax is the sigmoid. */
START_TEST(test_softmax_one_class_is_sigmoid)
{
    static const double xs[] = {-30, -2, -0.1, 0, 0.4, 3, 25};
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++)
        for (int fg = 0; fg <= 1; fg++) {
            fl_params p = params(1, 0.25, 2);
            double z[2] = {xs[i], 0.0}, grad[2], g;
            double loss = fl_softmax_focal(&p, z, 2, fg ? 0 : 1, fg, grad);
            ck_assert_close(loss, eval(FL_LOSS_FOCAL, &p, xs[i], fg, &g), 1e-14, 1e-300);
            ck_assert_close(grad[0], g, 1e-14, 1e-300);
            ck_assert_close(fl_softmax_margin(z, 2, fg ? 0 : 1), fg ? xs[i] : -xs[i],
                            1e-15, 1e-300);
        }
}
END_TEST

Suite *loss_suite(void)
{
    Suite *s = suite_create("loss");
    TCase *tc = tcase_create("loss");
    tcase_add_test(tc, test_curves_reference);
    tcase_add_test(tc, test_gradient_central_difference);
    tcase_add_test(tc, test_extreme_logits_finite);
    tcase_add_test(tc, test_tails);
    tcase_add_test(tc, test_degenerate_parameters);
    tcase_add_test(tc, test_groups);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_prob_clamp);
    tcase_add_test(tc, test_logit_accuracy);
    tcase_add_test(tc, test_softmax_focal_gradients);
    tcase_add_test(tc, test_softmax_one_class_is_sigmoid);
    suite_add_tcase(s, tc);
    return s;
}
