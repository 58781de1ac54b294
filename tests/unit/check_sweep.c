/* check_sweep.c: the one-pass grid against summarize's focal row and a
 * direct per-cell computation; the balancing alphas by recomputing both
 * sides. */
#include "fixture.h"
#include "core/status.h"
#include "core/summary.h"
#include "core/sweep.h"
#include "testutil.h"

/* Focal loss with alpha, summed over the fixture's examples of class key
 * (klass NULL: all of them) straight from the loss code, per group, in
 * long double; return how many are positive. */
static size_t direct_of(const fl_fixture *f, const uint32_t *klass,
                        uint32_t key, double gamma, double alpha,
                        long double loss[FL_GROUP_COUNT],
                        long double grad[FL_GROUP_COUNT])
{
    size_t positives = 0;
    fl_params p;
    fl_params_default(&p);
    p.alpha = alpha;
    p.gamma = gamma;
    for (int g = 0; g < FL_GROUP_COUNT; g++)
        loss[g] = grad[g] = 0;
    for (size_t i = 0; i < f->n; i++) {
        fl_example ex;
        double gr;
        if (klass && klass[i] != key)
            continue;
        fl_example_init(&ex, f->x[i], f->positive[i]);
        enum fl_group g = fl_example_group(&ex, p.easy);
        loss[g] += fl_loss_eval(FL_LOSS_FOCAL, &p, &ex, &gr);
        grad[g] += fabs(gr);
        positives += f->positive[i];
    }
    return positives;
}

static void direct(const fl_fixture *f, double gamma, double alpha,
                   long double loss[FL_GROUP_COUNT],
                   long double grad[FL_GROUP_COUNT])
{
    direct_of(f, NULL, 0, gamma, alpha, loss, grad);
}

START_TEST(test_cell_equals_summarize)
{
    fl_fixture f;
    fl_fixture_make(&f, 20000, 7);
    double gammas[] = {0, 0.5, 2, 5};
    fl_sweep *s = fl_sweep_new(gammas, 4, 0.5);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(fl_sweep_add(s, &f.batch), FL_OK);

    fl_params p;
    fl_params_default(&p); /* alpha 0.25, gamma 2: the paper's cell */
    fl_summary *sum = fl_summary_new(&p);
    ck_assert_int_eq(fl_summary_add(sum, &f.batch), FL_OK);
    fl_summary_finish(sum);
    fl_cell total;
    fl_summary_total(sum, FL_LOSS_FOCAL, &total);

    fl_sweep_cell c;
    fl_sweep_cell_at(s, 2, 0.25, &c);
    double want = fl_ksum_value(&total.loss);
    ck_assert_close(c.loss_sum, want, 1e-12, 0);
    ck_assert_close(c.grad_sum, fl_ksum_value(&total.grad), 1e-12, 0);
    for (int g = 0; g < FL_GROUP_COUNT; g++) {
        const fl_cell *cell = &sum->cell[FL_LOSS_FOCAL][g];
        ck_assert_close(c.loss_share[g], fl_ksum_value(&cell->loss) / want,
                        1e-12, 0);
        ck_assert_close(c.grad_share[g],
                        fl_ksum_value(&cell->grad) / fl_ksum_value(&total.grad),
                        1e-12, 0);
    }
    uint64_t pos = sum->cell[FL_LOSS_FOCAL][FL_GROUP_EASY_POS].count +
                   sum->cell[FL_LOSS_FOCAL][FL_GROUP_HARD_POS].count;
    ck_assert_close(c.loss_per_pos, want / (double)pos, 1e-12, 0);
    fl_summary_free(sum);
    fl_sweep_free(s);
    fl_fixture_free(&f);
}
END_TEST

START_TEST(test_every_cell_direct)
{
    fl_fixture f;
    fl_fixture_make(&f, 5000, 11);
    double gammas[] = {0, 0.1, 1, 2, 5};
    double alphas[] = {0, 0.1, 0.25, 0.5, 0.999, 1};
    fl_sweep *s = fl_sweep_new(gammas, 5, 0.5);
    fl_sweep_add(s, &f.batch);
    for (size_t gi = 0; gi < 5; gi++)
        for (size_t ai = 0; ai < 6; ai++) {
            long double loss[FL_GROUP_COUNT], grad[FL_GROUP_COUNT];
            long double lt = 0, gt = 0;
            direct(&f, gammas[gi], alphas[ai], loss, grad);
            for (int g = 0; g < FL_GROUP_COUNT; g++) {
                lt += loss[g];
                gt += grad[g];
            }
            fl_sweep_cell c;
            fl_sweep_cell_at(s, gi, alphas[ai], &c);
            ck_assert(c.gamma == gammas[gi] && c.alpha == alphas[ai]);
            ck_assert_close(c.loss_sum, (double)lt, 1e-12, 0);
            ck_assert_close(c.grad_sum, (double)gt, 1e-12, 0);
            for (int g = 0; g < FL_GROUP_COUNT; g++) {
                ck_assert_close(c.loss_share[g], (double)(loss[g] / lt), 1e-12,
                                1e-300);
                ck_assert_close(c.grad_share[g], (double)(grad[g] / gt), 1e-12,
                                1e-300);
            }
        }
    fl_sweep_free(s);
    fl_fixture_free(&f);
}
END_TEST

static int sweep_add(void *s, const fl_batch *b)
{
    return fl_sweep_add(s, b);
}

/* Per class, added in batches of several sizes: each key's cells are the
 * direct sums over its examples (each key holds thousands, so its sums
 * are folded within a batch and at its end); examples without a class are
 * in no key. */
START_TEST(test_keys_direct)
{
    enum { N = 30000, K = 11 };
    fl_fixture f;
    fl_fixture_make(&f, N, 5);
    fl_fixture_classes(&f, K);
    const uint32_t *klass = f.klass;
    double gammas[] = {0, 0.5, 2, 3, 5};
    fl_sweep *s = fl_sweep_new(gammas, 5, 0.5);
    ck_assert_ptr_nonnull(s);
    fl_sweep_set_by(s, FL_BY_CLASS);
    ck_assert_int_eq(fl_fixture_add_in_pieces(&f, sweep_add, s), FL_OK);
    for (uint32_t key = 0; key < K; key++)
        for (size_t gi = 0; gi < 5; gi++) {
            long double loss[FL_GROUP_COUNT], grad[FL_GROUP_COUNT];
            long double lt = 0, gt = 0;
            size_t pos = direct_of(&f, klass, key, gammas[gi], 0.25, loss, grad);
            for (int g = 0; g < FL_GROUP_COUNT; g++) {
                lt += loss[g];
                gt += grad[g];
            }
            fl_sweep_cell c;
            ck_assert_int_eq(fl_sweep_key_cell_at(s, key, gi, 0.25, &c), 0);
            ck_assert_close(c.loss_sum, (double)lt, 1e-12, 0);
            ck_assert_close(c.grad_sum, (double)gt, 1e-12, 0);
            ck_assert_uint_gt(pos, 0);
            ck_assert_close(c.loss_per_pos, (double)(lt / pos), 1e-12, 0);
            for (int g = 0; g < FL_GROUP_COUNT; g++)
                ck_assert_close(c.loss_share[g], (double)(loss[g] / lt), 1e-12,
                                1e-300);
        }
    fl_sweep_cell c;
    ck_assert_int_eq(fl_sweep_key_cell_at(s, K, 0, 0.25, &c), -1);
    fl_sweep_free(s);
    fl_fixture_free(&f);
}
END_TEST

/* At the balancing alpha, the alpha-weighted sides are equal: recompute
 * both from the examples. */
START_TEST(test_balance)
{
    fl_fixture f;
    fl_fixture_make(&f, 8000, 3);
    double gammas[] = {0, 0.5, 2};
    fl_sweep *s = fl_sweep_new(gammas, 3, 0.5);
    fl_sweep_add(s, &f.batch);
    for (size_t gi = 0; gi < 3; gi++) {
        fl_sweep_balance b;
        fl_sweep_balance_at(s, gi, &b);
        ck_assert(b.alpha_loss > 0 && b.alpha_loss < 1);
        ck_assert(b.alpha_grad > 0 && b.alpha_grad < 1);
        long double loss[FL_GROUP_COUNT], grad[FL_GROUP_COUNT];
        direct(&f, gammas[gi], b.alpha_loss, loss, grad);
        long double pos = loss[FL_GROUP_EASY_POS] + loss[FL_GROUP_HARD_POS];
        long double neg = loss[FL_GROUP_EASY_NEG] + loss[FL_GROUP_HARD_NEG];
        ck_assert_close((double)pos, (double)neg, 1e-12, 0);
        direct(&f, gammas[gi], b.alpha_grad, loss, grad);
        pos = grad[FL_GROUP_EASY_POS] + grad[FL_GROUP_HARD_POS];
        neg = grad[FL_GROUP_EASY_NEG] + grad[FL_GROUP_HARD_NEG];
        ck_assert_close((double)pos, (double)neg, 1e-12, 0);
        /* and the sweep's own cell there splits the loss in halves */
        fl_sweep_cell c;
        fl_sweep_cell_at(s, gi, b.alpha_loss, &c);
        ck_assert_close(c.loss_share[FL_GROUP_EASY_POS] +
                            c.loss_share[FL_GROUP_HARD_POS], 0.5, 1e-12, 0);
    }
    fl_sweep_free(s);
    fl_fixture_free(&f);
}
END_TEST

START_TEST(test_one_sided)
{
    /* negatives only: no balancing alpha, no loss per positive */
    double x[] = {-3, -1, 0.5};
    unsigned char pos[] = {0, 0, 0};
    uint64_t img[] = {0, 0, 0};
    fl_batch b = {.n = 3, .x = x, .positive = pos, .image = img};
    double gamma = 2;
    fl_sweep *s = fl_sweep_new(&gamma, 1, 0.5);
    fl_sweep_add(s, &b);
    fl_sweep_balance bal;
    fl_sweep_balance_at(s, 0, &bal);
    ck_assert(isnan(bal.alpha_loss) && isnan(bal.alpha_grad));
    ck_assert(bal.pos_loss == 0 && bal.neg_loss > 0);
    fl_sweep_cell c;
    fl_sweep_cell_at(s, 0, 0.25, &c);
    ck_assert(isnan(c.loss_per_pos));
    ck_assert(c.loss_share[FL_GROUP_EASY_POS] == 0);
    fl_sweep_cell_at(s, 0, 1, &c); /* negatives weigh 0: nothing to share */
    ck_assert(c.loss_sum == 0 && isnan(c.loss_share[FL_GROUP_EASY_NEG]));
    fl_sweep_free(s);
}
END_TEST

Suite *sweep_suite(void)
{
    Suite *s = suite_create("sweep");
    TCase *tc = tcase_create("sweep");
    tcase_add_test(tc, test_cell_equals_summarize);
    tcase_add_test(tc, test_every_cell_direct);
    tcase_add_test(tc, test_keys_direct);
    tcase_add_test(tc, test_balance);
    tcase_add_test(tc, test_one_sided);
    suite_add_tcase(s, tc);
    return s;
}
