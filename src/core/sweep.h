/* sweep.h: focal loss over a grid of gammas and alphas in one pass (the
 * paper's Table 1).  No I/O.
 *
 * For a fixed gamma, alpha only weighs the two sides: FL(alpha) =
 * alpha * S_pos + (1 - alpha) * S_neg, where S is the sum of the unweighted
 * FL (a_t = 1) over positives or negatives.  So the pass keeps, per gamma and
 * group, the unweighted loss and |gradient| sums, and every alpha is read
 * off them afterwards: the work per example grows with the number of gammas
 * only, and the alpha that balances the two sides has a closed form. */
#ifndef FL_SWEEP_H
#define FL_SWEEP_H

#include <stddef.h>

#include "core/loss.h"
#include "core/summary.h"
#include "core/summary_cell.h"

typedef struct fl_sweep {
    size_t ngamma;
    double *gamma;  /* ngamma values, copied */
    double easy;    /* the easy threshold of the groups */
    fl_params *params; /* per gamma: alpha off */
    fl_cell (*cell)[FL_GROUP_COUNT]; /* [gamma][group], unweighted FL */
    enum fl_by by;  /* breakdown by class or image, or none */
    fl_cell *keys;  /* [key][gamma][group], with a breakdown */
    size_t nkeys, keys_cap;
    /* a key's sums held back from its cells within fl_sweep_add */
    struct key_pending *pend;  /* [key] */
    double *pend_sums;         /* [key][loss, grad][gamma][group] */
    uint64_t *pend_keys;       /* the keys holding some back */
    size_t pend_cap, pend_sums_cap, npend, pend_keys_cap;
    uint64_t key_base; /* by image, a part's: its image 0's ordinal */
} fl_sweep;

/* One (gamma, alpha) cell of the grid.  Shares whose total is zero, and the
 * loss per positive without positives, are NaN. */
typedef struct fl_sweep_cell {
    double gamma, alpha;
    double loss_sum;     /* focal loss over every example */
    double loss_per_pos; /* loss_sum / positives */
    double grad_sum;     /* summed |dFL/dx| */
    double loss_share[FL_GROUP_COUNT];
    double grad_share[FL_GROUP_COUNT];
} fl_sweep_cell;

/* The alphas at which positives and negatives carry equal weighted loss, and
 * equal weighted |gradient|, for one gamma: alpha = N / (P + N) with P and N
 * the unweighted sums of each side.  NaN when a side's sum is zero. */
typedef struct fl_sweep_balance {
    double gamma;
    double alpha_loss, alpha_grad;
    double pos_loss, neg_loss, pos_grad, neg_grad; /* the unweighted sums */
} fl_sweep_balance;

/* Return a sweep over the ngamma (>= 1) gammas (each >= 0; copied) with
 * easy threshold easy, or NULL when out of memory.  Free with
 * fl_sweep_free. */
fl_sweep *fl_sweep_new(const double *gamma, size_t ngamma, double easy);

/* Free s; s may be NULL. */
void fl_sweep_free(fl_sweep *s);

/* Make s, a part's sweep whose images were numbered from 0, one whose
 * image first is the whole input's image ordinal first (a breakdown by
 * image keeps their keys so when merged). */
void fl_sweep_number_images(fl_sweep *s, uint64_t first);

/* Add from's sums into into, a sweep over the same gammas (and keys with the
 * same meaning): from a part of the input read apart.  Return FL_OK or
 * FL_ENOMEM. */
int fl_sweep_merge(fl_sweep *into, const fl_sweep *from);

/* Add a batch of examples; every cell is whole after it (the keys' sums
 * are held back within it only).  Return FL_OK, or FL_ENOMEM (with a
 * breakdown that could not grow: s must then be freed). */
int fl_sweep_add(fl_sweep *s, const fl_batch *b);

/* Fill *out with the cell of gamma number gi (< ngamma) and alpha in
 * [0, 1]. */
void fl_sweep_cell_at(const fl_sweep *s, size_t gi, double alpha,
                      fl_sweep_cell *out);

/* Fill *out with the balancing alphas of gamma number gi. */
void fl_sweep_balance_at(const fl_sweep *s, size_t gi, fl_sweep_balance *out);

/* Keep the sweep's cells per class or per image too (call before the first
 * fl_sweep_add); memory then grows with the number of keys times gammas. */
void fl_sweep_set_by(fl_sweep *s, enum fl_by by);

/* Fill out for key (a class index or image ordinal) as fl_sweep_cell_at
 * does for everything; return 0, or -1 when key holds no example. */
int fl_sweep_key_cell_at(const fl_sweep *s, uint64_t key, size_t gi,
                         double alpha, fl_sweep_cell *out);

#endif
