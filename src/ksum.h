/* ksum.h: compensated (Neumaier) summation.
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

/* Add v to k. */
static inline void fl_ksum_add(fl_ksum *k, double v)
{
    double t = k->sum + v;
    if (fabs(k->sum) >= fabs(v))
        k->comp += (k->sum - t) + v;
    else
        k->comp += (v - t) + k->sum;
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
