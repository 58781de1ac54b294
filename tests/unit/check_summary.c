/* check_summary.c: the summarize core on the reference dumps, and the
 * properties its totals must have. */
#include <string.h>

#include "fixture.h"
#include "input/reader.h"
#include "core/status.h"
#include "core/summary.h"
#include "testutil.h"

static int add(void *ctx, const fl_batch *b)
{
    return fl_summary_add(ctx, b);
}

static fl_summary *summarize(const char *file, const fl_params *p,
                             fl_counts *counts)
{
    fl_reader_opts o = {.delim = ',', .eps = p->eps};
    fl_summary *s = fl_summary_new(p);
    fl_reader *r = fl_reader_new(&o, NULL);
    fl_error err;
    memset(counts, 0, sizeof *counts);
    ck_assert_int_eq(fl_reader_read(r, fl_test_reference(file), add, s, counts,
                                    &err), FL_OK);
    fl_reader_free(r);
    fl_summary_finish(s);
    return s;
}

static int loss_of(const char *name)
{
    for (int k = 0; k < FL_LOSS_COUNT; k++)
        if (strcmp(fl_loss_name((enum fl_loss)k), name) == 0)
            return k;
    return -1;
}

static int group_of(const char *name)
{
    for (int g = 0; g < FL_GROUP_COUNT; g++)
        if (strcmp(fl_group_name((enum fl_group)g), name) == 0)
            return g;
    return strcmp(name, "all") == 0 ? -1 : -2;
}

/* Compare every row of a reference summarize csv. */
static void check_reference(const char *ref, const fl_summary *s)
{
    FILE *f = fopen(fl_test_reference(ref), "r");
    ck_assert_ptr_nonnull(f);
    char line[512], loss[32], group[32];
    unsigned long long count;
    double ls, lsh, gs, gsh;
    int rows = 0;
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        ck_assert_int_eq(sscanf(line, "%31[^,],%31[^,],%llu,%lf,%lf,%lf,%lf",
                                loss, group, &count, &ls, &lsh, &gs, &gsh), 7);
        int k = loss_of(loss), g = group_of(group);
        ck_assert(k >= 0 && g >= -1);
        fl_cell c, total;
        fl_summary_total(s, (enum fl_loss)k, &total);
        c = g < 0 ? total : s->cell[k][g];
        ck_assert_uint_eq(c.count, count);
        ck_assert_close(fl_ksum_value(&c.loss), ls, 1e-9, 1e-12);
        ck_assert_close(fl_ksum_value(&c.grad), gs, 1e-9, 1e-12);
        ck_assert_close(fl_ksum_value(&c.loss) / fl_ksum_value(&total.loss),
                        lsh, 1e-9, 1e-12);
        ck_assert_close(fl_ksum_value(&c.grad) / fl_ksum_value(&total.grad),
                        gsh, 1e-9, 1e-12);
        rows++;
    }
    fclose(f);
    ck_assert_int_eq(rows, FL_LOSS_COUNT * (FL_GROUP_COUNT + 1));
}

START_TEST(test_reference_default)
{
    fl_params p;
    fl_params_default(&p);
    fl_counts c;
    fl_summary *s = summarize("dump-small.csv", &p, &c);
    check_reference("summarize-default.csv", s);
    ck_assert_uint_eq(c.rows, 3000);
    ck_assert_uint_eq(c.images, 12);
    ck_assert_uint_eq(c.ignored, 30);
    fl_summary_free(s);
}
END_TEST

START_TEST(test_reference_modes)
{
    fl_params p;
    fl_counts c;
    fl_params_default(&p);
    p.ohem_mode = FL_OHEM_SSD;
    p.ohem_batch = 0;
    p.ohem_ratio = 3;
    fl_summary *s = summarize("dump-small.csv", &p, &c);
    check_reference("summarize-ssd3.csv", s);
    fl_summary_free(s);

    fl_params_default(&p);
    p.alpha = 0.5;
    p.gamma = 0.5;
    p.easy = 0.9;
    p.star_gamma = 4;
    p.star_beta = 0;
    p.ohem_mode = FL_OHEM_RATIO;
    p.ohem_batch = 16;
    p.ohem_ratio = 3;
    s = summarize("dump-small.csv", &p, &c);
    check_reference("summarize-alpha0.5-gamma0.5-easy0.9-star4-beta0-ohem16-ratio3.csv", s);
    fl_summary_free(s);

    fl_params_default(&p);
    s = summarize("dump-small-prob.csv", &p, &c);
    check_reference("summarize-prob-default.csv", s);
    ck_assert_uint_eq(c.clamped, 1);
    fl_summary_free(s);
}
END_TEST

/* Feeding the same examples in batches of any size gives the same report:
 * the same counts, and sums to far better than the contract's 1e-12. */
START_TEST(test_batch_size_invariance)
{
    enum { N = 1000 };
    double x[N];
    unsigned char pos[N];
    uint64_t img[N];
    for (int i = 0; i < N; i++) {
        x[i] = 8.0 * sin(0.37 * i) + (i % 7) - 3.0;
        pos[i] = i % 13 == 0;
        img[i] = (uint64_t)(i / 90);
    }
    fl_params p;
    fl_params_default(&p);
    p.ohem_batch = 17;
    fl_summary *whole = fl_summary_new(&p), *parts = fl_summary_new(&p);
    fl_batch b = {N, x, pos, img, NULL};
    ck_assert_int_eq(fl_summary_add(whole, &b), FL_OK);
    for (int i = 0, step = 1; i < N; i += step, step = step * 2 + 1) {
        int n = i + step > N ? N - i : step;
        fl_batch part = {(size_t)n, x + i, pos + i, img + i, NULL};
        ck_assert_int_eq(fl_summary_add(parts, &part), FL_OK);
    }
    fl_summary_finish(whole);
    fl_summary_finish(parts);
    for (int k = 0; k < FL_LOSS_COUNT; k++)
        for (int g = 0; g < FL_GROUP_COUNT; g++) {
            ck_assert_uint_eq(whole->cell[k][g].count, parts->cell[k][g].count);
            ck_assert_close(fl_ksum_value(&whole->cell[k][g].loss),
                            fl_ksum_value(&parts->cell[k][g].loss), 1e-13, 0);
            ck_assert_close(fl_ksum_value(&whole->cell[k][g].grad),
                            fl_ksum_value(&parts->cell[k][g].grad), 1e-13, 0);
        }
    /* every example is in exactly one group of each per-example loss */
    fl_cell all;
    fl_summary_total(whole, FL_LOSS_FOCAL, &all);
    ck_assert_uint_eq(all.count, N);
    fl_summary_total(whole, FL_LOSS_OHEM, &all);
    ck_assert_uint_eq(all.count, 17 * 11 + 10); /* 11 full images, 1 of 10 */
    fl_summary_free(whole);
    fl_summary_free(parts);
    fl_summary_free(NULL);
}
END_TEST

/* Totals stay exact where a naive sum drifts: after a loss of about 0.64,
 * each of 100,000 easy positives' losses of 5.2e-17 (under half an ulp) is
 * rounded away by a naive sum, 8e-12 relative in all, over the SPEC's
 * 1e-12. */
START_TEST(test_compensated_total)
{
    enum { N = 100001 };
    double *x = malloc(N * sizeof *x);
    unsigned char *pos = malloc(N);
    uint64_t *img = calloc(N, sizeof *img);
    for (int i = 0; i < N; i++) {
        x[i] = i == 0 ? 0.1 : 37.5;
        pos[i] = 1;
    }
    fl_params p;
    fl_params_default(&p);
    fl_summary *s = fl_summary_new(&p);
    fl_batch b = {N, x, pos, img, NULL};
    fl_summary_add(s, &b);
    fl_summary_finish(s);
    long double want = log1pl(expl(-0.1L)) + (N - 1) * log1pl(expl(-37.5L));
    double naive = log1p(exp(-0.1));
    for (int i = 1; i < N; i++)
        naive += log1p(exp(-37.5));
    ck_assert(fabs(naive - (double)want) > 1e-12 * (double)want);
    ck_assert_close(fl_ksum_value(&s->cell[FL_LOSS_CE][FL_GROUP_EASY_POS].loss),
                    (double)want, 1e-13, 0);
    fl_summary_free(s);
    free(x);
    free(pos);
    free(img);
}
END_TEST

/* The batched, vectorized path agrees with fl_loss_eval example by example
 * (an independent path: libm's exp and log1p, no chunks), summed in long
 * double, for the parameters p. */
static void check_batched(const fl_params *p)
{
    enum { N = 3000 };
    static double x[N];
    static unsigned char pos[N];
    static uint64_t img[N];
    for (int i = 0; i < N; i++) {
        x[i] = 30.0 * sin(1.7 * i) * cos(0.013 * i) + (i % 11 == 0 ? 700 : 0);
        pos[i] = i % 5 == 0;
        img[i] = (uint64_t)(i / 300);
    }
    fl_summary *s = fl_summary_new(p);
    fl_batch b = {N, x, pos, img, NULL};
    ck_assert_int_eq(fl_summary_add(s, &b), FL_OK);
    fl_summary_finish(s);
    long double want[FL_LOSS_PER_EXAMPLE][FL_GROUP_COUNT][2] = {{{0}}};
    uint64_t count[FL_GROUP_COUNT] = {0};
    for (int i = 0; i < N; i++) {
        fl_example ex;
        fl_example_init(&ex, x[i], pos[i]);
        enum fl_group g = fl_example_group(&ex, p->easy);
        count[g]++;
        for (int k = 0; k < FL_LOSS_PER_EXAMPLE; k++) {
            double grad, loss = fl_loss_eval((enum fl_loss)k, p, &ex, &grad);
            want[k][g][0] += loss;
            want[k][g][1] += fabs(grad);
        }
    }
    for (int k = 0; k < FL_LOSS_PER_EXAMPLE; k++)
        for (int g = 0; g < FL_GROUP_COUNT; g++) {
            ck_assert_uint_eq(s->cell[k][g].count, count[g]);
            ck_assert_close(fl_ksum_value(&s->cell[k][g].loss),
                            (double)want[k][g][0], 1e-13, 1e-300);
            ck_assert_close(fl_ksum_value(&s->cell[k][g].grad),
                            (double)want[k][g][1], 1e-13, 1e-300);
        }
    fl_summary_free(s);
}

START_TEST(test_batched_equals_per_example)
{
    static const double gammas[] = {0, 0.5, 1, 2, 3.7};
    for (size_t gi = 0; gi < sizeof gammas / sizeof *gammas; gi++) {
        fl_params p;
        fl_params_default(&p);
        p.gamma = gammas[gi];
        p.alpha_on = gi != 1;
        p.star_gamma = 1.5 + (double)gi;
        p.star_beta = -0.5 * (double)gi;
        p.easy = 0.2 * (double)gi;
        check_batched(&p);
    }
}
END_TEST

/* The same with g* = 2, where FL* takes exp(-|z|) from exp(-|x_t|): b* at
 * the default, 0, both signs, the bound of that path and past it. */
START_TEST(test_batched_star2)
{
    static const double betas[] = {1, 0, -0.75, 3, -16, 16, 16.5, -40};
    for (size_t i = 0; i < sizeof betas / sizeof *betas; i++) {
        fl_params p;
        fl_params_default(&p);
        p.star_beta = betas[i];
        ck_assert(p.star_gamma == 2.0);
        check_batched(&p);
    }
}
END_TEST

/* The examples of the parts tests and where the parts are cut. */
enum { PARTS_N = 5000, PARTS_NCUTS = 14 };
static double parts_x[PARTS_N];
static unsigned char parts_pos[PARTS_N];
static uint64_t parts_img[PARTS_N], parts_local[PARTS_N];
static const int parts_cuts[PARTS_NCUTS] = {0,    3,    3,    650,  699,
                                            700,  701,  1500, 1510, 2900,
                                            3001, 3002, 4100, PARTS_N};

static void parts_fill(void)
{
    for (int i = 0; i < PARTS_N; i++) {
        parts_x[i] = floor(6.0 * sin(0.7 * i) + 2.0 * cos(0.011 * i));
        parts_pos[i] = i % 9 == 0 || i % 17 == 0;
        parts_img[i] = (uint64_t)(i / 700) + (i > 3000 ? 1 : 0);
    }
}

/* One summary per part, merged in order, equals one summary of the whole:
 * counts and OHEM selections exactly, sums to 1e-12.  The cuts fall inside
 * images, between them, around empty parts and parts within one image; each
 * part numbers its images its own way, as a reader thread would; scores are
 * coarse so that positives and negatives tie on CE and input order decides. */
static void check_parts_merge(const fl_params *p, uint64_t first_part)
{
    double *x = parts_x;
    unsigned char *pos = parts_pos;
    uint64_t *img = parts_img, *local = parts_local;
    const int *cuts = parts_cuts;
    parts_fill();
    fl_summary *whole = fl_summary_new(p), *merged = fl_summary_new(p);
    fl_batch b = {PARTS_N, x, pos, img, NULL};
    ck_assert_int_eq(fl_summary_add(whole, &b), FL_OK);
    fl_summary_finish(whole);
    int have_last = 0;
    uint64_t last = 0;
    for (size_t c = 0; c + 1 < PARTS_NCUTS; c++) {
        int from = cuts[c], n = cuts[c + 1] - from;
        for (int i = from; i < from + n; i++)
            local[i] = img[i] - img[from] + 7 * c;
        fl_summary *part = fl_summary_new(p);
        fl_summary_hold_first(part, first_part + c);
        fl_batch pb = {(size_t)n, x + from, pos + from, local + from, NULL};
        ck_assert_int_eq(fl_summary_add(part, &pb), FL_OK);
        int continues = n > 0 && have_last && img[from] == last;
        ck_assert_int_eq(fl_summary_merge(merged, part, continues), FL_OK);
        fl_summary_free(part);
        if (n > 0) {
            have_last = 1;
            last = img[from + n - 1];
        }
    }
    ck_assert_int_eq(fl_summary_finish(merged), FL_OK);
    for (int k = 0; k < FL_LOSS_COUNT; k++)
        for (int g = 0; g < FL_GROUP_COUNT; g++) {
            const fl_cell *w = &whole->cell[k][g], *m = &merged->cell[k][g];
            ck_assert_uint_eq(m->count, w->count);
            ck_assert_close(fl_ksum_value(&m->loss), fl_ksum_value(&w->loss),
                            1e-12, 0);
            ck_assert_close(fl_ksum_value(&m->grad), fl_ksum_value(&w->grad),
                            1e-12, 0);
        }
    fl_cell all;
    fl_summary_total(whole, FL_LOSS_OHEM, &all);
    ck_assert_uint_gt(all.count, 0);
    fl_summary_free(whole);
    fl_summary_free(merged);
}

/* The same by image: each part numbers its images from 0 and is told the
 * ordinal of its first; every key's cells (OHEM's too, whose examples may
 * be chosen only at the merge) are those of the whole. */
static void check_parts_merge_by_image(const fl_params *p)
{
    double *x = parts_x;
    unsigned char *pos = parts_pos;
    uint64_t *img = parts_img, *local = parts_local;
    const int *cuts = parts_cuts;
    parts_fill();
    fl_summary *whole = fl_summary_new_by(p, FL_BY_IMAGE);
    fl_summary *merged = fl_summary_new_by(p, FL_BY_IMAGE);
    fl_batch b = {PARTS_N, x, pos, img, NULL};
    ck_assert_int_eq(fl_summary_add(whole, &b), FL_OK);
    ck_assert_int_eq(fl_summary_finish(whole), FL_OK);
    for (size_t c = 0; c + 1 < PARTS_NCUTS; c++) {
        int from = cuts[c], n = cuts[c + 1] - from;
        for (int i = from; i < from + n; i++)
            local[i] = img[i] - img[from];
        fl_summary *part = fl_summary_new_by(p, FL_BY_IMAGE);
        fl_summary_hold_first(part, c);
        fl_batch pb = {(size_t)n, x + from, pos + from, local + from, NULL};
        ck_assert_int_eq(fl_summary_add(part, &pb), FL_OK);
        if (n > 0)
            fl_summary_number_images(part, img[from]);
        int continues = n > 0 && from > 0 && img[from] == img[from - 1];
        ck_assert_int_eq(fl_summary_merge(merged, part, continues), FL_OK);
        fl_summary_free(part);
    }
    ck_assert_int_eq(fl_summary_finish(merged), FL_OK);
    ck_assert_uint_eq(merged->nkeys, whole->nkeys);
    for (size_t key = 0; key < whole->nkeys; key++)
        for (int k = 0; k < FL_LOSS_COUNT; k++)
            for (int g = 0; g < FL_GROUP_COUNT; g++) {
                const fl_cell *w = &whole->keys[key].cell[k][g];
                const fl_cell *m = &merged->keys[key].cell[k][g];
                ck_assert_uint_eq(m->count, w->count);
                ck_assert_close(fl_ksum_value(&m->loss),
                                fl_ksum_value(&w->loss), 1e-12, 0);
                ck_assert_close(fl_ksum_value(&m->grad),
                                fl_ksum_value(&w->grad), 1e-12, 0);
            }
    ck_assert_uint_gt(whole->keys[3].cell[FL_LOSS_OHEM][FL_GROUP_HARD_POS].count +
                          whole->keys[3].cell[FL_LOSS_OHEM][FL_GROUP_HARD_NEG].count,
                      0);
    fl_summary_free(whole);
    fl_summary_free(merged);
}

START_TEST(test_parts_merge_by_image)
{
    fl_params p;
    fl_params_default(&p);
    p.ohem_batch = 64; /* top B */
    check_parts_merge_by_image(&p);
    p.ohem_mode = FL_OHEM_RATIO;
    p.ohem_ratio = 3;
    check_parts_merge_by_image(&p);
    p.ohem_mode = FL_OHEM_SSD;
    p.ohem_batch = 0;
    check_parts_merge_by_image(&p);
}
END_TEST

START_TEST(test_parts_merge)
{
    fl_params p;
    fl_params_default(&p);
    /* numbered from 0, across 2^24 (where ties once wrapped) and up to
     * the last part number allowed */
    static const uint64_t first[] = {0, (1u << 24) - 4, UINT32_MAX - 14};
    for (int i = 0; i < 3; i++) {
        p.ohem_mode = FL_OHEM_TOP;
        p.ohem_batch = 64; /* top B */
        check_parts_merge(&p, first[i]);
        p.ohem_mode = FL_OHEM_RATIO;
        p.ohem_ratio = 3; /* 1:3 */
        check_parts_merge(&p, first[i]);
        p.ohem_mode = FL_OHEM_SSD;
        p.ohem_batch = 0;
        check_parts_merge(&p, first[i]);
    }
}
END_TEST

/* Totals over 100 million rows (FLSTAT_BIG_ROWS to change) agree with a
 * long-double sum of terms computed in long double, to 1e-12. */
START_TEST(test_hundred_million_rows)
{
    const char *env = getenv("FLSTAT_BIG_ROWS");
    uint64_t n = env ? strtoull(env, NULL, 10) : 100000000ULL;
    enum { B = 1 << 16 };
    double *x = malloc(B * sizeof *x);
    unsigned char *pos = malloc(B);
    uint64_t *img = malloc(B * sizeof *img);
    ck_assert(x && pos && img);
    fl_params p;
    fl_params_default(&p);
    fl_summary *s = fl_summary_new(&p);
    long double ce = 0, ce_grad = 0, fl = 0;
    uint64_t state = 88172645463325252ULL; /* xorshift64 */
    for (uint64_t done = 0; done < n;) {
        size_t m = n - done < B ? (size_t)(n - done) : B;
        for (size_t i = 0; i < m; i++) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            double u = (double)(state >> 11) / 9007199254740992.0;
            x[i] = (state & 1023) == 0 ? 700 * (u - 0.5) : 40 * u - 25;
            pos[i] = (state >> 53 & 1023) == 7;
            img[i] = (done + i) / 100000;
            long double xt = pos[i] ? x[i] : -x[i];
            long double c = log1pl(expl(-fabsl(xt))) + (xt < 0 ? -xt : 0);
            long double q = 1 / (1 + expl(xt));
            ce += c;
            ce_grad += q;
            fl += (pos[i] ? 0.25L : 0.75L) * q * q * c;
        }
        fl_batch b = {m, x, pos, img, NULL};
        ck_assert_int_eq(fl_summary_add(s, &b), FL_OK);
        done += m;
    }
    fl_summary_finish(s);
    fl_cell c;
    fl_summary_total(s, FL_LOSS_CE, &c);
    ck_assert_uint_eq(c.count, n);
    ck_assert_close(fl_ksum_value(&c.loss), (double)ce, 1e-12, 0);
    ck_assert_close(fl_ksum_value(&c.grad), (double)ce_grad, 1e-12, 0);
    fl_summary_total(s, FL_LOSS_FOCAL, &c);
    ck_assert_close(fl_ksum_value(&c.loss), (double)fl, 1e-12, 0);
    fl_summary_free(s);
    free(x);
    free(pos);
    free(img);
}
END_TEST

/* Per class, added in batches of several sizes: each key's cells of the
 * per-example losses are those of a summary of its examples alone (counts
 * exactly, sums to 1e-12); each key holds thousands, so its sums are
 * folded as they go and at the end. */
START_TEST(test_keys_equal_their_examples)
{
    enum { N = 30000, K = 11 };
    fl_fixture f;
    fl_fixture_make(&f, N, 9);
    fl_fixture_classes(&f, K);
    const uint32_t *klass = f.klass;
    fl_params p;
    fl_params_default(&p);
    fl_summary *by = fl_summary_new_by(&p, FL_BY_CLASS);
    ck_assert_ptr_nonnull(by);
    ck_assert_int_eq(fl_fixture_add_in_pieces(&f, add, by), FL_OK);
    ck_assert_int_eq(fl_summary_finish(by), FL_OK);
    ck_assert_uint_eq(by->nkeys, K);
    static double x[N];
    static unsigned char pos[N];
    static uint64_t img[N];
    for (uint32_t key = 0; key < K; key++) {
        size_t n = 0;
        for (size_t i = 0; i < N; i++)
            if (klass[i] == key) {
                x[n] = f.x[i];
                pos[n++] = f.positive[i];
            }
        fl_summary *one = fl_summary_new(&p);
        fl_batch b = {n, x, pos, img, NULL};
        ck_assert_int_eq(fl_summary_add(one, &b), FL_OK);
        ck_assert_int_eq(fl_summary_finish(one), FL_OK);
        for (int k = 0; k < FL_LOSS_PER_EXAMPLE; k++)
            for (int g = 0; g < FL_GROUP_COUNT; g++) {
                const fl_cell *w = &one->cell[k][g];
                const fl_cell *c = &by->keys[key].cell[k][g];
                ck_assert_uint_eq(c->count, w->count);
                ck_assert_close(fl_ksum_value(&c->loss),
                                fl_ksum_value(&w->loss), 1e-12, 0);
                ck_assert_close(fl_ksum_value(&c->grad),
                                fl_ksum_value(&w->grad), 1e-12, 0);
            }
        fl_summary_free(one);
    }
    fl_summary_free(by);
    fl_fixture_free(&f);
}
END_TEST

Suite *summary_suite(void)
{
    Suite *s = suite_create("summary");
    TCase *tc = tcase_create("summary");
    tcase_add_test(tc, test_reference_default);
    tcase_add_test(tc, test_reference_modes);
    tcase_add_test(tc, test_batch_size_invariance);
    tcase_add_test(tc, test_keys_equal_their_examples);
    tcase_add_test(tc, test_compensated_total);
    tcase_add_test(tc, test_batched_equals_per_example);
    tcase_add_test(tc, test_batched_star2);
    tcase_add_test(tc, test_parts_merge);
    tcase_add_test(tc, test_parts_merge_by_image);
    tcase_add_test(tc, test_hundred_million_rows);
    suite_add_tcase(s, tc);
    return s;
}
