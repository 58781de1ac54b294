/* loss_terms.c: each loss's terms over a chunk of examples, one function a
 * row of FL_LOSSES (id_vterms), in loops the compiler vectorizes with the
 * array exp and log1p of vmath.h; the formulas of loss.c. */
#include "core/loss_terms.h"

#include <math.h>

#include "core/clones.h"
#include "core/vmath.h"

/* Row K's terms for the chunk's n examples: set t->loss_of[K] and
 * t->grad_of[K], computing into t->loss[K] and t->grad[K] unless they are
 * shared arrays.  Each names its own K, a constant: every array is then
 * at a fixed offset from t, which saves the loops registers and spills. */
typedef void vterms_fn(const fl_params *p, fl_chunk_terms *t, size_t n);

static void ce_vterms(const fl_params *p, fl_chunk_terms *t, size_t n)
{
    (void)p;
    (void)n;
    t->loss_of[FL_LOSS_CE] = t->ce;
    t->grad_of[FL_LOSS_CE] = t->qt;
}

/* FL: the weight a_t (1 - p_t)^gamma, then fl_focal_term. */
FL_CLONES static void focal_vterms(const fl_params *p, fl_chunk_terms *t,
                                   size_t n)
{
    double *loss = t->loss[FL_LOSS_FOCAL], *grad = t->grad[FL_LOSS_FOCAL];
    double gamma = p->gamma, at_pos = fl_alpha_t(p, 1),
           at_neg = fl_alpha_t(p, 0);
    fl_vmodulating(gamma, t->qt, t->lq, t->mod, n);
    for (size_t i = 0; i < n; i++) {
        double w = (t->positive[i] ? at_pos : at_neg) * t->mod[i];
        loss[i] = fl_focal_term(w, gamma, t->pt[i], t->ce[i], t->qt[i],
                                &grad[i]);
    }
    t->loss_of[FL_LOSS_FOCAL] = loss;
    t->grad_of[FL_LOSS_FOCAL] = grad;
}

/* FL* with g* = 2, the default, takes exp(-|z|) from the shared
 * exp(-|x_t|): no second exp. */
static int star2(const fl_params *p)
{
    return p->star_gamma == 2.0 && fabs(p->star_beta) <= FL_VSTAR2_BETA_MAX;
}

/* FL* = softplus(-z) / g*, its |gradient| sigmoid(-z), z = g* x_t + b*. */
FL_CLONES static void focal_star_vterms(const fl_params *p, fl_chunk_terms *t,
                                        size_t n)
{
    double *loss = t->loss[FL_LOSS_FOCAL_STAR];
    double *grad = t->grad[FL_LOSS_FOCAL_STAR], *ez = loss;
    for (size_t i = 0; i < n; i++)
        t->z[i] = p->star_gamma * t->xt[i] + p->star_beta;
    if (star2(p)) {
        fl_vexp_neg_star2(t->xt, t->e, p->star_beta, n, ez);
    } else {
        for (size_t i = 0; i < n; i++)
            ez[i] = -fabs(t->z[i]);
        fl_vexp_neg(ez, ez, n);
    }
    fl_vsoftplus_neg(t->z, ez, n, loss, grad);
    /* a power of two's reciprocal is exact: the product is the quotient,
     * without the divider's slow steps */
    int power;
    if (frexp(p->star_gamma, &power) == 0.5) {
        double inv = 1.0 / p->star_gamma;
        for (size_t i = 0; i < n; i++)
            loss[i] *= inv;
    } else {
        for (size_t i = 0; i < n; i++)
            loss[i] /= p->star_gamma;
    }
    t->loss_of[FL_LOSS_FOCAL_STAR] = loss;
    t->grad_of[FL_LOSS_FOCAL_STAR] = grad;
}

/* Rows with alpha_of have no terms of their own. */
#define alpha_ce_vterms NULL

static vterms_fn *const vterms[FL_LOSS_PER_EXAMPLE] = {
#define VTERMS_IF_EXAMPLE(ID, id, scope, needs, flags, alpha_of) \
    VTERMS_##scope(ID, id)
#define VTERMS_EXAMPLE(ID, id) [FL_LOSS_##ID] = id##_vterms,
#define VTERMS_SELECTED(ID, id)
    FL_LOSSES(VTERMS_IF_EXAMPLE)
#undef VTERMS_IF_EXAMPLE
#undef VTERMS_EXAMPLE
#undef VTERMS_SELECTED
};

void fl_chunk_terms_compute(const fl_params *p, const double *x,
                            const unsigned char *positive, size_t n,
                            fl_chunk_terms *t)
{
    t->positive = positive;
    fl_vsigmoid_terms(x, positive, n,
                      &(fl_vterms){t->xt, t->pt, t->qt, t->ce, t->lq,
                                   star2(p) ? t->e : NULL});
    for (int k = 0; k < FL_LOSS_PER_EXAMPLE; k++) {
        t->loss_of[k] = t->grad_of[k] = NULL;
        if (vterms[k])
            vterms[k](p, t, n);
    }
}
