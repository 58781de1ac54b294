/* loss.c: the losses of one example and their gradients (SPEC section 1). */
#include "core/loss.h"

#include <math.h>
#include <stddef.h>

static const char *const group_names[FL_GROUP_COUNT] = {
    [FL_GROUP_EASY_NEG] = "easy_neg",
    [FL_GROUP_HARD_NEG] = "hard_neg",
    [FL_GROUP_EASY_POS] = "easy_pos",
    [FL_GROUP_HARD_POS] = "hard_pos",
};

void fl_params_default(fl_params *p)
{
    p->alpha_on = 1;
    p->alpha = 0.25;
    p->gamma = 2.0;
    p->easy = 0.5;
    p->star_gamma = 2.0;
    p->star_beta = 1.0;
    p->ohem_mode = FL_OHEM_TOP;
    p->ohem_batch = 128;
    p->ohem_ratio = 0.0;
    p->eps = 1e-12;
}

const char *fl_group_name(enum fl_group group)
{
    return (unsigned)group < FL_GROUP_COUNT ? group_names[group] : NULL;
}

double fl_softplus(double z)
{
    return fmax(z, 0.0) + log1p(exp(-fabs(z)));
}

double fl_logit_from_prob(double p, double eps, int *clamped)
{
    *clamped = 0;
    if (p < eps) {
        p = eps;
        *clamped = 1;
    } else if (p > 1.0 - eps) {
        p = 1.0 - eps;
        *clamped = 1;
    }
    /* one log: 1 - p is exact from p = 1/2 up and within half an ulp
     * below, so the quotient is within about 2 ulps and the logit within
     * a few units of 1e-16 absolute, as log(p) - log1p(-p) is (both lose
     * digits to cancellation near p = 1/2), at half the cost */
    return log(p / (1.0 - p));
}

void fl_example_init(fl_example *ex, double x, int positive)
{
    /* One exp and one log1p serve p_t, 1 - p_t and both softplus terms. */
    double s = positive ? 1.0 : -1.0;
    double z = s * x;
    double e = exp(-fabs(z));
    double l = log1p(e);
    double inv = 1.0 / (1.0 + e);

    ex->xt = z;
    ex->sign = s;
    ex->positive = positive;
    if (z >= 0) {
        ex->pt = inv;
        ex->qt = e * inv;
        ex->ce = l;
        ex->lq = z + l;
    } else {
        ex->pt = e * inv;
        ex->qt = inv;
        ex->ce = -z + l;
        ex->lq = l;
    }
}

enum fl_group fl_example_group(const fl_example *ex, double easy)
{
    return fl_group_of(ex->positive, ex->pt, easy);
}

/* (1 - p_t)^gamma: exact for the common integer gammas, and through
 * exp(-gamma * softplus(x_t)) otherwise so that it stays accurate where
 * 1 - p_t underflows; gamma 0 gives exactly 1. */
static double modulating_factor(double gamma, const fl_example *ex)
{
    if (gamma == 0.0)
        return 1.0;
    if (gamma == 1.0)
        return ex->qt;
    if (gamma == 2.0)
        return ex->qt * ex->qt;
    return exp(-gamma * ex->lq);
}

/* Each loss's value and dL/dx for one example: id_eval for row id of
 * FL_LOSSES. */
typedef double eval_fn(const fl_params *p, const fl_example *ex,
                       double *grad);

static double ce_eval(const fl_params *p, const fl_example *ex, double *grad)
{
    (void)p;
    *grad = -ex->sign * ex->qt;
    return ex->ce;
}

static double alpha_ce_eval(const fl_params *p, const fl_example *ex,
                            double *grad)
{
    double at = fl_alpha_t(p, ex->positive);
    *grad = -ex->sign * at * ex->qt;
    return at * ex->ce;
}

static double focal_eval(const fl_params *p, const fl_example *ex,
                         double *grad)
{
    double w = fl_alpha_t(p, ex->positive) * modulating_factor(p->gamma, ex);
    double g;
    double loss = fl_focal_term(w, p->gamma, ex->pt, ex->ce, ex->qt, &g);
    *grad = -ex->sign * g;
    return loss;
}

static double focal_star_eval(const fl_params *p, const fl_example *ex,
                              double *grad)
{
    double z = p->star_gamma * ex->xt + p->star_beta;
    double e = exp(-fabs(z));
    double sig_neg = z >= 0 ? e / (1.0 + e) : 1.0 / (1.0 + e);
    *grad = -ex->sign * sig_neg;
    return (fmax(-z, 0.0) + log1p(e)) / p->star_gamma;
}

/* OHEM's per-example value is CE: the selection sums it. */
#define ohem_eval ce_eval

static const struct {
    fl_loss_info info;
    eval_fn *eval;
} losses[FL_LOSS_COUNT] = {
#define LOSS_ROW(ID, id, scope, needs, flags, alpha_of)                 \
    [FL_LOSS_##ID] = {{#id, FL_SCOPE_##scope, needs, flags}, id##_eval},
    FL_LOSSES(LOSS_ROW)
#undef LOSS_ROW
};

/* EXAMPLE rows first: FL_LOSS_PER_EXAMPLE counts them. */
#define LOSS_ORDER(ID, id, scope, needs, flags, alpha_of)                  \
    _Static_assert(((int)FL_LOSS_##ID < FL_LOSS_PER_EXAMPLE) ==             \
                       FL_LOSS_SCOPE_IS_##scope,                            \
                   "loss " #id ": EXAMPLE rows come before SELECTED rows");
FL_LOSSES(LOSS_ORDER)
#undef LOSS_ORDER

const fl_loss_info *fl_loss_info_of(enum fl_loss loss)
{
    return (unsigned)loss < FL_LOSS_COUNT ? &losses[loss].info : NULL;
}

const char *fl_loss_name(enum fl_loss loss)
{
    return (unsigned)loss < FL_LOSS_COUNT ? losses[loss].info.name : NULL;
}

double fl_loss_eval(enum fl_loss loss, const fl_params *p,
                    const fl_example *ex, double *grad)
{
    if ((unsigned)loss >= FL_LOSS_COUNT) {
        *grad = NAN;
        return NAN;
    }
    return losses[loss].eval(p, ex, grad);
}

/* log sum_{j != t} exp(z_j), with the largest term factored out. */
static double logsumexp_except(const double *z, size_t n, size_t t)
{
    double m = -INFINITY;
    for (size_t j = 0; j < n; j++)
        if (j != t && z[j] > m)
            m = z[j];
    double sum = 0.0;
    for (size_t j = 0; j < n; j++)
        if (j != t)
            sum += exp(z[j] - m);
    return m + log(sum);
}

double fl_softmax_margin(const double *z, size_t n, size_t t)
{
    return z[t] - logsumexp_except(z, n, t);
}

double fl_softmax_focal(const fl_params *p, const double *z, size_t n,
                        size_t t, int foreground, double *grad)
{
    double lse = logsumexp_except(z, n, t), margin = z[t] - lse;
    fl_example ex;
    fl_example_init(&ex, foreground ? margin : -margin, foreground);
    double g_t;
    double loss = fl_loss_eval(FL_LOSS_FOCAL, p, &ex, &g_t);
    /* |dFL/dz_t| = G (1 - p_t), so G (p_j - [j = t]) = |dFL/dz_t| p_j / (1 - p_t),
     * where p_j / (1 - p_t) = exp(z_j - logsumexp_{k != t} z_k). */
    double gt = fabs(g_t);
    for (size_t j = 0; j < n; j++)
        grad[j] = j == t ? -gt : gt * exp(z[j] - lse);
    return loss;
}
