/* select.c: OHEM and SSD selection with bounded heaps. */
#include "core/select.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/clones.h"
#include "core/status.h"

/* An example a heap holds: 32 bytes. */
typedef struct entry {
    double ce;
    double grad;
    uint64_t order; /* seq << 2 | group: input order (for ties), group */
    uint64_t key;
} entry;

static uint64_t entry_order(uint64_t seq, enum fl_group group)
{
    return seq << 2 | (uint64_t)group;
}

static enum fl_group entry_group(const entry *e)
{
    return (enum fl_group)(e->order & 3);
}

/* A heap whose root is the worst kept entry, so that a better newcomer
 * replaces it in O(log cap).  Storage grows on demand up to cap, so that a
 * large batch costs memory only where an image is that large. */
typedef struct heap {
    entry *v;
    size_t n, alloc, cap;
} heap;

/* An SSD image's negatives in input order, since the rule must see the
 * image's positive count before it chooses among them: 16 bytes each (24
 * with keys), half an entry, as the rank needs no more.  A negative's group
 * is easy or hard: its CE is stored negated when hard (CE is never below
 * zero, and -0.0 tells a hard zero), and its order is its index. */
typedef struct negative {
    double ce; /* -CE when hard */
    double grad;
} negative;

typedef struct neg_list {
    negative *v;
    uint64_t *key; /* with a keep callback only */
    size_t n, alloc;
} neg_list;

/* What an image holds until it ends. */
typedef struct image_sel {
    heap pos, neg, all;
    neg_list ssd;       /* SSD mode's negatives */
    uint64_t positives; /* SSD mode */
} image_sel;

struct fl_select {
    fl_params params;
    fl_cell *out;
    fl_select_keep keep;
    void *keep_ctx;
    uint64_t image;
    int have_image;
    uint64_t seq;
    image_sel cur;
    /* With hold_first, the first image is kept open here when it ends, for
     * fl_select_merge to join it with the part of it read before. */
    image_sel first;
    int hold_first, have_first;
};

/* 1 when a ranks before b: higher CE, or equal CE and earlier in the input. */
static int better(const entry *a, const entry *b)
{
    return a->ce > b->ce || (a->ce == b->ce && a->order < b->order);
}

static int cmp_better_first(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    if (better(a, b))
        return -1;
    return better(b, a) ? 1 : 0;
}

/* Grow *v, an array of *alloc elements of elem bytes, to twice that (64
 * from none) but at most cap, and set *alloc.  Return FL_OK, or FL_ENOMEM
 * with *v and *alloc as they were. */
static int grow_array(void **v, size_t *alloc, size_t cap, size_t elem)
{
    size_t grow = *alloc ? 2 * *alloc : 64;
    if (grow > cap)
        grow = cap;
    void *nv = grow <= SIZE_MAX / elem ? realloc(*v, grow * elem) : NULL;
    if (!nv)
        return FL_ENOMEM;
    *v = nv;
    *alloc = grow;
    return FL_OK;
}

static int heap_reserve(heap *h)
{
    void *v = h->v;
    if (h->n < h->alloc)
        return FL_OK;
    int st = grow_array(&v, &h->alloc, h->cap, sizeof *h->v);
    h->v = v;
    return st;
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
    fl_cell_add(&s->out[entry_group(e)], e->ce, e->grad);
    if (s->keep)
        s->keep(s->keep_ctx, e->key, e->ce, e->grad, entry_group(e));
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

static void image_sel_init(const fl_params *p, image_sel *im)
{
    switch (p->ohem_mode) {
    case FL_OHEM_TOP:
        im->all.cap = (size_t)p->ohem_batch;
        break;
    case FL_OHEM_RATIO:
        im->pos.cap = ratio_positive_cap(p);
        im->neg.cap = (size_t)p->ohem_batch;
        break;
    case FL_OHEM_SSD: /* its negatives in ssd, and a heap of k in all */
        break;
    }
}

static void image_sel_free(image_sel *im)
{
    free(im->pos.v);
    free(im->neg.v);
    free(im->all.v);
    free(im->ssd.v);
    free(im->ssd.key);
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
    image_sel_init(p, &s->cur);
    image_sel_init(p, &s->first);
    return s;
}

void fl_select_free(fl_select *s)
{
    if (!s)
        return;
    image_sel_free(&s->cur);
    image_sel_free(&s->first);
    free(s);
}

/* Double l's room (and its keys' with keys).  Return FL_OK or FL_ENOMEM
 * (l as it was, but for the room). */
static int neg_grow(neg_list *l, int keys)
{
    size_t alloc = l->alloc, key_alloc = l->alloc;
    void *v = l->v, *key = l->key;
    int st = grow_array(&v, &alloc, SIZE_MAX, sizeof *l->v);
    l->v = v;
    if (st == FL_OK && keys)
        st = grow_array(&key, &key_alloc, SIZE_MAX, sizeof *l->key);
    l->key = key;
    if (st == FL_OK)
        l->alloc = alloc;
    return st;
}

/* Append a negative to l (its key too with keys).  Return FL_OK or
 * FL_ENOMEM. */
static int neg_push(neg_list *l, int keys, double ce, double grad,
                    enum fl_group group, uint64_t key)
{
    if (l->n == l->alloc && neg_grow(l, keys) != FL_OK)
        return FL_ENOMEM;
    ce += 0.0; /* a -0.0 would read as hard */
    l->v[l->n] = (negative){group == FL_GROUP_HARD_NEG ? -ce : ce, grad};
    if (keys)
        l->key[l->n] = key;
    l->n++;
    return FL_OK;
}

/* Negative i of l as an entry (its rank among l's by its index). */
static entry neg_entry(const neg_list *l, int keys, size_t i)
{
    double ce = l->v[i].ce;
    enum fl_group g = signbit(ce) ? FL_GROUP_HARD_NEG : FL_GROUP_EASY_NEG;
    return (entry){fabs(ce), l->v[i].grad, entry_order(i, g),
                   keys ? l->key[i] : 0};
}

/* Move from's negatives to the end of into's (the same image's, read
 * after).  Return FL_OK or FL_ENOMEM. */
static int neg_join(neg_list *into, neg_list *from, int keys)
{
    if (from->n == 0)
        return FL_OK;
    while (into->alloc - into->n < from->n)
        if (neg_grow(into, keys) != FL_OK)
            return FL_ENOMEM;
    memcpy(into->v + into->n, from->v, from->n * sizeof *from->v);
    if (keys)
        memcpy(into->key + into->n, from->key, from->n * sizeof *from->key);
    into->n += from->n;
    from->n = 0;
    return FL_OK;
}

/* The CE up to which heap h turns an example that comes after every entry
 * down at once: a full heap's worst (such an example ranks better only with
 * a higher CE), every CE when it holds none, none while it has room. */
static inline double turn_down_to(const heap *h)
{
    return h->n != h->cap ? -INFINITY : h->cap == 0 ? INFINITY : h->v[0].ce;
}

/* Keep the image's best floor(R P) negatives: one pass through a heap of
 * that many (im->all, unused in this mode), not a sort of them all; all
 * of them, in input order, when there are no more.  Return FL_OK or
 * FL_ENOMEM (nothing kept). */
static int flush_ssd(fl_select *s, image_sel *im)
{
    neg_list *l = &im->ssd;
    int keys = s->keep != NULL;
    double want = floor(s->params.ohem_ratio * (double)im->positives);
    size_t k = want < (double)l->n ? (size_t)want : l->n;
    im->positives = 0;
    heap *h = &im->all;
    h->cap = k;
    h->n = 0;
    for (size_t i = 0; i < l->n && k == l->n; i++) {
        entry e = neg_entry(l, keys, i);
        keep_entry(s, &e);
    }
    for (size_t i = 0; i < l->n && k < l->n; i++) {
        /* most are turned down by the CE alone: a later one must beat it */
        if (fabs(l->v[i].ce) <= turn_down_to(h))
            continue;
        entry e = neg_entry(l, keys, i);
        if (heap_offer(h, &e) != FL_OK) {
            l->n = h->n = 0;
            return FL_ENOMEM;
        }
    }
    l->n = 0;
    heap_emit_best(s, h, k);
    return FL_OK;
}

/* Select from the examples im holds and empty it.  Return FL_OK or
 * FL_ENOMEM. */
static int flush_image(fl_select *s, image_sel *im)
{
    size_t kept_pos;
    switch (s->params.ohem_mode) {
    case FL_OHEM_TOP:
        heap_emit_best(s, &im->all, im->all.n);
        break;
    case FL_OHEM_RATIO:
        kept_pos = im->pos.n;
        heap_emit_best(s, &im->pos, kept_pos);
        heap_emit_best(s, &im->neg, (size_t)s->params.ohem_batch - kept_pos);
        break;
    case FL_OHEM_SSD:
        return flush_ssd(s, im);
    }
    return FL_OK;
}

/* The current image has ended: select from it, or hold it when it is the
 * first and the selector was asked to.  Return FL_OK or FL_ENOMEM. */
static int end_image(fl_select *s)
{
    int st = FL_OK;
    if (s->hold_first && !s->have_first) {
        image_sel t = s->first;
        s->first = s->cur;
        s->cur = t;
        s->have_first = 1;
    } else {
        st = flush_image(s, &s->cur);
    }
    s->have_image = 0;
    return st;
}

int fl_select_flush(fl_select *s)
{
    int st = FL_OK;
    if (s->have_first) {
        st = flush_image(s, &s->first);
        s->have_first = 0;
    }
    if (flush_image(s, &s->cur) != FL_OK)
        st = FL_ENOMEM;
    s->have_image = 0;
    return st;
}

void fl_select_hold_first(fl_select *s, uint64_t seq_base)
{
    s->hold_first = 1;
    s->seq = seq_base;
}

static void heap_shift_keys(heap *h, uint64_t base)
{
    for (size_t i = 0; i < h->n; i++)
        h->v[i].key += base;
}

static void image_shift_keys(image_sel *im, uint64_t base)
{
    heap_shift_keys(&im->pos, base);
    heap_shift_keys(&im->neg, base);
    heap_shift_keys(&im->all, base);
    for (size_t i = 0; im->ssd.key && i < im->ssd.n; i++)
        im->ssd.key[i] += base;
}

void fl_select_shift_keys(fl_select *s, uint64_t base)
{
    image_shift_keys(&s->cur, base);
    image_shift_keys(&s->first, base);
}

/* Offer every entry of from to into (the same image's two parts). */
static int heap_join(heap *into, const heap *from)
{
    for (size_t i = 0; i < from->n; i++)
        if (heap_offer(into, &from->v[i]) != FL_OK)
            return FL_ENOMEM;
    return FL_OK;
}

static int image_join(image_sel *into, image_sel *from, int keys)
{
    if (heap_join(&into->pos, &from->pos) != FL_OK ||
        heap_join(&into->neg, &from->neg) != FL_OK ||
        heap_join(&into->all, &from->all) != FL_OK ||
        neg_join(&into->ssd, &from->ssd, keys) != FL_OK)
        return FL_ENOMEM;
    into->positives += from->positives;
    from->pos.n = from->neg.n = from->all.n = 0;
    from->positives = 0;
    return FL_OK;
}

/* Make from dst's current image, emptying it into dst's old one. */
static void image_take(image_sel *cur, image_sel *from)
{
    image_sel t = *cur;
    *cur = *from;
    *from = t;
}

int fl_select_merge(fl_select *dst, fl_select *src, int continues)
{
    int src_any = src->have_first || src->have_image;
    image_sel *head = src->have_first ? &src->first : &src->cur;
    if (src_any && continues && dst->have_image) {
        if (image_join(&dst->cur, head, dst->keep != NULL) != FL_OK)
            return FL_ENOMEM;
    } else if (src_any) {
        if (dst->have_image && flush_image(dst, &dst->cur) != FL_OK)
            return FL_ENOMEM;
        image_take(&dst->cur, head);
        dst->have_image = 1;
    }
    if (src->have_first && src->have_image) {
        if (flush_image(dst, &dst->cur) != FL_OK)
            return FL_ENOMEM;
        image_take(&dst->cur, &src->cur);
    }
    src->have_first = src->have_image = 0;
    /* no ordinal of a later add may be taken for the merged image */
    dst->image = UINT64_MAX;
    if (src->seq > dst->seq)
        dst->seq = src->seq;
    return FL_OK;
}

static inline int add_one(fl_select *s, uint64_t image, double ce,
                          double grad, enum fl_group group, uint64_t key)
{
    if (s->have_image && image != s->image && end_image(s) != FL_OK)
        return FL_ENOMEM;
    s->image = image;
    s->have_image = 1;

    entry e = {ce, grad, entry_order(s->seq++, group), key};
    int positive = fl_group_positive(group);
    heap *h;
    switch (s->params.ohem_mode) {
    case FL_OHEM_TOP:
    case FL_OHEM_RATIO:
        h = s->params.ohem_mode == FL_OHEM_TOP ? &s->cur.all
            : positive ? &s->cur.pos : &s->cur.neg;
        if (ce <= turn_down_to(h)) /* most examples, at once */
            return FL_OK;
        return heap_offer(h, &e);
    case FL_OHEM_SSD:
        if (positive) {
            /* SSD keeps every positive: no need to hold it. */
            s->cur.positives++;
            keep_entry(s, &e);
            return FL_OK;
        }
        return neg_push(&s->cur.ssd, s->keep != NULL, ce, grad, group, key);
    }
    return FL_OK;
}

int fl_select_add(fl_select *s, uint64_t image, double ce, double grad,
                  enum fl_group group, uint64_t key)
{
    return add_one(s, image, ce, grad, group, key);
}

/* How many of the n examples from i the top mode's heap turns down in a
 * row, as add_one would: of the current image, each turned down. */
FL_ALWAYS_INLINE size_t turned_down(const fl_select *s, size_t i,
                                    size_t n, const uint64_t *image,
                                    const double *ce)
{
    if (!s->have_image || s->params.ohem_mode != FL_OHEM_TOP)
        return 0;
    double to = turn_down_to(&s->cur.all);
    uint64_t img = s->image;
    size_t j = i;
#if defined(__GNUC__)
    /* four at a time, as vectors: most examples are turned down */
    typedef unsigned long long v4u __attribute__((vector_size(32)));
    typedef double v4d __attribute__((vector_size(32)));
    for (; j + 4 <= n; j += 4) {
        v4u im;
        v4d c;
        memcpy(&im, image + j, sizeof im);
        memcpy(&c, ce + j, sizeof c);
        v4u down = (v4u)(im == img) & (v4u)(c <= to);
        down &= __builtin_shufflevector(down, down, 2, 3, 0, 1);
        down &= __builtin_shufflevector(down, down, 1, 0, 3, 2);
        if (~down[0])
            break;
    }
#endif
    while (j < n && image[j] == img && ce[j] <= to)
        j++;
    return j - i;
}

FL_CLONES int fl_select_add_many(fl_select *s, size_t n,
                                 const uint64_t *image, const double *ce,
                                 const double *grad,
                                 const unsigned char *group,
                                 const uint64_t *key)
{
    for (size_t i = 0; i < n; i++) {
        size_t skip = turned_down(s, i, n, image, ce);
        s->seq += skip; /* their places in the order */
        if ((i += skip) == n)
            break;
        if (add_one(s, image[i], ce[i], grad[i], (enum fl_group)group[i],
                    key[i]) != FL_OK)
            return FL_ENOMEM;
    }
    return FL_OK;
}
