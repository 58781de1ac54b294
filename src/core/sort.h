/* sort.h: sorting large arrays of doubles, held as 64-bit keys, and work
 * cut in two halves run side by side. */
#ifndef FL_SORT_H
#define FL_SORT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The key of a double: for finite doubles, the keys' unsigned order is the
 * numeric order, with -0 just before +0.  (A positive double's sign bit is
 * flipped, and every bit of a negative one.) */
static inline uint64_t fl_sort_key(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

/* The double whose key k is. */
static inline double fl_sort_value(uint64_t k)
{
    uint64_t u = k >> 63 ? k & ~(UINT64_C(1) << 63) : ~k;
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* Sort the n keys at *keys in ascending order.  *keys must come from
 * malloc: a radix sort takes a scratch array of n keys, and may leave the
 * sorted keys there, *keys then pointing at it and the old array freed.
 * Two threads share the work when threads > 1 and n is large (each
 * sorting whole buckets of keys alike in their top bits: with every key
 * in one such bucket, one thread sorts them); when the scratch cannot be
 * had, or n is small, the
 * keys sort in place by comparison instead.  Nothing fails. */
void fl_sort_keys(uint64_t **keys, size_t n, int threads);

/* Arrange the n keys at *keys (as fl_sort_keys may move them) so that at
 * each of the ncuts positions in cuts (ascending, each at most n) the keys
 * before are no larger than those from there on: a sort only as far as
 * the cuts need, in much less time when they are few (with none, nothing
 * moves).  Keys between two cuts stay in an order of their own, the same
 * whatever threads is. */
void fl_sort_keys_at(uint64_t **keys, size_t n, int threads,
                     const size_t *cuts, size_t ncuts);

/* Run fn(first) on a second thread and fn(second) on this one, side by
 * side, when both is 1 and a thread can be had; else fn(second), then
 * fn(first), here.  Return when both are done. */
void fl_run_halves(void *(*fn)(void *), void *first, void *second, int both);

#endif
