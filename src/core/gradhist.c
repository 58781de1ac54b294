/* gradhist.c: gradient-norm histogram; GHM-C weights from the bin counts. */
#include "core/gradhist.h"

#include <math.h>
#include <stdlib.h>

#include "core/status.h"
#include "core/vmath.h"

#define NO_SLOT UINT32_MAX

fl_gradhist *fl_gradhist_new(const fl_params *p, size_t nbins)
{
    fl_gradhist *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->bin = calloc(nbins, sizeof *h->bin);
    h->slot = malloc(nbins * sizeof *h->slot);
    if (!h->bin || !h->slot) {
        fl_gradhist_free(h);
        return NULL;
    }
    for (size_t k = 0; k < nbins; k++)
        h->slot[k] = NO_SLOT;
    h->params = *p;
    h->nbins = nbins;
    return h;
}

void fl_gradhist_free(fl_gradhist *h)
{
    if (!h)
        return;
    free(h->bin);
    free(h->slot);
    free(h);
}

void fl_gradhist_merge(fl_gradhist *into, const fl_gradhist *from)
{
    for (size_t k = 0; k < into->nbins; k++) {
        fl_gradhist_bin *a = &into->bin[k];
        const fl_gradhist_bin *b = &from->bin[k];
        a->neg += b->neg;
        a->pos += b->pos;
        fl_ksum_merge(&a->ce_loss, &b->ce_loss);
        fl_ksum_merge(&a->ce_grad, &b->ce_grad);
        fl_ksum_merge(&a->fl_loss, &b->fl_loss);
        fl_ksum_merge(&a->fl_grad, &b->fl_grad);
    }
}

size_t fl_gradhist_bin_of(const fl_gradhist *h, double g)
{
    size_t k = (size_t)(g * (double)h->nbins);
    return k < h->nbins ? k : h->nbins - 1;
}

enum { GRADHIST_CHUNK = 256 }; /* examples whose terms are computed together */

/* The chunk's terms, array by array, as summarize computes them. */
typedef struct chunk_terms {
    double xt[GRADHIST_CHUNK], pt[GRADHIST_CHUNK], qt[GRADHIST_CHUNK];
    double ce[GRADHIST_CHUNK], lq[GRADHIST_CHUNK], mod[GRADHIST_CHUNK];
} chunk_terms;

/* A bin's sums over a chunk: CE's loss and gradient, FL's, each in four
 * lanes (example i in lane i mod 4), so that a run of examples in one bin
 * is four chains of adds, not one. */
typedef struct chunk_bin {
    double sum[4][4];
    uint64_t neg, pos;
} chunk_bin;

/* The chunk's bins: the slot of each example, and the bins in use. */
typedef struct chunk_bins {
    uint32_t slot[GRADHIST_CHUNK], bin[GRADHIST_CHUNK];
    size_t n;
    chunk_bin at[GRADHIST_CHUNK];
} chunk_bins;

/* Give each of the chunk's n examples the slot of its bin (by g = q_t). */
static void find_slots(fl_gradhist *h, const double *qt, size_t n,
                       chunk_bins *cb)
{
    cb->n = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = fl_gradhist_bin_of(h, qt[i]);
        if (h->slot[k] == NO_SLOT) {
            h->slot[k] = (uint32_t)cb->n;
            cb->bin[cb->n] = (uint32_t)k;
            cb->at[cb->n++] = (chunk_bin){{{0}}, 0, 0};
        }
        cb->slot[i] = h->slot[k];
    }
}

/* Fold the chunk's sums into h's bins (at most GRADHIST_CHUNK non-negative
 * terms a sum, as summarize's), and free the slots. */
static void fold_slots(fl_gradhist *h, const chunk_bins *cb)
{
    for (size_t s = 0; s < cb->n; s++) {
        fl_gradhist_bin *bin = &h->bin[cb->bin[s]];
        const chunk_bin *c = &cb->at[s];
        fl_ksum *sums[4] = {&bin->ce_loss, &bin->ce_grad, &bin->fl_loss,
                            &bin->fl_grad};
        for (int k = 0; k < 4; k++)
            fl_ksum_add(sums[k], (c->sum[k][0] + c->sum[k][1]) +
                                     (c->sum[k][2] + c->sum[k][3]));
        bin->neg += c->neg;
        bin->pos += c->pos;
        h->slot[cb->bin[s]] = NO_SLOT;
    }
}

/* Add the n examples at positive, their terms in t, to h's bins.  |CE's
 * gradient| is 1 - p_t, FL's as fl_loss_eval has it. */
static void add_chunk(fl_gradhist *h, const unsigned char *positive,
                      size_t n, const chunk_terms *t, chunk_bins *cb)
{
    const fl_params *p = &h->params;
    double at_pos = fl_alpha_t(p, 1), at_neg = fl_alpha_t(p, 0);
    /* |p - y| = 1 - p_t = sigmoid(-x_t), exact where p_t is near 1 */
    find_slots(h, t->qt, n, cb);
    for (size_t i = 0; i < n; i++) {
        chunk_bin *c = &cb->at[cb->slot[i]];
        size_t lane = i % 4;
        double fm = (positive[i] ? at_pos : at_neg) * t->mod[i];
        c->pos += positive[i];
        c->neg += !positive[i];
        c->sum[0][lane] += t->ce[i];
        c->sum[1][lane] += t->qt[i];
        double fl_grad;
        c->sum[2][lane] += fl_focal_term(fm, p->gamma, t->pt[i], t->ce[i],
                                         t->qt[i], &fl_grad);
        c->sum[3][lane] += fl_grad;
    }
    fold_slots(h, cb);
}

int fl_gradhist_add(fl_gradhist *h, const fl_batch *b)
{
    chunk_terms t;
    chunk_bins cb;
    for (size_t from = 0; from < b->n; from += GRADHIST_CHUNK) {
        size_t n = b->n - from < GRADHIST_CHUNK ? b->n - from : GRADHIST_CHUNK;
        fl_vsigmoid_terms(b->x + from, b->positive + from, n,
                          &(fl_vterms){t.xt, t.pt, t.qt, t.ce, t.lq, NULL});
        fl_vmodulating(h->params.gamma, t.qt, t.lq, t.mod, n);
        add_chunk(h, b->positive + from, n, &t, &cb);
    }
    return FL_OK;
}

static double ratio(double a, double b)
{
    return b != 0.0 ? a / b : NAN;
}

void fl_gradhist_rows(const fl_gradhist *h, fl_gradhist_row *rows)
{
    uint64_t neg = 0, pos = 0, nonempty = 0;
    fl_ksum ce_l = {0}, ce_g = {0}, fl_l = {0}, fl_g = {0}, ghm_l = {0},
            ghm_g = {0};
    for (size_t k = 0; k < h->nbins; k++) {
        const fl_gradhist_bin *b = &h->bin[k];
        neg += b->neg;
        pos += b->pos;
        nonempty += b->neg + b->pos > 0;
        fl_ksum_merge(&ce_l, &b->ce_loss);
        fl_ksum_merge(&ce_g, &b->ce_grad);
        fl_ksum_merge(&fl_l, &b->fl_loss);
        fl_ksum_merge(&fl_g, &b->fl_grad);
    }
    /* GHM-C weighs every example of a bin by N / (its bin's count) / M:
     * constant within a bin, so the bin's CE sums carry it. */
    for (size_t k = 0; k < h->nbins; k++) {
        const fl_gradhist_bin *b = &h->bin[k];
        uint64_t n = b->neg + b->pos;
        rows[k].ghm_weight =
            n ? (double)(neg + pos) / (double)n / (double)nonempty : NAN;
        if (n) {
            fl_ksum_add(&ghm_l, rows[k].ghm_weight * fl_ksum_value(&b->ce_loss));
            fl_ksum_add(&ghm_g, rows[k].ghm_weight * fl_ksum_value(&b->ce_grad));
        }
    }
    for (size_t k = 0; k < h->nbins; k++) {
        const fl_gradhist_bin *b = &h->bin[k];
        fl_gradhist_row *r = &rows[k];
        double w = b->neg + b->pos ? r->ghm_weight : 0.0;
        r->g_lo = (double)k / (double)h->nbins;
        r->g_hi = (double)(k + 1) / (double)h->nbins;
        r->neg = b->neg;
        r->pos = b->pos;
        r->neg_share = ratio((double)b->neg, (double)neg);
        r->pos_share = ratio((double)b->pos, (double)pos);
        r->ce_loss_share = ratio(fl_ksum_value(&b->ce_loss), fl_ksum_value(&ce_l));
        r->ce_grad_share = ratio(fl_ksum_value(&b->ce_grad), fl_ksum_value(&ce_g));
        r->fl_loss_share = ratio(fl_ksum_value(&b->fl_loss), fl_ksum_value(&fl_l));
        r->fl_grad_share = ratio(fl_ksum_value(&b->fl_grad), fl_ksum_value(&fl_g));
        r->ghm_loss_share = ratio(w * fl_ksum_value(&b->ce_loss), fl_ksum_value(&ghm_l));
        r->ghm_grad_share = ratio(w * fl_ksum_value(&b->ce_grad), fl_ksum_value(&ghm_g));
    }
}
