/* loss.h: the losses of one example (SPEC sections 1 and 2).
 *
 * Everything is computed from the logit x, never from a rounded probability:
 * 1 - p_t = sigmoid(-x_t), log p_t = -softplus(-x_t).  Results are finite for
 * every finite x and every gamma >= 0.  Nothing here allocates or fails. */
#ifndef FL_LOSS_H
#define FL_LOSS_H

#include <stddef.h>
#include <stdint.h>

/* The losses, one row each (an X-macro: FL_LOSSES(X) calls X once a row).
 *
 *   X(ID, id, scope, needs, flags, alpha_of)
 *
 * ID      enum fl_loss FL_LOSS_ID; id: its name in reports, lower case, and
 *         the stem of its terms: id_eval in loss.c, id_vterms in
 *         loss_terms.c;
 * scope   EXAMPLE: every example has it, summed by group; SELECTED: CE over
 *         the examples a selection keeps (OHEM, SSD: select.h), with no
 *         terms of its own.  EXAMPLE rows come first;
 * needs   the inputs it reads, FL_NEED_* or'ed;
 * flags   FL_LOSS_SIGMOID: defined for sigmoid examples only, left out of
 *         a softmax report;
 * alpha_of  -1, or the loss whose terms this one's are a_t times: a_t is
 *         one constant within a group, so its sums are a_t times that
 *         loss's sums and it has no array terms of its own.
 *
 * How to add a loss:
 *  1. add its row here, before the SELECTED rows;
 *  2. write id_eval in loss.c: its value and dL/dx for one fl_example;
 *  3. write id_vterms in loss_terms.c: its values and |dL/dx| for a chunk
 *     of examples, array by array, from the shared terms (unless alpha_of);
 *  4. test both in tests/unit/check_loss.c and check_summary.c against a
 *     formula written independently in the test (central differences for
 *     the gradient), and add it to summarize's help, the man page and the
 *     README's list of losses.
 * The report, the json document, the breakdowns and the merge of parts
 * take every row without further change. */
#define FL_LOSSES(X)                                                   \
    X(CE, ce, EXAMPLE, FL_NEED_LOGIT, 0, -1)                           \
    X(ALPHA_CE, alpha_ce, EXAMPLE, FL_NEED_LOGIT, 0, FL_LOSS_CE)       \
    X(FOCAL, focal, EXAMPLE, FL_NEED_LOGIT, 0, -1)                     \
    X(FOCAL_STAR, focal_star, EXAMPLE, FL_NEED_LOGIT, FL_LOSS_SIGMOID, -1) \
    X(OHEM, ohem, SELECTED, FL_NEED_LOGIT, 0, -1)

enum fl_loss {
#define FL_LOSS_ENUM(ID, id, scope, needs, flags, alpha_of) FL_LOSS_##ID,
    FL_LOSSES(FL_LOSS_ENUM)
#undef FL_LOSS_ENUM
    FL_LOSS_COUNT
};

/* The number of EXAMPLE rows: losses 0 .. FL_LOSS_PER_EXAMPLE - 1 (loss.c
 * checks that they come first). */
#define FL_LOSS_SCOPE_IS_EXAMPLE 1
#define FL_LOSS_SCOPE_IS_SELECTED 0
#define FL_LOSS_IF_EXAMPLE(ID, id, scope, needs, flags, alpha_of) \
    +FL_LOSS_SCOPE_IS_##scope
enum { FL_LOSS_PER_EXAMPLE = 0 FL_LOSSES(FL_LOSS_IF_EXAMPLE) };
#undef FL_LOSS_IF_EXAMPLE

/* What a loss reads. */
enum fl_loss_need {
    FL_NEED_LOGIT = 1 /* the logit (or the probability) and the label */
};

/* A loss's flags. */
enum { FL_LOSS_SIGMOID = 1 };

enum fl_loss_scope { FL_SCOPE_EXAMPLE, FL_SCOPE_SELECTED };

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

/* One row of the loss table; its alpha_of is fl_loss_alpha_of's. */
typedef struct fl_loss_info {
    const char *name;         /* in reports: "ce", "focal", ... */
    enum fl_loss_scope scope;
    unsigned needs;           /* FL_NEED_* */
    unsigned flags;           /* FL_LOSS_SIGMOID */
} fl_loss_info;

/* Return loss's row of the table, or NULL when out of range. */
const fl_loss_info *fl_loss_info_of(enum fl_loss loss);

/* Return the alpha_of of loss (-1 when out of range), a constant that
 * the compiler folds where loss is one: summing loops unroll over the
 * table. */
static inline int fl_loss_alpha_of(int loss)
{
    switch (loss) {
#define FL_LOSS_ALPHA_CASE(ID, id, scope, needs, flags, alpha_of) \
    case FL_LOSS_##ID:                                          \
        return alpha_of;
        FL_LOSSES(FL_LOSS_ALPHA_CASE)
#undef FL_LOSS_ALPHA_CASE
    default:
        return -1;
    }
}

/* The focal loss of one example and, in *grad_abs, |dFL/dx|, from its
 * weight w = a_t (1 - p_t)^gamma, p_t, CE = -log p_t and q = 1 - p_t: w CE
 * and w (gamma p_t CE + q).  Every focal term of summarize, sweep,
 * gradhist and cdf is this one. */
static inline double fl_focal_term(double w, double gamma, double pt,
                                   double ce, double q, double *grad_abs)
{
    *grad_abs = w * fl_focal_grad_factor(gamma, pt, ce, q);
    return w * ce;
}

/* Fill p with the paper's defaults: alpha 0.25, gamma 2, easy 0.5, FL* 2 and 1,
 * OHEM top 128 per image, eps 1e-12. */
void fl_params_default(fl_params *p);

/* Return the name used in reports (the table's id for a loss; "easy_neg",
 * "hard_neg", "easy_pos", "hard_pos" for a group), or NULL when out of
 * range. */
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
