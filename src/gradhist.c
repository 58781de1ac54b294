/* gradhist.c: gradient-norm histogram; GHM-C weights from the bin counts. */
#include "gradhist.h"

#include <math.h>
#include <stdlib.h>

#include "status.h"

fl_gradhist *fl_gradhist_new(const fl_params *p, size_t nbins)
{
    fl_gradhist *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->bin = calloc(nbins, sizeof *h->bin);
    if (!h->bin) {
        free(h);
        return NULL;
    }
    h->params = *p;
    h->nbins = nbins;
    return h;
}

void fl_gradhist_free(fl_gradhist *h)
{
    if (!h)
        return;
    free(h->bin);
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

int fl_gradhist_add(fl_gradhist *h, const fl_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        fl_example ex;
        double ce_grad, fl_grad;
        fl_example_init(&ex, b->x[i], b->positive[i]);
        /* |p - y| = 1 - p_t = sigmoid(-x_t), exact where p_t is near 1 */
        fl_gradhist_bin *bin = &h->bin[fl_gradhist_bin_of(h, ex.qt)];
        double ce = fl_loss_eval(FL_LOSS_CE, &h->params, &ex, &ce_grad);
        double fl = fl_loss_eval(FL_LOSS_FOCAL, &h->params, &ex, &fl_grad);
        if (ex.positive)
            bin->pos++;
        else
            bin->neg++;
        fl_ksum_add(&bin->ce_loss, ce);
        fl_ksum_add(&bin->ce_grad, fabs(ce_grad));
        fl_ksum_add(&bin->fl_loss, fl);
        fl_ksum_add(&bin->fl_grad, fabs(fl_grad));
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
