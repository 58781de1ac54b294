/* summary.c: accumulate every loss by group. */
#include "summary.h"

#include <math.h>
#include <stdlib.h>

#include "select.h"
#include "status.h"

fl_summary *fl_summary_new(const fl_params *p)
{
    fl_summary *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->params = *p;
    s->select = fl_select_new(p, s->cell[FL_LOSS_OHEM]);
    if (!s->select) {
        free(s);
        return NULL;
    }
    return s;
}

void fl_summary_free(fl_summary *s)
{
    if (!s)
        return;
    fl_select_free(s->select);
    free(s);
}

int fl_summary_add(fl_summary *s, const fl_batch *b)
{
    const fl_params *p = &s->params;
    for (size_t i = 0; i < b->n; i++) {
        fl_example ex;
        fl_example_init(&ex, b->x[i], b->positive[i]);
        enum fl_group g = fl_example_group(&ex, p->easy);
        for (int k = 0; k < FL_LOSS_PER_EXAMPLE; k++) {
            double grad;
            double loss = fl_loss_eval((enum fl_loss)k, p, &ex, &grad);
            fl_cell_add(&s->cell[k][g], loss, fabs(grad));
        }
        if (fl_select_add(s->select, b->image[i], ex.ce, ex.qt, g) != FL_OK)
            return FL_ENOMEM;
    }
    return FL_OK;
}

void fl_summary_finish(fl_summary *s)
{
    fl_select_flush(s->select);
}

void fl_summary_total(const fl_summary *s, enum fl_loss loss, fl_cell *out)
{
    *out = (fl_cell){0};
    for (int g = 0; g < FL_GROUP_COUNT; g++)
        fl_cell_merge(out, &s->cell[loss][g]);
}
