/* cdf.c: order statistics of the focal loss, from one sorted array per
 * side. */
#include "cdf.h"

#include "sort.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ksum.h"
#include "loss.h"
#include "status.h"

typedef struct side {
    double *xt; /* ascending after fl_cdf_finish: the hardest first */
    size_t n, cap;
} side;

struct fl_cdf {
    side s[2]; /* [0] negatives, [1] positives */
};

fl_cdf *fl_cdf_new(void)
{
    return calloc(1, sizeof(fl_cdf));
}

void fl_cdf_free(fl_cdf *c)
{
    if (!c)
        return;
    free(c->s[0].xt);
    free(c->s[1].xt);
    free(c);
}

static int reserve(side *s, size_t more)
{
    if (s->cap - s->n >= more)
        return FL_OK;
    size_t cap = s->cap ? s->cap : 4096;
    while (cap - s->n < more) {
        if (cap > SIZE_MAX / 2 / sizeof *s->xt)
            return FL_ENOMEM;
        cap *= 2;
    }
    double *xt = realloc(s->xt, cap * sizeof *xt);
    if (!xt)
        return FL_ENOMEM;
    s->xt = xt;
    s->cap = cap;
    return FL_OK;
}

int fl_cdf_add(fl_cdf *c, const fl_batch *b)
{
    if (reserve(&c->s[0], b->n) != FL_OK || reserve(&c->s[1], b->n) != FL_OK)
        return FL_ENOMEM;
    for (size_t i = 0; i < b->n; i++) {
        side *s = &c->s[b->positive[i] ? 1 : 0];
        s->xt[s->n++] = b->positive[i] ? b->x[i] : -b->x[i];
    }
    return FL_OK;
}

int fl_cdf_merge(fl_cdf *into, const fl_cdf *from)
{
    for (int k = 0; k < 2; k++) {
        side *s = &into->s[k];
        const side *f = &from->s[k];
        if (f->n == 0)
            continue;
        if (reserve(s, f->n) != FL_OK)
            return FL_ENOMEM;
        memcpy(s->xt + s->n, f->xt, f->n * sizeof *f->xt);
        s->n += f->n;
    }
    return FL_OK;
}

void fl_cdf_finish(fl_cdf *c)
{
    for (int k = 0; k < 2; k++)
        if (c->s[k].n > 1)
            fl_sort_doubles(c->s[k].xt, c->s[k].n);
}

size_t fl_cdf_count(const fl_cdf *c, int positive)
{
    return c->s[positive ? 1 : 0].n;
}

/* The k of curve point j of m over n examples: j n / (m - 1), rounded.
 * j < 2^20 and n < 2^43 keep the product in 64 bits. */
static size_t point_k(size_t j, size_t m, size_t n)
{
    if (m > n)
        return j;
    return (size_t)(((uint64_t)j * n + (m - 1) / 2) / (m - 1));
}

int fl_cdf_scan(const fl_cdf *c, int positive, double gamma,
                size_t max_points, fl_cdf_point *pts, size_t *npts,
                fl_cdf_top *tops, size_t ntops)
{
    if (max_points < 2 || max_points > FL_CDF_MAX_POINTS ||
        ntops > FL_CDF_MAX_TOPS)
        return FL_EINVAL;
    for (size_t t = 0; t < ntops; t++)
        if (tops[t].den == 0 || tops[t].den > FL_CDF_MAX_POINTS ||
            tops[t].num > tops[t].den)
            return FL_EINVAL;
    const side *s = &c->s[positive ? 1 : 0];
    size_t n = s->n;
    size_t m = n + 1 < max_points ? n + 1 : max_points;
    fl_params p;
    fl_params_default(&p);
    p.alpha_on = 0;
    p.gamma = gamma;

    /* easy[k]: the loss of the k easiest, wanted at every curve point and
     * at n - ceil(q n) for each headline q; one ascending pass finds all. */
    double kept[FL_CDF_MAX_TOPS];
    size_t at[FL_CDF_MAX_TOPS];
    fl_ksum run = {0};
    size_t j = 0;
    for (size_t t = 0; t < ntops; t++)
        at[t] = n - (size_t)(((uint64_t)tops[t].num * n + tops[t].den - 1) /
                             tops[t].den);
    for (size_t k = 0;; k++) {
        double v = fl_ksum_value(&run);
        while (j < m && point_k(j, m, n) == k)
            pts[j++].share = v; /* divided by the total below */
        for (size_t t = 0; t < ntops; t++)
            if (at[t] == k)
                kept[t] = v;
        if (k == n)
            break;
        fl_example ex;
        double grad;
        fl_example_init(&ex, s->xt[n - 1 - k], 1);
        fl_ksum_add(&run, fl_loss_eval(FL_LOSS_FOCAL, &p, &ex, &grad));
    }
    double total = fl_ksum_value(&run);
    for (size_t i = 0; i < m && n > 0; i++) {
        pts[i].fraction = (double)point_k(i, m, n) / (double)n;
        pts[i].share = total > 0 ? pts[i].share / total : NAN;
    }
    *npts = n > 0 ? m : 0;
    for (size_t t = 0; t < ntops; t++)
        tops[t].share = n > 0 && total > 0 ? (total - kept[t]) / total : NAN;
    return FL_OK;
}

void fl_cdf_result_free(fl_cdf_result *r)
{
    if (!r)
        return;
    free(r->gamma);
    free(r->npts);
    free(r->pts);
    free(r->top);
    free(r);
}

fl_cdf_result *fl_cdf_result_new(const fl_cdf *c, const double *gamma,
                                 size_t ngamma, size_t max_points)
{
    if (max_points < 2 || max_points > FL_CDF_MAX_POINTS ||
        ngamma > SIZE_MAX / 2 / FL_CDF_MAX_POINTS / sizeof(fl_cdf_point))
        return NULL;
    fl_cdf_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->ngamma = ngamma;
    r->max_points = max_points;
    r->gamma = malloc(ngamma * sizeof *r->gamma);
    r->npts = calloc(2 * ngamma, sizeof *r->npts);
    r->pts = calloc(2 * ngamma * max_points, sizeof *r->pts);
    r->top = calloc(3 * ngamma, sizeof *r->top);
    if (!r->gamma || !r->npts || !r->pts || !r->top) {
        fl_cdf_result_free(r);
        return NULL;
    }
    memcpy(r->gamma, gamma, ngamma * sizeof *gamma);
    r->count[0] = fl_cdf_count(c, 0);
    r->count[1] = fl_cdf_count(c, 1);
    for (size_t g = 0; g < ngamma; g++) {
        fl_cdf_top pos[1] = {{.num = 1, .den = 5}};
        fl_cdf_top neg[2] = {{.num = 1, .den = 100}, {.num = 1, .den = 10}};
        fl_cdf_scan(c, 0, gamma[g], max_points, r->pts + 2 * g * max_points,
                    &r->npts[2 * g], neg, 2);
        fl_cdf_scan(c, 1, gamma[g], max_points,
                    r->pts + (2 * g + 1) * max_points, &r->npts[2 * g + 1],
                    pos, 1);
        r->top[3 * g] = pos[0].share;
        r->top[3 * g + 1] = neg[0].share;
        r->top[3 * g + 2] = neg[1].share;
    }
    return r;
}
