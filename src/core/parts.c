/* parts.c: fl_parts for each result, by adapters of its own functions. */
#include "core/parts.h"

#include "core/status.h"

static int summary_add(void *s, const fl_batch *b)
{
    return fl_summary_add(s, b);
}

static void *summary_new(void *whole, uint64_t part)
{
    const fl_summary *w = whole;
    fl_summary *s = fl_summary_new_by(&w->params, w->by);
    if (s)
        fl_summary_hold_first(s, part);
    return s;
}

static int summary_merge(void *whole, void *part, int continues)
{
    return fl_summary_merge(whole, part, continues);
}

static void summary_free(void *s)
{
    fl_summary_free(s);
}

static void summary_number_images(void *s, uint64_t first)
{
    fl_summary_number_images(s, first);
}

fl_parts fl_summary_parts(fl_summary *s)
{
    return (fl_parts){s, summary_new, summary_add, summary_merge, summary_free,
                      summary_number_images};
}

static int sweep_add(void *s, const fl_batch *b)
{
    return fl_sweep_add(s, b);
}

static void *sweep_new(void *whole, uint64_t part)
{
    const fl_sweep *w = whole;
    (void)part;
    fl_sweep *s = fl_sweep_new(w->gamma, w->ngamma, w->easy);
    if (s)
        fl_sweep_set_by(s, w->by);
    return s;
}

/* Images play no part in a sweep: continues does not matter. */
static int sweep_merge(void *whole, void *part, int continues)
{
    (void)continues;
    return fl_sweep_merge(whole, part);
}

static void sweep_free(void *s)
{
    fl_sweep_free(s);
}

static void sweep_number_images(void *s, uint64_t first)
{
    fl_sweep_number_images(s, first);
}

fl_parts fl_sweep_parts(fl_sweep *s)
{
    return (fl_parts){s, sweep_new, sweep_add, sweep_merge, sweep_free,
                      sweep_number_images};
}

static int cdf_add(void *c, const fl_batch *b)
{
    return fl_cdf_add(c, b);
}

static void *cdf_new(void *whole, uint64_t part)
{
    (void)whole;
    (void)part;
    return fl_cdf_new();
}

static int cdf_merge(void *whole, void *part, int continues)
{
    (void)continues;
    return fl_cdf_merge(whole, part);
}

static void cdf_free(void *c)
{
    fl_cdf_free(c);
}

fl_parts fl_cdf_parts(fl_cdf *c)
{
    return (fl_parts){c, cdf_new, cdf_add, cdf_merge, cdf_free, NULL};
}

static int gradhist_add(void *h, const fl_batch *b)
{
    return fl_gradhist_add(h, b);
}

static void *gradhist_new(void *whole, uint64_t part)
{
    const fl_gradhist *w = whole;
    (void)part;
    return fl_gradhist_new(&w->params, w->nbins);
}

static int gradhist_merge(void *whole, void *part, int continues)
{
    (void)continues;
    fl_gradhist_merge(whole, part);
    return FL_OK;
}

static void gradhist_free(void *h)
{
    fl_gradhist_free(h);
}

fl_parts fl_gradhist_parts(fl_gradhist *h)
{
    return (fl_parts){h, gradhist_new, gradhist_add, gradhist_merge,
                      gradhist_free, NULL};
}
