/* check_gradhist.c: bins against a direct count, shares summing to one,
 * GHM-C's weights from their definition. */
#include "fixture.h"
#include "core/gradhist.h"
#include "core/status.h"
#include "testutil.h"

START_TEST(test_counts_and_shares)
{
    fl_fixture f;
    fl_fixture_make(&f, 20000, 21);
    fl_params p;
    fl_params_default(&p);
    size_t nb = 30;
    fl_gradhist *h = fl_gradhist_new(&p, nb);
    ck_assert_ptr_nonnull(h);
    ck_assert_int_eq(fl_gradhist_add(h, &f.batch), FL_OK);
    fl_gradhist_row rows[30];
    fl_gradhist_rows(h, rows);

    /* the direct count: g = |p - y| with p = 1 / (1 + e^-x) */
    uint64_t neg[30] = {0}, pos[30] = {0};
    for (size_t i = 0; i < f.n; i++) {
        double pr = 1.0 / (1.0 + exp(-f.x[i]));
        double g = fabs(pr - f.positive[i]);
        size_t k = (size_t)floor(g * (double)nb);
        if (k >= nb)
            k = nb - 1;
        if (f.positive[i])
            pos[k]++;
        else
            neg[k]++;
    }
    long double s[8] = {0};
    uint64_t nonempty = 0;
    for (size_t k = 0; k < nb; k++) {
        ck_assert_uint_eq(rows[k].neg, neg[k]);
        ck_assert_uint_eq(rows[k].pos, pos[k]);
        ck_assert_close(rows[k].g_lo, (double)k / 30, 1e-15, 0);
        ck_assert_close(rows[k].g_hi, (double)(k + 1) / 30, 1e-15, 0);
        const double v[8] = {rows[k].neg_share, rows[k].pos_share,
                             rows[k].ce_loss_share, rows[k].ce_grad_share,
                             rows[k].fl_loss_share, rows[k].fl_grad_share,
                             rows[k].ghm_loss_share, rows[k].ghm_grad_share};
        for (int j = 0; j < 8; j++) {
            ck_assert(v[j] >= 0);
            s[j] += v[j];
        }
        nonempty += neg[k] + pos[k] > 0;
    }
    for (int j = 0; j < 8; j++)
        ck_assert_close((double)s[j], 1.0, 1e-12, 0);
    /* GHM-C: every non-empty bin weighs valid / in bin / non-empty bins */
    for (size_t k = 0; k < nb; k++) {
        uint64_t n = neg[k] + pos[k];
        if (n)
            ck_assert_close(rows[k].ghm_weight,
                            (double)f.n / (double)n / (double)nonempty, 1e-15, 0);
        else
            ck_assert(isnan(rows[k].ghm_weight) && rows[k].ghm_loss_share == 0);
    }
    fl_gradhist_free(h);
    fl_fixture_free(&f);
}
END_TEST

START_TEST(test_known_bins)
{
    /* logit 0: g = 0.5 exactly, the first bin of the upper half; a very
     * confident right answer lands in bin 0, a very wrong one in the last */
    double x[] = {0, 0, 40, -40, -40};
    unsigned char pos[] = {1, 0, 1, 0, 1};
    uint64_t img[5] = {0};
    fl_batch b = {.n = 5, .x = x, .positive = pos, .image = img};
    fl_params p;
    fl_params_default(&p);
    fl_gradhist *h = fl_gradhist_new(&p, 4);
    fl_gradhist_add(h, &b);
    ck_assert_uint_eq(fl_gradhist_bin_of(h, 1.0), 3);
    ck_assert_uint_eq(fl_gradhist_bin_of(h, 0.0), 0);
    fl_gradhist_row rows[4];
    fl_gradhist_rows(h, rows);
    ck_assert(rows[0].pos == 1 && rows[0].neg == 1);
    ck_assert(rows[2].pos == 1 && rows[2].neg == 1);
    ck_assert(rows[3].pos == 1 && rows[3].neg == 0);
    ck_assert(rows[1].pos == 0 && rows[1].neg == 0 && isnan(rows[1].ghm_weight));
    /* CE |gradient| is g itself: 0.5 + 0.5 in bin 2 of about 2 in all */
    ck_assert_close(rows[2].ce_grad_share, 1.0 / (1.0 + 1.0 + 2 * exp(-40) / (1 + exp(-40))),
                    1e-12, 0);
    fl_gradhist_free(h);
}
END_TEST

Suite *gradhist_suite(void)
{
    Suite *s = suite_create("gradhist");
    TCase *tc = tcase_create("gradhist");
    tcase_add_test(tc, test_counts_and_shares);
    tcase_add_test(tc, test_known_bins);
    suite_add_tcase(s, tc);
    return s;
}
