/* select.c: OHEM and SSD selection with bounded heaps. */
#include "select.h"

#include <math.h>
#include <stdlib.h>

#include "status.h"

typedef struct entry {
    double ce;
    double grad;
    uint64_t seq; /* input order, for ties */
    uint64_t key;
    int group;
} entry;

/* A heap whose root is the worst kept entry, so that a better newcomer
 * replaces it in O(log cap).  Storage grows on demand up to cap, so that a
 * large batch costs memory only where an image is that large. */
typedef struct heap {
    entry *v;
    size_t n, alloc, cap;
} heap;

struct fl_select {
    fl_params params;
    fl_cell *out;
    fl_select_keep keep;
    void *keep_ctx;
    uint64_t image;
    int have_image;
    uint64_t seq;
    uint64_t positives; /* of the current image, SSD mode */
    heap pos, neg, all;
};

/* 1 when a ranks before b: higher CE, or equal CE and earlier in the input. */
static int better(const entry *a, const entry *b)
{
    return a->ce > b->ce || (a->ce == b->ce && a->seq < b->seq);
}

static int cmp_better_first(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    if (better(a, b))
        return -1;
    return better(b, a) ? 1 : 0;
}

static int heap_reserve(heap *h)
{
    if (h->n < h->alloc)
        return FL_OK;
    size_t grow = h->alloc ? 2 * h->alloc : 64;
    if (grow > h->cap)
        grow = h->cap;
    entry *v = realloc(h->v, grow * sizeof *v);
    if (!v)
        return FL_ENOMEM;
    h->v = v;
    h->alloc = grow;
    return FL_OK;
}

static void sift_up(heap *h, size_t i)
{
    entry e = h->v[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!better(&h->v[parent], &e))
            break;
        h->v[i] = h->v[parent];
        i = parent;
    }
    h->v[i] = e;
}

static void sift_down(heap *h, size_t i)
{
    entry e = h->v[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && better(&h->v[c], &h->v[c + 1]))
            c++;
        if (!better(&e, &h->v[c]))
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    h->v[i] = e;
}

/* Keep e if it is among the cap best seen; unbounded when cap is SIZE_MAX. */
static int heap_offer(heap *h, const entry *e)
{
    if (h->n < h->cap) {
        if (heap_reserve(h) != FL_OK)
            return FL_ENOMEM;
        h->v[h->n] = *e;
        sift_up(h, h->n++);
        return FL_OK;
    }
    if (h->cap > 0 && better(e, &h->v[0])) {
        h->v[0] = *e;
        sift_down(h, 0);
    }
    return FL_OK;
}

static void keep_entry(fl_select *s, const entry *e)
{
    fl_cell_add(&s->out[e->group], e->ce, e->grad);
    if (s->keep)
        s->keep(s->keep_ctx, e->key, e->ce, e->grad, (enum fl_group)e->group);
}

/* Keep the best k entries of h and empty h. */
static void heap_emit_best(fl_select *s, heap *h, size_t k)
{
    if (k < h->n)
        qsort(h->v, h->n, sizeof *h->v, cmp_better_first);
    else
        k = h->n;
    for (size_t i = 0; i < k; i++)
        keep_entry(s, &h->v[i]);
    h->n = 0;
}

/* Positives an image may keep in ratio mode: floor(B / (1 + R)). */
static size_t ratio_positive_cap(const fl_params *p)
{
    return (size_t)floor((double)p->ohem_batch / (1.0 + p->ohem_ratio));
}

fl_select *fl_select_new(const fl_params *p, fl_cell out[FL_GROUP_COUNT],
                         fl_select_keep keep, void *keep_ctx)
{
    fl_select *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->params = *p;
    s->out = out;
    s->keep = keep;
    s->keep_ctx = keep_ctx;
    switch (p->ohem_mode) {
    case FL_OHEM_TOP:
        s->all.cap = (size_t)p->ohem_batch;
        break;
    case FL_OHEM_RATIO:
        s->pos.cap = ratio_positive_cap(p);
        s->neg.cap = (size_t)p->ohem_batch;
        break;
    case FL_OHEM_SSD:
        s->neg.cap = SIZE_MAX;
        break;
    }
    return s;
}

void fl_select_free(fl_select *s)
{
    if (!s)
        return;
    free(s->pos.v);
    free(s->neg.v);
    free(s->all.v);
    free(s);
}

/* Keep the best k of the image's negatives: one pass through a heap of k
 * (s->all, unused in this mode), not a sort of them all. */
static void flush_ssd(fl_select *s)
{
    double want = floor(s->params.ohem_ratio * (double)s->positives);
    size_t k = want < (double)s->neg.n ? (size_t)want : s->neg.n;
    if (k == s->neg.n || k == 0) {
        heap_emit_best(s, &s->neg, k);
    } else {
        s->all.cap = k;
        s->all.n = 0;
        for (size_t i = 0; i < s->neg.n; i++)
            if (heap_offer(&s->all, &s->neg.v[i]) != FL_OK) {
                /* no room for the heap: sort instead */
                s->all.n = 0;
                heap_emit_best(s, &s->neg, k);
                s->positives = 0;
                return;
            }
        heap_emit_best(s, &s->all, k);
        s->neg.n = 0;
    }
    s->positives = 0;
}

void fl_select_flush(fl_select *s)
{
    size_t kept_pos;
    switch (s->params.ohem_mode) {
    case FL_OHEM_TOP:
        heap_emit_best(s, &s->all, s->all.n);
        break;
    case FL_OHEM_RATIO:
        kept_pos = s->pos.n;
        heap_emit_best(s, &s->pos, kept_pos);
        heap_emit_best(s, &s->neg, (size_t)s->params.ohem_batch - kept_pos);
        break;
    case FL_OHEM_SSD:
        flush_ssd(s);
        break;
    }
    s->have_image = 0;
}

int fl_select_add(fl_select *s, uint64_t image, double ce, double grad,
                  enum fl_group group, uint64_t key)
{
    if (s->have_image && image != s->image)
        fl_select_flush(s);
    s->image = image;
    s->have_image = 1;

    entry e = {ce, grad, s->seq++, key, (int)group};
    int positive = group == FL_GROUP_EASY_POS || group == FL_GROUP_HARD_POS;
    switch (s->params.ohem_mode) {
    case FL_OHEM_TOP:
        return heap_offer(&s->all, &e);
    case FL_OHEM_RATIO:
        return heap_offer(positive ? &s->pos : &s->neg, &e);
    case FL_OHEM_SSD:
        if (positive) {
            /* SSD keeps every positive: no need to hold it. */
            s->positives++;
            keep_entry(s, &e);
            return FL_OK;
        }
        return heap_offer(&s->neg, &e);
    }
    return FL_OK;
}
