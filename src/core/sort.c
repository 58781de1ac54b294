/* sort.c: radix sort of 64-bit keys (doubles by their bit patterns).
 *
 * One pass over all the keys scatters them by their top 16 bits (sign,
 * exponent and 4 bits of mantissa: a detector's x_t fall in a few hundred
 * of these buckets).  A bucket too large for the caches splits again by
 * its next 8 bits, and so on; one that fits sorts by its remaining bits in
 * LSD passes of 10 bits, a pass whose digit is the same for every key
 * skipped.  Six LSD passes of 11 bits over the whole array, then a merge
 * of two halves, made the keys cross main memory seven times; here about
 * three, and cdf on a 2 GB dump runs 10 to 20% faster.  Two threads count
 * and scatter a half of the keys each into disjoint places, then sort the
 * buckets of about half the keys each: no merge.
 *
 * Where only some places must divide smaller keys from larger (cuts: what
 * cdf needs at its points), a bucket that holds no cut inside is left as
 * the scatter placed it, and one that does splits again until its parts
 * either hold none or fit the caches: most keys cross memory once. */
#include "core/sort.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TOP_BITS 16
#define TOP_BUCKETS ((size_t)1 << TOP_BITS)
#define MSD_DIGIT 8      /* a bucket too large for the caches splits by 8 bits */
#define LSD_DIGIT 10     /* a bucket that fits sorts by 10 bits a pass */
#define LSD_MAX 65536    /* keys that fit L2 with their scratch */
#define MAX_PASSES ((64 - TOP_BITS + LSD_DIGIT - 1) / LSD_DIGIT)
#define SMALL 4096      /* below this, a comparison sort wins */
#define PARALLEL 65536  /* from this, two threads share the work */
#define INSERTION 48    /* a bucket this small: insertion sort */
#define QSORT 256       /* this small: qsort (clearing the counts costs more) */

static int compare_keys(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* The cuts of a call: positions of the whole array, ascending, from c to
 * end; with all, every position (a full sort). */
typedef struct cut_range {
    const size_t *c, *end;
    int all;
} cut_range;

/* The first cut of [c, end) above at (end when none is). */
static const size_t *first_above(const size_t *c, const size_t *end,
                                 size_t at)
{
    while (c < end) {
        const size_t *mid = c + (end - c) / 2;
        if (*mid <= at)
            c = mid + 1;
        else
            end = mid;
    }
    return c;
}

/* The cuts of r strictly inside [lo, lo + n). */
static cut_range cuts_inside(cut_range r, size_t lo, size_t n)
{
    if (r.all || n == 0)
        return r;
    r.c = first_above(r.c, r.end, lo);
    r.end = first_above(r.c, r.end, lo + n - 1);
    return r;
}

static int no_cut(cut_range r, size_t n)
{
    return r.all ? n < 2 : r.c == r.end;
}

static void insertion_sort(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t k = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > k; j--)
            a[j] = a[j - 1];
        a[j] = k;
    }
}

/* Room for the digit counts of one thread's bucket sorts. */
typedef struct counts {
    size_t lsd[MAX_PASSES][(size_t)1 << LSD_DIGIT];
    size_t msd[(size_t)1 << MSD_DIGIT];
} counts;

/* Sort the n keys at x by their low MAX_PASSES * LSD_DIGIT bits (those
 * above are alike, or their passes are skipped): LSD passes between x and
 * y, the sorted keys ending at out (x or y). */
static void lsd_sort(uint64_t *x, uint64_t *y, uint64_t *out, size_t n,
                     counts *k)
{
    const uint64_t mask = ((uint64_t)1 << LSD_DIGIT) - 1;
    memset(k->lsd, 0, sizeof k->lsd);
    for (size_t i = 0; i < n; i++) {
        uint64_t key = x[i];
#pragma GCC unroll 8
        for (unsigned p = 0; p < MAX_PASSES; p++)
            k->lsd[p][(key >> (p * LSD_DIGIT)) & mask]++;
    }
    uint64_t *from = x, *to = y;
    for (unsigned p = 0; p < MAX_PASSES; p++) {
        unsigned shift = p * LSD_DIGIT;
        size_t *c = k->lsd[p];
        if (c[(from[0] >> shift) & mask] == n)
            continue; /* every key has this digit */
        for (size_t d = 0, sum = 0; d <= mask; d++) {
            size_t m = c[d];
            c[d] = sum;
            sum += m;
        }
        for (size_t i = 0; i < n; i++)
            to[c[(from[i] >> shift) & mask]++] = from[i];
        uint64_t *t = from;
        from = to;
        to = t;
    }
    if (from != out)
        memcpy(out, from, n * sizeof *out);
}

/* Sort the n keys at x, which agree above their low bits bits and stand
 * at position lo of the whole array, into x, or into y when into_y (y is
 * the scratch otherwise): while too many for the caches, scatter them
 * into y by the top MSD_DIGIT of those bits, then sort each part so, into
 * where they are to end.  Keys with no cut of cuts inside them are only
 * moved there. */
static void sort_bucket(uint64_t *x, uint64_t *y, int into_y, size_t n,
                        unsigned bits, counts *k, size_t lo, cut_range cuts)
{
    uint64_t *out = into_y ? y : x;
    cuts = cuts_inside(cuts, lo, n);
    if (no_cut(cuts, n)) {
        if (into_y)
            memcpy(y, x, n * sizeof *y);
        return;
    }
    if (n <= QSORT) {
        if (into_y)
            memcpy(y, x, n * sizeof *y);
        if (n <= INSERTION)
            insertion_sort(out, n);
        else
            qsort(out, n, sizeof *out, compare_keys);
        return;
    }
    if (n <= LSD_MAX || bits <= 2 * LSD_DIGIT) {
        lsd_sort(x, y, out, n, k);
        return;
    }
    unsigned shift = bits - MSD_DIGIT;
    const uint64_t mask = ((uint64_t)1 << MSD_DIGIT) - 1;
    size_t start[((size_t)1 << MSD_DIGIT) + 1];
    memset(k->msd, 0, sizeof k->msd);
    for (size_t i = 0; i < n; i++)
        k->msd[(x[i] >> shift) & mask]++;
    for (size_t d = 0, sum = 0; d <= mask; d++) {
        start[d] = sum;
        sum += k->msd[d];
        k->msd[d] = start[d];
    }
    start[mask + 1] = n;
    for (size_t i = 0; i < n; i++)
        y[k->msd[(x[i] >> shift) & mask]++] = x[i];
    for (size_t d = 0; d <= mask; d++) {
        size_t at = start[d], m = start[d + 1] - at;
        if (m > 0)
            sort_bucket(y + at, x + at, !into_y, m, shift, k, lo + at, cuts);
    }
}

/* One thread's share: it counts and scatters keys [lo, hi) of a into b,
 * then sorts the buckets [first, end) in b. */
typedef struct share {
    uint64_t *a, *b;
    size_t lo, hi;
    size_t *top;       /* TOP_BUCKETS counts, then where each goes in b */
    const size_t *start; /* where each bucket begins in b (TOP_BUCKETS + 1) */
    size_t first, end;
    counts *k;
    cut_range cuts;
} share;

static size_t top_digit(uint64_t k)
{
    return (size_t)(k >> (64 - TOP_BITS));
}

static void *count_share(void *arg)
{
    share *s = arg;
    for (size_t i = s->lo; i < s->hi; i++)
        s->top[top_digit(s->a[i])]++;
    return NULL;
}

static void *scatter_share(void *arg)
{
    share *s = arg;
    size_t *at = s->top;
    for (size_t i = s->lo; i < s->hi; i++)
        s->b[at[top_digit(s->a[i])]++] = s->a[i];
    return NULL;
}

static void *sort_share(void *arg)
{
    share *s = arg;
    for (size_t d = s->first; d < s->end; d++) {
        size_t lo = s->start[d], n = s->start[d + 1] - lo;
        if (n > 1)
            sort_bucket(s->b + lo, s->a + lo, 0, n, 64 - TOP_BITS, s->k, lo,
                        s->cuts);
    }
    return NULL;
}

/* From the two shares' counts: where each bucket begins (start), where each
 * share's keys of a bucket go (the first's before the second's), and the
 * buckets each sorts (as near half the keys each as whole buckets allow). */
static void plan(share h[2], size_t *start, size_t n)
{
    size_t sum = 0, split = TOP_BUCKETS;
    for (size_t d = 0; d < TOP_BUCKETS; d++) {
        size_t c0 = h[0].top[d], c1 = h[1].top[d];
        start[d] = sum;
        h[0].top[d] = sum;
        h[1].top[d] = sum + c0;
        sum += c0 + c1;
        if (split == TOP_BUCKETS && sum >= n / 2)
            split = d + 1;
    }
    start[TOP_BUCKETS] = sum;
    h[0].first = 0;
    h[0].end = h[1].first = split;
    h[1].end = TOP_BUCKETS;
}

/* fl_sort_keys_at, or with cuts.c NULL a full sort. */
static void sort_keys(uint64_t **keys, size_t n, int threads, cut_range cuts)
{
    uint64_t *a = *keys;
    uint64_t *b = n >= SMALL ? malloc(n * sizeof *b) : NULL;
    size_t *top = b ? calloc(3 * TOP_BUCKETS + 1, sizeof *top) : NULL;
    counts *k = top ? malloc(2 * sizeof *k) : NULL;
    if (!k) {
        free(b);
        free(top);
        if (n > 1)
            qsort(a, n, sizeof *a, compare_keys);
        return;
    }
    size_t m = n / 2;
    share h[2] = {{a, b, 0, m, top, top + 2 * TOP_BUCKETS, 0, 0, k, cuts},
                  {a, b, m, n, top + TOP_BUCKETS, top + 2 * TOP_BUCKETS, 0, 0,
                   k + 1, cuts}};
    int both = threads > 1 && n >= PARALLEL;
    fl_run_halves(count_share, &h[0], &h[1], both);
    plan(h, top + 2 * TOP_BUCKETS, n);
    fl_run_halves(scatter_share, &h[0], &h[1], both);
    fl_run_halves(sort_share, &h[0], &h[1], both);
    free(a);
    free(top);
    free(k);
    *keys = b;
}

void fl_sort_keys(uint64_t **keys, size_t n, int threads)
{
    sort_keys(keys, n, threads, (cut_range){NULL, NULL, 1});
}

void fl_sort_keys_at(uint64_t **keys, size_t n, int threads,
                     const size_t *cuts, size_t ncuts)
{
    if (ncuts > 0)
        sort_keys(keys, n, threads, (cut_range){cuts, cuts + ncuts, 0});
}

void fl_run_halves(void *(*fn)(void *), void *first, void *second, int both)
{
    pthread_t t;
    int threaded = both && pthread_create(&t, NULL, fn, first) == 0;
    fn(second);
    if (threaded)
        pthread_join(t, NULL);
    else
        fn(first);
}
