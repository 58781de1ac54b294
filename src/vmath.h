/* vmath.h: exp and log1p over arrays, on the domains the losses need.
 *
 * Every loss is built from exp(-|z|) and log1p of it.  glibc's scalar
 * functions cost a call and a data-dependent path per value; these are
 * branch-free polynomials that the compiler vectorizes, accurate to about
 * one ulp (tested against glibc). */
#ifndef FL_VMATH_H
#define FL_VMATH_H

#include <stddef.h>

/* y[i] = exp(x[i]) for x[i] <= 0 (x below -746 gives 0).  x and y may be
 * the same array. */
void fl_vexp_neg(const double *x, double *y, size_t n);

/* y[i] = log1p(x[i]) for x[i] in [0, 1].  x and y may be the same array. */
void fl_vlog1p_unit(const double *x, double *y, size_t n);

#endif
