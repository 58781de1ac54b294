/* cdf.c: order statistics of the focal loss, from one array per side
 * sorted as far as the curve's points need. */
#include "core/cdf.h"

#include "core/sort.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/ksum.h"
#include "core/loss.h"
#include "core/status.h"
#include "core/vmath.h"

/* A side's examples, by the keys of their x_t (sort.h): what the sort
 * takes, so that no array of doubles is kept beside them. */
typedef struct side {
    uint64_t *key; /* the hardest first, as far as a scan needs */
    size_t n, cap;
} side;

struct fl_cdf {
    side s[2]; /* [0] negatives, [1] positives */
    int threads; /* fl_cdf_finish's, for fl_cdf_result_new too */
};

fl_cdf *fl_cdf_new(void)
{
    return calloc(1, sizeof(fl_cdf));
}

void fl_cdf_free(fl_cdf *c)
{
    if (!c)
        return;
    free(c->s[0].key);
    free(c->s[1].key);
    free(c);
}

static int reserve(side *s, size_t more)
{
    if (s->cap - s->n >= more)
        return FL_OK;
    size_t cap = s->cap ? s->cap : 4096;
    while (cap - s->n < more) {
        if (cap > SIZE_MAX / 2 / sizeof *s->key)
            return FL_ENOMEM;
        cap *= 2;
    }
    uint64_t *key = realloc(s->key, cap * sizeof *key);
    if (!key)
        return FL_ENOMEM;
    s->key = key;
    s->cap = cap;
    return FL_OK;
}

int fl_cdf_add(fl_cdf *c, const fl_batch *b)
{
    if (reserve(&c->s[0], b->n) != FL_OK || reserve(&c->s[1], b->n) != FL_OK)
        return FL_ENOMEM;
    for (size_t i = 0; i < b->n; i++) {
        side *s = &c->s[b->positive[i] ? 1 : 0];
        s->key[s->n++] = fl_sort_key(b->positive[i] ? b->x[i] : -b->x[i]);
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
        memcpy(s->key + s->n, f->key, f->n * sizeof *f->key);
        s->n += f->n;
    }
    return FL_OK;
}

void fl_cdf_finish(fl_cdf *c, int threads)
{
    c->threads = threads;
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

#define CDF_CHUNK 256

/* A chunk's unweighted focal losses, array by array (vectorized). */
typedef struct chunk_losses {
    double x[CDF_CHUNK], pt[CDF_CHUNK], qt[CDF_CHUNK], ce[CDF_CHUNK];
    double lq[CDF_CHUNK], loss[CDF_CHUNK];
} chunk_losses;

/* The gamma-free terms of the chunk's examples, whose x_t are in c->x. */
static void chunk_terms(chunk_losses *c, size_t n)
{
    fl_vsigmoid_terms(c->x, NULL, n,
                      &(fl_vterms){c->x, c->pt, c->qt, c->ce, c->lq, NULL});
}

/* The chunk's focal losses at gamma. */
static void focal_losses(double gamma, chunk_losses *c, size_t n)
{
    fl_vmodulating(gamma, c->qt, c->lq, c->loss, n);
    for (size_t i = 0; i < n; i++) {
        double unused; /* the compiler drops the gradient */
        c->loss[i] = fl_focal_term(c->loss[i], gamma, c->pt[i], c->ce[i],
                                   c->qt[i], &unused);
    }
}

/* The running sum of a scan and where it is wanted. */
typedef struct scan_state {
    double gamma;
    size_t m, n, j, next_pt;
    fl_cdf_point *pts;
    fl_cdf_top *tops;
    size_t ntops, at[FL_CDF_MAX_TOPS];
    double kept[FL_CDF_MAX_TOPS];
    fl_ksum run; /* the chunks before */
    size_t next; /* the next k a point or a headline wants */
} scan_state;

/* Set st->next to the first k from k0 on that a point or a headline wants
 * (SIZE_MAX when none does). */
static void want_next(scan_state *st, size_t k0)
{
    size_t next = st->j < st->m ? st->next_pt : SIZE_MAX;
    for (size_t t = 0; t < st->ntops; t++)
        if (st->at[t] >= k0 && st->at[t] < next)
            next = st->at[t];
    st->next = next;
}

/* Before example k is added (partial: the chunk's sum so far), note the
 * loss of the k easiest where a point or a headline wants it: the exact
 * sum of run and partial, rounded once, so that it never decreases. */
static void note_k(scan_state *st, size_t k, double partial)
{
    if (k != st->next)
        return;
    fl_ksum sum = st->run;
    fl_ksum_add(&sum, partial);
    double v = fl_ksum_value(&sum);
    while (st->j < st->m && st->next_pt == k) {
        st->pts[st->j++].share = v; /* divided by the total later */
        st->next_pt = point_k(st->j, st->m, st->n);
    }
    for (size_t t = 0; t < st->ntops; t++)
        if (st->at[t] == k)
            st->kept[t] = v;
    want_next(st, k + 1);
}

static int tops_ok(const fl_cdf_top *tops, size_t ntops)
{
    if (ntops > FL_CDF_MAX_TOPS)
        return 0;
    for (size_t t = 0; t < ntops; t++)
        if (tops[t].den == 0 || tops[t].den > FL_CDF_MAX_POINTS ||
            tops[t].num > tops[t].den)
            return 0;
    return 1;
}

/* Set st up for a scan of n examples at gamma into pts and tops.  The
 * loss of the k easiest is wanted at every curve point and at
 * n - ceil(q n) for each headline q; one ascending pass finds all. */
static void scan_init(scan_state *st, double gamma, size_t n,
                      size_t max_points, fl_cdf_point *pts, fl_cdf_top *tops,
                      size_t ntops)
{
    size_t m = n + 1 < max_points ? n + 1 : max_points;
    *st = (scan_state){.gamma = gamma, .m = m, .n = n, .pts = pts,
                       .tops = tops, .ntops = ntops};
    for (size_t t = 0; t < ntops; t++)
        st->at[t] = n - (size_t)(((uint64_t)tops[t].num * n + tops[t].den - 1) /
                                 tops[t].den);
    st->next_pt = point_k(0, m, n);
    want_next(st, 0);
}

static int compare_size(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return (a > b) - (a < b);
}

/* Arrange side s (sort.h) so that at every k that st wants (whatever its
 * gamma) the k easiest stand apart from the rest, at the top end: a scan
 * then sums exactly their losses there.  Without the memory for the list
 * of places, sort it all. */
static void arrange_side(side *s, const scan_state *st, int threads)
{
    size_t n = s->n, nc = 0;
    if (n < 2)
        return;
    size_t *cut = malloc((st->m + st->ntops) * sizeof *cut);
    if (cut) {
        for (size_t j = 0; j < st->m; j++)
            cut[nc++] = n - point_k(j, st->m, n);
        for (size_t t = 0; t < st->ntops; t++)
            cut[nc++] = n - st->at[t];
        qsort(cut, nc, sizeof *cut, compare_size);
        fl_sort_keys_at(&s->key, n, threads, cut, nc);
    } else {
        fl_sort_keys(&s->key, n, threads);
    }
    free(cut);
    s->cap = n; /* the keys may have moved to an array of n */
}

/* Load chunk c of side s (n keys), easiest (highest x_t) first, and its
 * gamma-free terms; return its size. */
static size_t load_chunk(const side *s, size_t c, chunk_losses *ch)
{
    size_t n = s->n, base = c * CDF_CHUNK;
    size_t cn = n - base < CDF_CHUNK ? n - base : CDF_CHUNK;
    for (size_t i = 0; i < cn; i++)
        ch->x[i] = fl_sort_value(s->key[n - 1 - base - i]);
    chunk_terms(ch, cn);
    return cn;
}

/* The sum of loss[0, k): four running sums, one for every fourth term,
 * added at the end (a chain of single adds waited on each one).  Every
 * partial and chunk sum of a scan comes from here, so that they agree to
 * the bit; with terms >= 0 it does not decrease as k grows. */
static double lane_sum(const double *loss, size_t k)
{
    double lane[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= k; i += 4)
        for (size_t j = 0; j < 4; j++)
            lane[j] += loss[i + j];
    for (size_t j = 0; i < k; i++, j++)
        lane[j] += loss[i];
    return (lane[0] + lane[1]) + (lane[2] + lane[3]);
}

/* The loss of the chunk's cn examples at gamma: what a scan adds to its
 * running sum, to the bit. */
static double chunk_sum(double gamma, chunk_losses *ch, size_t cn)
{
    focal_losses(gamma, ch, cn);
    return lane_sum(ch->loss, cn);
}

/* Run the ns scans of side s (one per gamma) in one pass: the terms of
 * each chunk are computed once for every gamma.  sums, when not NULL,
 * holds each chunk's chunk_sum for each scan ([c * ns + g]): only the
 * chunks where a point or a headline is wanted are computed again. */
static void scan_side(const side *s, scan_state *st, size_t ns,
                      const double *sums)
{
    size_t n = s->n;
    chunk_losses ch;
    for (size_t c = 0, base = 0; base < n; c++, base += CDF_CHUNK) {
        size_t cn = n - base < CDF_CHUNK ? n - base : CDF_CHUNK;
        int wanted = !sums;
        for (size_t g = 0; g < ns; g++)
            wanted |= st[g].next < base + cn;
        if (wanted)
            load_chunk(s, c, &ch);
        for (size_t g = 0; g < ns; g++) {
            if (sums && st[g].next >= base + cn) {
                fl_ksum_add(&st[g].run, sums[c * ns + g]);
                continue;
            }
            double sum = chunk_sum(st[g].gamma, &ch, cn);
            while (st[g].next < base + cn)
                note_k(&st[g], st[g].next,
                       lane_sum(ch.loss, st[g].next - base));
            fl_ksum_add(&st[g].run, sum);
        }
    }
    for (size_t g = 0; g < ns; g++)
        note_k(&st[g], n, 0);
}

/* The chunk sums of chunks [c0, c1) of a side, for scan_side. */
typedef struct sums_job {
    const side *s;
    const scan_state *st;
    size_t ns, c0, c1;
    double *sums;
} sums_job;

static void *chunk_sums(void *arg)
{
    const sums_job *j = arg;
    chunk_losses ch;
    for (size_t c = j->c0; c < j->c1; c++) {
        size_t cn = load_chunk(j->s, c, &ch);
        for (size_t g = 0; g < j->ns; g++)
            j->sums[c * j->ns + g] = chunk_sum(j->st[g].gamma, &ch, cn);
    }
    return NULL;
}

/* scan_side with the chunk sums computed first, the two halves of the
 * side side by side when threads > 1; the same results, to the bit.
 * Without the memory for the sums, the plain scan. */
static void scan_side_threads(const side *s, scan_state *st, size_t ns,
                              int threads)
{
    size_t chunks = (s->n + CDF_CHUNK - 1) / CDF_CHUNK;
    int split = threads > 1 && chunks > 1 &&
                ns <= SIZE_MAX / sizeof(double) / chunks;
    double *sums = split ? malloc(chunks * ns * sizeof *sums) : NULL;
    if (!sums) {
        scan_side(s, st, ns, NULL);
        return;
    }
    sums_job half[2] = {{s, st, ns, 0, chunks / 2, sums},
                        {s, st, ns, chunks / 2, chunks, sums}};
    fl_run_halves(chunk_sums, &half[0], &half[1], 1);
    scan_side(s, st, ns, sums);
    free(sums);
}

/* Turn the sums a scan noted into shares; store the point count. */
static void scan_finish(scan_state *st, size_t *npts)
{
    size_t m = st->m, n = st->n;
    double total = fl_ksum_value(&st->run);
    for (size_t i = 0; i < m && n > 0; i++) {
        st->pts[i].fraction = (double)point_k(i, m, n) / (double)n;
        st->pts[i].share = total > 0 ? st->pts[i].share / total : NAN;
    }
    *npts = n > 0 ? m : 0;
    for (size_t t = 0; t < st->ntops; t++)
        st->tops[t].share = n > 0 && total > 0
                                ? (total - st->kept[t]) / total : NAN;
}

int fl_cdf_scan(fl_cdf *c, int positive, double gamma, size_t max_points,
                fl_cdf_point *pts, size_t *npts, fl_cdf_top *tops,
                size_t ntops)
{
    if (max_points < 2 || max_points > FL_CDF_MAX_POINTS ||
        !tops_ok(tops, ntops))
        return FL_EINVAL;
    side *s = &c->s[positive ? 1 : 0];
    scan_state st;
    scan_init(&st, gamma, s->n, max_points, pts, tops, ntops);
    arrange_side(s, &st, c->threads);
    scan_side(s, &st, 1, NULL);
    scan_finish(&st, npts);
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

/* Fill r's curves and headlines: each side scanned once for every gamma;
 * negatives' headlines are the top 1% and 10%, positives' the top 20%. */
static int scan_both(fl_cdf *c, fl_cdf_result *r)
{
    size_t ng = r->ngamma, mp = r->max_points;
    scan_state *st = malloc(ng * sizeof *st);
    fl_cdf_top *tops = malloc(3 * ng * sizeof *tops);
    if (!st || !tops) {
        free(st);
        free(tops);
        return FL_ENOMEM;
    }
    for (int pos = 0; pos <= 1; pos++) {
        for (size_t g = 0; g < ng; g++) {
            fl_cdf_top *t = tops + 3 * g;
            t[0] = (fl_cdf_top){.num = 1, .den = 5};
            t[1] = (fl_cdf_top){.num = 1, .den = 100};
            t[2] = (fl_cdf_top){.num = 1, .den = 10};
            scan_init(&st[g], r->gamma[g], c->s[pos].n, mp,
                      r->pts + (2 * g + (size_t)pos) * mp,
                      pos ? t : t + 1, pos ? 1 : 2);
        }
        if (ng > 0)
            arrange_side(&c->s[pos], &st[0], c->threads);
        scan_side_threads(&c->s[pos], st, ng, c->threads);
        for (size_t g = 0; g < ng; g++) {
            scan_finish(&st[g], &r->npts[2 * g + (size_t)pos]);
            if (pos)
                r->top[3 * g] = tops[3 * g].share;
            else {
                r->top[3 * g + 1] = tops[3 * g + 1].share;
                r->top[3 * g + 2] = tops[3 * g + 2].share;
            }
        }
    }
    free(st);
    free(tops);
    return FL_OK;
}

fl_cdf_result *fl_cdf_result_new(fl_cdf *c, const double *gamma,
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
    if (scan_both(c, r) != FL_OK) {
        fl_cdf_result_free(r);
        return NULL;
    }
    return r;
}
