/* cdf.h: the paper's Figure 4 on a dump: the cumulative share of a group's
 * focal loss against the fraction of the group's examples, easiest first,
 * from exact order statistics.  No I/O.
 *
 * FL = a_t (1 - p_t)^gamma (-log p_t) falls as x_t = s x rises, for every
 * gamma >= 0, and a_t is constant within a group; so one sort of x_t orders
 * a group for every gamma and every alpha, and the shares do not depend on
 * alpha.  What is kept is one double (x_t) per non-ignored example, whatever
 * the number of gammas (up to twice that while the arrays grow). */
#ifndef FL_CDF_H
#define FL_CDF_H

#include <stddef.h>
#include <stdint.h>

#include "core/summary.h"

typedef struct fl_cdf fl_cdf;

/* One point of a curve: after the k easiest of n examples, fraction = k / n
 * and share = their loss over the group's loss (NaN when that is zero). */
typedef struct fl_cdf_point {
    double fraction, share;
} fl_cdf_point;

/* A headline: the share of the group's loss carried by its hardest
 * ceil(num / den * n) examples (those with the highest loss); den is at
 * most FL_CDF_MAX_POINTS. */
typedef struct fl_cdf_top {
    uint64_t num, den; /* set by the caller; den > 0, num <= den */
    double share;      /* filled by fl_cdf_scan; NaN when undefined */
} fl_cdf_top;

/* Return an empty collection, or NULL when out of memory.  Free with
 * fl_cdf_free. */
fl_cdf *fl_cdf_new(void);

/* Free c; c may be NULL. */
void fl_cdf_free(fl_cdf *c);

/* Keep the x_t of every example of b.  Return FL_OK or FL_ENOMEM (c stays
 * usable and holds what it held before). */
int fl_cdf_add(fl_cdf *c, const fl_batch *b);

/* Add from's examples to into (before fl_cdf_finish): from a part of the
 * input read apart.  Return FL_OK or FL_ENOMEM. */
int fl_cdf_merge(fl_cdf *into, const fl_cdf *from);

/* Say that nothing more is added, and that the scans may sort (as far as
 * their points need) and sum on up to threads threads; call once, after
 * the last fl_cdf_add. */
void fl_cdf_finish(fl_cdf *c, int threads);

/* Return the number of positives (positive 1) or negatives (0) added. */
size_t fl_cdf_count(const fl_cdf *c, int positive);

#define FL_CDF_MAX_POINTS ((size_t)1 << 20)
#define FL_CDF_MAX_TOPS 8

/* Scan the positives or the negatives under gamma (>= 0): store at most
 * max_points (2 to FL_CDF_MAX_POINTS) points of the curve in pts, evenly spread over the
 * examples (every k from 0 to n when n < max_points), the first (0, 0) and
 * the last (1, 1); store their number in *npts (0 when the group is empty);
 * fill the share of each of the ntops (at most FL_CDF_MAX_TOPS) headlines.
 * Return FL_OK, or FL_EINVAL (nothing filled) for an argument out of
 * range.  The work is a sort of the group's examples as far as the points
 * and headlines need (it reorders them in c), and one loss evaluation per
 * example. */
int fl_cdf_scan(fl_cdf *c, int positive, double gamma, size_t max_points,
                fl_cdf_point *pts, size_t *npts, fl_cdf_top *tops,
                size_t ntops);

/* Every curve and headline of a dump for a list of gammas: what cdf
 * reports.  Side 0 is the negatives, side 1 the positives. */
typedef struct fl_cdf_result {
    size_t ngamma, max_points;
    double *gamma;      /* copied */
    size_t count[2];    /* examples per side */
    size_t *npts;       /* [gamma * 2 + side]: points of that curve */
    fl_cdf_point *pts;  /* [(gamma * 2 + side) * max_points + i] */
    double *top;        /* [gamma * 3 + t]: the shares of the hardest 20% of
                         * positives, 1% and 10% of negatives */
} fl_cdf_result;

/* Scan c (finished) for each of the ngamma gammas with at most max_points
 * points per curve (see fl_cdf_scan: each side is sorted, in c, as far as
 * the points need), on two threads where fl_cdf_finish was given more than
 * one: the same results, to the bit.  Return the
 * result, or NULL when out of memory or max_points is out of range.  Free
 * with fl_cdf_result_free. */
fl_cdf_result *fl_cdf_result_new(fl_cdf *c, const double *gamma,
                                 size_t ngamma, size_t max_points);

/* Free r; r may be NULL. */
void fl_cdf_result_free(fl_cdf_result *r);

#endif
