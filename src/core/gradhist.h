/* gradhist.h: the gradient-norm distribution behind GHM (Li et al., AAAI
 * 2019), g = |p - y| = 1 - p_t in [0, 1], in equal bins, with the share of
 * the loss and of the |gradient| each bin carries under CE, focal loss and
 * GHM-C's reweighting.  No I/O. */
#ifndef FL_GRADHIST_H
#define FL_GRADHIST_H

#include <stddef.h>
#include <stdint.h>

#include "core/ksum.h"
#include "core/loss.h"
#include "core/summary.h"

typedef struct fl_gradhist_bin {
    uint64_t neg, pos;
    fl_ksum ce_loss, ce_grad, fl_loss, fl_grad;
} fl_gradhist_bin;

typedef struct fl_gradhist {
    fl_params params; /* FL's alpha and gamma */
    size_t nbins;
    fl_gradhist_bin *bin;
    uint32_t *slot; /* per bin: its place among a chunk's bins, or none */
} fl_gradhist;

/* One bin's report.  Shares are of the total over every valid example;
 * NaN when that total is zero (or, for neg_share and pos_share, when there
 * is no negative or no positive). */
typedef struct fl_gradhist_row {
    double g_lo, g_hi;
    uint64_t neg, pos;
    double neg_share, pos_share; /* of all negatives, of all positives */
    double ce_loss_share, ce_grad_share;
    double fl_loss_share, fl_grad_share;
    double ghm_weight; /* valid / in this bin / non-empty bins; NaN if empty */
    double ghm_loss_share, ghm_grad_share;
} fl_gradhist_row;

/* Return a histogram of nbins (>= 1) bins, bin k holding k/nbins <= g <
 * (k+1)/nbins (the last one g = 1 too), with focal loss under p; NULL when
 * out of memory.  Free with fl_gradhist_free. */
fl_gradhist *fl_gradhist_new(const fl_params *p, size_t nbins);

/* Free h; h may be NULL. */
void fl_gradhist_free(fl_gradhist *h);

/* Add from's bins into into, a histogram with the same parameters and
 * bins: from a part of the input read apart. */
void fl_gradhist_merge(fl_gradhist *into, const fl_gradhist *from);

/* Return the bin of gradient norm g in [0, 1]. */
size_t fl_gradhist_bin_of(const fl_gradhist *h, double g);

/* Add a batch of examples.  Return FL_OK (nothing here fails). */
int fl_gradhist_add(fl_gradhist *h, const fl_batch *b);

/* Fill rows[0 .. nbins) with every bin's report. */
void fl_gradhist_rows(const fl_gradhist *h, fl_gradhist_row *rows);

#endif
