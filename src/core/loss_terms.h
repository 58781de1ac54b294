/* loss_terms.h: every per-example loss of the table over a chunk of
 * examples, array by array, for summarize (loss.h has one example's). */
#ifndef FL_LOSS_TERMS_H
#define FL_LOSS_TERMS_H

#include <stddef.h>

#include "core/loss.h"

#define FL_CHUNK 256 /* examples whose terms are computed together */

/* A chunk's terms: those every loss shares, then each loss's own.  A loss's
 * values and |dL/dx| are at loss_of[k] and grad_of[k]: its own rows of
 * loss and grad, or shared arrays (CE's are ce and qt); NULL for a loss
 * with alpha_of, whose terms are a_t times those of loss alpha_of. */
typedef struct fl_chunk_terms {
    double xt[FL_CHUNK]; /* s x */
    double pt[FL_CHUNK]; /* p_t */
    double qt[FL_CHUNK]; /* 1 - p_t */
    double ce[FL_CHUNK]; /* softplus(-x_t) = -log p_t */
    double lq[FL_CHUNK]; /* softplus(x_t) = -log(1 - p_t) */
    double e[FL_CHUNK];  /* exp(-|x_t|), where fl_chunk_terms_compute
                          * says */
    double mod[FL_CHUNK], z[FL_CHUNK]; /* scratch of the losses */
    const unsigned char *positive;     /* the chunk's labels */
    double loss[FL_LOSS_PER_EXAMPLE][FL_CHUNK];
    double grad[FL_LOSS_PER_EXAMPLE][FL_CHUNK];
    const double *loss_of[FL_LOSS_PER_EXAMPLE];
    const double *grad_of[FL_LOSS_PER_EXAMPLE];
} fl_chunk_terms;

/* Fill t for the n <= FL_CHUNK examples with logits x and labels positive,
 * under parameters p: the shared terms, then every per-example loss's, by
 * the formulas of loss.c.  Nothing allocates or fails. */
void fl_chunk_terms_compute(const fl_params *p, const double *x,
                            const unsigned char *positive, size_t n,
                            fl_chunk_terms *t);

#endif
