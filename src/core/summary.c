/* summary.c: accumulate every loss by group.
 *
 * A batch is taken FL_SUMMARY_CHUNK examples at a time: first every term is
 * computed array by array, in loops the compiler vectorizes (with the array
 * exp and log1p of vmath.h); then the examples are sorted into groups, the
 * chunk's terms summed by group (fl_vgroup_sums) and each example offered
 * to the OHEM selection; last, the chunk's sums are folded into the
 * compensated totals. */
#include "core/summary.h"

#include <stdlib.h>
#include <string.h>

#include "core/clones.h"
#include "core/grow.h"
#include "core/loss_terms.h"
#include "core/select.h"
#include "core/status.h"
#include "core/vmath.h"

/* The terms of one chunk of examples, their groups and keys. */
typedef struct terms {
    fl_chunk_terms c;
    unsigned char group[FL_SUMMARY_CHUNK]; /* enum fl_group */
    uint64_t key[FL_SUMMARY_CHUNK];        /* its breakdown's key */
} terms;

/* A chunk's sums, in fl_vgroup_sums' lanes: at most FL_SUMMARY_CHUNK
 * non-negative terms each, so their rounding error stays below 2.9e-14
 * relative before they are folded into the compensated totals. */
typedef struct chunk_sums {
    uint64_t count[FL_GROUP_COUNT];
    double loss[FL_LOSS_PER_EXAMPLE][FL_GROUP_COUNT];
    double grad[FL_LOSS_PER_EXAMPLE][FL_GROUP_COUNT];
} chunk_sums;

/* A key's sums of the examples not yet folded into its cells: at most
 * FL_SUMMARY_CHUNK, so that their rounding stays that of a chunk's sums,
 * while the compensated cells take one fold per chunk of the key's
 * examples, not one addition per example. */
typedef struct key_sums {
    chunk_sums sums;
    size_t n;
} key_sums;

/* The cells of key, grown into when new; NULL when out of memory. */
static fl_key_cells *key_cells(fl_summary *s, uint64_t key)
{
    fl_key_cells *k = fl_grow_to(s->keys, &s->keys_cap, sizeof *k, key);
    if (!k)
        return NULL;
    s->keys = k;
    if (key >= s->nkeys)
        s->nkeys = key + 1;
    return &s->keys[key];
}

static void keep_by_key(void *ctx, uint64_t key, double ce, double grad,
                        enum fl_group g)
{
    fl_summary *s = ctx;
    if (key == FL_NO_CLASS && s->by == FL_BY_CLASS)
        return;
    fl_key_cells *k = key_cells(s, key);
    if (!k) {
        s->failed = 1;
        return;
    }
    fl_cell_add(&k->cell[FL_LOSS_OHEM][g], ce, grad);
}

fl_summary *fl_summary_new(const fl_params *p)
{
    return fl_summary_new_by(p, FL_BY_NONE);
}

fl_summary *fl_summary_new_by(const fl_params *p, enum fl_by by)
{
    fl_summary *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->params = *p;
    s->by = by;
    s->select = fl_select_new(p, s->cell[FL_LOSS_OHEM],
                              by == FL_BY_NONE ? NULL : keep_by_key, s);
    s->terms = malloc(sizeof *s->terms);
    if (!s->select || !s->terms) {
        fl_summary_free(s);
        return NULL;
    }
    /* without a breakdown, every example's key, once */
    for (size_t i = 0; by == FL_BY_NONE && i < FL_SUMMARY_CHUNK; i++)
        s->terms->key[i] = FL_NO_CLASS;
    return s;
}

void fl_summary_free(fl_summary *s)
{
    if (!s)
        return;
    fl_select_free(s->select);
    free(s->terms);
    free(s->keys);
    free(s->pending);
    free(s);
}

/* Sort the n examples into their groups, noted in t for the sums and the
 * selection. */
FL_CLONES static void group_terms(const fl_params *p,
                                  const unsigned char *pos, size_t n,
                                  terms *t)
{
    const double *pt = t->c.pt, easy = p->easy;
    unsigned char *group = t->group;
    for (size_t i = 0; i < n; i++)
        group[i] = (unsigned char)fl_group_of(pos[i], pt[i], easy);
}

/* The losses with terms of their own (no alpha_of), which fl_vgroup_sums
 * sums FL_VSUMS / 2 at a time; return how many. */
static int summed_losses(enum fl_loss summed[FL_LOSS_PER_EXAMPLE])
{
    int m = 0;
    for (int k = 0; k < FL_LOSS_PER_EXAMPLE; k++)
        if (fl_loss_alpha_of(k) < 0)
            summed[m++] = (enum fl_loss)k;
    return m;
}

/* The chunk's sums by group, from the terms and groups in t.  A group's
 * examples share their a_t: a loss with alpha_of sums to a_t times its
 * sums. */
FL_CLONES static void sum_chunk(const fl_params *p, const terms *t, size_t n,
                                chunk_sums *cs)
{
    enum fl_loss summed[FL_LOSS_PER_EXAMPLE];
    int m = summed_losses(summed);
    for (int j0 = 0; j0 < m; j0 += FL_VSUMS / 2) {
        /* a slot past m sums loss j0 again, and is dropped */
        const double *in[FL_VSUMS];
        for (int j = 0; j < FL_VSUMS / 2; j++) {
            enum fl_loss k = summed[j0 + j < m ? j0 + j : j0];
            in[j] = t->c.loss_of[k];
            in[FL_VSUMS / 2 + j] = t->c.grad_of[k];
        }
        double sums[FL_VSUMS][4] = {{0}};
        uint64_t count[FL_GROUP_COUNT] = {0};
        fl_vgroup_sums(in, t->group, n, sums, j0 ? count : cs->count);
        for (int j = 0; j < FL_VSUMS / 2 && j0 + j < m; j++)
            for (int g = 0; g < FL_GROUP_COUNT; g++) {
                cs->loss[summed[j0 + j]][g] = sums[j][g];
                cs->grad[summed[j0 + j]][g] = sums[FL_VSUMS / 2 + j][g];
            }
    }
    for (int k = 0; k < FL_LOSS_PER_EXAMPLE; k++) {
        int base = fl_loss_alpha_of(k);
        for (int g = 0; base >= 0 && g < FL_GROUP_COUNT; g++) {
            double at = fl_alpha_t(p, fl_group_positive((enum fl_group)g));
            cs->loss[k][g] = at * cs->loss[base][g];
            cs->grad[k][g] = at * cs->grad[base][g];
        }
    }
}

/* Add a chunk's (or a key's) sums to cells. */
static void fold_sums(fl_cell cell[][FL_GROUP_COUNT], const chunk_sums *cs)
{
    for (int k = 0; k < FL_LOSS_PER_EXAMPLE; k++)
        for (int g = 0; g < FL_GROUP_COUNT; g++) {
            fl_cell *c = &cell[k][g];
            c->count += cs->count[g];
            fl_ksum_add(&c->loss, cs->loss[k][g]);
            fl_ksum_add(&c->grad, cs->grad[k][g]);
        }
}

/* Fold key's pending sums into its cells. */
static void fold_key(fl_summary *s, size_t key)
{
    key_sums *ks = &s->pending[key];
    fold_sums(s->keys[key].cell, &ks->sums);
    memset(ks, 0, sizeof *ks);
}

/* Fold every key's pending sums into its cells. */
static void fold_keys(fl_summary *s)
{
    for (size_t key = 0; key < s->nkeys && key < s->pending_cap; key++)
        if (s->pending[key].n)
            fold_key(s, key);
}

/* The pending sums of key, grown into (with its cells) when new; NULL
 * when out of memory. */
static key_sums *key_pending(fl_summary *s, uint64_t key)
{
    if (key < s->nkeys && key < s->pending_cap)
        return &s->pending[key];
    if (!key_cells(s, key))
        return NULL;
    key_sums *p = fl_grow_to(s->pending, &s->pending_cap, sizeof *p, key);
    if (!p)
        return NULL;
    s->pending = p;
    return &p[key];
}

/* Add example i of the chunk to the sums of its key. */
static int add_by_key(fl_summary *s, const terms *t, size_t i)
{
    uint64_t key = t->key[i];
    enum fl_group g = (enum fl_group)t->group[i];
    if (s->by == FL_BY_CLASS && key == FL_NO_CLASS)
        return FL_OK;
    key_sums *ks = key_pending(s, key);
    if (!ks)
        return FL_ENOMEM;
    chunk_sums *cs = &ks->sums;
    double at = fl_alpha_t(&s->params, fl_group_positive(g));
    cs->count[g]++;
    for (int k = 0; k < FL_LOSS_PER_EXAMPLE; k++) {
        int base = fl_loss_alpha_of(k);
        if (base < 0) {
            cs->loss[k][g] += t->c.loss_of[k][i];
            cs->grad[k][g] += t->c.grad_of[k][i];
        } else {
            cs->loss[k][g] += at * t->c.loss_of[base][i];
            cs->grad[k][g] += at * t->c.grad_of[base][i];
        }
    }
    if (++ks->n == FL_SUMMARY_CHUNK)
        fold_key(s, key);
    return FL_OK;
}

int fl_summary_add(fl_summary *s, const fl_batch *b)
{
    terms *t = s->terms;
    for (size_t start = 0; start < b->n; start += FL_SUMMARY_CHUNK) {
        size_t n = b->n - start < FL_SUMMARY_CHUNK ? b->n - start
                                                    : FL_SUMMARY_CHUNK;
        chunk_sums cs;
        memset(&cs, 0, sizeof cs);
        fl_chunk_terms_compute(&s->params, b->x + start, b->positive + start,
                               n, &t->c);
        group_terms(&s->params, b->positive + start, n, t);
        sum_chunk(&s->params, t, n, &cs);
        for (size_t i = 0; s->by != FL_BY_NONE && i < n; i++) {
            t->key[i] = s->by == FL_BY_IMAGE ? b->image[start + i]
                        : b->klass ? b->klass[start + i]
                                   : FL_NO_CLASS;
            if (add_by_key(s, t, i) != FL_OK)
                return FL_ENOMEM;
        }
        if (fl_select_add_many(s->select, n, b->image + start, t->c.ce, t->c.qt,
                               t->group, t->key) != FL_OK || s->failed)
            return FL_ENOMEM;
        fold_sums(s->cell, &cs);
    }
    return FL_OK;
}

int fl_summary_finish(fl_summary *s)
{
    if (fl_select_flush(s->select) != FL_OK)
        s->failed = 1;
    fold_keys(s);
    return s->failed ? FL_ENOMEM : FL_OK;
}

void fl_summary_hold_first(fl_summary *s, uint64_t part)
{
    /* Ties rank by input order: part's examples number from (part+1)<<32,
     * right while parts hold under 2^32 examples (a reader's stretch holds
     * under 2^29 bytes) and number under 2^30 - 1 (fl_select_hold_first's
     * bound: 4 PB of input in parts of 4 MiB). */
    fl_select_hold_first(s->select, (part + 1) << 32);
}

void fl_summary_number_images(fl_summary *s, uint64_t first)
{
    if (s->by != FL_BY_IMAGE)
        return;
    s->key_base = first;
    fl_select_shift_keys(s->select, first);
}

int fl_summary_merge(fl_summary *dst, fl_summary *src, int continues)
{
    fold_keys(dst);
    fold_keys(src);
    for (int k = 0; k < FL_LOSS_COUNT; k++)
        for (int g = 0; g < FL_GROUP_COUNT; g++)
            fl_cell_merge(&dst->cell[k][g], &src->cell[k][g]);
    for (size_t key = 0; key < src->nkeys; key++) {
        fl_key_cells *d = key_cells(dst, src->key_base + key);
        if (!d)
            return FL_ENOMEM;
        for (int k = 0; k < FL_LOSS_COUNT; k++)
            for (int g = 0; g < FL_GROUP_COUNT; g++)
                fl_cell_merge(&d->cell[k][g], &src->keys[key].cell[k][g]);
    }
    /* the selections that end now land in dst's cells */
    if (fl_select_merge(dst->select, src->select, continues) != FL_OK ||
        dst->failed)
        return FL_ENOMEM;
    return FL_OK;
}

void fl_summary_total(const fl_summary *s, enum fl_loss loss, fl_cell *out)
{
    *out = (fl_cell){0};
    for (int g = 0; g < FL_GROUP_COUNT; g++)
        fl_cell_merge(out, &s->cell[loss][g]);
}
