/* check_select.c: OHEM/SSD selection against a brute-force sort in the test. */
#include <gsl/gsl_rng.h>
#include <string.h>

#include "core/select.h"
#include "core/status.h"
#include "testutil.h"

typedef struct ex {
    double ce, grad;
    int group;
    size_t order;
    int image;
} ex;

static int rank_cmp(const void *pa, const void *pb)
{
    const ex *a = pa, *b = pb;
    if (a->ce != b->ce)
        return a->ce > b->ce ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int is_pos(int g)
{
    return g == FL_GROUP_EASY_POS || g == FL_GROUP_HARD_POS;
}

/* The SPEC's rule for one image, by sorting everything. */
static void brute_image(ex *v, size_t n, const fl_params *p, fl_cell *out)
{
    qsort(v, n, sizeof *v, rank_cmp);
    size_t npos = 0, nneg = 0;
    for (size_t i = 0; i < n; i++)
        is_pos(v[i].group) ? npos++ : nneg++;
    size_t max_pos = SIZE_MAX, max_neg = SIZE_MAX, max_all = SIZE_MAX;
    if (p->ohem_mode == FL_OHEM_TOP) {
        max_all = p->ohem_batch;
    } else if (p->ohem_mode == FL_OHEM_RATIO) {
        max_pos = (size_t)((double)p->ohem_batch / (1 + p->ohem_ratio));
        size_t kept_pos = npos < max_pos ? npos : max_pos;
        max_neg = p->ohem_batch - kept_pos;
    } else {
        if (npos == 0)
            return;
        max_neg = (size_t)(p->ohem_ratio * (double)npos);
    }
    size_t kp = 0, kn = 0, ka = 0;
    for (size_t i = 0; i < n; i++) {
        int pos = is_pos(v[i].group);
        if (ka == max_all || (pos && kp == max_pos) || (!pos && kn == max_neg))
            continue;
        ka++;
        pos ? kp++ : kn++;
        fl_cell_add(&out[v[i].group], v[i].ce, v[i].grad);
    }
}

static void run_case(const fl_params *p, unsigned long seed, size_t images,
                     size_t per_image_max, double pos_rate)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    size_t cap = images * per_image_max, n = 0;
    ex *all = malloc(cap * sizeof *all);
    ck_assert_ptr_nonnull(all);
    for (size_t im = 0; im < images; im++) {
        size_t k = gsl_rng_uniform_int(rng, per_image_max + 1);
        for (size_t i = 0; i < k; i++, n++) {
            int pos = gsl_rng_uniform(rng) < pos_rate;
            /* few distinct values, so that ties are common */
            double ce = (double)gsl_rng_uniform_int(rng, 12) / 4.0;
            int easy = ce < 0.69;
            all[n] = (ex){ce, 1.0 - exp(-ce),
                          pos ? (easy ? FL_GROUP_EASY_POS : FL_GROUP_HARD_POS)
                              : (easy ? FL_GROUP_EASY_NEG : FL_GROUP_HARD_NEG),
                          n, (int)im};
        }
    }
    fl_cell got[FL_GROUP_COUNT] = {{0}}, want[FL_GROUP_COUNT] = {{0}};
    fl_cell many[FL_GROUP_COUNT] = {{0}};
    fl_select *s = fl_select_new(p, got, NULL, NULL);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(fl_select_add(s, (uint64_t)all[i].image, all[i].ce,
                                       all[i].grad, all[i].group, 0), 0);
    fl_select_flush(s);
    fl_select_free(s);

    /* the same examples offered in runs of 1 to 40 */
    s = fl_select_new(p, many, NULL, NULL);
    ck_assert_ptr_nonnull(s);
    for (size_t a = 0, b; a < n; a = b) {
        b = a + 1 + gsl_rng_uniform_int(rng, 40);
        b = b < n ? b : n;
        uint64_t image[40], key[40] = {0};
        double ce[40], grad[40];
        unsigned char group[40];
        for (size_t i = a; i < b; i++) {
            image[i - a] = (uint64_t)all[i].image;
            ce[i - a] = all[i].ce;
            grad[i - a] = all[i].grad;
            group[i - a] = (unsigned char)all[i].group;
        }
        ck_assert_int_eq(fl_select_add_many(s, b - a, image, ce, grad, group, key), 0);
    }
    fl_select_flush(s);
    fl_select_free(s);
    for (int g = 0; g < FL_GROUP_COUNT; g++) {
        ck_assert_uint_eq(many[g].count, got[g].count);
        ck_assert(fl_ksum_value(&many[g].loss) == fl_ksum_value(&got[g].loss));
        ck_assert(fl_ksum_value(&many[g].grad) == fl_ksum_value(&got[g].grad));
    }

    for (size_t a = 0, b; a < n; a = b) {
        for (b = a; b < n && all[b].image == all[a].image; b++)
            ;
        brute_image(all + a, b - a, p, want);
    }
    for (int g = 0; g < FL_GROUP_COUNT; g++) {
        ck_assert_uint_eq(got[g].count, want[g].count);
        ck_assert_close(fl_ksum_value(&got[g].loss), fl_ksum_value(&want[g].loss),
                        1e-13, 1e-13);
        ck_assert_close(fl_ksum_value(&got[g].grad), fl_ksum_value(&want[g].grad),
                        1e-13, 1e-13);
    }
    free(all);
    gsl_rng_free(rng);
}

static fl_params mode(enum fl_ohem_mode m, uint64_t batch, double ratio)
{
    fl_params p;
    fl_params_default(&p);
    p.ohem_mode = m;
    p.ohem_batch = batch;
    p.ohem_ratio = ratio;
    return p;
}

START_TEST(test_top_b)
{
    static const uint64_t batches[] = {1, 7, 64, 500};
    for (size_t i = 0; i < 4; i++) {
        fl_params p = mode(FL_OHEM_TOP, batches[i], 0);
        run_case(&p, 1 + i, 20, 300, 0.05);
    }
}
END_TEST

START_TEST(test_ratio)
{
    static const double ratios[] = {0, 1, 3, 2.5, 100};
    for (size_t i = 0; i < 5; i++) {
        fl_params p = mode(FL_OHEM_RATIO, 16, ratios[i]);
        run_case(&p, 10 + i, 30, 200, 0.1);
        p.ohem_batch = 3;
        run_case(&p, 20 + i, 30, 10, 0.5);
    }
}
END_TEST

START_TEST(test_ssd)
{
    static const double ratios[] = {0, 1, 3, 0.5, 1e6};
    for (size_t i = 0; i < 5; i++) {
        fl_params p = mode(FL_OHEM_SSD, 0, ratios[i]);
        run_case(&p, 30 + i, 30, 200, 0.02);
    }
}
END_TEST

/* Ties go to the earlier example: a positive and a negative with the same
 * CE compete for one place. */
START_TEST(test_tie_keeps_input_order)
{
    fl_params p = mode(FL_OHEM_TOP, 1, 0);
    fl_cell out[FL_GROUP_COUNT] = {{0}};
    fl_select *s = fl_select_new(&p, out, NULL, NULL);
    fl_select_add(s, 0, 2.0, 0.5, FL_GROUP_HARD_NEG, 0);
    fl_select_add(s, 0, 2.0, 0.5, FL_GROUP_HARD_POS, 0);
    fl_select_add(s, 1, 2.0, 0.5, FL_GROUP_HARD_POS, 0);
    fl_select_add(s, 1, 2.0, 0.5, FL_GROUP_HARD_NEG, 0);
    fl_select_flush(s);
    fl_select_free(s);
    ck_assert_uint_eq(out[FL_GROUP_HARD_NEG].count, 1);
    ck_assert_uint_eq(out[FL_GROUP_HARD_POS].count, 1);
    fl_select_free(NULL);
}
END_TEST

START_TEST(test_ssd_image_without_positive)
{
    fl_params p = mode(FL_OHEM_SSD, 0, 3);
    fl_cell out[FL_GROUP_COUNT] = {{0}};
    fl_select *s = fl_select_new(&p, out, NULL, NULL);
    for (int i = 0; i < 10; i++)
        fl_select_add(s, 0, 5.0 + i, 0.9, FL_GROUP_HARD_NEG, 0);
    fl_select_add(s, 1, 1.0, 0.6, FL_GROUP_HARD_POS, 0);
    for (int i = 0; i < 10; i++)
        fl_select_add(s, 1, 0.1 * i, 0.1, FL_GROUP_EASY_NEG, 0);
    fl_select_flush(s);
    fl_select_free(s);
    ck_assert_uint_eq(out[FL_GROUP_HARD_NEG].count, 0);
    ck_assert_uint_eq(out[FL_GROUP_HARD_POS].count, 1);
    ck_assert_uint_eq(out[FL_GROUP_EASY_NEG].count, 3);
    /* the three highest: 0.9 + 0.8 + 0.7 */
    ck_assert_close(fl_ksum_value(&out[FL_GROUP_EASY_NEG].loss), 2.4, 1e-15, 0);
}
END_TEST

/* Keys the selectors kept, each once. */
typedef struct kept_keys {
    unsigned char *kept;
    size_t n;
} kept_keys;

static void mark_kept(void *ctx, uint64_t key, double ce, double grad,
                      enum fl_group g)
{
    kept_keys *k = ctx;
    (void)ce, (void)grad, (void)g;
    ck_assert_uint_lt(key, k->n);
    ck_assert_uint_eq(k->kept[key], 0);
    k->kept[key] = 1;
}

/* SSD's choice, example by example (keys are input positions), read in
 * parts cut inside images and between them and merged in order, is the
 * brute force's: ties on coarse CEs go to the earlier negative, whichever
 * part it came in. */
START_TEST(test_ssd_keys_in_parts)
{
    enum { N = 6000 };
    static ex all[N];
    static unsigned char want[N], got[N];
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 77);
    for (size_t i = 0; i < N; i++) {
        int pos = gsl_rng_uniform(rng) < 0.05;
        double ce = (double)gsl_rng_uniform_int(rng, 6) / 2.0;
        int hard = ce > 0.69;
        all[i] = (ex){ce, 1.0 - exp(-ce),
                      pos ? (hard ? FL_GROUP_HARD_POS : FL_GROUP_EASY_POS)
                          : (hard ? FL_GROUP_HARD_NEG : FL_GROUP_EASY_NEG),
                      i, (int)(i / 900)};
    }
    fl_params p = mode(FL_OHEM_SSD, 0, 3);
    /* the brute force, image by image, on a copy it may sort */
    static ex v[N];
    memcpy(v, all, sizeof v);
    for (size_t a = 0, b; a < N; a = b) {
        size_t npos = 0;
        for (b = a; b < N && v[b].image == v[a].image; b++)
            npos += is_pos(v[b].group);
        qsort(v + a, b - a, sizeof *v, rank_cmp);
        size_t neg_left = (size_t)(p.ohem_ratio * (double)npos);
        for (size_t i = a; i < b; i++)
            if (is_pos(v[i].group) || (neg_left > 0 && neg_left--))
                want[v[i].order] = 1;
    }
    static const size_t cuts[] = {0, 1, 450, 899, 900, 901, 2000, 2001, 2700,
                                  2700, 4000, 5999, N};
    kept_keys k = {got, N};
    fl_cell out[FL_GROUP_COUNT] = {{0}}, part_out[FL_GROUP_COUNT] = {{0}};
    fl_select *whole = fl_select_new(&p, out, mark_kept, &k);
    ck_assert_ptr_nonnull(whole);
    for (size_t c = 0; c + 1 < sizeof cuts / sizeof *cuts; c++) {
        fl_select *part = fl_select_new(&p, part_out, mark_kept, &k);
        ck_assert_ptr_nonnull(part);
        fl_select_hold_first(part, cuts[c]);
        for (size_t i = cuts[c]; i < cuts[c + 1]; i++)
            ck_assert_int_eq(fl_select_add(part, (uint64_t)all[i].image,
                                           all[i].ce, all[i].grad,
                                           (enum fl_group)all[i].group, i),
                             FL_OK);
        int continues = cuts[c] > 0 && cuts[c] < cuts[c + 1] &&
                        all[cuts[c]].image == all[cuts[c] - 1].image;
        ck_assert_int_eq(fl_select_merge(whole, part, continues), FL_OK);
        fl_select_free(part);
    }
    ck_assert_int_eq(fl_select_flush(whole), FL_OK);
    fl_select_free(whole);
    size_t kept = 0;
    for (size_t i = 0; i < N; i++) {
        ck_assert_msg(got[i] == want[i], "example %zu", i);
        kept += got[i];
    }
    size_t counted = 0;
    for (int g = 0; g < FL_GROUP_COUNT; g++)
        counted += out[g].count + part_out[g].count;
    ck_assert_uint_eq(counted, kept);
    /* more negatives than the rule keeps, or the test shows nothing */
    ck_assert_uint_lt(kept, N / 2);
    gsl_rng_free(rng);
}
END_TEST

Suite *select_suite(void)
{
    Suite *s = suite_create("select");
    TCase *tc = tcase_create("select");
    tcase_add_test(tc, test_top_b);
    tcase_add_test(tc, test_ratio);
    tcase_add_test(tc, test_ssd);
    tcase_add_test(tc, test_tie_keeps_input_order);
    tcase_add_test(tc, test_ssd_image_without_positive);
    tcase_add_test(tc, test_ssd_keys_in_parts);
    suite_add_tcase(s, tc);
    return s;
}
