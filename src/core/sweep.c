/* sweep.c: one pass over the data for every (gamma, alpha). */
#include "core/sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/clones.h"
#include "core/grow.h"
#include "core/status.h"
#include "core/vmath.h"

fl_sweep *fl_sweep_new(const double *gamma, size_t ngamma, double easy)
{
    fl_sweep *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->ngamma = ngamma;
    s->easy = easy;
    s->gamma = malloc(ngamma * sizeof *s->gamma);
    s->params = malloc(ngamma * sizeof *s->params);
    s->cell = calloc(ngamma, sizeof *s->cell);
    if (!s->gamma || !s->params || !s->cell) {
        fl_sweep_free(s);
        return NULL;
    }
    memcpy(s->gamma, gamma, ngamma * sizeof *gamma);
    for (size_t k = 0; k < ngamma; k++) {
        fl_params_default(&s->params[k]);
        s->params[k].alpha_on = 0; /* alpha is applied per side afterwards */
        s->params[k].gamma = gamma[k];
        s->params[k].easy = easy;
    }
    return s;
}

void fl_sweep_free(fl_sweep *s)
{
    if (!s)
        return;
    free(s->gamma);
    free(s->params);
    free(s->cell);
    free(s->keys);
    free(s->pend);
    free(s->pend_sums);
    free(s->pend_keys);
    free(s);
}

static fl_cell *key_cells(fl_sweep *s, uint64_t key);

int fl_sweep_merge(fl_sweep *into, const fl_sweep *from)
{
    uint64_t base = from->key_base;
    if (from->nkeys && !key_cells(into, base + from->nkeys - 1))
        return FL_ENOMEM;
    for (size_t k = 0; k < into->ngamma; k++)
        for (int g = 0; g < FL_GROUP_COUNT; g++)
            fl_cell_merge(&into->cell[k][g], &from->cell[k][g]);
    size_t per = into->ngamma * FL_GROUP_COUNT;
    for (size_t i = 0; i < from->nkeys * per; i++)
        fl_cell_merge(&into->keys[base * per + i], &from->keys[i]);
    return FL_OK;
}

void fl_sweep_number_images(fl_sweep *s, uint64_t first)
{
    if (s->by == FL_BY_IMAGE)
        s->key_base = first;
}

void fl_sweep_set_by(fl_sweep *s, enum fl_by by)
{
    s->by = by;
}

/* How many of a key's examples, and of each group, its held-back sums
 * hold: fewer than 2 CHUNK, so that their rounding stays near that of a
 * chunk's sums, while its compensated cells take one fold per chunk of
 * its examples (and one at the end of fl_sweep_add), not one addition per
 * example and gamma. */
typedef struct key_pending {
    size_t n;
    uint64_t count[FL_GROUP_COUNT];
} key_pending;

/* The cells of key, grown into (with its held-back sums) when new; NULL
 * when out of memory. */
static fl_cell *key_cells(fl_sweep *s, uint64_t key)
{
    size_t per = s->ngamma * FL_GROUP_COUNT;
    if (key < s->nkeys)
        return s->keys + key * per;
    fl_cell *k = fl_grow_to(s->keys, &s->keys_cap, per * sizeof *k, key);
    if (!k)
        return NULL;
    s->keys = k;
    key_pending *p = fl_grow_to(s->pend, &s->pend_cap, sizeof *p, key);
    if (!p)
        return NULL;
    s->pend = p;
    double *d = fl_grow_to(s->pend_sums, &s->pend_sums_cap,
                           2 * per * sizeof *d, key);
    if (!d)
        return NULL;
    s->pend_sums = d;
    s->nkeys = key + 1;
    return s->keys + key * per;
}

/* Fold key's held-back sums into its cells. */
static void fold_key(fl_sweep *s, uint64_t key)
{
    size_t per = s->ngamma * FL_GROUP_COUNT;
    key_pending *p = &s->pend[key];
    fl_cell *cells = s->keys + key * per;
    double *loss = s->pend_sums + key * 2 * per, *grad = loss + per;
    for (size_t i = 0; i < per; i++) {
        cells[i].count += p->count[i % FL_GROUP_COUNT];
        fl_ksum_add(&cells[i].loss, loss[i]);
        fl_ksum_add(&cells[i].grad, grad[i]);
    }
    memset(loss, 0, 2 * per * sizeof *loss);
    memset(p, 0, sizeof *p);
}

#define CHUNK 256
#define AT_ONCE (FL_VSUMS / 2) /* gammas whose sums fl_vgroup_sums takes */

/* The per-example terms of a chunk that every gamma shares, array by array
 * so that they vectorize (as in summary.c), and room for the terms of
 * AT_ONCE gammas. */
typedef struct chunk {
    double xt[CHUNK], pt[CHUNK], qt[CHUNK], ce[CHUNK], lq[CHUNK];
    double loss[AT_ONCE][CHUNK], grad[AT_ONCE][CHUNK];
    unsigned char group[CHUNK];
    uint64_t key[CHUNK]; /* NO_KEY when not in a breakdown */
} chunk;

#define NO_KEY UINT64_MAX

static void chunk_terms(const fl_sweep *s, const fl_batch *b, size_t from,
                        size_t n, chunk *c)
{
    fl_vsigmoid_terms(b->x + from, b->positive + from, n,
                      &(fl_vterms){c->xt, c->pt, c->qt, c->ce, c->lq, NULL});
    for (size_t i = 0; i < n; i++)
        c->group[i] = (unsigned char)fl_group_of(b->positive[from + i],
                                                 c->pt[i], s->easy);
}

/* The unweighted focal loss and gradient size of the chunk's examples at
 * gamma, into loss and grad. */
FL_CLONES static void gamma_terms(double gamma, const chunk *c, size_t n,
                                  double *loss, double *grad)
{
    fl_vmodulating(gamma, c->qt, c->lq, loss, n);
    for (size_t i = 0; i < n; i++)
        loss[i] = fl_focal_term(loss[i], gamma, c->pt[i], c->ce[i], c->qt[i],
                                &grad[i]);
}

/* Add the chunk at gammas k0 to k0 + m - 1 (m <= AT_ONCE): summed by
 * group in fl_vgroup_sums' lanes (at most CHUNK non-negative terms), then
 * folded into the compensated cells; a slot past m sums gamma k0's terms
 * again, and is dropped. */
static void add_gammas(fl_sweep *s, size_t k0, size_t m, chunk *c, size_t n)
{
    const double *in[FL_VSUMS];
    for (size_t j = 0; j < AT_ONCE; j++) {
        if (j < m)
            gamma_terms(s->gamma[k0 + j], c, n, c->loss[j], c->grad[j]);
        in[j] = c->loss[j < m ? j : 0];
        in[AT_ONCE + j] = c->grad[j < m ? j : 0];
    }
    double sums[FL_VSUMS][4] = {{0}};
    uint64_t count[FL_GROUP_COUNT] = {0};
    fl_vgroup_sums(in, c->group, n, sums, count);
    for (size_t j = 0; j < m; j++)
        for (int g = 0; g < FL_GROUP_COUNT; g++) {
            fl_cell *cell = &s->cell[k0 + j][g];
            cell->count += count[g];
            fl_ksum_add(&cell->loss, sums[j][g]);
            fl_ksum_add(&cell->grad, sums[AT_ONCE + j][g]);
        }
    if (s->by == FL_BY_NONE)
        return;
    size_t per = s->ngamma * FL_GROUP_COUNT;
    for (size_t i = 0; i < n; i++) {
        if (c->key[i] == NO_KEY) /* key_cells made room for the others */
            continue;
        double *loss = s->pend_sums + c->key[i] * 2 * per +
                       k0 * FL_GROUP_COUNT + c->group[i];
        double *grad = loss + per;
        for (size_t j = 0; j < m; j++) {
            loss[j * FL_GROUP_COUNT] += c->loss[j][i];
            grad[j * FL_GROUP_COUNT] += c->grad[j][i];
        }
    }
}

/* Count the chunk's keyed examples into their keys' held-back sums (which
 * add_gammas filled), and fold those that hold CHUNK or more.  Return FL_OK
 * or FL_ENOMEM. */
static int hold_keys(fl_sweep *s, const chunk *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (c->key[i] == NO_KEY)
            continue;
        key_pending *p = &s->pend[c->key[i]];
        if (p->n++ == 0) {
            uint64_t *k = fl_grow_to(s->pend_keys, &s->pend_keys_cap,
                                     sizeof *k, s->npend);
            if (!k)
                return FL_ENOMEM;
            s->pend_keys = k;
            k[s->npend++] = c->key[i];
        }
        p->count[c->group[i]]++;
    }
    for (size_t i = 0; i < n; i++)
        if (c->key[i] != NO_KEY && s->pend[c->key[i]].n >= CHUNK)
            fold_key(s, c->key[i]);
    return FL_OK;
}

/* Fold every key's held-back sums. */
static void fold_keys(fl_sweep *s)
{
    for (size_t i = 0; i < s->npend; i++)
        if (s->pend[s->pend_keys[i]].n)
            fold_key(s, s->pend_keys[i]);
    s->npend = 0;
}

int fl_sweep_add(fl_sweep *s, const fl_batch *b)
{
    chunk *c = malloc(sizeof *c);
    if (!c)
        return FL_ENOMEM;
    for (size_t from = 0; from < b->n; from += CHUNK) {
        size_t n = b->n - from < CHUNK ? b->n - from : CHUNK;
        chunk_terms(s, b, from, n, c);
        for (size_t i = 0; i < n; i++) {
            size_t j = from + i;
            c->key[i] = NO_KEY;
            if (s->by == FL_BY_IMAGE || (s->by == FL_BY_CLASS && b->klass &&
                                         b->klass[j] != FL_NO_CLASS)) {
                c->key[i] = s->by == FL_BY_IMAGE ? b->image[j] : b->klass[j];
                if (c->key[i] >= s->nkeys && !key_cells(s, c->key[i])) {
                    free(c);
                    return FL_ENOMEM;
                }
            }
        }
        for (size_t k = 0; k < s->ngamma; k += AT_ONCE)
            add_gammas(s, k, s->ngamma - k < AT_ONCE ? s->ngamma - k : AT_ONCE,
                       c, n);
        if (s->by != FL_BY_NONE && hold_keys(s, c, n) != FL_OK) {
            free(c);
            return FL_ENOMEM;
        }
    }
    free(c);
    fold_keys(s);
    return FL_OK;
}

static double ratio(double a, double b)
{
    return b != 0.0 ? a / b : NAN;
}

static void cells_at(const fl_cell *c, double gamma, double alpha,
                     fl_sweep_cell *out);

void fl_sweep_cell_at(const fl_sweep *s, size_t gi, double alpha,
                      fl_sweep_cell *out)
{
    cells_at(s->cell[gi], s->gamma[gi], alpha, out);
}

int fl_sweep_key_cell_at(const fl_sweep *s, uint64_t key, size_t gi,
                         double alpha, fl_sweep_cell *out)
{
    if (key >= s->nkeys)
        return -1;
    const fl_cell *c = s->keys + (key * s->ngamma + gi) * FL_GROUP_COUNT;
    uint64_t n = 0;
    for (int g = 0; g < FL_GROUP_COUNT; g++)
        n += c[g].count;
    if (n == 0)
        return -1;
    cells_at(c, s->gamma[gi], alpha, out);
    return 0;
}

/* One (gamma, alpha) cell from the unweighted sums c[group]. */
static void cells_at(const fl_cell *c, double gamma, double alpha,
                     fl_sweep_cell *out)
{
    double loss[FL_GROUP_COUNT], grad[FL_GROUP_COUNT];
    fl_ksum lt = {0}, gt = {0};
    uint64_t positives = 0;
    for (int g = 0; g < FL_GROUP_COUNT; g++) {
        double at = fl_group_positive((enum fl_group)g) ? alpha : 1.0 - alpha;
        loss[g] = at * fl_ksum_value(&c[g].loss);
        grad[g] = at * fl_ksum_value(&c[g].grad);
        fl_ksum_add(&lt, loss[g]);
        fl_ksum_add(&gt, grad[g]);
        if (fl_group_positive((enum fl_group)g))
            positives += c[g].count;
    }
    out->gamma = gamma;
    out->alpha = alpha;
    out->loss_sum = fl_ksum_value(&lt);
    out->grad_sum = fl_ksum_value(&gt);
    out->loss_per_pos = ratio(out->loss_sum, (double)positives);
    for (int g = 0; g < FL_GROUP_COUNT; g++) {
        out->loss_share[g] = ratio(loss[g], out->loss_sum);
        out->grad_share[g] = ratio(grad[g], out->grad_sum);
    }
}

/* The alpha where alpha * pos = (1 - alpha) * neg. */
static double balance(double pos, double neg)
{
    return pos > 0 && neg > 0 ? neg / (pos + neg) : NAN;
}

void fl_sweep_balance_at(const fl_sweep *s, size_t gi, fl_sweep_balance *out)
{
    const fl_cell *c = s->cell[gi];
    fl_ksum pl = {0}, nl = {0}, pg = {0}, ng = {0};
    fl_ksum_merge(&pl, &c[FL_GROUP_EASY_POS].loss);
    fl_ksum_merge(&pl, &c[FL_GROUP_HARD_POS].loss);
    fl_ksum_merge(&nl, &c[FL_GROUP_EASY_NEG].loss);
    fl_ksum_merge(&nl, &c[FL_GROUP_HARD_NEG].loss);
    fl_ksum_merge(&pg, &c[FL_GROUP_EASY_POS].grad);
    fl_ksum_merge(&pg, &c[FL_GROUP_HARD_POS].grad);
    fl_ksum_merge(&ng, &c[FL_GROUP_EASY_NEG].grad);
    fl_ksum_merge(&ng, &c[FL_GROUP_HARD_NEG].grad);
    out->gamma = s->gamma[gi];
    out->pos_loss = fl_ksum_value(&pl);
    out->neg_loss = fl_ksum_value(&nl);
    out->pos_grad = fl_ksum_value(&pg);
    out->neg_grad = fl_ksum_value(&ng);
    out->alpha_loss = balance(out->pos_loss, out->neg_loss);
    out->alpha_grad = balance(out->pos_grad, out->neg_grad);
}
