/* check_loss_terms.c: the loss table's rules, and every loss's array terms
 * against its one-example formula of loss.c. */
#include <gsl/gsl_rng.h>
#include <string.h>

#include "core/loss.h"
#include "core/loss_terms.h"
#include "testutil.h"

/* The rows: unique names, per-example rows first, alpha_of naming a
 * per-example row with terms of its own. */
START_TEST(test_table_rules)
{
    int seen_selected = 0;
    for (int k = 0; k < FL_LOSS_COUNT; k++) {
        const fl_loss_info *in = fl_loss_info_of((enum fl_loss)k);
        ck_assert_ptr_nonnull(in);
        ck_assert_str_eq(in->name, fl_loss_name((enum fl_loss)k));
        for (int j = 0; j < k; j++)
            ck_assert_str_ne(in->name, fl_loss_name((enum fl_loss)j));
        if (in->scope == FL_SCOPE_SELECTED)
            seen_selected = 1;
        ck_assert_int_eq(in->scope == FL_SCOPE_EXAMPLE,
                         k < FL_LOSS_PER_EXAMPLE);
        ck_assert(!(seen_selected && in->scope == FL_SCOPE_EXAMPLE));
        int base = fl_loss_alpha_of(k);
        if (base >= 0) {
            ck_assert_int_lt(base, FL_LOSS_PER_EXAMPLE);
            ck_assert_int_lt(fl_loss_alpha_of(base), 0);
        }
        ck_assert(in->needs & FL_NEED_LOGIT);
    }
    ck_assert_ptr_null(fl_loss_info_of(FL_LOSS_COUNT));
    ck_assert_int_eq(fl_loss_alpha_of(FL_LOSS_COUNT), -1);
}
END_TEST

/* alpha_of's promise: the loss is a_t times its base, value and
 * gradient, exactly, for every example. */
START_TEST(test_alpha_of_is_exact)
{
    fl_params p;
    fl_params_default(&p);
    const double xs[] = {-800, -30, -2.5, -1e-9, 0, 0.3, 4, 37, 800};
    for (int k = 0; k < FL_LOSS_PER_EXAMPLE; k++) {
        int base = fl_loss_alpha_of(k);
        for (size_t i = 0; base >= 0 && i < sizeof xs / sizeof *xs; i++)
            for (int pos = 0; pos < 2; pos++) {
                fl_example ex;
                fl_example_init(&ex, xs[i], pos);
                double g, gb, at = fl_alpha_t(&p, pos);
                double l = fl_loss_eval((enum fl_loss)k, &p, &ex, &g);
                double lb = fl_loss_eval((enum fl_loss)base, &p, &ex, &gb);
                ck_assert(l == at * lb);
                ck_assert(g == at * gb);
            }
    }
}
END_TEST

/* Parameter sets that take every path of the array code: the integer
 * gammas' shortcuts and exp(-gamma lq), FL*'s g* = 2 shortcut (and its
 * |b*| bound), a power-of-two g* and another, alpha on and off. */
static fl_params case_params(int c)
{
    static const double gammas[] = {0, 1, 2, 0.5, 3.7, 2};
    static const double star_g[] = {2, 2, 4, 3, 2, 0.75};
    static const double star_b[] = {1, -16, 0, 2.5, 17, -3};
    fl_params p;
    fl_params_default(&p);
    p.gamma = gammas[c];
    p.star_gamma = star_g[c];
    p.star_beta = star_b[c];
    p.alpha_on = c != 3;
    p.alpha = c == 4 ? 0.9 : 0.25;
    return p;
}

START_TEST(test_array_terms_match_eval)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 12345);
    static fl_chunk_terms t;
    double x[FL_CHUNK];
    unsigned char pos[FL_CHUNK];
    for (int c = 0; c < 6; c++) {
        fl_params p = case_params(c);
        size_t n = FL_CHUNK - (size_t)c * 37; /* and ragged ends */
        for (size_t i = 0; i < n; i++) {
            double u = gsl_rng_uniform(r);
            x[i] = i % 17 == 0 ? (u - 0.5) * 1400 : (u - 0.5) * 40;
            pos[i] = gsl_rng_uniform(r) < 0.3;
        }
        fl_chunk_terms_compute(&p, x, pos, n, &t);
        for (int k = 0; k < FL_LOSS_PER_EXAMPLE; k++) {
            int base = fl_loss_alpha_of(k);
            ck_assert(base >= 0 ? t.loss_of[k] == NULL
                                : t.loss_of[k] != NULL);
            for (size_t i = 0; base < 0 && i < n; i++) {
                fl_example ex;
                fl_example_init(&ex, x[i], pos[i]);
                double g, l = fl_loss_eval((enum fl_loss)k, &p, &ex, &g);
                /* vmath's exp and log1p: a few ulps */
                ck_assert_close(t.loss_of[k][i], l, 4e-15, 1e-300);
                ck_assert_close(t.grad_of[k][i], fabs(g), 4e-15, 1e-300);
            }
        }
    }
    gsl_rng_free(r);
}
END_TEST

Suite *loss_terms_suite(void)
{
    Suite *s = suite_create("loss_terms");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_table_rules);
    tcase_add_test(tc, test_alpha_of_is_exact);
    tcase_add_test(tc, test_array_terms_match_eval);
    suite_add_tcase(s, tc);
    return s;
}
