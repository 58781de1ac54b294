/* sort.h: sorting large arrays of doubles. */
#ifndef FL_SORT_H
#define FL_SORT_H

#include <stddef.h>

/* Sort the n finite doubles at v in ascending order (-0 and +0, equal, in
 * either order).  Uses two scratch arrays of n 64-bit keys for a radix sort
 * of each half, the halves sorted side by side on a second thread when
 * threads > 1 and n is large, then merged into v; when the arrays cannot be
 * had, or n is small, sorts in place by comparison instead.  Nothing
 * fails. */
void fl_sort_doubles(double *v, size_t n, int threads);

#endif
