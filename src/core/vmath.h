/* vmath.h: exp and log1p over arrays, on the domains the losses need.
 *
 * Every loss is built from exp(-|z|) and log1p of it.  glibc's scalar
 * functions cost a call and a data-dependent path per value; these are
 * branch-free polynomials that the compiler vectorizes, accurate to about
 * one ulp (tested against glibc). */
#ifndef FL_VMATH_H
#define FL_VMATH_H

#include <stddef.h>
#include <stdint.h>

/* y[i] = exp(x[i]) for x[i] <= 0 (x below -746 gives 0).  x and y may be
 * the same array. */
void fl_vexp_neg(const double *x, double *y, size_t n);

/* y[i] = log1p(x[i]) for x[i] in [0, 1].  x and y may be the same array. */
void fl_vlog1p_unit(const double *x, double *y, size_t n);

/* The two above use FMA where the processor has it (the last bit may then
 * differ); these never do, on any machine, for the tests. */
void fl_vexp_neg_nofma(const double *x, double *y, size_t n);
void fl_vlog1p_unit_nofma(const double *x, double *y, size_t n);

/* The terms every sigmoid loss starts from, for n examples with logits x
 * and labels positive (NULL: all positive), array by array: x_t = s x,
 * p_t, 1 - p_t, CE = softplus(-x_t) and softplus(x_t) = -log(1 - p_t), the
 * formulas of fl_example_init with one exp and one log1p per example, and
 * exp(-|x_t|) in e unless e is NULL.  The arrays must not overlap each
 * other, nor x (but xt may be x). */
typedef struct fl_vterms {
    double *xt, *pt, *qt, *ce, *lq, *e;
} fl_vterms;

void fl_vsigmoid_terms(const double *x, const unsigned char *positive,
                       size_t n, const fl_vterms *t);

/* FL*'s terms for n examples from z = g* x_t + b* and e = exp(-|z|):
 * sp = softplus(-z) and q = sigmoid(-z), with one log1p each.  sp may be
 * e; no other arrays may overlap. */
void fl_vsoftplus_neg(const double *z, const double *e, size_t n, double *sp,
                      double *q);

/* The largest |b*| fl_vexp_neg_star2 takes. */
#define FL_VSTAR2_BETA_MAX 16.0

/* out[i] = exp(-|2 xt[i] + beta|) from e[i] = exp(-|xt[i]|), for
 * |beta| <= FL_VSTAR2_BETA_MAX: e^2 exp(-+beta) or exp(-+beta) / e^2, no
 * exp per example (FL* with g* = 2).  Within 3 ulps of the value from an
 * exact e, plus twice e's own relative error (5 ulps in all from
 * fl_vexp_neg's e); a result below the normal range is off by under
 * 1e-316.  out may be e. */
void fl_vexp_neg_star2(const double *xt, const double *e, double beta,
                       size_t n, double *out);

/* out[i] = (1 - p_t)^gamma for n examples, from q = 1 - p_t and lq =
 * softplus(x_t) = -log(1 - p_t): 1, q and q * q for gamma 0, 1 and 2 (as
 * fl_loss_eval), exp(-gamma lq) otherwise, which stays accurate where q
 * underflows.  out may be q or lq. */
void fl_vmodulating(double gamma, const double *q, const double *lq,
                    double *out, size_t n);

/* out[k][g] += the sum of t[k][i] over the n examples i in group g
 * (group[i] < 4), for the FL_VSUMS arrays t[k] of non-negative terms, and
 * count[g] += the number of those examples.  The sums are taken in four
 * lanes and then added, not in the order of i: each is within (n + 2)
 * eps relative of the exact sum. */
#define FL_VSUMS 6
void fl_vgroup_sums(const double *const t[FL_VSUMS], const unsigned char *group,
                    size_t n, double out[FL_VSUMS][4], uint64_t count[4]);

#endif
