/* ksum.h: compensated summation (TwoSum with a running compensation, as
 * accurate as Neumaier's).
 *
 * Totals over hundreds of millions of rows must agree with an exactly rounded
 * sum to a relative 1e-12; a naive double sum drifts by about n * eps.  The
 * compensation term carries the low-order bits each addition loses.  Never
 * build this with -ffast-math: it lets the compiler cancel the compensation. */
#ifndef FL_KSUM_H
#define FL_KSUM_H

#include <math.h>

typedef struct fl_ksum {
    double sum;
    double comp;
} fl_ksum;

/* Add v to k.  Knuth's TwoSum: the rounding error of sum + v is recovered
 * exactly without a branch, so it pipelines (and vectorizes) well. */
static inline void fl_ksum_add(fl_ksum *k, double v)
{
    double t = k->sum + v;
    double bp = t - k->sum;
    k->comp += (k->sum - (t - bp)) + (v - bp);
    k->sum = t;
}

/* Add everything accumulated in from to into (used to merge partial sums). */
static inline void fl_ksum_merge(fl_ksum *into, const fl_ksum *from)
{
    fl_ksum_add(into, from->sum);
    fl_ksum_add(into, from->comp);
}

/* Return the compensated total. */
static inline double fl_ksum_value(const fl_ksum *k)
{
    return k->sum + k->comp;
}

#endif
