/* parts.h: the results that can be read in parts (fl_parts, batch.h):
 * summary, sweep, cdf and gradhist, each computed per stretch of the
 * input on a thread of its own and merged in input order. */
#ifndef FL_PARTS_H
#define FL_PARTS_H

#include "core/cdf.h"
#include "core/gradhist.h"
#include "core/batch.h"
#include "core/summary.h"
#include "core/sweep.h"

/* Return the parts of s: new summaries with s's parameters and breakdown,
 * merged key by key (every reader thread numbers classes alike; a part's
 * images, numbered from 0, take their ordinals in the whole before). */
fl_parts fl_summary_parts(fl_summary *s);

/* The same for a sweep (new sweeps over s's gammas, with its breakdown). */
fl_parts fl_sweep_parts(fl_sweep *s);

/* The same for a cdf: parts collect their scores, appended in order. */
fl_parts fl_cdf_parts(fl_cdf *c);

/* The same for a gradhist: parts with h's parameters and bins. */
fl_parts fl_gradhist_parts(fl_gradhist *h);

#endif
