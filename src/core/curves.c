/* curves.c: Figure 1 through the same loss code as the data. */
#include "core/curves.h"

#include <math.h>

#include "core/loss.h"
#include "core/status.h"

int fl_curves_eval(const double *gamma, size_t ngamma, const double *pt,
                   size_t npt, int alpha_on, double alpha,
                   fl_curve_point *out)
{
    for (size_t j = 0; j < npt; j++)
        if (!(pt[j] > 0.0 && pt[j] <= 1.0))
            return FL_EINVAL;
    for (size_t i = 0; i < ngamma; i++) {
        fl_params p;
        fl_params_default(&p);
        p.alpha_on = alpha_on;
        p.alpha = alpha;
        p.gamma = gamma[i];
        for (size_t j = 0; j < npt; j++) {
            /* 1 - p_t is exact for p_t >= 0.5, and log1p keeps small p_t
             * exact: the logit is good to a few ulps.  p_t = 1 gives
             * +inf, whose losses and gradients are exactly 0. */
            double x = log(pt[j]) - log1p(-pt[j]);
            fl_example ex;
            double g;
            fl_example_init(&ex, x, 1);
            fl_curve_point *c = &out[i * npt + j];
            c->pt = pt[j];
            c->gamma = gamma[i];
            c->ce = fl_loss_eval(FL_LOSS_CE, &p, &ex, &g);
            c->fl = fl_loss_eval(FL_LOSS_FOCAL, &p, &ex, &g);
            c->grad = g + 0.0; /* -0 at p_t = 1 prints as 0 */
        }
    }
    return FL_OK;
}
