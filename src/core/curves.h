/* curves.h: the paper's Figure 1, CE and FL against p_t, with the gradient
 * a positive receives.  No I/O. */
#ifndef FL_CURVES_H
#define FL_CURVES_H

#include <stddef.h>

typedef struct fl_curve_point {
    double pt, gamma;
    double ce;   /* -log p_t */
    double fl;   /* a_t (1 - p_t)^gamma CE, a_t = alpha or 1 when off */
    double grad; /* dFL/dx of a positive with this p_t (<= 0) */
} fl_curve_point;

/* Fill out[i * npt + j] with the point of gamma[i] (>= 0) and pt[j], for a
 * positive weighed alpha (alpha_on) or 1.  Every p_t must lie in (0, 1]:
 * p_t = 1 is the limit, where loss and gradient are 0.  Values come from
 * the logit log p_t - log(1 - p_t) through the loss code.  Return FL_OK, or
 * FL_EINVAL (out untouched) when a p_t is out of range. */
int fl_curves_eval(const double *gamma, size_t ngamma, const double *pt,
                   size_t npt, int alpha_on, double alpha,
                   fl_curve_point *out);

#endif
