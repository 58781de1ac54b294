/* summary_cell.h: one (loss, group) cell of a report. */
#ifndef FL_SUMMARY_CELL_H
#define FL_SUMMARY_CELL_H

#include <stdint.h>

#include "core/ksum.h"

typedef struct fl_cell {
    uint64_t count;
    fl_ksum loss; /* sum of the loss */
    fl_ksum grad; /* sum of |dL/dx| */
} fl_cell;

/* Add an example's loss and |gradient| to c. */
static inline void fl_cell_add(fl_cell *c, double loss, double grad_abs)
{
    c->count++;
    fl_ksum_add(&c->loss, loss);
    fl_ksum_add(&c->grad, grad_abs);
}

/* Add everything in from to into. */
static inline void fl_cell_merge(fl_cell *into, const fl_cell *from)
{
    into->count += from->count;
    fl_ksum_merge(&into->loss, &from->loss);
    fl_ksum_merge(&into->grad, &from->grad);
}

#endif
