/* loss.h: the losses of one example (SPEC sections 1 and 2).
 *
 * Everything is computed from the logit x, never from a rounded probability:
 * 1 - p_t = sigmoid(-x_t), log p_t = -softplus(-x_t).  Results are finite for
 * every finite x and every gamma >= 0.  Nothing here allocates or fails. */
#ifndef FL_LOSS_H
#define FL_LOSS_H

#include <stddef.h>
#include <stdint.h>

enum fl_loss {
    FL_LOSS_CE,
    FL_LOSS_ALPHA_CE,
    FL_LOSS_FOCAL,
    FL_LOSS_FOCAL_STAR,
    FL_LOSS_OHEM, /* CE over the examples OHEM/SSD keeps: see select.h */
    FL_LOSS_COUNT
};

/* The losses computed for every example; OHEM comes after them. */
#define FL_LOSS_PER_EXAMPLE FL_LOSS_OHEM

enum fl_group {
    FL_GROUP_EASY_NEG,
    FL_GROUP_HARD_NEG,
    FL_GROUP_EASY_POS,
    FL_GROUP_HARD_POS,
    FL_GROUP_COUNT
};

/* The group of an example from its label and p_t: hard when p_t is not
 * above easy.  In arithmetic, 2 positive + hard, which a loop vectorizes. */
static inline enum fl_group fl_group_of(int positive, double pt, double easy)
{
    _Static_assert(FL_GROUP_EASY_NEG == 0 && FL_GROUP_HARD_NEG == 1 &&
                       FL_GROUP_EASY_POS == 2 && FL_GROUP_HARD_POS == 3,
                   "a group is 2 positive + hard");
    return (enum fl_group)(2 * (positive != 0) + !(pt > easy));
}

/* Are group g's examples positive? */
static inline int fl_group_positive(enum fl_group g)
{
    return g == FL_GROUP_EASY_POS || g == FL_GROUP_HARD_POS;
}

/* How OHEM selects within an image (SPEC section 3). */
enum fl_ohem_mode {
    FL_OHEM_TOP,   /* the top B examples by CE */
    FL_OHEM_RATIO, /* at most floor(B / (1 + R)) positives, negatives fill to B */
    FL_OHEM_SSD    /* every positive and the top floor(R * P) negatives */
};

typedef struct fl_params {
    int alpha_on;       /* 0: a_t = 1 for every example */
    double alpha;       /* in [0, 1] */
    double gamma;       /* >= 0 */
    double easy;        /* an example is easy when p_t > easy */
    double star_gamma;  /* FL* g*, > 0 */
    double star_beta;   /* FL* b* */
    enum fl_ohem_mode ohem_mode;
    uint64_t ohem_batch; /* B; 0 only in SSD mode */
    double ohem_ratio;   /* R, >= 0; unused in FL_OHEM_TOP */
    double eps;          /* probability clamp, in (0, 0.5) */
    int softmax;         /* examples are softmax anchors: no FL* */
} fl_params;

/* The alpha weight a_t of a positive or a negative example (1 without
 * alpha). */
static inline double fl_alpha_t(const fl_params *p, int positive)
{
    if (!p->alpha_on)
        return 1.0;
    return positive ? p->alpha : 1.0 - p->alpha;
}

/* FL's |gradient| over alpha_t (1 - p_t)^gamma, from p_t, CE = -log p_t
 * and q = 1 - p_t: gamma p_t CE + q, which is -(gamma p_t log p_t + p_t -
 * 1) without its cancellation. */
static inline double fl_focal_grad_factor(double gamma, double pt, double ce,
                                          double q)
{
    return gamma * pt * ce + q;
}

/* What every loss of one example shares: computed once by fl_example_init. */
typedef struct fl_example {
    double xt;   /* s * x */
    double sign; /* s: +1 positive, -1 negative */
    double pt;   /* sigmoid(x_t) */
    double qt;   /* 1 - p_t = sigmoid(-x_t) */
    double ce;   /* -log p_t = softplus(-x_t) */
    double lq;   /* -log(1 - p_t) = softplus(x_t) */
    int positive;
} fl_example;

/* Fill p with the paper's defaults: alpha 0.25, gamma 2, easy 0.5, FL* 2 and 1,
 * OHEM top 128 per image, eps 1e-12. */
void fl_params_default(fl_params *p);

/* Return the name used in reports ("ce", "alpha_ce", "focal", "focal_star",
 * "ohem"; "easy_neg", "hard_neg", "easy_pos", "hard_pos"), or NULL when out
 * of range. */
const char *fl_loss_name(enum fl_loss loss);
const char *fl_group_name(enum fl_group group);

/* Return softplus(z) = log(1 + exp(z)), accurate for every finite z. */
double fl_softplus(double z);

/* Return the logit of probability p after clamping it to [eps, 1 - eps];
 * set *clamped to 1 when p was outside that range, else 0.  p must lie in
 * [0, 1]; the caller checks. */
double fl_logit_from_prob(double p, double eps, int *clamped);

/* Fill ex for logit x and label positive (1) or negative (0). */
void fl_example_init(fl_example *ex, double x, int positive);

/* Return the group of ex under threshold easy. */
enum fl_group fl_example_group(const fl_example *ex, double easy);

/* Return the loss of kind loss (not FL_LOSS_OHEM: its per-example value is
 * CE) and store dL/dx, with its sign, in *grad. */
double fl_loss_eval(enum fl_loss loss, const fl_params *p,
                    const fl_example *ex, double *grad);

/* Softmax over the n logits z (the K classes and the background): return
 * the margin z_t - log sum_{j != t} exp(z_j) of the true output t, whose
 * sigmoid is the softmax probability p_t.  Every loss here depends on an
 * example only through p_t, so a softmax anchor is the example with this
 * logit: positive when t is a class, negative (with the margin negated)
 * when t is the background.  n >= 2. */
double fl_softmax_margin(const double *z, size_t n, size_t t);

/* The softmax focal loss of one anchor, FL = -a_t (1 - p_t)^gamma log p_t
 * (a_t = alpha for a class, 1 - alpha for the background, 1 with alpha
 * off), and in grad[0..n) its gradient with respect to each logit:
 * a_t (1 - p_t)^(gamma - 1) ((1 - p_t) + gamma p_t CE) (p_j - [j = t]). */
double fl_softmax_focal(const fl_params *p, const double *z, size_t n,
                        size_t t, int foreground, double *grad);

#endif
